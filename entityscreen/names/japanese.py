"""Japanese readings of names written in kanji (and kana), as a second romanisation.

A name in Chinese characters may be Chinese ("习近平", read in pinyin) or Japanese
("山田太郎", Yamada Tarō): the characters do not say which. Pinyin alone can never meet
"Yamada Taro", so :func:`japanese_reading` gives the name's Japanese reading too, and the
analysis keeps it as one more form of the name; the scorer takes the better of the two.

Reading kanji needs a dictionary and a morphological analyser (the reading of 田 depends
on its neighbours: "ta" in 山田, "den" in 田園). We use ``cutlet`` (MIT) on ``fugashi``
(MeCab) with ``unidic-lite``: the maintained romaniser of that stack, fast (~0.1 ms a
name) and loaded only when a name has kanji or kana. Readings are written as on passports
and in sanctions lists: Hepburn without long-vowel marks ("Tarou" -> "taro",
"Yuuko" -> "yuko").
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

from .memo import memo
from .transliterate import HAN, KANA, classify_char

_LONG_VOWELS = ((re.compile(r"ou"), "o"), (re.compile(r"uu"), "u"), (re.compile(r"oo"), "o"))
_WORD = re.compile(r"[a-z0-9]+")
_LOCK = threading.Lock()


@cache
def _romaniser() -> Any:
    import cutlet

    katsu = cutlet.Cutlet(system="hepburn")
    # Katakana loanwords are read as Japanese, not respelled in English ("トヨタ" stays
    # "toyota"; "コーヒー" becomes "kohi", not "coffee"): lists write the sound.
    katsu.use_foreign_spelling = False
    return katsu


def has_japanese_script(text: str) -> bool:
    """Whether ``text`` has kanji (Han characters) or kana.

    Args:
        text: Unicode text.

    Returns:
        ``True`` when a Japanese reading may differ from the pinyin one.
    """
    return any(classify_char(char) in (HAN, KANA) for char in text if not char.isascii())


@memo(65536)
def japanese_reading(text: str) -> str | None:
    """The Japanese reading of ``text`` in lower-case ASCII, or ``None``.

    Args:
        text: A name (any scripts; only names with kanji or kana get a reading).

    Returns:
        Space-separated words ("yamada taro"); ``None`` when the name has no kanji or
        kana, or the dictionary reads none of it.
    """
    if not has_japanese_script(text):
        return None
    with _LOCK:  # one MeCab tagger per process; the API may call from several threads
        romaji = str(_romaniser().romaji(text)).lower()
    if "?" in romaji:
        # A character the Japanese dictionary does not know (most simplified Chinese
        # ones: 习, 视): the name is not Japanese, and half a reading would mislead.
        return None
    words = []
    for word in _WORD.findall(romaji):
        for pattern, short in _LONG_VOWELS:
            word = pattern.sub(short, word)
        words.append(word)
    return " ".join(words) or None


__all__ = ["has_japanese_script", "japanese_reading"]
