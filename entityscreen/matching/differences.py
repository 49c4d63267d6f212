"""How two names differ as names, beyond their words' similarity: rules the scorer
(:mod:`entityscreen.matching.scorer`) applies to a pair of forms after aligning them.

* a near pair of words many edits apart is another name, not a misspelling
  (:func:`far_apart`);
* "A bin B" against "B bin A" is the son against the father (:func:`patronymic_swap`);
* a link word moved to a name's edge is no word of its own (:func:`explained_links`);
* a word written twice stands where the other name has another word (:func:`repeats`).

Apart from the scorer for its size, and because each is a small pure function of
tokens that its tests exercise on generated names of that shape.
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz.distance import OSA

from ..names.analysis import NameForm
from ..names.phonetic import translit_key
from ..names.tokens import TokenKind
from ..names.transliterate import ABJAD
from .parts import Pair, Part

#: A pair found by the typo or spelling rule whose words are this many edits apart or
#: more (two with vowels alike, see :func:`far_apart`) costs a whole conflict, however
#: long the words: a misspelling changes a letter or two ("Merkel" / "Merkur"), three
#: edits make another name ("Shamsuddin" / "Shahabuddin", "Castillo" / "Castro",
#: "Petromechanical" / "Petrochemical") that the length-scaled similarity rates too near.
FAR_EDITS = 3
#: A shared stem of ``STEM`` letters or more, then endings of ``ENDING`` letters or fewer
#: (one shorter) are an ending's change: "-os" / "-er", not "-vich" / "-nko" (see
#: :func:`far_apart`).
STEM = 5
ENDING = 3
#: Vowels and runs of them, all read alike by :func:`far_apart` (with "j", a glide that
#: transliterations write for "y" or "i": "Verkhnyaya" / "Werchnjaja").
_VOWEL_RUNS = re.compile(r"[aeiouyj]+")
#: Words that link a person's own name to the father's ("A bin B": A, son of B).
PATRONYMIC_LINKS = frozenset({"bin", "ibn", "ben", "bint", "binti", "bte", "ould", "bn", "bnt"})
#: Letters every link word holds one of ("ibn", "bnt" hold "bn"; "bint" holds "bin").
_LINK_LETTERS = ("bin", "bn", "ben", "bte", "ould")


def _links(form: NameForm) -> list[tuple[str, str]]:
    """The (own name, father's name) keys around each patronymic link of a form."""
    tokens = form.tokens
    out: list[tuple[str, str]] = []
    for i, token in enumerate(tokens):
        if token.text not in PATRONYMIC_LINKS or i == 0:
            continue
        before = [t for t in tokens[:i] if t.kind is TokenKind.WORD]
        after = [t for t in tokens[i + 1 :] if t.kind is TokenKind.WORD]
        if before and after:
            out.append((translit_key(before[-1].text), translit_key(after[0].text)))
    return out


def explained_links(parts: list[Part], other: NameForm) -> list[Part]:
    """Leftover words without the patronymic links the other name writes as links: a link
    moved to a name's edge by reordering ("Salman Mohammed bin" / "Mohammed bin Salman")
    is read as a word there, but says nothing the other name lacks."""
    if not any(p.token.text in PATRONYMIC_LINKS for p in parts):
        return parts
    links = {t.text for t in other.tokens if t.kind is TokenKind.STOP} & PATRONYMIC_LINKS
    return [p for p in parts if p.token.text not in links] if links else parts


def repeats(form: NameForm) -> Counter[str]:
    """The words a form writes again after the first time ("Mohamed Mohamed"), each with
    how many more times: the tokens keep one, the name has them all."""
    words = form.text.split()
    if len(words) <= len(form.words):
        return Counter()
    texts = {t.text for t in form.words if t.kind is TokenKind.WORD}
    return Counter({w: c - 1 for w, c in Counter(words).items() if c > 1 and w in texts})


def _may_link(letters: str) -> bool:
    """Whether a form's letters hold a link word at all (substring tests: every form is
    asked, and few have one)."""
    return any(link in letters for link in _LINK_LETTERS)


def patronymic_swap(left: NameForm, right: NameForm) -> bool:
    """Whether one name is "A bin B" and the other "B bin A": the father's name and the
    son's, another person whatever else agrees (the same for ibn, ben, bint, ould)."""
    if not (_may_link(left.letters) and _may_link(right.letters)):
        return False
    links_left = _links(left)
    if not links_left:
        return False
    return any(a == d and b == c and a != b for a, b in links_left for c, d in _links(right))


def far_apart(pair: Pair) -> bool:
    """Whether a typo or spelling pair of one script is another name: ``FAR_EDITS`` edits
    apart or more as written, and still two apart with every vowel alike, as written and
    by transliteration keys ("Castillo" / "Castro": "kastala" / "kastra"). Vowels are
    how transliterations differ most ("Mohamed" / "Muhammad", "Hussein" / "Husayn" are
    one name, "mahamad" / "mahamad"). Not when the words share a stem and differ in their
    last three letters or fewer, an inflected or gendered ending ("Alexandros" /
    "Alexander"), nor across scripts (a transliteration drifts further than a
    misspelling does). Words written without vowels (Arabic, Hebrew) are far from two
    edits, wherever they are: each is a consonant ("pzshkfr" / "pzshkyn")."""
    x, y = pair.left.token, pair.right.token
    if pair.rule not in ("typo", "spelling") or x.script != y.script:
        return False
    if x.script == ABJAD:
        return OSA.distance(x.text, y.text, score_cutoff=FAR_EDITS - 1) >= FAR_EDITS - 1
    for a, b in ((x.text, y.text), ((x.surface or x.text).lower(), (y.surface or y.text).lower())):
        if OSA.distance(a, b, score_cutoff=FAR_EDITS) < FAR_EDITS or _ending_only(a, b):
            return False
        for fold_a, fold_b in ((a, b), (translit_key(a), translit_key(b))):
            fold_a, fold_b = _VOWEL_RUNS.sub("a", fold_a), _VOWEL_RUNS.sub("a", fold_b)
            if OSA.distance(fold_a, fold_b, score_cutoff=2) < 2:
                return False
    return True


def _ending_only(a: str, b: str) -> bool:
    stem = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        stem += 1
    ends = sorted((len(a) - stem, len(b) - stem))
    return stem >= STEM and ends[0] < ENDING and ends[1] <= ENDING


__all__ = [
    "ENDING",
    "FAR_EDITS",
    "PATRONYMIC_LINKS",
    "STEM",
    "explained_links",
    "far_apart",
    "patronymic_swap",
    "repeats",
]
