"""UTF-16 list files (issue #13, item 8): a CSV saved as UTF-16 was refused as "binary
data (NUL bytes)"; it is read like its UTF-8 twin, with or without a byte-order mark."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.sources import detect_format, parse_file
from entityscreen.sources.custom import CUSTOM_CSV

CUSTOM = (
    "id,name,aliases,type,country,dob,remarks\n"
    "1,Ivan Petrov,Иван Петров; I. Petrov,person,RU,1970-01-02,Müller & Söhne\n"
    "2,Hangzhou Trading Co.,杭州贸易有限公司,organization,CN,,\n"
)
CSL = (
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
    "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
    "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
    "source_information_url,ids\n"
    "a1,Entity List (EL) - Bureau of Industry and Security,,,,Müller GmbH,,"
    '"Hauptstr. 1, Berlin, DE",84 FR 1,2019-05-21,,,For all items,Presumption of denial,'
    ",,,,,,,,Mueller GmbH,,,,,,\n"
)


def _utf16(text: str, encoding: str) -> bytes:
    """``text`` as UTF-16: ``utf-16`` has a BOM, ``utf-16-le``/``-be`` none."""
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_custom_csv_reads_like_utf8(tmp_path: Path, encoding: str) -> None:
    # Issue #13, item 8: a UTF-16 CSV was refused as "binary data (NUL bytes)".
    plain, wide = tmp_path / "plain.csv", tmp_path / "wide.csv"
    plain.write_text(CUSTOM, encoding="utf-8")
    wide.write_bytes(_utf16(CUSTOM, encoding))
    expected = CUSTOM_CSV.parse(plain, {"source": "custom_x"})
    parsed = CUSTOM_CSV.parse(wide, {"source": "custom_x"})
    assert list(parsed.entries) == list(expected.entries)
    assert parsed.entries[0].names[1].value == "Иван Петров"
    assert detect_format(wide).name == "custom-csv"


def test_utf16_csl_csv_is_detected_and_read(tmp_path: Path) -> None:
    wide = tmp_path / "consolidated.csv"
    wide.write_bytes(_utf16(CSL, "utf-16"))
    assert detect_format(wide).name == "csl-csv"
    [entry] = parse_file(wide).entries
    assert entry.primary_name == "Müller GmbH"
    assert entry.list == "EL"


def test_utf16_gzipped_custom_csv(tmp_path: Path) -> None:
    path = tmp_path / "list.csv.gz"
    path.write_bytes(gzip.compress(_utf16(CUSTOM, "utf-16")))
    assert [e.primary_name for e in parse_file(path).entries] == [
        "Ivan Petrov",
        "Hangzhou Trading Co.",
    ]


def test_binary_data_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "blob.csv"
    path.write_bytes(b"name,country\n" + bytes(range(256)) * 8)
    with pytest.raises(SourceError, match="binary data"):
        CUSTOM_CSV.parse(path)


def test_utf16_files_of_formats_read_whole(tmp_path: Path, fixtures: Path) -> None:
    # The DPL's tab-separated file goes through decode_text (the whole file), not the
    # streamed reader: UTF-16 is read there too.
    original = fixtures / "dpl" / "dpl.txt"
    wide = tmp_path / "dpl.txt"
    wide.write_bytes(original.read_bytes().decode("utf-8-sig").encode("utf-16"))
    assert detect_format(wide).name == detect_format(original).name
    assert list(parse_file(wide).entries) == list(parse_file(original).entries)
