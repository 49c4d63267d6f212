"""EU Official Journal consolidated CSVs on a small fixture, and malformed folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.model import Address, Identifier, LegalFacts, Name, NameKind, Schema
from entityscreen.sources import detect_format
from entityscreen.sources.base import Parsed
from entityscreen.sources.eu_journal import (
    EU_JOURNAL_CSV,
    HEADER,
    act_title,
    parse_birth_dates,
    resolve_countries,
    split_values,
)


@pytest.fixture(scope="module")
def parsed(fixtures: Path) -> Parsed:
    return EU_JOURNAL_CSV.parse(fixtures / "eu_journal")


@pytest.fixture
def copy(fixtures: Path, tmp_path: Path) -> Path:
    target = tmp_path / "eu"
    shutil.copytree(fixtures / "eu_journal", target)
    return target


def test_snapshot_facts(parsed: Parsed, fixtures: Path) -> None:
    folder = fixtures / "eu_journal"
    # The header-only file is part of the set (and of its sha256).
    assert parsed.files == (folder / "32014R0833.csv", folder / "32023R2406.csv")
    assert parsed.published == "2026-02-24"
    assert parsed.published_basis is not None
    assert parsed.published_basis.startswith("inferred: newest startDate")
    assert parsed.warnings == []
    assert [e.list for e in parsed.entries] == ["EU-833-IV", "EU", "EU"]


def test_annex_iv_end_user(parsed: Parsed) -> None:
    sirius = parsed.entries[0]
    assert sirius.id == "eu_journal:32014R0833:IV:1"
    assert sirius.schema is Schema.ORGANIZATION
    assert sirius.names == (
        Name("JSC Sirius"),
        Name("JSC Concern Sirius", NameKind.AKA),
        Name("Kontsern Sirius", NameKind.AKA),
    )
    assert sirius.programs == ("EU-RUS", "Regulation 833/2014, Annex IV")
    assert sirius.legal == LegalFacts(start_date="2014-09-12", action="Export control")
    assert sirius.addresses == (
        Address(
            full="119435, Moscow, Pirogovskaya M. Str., 18, Building 1, Russian Federation",
            country="RU",
        ),
    )
    assert sirius.countries == ("RU",)
    assert sirius.identifiers == (Identifier("Registration Number", "7704730655 (Tax ID/INN)"),)


def test_vessel_with_previous_name_and_flag(parsed: Parsed) -> None:
    vessel = parsed.entries[1]
    assert vessel.id == "eu_journal:32014R0833:XLII:2"
    assert vessel.schema is Schema.VESSEL
    assert vessel.names == (Name("SEA STAR"), Name("OCEAN STAR", NameKind.FKA))
    assert vessel.identifiers == (Identifier("IMO", "9123456"),)
    assert vessel.countries == ("CM",)
    assert vessel.legal.start_date == "2026-02-24"
    assert vessel.remarks == "Operates a tanker."


def test_person_rows_merge_without_record_id(parsed: Parsed) -> None:
    person = parsed.entries[2]
    assert person.id.startswith("eu_journal:32014R0833:XIV:name-")
    # A quoted value keeps its ";"; weak aliases stay weak.
    assert person.names == (
        Name("Ivan Petrov"),
        Name("Vanya; the Great", NameKind.AKA),
        Name("Petrov I.", NameKind.WEAK),
    )
    assert person.birth_dates == ("1955-03-06", "1955-03-15", "circa 1952")
    assert person.properties["birth_date_unparsed"] == ("Between 1958 and 1963",)
    assert person.nationalities == ("UA", "RU")
    assert person.countries == ("RU", "UA")
    assert person.properties["measure"] == ("Transportation restrictions", "Services ban")
    assert person.properties["eu_rows"] == ("2",)
    assert person.title == "Director"
    assert person.identifiers == (Identifier("Passport", "AB123"),)


def test_sniff(fixtures: Path) -> None:
    folder = fixtures / "eu_journal"
    assert detect_format(folder) is EU_JOURNAL_CSV
    assert detect_format(folder / "32014R0833.csv") is EU_JOURNAL_CSV
    assert not EU_JOURNAL_CSV.sniff(folder / "other.csv", HEADER.encode())


def test_one_file_parses_its_folder(fixtures: Path, parsed: Parsed) -> None:
    assert EU_JOURNAL_CSV.parse(fixtures / "eu_journal" / "32023R2406.csv").files == parsed.files


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n")
    with pytest.raises(SourceError, match="no EU journal CSV"):
        EU_JOURNAL_CSV.parse(tmp_path)


def test_amendment_header_is_refused(copy: Path) -> None:
    (copy / "32023R2406.csv").write_text("amendedCelex,amendmentCelex,recordId\n")
    with pytest.raises(SourceError, match=r"32023R2406\.csv:1: not a EU journal .* celex"):
        EU_JOURNAL_CSV.parse(copy)


def _append(copy: Path, **values: str) -> None:
    columns = HEADER.split(",")
    row = ["32023R2406", "1", "EU-RUS", "I", "Asset freeze", "", "", "Person", "X Y"]
    row += [""] * (len(columns) - len(row))
    for key, value in values.items():
        row[columns.index(key)] = value
    path = copy / "32023R2406.csv"
    path.write_text(path.read_text() + ",".join(row) + "\n")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"startDate": "31.2.2020"}, r"32023R2406\.csv:2: startDate '31\.2\.2020' is not a date"),
        ({"celex": "32014R0833"}, r"32023R2406\.csv:2: celex '32014R0833' is not the file's act"),
    ],
)
def test_bad_rows(copy: Path, values: dict[str, str], message: str) -> None:
    _append(copy, **values)
    with pytest.raises(SourceError, match=message):
        EU_JOURNAL_CSV.parse(copy)


def test_rows_without_name_or_with_odd_schema_warn(copy: Path) -> None:
    _append(copy, name="")
    _append(copy, recordId="2", schema="Spaceship")
    parsed = EU_JOURNAL_CSV.parse(copy)
    assert parsed.warnings == [
        "32023R2406.csv line 2: no name; row skipped",
        "32023R2406.csv line 3: unknown schema 'spaceship'; read as unknown",
    ]
    assert parsed.entries[-1].schema is Schema.UNKNOWN


def test_truncated_file(copy: Path) -> None:
    path = copy / "32014R0833.csv"
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(SourceError, match=r"32014R0833\.csv:\d+: row has \d+ fields"):
        EU_JOURNAL_CSV.parse(copy)


def test_value_helpers() -> None:
    assert split_values('"Foo; Bar"; Baz;  Baz ; ') == ["Foo; Bar", "Baz"]
    assert parse_birth_dates(["(a) 21.10.1977; (b) 21.11.1977", "1965 or 1966", "8 Oct. 1970"]) == (
        ["1977-10-21", "1977-11-21", "1965", "1966", "1970-10-08"],
        [],
    )
    assert resolve_countries("allegedly Russian") == (["RU"], [])
    assert resolve_countries("Syrian/Iranian") == (["SY", "IR"], [])
    assert resolve_countries("Atlantis") == ([], ["Atlantis"])
    assert act_title("32014R0833") == "Regulation 833/2014"
    assert act_title("32024R1485") == "Regulation 2024/1485"
    assert act_title("32011D0173") == "Decision 2011/173"
