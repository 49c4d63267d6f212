"""Phonetic keys."""

from __future__ import annotations

import pytest

from entityscreen.names.phonetic import metaphone_key, skeleton_key, translit_key


@pytest.mark.parametrize(
    ("a", "b"),
    [("zhelvinsky", "jelvinskiy"), ("khotintsev", "hotincev"), ("zavyalov", "zavjalov")],
)
def test_transliteration_variants_share_a_key(a: str, b: str) -> None:
    assert translit_key(a) == translit_key(b)


@pytest.mark.parametrize(
    ("abjad", "latin"),
    [("mhmd", "mohamed"), ("hmd", "ahmed"), ("msh", "moshe"), ("hwblwt", "hovalot")],
)
def test_consonant_skeletons(abjad: str, latin: str) -> None:
    assert skeleton_key(abjad) == skeleton_key(latin)


def test_metaphone() -> None:
    assert metaphone_key("smith") == metaphone_key("smyth")
    assert metaphone_key("1234") == ""
