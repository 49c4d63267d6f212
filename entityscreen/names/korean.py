"""Korean readings of names written in Chinese characters (hanja), as a guessed form.

Korean names are often written in hanja in source documents ("金正恩", Kim Jong Un; North
Korean names in sanctions programmes especially). Pinyin reads such a name as Mandarin
("jin zheng en") and the Japanese reading as Japanese; neither meets "Kim Jong Un". A
name of Korean shape (:func:`korean_reading`) is read in Hangul here; the analysis
romanises it as the lists spell Korean names (:func:`list_spelling`), as Hangul-script
tokens, so that ``phonetic.korean_key`` folds it against other spellings too.

The characters do not say the name is Korean ("金伟" is a Chinese name), so the reading is
a guess, kept only for names of Korean shape: a common Korean surname (one or two
characters) and a given name of two. The syllables of the given name come from the ``hanja`` package
(WTFPL; one Sino-Korean reading a character, simplified forms included); the surname's
from :data:`KOREAN_SURNAMES`, since the dictionary's first reading of a surname may not be
the surname's (金 is "geum", gold, in words, and "Gim"/"Kim" as a surname).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from .memo import memo
from .phonetic import KOREAN_SURNAME_SPELLINGS, korean_key
from .transliterate import HAN, classify_char

#: The most frequent Korean surnames (Statistics Korea, 2015 census, the ~100 first by
#: number of bearers) in hanja, with their Hangul as a surname. Two-character surnames
#: (남궁, 황보, 제갈, 선우) are looked up before one-character ones.
KOREAN_SURNAMES: dict[str, str] = {
    "金": "김", "李": "이", "朴": "박", "崔": "최", "鄭": "정", "姜": "강", "趙": "조",
    "尹": "윤", "張": "장", "林": "임", "韓": "한", "吳": "오", "徐": "서", "申": "신",
    "權": "권", "黃": "황", "安": "안", "宋": "송", "全": "전", "洪": "홍", "柳": "유",
    "高": "고", "文": "문", "梁": "양", "孫": "손", "裵": "배", "曺": "조", "白": "백",
    "許": "허", "劉": "유", "南": "남", "沈": "심", "盧": "노", "丁": "정", "河": "하",
    "郭": "곽", "成": "성", "車": "차", "朱": "주", "禹": "우", "具": "구", "辛": "신",
    "任": "임", "田": "전", "閔": "민", "兪": "유", "羅": "나", "陳": "진", "池": "지",
    "嚴": "엄", "蔡": "채", "元": "원", "千": "천", "方": "방", "孔": "공", "康": "강",
    "玄": "현", "咸": "함", "卞": "변", "廉": "염", "楊": "양", "邊": "변", "呂": "여",
    "秋": "추", "魯": "노", "都": "도", "蘇": "소", "愼": "신", "石": "석", "宣": "선",
    "薛": "설", "馬": "마", "吉": "길", "周": "주", "延": "연", "房": "방", "魏": "위",
    "表": "표", "明": "명", "奇": "기", "潘": "반", "王": "왕", "琴": "금", "玉": "옥",
    "陸": "육", "印": "인", "孟": "맹", "諸": "제", "牟": "모", "蔣": "장", "卓": "탁",
    "鞠": "국", "余": "여", "秦": "진", "魚": "어", "殷": "은", "片": "편", "龍": "용",
    "芮": "예", "慶": "경", "奉": "봉", "史": "사", "夫": "부", "太": "태", "睦": "목",
    "南宮": "남궁", "皇甫": "황보", "諸葛": "제갈", "鮮于": "선우",
}  # fmt: skip

#: Simplified (and Chinese-usual) forms of the surnames above: a Korean name copied
#: through a mainland-Chinese source is written 郑, 赵, 张.
_SURNAME_VARIANTS: dict[str, str] = {
    "郑": "鄭", "赵": "趙", "张": "張", "韩": "韓", "吴": "吳", "权": "權", "黄": "黃",
    "孙": "孫", "裴": "裵", "曹": "曺", "许": "許", "刘": "劉", "卢": "盧", "车": "車",
    "闵": "閔", "俞": "兪", "罗": "羅", "陈": "陳", "严": "嚴", "杨": "楊", "边": "邊",
    "吕": "呂", "鲁": "魯", "苏": "蘇", "慎": "愼", "马": "馬", "陆": "陸", "诸": "諸",
    "蒋": "蔣", "鱼": "魚", "龙": "龍", "庆": "慶", "南宫": "南宮", "诸葛": "諸葛",
}  # fmt: skip


@cache
def _table() -> Any:
    # Imported on first use: the package parses its 0.5 MB YAML table (~1 s) on the
    # first translation, which names that are not of Korean shape never pay.
    import hanja

    return hanja


def _surname(chars: list[str]) -> tuple[str, int] | None:
    """The Hangul of the surname ``chars`` start with, and its length in characters."""
    for size in (2, 1):
        if len(chars) > size:
            written = "".join(chars[:size])
            hangul = KOREAN_SURNAMES.get(_SURNAME_VARIANTS.get(written, written))
            if hangul is not None:
                return hangul, size
    return None


_INITIALS = str.maketrans({"g": "k", "d": "t", "b": "p", "l": "r"})
_FINALS = {"g": "k", "d": "t", "b": "p"}


def list_spelling(syllable: str) -> str:
    """A Revised Romanisation syllable as sanctions lists write Korean names ("gim" ->
    "kim", "jeong" -> "jong", "eun" -> "un", "bag" -> "pak", "cheol" -> "chol").

    The lists carry McCune-Reischauer without its marks (North Korean names mostly);
    spelling the guessed reading that way makes its words equal to the listed ones, so
    the index's word keys find them (``korean_key`` still joins other spellings).
    """
    word = syllable[:1].translate(_INITIALS) + syllable[1:]
    word = word.replace("eo", "o").replace("eu", "u")
    if word[-1:] in _FINALS and not word.endswith("ng"):
        word = word[:-1] + _FINALS[word[-1]]
    return word


@memo(65536)
def korean_reading(text: str) -> str | None:
    """The Korean reading of a name in hanja, in Hangul, or ``None``.

    Args:
        text: A name (only Han characters and spaces get a reading).

    Returns:
        Surname and given name as Hangul words ("金正恩" -> "김 정은"); ``None`` when the
        name is not of Korean shape (Han characters only: a Korean surname, then a given
        name of two characters) or a character has no reading.
    """
    chars = [char for char in text if not char.isspace()]
    if not 2 <= len(chars) <= 4 or any(classify_char(char) != HAN for char in chars):
        return None
    found = _surname(chars)
    if found is None:
        return None
    surname, size = found
    given_chars = chars[size:]
    if len(given_chars) != 2:
        # Korean given names are two syllables nearly always; one-character given names
        # are common in Chinese ("张霞", "陈瑜"), whose Korean readings met listed names.
        return None
    # Read after the surname, so that the initial-sound rule (두음법칙: 龍 "ryong" -> "yong"
    # at the start of a word) is not applied: North Korea, whose names most lists carry
    # in hanja, does not apply it, and korean_key does not join r- to the vowel.
    whole = "".join(chars[:size]) + "".join(given_chars)
    given = str(_table().translate(whole, "substitution"))[size:]
    if len(given) != len(given_chars) or not all("\uac00" <= c <= "\ud7a3" for c in given):
        return None  # a character the table does not read
    return f"{surname} {given}"


def latin_spellings(syllable: str, *, surname: bool = True) -> tuple[str, ...]:
    """The Latin spellings under which lists may write a romanised Hangul syllable:
    itself, the lists' spelling (:func:`list_spelling`), the usual South Korean one
    (:func:`usual_spelling`), "ch" for an initial "j" and, with ``surname``, a surname's
    usual spellings ("i" -> "lee", "yi", "rhee", "ri", "li"; "bag" -> "park", "pak").

    Args:
        syllable: A lower-case romanised Hangul syllable ("gim", "jeong").
        surname: Add the surname spellings.

    Returns:
        The spellings, the syllable first, once each.
    """
    out = [syllable, list_spelling(syllable) if syllable else syllable, usual_spelling(syllable)]
    if syllable.startswith("j"):
        # ㅈ is "ch" in McCune-Reischauer and in many names ("Cho", "Chung", "Chol-su").
        out.append("ch" + usual_spelling(syllable)[1:])
    if surname:
        out.extend(KOREAN_SURNAME_SPELLINGS.get(korean_key(syllable), ()))
    return tuple(dict.fromkeys(w for w in out if w))


def usual_spelling(syllable: str) -> str:
    """How South Korean names are mostly spelled: "eo" as "u", a final g/d/b as k/t/p
    ("jeong" -> "jung", "myeong" -> "myung", "bag" -> "bak")."""
    word = syllable.replace("eo", "u")
    if word[-1:] in _FINALS and not word.endswith("ng"):
        word = word[:-1] + _FINALS[word[-1]]
    return word


def given_name_spellings(syllables: Sequence[str], most: int = 9) -> tuple[str, ...]:
    """A given name's syllables written as one word, each syllable in each spelling of
    :func:`latin_spellings` but a surname's (lists mix them: "Myung Chol"): "jeong",
    "eun" -> "jeongeun", "jongun", "jungeun"...; at most ``most``, the plain ones first."""
    ways = [latin_spellings(s, surname=False) for s in syllables]
    return tuple(itertools.islice(("".join(p) for p in itertools.product(*ways)), most))


#: One syllable of a Korean name in Latin letters (Revised, McCune-Reischauer without its
#: marks, or the usual spellings): an initial, a vowel, a final.
_SYLLABLE = (
    r"(?:kk|tt|pp|ss|jj|ch|sh|[kgndtrlmbpsjh])?[wy]?"
    r"(?:ae|eo|eu|oe|ui|oo|ee|[aeiouy])(?:ng|[kgndtlrmbp])?"
)
_KOREAN_WORD = re.compile(f"(?:{_SYLLABLE}){{1,3}}")


def korean_shaped(word: str) -> bool:
    """Whether a Latin word may be a Korean name part: one to three romanised syllables
    ("kim", "jongun", "myungbak") or a usual surname spelling ("lee", "park", "rhee").

    Many other words are of that shape too ("muhammad"); the caller only uses it to look
    a Korean key up, which hits names written in Hangul only.
    """
    return 2 <= len(word) <= 10 and (
        word in _KOREAN_SURNAME_WORDS or _KOREAN_WORD.fullmatch(word) is not None
    )


_KOREAN_SURNAME_WORDS = frozenset(w for ws in KOREAN_SURNAME_SPELLINGS.values() for w in ws)


__all__ = [
    "KOREAN_SURNAMES",
    "given_name_spellings",
    "korean_reading",
    "korean_shaped",
    "latin_spellings",
    "list_spelling",
    "usual_spelling",
]
