"""Batch input/output: column mapping, bad rows reported not fatal, the public output header."""

from __future__ import annotations

import io

import pytest

from entityscreen.batch.io import OUTPUT_COLUMNS, ColumnMap, HitWriter, read_parties
from entityscreen.errors import InputError
from entityscreen.model import Schema


def rows(text: str, kind: str = "csv", **cols: str) -> list:  # type: ignore[type-arg]
    return list(read_parties(io.StringIO(text), kind=kind, columns=ColumnMap(**cols), source="t"))


def test_default_columns_and_schema() -> None:
    got = rows("id,name,country,schema\nA1,Hikvision,CN,company\nA2,John Smith,,person\n")
    assert [r.row_id for r in got] == ["A1", "A2"]
    assert got[0].party.name == "Hikvision" and got[0].party.country == "CN"
    assert got[0].party.schema is Schema.ORGANIZATION
    assert got[1].party.schema is Schema.PERSON and got[1].party.country is None


def test_mapped_columns() -> None:
    got = rows("ref,Company Name\n7,ACME Ltd\n", id="ref", name="Company Name")
    assert got[0].row_id == "7" and got[0].party.name == "ACME Ltd"


def test_bad_rows_are_reported_and_kept_in_order() -> None:
    huge = "x" * 10_000
    got = rows(f"id,name\n1,\n2,{huge}\n3,ok name\n4,a,b\n")
    assert [(r.number, r.party is None) for r in got] == [
        (1, True),
        (2, True),
        (3, False),
        (4, True),
    ]
    assert "no name" in (got[0].error or "")
    assert "longer than" in (got[1].error or "")
    assert "more fields" in (got[3].error or "")


def test_control_characters_are_replaced() -> None:
    got = rows("id,name\n1,AC\x01ME\n")
    assert got[0].party.name == "AC ME"


def test_missing_name_column_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no 'name' column"):
        rows("foo,bar\n1,2\n")
    with pytest.raises(InputError, match="empty input"):
        rows("")


def test_jsonl_input_with_bad_lines() -> None:
    got = rows('{"id": "1", "name": "Huawei"}\nnot json\n[1]\n', kind="jsonl")
    assert got[0].party.name == "Huawei"
    assert "invalid JSON" in (got[1].error or "") and "not a JSON object" in (got[2].error or "")


def test_output_header_is_the_public_format() -> None:
    buf = io.StringIO()
    w = HitWriter(buf, kind="csv", extra_columns=("explanation",))
    w.write({"row_id": "1", "input_name": "x", "score": "0.9"})
    header = buf.getvalue().splitlines()[0]
    assert header == ",".join(OUTPUT_COLUMNS) + ",explanation"
    assert header.startswith(
        "row_id,input_name,score,entry_id,listed_name,matched_name,list,source"
    )


def test_birth_date_and_id_number_columns() -> None:
    got = rows(
        "id,name,birth_date,id_number\n"
        "1,Cranha Danfa,1957-03-05,AAIN29392; DA0001564\n"
        "2,Someone,,\n"
        "3,Someone Else,05/03/1957,\n"
    )
    assert got[0].party.birth_date == "1957-03-05"
    assert got[0].party.identifiers == ("AAIN29392", "DA0001564")
    assert got[1].party.birth_date is None and got[1].party.identifiers == ()
    assert got[2].party is None and got[2].row_id == "3"
    assert got[2].error == "birth date '05/03/1957': use YYYY, YYYY-MM or YYYY-MM-DD"


def test_birth_date_and_id_number_in_jsonl_and_mapped() -> None:
    got = rows(
        '{"name": "Cranha Danfa", "born": 1957, "ids": ["AAIN29392", "DA0001564"]}\n'
        '{"name": "B", "born": "1957-02", "ids": "X12345;Y67890"}\n',
        kind="jsonl",
        birth_date="born",
        id_number="ids",
    )
    assert got[0].party.birth_date == "1957"
    assert got[0].party.identifiers == ("AAIN29392", "DA0001564")
    assert got[1].party.birth_date == "1957-02"
    assert got[1].party.identifiers == ("X12345", "Y67890")


def test_typed_cells_from_xlsx_and_parquet() -> None:
    from datetime import date, datetime

    from entityscreen.batch.io import party_from_values

    columns = ColumnMap()
    row = party_from_values(
        {"name": "A", "birth_date": datetime(1957, 3, 5), "country": float("nan")}, 1, columns
    )
    assert row.party is not None
    assert row.party.birth_date == "1957-03-05" and row.party.country is None
    year = party_from_values({"name": "A", "birth_date": 1957.0, "id_number": 12345678}, 2, columns)
    assert year.party is not None
    assert year.party.birth_date == "1957" and year.party.identifiers == ("12345678",)
    day = party_from_values({"name": "A", "birth_date": date(2001, 1, 2)}, 3, columns)
    assert day.party is not None and day.party.birth_date == "2001-01-02"


def test_csv_rows_with_long_fields_are_written_as_the_csv_module_writes_them() -> None:
    """Long fields are quoted once per value and spliced into the row: the bytes are
    DictWriter's for every kind of field, and a row holding the splice marker itself is
    written the plain way."""
    import csv
    import random

    rng = random.Random(7)
    alphabet = ['a', ' ', ',', '"', "\r", "\n", "é", ";", "\x1e", "0"]
    long_values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(250, 600)))
                   for _ in range(30)]  # fmt: skip
    rows = []
    for _ in range(300):
        row = {c: "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
               for c in OUTPUT_COLUMNS}  # fmt: skip
        for c in rng.sample(OUTPUT_COLUMNS, 3):
            value = rng.choice(long_values)
            # Mostly without the splice marker (the fast way), sometimes with it (plain).
            row[c] = value.replace("\x1e", "") if rng.random() < 0.8 else value
        if rng.random() < 0.1:
            del row[OUTPUT_COLUMNS[0]]
        rows.append(row)
    fast, plain = io.StringIO(), io.StringIO()
    writer = HitWriter(fast, kind="csv")
    reference = csv.DictWriter(plain, fieldnames=OUTPUT_COLUMNS, extrasaction="ignore")
    reference.writeheader()
    for row in rows:
        writer.write(row)
        reference.writerow(row)
    assert fast.getvalue() == plain.getvalue()
    assert list(csv.DictReader(io.StringIO(fast.getvalue())))[5]["row_id"] == rows[5].get(
        "row_id", ""
    )
