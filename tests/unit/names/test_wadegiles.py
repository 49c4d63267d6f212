"""Pinyin readings of Wade-Giles syllables (names/wadegiles.py)."""

from __future__ import annotations

import pytest

from entityscreen.names.syllables import pinyin_syllables
from entityscreen.names.wadegiles import joined_readings, pinyin_readings


@pytest.mark.parametrize(
    ("wade_giles", "pinyin"),
    [
        ("hsi", "xi"), ("hsiao", "xiao"), ("hsueh", "xue"), ("chiang", "jiang"),
        ("chih", "zhi"), ("shih", "shi"), ("tzu", "zi"), ("ssu", "si"), ("jen", "ren"),
        ("kung", "gong"), ("hsiung", "xiong"), ("hsien", "xian"), ("chieh", "jie"),
    ],
)  # fmt: skip
def test_wade_giles_syllables_read_as_pinyin(wade_giles: str, pinyin: str) -> None:
    assert pinyin in pinyin_readings(wade_giles)


def test_pinyin_syllables_get_no_other_reading() -> None:
    # Every pinyin syllable is read as itself only, so pinyin queries look nothing more up.
    assert not [s for s in sorted(pinyin_syllables()) if pinyin_readings(s)]


def test_readings_are_pinyin_syllables() -> None:
    words = ["hsi", "chin", "tse", "tung", "chiang", "kuang", "tsai", "chou", "hsu", "ko"]
    for word in words:
        assert set(pinyin_readings(word)) <= pinyin_syllables()


def test_a_hyphenated_given_name_reads_as_one_pinyin_word() -> None:
    assert "jinping" in joined_readings("chin", "ping")
    assert "zedong" in joined_readings("tse", "tung")
    assert joined_readings("xiao", "ping") == ()
