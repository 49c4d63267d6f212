"""UK Sanctions List tables (covyr re-shaping) on a small fixture, and malformed sets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.model import Entry, Identifier, LegalFacts, Name, NameKind, Schema
from entityscreen.sources import detect_format
from entityscreen.sources.base import Parsed
from entityscreen.sources.uk import TABLES, UK_CSV, dob_from_parts, parse_uk_date


@pytest.fixture(scope="module")
def parsed(fixtures: Path) -> Parsed:
    return UK_CSV.parse(fixtures / "uk")


@pytest.fixture
def copy(fixtures: Path, tmp_path: Path) -> Path:
    """A writable copy of the fixture set, for breaking one table."""
    target = tmp_path / "uk"
    shutil.copytree(fixtures / "uk", target)
    return target


def test_entries_and_snapshot_facts(parsed: Parsed, fixtures: Path) -> None:
    assert [e.id for e in parsed.entries] == [
        "uk_sanctions:RUS0001",
        "uk_sanctions:AFG0001",
        "uk_sanctions:RUS1001",
    ]
    assert [e.schema for e in parsed.entries] == [
        Schema.PERSON,
        Schema.ORGANIZATION,
        Schema.VESSEL,
    ]
    # No date in the files: the newest last_updated, said to be an inference.
    assert parsed.published == "2026-04-16"
    assert parsed.published_basis == "inferred: newest last_updated in subjects.csv"
    assert parsed.files == tuple(fixtures / "uk" / t for t in TABLES)
    assert parsed.warnings == [
        "subject_identifiers.csv line 6: unique_id 'XXX0001' is not in subjects.csv; ignored",
        "subject_countries.csv line 6: country 'Former USSR' not recognised; ignored",
    ]


def test_person_with_weak_alias_dob_parts_and_passport(parsed: Parsed) -> None:
    assert parsed.entries[0] == Entry(
        id="uk_sanctions:RUS0001",
        source="uk_sanctions",
        list="UK",
        schema=Schema.PERSON,
        # The repeated primary_variation row is read once; low_quality_aka is weak.
        names=(
            Name("Dmitry Konstantinovich Kiselyov"),
            Name("Dmitrii Konstantinovich Kiselev", NameKind.AKA),
            Name("Kiselyov", NameKind.WEAK),
        ),
        countries=("RU",),
        identifiers=(Identifier("Passport", "P04581926"),),
        birth_dates=("1954-04-26", "1953", "1955-07"),
        birth_places=("Ukraine",),
        nationalities=("RU",),
        programs=("Russia",),
        legal=LegalFacts(start_date="2020-12-31", last_update="2025-04-09"),
        properties={"uk_regime_code": ("RUS",), "ofsi_group_id": ("12944",)},
    )


def test_entity_and_ship(parsed: Parsed) -> None:
    entity, ship = parsed.entries[1], parsed.entries[2]
    # A blank full_name is rebuilt from the parts, given names first.
    assert [n.value for n in entity.names] == [
        "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE",
        "Haji Alim Hawala",
        "Haji Hakim Hawala",
    ]
    assert entity.countries == ("AF", "PK")
    assert entity.programs == ("Afghanistan",)
    assert entity.properties["un_reference"] == ("TAe.010",)
    assert ship.identifiers == (Identifier("IMO", "9562233"),)


def test_sniff_folder_and_tables(fixtures: Path) -> None:
    folder = fixtures / "uk"
    assert detect_format(folder) is UK_CSV
    assert detect_format(folder / "subject_names.csv") is UK_CSV
    assert not UK_CSV.sniff(fixtures / "csl" / "consolidated.csv", b"_id,source,")


def test_a_table_path_parses_the_whole_set(fixtures: Path, parsed: Parsed) -> None:
    assert UK_CSV.parse(fixtures / "uk" / "subject_dobs.csv").entries == parsed.entries


def test_missing_table_is_refused(copy: Path) -> None:
    (copy / "subject_dobs.csv").unlink()
    with pytest.raises(SourceError, match=r"no subject_dobs\.csv in this folder"):
        UK_CSV.parse(copy)


def test_wrong_columns(copy: Path) -> None:
    (copy / "subject_names.csv").write_text("name_id,unique_id,name\n1,RUS0001,X\n")
    with pytest.raises(SourceError, match=r"subject_names\.csv:1: not a UK sanctions .*name_type"):
        UK_CSV.parse(copy)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("RUS0002,individual,,1,2020-12-31,01/01/2021", r":3: date_designated '2020-12-31'"),
        ("RUS0002,individual,,1,31/02/2021,01/01/2021", r":3: date_designated '31/02/2021'"),
        ("RUS0001,individual,,1,01/01/2021,01/01/2021", r":3: duplicate unique_id RUS0001"),
        ("12345,individual,,1,01/01/2021,01/01/2021", r":3: unique_id '12345' is not like"),
        ("RUS0002,individual,,1", r":3: row has 4 fields, the header has 6"),
    ],
)
def test_bad_subject_rows(copy: Path, row: str, message: str) -> None:
    subjects = copy / "subjects.csv"
    lines = subjects.read_text().splitlines()
    subjects.write_text("\n".join([*lines[:2], row]) + "\n")
    with pytest.raises(SourceError, match=message) as info:
        UK_CSV.parse(copy)
    assert "\n" not in str(info.value) and "subjects.csv" in str(info.value)


def test_unclosed_quote_and_binary(copy: Path) -> None:
    names = copy / "subject_names.csv"
    names.write_text(names.read_text() + '1,RUS0001,alias,,"never closed\n')
    with pytest.raises(SourceError, match="truncated"):
        UK_CSV.parse(copy)
    names.write_bytes(b"\x00\x01binary")
    with pytest.raises(SourceError, match="NUL bytes"):
        UK_CSV.parse(copy)


def test_huge_field_is_refused(copy: Path) -> None:
    names = copy / "subject_names.csv"
    names.write_text(names.read_text() + f'1,RUS0001,alias,,"{"A" * 2_000_000}",A,,,,,\n')
    with pytest.raises(SourceError, match="malformed CSV"):
        UK_CSV.parse(copy)


def test_dates() -> None:
    where = Path("x.csv")
    assert parse_uk_date("29/04/2026", where, 1, "d") == "2026-04-29"
    assert parse_uk_date(" ", where, 1, "d") is None
    row = {"year": "1975", "month": "13", "day": "", "precision": "year_only"}
    assert dob_from_parts(row, where, 1) == "1975"
    with pytest.raises(SourceError, match=r"x\.csv:7: date of birth '1975/13/' is not a date"):
        dob_from_parts({**row, "precision": "month_year"}, where, 7)
    with pytest.raises(SourceError, match=r"x\.csv:8: date of birth '1975/mm/' is not month_year"):
        dob_from_parts({**row, "precision": "month_year", "month": "mm"}, where, 8)
    with pytest.raises(SourceError, match="unknown precision 'decade'"):
        dob_from_parts({**row, "precision": "decade"}, where, 7)
