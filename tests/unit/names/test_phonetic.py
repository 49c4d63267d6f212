"""Phonetic keys."""

from __future__ import annotations

import pytest

from entityscreen.names.phonetic import (
    korean_key,
    letter_skeleton,
    metaphone_key,
    skeleton_key,
    skeleton_keys,
    translit_key,
)


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


def test_h_is_no_k() -> None:
    # "kh" reads h (خالد "khld" / "Khaled"), but a written k, q or c is no h: חיים "hyym"
    # is "Chaim", not "Kim"; כהן (read "qhn") is "Cohen", not "Khan" or "Hany".
    assert skeleton_key("khld") == skeleton_key("khaled") == skeleton_key("chaled")
    assert skeleton_key("hyym") == skeleton_key("chaim") != skeleton_key("kim")
    assert skeleton_key("qhn") == skeleton_key("cohen") == skeleton_key("kohn")
    assert skeleton_key("qhn") not in {skeleton_key(w) for w in ("khan", "hany", "kony")}


@pytest.mark.parametrize(
    ("abjad", "latin", "other"),
    [("mlkhh", "malkha", "maalla"), ("smhh", "simha", "sami"), ("ftyhh", "ftiha", "fata")],
)
def test_a_final_vowel_h_after_a_consonant_h_keeps_the_consonant(
    abjad: str, latin: str, other: str
) -> None:
    # מלכה "mlkhh", שמחה "smhh": the last h writes the final vowel, the one before it a
    # consonant (kh, h), which the skeleton keeps ("Malkha" / "Simha"), so the name no
    # longer meets a name without it ("Maalla", "Sami").
    assert skeleton_key(abjad) == skeleton_key(latin)
    assert skeleton_key(abjad) not in skeleton_keys(other)
    assert set(skeleton_keys(abjad)).isdisjoint(skeleton_keys(other))


def test_metaphone() -> None:
    assert metaphone_key("smith") == metaphone_key("smyth")
    assert metaphone_key("1234") == ""


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [
        ("gim", "kim"),
        ("jeong", "jong"),
        ("jeong", "chung"),
        ("eun", "un"),
        ("bak", "park"),
        ("hui", "hee"),
    ],
)
def test_korean_romanisations_share_a_key(hangul: str, latin: str) -> None:
    assert korean_key(hangul) == korean_key(latin)


def test_korean_key_keeps_different_syllables_apart() -> None:
    assert korean_key("eun") != korean_key("il")
    assert korean_key("su") != korean_key("ho")


@pytest.mark.parametrize(
    ("abjad", "latin"),
    [("shr", "shachar"), ("hzhb", "hazahav"), ("tsywt", "taasiyot")],
)
def test_letter_by_letter_skeletons_meet_latin_digraphs(abjad: str, latin: str) -> None:
    # The plain skeleton folds "sh"/"zh" digraphs an abjad never wrote; one of the
    # readings of skeleton_keys must agree.
    assert set(skeleton_keys(abjad)) & set(skeleton_keys(latin))


def test_letter_skeleton() -> None:
    # Letter by letter, no digraphs: c-h of "shachar" are two letters, k and h apart.
    assert letter_skeleton("shachar") == "shkhr"
    assert letter_skeleton("khlyl") == "khll"
    assert letter_skeleton("aeiou") == ""


def test_doubles_are_single_only_where_they_touch() -> None:
    from entityscreen.names.phonetic import skeleton_gaps, skeleton_key

    assert skeleton_key("khalil") == skeleton_key("khlyl") == "hll"
    assert skeleton_key("chawla") == "hl"
    assert skeleton_key("mohammed") == "mhmd"
    assert skeleton_gaps("mwr") == ("", "u", "")
    assert len(skeleton_gaps("mohammed")) == len(skeleton_key("mohammed")) + 1


def test_a_final_h_written_as_a_digraph_is_a_consonant() -> None:
    # ه at the end is often left out ("Abdulla"); خ ("kh") is not: الشيخ is "Sheikh".
    assert skeleton_key("abdullah") == skeleton_key("abdulla")
    assert skeleton_key("shykh") == skeleton_key("sheikh") == "sh"
    assert skeleton_key("zuoyou") != skeleton_key("shykh")
