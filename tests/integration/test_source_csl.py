"""The CSL adapter on the real trade.gov files in shared/data (skipped when absent).

us_csl_2022-05/consolidated.csv.gz   the complete CSL of May 2022, 14,160 rows
us_csl_samples/consolidated.csv      13 rows in the 2025 layout
us_csl_samples/csl.csv               a prefix of a 2023 file, cut inside its last row
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.model import Entry, Identifier, NameKind, Schema
from entityscreen.sources.base import Parsed, head_bytes
from entityscreen.sources.csl import CSL_CSV

#: Rows per list of the May 2022 file (shared/data/README.md).
ROWS_2022 = {
    "EL": 2001,
    "SDN": 10026,
    "DTC": 727,
    "DPL": 462,
    "SSI": 290,
    "UVL": 201,
    "ISN": 163,
    "PLC": 78,
    "MEU": 71,
    "CMIC": 68,
    "CAP": 53,
    "MBS": 17,
    "FSE": 3,
}
#: Entries per list after merging rows with the same id, as measured on this file:
#: EL 2,001 rows -> 1,947 entries (45 names in 2-5 rows), DPL 462 -> 435, DTC 727 -> 723,
#: ISN 163 -> 160, CAP 53 -> 52 (BANK OF KUNLUN twice under one entity_number).
ENTRIES_2022 = ROWS_2022 | {"EL": 1947, "DPL": 435, "DTC": 723, "ISN": 160, "CAP": 52}


def rows_of(entry: Entry) -> int:
    return int(entry.properties.get("csl_rows", ("1",))[0])


@pytest.fixture(scope="module")
def csl_2022(shared_data: Path) -> Path:
    return shared_data / "us_csl_2022-05" / "consolidated.csv.gz"


@pytest.fixture(scope="module")
def parsed(csl_2022: Path) -> Parsed:
    return CSL_CSV.parse(csl_2022)


@pytest.fixture(scope="module")
def el_by_name(parsed: Parsed) -> dict[str, Entry]:
    return {e.primary_name: e for e in parsed.entries if e.list == "EL"}


@pytest.fixture(scope="module")
def by_id(parsed: Parsed) -> dict[str, Entry]:
    return {e.id: e for e in parsed.entries}


def test_row_and_entry_counts_per_list(parsed: Parsed) -> None:
    assert parsed.warnings == []
    # Inferred: the newest start_date is a DPL order's (its SDN part is OFAC's 2022-05-06).
    assert parsed.published == "2022-04-21"
    assert parsed.published_basis is not None
    assert parsed.published_basis.startswith("inferred: newest start_date in the file (DPL")
    rows: Counter[str] = Counter()
    for entry in parsed.entries:
        rows[entry.list] += rows_of(entry)
    assert dict(rows) == ROWS_2022  # every row is in exactly one entry
    assert dict(Counter(e.list for e in parsed.entries)) == ENTRIES_2022
    assert len(parsed.entries) == 14071
    assert len({e.id for e in parsed.entries}) == len(parsed.entries)


def test_hikvision_entity_list_entry(el_by_name: dict[str, Entry]) -> None:
    entry = el_by_name["Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert entry.schema is Schema.UNKNOWN  # the EL states no type
    assert [(n.value, n.kind) for n in entry.names] == [
        ("Hangzhou Hikvision Digital Technology Co., Ltd.", NameKind.PRIMARY),
        ("Hikvision", NameKind.AKA),
    ]
    assert entry.countries == ("CN",)
    assert len(entry.addresses) == 3
    assert entry.legal.federal_register == "84 FR 54002; 85 FR 44159"
    assert entry.legal.start_date == "2019-10-09"
    assert entry.legal.end_date is None
    # Published with two spaces after "EAR."; clean() collapses them, as for all text.
    assert entry.legal.license_requirement == (
        "For all items subject to the EAR. (See §744.11 of the EAR)"
    )
    assert entry.legal.license_policy is not None
    assert entry.legal.license_policy.startswith("Case-by-case review for ECCNs 1A004.c")
    assert entry.legal.license_policy.endswith(
        "presumption of denial for all other items subject to the EAR."
    )
    assert "csl_rows" not in entry.properties


def test_huawei_three_rows_become_one_entry(el_by_name: dict[str, Entry]) -> None:
    entry = el_by_name["Huawei Technologies Co., Ltd. (Huawei)"]
    assert entry.properties["csl_rows"] == ("3",)
    assert len(entry.addresses) == 7
    # All three rows carry CN addresses in this file (Kowloon included), so the
    # merged entry has one country.
    assert entry.countries == ("CN",)
    assert [n.value for n in entry.names] == [
        "Huawei Technologies Co., Ltd. (Huawei)",
        "Shenzhen Huawei Technologies",
        "Huawei Technology",
    ]
    assert entry.legal.start_date == "2019-05-21"
    assert entry.legal.federal_register == (
        "84 FR 22963; 84 FR 43495; 85 FR 29853; 85 FR 36720; 85 FR 51603; 84 FR 22961; "
        "85 FR 29852; 87 FR 8180"
    )


def test_rows_in_several_countries_merge_their_countries(el_by_name: dict[str, Entry]) -> None:
    dart = el_by_name["Dart Aviation"]
    assert dart.properties["csl_rows"] == ("3",)
    assert dart.countries == ("FR", "IR", "SN", "GB")
    keda = el_by_name["Suzhou Keda Technology Co., Ltd."]
    assert keda.properties["csl_rows"] == ("2",)
    assert set(keda.countries) == {"CN", "NL", "PK", "SG", "TR", "KR"}


def test_sdn_person_row(by_id: dict[str, Entry]) -> None:
    entry = by_id["us_csl:SDN:21944"]
    assert entry.primary_name == "'ABBAS, Rim"
    assert entry.schema is Schema.PERSON
    assert entry.birth_dates == ("1973-03-25",)
    assert entry.countries == ("SY",) and entry.nationalities == ("SY",)
    assert entry.programs == ("SYRIA",)
    assert entry.title == "Scientific Studies and Research Center Employee"


def test_2022_ids_are_read_in_reversed_order(by_id: dict[str, Entry]) -> None:
    passports = [i for i in by_id["us_csl:SDN:9758"].identifiers if i.type == "Passport"]
    assert passports[0] == Identifier("Passport", "A-717288", "AE")  # one date: dropped
    assert by_id["us_csl:SDN:7826"].identifiers[1] == Identifier(
        "Passport", "G025057", issued="1999-06-23", expires="2004-02-05"
    )
    assert by_id["us_csl:SDN:24904"].properties["gender"] == ("Male",)


def test_dropped_century_start_dates(parsed: Parsed, el_by_name: dict[str, Entry]) -> None:
    assert el_by_name["Oriental Engineers"].legal.start_date == "2017-05-26"  # 0017-05-26
    vniief = "All-Russian Scientific Research Institute of Experimental Physics (VNIIEF)"
    assert el_by_name[vniief].legal.start_date == "1997-06-30"  # 0097-06-30
    starts = [e.legal.start_date for e in parsed.entries if e.legal.start_date]
    assert min(starts) >= "1900" and max(starts) <= "2022-05-06"  # none after the file
    assert max(e.legal.start_date or "" for e in el_by_name.values()) == "2022-04-07"


def test_schemas(parsed: Parsed) -> None:
    by_list: dict[str, set[Schema]] = {}
    for entry in parsed.entries:
        by_list.setdefault(entry.list, set()).add(entry.schema)
    # Lists without a type column hold people and companies alike: schema unknown.
    assert by_list["EL"] == by_list["MEU"] == by_list["UVL"] == {Schema.UNKNOWN}
    assert by_list["DPL"] == by_list["DTC"] == {Schema.UNKNOWN}
    assert by_list["SDN"] == {Schema.PERSON, Schema.ORGANIZATION, Schema.VESSEL, Schema.AIRCRAFT}


def test_sniff_real_files(shared_data: Path, csl_2022: Path) -> None:
    samples = shared_data / "us_csl_samples"
    for path in (csl_2022, samples / "consolidated.csv", samples / "csl.csv"):
        assert CSL_CSV.sniff(path, head_bytes(path)), path


def test_detect_format_picks_csl_csv(shared_data: Path, csl_2022: Path) -> None:
    from entityscreen.sources import detect_format

    samples = shared_data / "us_csl_samples"
    paths = (csl_2022, samples / "consolidated.csv", samples / "csl.csv")
    try:
        formats = [detect_format(p) for p in paths]
    except ImportError as exc:  # another adapter of the registry is not written yet
        pytest.skip(f"format registry incomplete: {exc}")
    assert [f.name for f in formats] == ["csl-csv"] * 3


def test_sample_2025_layout(shared_data: Path) -> None:
    parsed = CSL_CSV.parse(shared_data / "us_csl_samples" / "consolidated.csv")
    assert parsed.warnings == []
    assert len(parsed.entries) == 13  # one entry per row: no two rows share an id
    assert dict(Counter(e.list for e in parsed.entries)) == {
        "ISN": 1,
        "UVL": 1,
        "MEU": 1,
        "PLC": 2,
        "SDN": 1,
        "DTC": 1,
        "DPL": 1,
        "SSI": 3,
        "FSE": 1,
        "EL": 1,
    }
    rim = next(e for e in parsed.entries if e.id == "us_csl:SDN:52291")
    assert rim.identifiers[0] == Identifier("Passport", "836238033", "KP")


def test_truncated_2023_prefix_is_rejected(shared_data: Path) -> None:
    path = shared_data / "us_csl_samples" / "csl.csv"
    with pytest.raises(SourceError, match="ends inside a quoted value") as info:
        CSL_CSV.parse(path)
    assert f"{path}:4233" in str(info.value)


def test_2023_prefix_without_its_cut_row(shared_data: Path, tmp_path: Path) -> None:
    text = (shared_data / "us_csl_samples" / "csl.csv").read_text(encoding="utf-8")
    complete = tmp_path / "csl.csv"
    complete.write_text(text[: text.rindex("\n") + 1], encoding="utf-8")
    parsed = CSL_CSV.parse(complete)
    assert parsed.warnings == []
    # The header repeated as the first data row is skipped, not read as an entry.
    assert all(e.primary_name != "name" for e in parsed.entries)
    # 4,228 data rows in the file: the repeated header and the cut SDN row leave 4,226.
    assert sum(rows_of(e) for e in parsed.entries) == 4226
    assert len(parsed.entries) == 4164
    assert Counter(e.list for e in parsed.entries)["EL"] == 896  # 919 rows
