"""Transliteration of any script to lower-case ASCII, one script run at a time.

The output keeps a *script class* per run because the scorer compares a token written in
an abjad (Arabic, Hebrew: vowels mostly unwritten) differently from a Latin one:

========== =====================================================================
class      scripts and how they are romanised
========== =====================================================================
``latin``  Latin, Cyrillic, Greek, Armenian, Georgian, Ethiopic, Devanagari and
           every other script with written vowels: anyascii.
``han``    Chinese characters (simplified and traditional): pypinyin, one
           syllable per character, syllables separated by spaces. A word such as
           "Yuntian" is put together again by the scorer (adjacent syllables are
           merged when the other name writes them as one word).
``hangul`` Korean syllable blocks: anyascii (Revised Romanisation), one syllable
           per block, separated by spaces.
``kana``   Japanese hiragana and katakana: anyascii (Hepburn-like romaji).
``abjad``  Arabic, Hebrew, Syriac, Thaana: anyascii gives consonant skeletons
           ("mhmd" for محمد); compared through consonant skeletons.
``brahmic`` Thai, Lao, Khmer, Burmese (vowels often implicit): anyascii, except
           Burmese (:mod:`entityscreen.names.burmese`, practical romanisation);
           compared like abjads as well as directly.
========== =====================================================================

Digits of any script become ASCII digits. Characters anyascii does not know are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

from anyascii import anyascii

from .burmese import romanize_burmese
from .memo import memo

LATIN = "latin"
HAN = "han"
HANGUL = "hangul"
KANA = "kana"
ABJAD = "abjad"
BRAHMIC = "brahmic"
COMMON = "common"

_NAME_PREFIX_CLASS: dict[str, str] = {
    "CJK": HAN,
    "HANGUL": HANGUL,
    "HIRAGANA": KANA,
    "KATAKANA": KANA,
    "ARABIC": ABJAD,
    "HEBREW": ABJAD,
    "SYRIAC": ABJAD,
    "THAANA": ABJAD,
    "THAI": BRAHMIC,
    "LAO": BRAHMIC,
    "KHMER": BRAHMIC,
    "MYANMAR": BRAHMIC,
}

# Scripts whose vowels are (mostly) unwritten: compared through consonant skeletons.
SKELETON_SCRIPTS = frozenset({ABJAD, BRAHMIC})


@memo(65536)
def classify_char(char: str) -> str:
    """The script class of one character (``common`` for digits, spaces, punctuation).

    Args:
        char: A single character.

    Returns:
        One of the class names listed in the module docstring, or ``common``.
    """
    if char.isascii():
        return LATIN if char.isalpha() else COMMON
    category = unicodedata.category(char)
    if category[0] not in "LM":
        return COMMON
    if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff":
        return HAN
    name = unicodedata.name(char, "")
    prefix = name.split(" ", 1)[0]
    return _NAME_PREFIX_CLASS.get(prefix, LATIN)


def split_script_runs(text: str) -> list[tuple[str, str]]:
    """Cut ``text`` into runs of one script class; ``common`` characters join the run before.

    Args:
        text: Unicode text (already NFKC-normalised and case-folded).

    Returns:
        ``(run, script_class)`` pairs in order; their concatenation is ``text``.
    """
    if text.isascii():
        return [(text, LATIN)]
    runs: list[tuple[str, str]] = []
    current: list[str] = []
    current_class = COMMON
    for char in text:
        cls = classify_char(char)
        if cls in (COMMON, current_class) or current_class == COMMON:
            current.append(char)
            if current_class == COMMON and cls != COMMON:
                current_class = cls
            continue
        runs.append(("".join(current), current_class))
        current = [char]
        current_class = cls
    if current:
        runs.append(("".join(current), current_class))
    return runs


# Hebrew letters anyascii writes ambiguously: bet and vav both as "v". Bet is a consonant
# (b/v), vav mostly writes a vowel (o/u): keep them apart so consonant skeletons work.
_HEBREW = str.maketrans({"ב": "b", "ו": "w"})
#: A kaf beginning a word is read k (its dagesh): כהן is "Cohen", whose Latin k must not
#: fold with the next letter's h as the digraph "kh" does; "q" (read k, and no digraph
#: with "h") keeps them apart. Inside a word it stays "kh" (מיכאל "Michael", "Mikhail").
_HEBREW_INITIAL_KAF = re.compile("(?<![\u05d0-\u05ea])\u05db")
#: A geresh (or an apostrophe typed for it) after gimel, zayin, tsadi or tav writes a
#: sound Hebrew has no letter for: ג׳ "j", ז׳ "zh", צ׳ "ch" (גורביץ׳ "Gurevich"), ת׳ "th".
_HEBREW_GERESH = re.compile("([\u05d2\u05d6\u05e6\u05e5\u05ea])[\u05f3'\u2019]")
_GERESH_SOUNDS = {"\u05d2": "j", "\u05d6": "zh", "\u05e6": "ch", "\u05e5": "ch", "\u05ea": "th"}
#: Belarusian ў ("short u") is written "v" where Russian spells the name, as lists mostly
#: do: Жаўнерчык "Zhovnerchik" (Russian Жовнерчик); anyascii writes "u".
_BELARUSIAN = str.maketrans({"ў": "v"})


_HAN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_HAN_NUMBER = re.compile(
    r"第([零〇一二两兩三四五六七八九十百千]+)|([零〇一二两兩三四五六七八九十百千]+)(?=[号號])"
)


def han_number(text: str) -> int:
    """The value of a Chinese numeral ("十八" -> 18, "二百零五" -> 205).

    Args:
        text: Han numeral characters.

    Returns:
        The value.
    """
    total = 0
    digit = 0
    for char in text:
        if char in _HAN_DIGITS:
            digit = _HAN_DIGITS[char]
        else:
            total += (digit or 1) * _HAN_UNITS[char]
            digit = 0
    return total + digit


@cache
def word_list_readings() -> dict[str, str]:
    """Readings of the Han words of our own word lists (``data/han_readings.tsv``).

    The legal forms and generic words (有限公司, 科技) are read whenever the word lists
    load, that is for every name; reading them from this table spares a Latin-only
    ``entityscreen screen`` the 0.4 s import of pypinyin's dictionaries.
    ``scripts/build_han_readings.py`` writes the table from pypinyin and a unit test
    checks it still equals pypinyin's readings.
    """
    text = resources.files("entityscreen.names").joinpath("data", "han_readings.tsv")
    readings: dict[str, str] = {}
    for line in text.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            han, latin = line.split("\t")
            readings[han] = latin
    return readings


def _romanize_han(run: str) -> str:
    known = word_list_readings().get(run)
    return known if known is not None else romanize_han_pypinyin(run)


def romanize_han_pypinyin(run: str) -> str:
    """A Han run in pinyin syllables separated by spaces, numbers as digits."""
    # Ordinals ("第八", the 8th) and numbers before 号 (No.) are numbers in names of
    # ships and companies.
    run = _HAN_NUMBER.sub(lambda m: f" {han_number(m.group(1) or m.group(2))} ", run)
    # Imported on first use: pypinyin's dictionaries take 0.4 s to import, which every
    # `entityscreen screen` paid even for names without a Han character.
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(run, style=Style.NORMAL, errors=lambda chars: anyascii(chars))
    return " ".join(s.strip() for s in syllables if s.strip())


def _romanize_blocks(run: str) -> str:
    # One space-separated syllable per block (Hangul): anyascii capitalises each one.
    parts = []
    for char in run:
        out = anyascii(char)
        parts.append(f" {out} " if classify_char(char) == HANGUL else out)
    return "".join(parts)


def transliterate_runs(text: str, *, burmese_syllables: bool = False) -> list[tuple[str, str]]:
    """Romanise ``text`` run by run.

    Args:
        text: Unicode text (already NFKC-normalised and case-folded).
        burmese_syllables: Burmese one word per syllable instead of per word.

    Returns:
        ``(ascii_text, script_class)`` pairs; ``ascii_text`` is lower-case ASCII.
    """
    out: list[tuple[str, str]] = []
    for run, cls in split_script_runs(text):
        if cls == HAN:
            latin = _romanize_han(run)
        elif cls == HANGUL:
            latin = _romanize_blocks(run)
        elif cls == ABJAD:
            run = _HEBREW_GERESH.sub(lambda m: _GERESH_SOUNDS[m.group(1)], run)
            latin = anyascii(_HEBREW_INITIAL_KAF.sub("q", run).translate(_HEBREW))
        elif cls == BRAHMIC and any("\u1000" <= c <= "\u109f" for c in run):
            latin = romanize_burmese(run, syllables=burmese_syllables)
        else:
            latin = anyascii(run.translate(_BELARUSIAN) if "ў" in run else run)
        out.append((latin.lower(), LATIN if cls == COMMON else cls))
    return out


def transliterate(text: str) -> str:
    """Romanise ``text`` to lower-case ASCII (the runs of :func:`transliterate_runs` joined).

    Args:
        text: Unicode text.

    Returns:
        Lower-case ASCII text.
    """
    return " ".join(part for part, _ in transliterate_runs(text))


__all__ = [
    "ABJAD",
    "BRAHMIC",
    "HAN",
    "HANGUL",
    "KANA",
    "LATIN",
    "SKELETON_SCRIPTS",
    "classify_char",
    "romanize_han_pypinyin",
    "split_script_runs",
    "transliterate",
    "transliterate_runs",
    "word_list_readings",
]
