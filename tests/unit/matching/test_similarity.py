"""Token similarity rules."""

from __future__ import annotations

from entityscreen.matching.similarity import typo_similarity, word_similarity


def test_exact_and_different() -> None:
    assert word_similarity("acme", "acme") == (1.0, "exact")
    assert word_similarity("acme", "zorg") == (0.0, "")


def test_short_words_must_be_equal() -> None:
    assert typo_similarity("tom", "tim") == 0.0


def test_typos_are_scaled_by_length() -> None:
    assert typo_similarity("putin", "pulin") < typo_similarity("lindenberg", "lindenbarg")


def test_abbreviations_and_contractions() -> None:
    assert word_similarity("intl", "international")[1] == "abbreviation"
    assert word_similarity("mgmt", "management")[1] in ("abbreviation", "contraction")


def test_consonant_skeleton_only_across_scripts() -> None:
    assert word_similarity("mhmd", "mohamed", True)[1] == "consonants"
    assert word_similarity("mhmd", "mohamed", False)[0] < 0.9
