"""Japanese readings of kanji names (cutlet + unidic-lite, the real dictionary)."""

from __future__ import annotations

from entityscreen.names import analyze_name
from entityscreen.names.japanese import has_japanese_script, japanese_reading


def test_kanji_names_are_read_as_japanese_with_plain_long_vowels() -> None:
    assert japanese_reading("山田太郎") == "yamada taro"
    assert japanese_reading("鈴木一郎") == "suzuki ichiro"


def test_latin_and_hangul_names_have_no_reading() -> None:
    assert japanese_reading("Yamada Taro") is None
    assert japanese_reading("김정은") is None
    assert not has_japanese_script("Hikvision")


def test_simplified_chinese_the_dictionary_cannot_read_gets_no_half_reading() -> None:
    # 习 is not a Japanese character: no reading rather than "taira" for 平 alone.
    assert japanese_reading("习近平") is None


def test_the_reading_is_one_more_form_of_the_name() -> None:
    forms = [form.text for form in analyze_name("山田太郎").forms]
    assert forms == ["shan tian tai lang", "yamada taro"]
    reading = analyze_name("山田太郎").forms[1]
    assert all(token.script == "kana" for token in reading.words)
