"""The OFAC-style score (matching/ofac_score.py) on invented pairs: Soundex, the
SimMetrics Jaro-Winkler, word order, partial names, punctuation, short parts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Jaro, JaroWinkler

from entityscreen.errors import InputError
from entityscreen.matching import compare_ofac, ofac_score
from entityscreen.matching.ofac_score import explain_ofac, jaro_winkler, normalize_ofac, soundex


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Robert", "R163"),
        ("Rupert", "R163"),
        ("Rubin", "R150"),
        ("Ashcraft", "A261"),  # H between S and C: C codes like S, once
        ("Tymczak", "T522"),
        ("Pfister", "P236"),  # F codes like the first letter P: not repeated
        ("Honeyman", "H555"),
        ("Lee", "L000"),
        ("a", "A000"),
    ],
)
def test_soundex_matches_the_published_examples(word: str, code: str) -> None:
    assert soundex(word) == code


def test_soundex_is_empty_outside_latin_letters() -> None:
    assert soundex("Пётр") == ""
    assert soundex("R2D2") == ""
    assert soundex("") == ""


def test_jaro_winkler_adds_the_prefix_bonus_below_0_7() -> None:
    # Pure Jaro 0.60 with a three-letter common prefix: rapidfuzz (Winkler's paper) gives
    # no bonus under 0.7; the SimMetrics form SLS is thought to use always does.
    a, b = "ANDERSEN", "ANDRIANOVA OKSANA VIKTOROVNA"
    jaro = Jaro.similarity(a, b)
    assert jaro < 0.7
    assert JaroWinkler.similarity(a, b) == pytest.approx(jaro)
    assert jaro_winkler(a, b) == pytest.approx(jaro + 3 * 0.1 * (1 - jaro))


def test_jaro_winkler_bonus_counts_at_most_four_letters() -> None:
    jaro = Jaro.similarity("KOWALCZYK", "KOWALSKI")
    assert jaro_winkler("KOWALCZYK", "KOWALSKI") == pytest.approx(jaro + 0.4 * (1 - jaro))


def test_identical_names_score_100() -> None:
    assert ofac_score("Marta Kowalczyk", "MARTA KOWALCZYK").score == 100


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ -,.", min_size=1, max_size=40))
def test_any_name_scores_100_against_itself(name: str) -> None:
    if not any(ch.isalpha() for ch in name):
        return
    assert ofac_score(name, name).score == 100


def test_word_order_of_the_listed_name_does_not_matter() -> None:
    result = ofac_score("MARTA KOWALCZYK", "KOWALCZYK, Marta")
    assert result.score == 100
    assert result.gated  # M vs K: the whole-name technique is not run
    assert result.whole == 0.0
    assert result.parts == 1.0


def test_the_first_letter_of_the_query_gates_the_whole_name_technique() -> None:
    # The same words in the other order: only the typed order changes the first letter.
    forward = ofac_score("MARTA KOWALCZYK", "MARTINEZ OIL")
    reverse = ofac_score("KOWALCZYK MARTA", "MARTINEZ OIL")
    assert not forward.gated and forward.whole > 0.75
    assert reverse.gated and reverse.whole == 0.0
    assert forward.parts == pytest.approx(reverse.parts)
    assert forward.score > reverse.score


def test_partial_name_scores_100() -> None:
    # Every part entered found: extra listed parts cost nothing.
    assert ofac_score("KOWALCZYK", "KOWALCZYK, Marta Anna").score == 100
    assert ofac_score("Marta Kowalczyk", "KOWALCZYK, Marta Anna Zofia").score == 100


def test_punctuation_is_a_space() -> None:
    assert normalize_ofac("  san-marco  shipping, ltd.") == "SAN MARCO SHIPPING LTD"
    assert ofac_score("SAN-MARCO SHIPPING", "SAN MARCO SHIPPING").score == 100
    assert ofac_score("KOWALCZYK, MARTA", "MARTA KOWALCZYK").score == 100


def test_joined_form_is_one_part() -> None:
    # "SANMARCO" is one part and "SAN MARCO" two: not the same name to SLS.
    assert ofac_score("SANMARCO SHIPPING", "SAN MARCO SHIPPING").score < 100


def test_a_part_without_a_similar_listed_part_counts_nothing() -> None:
    result = ofac_score("TOMASZ QUBY", "HERRERA, Tomasz")
    quby = next(d for d in result.details if d.part == "QUBY")
    assert quby.similarity < 0.5
    assert quby.counted == 0.0
    assert result.parts == pytest.approx(0.5)
    assert result.score == 50


def test_short_parts_are_left_out_unless_nothing_else_is_left() -> None:
    assert ofac_score("LI WEI MING", "ZHANG, Wei Ming").score == 100
    single = ofac_score("X", "XANADU")
    assert 0 < single.score < 100
    assert not single.details[0].short


def test_same_soundex_is_reported() -> None:
    result = ofac_score("MAHMUD", "MAHMOOD")
    assert result.details[0].soundex
    assert 85 <= result.score < 100
    assert "same Soundex" in explain_ofac(result)


def test_no_transliteration() -> None:
    assert ofac_score("Марта Ковальчик", "KOWALCZYK, Marta").score == 0


def test_explanation_names_both_techniques() -> None:
    text = explain_ofac(ofac_score("KOWALCZYK MARTA", "MARTINEZ OIL"))
    assert text.startswith("OFAC-style score 74: whole name not compared (first letters differ)")
    assert "'KOWALCZYK' ~ " in text


@pytest.mark.parametrize("bad", ["", "   ", "-.,", "x" * 20_000])
def test_bad_names_are_refused(bad: str) -> None:
    with pytest.raises(InputError):
        ofac_score(bad, "MARTA KOWALCZYK")
    with pytest.raises(InputError):
        ofac_score("MARTA KOWALCZYK", bad)


def test_not_text_is_refused() -> None:
    with pytest.raises(InputError, match="must be text"):
        ofac_score(42, "MARTA")  # type: ignore[arg-type]


def test_compare_ofac_reports_a_share() -> None:
    result = compare_ofac("MARTA KOWALCZYK", "MARTINEZ OIL")
    assert result.score == 0.79
    assert result.features["ofac_score"] == 79.0
    assert result.features["whole_name"] == pytest.approx(0.79)
    assert result.explanation.startswith("OFAC-style score 79")
