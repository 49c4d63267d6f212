"""Tokens of a name: kinds, legal forms, numbers, initials, phrases."""

from __future__ import annotations

import pytest

from entityscreen.names import TokenKind, analyze_name
from entityscreen.names.tokens import roman_value


def kinds(name: str, *, person: bool = False) -> list[tuple[str, str]]:
    form = analyze_name(name, person=person).forms[0]
    return [(t.text, t.kind.value) for t in form.tokens]


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("SIS d.o.o.", "doo"),
        ("SIS D. O. O.", "doo"),
        ("Haige Co., Ltd.", "ltd"),
        ("Haige Company Limited", "ltd"),
        ("华为技术有限公司", "youxiangongsi"),
        ("ООО Байкал", "ooo"),
        ('Nakhmias בע"מ', "bm"),
        ("Harum Manis Sendirian Berhad", "sdnbhd"),
        ("Kaszubska Sp. z o.o.", "spzoo"),
        ("Olvetra GmbH", "gmbh"),
        ("Rancho Vercel S.A. de C.V.", "sadecv"),
    ],
)
def test_legal_forms_are_recognised(name: str, canonical: str) -> None:
    legal = [t for t in analyze_name(name).forms[0].tokens if t.kind is TokenKind.LEGAL]
    assert legal and legal[-1].text == canonical
    assert legal[-1].legal is not None


def test_short_legal_forms_only_at_an_edge() -> None:
    assert ("as", "legal") in kinds("Mangalsalas Doki AS")
    assert ("as", "legal") not in kinds("Bank As Salam Trading")


def test_numbers_in_digits_words_and_roman_numerals() -> None:
    assert ("44", "number") in kinds("Brigade Forty-Four")
    assert ("44", "number") in kinds("Brigade Forty 4")
    assert ("2", "number") in kinds("Sino Iron II")
    assert ("8", "number") in kinds("Hoshikaze Maru No. 8")
    assert ("1", "number") in kinds("1st International Bank")


def test_roman_numerals() -> None:
    assert roman_value("xiv") == 14
    assert roman_value("iiii") is None
    assert roman_value("civ") is None


def test_no_roman_numerals_in_person_names() -> None:
    assert ("xi", "word") in kinds("Jinping Xi", person=True)


def test_dotted_and_spaced_initials_are_joined() -> None:
    assert kinds("A.B.C. Company")[0] == ("abc", "word")
    assert kinds("N K Bansal & Co")[0] == ("nk", "word")


def test_single_letters_of_persons_are_initials() -> None:
    assert ("j", "initial") in kinds("J. Smith", person=True)


def test_generic_words_places_and_abbreviations() -> None:
    form = analyze_name("Hangzhou Hikvision Digital Technologies Intl").forms[0]
    flags = {t.text: (t.generic, t.place) for t in form.tokens}
    assert flags["hangzhou"] == (False, True)
    assert flags["technology"] == (True, False)
    assert flags["hikvision"] == (False, False)
    intl = next(t for t in form.tokens if t.text == "intl")
    assert "international" in intl.alts


def test_look_alike_digits_inside_words() -> None:
    assert [t for t, _ in kinds("Ig0r Sech1n")] == ["igor", "sechin"]


def test_titles_and_vessel_prefixes_are_stopwords() -> None:
    assert kinds("Mr. John Smith", person=True)[0] == ("mr", "stop")
    assert kinds("M/V Pelgarra Glory")[0] == ("mv", "stop")


def test_repeated_words_are_dropped() -> None:
    assert [t for t, _ in kinds("Sergey Sergey Shoigu", person=True)] == ["sergey", "shoigu"]


def test_a_name_of_stopwords_only_keeps_them() -> None:
    assert [k for _, k in kinds("The The")] == ["word"]


def test_a_persons_name_has_no_legal_form() -> None:
    assert kinds("Wei Chao", person=True) == [("wei", "word"), ("chao", "word")]


def test_a_particle_at_the_end_of_a_persons_name_is_a_name() -> None:
    assert ("le", "word") in kinds("Mai Lê", person=True)
    assert ("bin", "word") in kinds("Wei Bin", person=True)
    # Leading a name it stays a particle.
    assert ("bin", "stop") in kinds("Osama bin Laden", person=True)


def test_a_particle_written_with_diacritics_is_a_name() -> None:
    # Vietnamese names: "Lê" and "Văn" are a family and a middle name, "Vân" a given name;
    # European particles are written without diacritics.
    words = [("le", "word"), ("van", "word"), ("thanh", "word")]
    assert kinds("Lê Văn Thành", person=True) == words
    assert ("van", "word") in kinds("Vân Vũ", person=True)
    assert ("da", "word") in kinds("Đà Nẵng Trading")
    assert ("van", "stop") in kinds("Ludwig van Beethoven", person=True)
    # A one-letter word with its accent is still a function word ("à" in French).
    assert ("a", "stop") in kinds("Café à Paris SARL")


def test_words_of_a_name_written_with_vietnamese_letters_are_syllables() -> None:
    def flags(name: str) -> list[bool]:
        return [t.syllable for t in analyze_name(name, person=True).forms[0].tokens]

    assert flags("Phương Hoàng") == [True, True]
    assert flags("Nguyễn Thị Hải") == [True, True, True]
    # Letters Vietnamese shares with other alphabets do not make a name Vietnamese.
    assert flags("Ștefănescu Bălan") == [False, False]
    assert flags("Đorđe Đorđević") == [False, False]
    assert flags("Phuong Hoang") == [False, False]


def test_the_pinyin_syllable_file_is_what_pypinyin_yields() -> None:
    from entityscreen.names.syllables import pinyin_syllables, syllables_from_pypinyin

    # scripts/build_pinyin_syllables.py writes the file; rerun it after a pypinyin upgrade.
    assert pinyin_syllables() == syllables_from_pypinyin()
    assert {"zhang", "jian", "ming"} <= pinyin_syllables()
    assert "din" not in pinyin_syllables()  # a rare reading, left out


def test_the_han_readings_file_is_what_pypinyin_reads() -> None:
    from importlib import resources

    from entityscreen.names.lexicon import han_readings_table
    from entityscreen.names.transliterate import word_list_readings

    # scripts/build_han_readings.py writes the file; rerun it after editing a word list.
    stored = resources.files("entityscreen.names").joinpath("data", "han_readings.tsv")
    assert stored.read_text("utf-8") == han_readings_table()
    assert word_list_readings()["有限公司"] == "you xian gong si"
    assert word_list_readings()["科技"] == "ke ji"


def test_a_latin_name_is_analysed_without_importing_pypinyin() -> None:
    import subprocess
    import sys

    # The word lists' Han words come from the readings table: a Latin-only name (most
    # of a customer file, and every `entityscreen screen "ACME"`) never loads pypinyin.
    code = (
        "import sys\n"
        "from entityscreen.names import analyze_name\n"
        "analyze_name('Hangzhou Hikvision Digital Technology Co., Ltd.')\n"
        "assert 'pypinyin' not in sys.modules, 'pypinyin imported'\n"
        "analyze_name('杭州海康威视数字技术股份有限公司')\n"
        "assert 'pypinyin' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_persons_name_holds_no_places() -> None:
    # "Lima", "Jordan" in a person's name are names, weighed like any other word.
    tokens = analyze_name("Julia Lima", person=True).forms[0].tokens
    assert [t.place for t in tokens] == [False, False]
    assert [t.place for t in analyze_name("Banco de Lima").forms[0].tokens][-1]


def test_a_single_letter_read_from_hangul_is_a_name() -> None:
    # 이 "i" is the family name Lee / Ri, not an initial.
    assert kinds("이수빈", person=True)[0] == ("i", "word")
    assert kinds("J. Smith", person=True)[0] == ("j", "initial")


def test_hebrew_and_joined_to_a_generic_word_is_that_word() -> None:
    # ו ("and") is written joined to the next word: "והובלה" is "and transport".
    form = analyze_name("כהן סחר והובלה בע״מ").forms[0]
    generic = {t.text for t in form.tokens if t.generic}
    assert {"trading", "transport"} <= generic
    # A word that merely starts with the letter is left alone ("ורד", Vered, a name).
    plain = analyze_name("ורד שיווק בע״מ").forms[0]
    assert [t.generic for t in plain.tokens if t.kind is TokenKind.WORD] == [False, True]
    # People's names have no generic words.
    person = analyze_name("יוסי והובלה", person=True).forms[0]
    assert not any(t.generic for t in person.tokens)


def test_food_words_share_one_canonical_form() -> None:
    for name in ("Karmel Foods Ltd", "Karmel Foodstuffs Ltd", "Karmel Food Ltd"):
        tokens = analyze_name(name).forms[0].tokens
        assert ("food", True) in {(t.text, t.generic) for t in tokens}
