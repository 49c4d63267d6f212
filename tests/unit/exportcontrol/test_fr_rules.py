"""The Federal Register rules data file and how citations find their rule."""

from __future__ import annotations

from datetime import date

import pytest

from entityscreen.exportcontrol._data import DataFileError
from entityscreen.exportcontrol.federal_register import parse_citations
from entityscreen.exportcontrol.fr_rules import (
    FrRules,
    _read_rule,
    date_citation,
    find_rule,
    load_fr_rules,
)

# The rules behind the seed events, with the dates issue #10 gives (all unverified).
SEED = {
    "84 FR 22961": (date(2019, 5, 21), date(2019, 5, 16)),
    "84 FR 43493": (date(2019, 8, 21), date(2019, 8, 19)),
    "84 FR 54002": (date(2019, 10, 9), date(2019, 10, 9)),
    "85 FR 34495": (date(2020, 6, 5), date(2020, 6, 5)),
    "85 FR 34503": (date(2020, 6, 5), date(2020, 6, 5)),
    "85 FR 44159": (date(2020, 7, 22), date(2020, 7, 22)),
}


def one(text: str):  # type: ignore[no-untyped-def]
    [citation] = parse_citations(text).citations
    return citation


def test_seed_rules_and_their_dates() -> None:
    rules = {r.label: r for r in load_fr_rules().rules}
    assert {label: (r.published, r.effective) for label, r in rules.items()} == SEED
    # No date here was read in a rule's own DATES section: none may claim to be verified.
    assert not any(r.verified for r in rules.values())
    assert all(r.source.startswith("issue #10") for r in rules.values())


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("84 FR 22961", "84 FR 22961"),
        ("84 FR 22963, 5/21/19", "84 FR 22961"),  # a page inside the Huawei rule
        ("84 FR 43495", "84 FR 43493"),
        ("84 FR 54004, 10/9/19.", "84 FR 54002"),
        ("85 FR 34500", "85 FR 34495"),
        ("85 FR 34505, 6/5/20", "85 FR 34503"),  # two rules of one day: the nearer one
        ("85 FR 44161, 7/22/20", "85 FR 44159"),
    ],
)
def test_citation_finds_its_rule(text: str, rule: str) -> None:
    found = find_rule(one(text))
    assert found is not None and found.label == rule


@pytest.mark.parametrize(
    "text",
    [
        "84 FR 22960",  # before the rule
        "84 FR 22999",  # beyond max_pages of its first page
        "86 FR 22963",  # another volume
        "84 FR 22963, 6/1/19",  # a date that is not the rule's: another document
        "Vol. 84, No. 98, 5/21/2019",  # no page
    ],
)
def test_citation_without_a_rule(text: str) -> None:
    assert find_rule(one(text)) is None


def test_dated_citation_effective_vs_published() -> None:
    huawei = date_citation(one("84 FR 22963"))
    assert (huawei.published, huawei.effective) == (date(2019, 5, 21), date(2019, 5, 16))
    assert huawei.describe() == (
        "84 FR 22963 (rule 84 FR 22961): published 2019-05-21, effective 2019-05-16"
    )
    assert huawei.to_dict()["verified"] is False
    unknown = date_citation(one("87 F.R. 52741 8/29/2022"))
    assert unknown.rule is None
    assert (unknown.published, unknown.effective) == (date(2022, 8, 29), date(2022, 8, 29))
    assert unknown.basis.startswith("date printed with the citation")
    undated = date_citation(one("80 FR 12345"))
    assert (undated.effective, undated.describe()) == (None, "80 FR 12345: undated")


def test_last_page_bounds_a_rule() -> None:
    rule = _read_rule(
        {
            "volume": 84,
            "first_page": 100,
            "last_page": 101,
            "title": "t",
            "published": date(2019, 1, 2),
            "effective": date(2019, 1, 1),
            "verified": True,
            "source": "s",
        },
        "test",
    )
    rules = FrRules((rule,), max_pages=20)
    assert find_rule(one("84 FR 101"), rules) is rule
    assert find_rule(one("84 FR 102"), rules) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"published": "May 21"}, "not an ISO date"),
        ({"effective": None}, "published and effective dates are required"),
        ({"verified": "yes"}, "verified must be true or false"),
        ({"last_page": 10}, "last_page before first_page"),
        ({"volume": "x"}, "test"),
    ],
)
def test_malformed_rule(change: dict[str, object], message: str) -> None:
    raw = {
        "volume": 84,
        "first_page": 100,
        "title": "t",
        "published": "2019-01-02",
        "effective": "2019-01-01",
        "verified": False,
        "source": "s",
        **change,
    }
    with pytest.raises(DataFileError, match=message):
        _read_rule(raw, "test")
