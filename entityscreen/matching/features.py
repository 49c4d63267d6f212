"""The match score as named features with fitted weights (matching 0.4).

The scorer (:mod:`entityscreen.matching.scorer`) aligns two names and says *what* agrees
and what differs; its ratio, calibrated as in 0.3 (:mod:`.calibration`), is the *base*
score. The base is judged pair by pair; screening is judged at the real base rate, where
a query meets ~100,000 listed names and almost no customer is listed. So the score is a
logistic model whose offset is the base score and whose features are the kinds of weak
evidence that, across a whole customer base, raise false alerts:

    score = sigmoid(logit(base) + bias + sum(weight[f] * value[f] for f in FEATURES))

Each feature is a small pure function of the scorer's outcome and of what is known about
both sides; it returns its value and a few words for the explanation. The weights are
fitted by ``bench/fit_model.py`` on data *generated* at the real base rate (invented
customers of many locales against the listed names their queries meet, listed names
changed as customer files change them, and near names of other listed parties), never on
the labelled evaluation sets; they ship as data (``data/model.json``).

Every weight and the bias are held at or below zero in the fit: the model only *lowers*
the base score, by as much as each kind of weak evidence has cost at the base rate. This
keeps what 0.3 got right on pairs (nothing scores higher than it did) and makes each
feature's contribution a penalty the explanation can name.

Two rules are not left to the fit, because they must hold whatever the weights:

* a weak alias (OFAC "weak a.k.a.", UN "Low" quality, FtM ``weakAlias``), and a one-word
  name met by a person's name ("MIKE", "ARTHUR"), never alerts on its own unless the query
  is that exact name; the score is then capped below the default threshold (``WEAK_CAP``)
  and the match says it is weak;
* an acronym is evidence only when the query is the acronym: a customer's ordinary words
  never meet a listed acronym by their initials ("Halcyon Telecom Services" is not "HTS";
  see ``align.merge_parts``).

Since 0.4.2 two more: a person never alerts on an organisation, vessel or aircraft (or
the reverse) when both schemas are known (``schema_conflict`` caps the score); and a
person's name in Chinese (or Korean) syllables that one name has and
the other lacks (``syllable_gap``) is capped like a weak name. A given name there is one
unit of one or two syllables, with no middle names to leave out: "Zhang Ping" is another
person than "ZHANG, Jiang Ping", "Guo Ying" than "WANG, Guo Ying". As a fitted penalty it
could not move the steep person calibration's near-1 scores below the threshold (it left
about one false alert in five on invented Chinese names).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Schema
from ..names.syllables import is_syllabic
from ..names.tokens import Token
from ..names.transliterate import HAN, HANGUL, KANA, LATIN
from .calibration import calibrate
from .fitted import Model, base_logit, default_model
from .rarity import Rarity
from .scorer import Outcome, Part
from .weak import FUZZY, short_near, weak_name
from .weak import crossing as _inexact_crossing
from .weak import distinctive as _distinctive
from .weak import inexact as _inexact

#: Threshold at or above which a score is reported as a match.
DEFAULT_THRESHOLD = 0.70

#: The score of a weak alias or a person's one-word name that is not the query's exact
#: name: below the default threshold, so it never alerts on its own.
WEAK_CAP = 0.6
_THINGS = frozenset({Schema.ORGANIZATION, Schema.VESSEL, Schema.AIRCRAFT})
#: Scripts whose tokens are read from a dictionary, syllable by syllable or word by word.
_READ_SCRIPTS = frozenset({HAN, HANGUL, KANA})


@dataclass(frozen=True, slots=True)
class Context:
    """What is known about the two sides besides their names.

    Attributes:
        party_schema: The screened party's schema (``UNKNOWN`` when not given).
        entry_schema: The listed entry's schema.
        weak: The listed name is a weak alias.
        rarity: The token table of the listed names (which words are real names).
    """

    party_schema: Schema = Schema.UNKNOWN
    entry_schema: Schema = Schema.UNKNOWN
    weak: bool = False
    rarity: Rarity | None = None

    @property
    def person(self) -> bool:
        return Schema.PERSON in (self.party_schema, self.entry_schema)


Feature = Callable[[Outcome, Context], tuple[float, str]]


def _matched(outcome: Outcome) -> float:
    return max(outcome.matched, 1e-9)


def little_evidence(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """How little agrees, absolutely: 1 when nothing, 0 from a rarity weight of 12 up
    (two fairly rare words) of aligned tokens."""
    value = max(0.0, 1.0 - outcome.matched / 12.0)
    return value, "little agreeing evidence" if value >= 0.4 else ""


def query_only(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Share of the query's identifying weight the listed name lacks."""
    extra = sum(p.extra for p in outcome.left_only)
    value = extra / (extra + _matched(outcome))
    return value, "query words missing from the listed name" if value >= 0.25 else ""


def listed_only(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Share of the listed name's identifying weight the query lacks."""
    extra = sum(p.extra for p in outcome.right_only)
    value = extra / (extra + _matched(outcome))
    return value, "listed words missing from the query" if value >= 0.25 else ""


def conflicts(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Tokens of each name facing a different token of the other (0, 1, 2+)."""
    value = min(outcome.conflict, 2.0)
    return value, "different words in place" if value else ""


def fuzzy(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Share of the agreeing weight that agrees only by typo or spelling rules."""
    weight = sum((p.left.weight + p.right.weight) / 2 for p in outcome.pairs if p.rule in FUZZY)
    value = min(weight / _matched(outcome), 1.0)
    return value, "agreement by spelling similarity" if value >= 0.5 else ""


def _leftovers(outcome: Outcome, ctx: Context) -> tuple[list[Part], list[Part]]:
    """The words each name leaves unexplained. In an organisation's name, leftover words
    of one script facing leftovers of another are taken for words and their translation
    ("Shipyard" / "သင်္ဘောကျင်း", "Bakeries" / "מאפיות"), as the scorer's
    ``CROSS_SCRIPT_CONFLICT`` allowance does: they are left out here."""
    left, right = outcome.left_only, outcome.right_only
    if not ctx.person and left and right:
        left_latin = {p.token.script == LATIN for p in left}
        right_latin = {p.token.script == LATIN for p in right}
        if len(left_latin) == len(right_latin) == 1 and left_latin != right_latin:
            return [], []
    return left, right


def _unexplained(outcome: Outcome, ctx: Context) -> bool:
    """Either name has a distinctive word or number the other does not explain."""
    left, right = _leftovers(outcome, ctx)
    return _distinctive(left) + _distinctive(right) > 0


def skeleton(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Share of the agreeing weight that agrees only by consonant skeletons (vowelless
    readings of Arabic, Hebrew, Brahmic scripts against Latin) *while other words are
    left unexplained*: a skeleton reading needs the rest of the name to agree."""
    if not _unexplained(outcome, ctx):
        return 0.0, ""
    weight = sum(
        (p.left.weight + p.right.weight) / 2 for p in outcome.pairs if p.rule == "consonants"
    )
    value = min(weight / _matched(outcome), 1.0)
    return value, "agreement by consonants only, other words differ" if value >= 0.5 else ""


def cross_single(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """The whole agreement is one word read across scripts ("סבג" / "SBIG"): one word's
    reading says little; two or more read alike say much more."""
    if len(outcome.pairs) != 1:
        return 0.0, ""
    p = outcome.pairs[0]
    if not _inexact_crossing(p):
        return 0.0, ""
    return (2.0 if p.rule == "consonants" else 1.0), "one word read across scripts"


def skeleton_short(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """A skeleton reading of a word of two consonants or fewer ("rd" / "Rad"): one
    word in some hundred has it."""
    for p in outcome.pairs:
        if p.rule == "consonants" and min(len(p.left.token.text), len(p.right.token.text)) <= 2:
            return 1.0, "two-consonant reading"
    return 0.0, ""


#: A word counted in at least this many listed names is a name of its own, not a typo.
KNOWN_WORD = 3


def fuzzy_known(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Share of the agreeing weight from inexact pairs whose query word is itself a word
    of the listed names: "Jianming" is another name than "Jianping", not a typo of it."""
    rarity = ctx.rarity
    if rarity is None:
        return 0.0, ""
    weight = 0.0
    for pair in outcome.pairs:
        if _inexact(pair):
            text = pair.left.token.text
            if rarity.frequency(text) >= KNOWN_WORD:
                weight += (pair.left.weight + pair.right.weight) / 2
    value = min(weight / _matched(outcome), 1.0)
    return value, "a near word that is a name of its own" if value >= 0.3 else ""


def syllabic(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """For people's names: share of the agreeing weight carried by words made of one or
    two Chinese syllables ("Yang", "Jianming"): far commoner among people than on the
    lists, so weaker evidence than their list rarity says."""
    if not ctx.person or not outcome.pairs:
        return 0.0, ""
    weight = sum(
        (p.left.weight + p.right.weight) / 2
        for p in outcome.pairs
        if is_syllabic(p.left.token.text) and is_syllabic(p.right.token.text)
    )
    value = min(weight / _matched(outcome), 1.0)
    return value, "common syllabic names" if value >= 0.5 else ""


def _syllables(token: Token, most: int) -> bool:
    """The token is one to ``most`` Chinese syllables in pinyin, or was read from Han,
    Hangul or kana (every such token is a syllable or a name of syllables: 김 "gim",
    이 "i" are Korean family names that no pinyin inventory holds)."""
    return token.script in _READ_SCRIPTS or is_syllabic(token.text, most)


def syllable_gap(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """For people's names written in pinyin syllables: syllables one name has and the
    other lacks (0 to 2) while every agreeing word is syllabic. A Chinese given name is
    one unit of one or two syllables: "Guo Ying" is another person than "WANG, Guo
    Ying", and "Chen Bing" than "CHEN, Bing Shen", where a Western middle name left out
    ("John Smith" / "John Michael Smith") is not."""
    if not ctx.person or not outcome.pairs:
        return 0.0, ""
    if not all(_syllables(p.left.token, 2) for p in outcome.pairs):
        return 0.0, ""
    # When every agreeing word is a single syllable ("Li Chang" / "LI CHANG HO"), the
    # name is written syllable by syllable, and a leftover word of a syllable's length
    # (six letters at most, as "zhuang") is a syllable of it even in a romanisation
    # pinyin lacks (Korean "ho", "ro", Thai "kriang", Wade-Giles "hsi").
    monosyllabic = len(outcome.pairs) >= 2 and all(
        _syllables(p.left.token, 1)
        and (_syllables(p.right.token, 1) or len(p.right.token.text) <= 4)
        for p in outcome.pairs
    )
    missing = sum(
        1
        for p in outcome.left_only + outcome.right_only
        if p.role == "distinctive"
        and (_syllables(p.token, 1) or (monosyllabic and len(p.token.text) <= 6))
    )
    value = float(min(missing, 2))
    return value, "a syllable of a Chinese or Korean name missing" if value else ""


def lone_fuzzy(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """The names agree on one word alone, and only nearly ("Silveira" / "Silvera",
    "Reuter" / "ROUTER"): among a hundred thousand listed names, some word is always
    one letter away from a customer's. Organisations only: for people's names the
    weak-name rule caps it (``_one_near_word``), and their spelling evidence keeps its
    own weights (``fuzzy``, ``person_fuzzy``)."""
    if ctx.person or len(outcome.pairs) != 1:
        return 0.0, ""
    return (1.0, "one near word only") if _inexact(outcome.pairs[0]) else (0.0, "")


def query_only_count(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Distinctive words or numbers only the query has (0 to 3)."""
    return float(min(_distinctive(outcome.left_only), 3)), ""


def listed_only_count(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Distinctive words or numbers only the listed name has (0 to 3)."""
    return float(min(_distinctive(outcome.right_only), 3)), ""


def short_fuzzy(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """An inexact short word (``weak.short_near``): "Dow" / "DOV", "Hing" / "Shing" are other
    companies; a person's vowelless word of three or four letters read across scripts
    meets many Latin names by chance, and a letter more or less in a short name is
    usually another name ("Jon" / "John", "Isa" / "Issa", "Abu" / "Abdu")."""
    if ctx.person:
        near = short_near(outcome, "crossing") or short_near(outcome, "other")
    else:
        near = short_near(outcome)
    return (1.0, "inexact short word") if near else (0.0, "")


def person_short_slip(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """A person's short name with one letter changed in place, in Latin letters ("Musk" /
    "Mosk", "Asif" / "Arif", "Yong" / "Jong"), weighed apart: a key slipped or a vowel
    heard differently keeps the name's length, where a short company word one letter
    off, a short name a letter longer, or a vowelless one a letter off is usually
    another's."""
    if not ctx.person or not short_near(outcome, "slip"):
        return 0.0, ""
    return 1.0, "inexact short word"


def cross_script(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Share of the aligned pairs read across scripts (one side not Latin) *while other
    words are left unexplained*: a reading across scripts needs the rest to agree."""
    if not outcome.pairs or not _unexplained(outcome, ctx):
        return 0.0, ""
    crossed = sum(1 for p in outcome.pairs if _inexact_crossing(p))
    return crossed / len(outcome.pairs), ""


def acronym(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """The query's acronym meets the listed words ("PLA" / "People's Liberation Army").
    Between people's names the same alignment is initials ("J.A." / "Jan Antonin"),
    which the person features weigh: not counted here."""
    if ctx.person:
        return 0.0, ""
    if any(p.rule == "acronym" and p.right.acronym for p in outcome.pairs):
        return 1.0, "acronym"
    return 0.0, ""


def single_pair(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Only one word agrees while the names have more distinctive words (a country or a
    generic word left over does not count: "Sberbank Rossii" / "PAO Sberbank")."""
    words = len(outcome.pairs) + _distinctive(outcome.left_only) + _distinctive(outcome.right_only)
    if len(outcome.pairs) == 1 and words > 1 and not outcome.same_letters:
        return 1.0, "one word in common"
    return 0.0, ""


def schema_conflict(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """A person against an organisation, vessel or aircraft (both schemas known)."""
    a, b = ctx.party_schema, ctx.entry_schema
    if (a is Schema.PERSON and b in _THINGS) or (a in _THINGS and b is Schema.PERSON):
        return 1.0, f"a {a.value} against a {b.value}"
    return 0.0, ""


def legal_conflict(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Legal forms that cannot be the same company's (a GmbH is not an AG)."""
    if outcome.legal in ("conflict", "company vs vessel"):
        return 1.0, "legal forms differ"
    return 0.0, ""


def person(outcome: Outcome, ctx: Context) -> tuple[float, str]:
    """Names of people (common given and family names recur across the world)."""
    return (1.0, "") if ctx.person else (0.0, "")


def _for_person(feature: Feature) -> Feature:
    """The same feature counted again for people's names, whose words are fewer and
    recur more ("Jianming" / "Jianping" are two names; "Trading" / "Tradings" one word)."""

    def weighed(outcome: Outcome, ctx: Context) -> tuple[float, str]:
        if not ctx.person:
            return 0.0, ""
        value, _ = feature(outcome, ctx)
        return value, ""

    weighed.__doc__ = f"{feature.__name__}, for people's names only."
    return weighed


#: Every feature, by name, in the order of the model's weights.
FEATURES: dict[str, Feature] = {
    "little_evidence": little_evidence,
    "query_only": query_only,
    "listed_only": listed_only,
    "conflicts": conflicts,
    "fuzzy": fuzzy,
    "skeleton": skeleton,
    "skeleton_short": skeleton_short,
    "cross_single": cross_single,
    "short_fuzzy": short_fuzzy,
    "fuzzy_known": fuzzy_known,
    "syllabic": syllabic,
    "syllable_gap": syllable_gap,
    "lone_fuzzy": lone_fuzzy,
    "query_only_count": query_only_count,
    "listed_only_count": listed_only_count,
    "cross_script": cross_script,
    "acronym": acronym,
    "single_pair": single_pair,
    "schema_conflict": schema_conflict,
    "legal_conflict": legal_conflict,
    "person": person,
    "person_query_only": _for_person(query_only),
    "person_listed_only": _for_person(listed_only),
    "person_conflicts": _for_person(conflicts),
    "person_fuzzy": _for_person(fuzzy),
    "person_short_slip": person_short_slip,
    "person_query_only_count": _for_person(query_only_count),
    "person_listed_only_count": _for_person(listed_only_count),
}


def extract(outcome: Outcome, ctx: Context) -> tuple[dict[str, float], list[str]]:
    """Every feature's value for one outcome, and the words of those that spoke."""
    values: dict[str, float] = {}
    notes: list[str] = []
    for key, feature in FEATURES.items():
        value, note = feature(outcome, ctx)
        values[key] = value
        if note:
            notes.append(note)
    return values, notes


def match_features(outcome: Outcome, values: dict[str, float]) -> dict[str, float | str]:
    """The ``features`` of a match or comparison: the alignment figures and every model
    feature's value (``f_`` + name), for audit and the API."""
    numbers_left = {p.token.text for p in outcome.left_only if p.role == "number"}
    numbers_right = {p.token.text for p in outcome.right_only if p.role == "number"}
    out: dict[str, float | str] = {
        "raw": round(outcome.raw, 4),
        "matched_weight": round(outcome.matched, 3),
        "conflicts": outcome.conflict,
        "extra_weight": round(outcome.extra, 3),
        "aligned": float(len(outcome.pairs)),
        "query_only": float(len(outcome.left_only)),
        "listed_only": float(len(outcome.right_only)),
        "legal_forms": outcome.legal,
        "number_conflict": 1.0 if numbers_left and numbers_right else 0.0,
        "rules": ",".join(sorted({p.rule for p in outcome.pairs})),
    }
    if outcome.former:
        out["former_name"] = outcome.former
    out.update({f"f_{k}": round(v, 4) for k, v in values.items()})
    return out


def score_outcome(
    outcome: Outcome, ctx: Context, model: Model | None = None
) -> tuple[float, dict[str, float], list[str]]:
    """The score of one outcome: the model's probability, with the weak-name cap.

    Returns:
        The score, the feature values and the notes for the explanation.
    """
    if outcome.raw >= 1.0 and outcome.same_letters and not ctx.weak:
        values, notes = extract(outcome, ctx)
        if not values["schema_conflict"]:
            return 1.0, values, notes
    if outcome.raw <= 0.0:
        return 0.0, {}, []
    values, notes = extract(outcome, ctx)
    base = calibrate(outcome.raw, person=ctx.entry_schema is Schema.PERSON)
    score = (model or default_model()).combine(base, values)
    if weak_name(outcome, person=ctx.person, weak=ctx.weak) and score > WEAK_CAP:
        score = WEAK_CAP
        notes.append("weak alias, one-word or two-letter name: alerts only as the exact name")
    elif score > WEAK_CAP and syllable_gap(outcome, ctx)[0]:
        score = WEAK_CAP
        notes.append("a given name of syllables is one unit: another person, capped")
    elif score > WEAK_CAP and values["schema_conflict"]:
        # A person is not a company, vessel or aircraft, whatever their names share: the
        # fitted penalty alone could not move a near-certain base score ("罗洋" / "Luoyang
        # Institute of Technology" stayed at 0.82).
        score = WEAK_CAP
        notes.append("a person against a company, vessel or aircraft: capped")
    elif ctx.weak:
        notes.append("weak alias (exact)")
    return score, values, notes


__all__ = [
    "DEFAULT_THRESHOLD",
    "FEATURES",
    "WEAK_CAP",
    "Context",
    "Model",
    "base_logit",
    "default_model",
    "extract",
    "match_features",
    "score_outcome",
    "weak_name",
]
