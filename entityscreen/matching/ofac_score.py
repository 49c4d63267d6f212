"""An OFAC-style name score: what OFAC's Sanctions List Search (SLS) would show.

A second algorithm beside ours (``--algorithm ofac``), for users who are asked "what would
OFAC's own tool say?". It reproduces, it does not improve: where SLS is permissive (a
shared first name carries a long name), so is this. Built from what OFAC publishes (FAQs
246-251) and from public reverse-engineering of the tool (nomenklatura's
``plans/ofac-name-matcher.md``, moov-io/watchman issues #115 and #338); no rule here was
fitted on our evaluation data (docs/matching.md, "The OFAC-style score").

What OFAC says (FAQ 249): Jaro-Winkler and Soundex; two techniques, the higher wins:

1. the whole name string entered against the whole listed name, Jaro-Winkler;
2. the name split into parts, each part compared with the listed name's parts
   (Jaro-Winkler and Soundex), a composite over the parts entered.

Only the name counts (FAQ 251); the score is 0-100, 100 an exact match (FAQ 247).

The details OFAC does not publish, as public reverse-engineering describes them:

* names are upper-cased and every character that is not a letter or digit is a space
  ("AL-QAEDA" = "AL QAEDA", "PUTIN, Vladimir" = "PUTIN VLADIMIR"); no transliteration
  (a Cyrillic query finds nothing in Latin names);
* Jaro-Winkler adds the common-prefix bonus (4 letters at most, 0.1 each) whatever the
  Jaro similarity, as the SimMetrics library of the tool's era does, not only above 0.7
  as Winkler's paper and rapidfuzz do;
* technique 1 only when the two strings start with the same character (the "first
  letter" of FAQ 249): "GEORGE BUSH" finds "GEORGIOU, Georgios", "BUSH GEORGE" does not;
* technique 2 is the mean over the parts entered of each part's best Jaro-Winkler
  against the listed parts; a part whose best is under 0.5 counts 0 (the "50% similar"
  of FAQ 249), unless its Soundex code equals a listed part's (the phonetic half);
  extra listed parts cost nothing ("PUTIN" is 100 against "PUTIN, Vladimir");
* parts of one or two characters are left out of the mean, unless nothing else is left
  ("KIM JONG UN" is 100 against "KIM, Jong Sik").
"""

from __future__ import annotations

from dataclasses import dataclass

import jellyfish
from rapidfuzz.distance import Jaro

from ..errors import InputError
from ..names import MAX_NAME_LENGTH

OFAC_ALGORITHM_VERSION = "ofac-sls-1"

#: The score (as a share, 0.80 = 80) from which screening with the OFAC-style score
#: reports a match when no threshold is given. SLS's slider starts at 100 (FAQ 248: exact
#: matches only) and OFAC recommends no threshold (FAQ 250); 100 would hide every spelling
#: variant, so we start where the public captures of the tool were taken and where
#: practitioners set it (80-85).
OFAC_DEFAULT_THRESHOLD = 0.80

#: Jaro-Winkler's prefix bonus: at most this many common leading characters...
_PREFIX_MAX = 4
#: ...each adding this share of what Jaro left.
_PREFIX_SCALE = 0.1
#: A name part whose best Jaro-Winkler is under this counts nothing ("50% similar").
_PART_FLOOR = 0.5
#: Parts entered of at most this many characters are left out of the composite.
_SHORT_PART = 2


@dataclass(frozen=True, slots=True)
class PartScore:
    """One name part entered and its best listed part."""

    part: str
    best: str
    similarity: float
    counted: float
    soundex: bool
    short: bool = False


@dataclass(frozen=True, slots=True)
class OfacScore:
    """The OFAC-style score of one query name against one listed name.

    Attributes:
        score: 0-100, as SLS shows it (the higher technique, rounded).
        whole: Technique 1, whole-string Jaro-Winkler in [0, 1]; 0 when the first
            characters differ.
        parts: Technique 2, the mean over the counted parts entered, in [0, 1].
        details: Each part entered with its best listed part (left-out short parts too,
            with ``short`` set).
        gated: Whether technique 1 was skipped because the first characters differ.
    """

    score: int
    whole: float
    parts: float
    details: tuple[PartScore, ...]
    gated: bool


def normalize_ofac(name: str) -> str:
    """A name as SLS compares it: upper case, every non-letter non-digit a space, spaces
    squashed.

    Raises:
        InputError: not a string, longer than the longest name we take, or nothing left.
    """
    if not isinstance(name, str):
        raise InputError("a name must be text")
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(f"name longer than {MAX_NAME_LENGTH} characters")
    text = "".join(ch if ch.isalnum() else " " for ch in name.upper())
    text = " ".join(text.split())
    if not text:
        raise InputError("name has no letters or digits")
    return text


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler as SimMetrics computes it: the prefix bonus applies at any Jaro
    similarity (rapidfuzz's ``JaroWinkler`` skips it under 0.7)."""
    jaro = Jaro.similarity(a, b)
    prefix = 0
    for x, y in zip(a[:_PREFIX_MAX], b[:_PREFIX_MAX], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * _PREFIX_SCALE * (1.0 - jaro)


def soundex(word: str) -> str:
    """American Soundex of a word of Latin letters ("Robert" -> "R163"); "" for any
    word with other characters (Soundex is defined for A-Z only)."""
    if not word.isascii() or not word.isalpha():
        return ""
    return str(jellyfish.soundex(word))


def _part_score(part: str, listed: list[str], codes: set[str]) -> PartScore:
    best, similarity = listed[0], jaro_winkler(part, listed[0])
    for candidate in listed[1:]:
        value = jaro_winkler(part, candidate)
        if value > similarity:
            best, similarity = candidate, value
    code = soundex(part)
    sounds = bool(code) and code in codes
    counted = similarity if similarity >= _PART_FLOOR or sounds else 0.0
    return PartScore(part, best, similarity, counted, sounds)


def ofac_score(query: str, listed: str) -> OfacScore:
    """Score a query name against a listed name as OFAC's Sanctions List Search does.

    Args:
        query: The name entered (its word order matters: see technique 1).
        listed: The listed name.

    Returns:
        The score and how it was made.

    Raises:
        InputError: a name is not text, too long, or has no letters or digits.
    """
    q = normalize_ofac(query)
    c = normalize_ofac(listed)
    gated = q[0] != c[0]
    whole = 0.0 if gated else jaro_winkler(q, c)
    q_parts = q.split()
    c_parts = c.split()
    kept = [p for p in q_parts if len(p) > _SHORT_PART] or q_parts
    codes = {code for code in map(soundex, c_parts) if code}
    details = []
    for part in q_parts:
        if part in kept:
            details.append(_part_score(part, c_parts, codes))
        else:
            details.append(PartScore(part, "", 0.0, 0.0, False, short=True))
    counted = [d.counted for d in details if not d.short]
    parts = sum(counted) / len(counted)
    score = round(max(whole, parts) * 100)
    return OfacScore(score, whole, parts, tuple(details), gated)


def explain_ofac(result: OfacScore) -> str:
    """One line an analyst reads: both techniques and each part entered."""
    if result.gated:
        whole = "whole name not compared (first letters differ)"
    else:
        whole = f"whole name {result.whole * 100:.0f}"
    parts = []
    for d in result.details:
        if d.short:
            parts.append(f"{d.part!r} left out (short)")
        elif d.counted == 0.0:
            parts.append(f"{d.part!r} ~ {d.best!r} {d.similarity * 100:.0f}, under 50: 0")
        else:
            sounds = ", same Soundex" if d.soundex else ""
            parts.append(f"{d.part!r} ~ {d.best!r} {d.similarity * 100:.0f}{sounds}")
    return (
        f"OFAC-style score {result.score}: {whole}; name parts {result.parts * 100:.0f} "
        f"({'; '.join(parts)})"
    )


__all__ = [
    "OFAC_ALGORITHM_VERSION",
    "OFAC_DEFAULT_THRESHOLD",
    "OfacScore",
    "PartScore",
    "explain_ofac",
    "jaro_winkler",
    "normalize_ofac",
    "ofac_score",
    "soundex",
]
