"""Matching 0.4 on the real lists: the failure modes of issue #9 stay fixed.

Each query below is an ordinary party (a large company, a common person's name) that 0.3
alerted on against some listed name (a one-word alias, an acronym of its words, a
consonant skeleton, a schema it is not); the index holds every list of ../shared/data.
The figures (false alerts per 1,000 invented parties) are a benchmark's, not a test's:
``bench/base_rate.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from entityscreen.matching import MatchIndex
from entityscreen.matching.features import WEAK_CAP
from entityscreen.model import Entry, Party, Schema
from entityscreen.sources import parse_file

LISTS = [
    "us_csl_2022-05/consolidated.csv.gz",
    "ofac_sdn_2024-05-03/sdn.csv",
    "ofac_consolidated_nonsdn/cons_prim.csv",
    "bis_dpl_2023-11/dpl.txt",
    "un_sc_consolidated_2026-02-27/UN_consolidated.xml",
    "nsfreg_us_restricted_lists_2026-07/bis_entity_list.json",
    "nsfreg_us_restricted_lists_2026-07/dow_1260h.json",
    "uk_sanctions_list_2026-05_transformed",
    "eu_journal_sanctions_consolidated",
]


@pytest.fixture(scope="module")
def index(shared_data: Path) -> MatchIndex:
    entries: list[Entry] = []
    for rel in LISTS:
        entries.extend(parse_file(shared_data / rel).entries)
    return MatchIndex.build(entries)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "schema"),
    [
        ("Arthur Martin", Schema.PERSON),  # a one-word alias "Arthur"
        ("Julia West", Schema.PERSON),  # a one-word alias "JULIA"
        ("Mike Johnson", Schema.PERSON),  # a trafficker's one-word alias "MIKE"
        ("Jason Troy Johnson", Schema.PERSON),  # an organisation's acronym "JTJ"
        ("Pfizer Inc", Schema.ORGANIZATION),  # 'pfizer' ~ the skeleton of "BASHIR"
        ("Acme Photonics Trading Ltd", Schema.ORGANIZATION),  # "APT 38"
        ("Halcyon Telecom Services Ltd", Schema.ORGANIZATION),  # "HTS"
        ("Cisco Systems Inc", Schema.ORGANIZATION),  # "CICKO"
        ("Eni SpA", Schema.ORGANIZATION),  # "ENKI"
        ("Lockheed Martin Corporation", Schema.ORGANIZATION),  # AL-QAIDA in Arabic
        ("Grupo Bimbo S.A.B. de C.V.", Schema.ORGANIZATION),  # a Russian person
    ],
)
def test_ordinary_parties_do_not_alert(index: MatchIndex, name: str, schema: Schema) -> None:
    matches = index.screen(Party(name=name, schema=schema))
    assert matches == [], [(m.score, m.matched_name, m.explanation) for m in matches]


@pytest.mark.slow
def test_company_does_not_meet_a_person_by_one_word(index: MatchIndex) -> None:
    matches = index.screen(Party(name="Sun Company", schema=Schema.ORGANIZATION), limit=50)
    assert all(m.schema != "person" for m in matches)  # 0.3: "SUN, Wei" at 0.75


@pytest.mark.slow
def test_initials_of_a_customer_name_do_not_meet_a_listed_name(index: MatchIndex) -> None:
    matches = index.screen(Party(name="A-B-C Company", schema=Schema.ORGANIZATION), limit=50)
    assert all("AFRI BELG" not in m.matched_name for m in matches)


@pytest.mark.slow
def test_last_first_query_finds_the_listed_person(index: MatchIndex) -> None:
    party = Party(name="YEKATOM, ALFRED", schema=Schema.PERSON)
    matches = index.screen(party, lists=["UN"])
    assert [m.entry_id for m in matches] == ["un_sc:CFi.004"]


@pytest.mark.slow
def test_head_office_first_among_sibling_entries(index: MatchIndex) -> None:
    # Dozens of Huawei entries share the query's words (0.3 returned 18 of them, not the
    # head office). The head office comes first, at 1.0, before the affiliates the lists
    # name "Huawei Technology" (Cairo, Hanoi), also at 1.0: of equal scores, the entry
    # whose name's words, legal form aside, are closest to the query's goes first.
    matches = index.screen(Party(name="Huawei Technologies"), lists=["EL"], limit=50)
    assert matches[0].listed_name.startswith("Huawei Technologies Co., Ltd.")
    assert matches[0].score == 1.0
    assert any(m.listed_name == "Huawei Technology" and m.score == 1.0 for m in matches)


@pytest.mark.slow
def test_one_word_alias_alerts_only_as_the_exact_name(index: MatchIndex) -> None:
    # "MIKE" is a one-word a.k.a. of the SDN's RODRIGUEZ OREJUELA, Miguel Angel. Inside a
    # longer name it is capped below the threshold and says why; as the whole query it is
    # still found.
    party = Party(name="Mike Johnson", schema=Schema.PERSON)
    capped = [m for m in index.screen(party, threshold=0.0, limit=500) if m.matched_name == "MIKE"]
    assert capped
    assert all(m.score <= WEAK_CAP for m in capped)
    exact = index.screen(Party(name="Mike", schema=Schema.PERSON), limit=500)
    assert any(m.matched_name == "MIKE" for m in exact)
