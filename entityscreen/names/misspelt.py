"""Legal-form words misspelt by one edit: "LIMITED LIABILITY COMAPNY", "JOINT STOOCK
COMPANY", "Общество с ограниченонй ответственностью".

Customer files misspell the words of legal forms as often as any other word; a misspelt
"COMPANY" then reads as a distinctive word of the name, which the listed name lacks, and
costs the match (and its candidates) much. Two readings, both narrow so that a name word
is never taken for a legal form ("Limitless", "Stork Company" stay words):

* :func:`misspelt_legal`: a name's last word one edit from a one-word legal form of six
  letters or more ("liimted", "aktiengeselschaft");
* :func:`mend_legal_words`: a word one edit from a word of a multi-word legal form,
  corrected only when the correction completes a legal form of two words or more with
  its neighbours as written, one of which is no legal form alone ("stoock" between
  "joint" and "company"; not "Stork" before "Company").

Apart from the tokenizer because it is a lookup of its own (rapidfuzz's OSA distance over
the legal-form table, cached per word).
"""

from __future__ import annotations

from functools import cache

from rapidfuzz.distance import OSA

from . import lexicon
from .memo import memo
from .normalize import normalize_text

#: The longest legal form in words (as the tokenizer's phrases).
_MAX_FORM_WORDS = 8


@cache
def _long_legal_forms() -> dict[int, list[str]]:
    """One-word legal forms of 6 letters or more, by length ("limited", "aktiengesellschaft")."""
    out: dict[int, list[str]] = {}
    for key in lexicon.legal_forms():
        if len(key) >= 6 and key.isalpha():
            out.setdefault(len(key), []).append(key)
    return out


@memo(100_000)
def misspelt_legal(word: str) -> str | None:
    """The one-word legal form ``word`` misspells by one edit ("liimted", "comapny",
    "aktiengeselschaft"), or None. Only a name's last word is read so: a word like
    "Limitless" inside a name stays a word."""
    if len(word) < 6:
        return None
    forms = _long_legal_forms()
    for size in (len(word) - 1, len(word), len(word) + 1):
        for key in forms.get(size, ()):
            if OSA.distance(word, key, score_cutoff=1) <= 1:
                return key
    return None


@cache
def _form_words() -> dict[int, list[str]]:
    """Words of five letters or more of the multi-word legal forms, by length."""
    words: set[str] = set()
    for row in lexicon.legal_form_rows():
        parts = normalize_text(row).split()
        if len(parts) >= 2:
            words.update(w for w in parts if len(w) >= 5 and w.isalpha())
    out: dict[int, list[str]] = {}
    for word in sorted(words):
        out.setdefault(len(word), []).append(word)
    return out


@cache
def _form_deletes() -> dict[str, frozenset[str]]:
    """Each legal-form word, and each string one deletion from it, -> those words."""
    out: dict[str, set[str]] = {}
    for words in _form_words().values():
        for word in words:
            for variant in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                out.setdefault(variant, set()).add(word)
    return {k: frozenset(v) for k, v in out.items()}


@memo(200_000)
def _near_form_words(word: str) -> tuple[str, ...]:
    """The legal-form words one edit from ``word`` (none when it is one itself).

    By shared deletions (two words one edit apart share a string one deletion from
    each, or one is the other less a letter), then checked with OSA: a handful of dict
    look-ups per word instead of a distance to every legal-form word."""
    if len(word) < 5 or not word.isalpha():
        return ()
    deletes = _form_deletes()
    if word in _form_words().get(len(word), ()):
        return ()
    found = set(deletes.get(word, ()))
    for i in range(len(word)):
        found.update(deletes.get(word[:i] + word[i + 1 :], ()))
    return tuple(sorted(k for k in found if OSA.distance(word, k, score_cutoff=1) <= 1))


def _completes_form(keys: list[str], i: int) -> bool:
    """A legal form of two words or more in ``keys`` spans position ``i``, and holds
    besides it a word that is no legal form on its own ("joint", "liability"): "Stork
    Company" read "stock company" would rest on "company" alone, and lose the name."""
    legal = lexicon.legal_forms()
    for start in range(max(0, i - _MAX_FORM_WORDS + 1), i + 1):
        joined = ""
        for end in range(start, min(len(keys), start + _MAX_FORM_WORDS)):
            joined += keys[end]
            if (
                end >= i
                and end > start
                and joined in legal
                and any(keys[k] not in legal for k in range(start, end + 1) if k != i)
            ):
                return True
    return False


def mend_legal_words(keys: list[str]) -> list[str]:
    """``keys`` (a name's words) with legal-form words misspelt by one edit corrected,
    where the correction completes a legal form of two words or more (module docs)."""
    if len(keys) < 2:
        return keys
    out = keys
    for i, key in enumerate(keys):
        for near in _near_form_words(key):
            trial = [*out[:i], near, *out[i + 1 :]]
            if _completes_form(trial, i):
                out = trial
                break
    return out


__all__ = ["mend_legal_words", "misspelt_legal"]
