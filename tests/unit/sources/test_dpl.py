"""Unit tests of the DPL adapter on tests/fixtures/dpl/dpl.txt.

The fixture is 7 real rows of BIS's dpl.txt: "I. ASH" in three rows (one with a leading
space in the name), a US person without a Country, two Russian parties, and the row
whose Last_Update is the typo 3033-09-30.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.model import Address, Entry, LegalFacts, Name, Schema
from entityscreen.sources.base import Parsed, head_bytes, stable_id
from entityscreen.sources.dpl import DPL_TXT, find_published

HEADER = "\t".join(
    f'"{c}"'
    for c in (
        "Name",
        "Street_Address",
        "City",
        "State",
        "Country",
        "Postal_Code",
        "Effective_Date",
        "Expiration_Date",
        "Standard_Order",
        "Last_Update",
        "Action",
        "FR_Citation",
    )
)


@pytest.fixture(scope="module")
def dpl_path(fixtures: Path) -> Path:
    return fixtures / "dpl" / "dpl.txt"


@pytest.fixture(scope="module")
def parsed(dpl_path: Path) -> Parsed:
    return DPL_TXT.parse(dpl_path)


@pytest.fixture(scope="module")
def by_name(parsed: Parsed) -> dict[str, Entry]:
    return {e.primary_name: e for e in parsed.entries}


def dpl_row(*values: str) -> str:
    return "\t".join(f'"{v}"' for v in values) + "\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_parse_result(parsed: Parsed, dpl_path: Path) -> None:
    assert (parsed.source, parsed.format, parsed.files) == ("us_bis_dpl", "dpl-txt", (dpl_path,))
    assert parsed.warnings == []
    # 7 rows, "I. ASH" three times: 5 entries.
    assert [e.primary_name for e in parsed.entries] == [
        "I. ASH",
        "AARON ABRAHAM VILLA",
        "ALEKSEY IPPOLITOV",
        "ALEXEY KRUTILIN",
        "JOSE ERNESTO GARCIA",
    ]
    assert all(e.schema is Schema.UNKNOWN and e.list == "DPL" for e in parsed.entries)
    # Newest Last_Update (2023-09-19) within a year of the newest Effective_Date
    # (2023-06-08); 3033-09-30 does not parse at all.
    assert parsed.published == "2023-09-19"


def test_single_row_entry_field_by_field(by_name: dict[str, Entry]) -> None:
    entry = by_name["ALEXEY KRUTILIN"]
    assert entry.id == f"us_bis_dpl:{stable_id('ALEXEY KRUTILIN')}"
    assert entry.source == "us_bis_dpl"
    assert entry.names == (Name("ALEXEY KRUTILIN"),)
    assert entry.addresses == (
        Address(
            full="16 MELIORATOROV STREET, IVANOVSKOE VILLAGE, STAVROPOL REGION, 357020, RU",
            street="16 MELIORATOROV STREET, IVANOVSKOE VILLAGE",
            city="STAVROPOL REGION",
            postal_code="357020",
            country="RU",
        ),
    )
    assert entry.countries == ("RU",)
    assert entry.legal == LegalFacts(
        federal_register="82 F.R. 43218 9/14/2017",
        start_date="2017-09-08",
        end_date="2027-04-28",
        standard_order="Y",
        last_update="2023-09-19",
        action="FR NOTICE ADDED, CORRECTION",
    )
    assert entry.properties == {}


def test_rows_of_one_name_are_merged(by_name: dict[str, Entry]) -> None:
    ash = by_name["I. ASH"]  # " I. ASH" (leading space) and "I. ASH" x2
    assert ash.properties == {"dpl_rows": ("3",)}
    assert [a.street for a in ash.addresses] == [
        "UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI SEAGOVILLE, "
        "2113 NORTH HIGHWAY 175",
        "605 TRAIL LAKE DRIVE",
        "908 AUDELIA ROAD, SUITE 200 #245",
    ]
    assert ash.countries == ("US",)
    assert ash.legal.start_date == "2002-03-04"  # earliest Effective_Date
    assert ash.legal.end_date == "2056-06-29"
    assert ash.legal.last_update == "2007-01-31"  # latest Last_Update
    assert ash.legal.action == "FEDERAL REGISTER NOTICE UPDATED"  # first row's
    assert ash.legal.federal_register == (
        "68 F.R. 38290 6/27/03; 71 F.R. 38843 7/10/06; 72 F.R. 4236 1/30/07; "
        "67 F.R. 56530 9/4/02; 67 F.R. 10890 3/11/02"
    )


def test_empty_country_and_typo_last_update(by_name: dict[str, Entry]) -> None:
    villa = by_name["AARON ABRAHAM VILLA"]
    assert villa.countries == () and villa.addresses[0].country is None
    assert villa.addresses[0].full == "3415 RIVERA AVENUE, EL PASO, TX, 79905"
    garcia = by_name["JOSE ERNESTO GARCIA"]
    assert garcia.legal.last_update is None
    assert garcia.properties == {"last_update_raw": ("3033-09-30",)}
    assert garcia.legal.start_date == "2022-09-26"


def test_published_ignores_a_parseable_future_typo(tmp_path: Path) -> None:
    text = (
        HEADER
        + "\n"
        + dpl_row("A", "", "", "", "", "", "01/10/2023", "", "Y", "2023-01-12", "", "")
        + dpl_row("B", "", "", "", "", "", "02/10/2023", "", "Y", "2033-02-12", "", "")
    )
    parsed = DPL_TXT.parse(write(tmp_path, "dpl.txt", text))
    assert parsed.published == "2023-01-12"
    assert find_published([]) is None


def test_gzip_gives_the_same_entries(dpl_path: Path, parsed: Parsed, tmp_path: Path) -> None:
    gz = write(tmp_path, "dpl.txt.gz", gzip.compress(dpl_path.read_bytes()))
    assert DPL_TXT.sniff(gz, head_bytes(gz))
    assert [e.to_dict() for e in DPL_TXT.parse(gz).entries] == [e.to_dict() for e in parsed.entries]


def test_row_without_name_is_a_warning(tmp_path: Path) -> None:
    text = HEADER + "\n" + dpl_row("", "STREET", "", "", "US", "", "", "", "", "", "", "")
    parsed = DPL_TXT.parse(write(tmp_path, "dpl.txt", text))
    assert parsed.entries == [] and parsed.warnings == ["line 2: no name; row skipped"]


def test_sniff(dpl_path: Path, fixtures: Path, tmp_path: Path) -> None:
    assert DPL_TXT.sniff(dpl_path, head_bytes(dpl_path))
    unquoted = write(tmp_path, "u.txt", HEADER.replace('"', "") + "\n")
    assert DPL_TXT.sniff(unquoted, head_bytes(unquoted))
    csl = fixtures / "csl" / "consolidated.csv"
    assert not DPL_TXT.sniff(csl, head_bytes(csl))


def test_truncated_file(dpl_path: Path, tmp_path: Path) -> None:
    text = dpl_path.read_text(encoding="utf-8")
    cut = text[: text.index('"AARON ABRAHAM VILLA"\t"3415 RIVERA AVENUE"') + 42]
    path = write(tmp_path, "dpl.txt", cut)
    with pytest.raises(SourceError, match="row has 2 fields, the header has 12") as info:
        DPL_TXT.parse(path)
    assert f"{path}:3" in str(info.value)
    path = write(tmp_path, "dpl2.txt", text.rstrip("\n")[:-4])  # inside the last value
    with pytest.raises(SourceError, match="ends inside a quoted value"):
        DPL_TXT.parse(path)


def test_wrong_columns(fixtures: Path) -> None:
    with pytest.raises(SourceError, match="header has no name, effective_date column"):
        DPL_TXT.parse(fixtures / "csl" / "consolidated.csv")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("binary.txt", b"\x00\xff\xfe\x01\x02" * 400),
        ("empty.txt", b""),
        ("noise.txt", bytes(range(128, 256)) * 8),
        ("bad.gz", b"\x1f\x8b\x08\x00garbage"),
        ("huge.txt", (HEADER + '\n"' + "x" * (2 * 1024 * 1024) + '"\n').encode()),
    ],
)
def test_malformed_files_raise_source_error_naming_the_file(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(SourceError) as info:
        DPL_TXT.parse(path)
    assert str(path) in str(info.value)
