"""Token similarity rules."""

from __future__ import annotations

from entityscreen.matching.similarity import compare_tokens, typo_similarity, word_similarity
from entityscreen.names.tokens import Token


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


def test_hangul_and_latin_tokens_meet_through_the_korean_key() -> None:
    hangul = Token(text="jeong", surface="jeong", script="hangul")
    latin = Token(text="jong", surface="jong")
    assert compare_tokens(hangul, latin) == (0.92, "romanisation")
    # Between two Latin tokens the Korean key is not used.
    assert compare_tokens(Token(text="jeong", surface="jeong"), latin)[1] != "romanisation"


def test_two_japanese_readings_that_differ_are_different_words() -> None:
    a = Token(text="kirisame", surface="kirisame", script="kana")
    b = Token(text="harusame", surface="harusame", script="kana")
    assert compare_tokens(a, b) == (0.0, "")


def test_a_vowelless_word_read_as_a_generic_word_still_meets_a_name() -> None:
    # שחר: the lexicon reads it as סחר ("trading"); it is also the name Shachar.
    hebrew = Token(text="trading", surface="shr", script="abjad", generic=True)
    value, rule = compare_tokens(hebrew, Token(text="shachar", surface="shachar"))
    assert (value, rule) == (0.93, "consonants")


def test_a_replaced_first_consonant_costs_more_than_a_later_typo() -> None:
    # One substitution in five letters either way; at the start it is rarer as a typo.
    assert typo_similarity("rikor", "vikor") < typo_similarity("rikor", "rivor")
    # Not for vowels, "y", letters added at the start, or romanisation pairs.
    assert typo_similarity("usama", "osama") == typo_similarity("usama", "usima")
    assert typo_similarity("yong", "jong") == typo_similarity("yong", "yung")
    assert typo_similarity("cabul", "kabul") == typo_similarity("cabul", "cabil")


def test_written_long_vowels_must_agree_across_scripts() -> None:
    from entityscreen.matching.similarity import vowels_agree

    assert vowels_agree("mwhmd", "mohamed")  # vav = o
    assert vowels_agree("ywsf", "yusuf")
    assert not vowels_agree("mwr", "maria")  # vav is no "a"
    assert not vowels_agree("bytwn", "putina")  # yod is no "u"
    assert not vowels_agree("ywsf", "usov")  # an initial yod is no "u"
    assert vowels_agree("abrahym", "ibrahim")  # an initial alef may be any vowel


def test_a_different_syllable_is_another_name() -> None:
    # Pinyin words whose syllables differ are other names, not typos.
    assert compare_tokens(Token("jianming"), Token("jianping")) == (0.0, "")
    assert compare_tokens(Token("zheng"), Token("zhang")) == (0.0, "")
    # Western names that only look syllabic keep their typo rule.
    assert compare_tokens(Token("laden"), Token("ladin"))[0] > 0.0
    # Hangul (and Han) against each other: the same reading or nothing.
    assert compare_tokens(Token("jeong", script="hangul"), Token("yeong", script="hangul")) == (
        0.0,
        "",
    )


def test_names_that_only_split_into_pinyin_keep_the_typo_rule() -> None:
    assert compare_tokens(Token("dunfa"), Token("danfa"))[0] > 0.0
    assert compare_tokens(Token("anne"), Token("anna"))[0] > 0.0


def test_a_final_long_vowel_is_written() -> None:
    from entityscreen.matching.similarity import vowels_agree

    assert not vowels_agree("q'sm", "kazemi")  # Latin ends in "i", the abjad in a consonant
    assert vowels_agree("hdy", "hadi")
    assert vowels_agree("msh", "moshe")  # a final "e" is not judged
    assert vowels_agree("rd", "reza")  # a final alef is not transliterated: "a" not judged


def test_syllables_of_a_vietnamese_name_agree_only_by_their_letters() -> None:
    from entityscreen.matching import compare_names
    from entityscreen.model import Schema

    # Vietnamese names are drawn from a closed inventory of syllables: a near spelling is
    # another name, never a typo ("Phương" / "Phong", "Hải" / "Chai", "Vũ" / "Wu").
    for query, listed in (("Phương Hoàng", "Phong Hoang"), ("Hải Vũ", "WU, Chai Su")):
        assert compare_names(query, listed, schema=Schema.PERSON).score < 0.5
    # The same letters, with or without the marks, are the same name.
    for query, listed in (("Nguyễn Văn An", "NGUYEN VAN AN"), ("Trần Hưng Đạo", "TRAN, Hung Dao")):
        assert compare_names(query, listed, schema=Schema.PERSON).score >= 0.99


def test_pinyin_syllables_of_one_spelling_key_are_still_two_names() -> None:
    from entityscreen.matching import compare_names
    from entityscreen.model import Schema

    # zh and j fold to one key for Russian spellings ("Zhukov" / "Jukov"); in pinyin
    # zhi and ji are two syllables, so "Zhicheng" and "Jicheng" are two given names.
    assert compare_names("Zhang Zhicheng", "ZHANG, Jicheng", schema=Schema.PERSON).score < 0.5
    assert compare_names("Zhang Zhicheng", "Zhang Zhi-cheng", schema=Schema.PERSON).score >= 0.99


def test_a_burmese_final_long_a_is_written_with_a_silent_r() -> None:
    from entityscreen.names import analyze_name

    def token(name: str) -> Token:
        return analyze_name(name).forms[0].tokens[0]

    # စန္ဒာ is read "sanda" and written "Sandar"; ထား "hta", "Htar".
    for burmese, latin in (("စန္ဒာ", "Sandar"), ("ထား", "Htar")):
        read, written = token(burmese), token(latin)
        assert read.text + "r" == written.text
        assert compare_tokens(read, written) == (0.92, "romanisation")
        assert compare_tokens(written, read) == (0.92, "romanisation")
    # Only an "r" after an "a", and only against a reading of the script: two Latin
    # words one "r" apart are a typo at most.
    assert compare_tokens(token("Sandar"), token("Sanda"))[1] != "romanisation"
    assert compare_tokens(token("စန္ဒာ"), token("Sandaw"))[1] != "romanisation"
