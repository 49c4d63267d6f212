"""The name scorer: align the tokens of two names and weigh what agrees and what differs.

For one pair of name forms (a current name, or an alias / former name written inside a
name string), the scorer:

1. keeps the identifying tokens of each (words, numbers, initials; stopwords, titles and
   legal forms aside) and gives each three weights from its rarity (IDF) and role:
   *match* (rarity), *extra* (when the other name simply lacks it) and *conflict* (when
   the other name has something else in its place). Generic words, places and qualifiers
   are cheap as extras but count in conflicts; numbers always count;
2. merges adjacent tokens of one name that the other writes as one word ("Yun Tian" /
   "Yuntian", "Pricewaterhouse Coopers" / "PricewaterhouseCoopers") or as an acronym
   ("PLA" / "People's Liberation Army");
3. aligns tokens one to one, best similarity first
   (:func:`~entityscreen.matching.similarity.compare_tokens`), in any order;
4. computes ``R = M / (M + GAMMA_CONFLICT * conflict + GAMMA_EXTRA * extra)`` where ``M``
   is the weight of what agrees (times similarity), ``conflict`` the weight that both names
   leave unexplained (the smaller side's, plus the dissimilar part of aligned pairs) and
   ``extra`` what only one name has;
5. multiplies ``R`` by ``LEGAL_CONFLICT_FACTOR`` when both names carry legal forms that
   cannot be the same (a GmbH is not an AG; a Malaysian Sdn Bhd is not a German GmbH).

Between two name strings the best pair of forms counts; two former names are never
compared with each other (two ships once called the same are not the same ship). The
ratio is then calibrated (:mod:`entityscreen.matching.calibration`).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from ..model import Schema
from ..names.analysis import NameAnalysis, NameForm
from ..names.lexicon import LegalForm
from ..names.phonetic import korean_key
from ..names.tokens import Token, roman_value
from ..names.transliterate import HANGUL, LATIN
from .align import align_parts, merge_parts
from .differences import explained_links, far_apart, patronymic_swap, repeats
from .parts import Outcome, Pair, Part, form_parts, make_part
from .rarity import Rarity

#: How much the weight of tokens that only one name has counts against the agreeing weight.
GAMMA_EXTRA = 0.45
#: Factor kept when only one organisation name has a country: "X (Thailand) Co., Ltd." is
#: usually a national subsidiary of "X Ltd", not the same company. Not for vessels: a
#: country beside a ship's name is its flag or port ("Kalliopi Dawn (Malta)"), and a
#: ship has no national subsidiaries.
COUNTRY_EXTRA_FACTOR = 0.7
#: Factor kept when only one vessel name has a number: "Orion Tanager II" is the sister
#: ship of "Orion Tanager", not the same ship (for companies a number only on one side
#: is often a dropped registration suffix, and costs only its weight).
VESSEL_NUMBER_EXTRA_FACTOR = 0.6
#: The same factor for a Roman numeral only one organisation name has: "Bowne Global
#: Solutions II" is the second company of a series (a fund, a trust, a successor), not a
#: registration suffix dropped by a customer file, which is written in digits.
SERIES_EXTRA_FACTOR = 0.6
#: Factor lost for each conflict (a token of one name facing a different token of the
#: other), by role of the costlier of the two.
CONFLICT_PENALTIES = {
    "distinctive": 0.4,
    "number": 0.5,
    "place": 0.35,
    "country": 0.35,
    "initial": 0.35,
    "generic": 0.4,
    "qualifier": 0.2,
}
#: Aligned tokens of similarity ``s`` keep ``1 - TYPO_SLOPE * (1 - s)``.
TYPO_SLOPE = 0.6
#: Fuzzy rules (edit distance, on the words or on their transliteration keys or consonant
#: skeletons) say "maybe the same word". Below ``DOUBT_HIGH`` a pair found by one of them
#: costs a growing share of a conflict's penalty, all of it at ``DOUBT_LOW``: two words
#: two edits apart ("Federer" / "Federman") are as likely two names as one misspelled,
#: and must not count for more than a conflict does.
DOUBT_HIGH = 0.90
DOUBT_LOW = 0.55
FUZZY_RULES = frozenset({"typo", "spelling", "consonants"})
#: Share of a conflict's penalty kept when the two tokens of an organisation's names come
#: from different scripts (a Latin word facing a Hebrew, Burmese, Chinese... one): a
#: company name written in another script usually translates its descriptive words
#: ("Shipyard" / "သင်္ဘောကျင်း") instead of transliterating them, so a leftover pair
#: there is weaker evidence of two different names than the same pair within one script.
#: Numbers, people's and vessels' names are transliterated, never translated: no allowance.
CROSS_SCRIPT_CONFLICT = 0.5
#: Factor applied when both names carry incompatible legal forms.
LEGAL_CONFLICT_FACTOR = 0.65


def compare_legal_forms(left: tuple[Token, ...], right: tuple[Token, ...]) -> str:
    """Whether the legal forms of two names can belong to the same company.

    Args:
        left: Legal-form tokens of one name.
        right: Legal-form tokens of the other.

    Returns:
        ``absent`` (one side has none), ``same``, ``compatible`` or ``conflict``.
    """
    if not left or not right:
        return "absent"
    forms_left = [t.legal for t in left if t.legal is not None]
    forms_right = [t.legal for t in right if t.legal is not None]
    if {f.canonical for f in forms_left} & {f.canonical for f in forms_right}:
        return "same"
    if not forms_left or not forms_right:
        return "absent"
    if any(t.script != LATIN for t in left) != any(t.script != LATIN for t in right):
        # One written in another script, one in Latin letters: the Latin one is its usual
        # English rendering (株式会社, 股份有限公司 and 주식회사 are all "Co., Ltd."), not
        # another kind of company.
        return "compatible"

    def classes(forms: list[LegalForm]) -> frozenset[str]:
        return frozenset(c for f in forms for c in f.classes)

    def places(forms: list[LegalForm]) -> frozenset[str] | None:
        if any(not f.jurisdictions for f in forms):
            return None
        return frozenset(j for f in forms for j in f.jurisdictions)

    cls_left, cls_right = classes(forms_left), classes(forms_right)
    class_ok = "co" in cls_left or "co" in cls_right or bool(cls_left & cls_right)
    if (cls_left <= {"corp"} and cls_right <= {"jsc"}) or (
        cls_right <= {"corp"} and cls_left <= {"jsc"}
    ):
        class_ok = True
    where_left, where_right = places(forms_left), places(forms_right)
    place_ok = where_left is None or where_right is None or bool(where_left & where_right)
    return "compatible" if class_ok and place_ok else "conflict"


def pair_penalty(pair: Pair) -> float:
    """The share of the score an aligned pair costs (see ``DOUBT_HIGH``)."""
    sim = pair.similarity
    penalty = TYPO_SLOPE * (1.0 - sim)
    if sim >= DOUBT_HIGH or pair.rule not in FUZZY_RULES:
        return penalty
    doubt = min(1.0, (DOUBT_HIGH - sim) / (DOUBT_HIGH - DOUBT_LOW))
    if far_apart(pair):
        doubt = 1.0
    role = max(CONFLICT_PENALTIES[pair.left.role], CONFLICT_PENALTIES[pair.right.role])
    return max(penalty, role * doubt)


def score_forms(
    left: NameForm,
    right: NameForm,
    rarity: Rarity,
    *,
    left_parts: list[Part] | None = None,
    right_parts: list[Part] | None = None,
    vessel: bool = False,
    person: bool = False,
) -> Outcome:
    """Score one pair of name forms (steps 1 to 5 of the module docstring).

    Args:
        left: A form of the query name.
        right: A form of the listed name.
        rarity: The rarity table.
        left_parts: ``form_parts(left, rarity)``, when already computed.
        right_parts: ``form_parts(right, rarity)``, when already computed.
        vessel: The names are vessels' names: a name with a legal form is then a company
            (the owner or manager), not the vessel.
        person: One of the names is a person's (names of people are transliterated,
            never translated: no ``CROSS_SCRIPT_CONFLICT`` allowance).

    Returns:
        The outcome, with ``raw`` the ratio before calibration.
    """
    legal_left, legal_right = left.legal_forms, right.legal_forms
    legal = compare_legal_forms(legal_left, legal_right) if legal_left and legal_right else "absent"
    if vessel and bool(legal_left) != bool(legal_right):
        legal = "company vs vessel"
    parts_left = left_parts if left_parts is not None else form_parts(left, rarity)
    if left.letters == right.letters:
        return Outcome(
            raw=1.0,
            pairs=[Pair(p, p, 1.0, "exact") for p in parts_left],
            matched=sum(p.weight for p in parts_left),
            legal=legal,
            legal_left=legal_left,
            legal_right=legal_right,
            same_letters=True,
            pairs_left_tokens=left.words,
        )
    parts_right = right_parts if right_parts is not None else form_parts(right, rarity)
    pairs, left_only, right_only = align_parts(parts_left, parts_right)
    if (left_only or right_only or any(p.similarity < 0.95 for p in pairs)) and (
        len(parts_left) > 1 or len(parts_right) > 1
    ):
        weak_left = left_only + [p.left for p in pairs if p.similarity < 0.95]
        weak_right = right_only + [p.right for p in pairs if p.similarity < 0.95]
        merged_left = merge_parts(
            parts_left, parts_right, targets=weak_right, person=person, acronyms=False
        )
        merged_right = merge_parts(parts_right, merged_left, targets=weak_left, person=person)
        if merged_left is not parts_left or merged_right is not parts_right:
            pairs, left_only, right_only = align_parts(merged_left, merged_right)
    if left_only:
        left_only = explained_links(left_only, right)
    if right_only:
        right_only = explained_links(right_only, left)
    matched = 0.0
    factor = 1.0
    extra = 0.0
    for pair in pairs:
        a, b = pair.left, pair.right
        # Letters standing for words weigh what the letters weigh; the words' weight
        # beyond that is unmatched ("S.V." is weak evidence of "Savobel Vora").
        if pair.rule == "initial" or (pair.rule == "acronym" and len(a.token.text) <= 2):
            small, big = (a, b) if a.weight <= b.weight else (b, a)
            matched += small.weight
            if big.weight:
                extra += (big.weight - small.weight) * big.extra / big.weight
        else:
            matched += (a.weight + b.weight) / 2.0
        sim = pair.similarity
        # (pair_penalty's first value, the whole of it for most pairs.)
        if sim >= DOUBT_HIGH or pair.rule not in FUZZY_RULES:
            factor *= 1.0 - TYPO_SLOPE * (1.0 - sim)
        else:
            factor *= 1.0 - pair_penalty(pair)
    # Unmatched tokens facing unmatched tokens of the other name are conflicts (paired
    # heaviest first); the rest are extras.
    order_left = sorted(left_only, key=_heaviest) if len(left_only) > 1 else left_only
    order_right = sorted(right_only, key=_heaviest) if len(right_only) > 1 else right_only
    conflicts = min(len(order_left), len(order_right))
    for a, b in zip(order_left[:conflicts], order_right[:conflicts], strict=True):
        penalty = max(CONFLICT_PENALTIES[a.role], CONFLICT_PENALTIES[b.role])
        if (
            not (person or vessel)
            and (a.token.script == LATIN) != (b.token.script == LATIN)
            and a.role != "number"
            and b.role != "number"
        ):
            penalty *= CROSS_SCRIPT_CONFLICT
        factor *= 1.0 - penalty
    remaining = order_left[conflicts:] + order_right[conflicts:]
    # A word written twice where the other name has another word ("Mohamed Mohamed" /
    # "Osman Mohamed"): the repeat stands in that word's place, a conflict. Not when the
    # leftover is that word itself (a name written in two scripts repeats its words).
    repeated = 0
    if remaining and any(p.role == "distinctive" for p in remaining):
        twice = repeats(left if len(order_left) < len(order_right) else right)
        if twice:
            others = [p for p in remaining if p.token.text not in twice]
            repeated = min(sum(twice.values()), len(others))
            for part in others[:repeated]:
                factor *= 1.0 - CONFLICT_PENALTIES[part.role]
            stand_in = {id(p) for p in others[:repeated]}
            remaining = [p for p in remaining if id(p) not in stand_in]
    swapped = patronymic_swap(left, right)
    if swapped:
        # A son's name against his father's: a conflict, whatever words agree.
        factor *= 1.0 - CONFLICT_PENALTIES["distinctive"]
    extra += sum(p.extra for p in remaining)
    for part in remaining:
        if part.role == "country" and not vessel:
            factor *= COUNTRY_EXTRA_FACTOR
        elif vessel and part.role == "number":
            factor *= VESSEL_NUMBER_EXTRA_FACTOR
        elif part.role == "number" and not person and roman_value(part.token.surface.lower()):
            factor *= SERIES_EXTRA_FACTOR
    coverage = matched / (matched + GAMMA_EXTRA * extra) if matched > 0 else 0.0
    raw = coverage * factor
    if legal in ("conflict", "company vs vessel"):
        raw *= LEGAL_CONFLICT_FACTOR
    return Outcome(
        raw=raw,
        pairs=pairs,
        left_only=left_only,
        right_only=right_only,
        matched=matched,
        conflict=float(conflicts + repeated + swapped),
        extra=extra,
        legal=legal,
        legal_left=legal_left,
        legal_right=legal_right,
    )


def _heaviest(part: Part) -> float:
    return -part.weight


def _korean_guess(form: NameForm) -> bool:
    """A guessed Korean reading of a name in hanja (``names.korean``): Hangul words only."""
    return form.guess and all(t.script == HANGUL for t in form.words)


def _whole_and_in_order(outcome: Outcome, guess: NameForm, other: NameForm, left: bool) -> bool:
    """Whether every word of both forms is paired, in the guess's order (or rotated: the
    surname moved to the end, "Jong Un KIM"), each the same syllable (a romanisation of
    it, not a near spelling: "yu" / "Yiu" are two names)."""
    if outcome.left_only or outcome.right_only:
        return False
    if any(
        pair.rule not in ("exact", "romanisation")
        and korean_key(pair.left.token.text) != korean_key(pair.right.token.text)
        for pair in outcome.pairs
    ):
        return False

    def position(form: NameForm, token: Token) -> int:
        for i, word in enumerate(form.words):
            if word is token:
                return i
        return form.words.index(token) if token in form.words else -1

    order = sorted(
        (
            position(guess, (pair.left if left else pair.right).tokens[0]),
            position(other, (pair.right if left else pair.left).tokens[0]),
        )
        for pair in outcome.pairs
    )
    seq = [o for _, o in order]
    descents = sum(a > b for a, b in pairwise(seq))
    return descents == 0 or (descents == 1 and seq[-1] < seq[0])


def score_analyses(
    left: NameAnalysis,
    right: NameAnalysis,
    rarity: Rarity,
    *,
    left_parts: list[list[Part]] | None = None,
    right_parts: list[list[Part]] | None = None,
    vessel: bool = False,
) -> Outcome:
    """The best outcome over the forms of two analysed names (never former vs former).

    Args:
        left: The query name.
        right: The listed name.
        rarity: The rarity table.
        left_parts: Parts of each form of ``left``, when already computed.
        right_parts: Parts of each form of ``right``, when already computed.
        vessel: The names are vessels' names (see :func:`score_forms`).

    Returns:
        The best outcome; ``former`` tells which side's former name matched, if any.
    """
    best: Outcome | None = None
    for i, form_left in enumerate(left.forms):
        for j, form_right in enumerate(right.forms):
            if form_left.former and form_right.former:
                continue
            # A guessed reading (kanji read as Japanese) says little alone: it meets only
            # a name of two words or more ("何娜" read "nanda" is not the listed "NANDA").
            if (form_left.guess and len(form_right.words) < 2) or (
                form_right.guess and len(form_left.words) < 2
            ):
                continue
            outcome = score_forms(
                form_left,
                form_right,
                rarity,
                left_parts=left_parts[i] if left_parts is not None else None,
                right_parts=right_parts[j] if right_parts is not None else None,
                vessel=vessel,
                person=left.person or right.person,
            )
            # A Korean reading guessed for hanja ("金" is Kim, and Jin for a Chinese name)
            # counts only when it agrees with the whole other name, word for word in
            # order: a Chinese name's syllables meet Korean ones often enough by chance.
            if _korean_guess(form_left) and not _whole_and_in_order(
                outcome, form_left, form_right, True
            ):
                continue
            if _korean_guess(form_right) and not _whole_and_in_order(
                outcome, form_right, form_left, False
            ):
                continue
            if form_left.former or form_right.former:
                outcome = replace(outcome, former="query" if form_left.former else "listed")
            if best is None or outcome.raw > best.raw:
                best = outcome
            if best.raw >= 1.0:
                return best
    assert best is not None
    return best


def is_person(schema: Schema) -> bool:
    """Whether names of this schema are analysed as persons' names."""
    return schema is Schema.PERSON


def person_hint(schema: Schema) -> bool | None:
    """How to analyse names of this schema: a person's, not a person's, or unknown."""
    if schema is Schema.UNKNOWN:
        return None
    return schema is Schema.PERSON


__all__ = [
    "CONFLICT_PENALTIES",
    "GAMMA_EXTRA",
    "LEGAL_CONFLICT_FACTOR",
    "Outcome",
    "Pair",
    "Part",
    "align_parts",
    "compare_legal_forms",
    "form_parts",
    "is_person",
    "make_part",
    "merge_parts",
    "person_hint",
    "score_analyses",
    "score_forms",
]
