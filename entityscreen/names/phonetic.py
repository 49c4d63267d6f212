"""Phonetic keys: spellings that sound alike, across transliteration conventions.

Three keys, from strict to loose:

* :func:`translit_key` folds the differences between romanisation systems (German, French,
  English, scholarly): "j" between a consonant and a vowel -> "i", "kh"/"ch" -> "h",
  "zh"/"dzh"/"dj" -> "j", "ts"/"tz" and a soft "c" -> "c", a hard "c"/"q" -> "k",
  "w" -> "v", "y" -> "i", "ou"/"oo" -> "u", "ph" -> "f", "th" -> "t", "x" -> "ks",
  double letters single. "Werchnjaja"/"Verkhnyaya",
  "Khotintsev"/"Hotincev", "Qureshi"/"Kureshi" get close or equal keys.
* :func:`skeleton_key` keeps consonant classes only (vowels, "w", "y", apostrophes
  dropped; k/q/c/h, b/f/p/v and s/z/ts each one class): how Arabic, Hebrew, Thai, Khmer
  or Burmese names written without vowels meet their Latin spellings ("mhmd" ~
  "Mohamed").
* :func:`metaphone_key` is jellyfish's Metaphone, used to find candidates.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish

_SEQUENCE: tuple[tuple[str, str], ...] = (
    ("tsch", "ch"),
    ("sch", "sh"),
    ("x", "ks"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ch", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("gh", "g"),
    ("ck", "k"),
)
_AFFRICATES: tuple[tuple[str, str], ...] = (("tz", "c"), ("ts", "c"))
_HARD_C = re.compile(r"c(?![eiy])")
_GLIDE_J = re.compile(r"(?<=[bcdfghklmnpqrstvwxz])j(?=[aeiou])")
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiouyw'`]")
_CLASSES = str.maketrans("qchxfpvzc", "kkkkbbbss")


@lru_cache(maxsize=200_000)
def translit_key(word: str) -> str:
    """Fold transliteration variants of a word (see module docstring).

    Args:
        word: A lower-case ASCII token.

    Returns:
        The key; equal keys mean "the same word in another romanisation".
    """
    key = _GLIDE_J.sub("i", word) if "j" in word else word
    for old, new in _SEQUENCE:
        if old in key:
            key = key.replace(old, new)
    key = _HARD_C.sub("k", key)
    for old, new in _AFFRICATES:
        if old in key:
            key = key.replace(old, new)
    key = key.replace("q", "k").replace("w", "v").replace("y", "i")
    key = key.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    key = _DOUBLES.sub(r"\1", key)
    return key.replace("ij", "i")


@lru_cache(maxsize=200_000)
def skeleton_key(word: str) -> str:
    """The consonant skeleton of a word.

    Args:
        word: A lower-case ASCII token.

    Returns:
        Its consonants after :func:`translit_key`: a final "h" and the letters that
        write vowels in Arabic and Hebrew ("w", "y") dropped; classes k = k/q/c/h/x,
        b = b/f/p/v, s = s/z/c(ts) and "sh"; doubles single.
    """
    key = translit_key(word.replace("w", "u")).replace("sh", "s")
    if len(key) > 2 and key.endswith("h"):
        key = key[:-1]
    key = _VOWELS.sub("", key).translate(_CLASSES)
    return _DOUBLES.sub(r"\1", key)


@lru_cache(maxsize=200_000)
def metaphone_key(word: str) -> str:
    """Metaphone code of a word (empty for digits).

    Args:
        word: A lower-case ASCII token.

    Returns:
        The Metaphone code.
    """
    if not word.isalpha():
        return ""
    return str(jellyfish.metaphone(word)).lower()


__all__ = ["metaphone_key", "skeleton_key", "translit_key"]
