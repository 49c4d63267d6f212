"""The data tables load and their keys are normalised like names."""

from __future__ import annotations

from entityscreen.names import lexicon


def test_tables_load() -> None:
    assert "gmbh" in lexicon.legal_forms()
    assert "international" in lexicon.abbreviations()["intl"]
    assert lexicon.generic_words()["technologies"] == "technology"
    assert "hangzhou" in lexicon.places()
    assert "bin" in lexicon.stopwords()
    assert "mr" in lexicon.titles()
    assert "mv" in lexicon.vessel_prefixes()
    assert lexicon.number_words()["forty"] == 40


def test_keys_ignore_spacing_punctuation_and_script() -> None:
    assert lexicon.make_key("Sp. z o.o.") == lexicon.make_key("SP Z OO") == "spzoo"
    assert lexicon.make_key("有限公司") == "youxiangongsi"
    assert lexicon.make_key("& Co") == "andco"


def test_legal_forms_carry_class_and_jurisdictions() -> None:
    gmbh = lexicon.legal_forms()["gmbh"]
    assert gmbh.classes == {"llc"}
    assert "DE" in gmbh.jurisdictions
    assert lexicon.legal_forms()["ltd"].jurisdictions == frozenset()


def test_every_prefix_of_a_phrase_is_known() -> None:
    assert "spz" in lexicon.phrase_prefixes()
