"""UK Sanctions List tables (covyr re-shaping, 2026-05) on the real folder (parsed once)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from entityscreen.model import Entry, Identifier, NameKind, Schema
from entityscreen.sources.base import Parsed
from entityscreen.sources.uk import UK_CSV

pytestmark = pytest.mark.slow

RELATIVE = Path("uk_sanctions_list_2026-05_transformed")


@pytest.fixture(scope="module")
def parsed(shared_data: Path) -> Parsed:
    return UK_CSV.parse(shared_data / RELATIVE)


@pytest.fixture(scope="module")
def entries(parsed: Parsed) -> dict[str, Entry]:
    return {e.id: e for e in parsed.entries}


def test_counts_and_published(parsed: Parsed, entries: dict[str, Entry]) -> None:
    assert Counter(e.schema for e in parsed.entries) == {
        Schema.PERSON: 3_883,
        Schema.ORGANIZATION: 1_531,
        Schema.VESSEL: 632,
    }
    assert len(entries) == 6_046
    assert {e.list for e in parsed.entries} == {"UK"}
    assert parsed.published == "2026-04-29"
    assert parsed.published_basis == "inferred: newest last_updated in subjects.csv"
    assert parsed.warnings == []
    # 15,050 name rows: 8 repeat a name of the same subject.
    kinds = Counter(n.kind for e in parsed.entries for n in e.names)
    assert kinds == {NameKind.PRIMARY: 6_046, NameKind.AKA: 8_391, NameKind.WEAK: 605}
    programs = Counter(p for e in parsed.entries for p in e.programs)
    assert programs["Russia"] == 3_252
    assert programs["ISIL (Da'esh) and Al-Qaida"] == 343
    assert not [p for p in programs if p.startswith("UK regime")]
    # 22,787 identifier rows, mostly verbatim repeats; 3,538 DOB rows, all distinct.
    assert sum(len(e.identifiers) for e in parsed.entries) == 2_370
    assert sum(len(e.birth_dates) for e in parsed.entries) == 3_538


def test_kiselyov(entries: dict[str, Entry]) -> None:
    entry = entries["uk_sanctions:RUS0001"]
    assert entry.schema is Schema.PERSON
    assert entry.primary_name == "Dmitry Konstantinovich Kiselyov"
    assert "Dmitrii Konstantinovich Kiselev" in [n.value for n in entry.names]
    assert entry.nationalities == ("RU",)
    assert entry.programs == ("Russia",)
    assert entry.legal.start_date == "2020-12-31"
    assert entry.legal.last_update == "2025-04-09"


def test_taliban_member_with_partial_dobs(entries: dict[str, Entry]) -> None:
    entry = entries["uk_sanctions:AFG0007"]
    assert entry.primary_name == "Abdul Kabir MOHAMMAD JAN"
    assert entry.birth_dates == ("1969-06-04", "1963", "1953", "1968")
    assert entry.identifiers == (Identifier("Passport", "D0009925"),)
    assert entry.properties["un_reference"] == ("TAi.003",)
    assert entry.programs == ("Afghanistan",)
    assert entry.legal.start_date == "2001-01-25"


def test_ships_carry_imo_numbers(parsed: Parsed) -> None:
    ships = [e for e in parsed.entries if e.schema is Schema.VESSEL]
    imos = [i.value for e in ships for i in e.identifiers if i.type == "IMO"]
    assert imos and all(len(v) == 7 and v.isdigit() for v in imos)
