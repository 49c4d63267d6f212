"""Reading parties and writing hits for batch screening: CSV and JSON lines, files or stdio.

Input columns default to ``id,name,country,schema`` (any may be re-mapped; only the name
is required). A bad row is reported with its row number and reason and skipped; it never
stops the run. Output is one row per (input row, match) plus one row for each input row
with no match, so the output accounts for every input row. The leading output columns are
a stable public format (docs/batch.md): ``row_id,input_name,score,entry_id,listed_name,
matched_name,list,source``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..model import Party, Schema

#: The public output format: these columns first, in this order; more may follow.
OUTPUT_COLUMNS = (
    "row_id",
    "input_name",
    "score",
    "entry_id",
    "listed_name",
    "matched_name",
    "list",
    "source",
)
#: Longest name accepted in a batch row (a 10 MB "name" is an error, not a query).
MAX_NAME_CHARS = 2000


@dataclass(frozen=True, slots=True)
class InputRow:
    """One input row: its 1-based data-row number and the party, or why it was skipped."""

    number: int
    row_id: str
    party: Party | None
    error: str | None = None


@dataclass(frozen=True)
class ColumnMap:
    id: str = "id"
    name: str = "name"
    country: str = "country"
    schema: str = "schema"

    @classmethod
    def from_options(cls, options: Mapping[str, str | None]) -> ColumnMap:
        given = {k: v for k, v in options.items() if v}
        return cls(**given)


def detect_kind(path: str) -> str:
    """``csv`` or ``jsonl`` from a file name ("-" is CSV unless named otherwise)."""
    lower = path.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "csv"


def open_input(path: str) -> IO[str]:
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    return p.open("r", encoding="utf-8-sig", errors="replace", newline="")


def read_parties(fh: IO[str], *, kind: str, columns: ColumnMap, source: str) -> Iterator[InputRow]:
    """Yield every input row, good or bad, in order."""
    if kind == "jsonl":
        yield from _read_jsonl(fh, columns=columns)
    else:
        yield from _read_csv(fh, columns=columns, source=source)


def _party_from(values: Mapping[str, Any], number: int, columns: ColumnMap) -> InputRow:
    row_id = str(values.get(columns.id) or number)
    name = values.get(columns.name)
    if not isinstance(name, str) or not name.strip():
        return InputRow(number, row_id, None, f"no name in column {columns.name!r}")
    if len(name) > MAX_NAME_CHARS:
        return InputRow(number, row_id, None, f"name longer than {MAX_NAME_CHARS} characters")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in name):
        name = "".join(c if ord(c) >= 32 else " " for c in name)
    country = values.get(columns.country)
    schema_raw = values.get(columns.schema)
    schema = Schema.parse(schema_raw) if isinstance(schema_raw, str) else Schema.UNKNOWN
    return InputRow(
        number,
        row_id,
        Party(
            name=name.strip(),
            id=row_id,
            schema=schema,
            country=country.strip() or None if isinstance(country, str) else None,
        ),
    )


def _read_csv(fh: IO[str], *, columns: ColumnMap, source: str) -> Iterator[InputRow]:
    csv.field_size_limit(16 * 1024 * 1024)
    reader = csv.DictReader(fh)
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise InputError(f"{source}: malformed CSV header: {exc}") from None
    if not header:
        raise InputError(f"{source}: empty input")
    if columns.name not in header:
        raise InputError(
            f"{source}: no {columns.name!r} column (columns: {', '.join(header)});"
            " map one with --name-column"
        )
    number = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield InputRow(number, str(number), None, f"malformed CSV: {exc}")
            continue
        number += 1
        if None in values:  # more fields than header
            yield InputRow(number, str(number), None, "more fields than the header has")
            continue
        yield _party_from(values, number, columns)


def _read_jsonl(fh: IO[str], *, columns: ColumnMap) -> Iterator[InputRow]:
    for number, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            values = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputRow(number, str(number), None, f"invalid JSON: {exc.msg}")
            continue
        if not isinstance(values, dict):
            yield InputRow(number, str(number), None, "not a JSON object")
            continue
        yield _party_from(values, number, columns)


class HitWriter:
    """Writes output rows as CSV or JSON lines; the first columns are ``OUTPUT_COLUMNS``."""

    def __init__(self, fh: IO[str], *, kind: str, extra_columns: tuple[str, ...] = ()) -> None:
        self._fh = fh
        self._kind = kind
        self.columns = OUTPUT_COLUMNS + extra_columns
        self._csv: Any = None
        if kind == "csv":
            self._csv = csv.DictWriter(fh, fieldnames=self.columns, extrasaction="ignore")
            self._csv.writeheader()

    def write(self, row: Mapping[str, Any]) -> None:
        if self._csv is not None:
            self._csv.writerow(row)
        else:
            self._fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        self._fh.flush()
