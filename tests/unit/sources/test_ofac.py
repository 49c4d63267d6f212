"""OFAC legacy CSV sets on a small hand-written set (tests/fixtures/ofac) and hostile input."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.model import Address, Entry, Identifier, Name, NameKind, Schema
from entityscreen.sources.base import Parsed
from entityscreen.sources.ofac import (
    CONS_CSV,
    CONS_PROGRAM_LISTS,
    FORMATS,
    SDN_CSV,
    normalize_date,
    parse_remarks,
    resolve_linked_name,
    select_cons_list,
    split_programs,
)

#: The seven empty columns between Program and Remarks of a primary row.
EMPTY = "-0- "
MIDDLE = ",".join([EMPTY] * 7)


@pytest.fixture(scope="module")
def parsed(fixtures: Path) -> Parsed:
    return SDN_CSV.parse(fixtures / "ofac")


@pytest.fixture(scope="module")
def by_id(parsed: Parsed) -> dict[str, Entry]:
    return {e.id: e for e in parsed.entries}


def write_set(directory: Path, files: dict[str, str]) -> Path:
    """Write an OFAC-style set (CRLF, Ctrl-Z) into ``directory`` and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        body = "\r\n".join(text.strip("\n").split("\n")) + "\r\n"
        (directory / name).write_bytes(body.encode("cp1252") + b"\x1a")
    return directory


def copy_fixture(fixtures: Path, tmp_path: Path) -> Path:
    target = tmp_path / "set"
    shutil.copytree(fixtures / "ofac", target)
    return target


def assert_source_error(path: Path, names: str) -> SourceError:
    """Parse ``path`` expecting a SourceError whose message names the file ``names``."""
    with pytest.raises(SourceError) as info:
        SDN_CSV.parse(path)
    assert names in str(info.value)
    return info.value


# --- the fixture set ----------------------------------------------------------------------


def test_parses_every_row_and_reports_files_main_first(parsed: Parsed, fixtures: Path) -> None:
    directory = fixtures / "ofac"
    assert parsed.source == "us_ofac_sdn"
    assert parsed.format == "ofac-sdn-csv"
    assert parsed.published is None
    assert [e.id for e in parsed.entries] == [
        "us_ofac_sdn:306",
        "us_ofac_sdn:7001",
        "us_ofac_sdn:7002",
        "us_ofac_sdn:7003",
        "us_ofac_sdn:7004",
    ]
    assert parsed.files == tuple(
        directory / n for n in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
    )
    assert {e.list for e in parsed.entries} == {"SDN"}


def test_main_file_path_reads_the_same_set_as_the_directory(parsed: Parsed, fixtures: Path) -> None:
    again = SDN_CSV.parse(fixtures / "ofac" / "sdn.csv")
    assert again.entries == parsed.entries
    assert again.files == parsed.files


def test_comment_for_unknown_ent_num_is_a_warning(parsed: Parsed) -> None:
    assert parsed.warnings == [
        "sdn_comments.csv line 2: ent_num 99999 is not in the primary file; ignored"
    ]


def test_organization_with_alias_address_and_remarks_alias(by_id: dict[str, Entry]) -> None:
    bank = by_id["us_ofac_sdn:306"]
    assert bank.schema is Schema.ORGANIZATION
    assert bank.names == (
        Name("BANCO NACIONAL DE CUBA"),
        Name("NATIONAL BANK OF CUBA", NameKind.AKA),
        Name("BNC", NameKind.AKA),
    )
    assert bank.programs == ("CUBA",)
    assert bank.addresses == (
        Address(
            full="Zweierstrasse 35, Zurich CH-8022, Switzerland",
            street="Zweierstrasse 35",
            city="Zurich CH-8022",
            country="CH",
        ),
    )
    assert bank.countries == ("CH",)
    assert bank.remarks == "a.k.a. 'BNC'."
    assert bank.title is None
    assert bank.source_url == "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=306"


def test_person_remarks_are_extracted_after_joining_comments(by_id: dict[str, Entry]) -> None:
    person = by_id["us_ofac_sdn:7001"]
    assert person.schema is Schema.PERSON
    assert person.primary_name == "TESTOV, Ivan Petrovich"
    assert person.programs == ("IRAN", "SDGT", "IRGC")
    assert person.title == "Commander"
    assert person.names[1:] == (
        Name("TESTOV, Ivan", NameKind.AKA),
        Name("TESTOFF, Ivan", NameKind.FKA),
        Name("PETROV, Ivan", NameKind.NKA),
        Name("IVO", NameKind.WEAK),
        Name("ABU TEST", NameKind.AKA),
    )
    assert person.remarks is not None
    assert "National ID No. 0012345678 (Iran)" in person.remarks
    assert person.birth_dates == ("1960-01-12", "circa 1958")
    assert person.birth_places == ("Baghdad, Iraq",)
    assert person.nationalities == ("IR", "IQ")
    assert person.countries == ("IR", "IQ")
    assert person.identifiers == (
        Identifier("Passport", "A1234567", "IR", issued="2005-02-01", expires="2015-01-31"),
        Identifier("National ID No.", "0012345678", "IR"),
    )
    assert person.linked_to == ("ISLAMIC REVOLUTIONARY GUARD CORPS",)
    assert person.properties["gender"] == ("Male",)
    assert person.addresses == (Address(full="Tehran, Iran", city="Tehran", country="IR"),)


def test_vessel_columns_and_linked_name_keeping_its_period(by_id: dict[str, Entry]) -> None:
    vessel = by_id["us_ofac_sdn:7002"]
    assert vessel.schema is Schema.VESSEL
    assert vessel.addresses == ()  # its add.csv row is all "-0-"
    assert vessel.identifiers == (
        Identifier("IMO", "9187629"),
        Identifier("MMSI", "215123456"),
    )
    # "ACME SHIPPING LTD." is a listed name, so the final period is part of it.
    assert vessel.linked_to == ("ACME SHIPPING LTD.",)
    assert vessel.properties == {
        "call_sign": ("9HXX9",),
        "vessel_type": ("Crude Oil Tanker",),
        "gross_registered_tonnage": ("150,000",),
        "vessel_flag": ("Malta",),
        "vessel_owner": ("ACME SHIPPING LTD.",),
    }


def test_company_identifiers_and_properties(by_id: dict[str, Entry]) -> None:
    company = by_id["us_ofac_sdn:7003"]
    assert company.names[1] == Name("ACME MARINE", NameKind.FKA)
    assert company.identifiers == (
        Identifier("Registration Number", "C 12345", "MT"),
        Identifier("Email Address", "info@acme.example"),
        Identifier("Website", "www.acme.example"),
        Identifier("SWIFT/BIC", "ACMEMTMT"),
        Identifier("Digital Currency Address - XBT", "1TestAddr9xyz"),
    )
    assert company.properties == {"established": ("2001-03-01",)}
    assert company.linked_to == ("ISLAMIC REVOLUTIONARY GUARD CORPS",)
    assert [a.country for a in company.addresses] == ["MT", "AE"]
    assert company.countries == ("MT", "AE")


def test_aircraft(by_id: dict[str, Entry]) -> None:
    aircraft = by_id["us_ofac_sdn:7004"]
    assert aircraft.schema is Schema.AIRCRAFT
    assert aircraft.identifiers == (Identifier("Aircraft Tail Number", "EP-TST"),)
    assert aircraft.properties == {"aircraft_model": ("IL76-TD",), "aircraft_built": ("1992",)}


def test_entries_round_trip_through_dict(parsed: Parsed) -> None:
    for entry in parsed.entries:
        assert Entry.from_dict(entry.to_dict()) == entry


def test_companions_are_optional(fixtures: Path, tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes((fixtures / "ofac" / "sdn.csv").read_bytes())
    result = SDN_CSV.parse(tmp_path)
    assert result.files == (tmp_path / "sdn.csv",)
    assert len(result.entries) == 5
    assert result.entries[0].names == (Name("BANCO NACIONAL DE CUBA"), Name("BNC", NameKind.AKA))
    assert result.warnings == []


def test_gzipped_set_is_read(fixtures: Path, tmp_path: Path, parsed: Parsed) -> None:
    for source in (fixtures / "ofac").iterdir():
        (tmp_path / f"{source.name}.gz").write_bytes(gzip.compress(source.read_bytes()))
    result = SDN_CSV.parse(tmp_path)
    assert result.entries == parsed.entries
    assert result.files[0] == tmp_path / "sdn.csv.gz"


def test_empty_companion_file_has_no_rows(fixtures: Path, tmp_path: Path) -> None:
    directory = copy_fixture(fixtures, tmp_path)
    (directory / "sdn_comments.csv").write_bytes(b"\x1a")
    result = SDN_CSV.parse(directory)
    assert result.warnings == []
    assert directory / "sdn_comments.csv" in result.files


# --- consolidated list ----------------------------------------------------------------------


def test_consolidated_set_maps_programs_to_list_codes(tmp_path: Path) -> None:
    directory = write_set(
        tmp_path / "cons",
        {
            "cons_prim.csv": f"""
17014,"RUSSIAN AGRICULTURAL BANK",-0- ,"UKRAINE-EO13662] [RUSSIA-EO14024",{MIDDLE},"Tax ID No. 77"
9647,"ZAHHAR, Mahmoud Khaled","individual","SDGT] [NS-PLC",{MIDDLE},"DOB 1945; POB Gaza Strip."
15268,"BANK OF KUNLUN CO LTD",-0- ,"561-Related",{MIDDLE},"SWIFT/BIC CKLBCNBJ."
31695,"CENTRAL BANK OF THE RUSSIAN FEDERATION",-0- ,"RUSSIA-EO14024",{MIDDLE},{EMPTY}
30000,"SOME CMIC COMPANY",-0- ,"CMIC-EO13959",{MIDDLE},{EMPTY}
30001,"SOME EVADER",-0- ,"FSE-SY",{MIDDLE},{EMPTY}
30002,"SOMETHING ELSE",-0- ,"VENEZUELA-EO13850",{MIDDLE},{EMPTY}
""",
            "cons_comments.csv": '17014,"01234 (Russia)."\n',
            "cons_alt.csv": '9647,9160,"aka","AL ZAHAR, Mahmoud Khaled",-0- \n',
        },
    )
    assert CONS_CSV.sniff(directory, b"")
    result = CONS_CSV.parse(directory)
    assert result.source == "us_ofac_cons"
    assert result.files == (
        directory / "cons_prim.csv",
        directory / "cons_alt.csv",
        directory / "cons_comments.csv",
    )
    lists = {e.id.split(":")[1]: e.list for e in result.entries}
    assert lists == {
        "17014": "SSI",
        "9647": "PLC",
        "15268": "CAP",
        "31695": "MBS",
        "30000": "CMIC",
        "30001": "FSE",
        "30002": "NONSDN",
    }
    bank = result.entries[0]
    assert bank.id == "us_ofac_cons:17014"
    assert bank.properties["lists"] == ("SSI", "MBS")
    assert bank.identifiers == (Identifier("Tax ID No.", "7701234", "RU"),)
    person = result.entries[1]
    assert person.schema is Schema.PERSON
    assert person.names[1] == Name("AL ZAHAR, Mahmoud Khaled", NameKind.AKA)
    assert person.birth_dates == ("1945",)


@pytest.mark.parametrize(
    ("programs", "expected"),
    [
        (["UKRAINE-EO13662"], ["SSI"]),
        (["NS-MBS"], ["MBS"]),
        (["UKRAINE-EO13662", "RUSSIA-EO14024"], ["SSI", "MBS"]),
        (["SDGT", "NS-PLC"], ["PLC"]),
        (["NS-CMIC"], ["CMIC"]),
        (["CAPTA"], ["CAP"]),
        (["561-Related"], ["CAP"]),
        (["FSE-IR"], ["FSE"]),
        (["SDGT"], ["NONSDN"]),
        ([], ["NONSDN"]),
    ],
)
def test_select_cons_list(programs: list[str], expected: list[str]) -> None:
    assert select_cons_list(programs) == expected


def test_cons_program_map_is_declared_in_upper_case() -> None:
    assert all(key == key.upper() for key in CONS_PROGRAM_LISTS)


# --- helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Jan 1960", "1960-01-12"),
        ("1960", "1960"),
        ("Jan 1960", "1960-01"),
        ("circa 1960", "circa 1960"),
        ("circa 01 Jul 1960", "circa 1960-07-01"),
        ("01 Jan 1960 to 31 Dec 1962", "1960-01-01 to 1962-12-31"),
        ("1955 to 1957", "1955 to 1957"),
        ("circa 1960-1962", "circa 1960-1962"),
        ("sometime", "sometime"),
    ],
)
def test_normalize_date(text: str, expected: str) -> None:
    assert normalize_date(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("IRAN] [SDGT] [IRGC", ["IRAN", "SDGT", "IRGC"]),
        ("[IRAN] [SDGT]", ["IRAN", "SDGT"]),
        ("CUBA", ["CUBA"]),
        ("-0- ", []),
        ("", []),
    ],
)
def test_split_programs(value: str, expected: list[str]) -> None:
    assert split_programs(value) == expected


def test_parse_remarks_reads_alt_items_and_leaves_unknown_ones() -> None:
    facts = parse_remarks(
        "DOB 1961; alt. DOB 1962; POB Damascus, Syria; alt. POB Aleppo, Syria; "
        "nationality possibly Palestinian; alt. nationality Syria; Gender Female; "
        "Passport N 123 (Syria) issued 2001; f.k.a. 'OLD NAME'; n.k.a. 'NEW NAME'; "
        "a.k.a. 'O'BRIEN, Pat'; Unrecognised item 42; Linked To: ACME, S.A.; "
        "Linked To: BETA CO."
    )
    assert facts.birth_dates == ["1961", "1962"]
    assert facts.birth_places == ["Damascus, Syria", "Aleppo, Syria"]
    assert facts.nationalities == ["SY"]
    assert facts.properties == {"gender": ["Female"]}
    assert facts.identifiers == [Identifier("Passport", "N 123", "SY", issued="2001")]
    assert facts.aliases == [
        Name("OLD NAME", NameKind.FKA),
        Name("NEW NAME", NameKind.NKA),
        Name("O'BRIEN, Pat", NameKind.AKA),
    ]
    assert facts.linked_to == ["ACME, S.A.", "BETA CO"]


def test_parse_remarks_of_nothing() -> None:
    facts = parse_remarks(None)
    assert facts.birth_dates == facts.linked_to == facts.aliases == []
    assert parse_remarks("-0-").identifiers == []


def test_resolve_linked_name() -> None:
    assert resolve_linked_name("ACME S.A.", {"ACME S.A."}) == "ACME S.A."
    assert resolve_linked_name("HAMAS.", {"ACME S.A."}) == "HAMAS"
    assert resolve_linked_name("HAMAS", set()) == "HAMAS"


# --- sniffing -----------------------------------------------------------------------------


def test_sniff(fixtures: Path, tmp_path: Path) -> None:
    directory = fixtures / "ofac"
    head = (directory / "sdn.csv").read_bytes()[:4096]
    assert SDN_CSV.sniff(directory, b"")
    assert SDN_CSV.sniff(directory / "sdn.csv", head)
    assert SDN_CSV.sniff(tmp_path / "download-2024.csv", head)
    assert SDN_CSV.sniff(tmp_path / "SDN.CSV", b"")
    assert not SDN_CSV.sniff(directory / "add.csv", (directory / "add.csv").read_bytes())
    assert not SDN_CSV.sniff(tmp_path / "cons_prim.csv", head)
    assert not SDN_CSV.sniff(tmp_path / "x.csv", b"_id,source,entity_number,type,programs\n")
    assert not SDN_CSV.sniff(tmp_path, b"")
    assert CONS_CSV.sniff(tmp_path / "cons_prim.csv", head)
    assert not CONS_CSV.sniff(directory, b"")
    assert not CONS_CSV.sniff(directory / "sdn.csv", head)
    assert FORMATS == [CONS_CSV, SDN_CSV]


# --- hostile and malformed input ------------------------------------------------------------


def test_directory_without_primary_file(tmp_path: Path) -> None:
    assert_source_error(tmp_path, str(tmp_path))


def test_truncated_last_row(fixtures: Path, tmp_path: Path) -> None:
    directory = copy_fixture(fixtures, tmp_path)
    main = directory / "sdn.csv"
    data = main.read_bytes()
    main.write_bytes(data[: data.rindex(b"Linked To") + 5])  # cut inside the last remarks
    error = assert_source_error(directory, "sdn.csv")
    assert error.line == 5


def test_row_cut_between_fields(tmp_path: Path) -> None:
    write_set(tmp_path, {"sdn.csv": '306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- \n'})
    error = assert_source_error(tmp_path / "sdn.csv", "sdn.csv:1")
    assert "expected 12 fields, found 5" in str(error)


def test_wrong_field_count_in_the_middle(fixtures: Path, tmp_path: Path) -> None:
    directory = copy_fixture(fixtures, tmp_path)
    lines = (directory / "sdn.csv").read_bytes().split(b"\r\n")
    lines[2] = lines[2] + b',"extra"'
    (directory / "sdn.csv").write_bytes(b"\r\n".join(lines))
    error = assert_source_error(directory, "sdn.csv:3")
    assert "found 13" in str(error)


@pytest.mark.parametrize(
    ("companion", "row"),
    [
        ("add.csv", '306,199,"Zweierstrasse 35","Zurich"'),
        ("alt.csv", '306,220,"aka","NATIONAL BANK OF CUBA",-0- ,"extra"'),
        ("sdn_comments.csv", '306,"a","b"'),
    ],
)
def test_companion_with_wrong_field_count_names_that_file(
    fixtures: Path, tmp_path: Path, companion: str, row: str
) -> None:
    directory = copy_fixture(fixtures, tmp_path)
    path = directory / companion
    path.write_bytes(path.read_bytes().rstrip(b"\x1a") + row.encode() + b"\r\n\x1a")
    n_lines = path.read_bytes().count(b"\n")
    assert_source_error(directory, f"{companion}:{n_lines}")


def test_non_numeric_ent_num(tmp_path: Path) -> None:
    write_set(tmp_path, {"sdn.csv": f'ABC,"NAME",-0- ,"CUBA",{MIDDLE},-0- \n'})
    error = assert_source_error(tmp_path, "sdn.csv:1")
    assert "not a number" in str(error)


def test_duplicate_ent_num(tmp_path: Path) -> None:
    row = f'306,"BANCO",-0- ,"CUBA",{MIDDLE},-0- '
    write_set(tmp_path, {"sdn.csv": f"{row}\n{row}\n"})
    error = assert_source_error(tmp_path, "sdn.csv:2")
    assert "duplicate ent_num 306" in str(error)


def test_row_without_name_is_skipped_with_a_warning(tmp_path: Path) -> None:
    rest = f"{MIDDLE},-0- "
    write_set(tmp_path, {"sdn.csv": f'1,-0- ,-0- ,"CUBA",{rest}\n2,"NAMED",-0- ,"CUBA",{rest}\n'})
    result = SDN_CSV.parse(tmp_path)
    assert [e.id for e in result.entries] == ["us_ofac_sdn:2"]
    assert result.warnings == ["sdn.csv line 1: ent_num 1 has no name; skipped"]


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"\x00\x01\x02\xff" * 300, id="binary-with-nul"),
        pytest.param(bytes(range(1, 256)) * 20, id="binary-without-nul"),
        pytest.param(b"<!DOCTYPE html><html><body>Maintenance</body></html>", id="html-page"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\x1a", id="only-ctrl-z"),
        pytest.param(b"\x1f\x8b\x08\x00garbage", id="broken-gzip"),
        pytest.param(b'1,"' + b"A" * (2 * 1024 * 1024) + b'"\r\n', id="oversized-field"),
        pytest.param(b'1,"unterminated\r\n2,"x",-0- \r\n', id="unbalanced-quotes"),
    ],
)
def test_garbage_primary_file_is_a_source_error(tmp_path: Path, payload: bytes) -> None:
    (tmp_path / "sdn.csv").write_bytes(payload)
    assert_source_error(tmp_path, "sdn.csv")


def test_garbage_companion_is_a_source_error(fixtures: Path, tmp_path: Path) -> None:
    directory = copy_fixture(fixtures, tmp_path)
    (directory / "alt.csv").write_bytes(b"\x00garbage")
    assert_source_error(directory, "alt.csv")


def test_warnings_are_capped_per_file(fixtures: Path, tmp_path: Path) -> None:
    directory = copy_fixture(fixtures, tmp_path)
    rows = "".join(f'{90000 + i},{i},"aka","GHOST {i}",-0- \r\n' for i in range(25))
    (directory / "alt.csv").write_bytes(rows.encode() + b"\x1a")
    result = SDN_CSV.parse(directory)
    alt_warnings = [w for w in result.warnings if w.startswith("alt.csv")]
    assert len(alt_warnings) == 21
    assert alt_warnings[0] == "alt.csv line 1: ent_num 90000 is not in the primary file; ignored"
    assert alt_warnings[-1] == "alt.csv: 5 more warnings not shown"
