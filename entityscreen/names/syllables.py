"""Words made of Chinese (pinyin) syllables.

A Chinese given name is one or two syllables out of some 400 ("Jianming", "Yulan"), and
a family name one: such names are far commoner among people than their frequency on the
sanctions lists says, so a match on them is weaker evidence than a match on a word of the
same list frequency (see ``matching.features.syllabic``). The syllable inventory is read
from pypinyin's dictionary (tone marks removed), so nothing is hand-listed here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_LETTERS = re.compile(r"[a-z]+")


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable ("zhang", "lv" for lü)."""
    from pypinyin.pinyin_dict import pinyin_dict

    out: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            folded = unicodedata.normalize("NFKD", reading)
            plain = "".join(c for c in folded if not unicodedata.combining(c)).lower()
            plain = plain.replace("ü", "v")
            if _LETTERS.fullmatch(plain):
                out.add(plain)
    return frozenset(out)


@lru_cache(maxsize=200_000)
def is_syllabic(word: str, most: int = 2) -> bool:
    """Whether ``word`` is one to ``most`` pinyin syllables ("ying", "jianming")."""
    if not word or len(word) > 6 * most or not word.isascii() or not word.isalpha():
        return False
    syllables = pinyin_syllables()

    def split(rest: str, left: int) -> bool:
        if not rest:
            return True
        if left == 0:
            return False
        return any(
            rest[:i] in syllables and split(rest[i:], left - 1)
            for i in range(min(6, len(rest)), 0, -1)
        )

    return split(word.lower(), most)


__all__ = ["is_syllabic", "pinyin_syllables"]
