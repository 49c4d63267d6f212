"""Custom "do not deal" CSV lists on small fixtures (tests/fixtures/custom/) and inline files.

``do_not_deal.csv`` uses common headers (Reference, Party Name, Aliases, Type, ...) and
has a row without a name; ``mapped.csv`` has German headers that only a mapping finds;
the others cover delimiters, encodings and broken files.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.model import Address, Entry, LegalFacts, Name, NameKind, Schema
from entityscreen.sources.base import Parsed, stable_id
from entityscreen.sources.custom import (
    CUSTOM_CSV,
    MAX_WARNINGS,
    default_source,
    detect_delimiter,
    normalize_header,
)

MAPPING = {
    "map.id": "Kunden-Nr",
    "map.name": "Firma",
    "map.country": "Land",
    "map.remarks": "Sperrgrund",
    "map.start_date": "Gültig ab",
    "map.end_date": "GÜLTIG BIS",  # headers match case-insensitively
    "map.license_requirement": "Lizenzpflicht",
    "map.license_policy": "Politik",
}


@pytest.fixture(scope="module")
def custom_dir(fixtures: Path) -> Path:
    return fixtures / "custom"


@pytest.fixture(scope="module")
def do_not_deal(custom_dir: Path) -> Parsed:
    return CUSTOM_CSV.parse(custom_dir / "do_not_deal.csv")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def names_of(parsed: Parsed) -> list[str]:
    return [e.primary_name for e in parsed.entries]


# --- default headers ----------------------------------------------------------------------


def test_default_headers(do_not_deal: Parsed) -> None:
    assert do_not_deal.source == "custom_do_not_deal"
    assert do_not_deal.format == "custom-csv"
    assert do_not_deal.published is None
    assert [e.id for e in do_not_deal.entries] == [
        "custom_do_not_deal:DND-001",
        "custom_do_not_deal:DND-002",
        "custom_do_not_deal:DND-004",
    ]
    assert do_not_deal.warnings == ["line 4: no name; skipped"]


def test_default_headers_field_by_field(do_not_deal: Parsed) -> None:
    acme, petrov, globex = do_not_deal.entries
    assert acme == Entry(
        id="custom_do_not_deal:DND-001",
        source="custom_do_not_deal",
        list="CUSTOM",
        schema=Schema.ORGANIZATION,
        names=(
            Name("Acme Trading LLC"),
            Name("Acme Trading", NameKind.AKA),  # aliases split on ";" and "|"
            Name("ACME", NameKind.AKA),  # the primary name repeated is dropped
        ),
        addresses=(Address(full="12 Harbour Road, Hong Kong", country="CN"),),
        countries=("CN",),  # "China"
        programs=("Internal", "Fraud"),
        remarks="Chargeback fraud 2023",
        properties={"Added By": ("jsmith",)},  # an unmapped column is kept
    )
    assert petrov.schema is Schema.PERSON
    assert petrov.birth_dates == ("1970-01-22",)
    assert petrov.countries == ("RU",)
    assert globex.countries == ("US", "CA")
    assert globex.remarks == 'Note with "quotes", and a comma'
    assert globex.properties == {}


# --- explicit mapping ---------------------------------------------------------------------


def test_explicit_mapping(custom_dir: Path) -> None:
    options = {**MAPPING, "source": "custom_erp", "list": "BLOCKED"}
    parsed = CUSTOM_CSV.parse(custom_dir / "mapped.csv", options)
    assert parsed.source == "custom_erp"
    hooli, initech = parsed.entries
    assert hooli.id == "custom_erp:K-17"
    assert hooli.list == "BLOCKED"
    assert hooli.names == (Name("Hooli GmbH"),)
    assert hooli.countries == ("DE",)
    assert hooli.remarks == "Export control hit"
    assert hooli.legal == LegalFacts(
        license_requirement="All items",
        license_policy="Denial",
        start_date="2024-03-01",  # 01.03.2024
        end_date="2025-12-31",  # 31/12/2025: day first, since month 31 is impossible
    )
    assert initech.legal == LegalFacts(start_date="2024-04-05")
    assert parsed.warnings == []


def test_mapping_overrides_recognised_headers(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "Name,Legal Name,Country\nShort,Long Name Ltd,FR\n")
    parsed = CUSTOM_CSV.parse(path, {"map.name": "legal name"})
    assert names_of(parsed) == ["Long Name Ltd"]
    # "Name" now maps to no field and is kept as a property.
    assert parsed.entries[0].properties == {"Name": ("Short",)}
    assert parsed.entries[0].countries == ("FR",)


def test_without_mapping_german_headers_have_no_name_column(custom_dir: Path) -> None:
    with pytest.raises(SourceError) as info:
        CUSTOM_CSV.parse(custom_dir / "mapped.csv")
    message = str(info.value)
    assert "mapped.csv" in message
    assert "no name column; map one with map.name=COLUMN" in message
    assert "'Kunden-Nr', 'Firma', 'Land'" in message


# --- delimiters and encodings -------------------------------------------------------------


def test_semicolon_delimiter(custom_dir: Path) -> None:
    parsed = CUSTOM_CSV.parse(custom_dir / "semicolon.csv")
    assert names_of(parsed) == ["Müller Maschinenbau GmbH", "Svenska Stål AB"]
    assert [e.countries for e in parsed.entries] == [("DE",), ("SE",)]
    assert parsed.entries[0].remarks == "semicolon file"


def test_tab_delimiter(custom_dir: Path) -> None:
    parsed = CUSTOM_CSV.parse(custom_dir / "tabs.tsv")
    assert parsed.source == "custom_tabs"
    assert names_of(parsed) == ["Tab Party Ltd"]


def test_cp1252_file_with_accented_names(custom_dir: Path) -> None:
    raw = (custom_dir / "cp1252.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fixture really is cp1252
    parsed = CUSTOM_CSV.parse(custom_dir / "cp1252.csv")
    assert names_of(parsed) == ["Société Générale Équipements", "Mañana Comercio S.A."]
    assert [e.id for e in parsed.entries] == ["custom_cp1252:1", "custom_cp1252:2"]


def test_utf8_bom_file(custom_dir: Path) -> None:
    assert (custom_dir / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    parsed = CUSTOM_CSV.parse(custom_dir / "bom.csv")
    assert names_of(parsed) == ["Zürich Handels AG"]  # "Name" found despite the BOM
    assert parsed.entries[0].countries == ("CH",)


def test_gzipped_file(tmp_path: Path, custom_dir: Path) -> None:
    path = tmp_path / "blocked.csv.gz"
    path.write_bytes(gzip.compress((custom_dir / "do_not_deal.csv").read_bytes()))
    parsed = CUSTOM_CSV.parse(path)
    assert parsed.source == "custom_blocked"
    assert len(parsed.entries) == 3


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("id,name,country", ","),
        ("id;name;country", ";"),
        ("id\tname\tcountry", "\t"),
        ('"name, with comma";country', ";"),
        ("name", ","),
    ],
)
def test_detect_delimiter(line: str, expected: str) -> None:
    assert detect_delimiter(line) == expected


# --- ids ----------------------------------------------------------------------------------


def test_name_based_ids_without_id_column(custom_dir: Path) -> None:
    parsed = CUSTOM_CSV.parse(custom_dir / "semicolon.csv")
    assert parsed.entries[0].id == (
        f"custom_semicolon:{stable_id('Müller Maschinenbau GmbH', 'DE')}"
    )


def test_name_based_id_ignores_spelling_of_name_and_country(tmp_path: Path) -> None:
    a = CUSTOM_CSV.parse(write(tmp_path, "a.csv", "name,country\nACME  Ltd.,Germany\n"))
    b = CUSTOM_CSV.parse(write(tmp_path, "b.csv", "name,country,notes\nacme ltd,DE,x\n"))
    assert a.entries[0].id.split(":")[1] == b.entries[0].id.split(":")[1]


def test_empty_id_falls_back_to_name_based_id(tmp_path: Path) -> None:
    parsed = CUSTOM_CSV.parse(write(tmp_path, "l.csv", "id,name\n,Nameless Id Ltd\nX,Other\n"))
    assert [e.id for e in parsed.entries] == [
        f"custom_l:{stable_id('Nameless Id Ltd', '')}",
        "custom_l:X",
    ]
    assert parsed.warnings == ["line 2: no id; using a name-based id"]


def test_duplicate_ids_are_an_error(custom_dir: Path) -> None:
    with pytest.raises(SourceError) as info:
        CUSTOM_CSV.parse(custom_dir / "duplicate_ids.csv")
    assert str(info.value).endswith("duplicate_ids.csv:4: duplicate id 'A1' on lines 2 and 4")


def test_repeated_row_without_id_column_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "name,country\nAcme,FR\nOther,FR\nAcme,FR\n")
    parsed = CUSTOM_CSV.parse(path)
    assert names_of(parsed) == ["Acme", "Other"]
    assert parsed.warnings == ["line 4: same as line 2; skipped"]


def test_same_name_and_country_but_different_rows_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "name,country,dob\nJohn Smith,US,1970\nJohn Smith,US,1980\n")
    with pytest.raises(SourceError, match=r"l\.csv:3: lines 2 and 3 have the same name"):
        CUSTOM_CSV.parse(path)


# --- warnings -----------------------------------------------------------------------------


def test_row_warnings(tmp_path: Path) -> None:
    text = (
        "name,type,country\n"
        "Good Co,company,FR\n"
        ",company,FR\n"
        "Atlantis Co,company,Atlantis;FR\n"
        "Weird Co,spaceship,\n"
        "Wide Co,company,FR,extra\n"
    )
    parsed = CUSTOM_CSV.parse(write(tmp_path, "l.csv", text))
    assert names_of(parsed) == ["Good Co", "Atlantis Co", "Weird Co", "Wide Co"]
    assert parsed.entries[1].countries == ("FR",)
    assert parsed.entries[2].schema is Schema.UNKNOWN
    assert parsed.warnings == [
        "line 3: no name; skipped",
        "line 4: country 'Atlantis' not recognised; dropped",
        "line 5: type 'spaceship' not recognised; schema unknown",
        "line 6: 4 fields, the header has 3; extra ignored",
    ]


def test_warnings_are_capped(tmp_path: Path) -> None:
    text = "name,country\n" + "".join(f"Co {i},Nowhere\n" for i in range(MAX_WARNINGS + 7))
    parsed = CUSTOM_CSV.parse(write(tmp_path, "l.csv", text))
    assert len(parsed.entries) == MAX_WARNINGS + 7
    assert len(parsed.warnings) == MAX_WARNINGS + 1
    assert parsed.warnings[-1] == "7 more warnings not shown"


def test_header_only_file_has_no_entries_and_says_so(tmp_path: Path) -> None:
    parsed = CUSTOM_CSV.parse(write(tmp_path, "l.csv", "\n\nname,country\n"))
    assert parsed.entries == []
    assert parsed.warnings == ["line 3: no entries after the header"]


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b" \r\n\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (b"\xde\xad\xbe\xef\x01\x02\x03\xff\xfe", "no name column"),
        (b",,,\n,,,\n", "no header row"),
        (b"foo,bar\n1,2\n", "no name column; map one with map.name=COLUMN"),
        (b'name\n"' + b"x" * (2 * 1024 * 1024) + b'"\n', "malformed CSV"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad_list.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        CUSTOM_CSV.parse(path)
    assert "bad_list.csv" in str(info.value)
    assert message in str(info.value)


def test_wrong_columns_lists_the_headers(custom_dir: Path) -> None:
    with pytest.raises(SourceError) as info:
        CUSTOM_CSV.parse(custom_dir / "wrong_columns.csv")
    assert str(info.value).endswith(
        "wrong_columns.csv: no name column; map one with map.name=COLUMN "
        "(headers found: 'foo', 'bar', 'baz')"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"map.name": "Firm"}, "map.name=Firm: no such column; headers found: 'name'"),
        ({"map.nmae": "name"}, "unknown field in map.nmae; fields: id, name,"),
        ({"map.name": " "}, "map.name names no column"),
        ({"lsit": "X"}, "unknown option 'lsit'"),
        ({"source": "My List"}, "source 'My List': use lower-case letters, digits and _"),
        ({"list": "  "}, "list is empty"),
    ],
)
def test_bad_options(tmp_path: Path, options: dict[str, str], message: str) -> None:
    path = write(tmp_path, "opts.csv", "name\nAcme\n")
    with pytest.raises(SourceError) as info:
        CUSTOM_CSV.parse(path, options)
    assert "opts.csv" in str(info.value)
    assert message in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"nope\.csv: cannot read file"):
        CUSTOM_CSV.parse(tmp_path / "nope.csv")


# --- sniffing and names -------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        b"Reference,Party Name,Country\n1,Acme,FR\n",
        b"\xef\xbb\xbfName;Country\n",
        b"id\tfull_name\tcountry\n",
        b"COMPANY\n",
        b"\n\nparty-name,notes",
    ],
)
def test_sniff_accepts_a_header_with_a_name_column(tmp_path: Path, head: bytes) -> None:
    assert CUSTOM_CSV.sniff(tmp_path / "list.csv", head)


@pytest.mark.parametrize(
    "head",
    [
        b"foo,bar,baz\n",
        b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- \r\n',  # OFAC sdn.csv: no header
        b'{"id": "x", "schema": "Person", "properties": {"name": ["A"]}}\n',
        b'{"versions": \n',
        b"name\x00,country\n",
        b"",
    ],
)
def test_sniff_rejects_other_files(tmp_path: Path, head: bytes) -> None:
    assert not CUSTOM_CSV.sniff(tmp_path / "list.csv", head)


def test_sniff_never_claims_a_directory(tmp_path: Path) -> None:
    assert not CUSTOM_CSV.sniff(tmp_path, b"name\n")


@pytest.mark.parametrize(
    ("header", "expected"),
    [(" Party_Name ", "party name"), ("DATE-OF-BIRTH", "date of birth"), ("Ref. No", "ref no")],
)
def test_normalize_header(header: str, expected: str) -> None:
    assert normalize_header(header) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Do Not Deal.csv", "custom_do_not_deal"),
        ("blocked.csv.gz", "custom_blocked"),
        ("Sperrliste-Ü 2024.CSV", "custom_sperrliste_2024"),
        ("---.csv", "custom"),
    ],
)
def test_default_source(name: str, expected: str) -> None:
    assert default_source(Path("/some/dir") / name) == expected
