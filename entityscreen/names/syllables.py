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
from collections import Counter
from functools import cache
from importlib import resources

from .memo import memo

_LETTERS = re.compile(r"[a-z]+")


#: A syllable read for fewer characters than this is a rare or dialect reading ("din",
#: "den", "lo", "kei"): counting it would make Western names ("Laden", "Ladin") look
#: Chinese. Standard syllables are the readings of dozens to hundreds of characters.
MIN_CHARACTERS = 5
_VOWEL = re.compile(r"[aeiouv]")


def syllables_from_pypinyin() -> frozenset[str]:
    """Every common toneless pinyin syllable, read from pypinyin's dictionary (what
    ``data/pinyin_syllables.txt`` holds; ``scripts/build_pinyin_syllables.py`` writes it)."""
    from pypinyin.pinyin_dict import pinyin_dict

    counts: Counter[str] = Counter()
    for readings in pinyin_dict.values():
        seen: set[str] = set()
        for reading in readings.split(","):
            folded = unicodedata.normalize("NFKD", reading)
            plain = "".join(c for c in folded if not unicodedata.combining(c)).lower()
            plain = plain.replace("ü", "v")
            if _LETTERS.fullmatch(plain) and _VOWEL.search(plain) and plain not in seen:
                seen.add(plain)
                counts[plain] += 1
    return frozenset(k for k, n in counts.items() if n >= MIN_CHARACTERS)


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every common toneless pinyin syllable ("zhang", "lv" for lü). Read from a data file
    made from pypinyin's dictionary: building it takes 0.4 s, once in every process (a
    CLI ``screen`` pays it), reading it a millisecond."""
    text = resources.files(__package__).joinpath("data/pinyin_syllables.txt").read_text("utf-8")
    return frozenset(line for line in text.split() if line)


@memo(200_000)
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


__all__ = ["is_syllabic", "pinyin_syllables", "syllables_from_pypinyin"]
