"""The DPL adapter on BIS's dpl.txt of November 2023 in shared/data (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from entityscreen.model import Address, Entry, LegalFacts, Name, Schema
from entityscreen.sources.base import Parsed, head_bytes
from entityscreen.sources.dpl import DPL_TXT


def rows_of(entry: Entry) -> int:
    return int(entry.properties.get("dpl_rows", ("1",))[0])


@pytest.fixture(scope="module")
def dpl_path(shared_data: Path) -> Path:
    return shared_data / "bis_dpl_2023-11" / "dpl.txt"


@pytest.fixture(scope="module")
def parsed(dpl_path: Path) -> Parsed:
    return DPL_TXT.parse(dpl_path)


@pytest.fixture(scope="module")
def by_name(parsed: Parsed) -> dict[str, Entry]:
    return {e.primary_name: e for e in parsed.entries}


def test_counts(parsed: Parsed) -> None:
    assert parsed.warnings == []
    assert sum(rows_of(e) for e in parsed.entries) == 665  # every row in one entry
    # Measured: 665 rows -> 544 names; 86 names have 2-7 rows (AL NASER AIRLINES: 7).
    assert len(parsed.entries) == 544
    assert sum(1 for e in parsed.entries if rows_of(e) > 1) == 86
    assert max(rows_of(e) for e in parsed.entries) == 7
    assert all(e.schema is Schema.UNKNOWN for e in parsed.entries)


def test_published(parsed: Parsed) -> None:
    # Newest Last_Update; the newest Effective_Date is 2023-11-16.
    assert parsed.published == "2023-11-28"
    assert max(e.legal.start_date or "" for e in parsed.entries) == "2023-11-16"


def test_rows_without_country(parsed: Parsed) -> None:
    addresses = [a for e in parsed.entries for a in e.addresses]
    assert sum(1 for a in addresses if a.country is None) > 0
    assert all(a.country is None or len(a.country) == 2 for a in addresses)


def test_one_entry_field_by_field(by_name: dict[str, Entry]) -> None:
    entry = by_name["AARON ABRAHAM VILLA"]
    assert entry.names == (Name("AARON ABRAHAM VILLA"),)
    assert entry.addresses == (
        Address(
            full="3415 RIVERA AVENUE, EL PASO, TX, 79905",
            street="3415 RIVERA AVENUE",
            city="EL PASO",
            state="TX",
            postal_code="79905",
        ),
    )
    assert entry.countries == ()  # Country is blank in the file
    assert entry.legal == LegalFacts(
        federal_register="87 F.R. 52741 8/29/2022",
        start_date="2022-08-24",
        end_date="2026-01-14",
        standard_order="Y",
        last_update="2022-08-29",
        action="F.R. NOTICE ADDED",
    )
    assert entry.properties == {}


def test_typo_last_updates_are_kept_raw(by_name: dict[str, Entry]) -> None:
    garcia = by_name["JOSE ERNESTO GARCIA"]
    assert garcia.legal.last_update is None
    assert garcia.properties["last_update_raw"] == ("3033-09-30",)
    naser = by_name["AL NASER AIRLINES"]
    assert naser.properties["dpl_rows"] == ("7",)
    assert naser.properties["last_update_raw"] == ("1023-11-01",)
    assert naser.legal.last_update is not None  # from the rows whose date parses


def test_merged_entry(by_name: dict[str, Entry]) -> None:
    ash = by_name["I. ASH"]
    assert ash.properties["dpl_rows"] == ("3",)
    assert len(ash.addresses) == 3
    assert (ash.legal.start_date, ash.legal.end_date) == ("2002-03-04", "2056-06-29")


def test_sniff_and_detect(dpl_path: Path) -> None:
    assert DPL_TXT.sniff(dpl_path, head_bytes(dpl_path))
    from entityscreen.sources import detect_format

    try:
        fmt = detect_format(dpl_path)
    except ImportError as exc:  # another adapter of the registry is not written yet
        pytest.skip(f"format registry incomplete: {exc}")
    assert fmt.name == "dpl-txt"
