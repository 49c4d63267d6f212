"""Legal-form words misspelt by one edit (names/misspelt.py)."""

from __future__ import annotations

import pytest

from entityscreen.names import analyze_name


def kinds(name: str) -> list[tuple[str, str]]:
    return [(t.text, t.kind.value) for t in analyze_name(name).forms[0].tokens]


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("OPEN JOINT STOOCK COMPANY INVESTCAPITALBANK", "ojsc"),
        ("LIITED LIABILITY COMPANY PROMBIZNES", "llc"),
        ("LEDA LIMITED LIABILITY COMPAY", "llc"),
        ("Общество с Ограниченонй Ответственностью «Элпром»", "ooo"),
        ("SBERBANK LIZING ZAKRYTOE AKTSIOONERNOE OBSHCHESTVO", "zao"),
    ],
)
def test_a_misspelt_word_of_a_legal_form_is_read_as_the_form(name: str, form: str) -> None:
    tokens = kinds(name)
    assert (form, "legal") in tokens
    misspelt = {"stoock", "liited", "compay"}
    assert all(kind != "word" or text not in misspelt for text, kind in tokens)


def test_a_name_word_near_a_legal_word_stays_a_name() -> None:
    # "stock company" would rest on "company" alone: "Stork" is the name.
    assert ("stork", "word") in kinds("Stork Company Ltd")
    assert ("limitless", "word") in kinds("Limitless Liability Company")
    # A person's name has no legal forms, misspelt or not.
    person = [t.kind.value for t in analyze_name("Stoock Joint", person=True).forms[0].tokens]
    assert person == ["word", "word"]
