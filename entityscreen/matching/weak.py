"""When a name match is weak evidence whatever its score: the shapes of agreement that a
hundred thousand listed names produce by chance (one near word, two letters, a short
near word), and the small tests of a pair and of leftover words they are built from.
Used by :mod:`entityscreen.matching.features` (``weak_name`` caps the score; ``short_near``
and ``crossing`` are the tests of its short-word and cross-script features)."""

from __future__ import annotations

from ..names.transliterate import LATIN
from .scorer import FUZZY_RULES, Outcome, Pair, Part

#: The rules by which two words agree only nearly (shared with ``features``).
FUZZY = FUZZY_RULES | {"contraction", "prefix"}


def inexact(pair: Pair) -> bool:
    """The pair agrees only nearly: by typo, spelling, consonants, contraction or prefix."""
    return pair.similarity < 1.0 and pair.rule in FUZZY


def distinctive(parts: list[Part]) -> int:
    return sum(1 for p in parts if p.role in ("distinctive", "number"))



def crossing(pair: Pair) -> bool:
    """A pair read across scripts by a loose rule (skeleton, typo): a letter-for-letter
    transliteration that agrees exactly ("Путин" / "Putin") is as good as the same word."""
    crossed = (pair.left.token.script == LATIN) != (pair.right.token.script == LATIN)
    return crossed and pair.rule not in ("exact", "romanisation", "abbreviation")


def _slip(a: str, b: str) -> bool:
    """Two words of the same length that differ in one letter ("Musk" / "Mosk")."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def short_near(outcome: Outcome, kind: str = "any") -> bool:
    """An inexact pair whose shorter word has at most four letters ("Dow" / "DOV").
    ``kind``: ``any``; ``crossing`` (read across scripts); ``slip`` (in Latin letters, one
    letter changed in place); ``other`` (in one script, not a slip).

    When that pair is the names' whole agreement read across scripts, ``cross_single``
    already weighs it, and the word written without its vowels (Hebrew, Arabic) is short
    by script, not by name: the Latin side's length counts then (משה / "Moshe" is a word
    of five letters). Among other agreeing words the written length still counts: that
    reading measured on the Latin side raised false alerts on persons by a quarter."""
    lone = len(outcome.pairs) == 1
    for pair in outcome.pairs:
        if not inexact(pair):
            continue
        a, b = pair.left.token, pair.right.token
        if kind != "any":
            crossed = a.script != b.script
            # Latin letters only: a vowelless word (Arabic, Hebrew) one letter off is
            # another name ("hsn" / "hsyn", Ehsan / Hossein), not a slip of the pen.
            slip = a.script == b.script == LATIN and _slip(a.text, b.text)
            found = "crossing" if crossed else "slip" if slip else "other"
            if found != kind:
                continue
        if lone and crossing(pair):
            shorter = len(a.text) if a.script == LATIN else len(b.text)
        else:
            shorter = min(len(a.text), len(b.text))
        if shorter <= 4:
            return True
    return False


def weak_name(outcome: Outcome, *, person: bool, weak: bool) -> bool:
    """The listed name may match only as the query's exact name (see the docstring); so
    may a person's name met on one near word only, and an organisation's met on two
    letters only."""
    if outcome.same_letters:
        return False
    listed_words = sum(len(p.right.tokens) for p in outcome.pairs) + sum(
        len(p.tokens) for p in outcome.right_only
    )
    contained = listed_words <= 1 and distinctive(outcome.left_only) > 0
    if person:
        return weak or contained or _one_near_word(outcome) or _short_near_word(outcome)
    return weak or _two_letters_only(outcome) or _short_near_word(outcome)


def _lone_near_pair(outcome: Outcome) -> Pair | None:
    """The names' one aligned pair, when it is one word each side agreeing only nearly."""
    if len(outcome.pairs) != 1:
        return None
    pair = outcome.pairs[0]
    single = len(pair.left.tokens) == len(pair.right.tokens) == 1
    return pair if single and inexact(pair) else None


def _short_near_word(outcome: Outcome) -> bool:
    """The names agree on one word alone, nearly, and it is short ("Dow" / "DOV", "ABB" /
    "AAB", "Cook" / "CUC"): a word of four letters or fewer has many near neighbours
    among a hundred thousand listed names, so a near one is no evidence of the same name
    (the issue's "Cisco" / "CICKO", "Eni" / "ENKI")."""
    pair = _lone_near_pair(outcome)
    if pair is None or pair.left.token.script != pair.right.token.script:
        return False  # a reading across scripts: ``cross_single`` weighs it (משה / "Moshe")
    return min(len(pair.left.token.text), len(pair.right.token.text)) <= 4


def _two_letters_only(outcome: Outcome) -> bool:
    """An organisation's names agree on no distinctive word but one of two letters or
    fewer, besides descriptive words ("AF Holding" / "AF TELECOM HOLDING LLC"): one pair
    of words in 676 shares two given letters, so among a hundred thousand listed names
    such a pair is always found. The same name letter for letter is not judged here."""
    identifying = [p for p in outcome.pairs if "distinctive" in (p.left.role, p.right.role)]
    if len(identifying) != 1 or not (outcome.left_only or outcome.right_only):
        return False
    pair = identifying[0]
    return max(len(pair.left.token.text), len(pair.right.token.text)) <= 2


def _one_near_word(outcome: Outcome) -> bool:
    """A person's name met on one word alone, and that word only nearly, while other words
    are left unexplained ("Mohamedi Bakari" / "MOHAMED, Salim": 'mohamedi' ~ 'mohamed'):
    among a hundred thousand listed names, one near word is met by chance."""
    leftovers = bool(outcome.left_only or outcome.right_only)
    return leftovers and _lone_near_pair(outcome) is not None


__all__ = ["FUZZY", "crossing", "distinctive", "inexact", "short_near", "weak_name"]
