"""Unit tests of the CSL adapter on small fixtures in the real CSV and API JSON formats.

tests/fixtures/csl/
    consolidated.csv       2023+ layout (every field quoted): real rows of EL, SDN, SSI,
                           DPL, DTC, PLC, ISN, with the header repeated as a data row
                           (as in trade.gov's 2023 file), an "and " alias, a "?" apostrophe,
                           the 0017-05-26 start date and an EL entity in three rows.
    consolidated_2022.csv  2022 layout (unquoted, ``ids`` items in reversed key order).
    csl_api.json           the API's search response, 5 results (EL x3, SDN, DPL).
"""

from __future__ import annotations

import gzip
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entityscreen.errors import SourceError
from entityscreen.model import Address, Entry, Identifier, NameKind, Schema
from entityscreen.sources.base import Parsed, head_bytes
from entityscreen.sources.csl import (
    CSL_CSV,
    CSL_JSON,
    FORMATS,
    CslCsvFormat,
    CslJsonFormat,
    collect_names,
    detect_id_layout,
    find_list_code,
    fix_apostrophes,
    parse_address_item,
    parse_id_item,
    parse_start_date,
)

HEADER = (
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
    "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
    "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
    "source_information_url,ids"
)
EL_SOURCE = "Entity List (EL) - Bureau of Industry and Security"
HIKVISION_REQUIREMENT = "For all items subject to the EAR. (See §744.11 of the EAR)"


@pytest.fixture(scope="module")
def csv_path(fixtures: Path) -> Path:
    return fixtures / "csl" / "consolidated.csv"


@pytest.fixture(scope="module")
def parsed(csv_path: Path) -> Parsed:
    return CSL_CSV.parse(csv_path)


@pytest.fixture(scope="module")
def by_name(parsed: Parsed) -> dict[str, Entry]:
    return {e.primary_name: e for e in parsed.entries}


@pytest.fixture(scope="module")
def parsed_json(fixtures: Path) -> Parsed:
    return CSL_JSON.parse(fixtures / "csl" / "csl_api.json")


def csv_row(**values: str) -> str:
    """One quoted CSV row in the header's column order."""
    return ",".join(f'"{values.get(col, "")}"' for col in HEADER.split(",")) + "\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# --- list codes and field helpers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "code"),
    [
        (EL_SOURCE, "EL"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "MEU"),
        ("Unverified List (UVL) - Bureau of Industry and Security", "UVL"),
        ("Denied Persons List (DPL) - Bureau of Industry and Security", "DPL"),
        ("Specially Designated Nationals (SDN) - Treasury Department", "SDN"),
        ("Foreign Sanctions Evaders (FSE) - Treasury Department", "FSE"),
        ("Nonproliferation Sanctions (ISN) - State Department", "ISN"),
        ("ITAR Debarred (DTC) - State Department", "DTC"),
        ("Capta List (CAP) - Treasury Department", "CAP"),
        (
            "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - "
            "Treasury Department",
            "CMIC",
        ),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "MBS"),
        ("Palestinian Legislative Council List (PLC) - Treasury Department", "PLC"),
        ("Sectoral Sanctions Identifications List (SSI) - Treasury Department", "SSI"),
    ],
)
def test_find_list_code_maps_every_source_string_of_the_real_files(source: str, code: str) -> None:
    assert find_list_code(source) == code


@pytest.mark.parametrize("source", ["", "source", "Some New List (XYZ) - Department", "SDN"])
def test_find_list_code_returns_none_for_unknown_sources(source: str) -> None:
    assert find_list_code(source) is None


def test_fix_apostrophes_only_between_letters() -> None:
    assert fix_apostrophes("Donetsk People?s Republic") == "Donetsk People's Republic"
    assert fix_apostrophes("FAU ?Glavgosekspertiza Rossii?") == "FAU ?Glavgosekspertiza Rossii?"
    assert fix_apostrophes("Plain Name") == "Plain Name"


def test_collect_names_strips_and_prefix_and_dedupes() -> None:
    names = collect_names("Main", ["Main", "Alias One", "and Alias Two", "Anderson Ltd"])
    assert [(n.value, n.kind) for n in names] == [
        ("Main", NameKind.PRIMARY),
        ("Alias One", NameKind.AKA),
        ("Alias Two", NameKind.AKA),
        ("Anderson Ltd", NameKind.AKA),
    ]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "Komitas 26/114, Yerevan, Armenia, AM",
            Address("Komitas 26/114, Yerevan, Armenia, AM", country="AM"),
        ),
        (
            "and 21 Changsheng Street, Shijiazhuang, Hebei, China",
            Address("21 Changsheng Street, Shijiazhuang, Hebei, China", country="CN"),
        ),
        (
            "2948 PEASE DRIVE, APT. 201, ROCKY RIVER, OH, 44116",
            Address("2948 PEASE DRIVE, APT. 201, ROCKY RIVER, OH, 44116"),
        ),
        ("SY", Address("SY", country="SY")),
    ],
)
def test_parse_address_item_takes_the_country_from_the_last_part(
    item: str, expected: Address
) -> None:
    assert parse_address_item(item) == expected


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("Passport, 836238033, KP", Identifier("Passport", "836238033", "KP")),
        (
            "Passport, E590976, TN, 19 Jun 1987, 18 Jun 1992",
            Identifier("Passport", "E590976", "TN", "1987-06-19", "1992-06-18"),
        ),
        (
            "Passport, G 649385, 08 Sep 2006, 17 Jul 2011",
            Identifier("Passport", "G 649385", None, "2006-09-08", "2011-07-17"),
        ),
        ("Passport, 562605, SD, 28 Oct 1998", Identifier("Passport", "562605", "SD", "1998-10-28")),
        ("Listing Date (CMIC), 2021-06-03", Identifier("Listing Date (CMIC)", "2021-06-03")),
        (
            "Secondary sanctions risk:, North Korea Sanctions Regulations, sections 510.201",
            Identifier(
                "Secondary sanctions risk:", "North Korea Sanctions Regulations, sections 510.201"
            ),
        ),
        (
            "Issuer Name, China Telecom Co., Ltd",
            Identifier("Issuer Name", "China Telecom Co., Ltd"),
        ),
    ],
)
def test_parse_id_item_documented_layout(item: str, expected: Identifier) -> None:
    assert parse_id_item(item, "documented") == expected


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "JO, 2014-08-30, 2009-08-31, K475336, Passport",
            Identifier("Passport", "K475336", "JO", issued="2009-08-31", expires="2014-08-30"),
        ),
        # One date cannot be told from an expiry in this layout: dropped, not guessed.
        ("SD, 1998-10-28, 562605, Passport", Identifier("Passport", "562605", "SD")),
        ("Male, Gender", Identifier("Gender", "Male")),
        ("Tanzania, Former Vessel Flag", Identifier("Former Vessel Flag", "Tanzania")),
        (
            "IMO 8898831, Vessel Registration Identification",
            Identifier("Vessel Registration Identification", "IMO 8898831"),
        ),
    ],
)
def test_parse_id_item_alphabetical_layout(item: str, expected: Identifier) -> None:
    assert parse_id_item(item, "alphabetical") == expected


def test_detect_id_layout() -> None:
    assert detect_id_layout(["Passport, 836238033, KP", "Gender, Male"]) == "documented"
    assert detect_id_layout(["KP, 836238033, Passport", "Male, Gender"]) == "alphabetical"
    assert detect_id_layout([]) == "documented"


def test_parse_start_date_fixes_dropped_centuries() -> None:
    assert parse_start_date("0017-05-26") == "2017-05-26"
    assert parse_start_date("0097-06-30") == "1997-06-30"  # 62 FR 35334 is of 1997
    assert parse_start_date("2019-10-09") == "2019-10-09"
    assert parse_start_date("") is None


# --- the CSV fixture ------------------------------------------------------------------------


def test_csv_parse_result(parsed: Parsed, csv_path: Path) -> None:
    assert (parsed.source, parsed.format, parsed.files) == ("us_csl", "csl-csv", (csv_path,))
    # The CSV states no date: the newest start_date (an ISN row's) is the inferred one.
    assert parsed.published == "2023-07-19"
    assert parsed.published_basis == (
        "inferred: newest start_date in the file (ISN entry); the file states no date and is "
        "at least this new"
    )
    assert parsed.warnings == []
    # 15 data rows (the repeated header is not one); Dart Aviation's 3 rows are 1 entry.
    assert len(parsed.entries) == 13
    assert len({e.id for e in parsed.entries}) == 13


def test_csv_repeated_header_row_is_skipped(parsed: Parsed) -> None:
    assert all(e.primary_name != "name" for e in parsed.entries)
    assert all(e.list != "source" for e in parsed.entries)


def test_csv_entity_list_entry_field_by_field(by_name: dict[str, Entry]) -> None:
    entry = by_name["Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert entry.id.startswith("us_csl:EL:") and entry.list == "EL"
    assert entry.schema is Schema.UNKNOWN  # EL rows state no type
    assert [(n.value, n.kind) for n in entry.names] == [
        ("Hangzhou Hikvision Digital Technology Co., Ltd.", NameKind.PRIMARY),
        ("Hikvision", NameKind.AKA),
    ]
    assert entry.addresses[0] == Address(
        "No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN", country="CN"
    )
    assert len(entry.addresses) == 3 and entry.countries == ("CN",)
    assert entry.legal.federal_register == "84 FR 54002; 85 FR 44159"
    assert entry.legal.start_date == "2019-10-09" and entry.legal.end_date is None
    # clean() collapses the published double space ("EAR.  (See").
    assert (
        entry.legal.license_requirement
        == "For all items subject to the EAR. (See §744.11 of the EAR)"
    )
    assert entry.legal.license_policy is not None
    assert entry.legal.license_policy.startswith("Case-by-case review for ECCNs 1A004.c")
    assert entry.source_url == "http://bit.ly/1L47xrV"
    assert "csl_rows" not in entry.properties  # one row, nothing merged


def test_csv_entity_list_id_depends_on_the_name_only(tmp_path: Path) -> None:
    row = {"source": EL_SOURCE, "name": "Example Trading Co.", "addresses": "Street 1, Riga, LV"}
    first = CSL_CSV.parse(write(tmp_path, "a.csv", HEADER + "\n" + csv_row(_id="aaa", **row)))
    second = CSL_CSV.parse(write(tmp_path, "b.csv", HEADER + "\n" + csv_row(_id="bbb", **row)))
    assert first.entries[0].id == second.entries[0].id


def test_csv_strips_and_from_the_last_alias(by_name: dict[str, Entry]) -> None:
    names = [n.value for n in by_name["140 Repair Plant JSC"].names]
    assert names == [
        "140 Repair Plant JSC",
        "Open Joint Stock Company 140 Repair Plant",
        "JSC 140 Repair Plant",
    ]


def test_csv_question_mark_apostrophe_is_repaired(by_name: dict[str, Entry]) -> None:
    published = "China Aerospace Science and Industry Corporation (CASIC) 3rd Academy?s 159 Factory"
    entry = by_name[published.replace("?s", "'s")]  # a possessive "?s" is certain (#10)
    assert entry.names[0].value == published.replace("?s", "'s")
    assert entry.properties["published_name"] == (published,)
    assert published not in {n.value for n in entry.names}


def test_csv_bad_0017_start_date_is_2017(by_name: dict[str, Entry]) -> None:
    assert by_name["Oriental Engineers"].legal.start_date == "2017-05-26"


def test_csv_rows_of_one_entity_in_several_countries_are_merged(
    by_name: dict[str, Entry],
) -> None:
    entry = by_name["Dart Aviation"]
    assert entry.properties["csl_rows"] == ("3",)
    assert entry.countries == ("FR", "IR", "SN", "GB")
    assert len(entry.addresses) == 7
    # Citations of the three rows, split and without duplicates.
    assert entry.legal.federal_register == "84 FR 61538; 84 FR 61541; 85 FR 14794"
    assert entry.legal.start_date == "2019-11-13"  # the earliest of 2020-03-16, 2019-11-13
    assert entry.legal.standard_order is None  # " " in the file
    aliases = [n.value for n in entry.names[1:]]
    assert aliases == [
        "Dart Aviation Technics",
        "Dart Aviation Marlbrine S.A.R.L.",
        "MBP Trading Ltd.",
        "SARL IEAS",
        "Sari IEAS",
    ]


def test_csv_sdn_person_field_by_field(by_name: dict[str, Entry]) -> None:
    entry = by_name["RIM, Ryong Nam"]
    assert entry.id == "us_csl:SDN:52291"
    assert entry.schema is Schema.PERSON
    assert entry.programs == ("NPWMD",)
    assert entry.addresses == (
        Address("Shenyang, CN", country="CN"),
        Address("Pyongyang, KP", country="KP"),
    )
    assert entry.countries == ("CN", "KP")
    assert entry.nationalities == ("KP",)
    assert entry.birth_dates == ("1978-12-05",)
    assert entry.identifiers[0] == Identifier("Passport", "836238033", "KP")
    assert entry.properties["gender"] == ("Male",)
    assert entry.properties["secondary_sanctions_risk"] == (
        "North Korea Sanctions Regulations, sections 510.201 and 510.210",
    )
    assert entry.source_url == "https://sanctionslist.ofac.treas.gov/Home/SdnList"  # fmt: skip


def test_csv_schema_defaults_by_list(by_name: dict[str, Entry]) -> None:
    assert by_name["Cesareo Estanislao Benitez"].schema is Schema.UNKNOWN  # DTC, no type
    assert by_name["I. ASH"].schema is Schema.UNKNOWN  # DPL, no type
    sinobright = next(e for e in by_name.values() if e.list == "ISN")
    assert sinobright.schema is Schema.UNKNOWN  # ISN lists people too; no type given
    assert by_name["ROSNEFT TRADE LIMITED"].schema is Schema.ORGANIZATION  # type "Entity"
    assert by_name["DANIEL"].schema is Schema.VESSEL


def test_csv_other_lists(by_name: dict[str, Entry]) -> None:
    rosneft = by_name["ROSNEFT TRADE LIMITED"]
    assert rosneft.id == "us_csl:SSI:18300"
    assert Identifier("Registration ID", "C122790") in rosneft.identifiers
    ash = by_name["I. ASH"]
    assert ash.list == "DPL" and ash.id.startswith("us_csl:DPL:")
    assert (ash.legal.start_date, ash.legal.end_date) == ("2002-03-04", "2056-06-29")
    assert ash.legal.standard_order == "Y" and ash.remarks == "50 YEAR DENIAL"
    plc = by_name["Fathi Mohammed QAR'AWI"]
    assert plc.id == "us_csl:PLC:9651"
    assert plc.birth_dates == ("1958",) and plc.birth_places == ("Ramin, West Bank",)
    assert plc.countries == ("PS",)


def test_csv_vessel_fields_and_unparseable_birth_date(by_name: dict[str, Entry]) -> None:
    vessel = by_name["DANIEL"]
    assert vessel.properties["call_sign"] == ("5IM656",)
    assert vessel.properties["vessel_type"] == ("Crude Oil Tanker",)
    assert vessel.properties["vessel_flag"] == ("Panama",)
    assert vessel.properties["vessel_owner"] == ("NITC",)
    assert vessel.properties["former_vessel_flag"] == ("Tanzania",)
    assert vessel.identifiers == (Identifier("Vessel Registration Identification", "IMO 9569683"),)
    assert by_name["ABD AL-GHAFAR, Sundus"].birth_dates == ("circa 1967",)


def test_csv_2022_layout_reversed_ids(fixtures: Path) -> None:
    parsed = CSL_CSV.parse(fixtures / "csl" / "consolidated_2022.csv")
    by_id = {e.id: e for e in parsed.entries}
    assert set(by_id) == {f"us_csl:SDN:{n}" for n in (21944, 24904, 7826, 15903)}
    assert by_id["us_csl:SDN:7826"].identifiers == (
        Identifier("Identification Number", "AO 2879097", "IT"),
        Identifier("Passport", "G025057", issued="1999-06-23", expires="2004-02-05"),
    )
    assert by_id["us_csl:SDN:24904"].properties == {"gender": ("Male",)}
    assert by_id["us_csl:SDN:15903"].properties["former_vessel_flag"] == ("Tanzania",)
    rim = by_id["us_csl:SDN:21944"]
    assert (rim.schema, rim.birth_dates, rim.countries) == (Schema.PERSON, ("1973-03-25",), ("SY",))


def test_csv_gzip_gives_the_same_entries(csv_path: Path, parsed: Parsed, tmp_path: Path) -> None:
    gz = write(tmp_path, "consolidated.csv.gz", gzip.compress(csv_path.read_bytes()))
    assert CSL_CSV.sniff(gz, head_bytes(gz))
    assert [e.to_dict() for e in CSL_CSV.parse(gz).entries] == [e.to_dict() for e in parsed.entries]


def test_csv_unknown_source_and_missing_name_are_row_warnings(tmp_path: Path) -> None:
    text = (
        HEADER
        + "\n"
        + csv_row(source="Brand New List (BNL) - Somewhere", name="Someone")
        + csv_row(source=EL_SOURCE, name="")
        + csv_row(source=EL_SOURCE, name="Kept Co.")
    )
    parsed = CSL_CSV.parse(write(tmp_path, "c.csv", text))
    assert [e.primary_name for e in parsed.entries] == ["Kept Co."]
    assert parsed.warnings == [
        "line 2: unknown CSL source 'Brand New List (BNL) - Somewhere'; row skipped",
        "line 3: no name; row skipped",
    ]


# --- the API JSON ---------------------------------------------------------------------------


def test_json_parse_result(parsed_json: Parsed) -> None:
    assert (parsed_json.source, parsed_json.format) == ("us_csl", "csl-json")
    assert parsed_json.published == "2025-06-24"  # newest sources_used.source_last_updated
    assert parsed_json.warnings == []
    assert [e.primary_name for e in parsed_json.entries] == [
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "Dart Aviation",
        "RIM, Ryong Nam",
        "I. ASH",
    ]


def test_json_entries_match_the_csv_conventions(
    parsed_json: Parsed, by_name: dict[str, Entry]
) -> None:
    hik = parsed_json.entries[0]
    assert hik.id == by_name["Hangzhou Hikvision Digital Technology Co., Ltd."].id
    assert hik.addresses[0] == Address(
        "No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN",
        street="No. 555 Qianmo Road, Binjiang District",
        city="Hangzhou",
        postal_code="310052",
        country="CN",
    )
    assert (
        hik.legal.license_requirement
        == "For all items subject to the EAR. (See §744.11 of the EAR)"
    )
    dart = parsed_json.entries[1]
    assert dart.properties["csl_rows"] == ("2",)
    assert dart.countries == ("FR", "IR")
    assert [n.value for n in dart.names][-1] == "SARL IEAS"
    assert dart.legal.start_date == "2019-11-13"
    rim = parsed_json.entries[2]
    assert rim.id == "us_csl:SDN:52291"  # entity_number is a JSON number here
    assert rim.identifiers == (
        Identifier("Passport", "836238033", "KP", issued="2016-05-11", expires="2021-05-11"),
    )
    assert rim.properties == {"gender": ("Male",)}
    assert parsed_json.entries[3].legal.end_date == "2056-06-29"


def test_json_bare_list_of_results(fixtures: Path, tmp_path: Path) -> None:
    results = json.loads((fixtures / "csl" / "csl_api.json").read_text(encoding="utf-8"))["results"]
    path = write(tmp_path, "results.json", json.dumps(results))
    assert CSL_JSON.sniff(path, head_bytes(path))
    parsed = CSL_JSON.parse(path)
    assert len(parsed.entries) == 4
    # No sources_used: dated like the CSV, from the newest start_date.
    assert parsed.published is not None and parsed.published_basis is not None
    assert parsed.published == max(e.legal.start_date or "" for e in parsed.entries)


# --- sniffing -------------------------------------------------------------------------------


def test_sniff(fixtures: Path, tmp_path: Path) -> None:
    csv_2023 = fixtures / "csl" / "consolidated.csv"
    csv_2022 = fixtures / "csl" / "consolidated_2022.csv"
    api = fixtures / "csl" / "csl_api.json"
    quoted = write(
        tmp_path, "q.csv", b'\xef\xbb\xbf"' + HEADER.replace(",", '","').encode() + b'"\n'
    )
    for path in (csv_2023, csv_2022, quoted):
        assert CSL_CSV.sniff(path, head_bytes(path))
        assert not CSL_JSON.sniff(path, head_bytes(path))
    assert CSL_JSON.sniff(api, head_bytes(api))
    assert not CSL_CSV.sniff(api, head_bytes(api))
    other_json = write(tmp_path, "o.json", '{"entities": [{"name": "x", "source": "y"}]}')
    dpl = fixtures / "dpl" / "dpl.txt"
    for path in (other_json, dpl):
        assert not any(fmt.sniff(path, head_bytes(path)) for fmt in FORMATS)


# --- malformed input: SourceError naming the file, never anything else ------------------------


def truncate_mid_row(text: str) -> str:
    return text[: text.index('"RIM, Ryong Nam"') + len('"RIM, Ryong Nam"')]  # 6 fields


def truncate_in_last_field(text: str) -> str:
    end = text.index("\n", text.index('"RIM, Ryong Nam"'))
    return text[: end - 5]  # 29 fields, but the last (ids) is cut inside its quotes


@pytest.mark.parametrize(
    ("make", "message", "line"),
    [
        (truncate_mid_row, "row has 6 fields, the header has 29", 10),
        (truncate_in_last_field, "ends inside a quoted value", 10),
    ],
)
def test_csv_truncated_file(
    csv_path: Path, tmp_path: Path, make: Callable[[str], str], message: str, line: int
) -> None:
    path = write(tmp_path, "truncated.csv", make(csv_path.read_text(encoding="utf-8")))
    with pytest.raises(SourceError) as info:
        CSL_CSV.parse(path)
    assert str(path) in str(info.value) and message in str(info.value)
    assert info.value.line == line


def test_csv_wrong_columns(tmp_path: Path, fixtures: Path) -> None:
    path = write(tmp_path, "wrong.csv", "id,full_name,country\n1,Someone,US\n")
    with pytest.raises(SourceError, match="header has no source, name column") as info:
        CSL_CSV.parse(path)
    assert "wrong.csv:1" in str(info.value)
    with pytest.raises(SourceError, match=r"dpl\.txt"):
        CSL_CSV.parse(fixtures / "dpl" / "dpl.txt")


MALFORMED: dict[str, bytes] = {
    "binary.csv": b"\x00\xff\xfe\x01\x02" * 400,
    "empty.csv": b"",
    "blank.csv": b"\n\n  \n",
    "noise.csv": bytes(range(128, 256)) * 8,
    "bad.gz": b"\x1f\x8b\x08\x00garbage",
    "huge.csv": (HEADER + '\n"1","' + "x" * (2 * 1024 * 1024) + '"\n').encode(),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_malformed_files_raise_source_error_naming_the_file(
    tmp_path: Path, name: str, fmt: CslCsvFormat | CslJsonFormat
) -> None:
    path = write(tmp_path, name, MALFORMED[name])
    with pytest.raises(SourceError) as info:
        fmt.parse(path)
    assert str(path) in str(info.value)


def test_missing_file_raises_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"missing\.csv"):
        CSL_CSV.parse(tmp_path / "missing.csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"total": 1, "results": [', "invalid JSON"),
        ('{"total": 0}', "no 'results' list"),
        ('"just a string"', "no 'results' list"),
        ('{"results": [1]}', "result 1 is int"),
        ('{"results": [{"source": "x", "name": ["a"]}]}', "result 1 name: expected a text value"),
        ('{"results": [{"source": "x", "name": "a", "addresses": [5]}]}', "an address is int"),
        ('{"results": [{"source": "x", "name": "a", "alt_names": 5}]}', "expected a list"),
        ("[" * 100000 + "]" * 100000, "invalid JSON"),
        ('{"results": [{"name": ' + "9" * 5000 + "}]}", "invalid JSON"),
    ],
)
def test_json_malformed(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "api.json", text)
    with pytest.raises(SourceError, match=message) as info:
        CSL_JSON.parse(path)
    assert str(path) in str(info.value)


@settings(max_examples=60, deadline=None)
@given(body=st.text(alphabet=st.sampled_from('ab,;"\n\r\t \x00é?'), max_size=300))
def test_csv_fuzz_only_source_error(body: str) -> None:
    # tmp_path is function-scoped and cannot be used with @given; use a fresh directory.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_text(HEADER + "\n" + body, encoding="utf-8")
        try:
            CSL_CSV.parse(path)
        except SourceError as exc:
            assert "fuzz.csv" in str(exc)


@settings(max_examples=60, deadline=None)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["source", "name", "addresses", "ids", "alt_names", "type", "x"]),
                inner,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_json_fuzz_only_source_error(value: object) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.json"
        path.write_text(json.dumps({"results": [value]}), encoding="utf-8")
        try:
            CSL_JSON.parse(path)
        except SourceError as exc:
            assert "fuzz.json" in str(exc)
