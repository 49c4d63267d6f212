"""Korean readings of names in hanja (the ``hanja`` package's real table)."""

from __future__ import annotations

import pytest

from entityscreen.matching import DEFAULT_THRESHOLD, MatchIndex, compare_names
from entityscreen.model import Entry, Name, Party, Schema
from entityscreen.names import analyze_name
from entityscreen.names.korean import korean_reading, list_spelling


def test_hanja_names_of_korean_shape_are_read_in_hangul() -> None:
    assert korean_reading("朴正熙") == "박 정희"
    assert korean_reading("李明博") == "이 명박"
    # The surname's reading, not the dictionary's first one (金 "geum", gold).
    assert korean_reading("金大中") == "김 대중"
    # Two-character surnames; no initial-sound rule inside the name (龍 stays "ryong").
    assert korean_reading("南宮民秀") == "남궁 민수"
    assert korean_reading("崔龍海") == "최 룡해"


def test_simplified_forms_read_like_traditional_ones() -> None:
    assert korean_reading("郑东旭") == korean_reading("鄭東旭") == "정 동욱"
    assert korean_reading("赵明录") == korean_reading("趙明錄")


def test_names_not_of_korean_shape_get_no_reading() -> None:
    assert korean_reading("习近平") is None  # 习 is no Korean surname
    assert korean_reading("金") is None  # a surname alone
    # A one-character given name is common in Chinese names, rare in Korean ones.
    assert korean_reading("金伟") is None
    assert korean_reading("金正日成功") is None  # too long for a person's name
    assert korean_reading("Kim Jong Il") is None
    assert korean_reading("김정일") is None  # Hangul is read as Hangul already
    assert korean_reading("金正日 Ltd") is None


def test_the_reading_is_a_guessed_form_after_the_others() -> None:
    forms = analyze_name("朴正熙", person=True).forms
    assert forms[0].text == "pu zheng xi" and not forms[0].guess
    korean = [f for f in forms if f.text == "pak jong hui"]
    assert len(korean) == 1 and korean[0].guess
    assert all(token.script == "hangul" for token in korean[0].words)


@pytest.mark.parametrize(
    ("hanja", "latin"),
    [
        ("朴正熙", "PARK Chung Hee"),
        ("李明博", "Lee Myung-bak"),
        ("崔龍海", "CHOE Ryong Hae"),
        ("金大中", "Kim Dae-jung"),
        ("张成泽", "JANG Song Thaek"),
    ],
)
def test_hanja_names_meet_their_korean_romanisations(hanja: str, latin: str) -> None:
    assert compare_names(hanja, latin, schema=Schema.PERSON).score >= DEFAULT_THRESHOLD


_LISTED_KOREANS = ("KIM Jong Un", "LI Chun Hui", "CHOE Ryong Hae", "PAK Pong Ju", "JANG Song Thaek")


@pytest.mark.parametrize(
    "chinese",
    ["金伟", "金志强", "李娜", "崔健", "朴树", "张成功"],
)
def test_a_chinese_name_with_a_korean_surname_does_not_meet_a_listed_korean(
    chinese: str,
) -> None:
    # The surname alone agrees (金 is "Kim" too): the rest of the name must as well.
    for listed in _LISTED_KOREANS:
        assert compare_names(chinese, listed, schema=Schema.PERSON).score < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("hanja", "listed"),
    [
        ("郑明哲", "JONG Chol Myong"),  # the given name's syllables in another order
        ("刘英华", "YIU Yong Hwa"),  # a near spelling ("yu" / "Yiu"), not a romanisation
        ("金正恩", "KIM Jong Un Song"),
    ],
)
def test_the_korean_guess_counts_only_word_for_word_in_order(hanja: str, listed: str) -> None:
    assert compare_names(hanja, listed, schema=Schema.PERSON).score < DEFAULT_THRESHOLD
    # Written in the listed name's order and spelling, the same reading meets it.
    assert compare_names("郑明哲", "JONG Myong Chol", schema=Schema.PERSON).score >= 0.9


def test_readings_are_spelled_as_the_lists_spell_korean_names() -> None:
    spelled = [list_spelling(s) for s in ("gim", "jeong", "eun", "bag", "cheol", "lyong")]
    assert spelled == ["kim", "jong", "un", "pak", "chol", "ryong"]


def test_the_index_finds_a_listed_korean_from_the_hanja_name() -> None:
    names = ["KIM, Jong Un", "JANG Song Thaek", "CHOE Ryong Hae", "Jin Zhengyuan"]
    entries = [
        Entry(id=f"t:{i}", source="t", list="SDN", schema=Schema.PERSON, names=(Name(n),))
        for i, n in enumerate(names)
    ]
    index = MatchIndex.build(entries)
    for query, listed in (("金正恩", "KIM, Jong Un"), ("張成澤", "JANG Song Thaek")):
        found = index.screen(Party(name=query, schema=Schema.PERSON), limit=1)
        assert [m.matched_name for m in found] == [listed]


def test_latin_spellings_of_hangul_syllables() -> None:
    from entityscreen.names.korean import given_name_spellings, korean_shaped, latin_spellings

    assert {"kim"} <= set(latin_spellings("gim"))
    assert {"lee", "ri", "yi", "rhee", "li"} <= set(latin_spellings("i"))
    assert {"park", "pak", "bak"} <= set(latin_spellings("bag"))
    assert {"jong", "jung"} <= set(latin_spellings("jeong"))
    assert "park" not in latin_spellings("bag", surname=False)
    assert {"jongun", "jeongeun"} <= set(given_name_spellings(["jeong", "eun"]))
    assert "myungbak" in given_name_spellings(["myeong", "bag"])
    assert all(korean_shaped(w) for w in ["kim", "jongun", "myungbak", "lee", "rhee", "choi"])
    assert not any(korean_shaped(w) for w in ["vladimir", "xi", "a", "stroganoff"])
