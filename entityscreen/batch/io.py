"""Reading parties and writing hits for batch screening: CSV and JSON lines, files or stdio.

Input columns default to ``id,name,country,schema,address,birth_date,id_number`` (any may
be re-mapped; only the name is required; ``id_number`` holds several numbers separated by
``;``, or in JSON lines a list). A bad row (no name, an invalid birth date, ...) is
reported with its row number and reason and skipped; it never stops the run. Output is
one row per (input row, match) plus one row for each input row with no match, so the
output accounts for every input row. The leading output columns are a stable public
format (docs/batch.md): ``row_id,input_name,score,entry_id,listed_name,matched_name,list,
source``.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..model import Party, party_from_input

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
    #: False when the row had no id and ``row_id`` is its number.
    explicit_id: bool = True


@dataclass(frozen=True)
class ColumnMap:
    id: str = "id"
    name: str = "name"
    country: str = "country"
    schema: str = "schema"
    address: str = "address"
    birth_date: str = "birth_date"
    id_number: str = "id_number"

    @classmethod
    def from_options(cls, options: Mapping[str, str | None]) -> ColumnMap:
        given = {k: v for k, v in options.items() if v}
        return cls(**given)


#: The formats batch reads and writes, by file extension.
KINDS = ("csv", "jsonl", "xlsx", "parquet")


def detect_kind(path: str) -> str:
    """The format of a file from its name: ``csv`` (also .tsv, .txt and "-"), ``jsonl``,
    ``xlsx`` or ``parquet``."""
    lower = path.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith((".parquet", ".pq")):
        return "parquet"
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
        yield from _read_jsonl(fh, columns=columns, source=source)
    else:
        yield from _read_csv(fh, columns=columns, source=source)


def _text(value: Any) -> str | None:
    """A cell as text: strings stripped, numbers (XLSX, Parquet ids) as written, else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and math.isnan(value):  # an empty cell (pandas, Parquet)
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if isinstance(value, str | int | float) else None
    return text or None


def _date_text(value: Any) -> str | None:
    """A birth date cell: a date (XLSX, Parquet) as ``YYYY-MM-DD``, a year as a number, text."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    return _text(value)


def party_from_values(values: Mapping[str, Any], number: int, columns: ColumnMap) -> InputRow:
    given_id = _text(values.get(columns.id))
    row_id = given_id or str(number)
    explicit = given_id is not None
    name = values.get(columns.name)
    if not isinstance(name, str) or not name.strip():
        return InputRow(number, row_id, None, f"no name in column {columns.name!r}", explicit)
    if len(name) > MAX_NAME_CHARS:
        return InputRow(
            number, row_id, None, f"name longer than {MAX_NAME_CHARS} characters", explicit
        )
    if any(ord(c) < 32 and c not in "\t\n\r" for c in name):
        name = "".join(c if ord(c) >= 32 else " " for c in name)
    schema_raw = values.get(columns.schema)
    ids_raw = values.get(columns.id_number)
    try:
        party = party_from_input(
            name,
            id=row_id,
            schema=schema_raw if isinstance(schema_raw, str) else None,
            country=_text(values.get(columns.country)),
            address=_text(values.get(columns.address)),
            birth_date=_date_text(values.get(columns.birth_date)),
            identifiers=[_text(v) or "" for v in ids_raw]
            if isinstance(ids_raw, list)
            else _text(ids_raw),
            strict=False,  # an unknown schema in a row is read as unknown, as it always was
        )
    except InputError as exc:
        return InputRow(number, row_id, None, str(exc), explicit)
    return InputRow(number, row_id, party, explicit_id=explicit)


def read_party_file(path: str, *, columns: ColumnMap) -> Iterator[InputRow]:
    """Every row of a party file: CSV, JSON lines, XLSX (first sheet) or Parquet, by name.

    Raises:
        InputError: The file is missing, unreadable, or lacks the name column.
    """
    yield from read_rows(path, kind=detect_kind(path), columns=columns)


def read_rows(path: str, *, kind: str, columns: ColumnMap) -> Iterator[InputRow]:
    """Every row of a party file in ``kind`` (see :data:`KINDS`); "-" reads CSV or JSON
    lines from stdin.

    Raises:
        InputError: The file is missing or unreadable, the kind unknown or a table format
            asked of stdin, or the name column is missing.
    """
    if kind not in KINDS:
        raise InputError(f"unknown input format {kind!r}; use one of {', '.join(KINDS)}")
    if kind in ("xlsx", "parquet") and path == "-":
        raise InputError(f"{kind} input needs a file, not stdin")
    if kind == "xlsx":
        yield from _read_table(_xlsx_rows(path), columns=columns, source=path)
    elif kind == "parquet":
        yield from _read_table(_parquet_rows(path), columns=columns, source=path)
    else:
        with open_input(path) as fh:
            yield from read_parties(fh, kind=kind, columns=columns, source=path)


def _xlsx_rows(path: str) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not XLSX
        raise InputError(f"{path}: not a readable XLSX file ({type(exc).__name__})") from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _parquet_rows(path: str) -> Iterator[list[Any]]:
    import pyarrow.parquet as pq

    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ... for a bad file
        raise InputError(f"{path}: not a readable Parquet file ({type(exc).__name__})") from None
    yield list(parquet.schema_arrow.names)
    for batch in parquet.iter_batches(batch_size=10_000):
        columns = batch.to_pydict()
        names = list(columns)
        for i in range(batch.num_rows):
            yield [columns[n][i] for n in names]


def _read_table(
    rows: Iterator[list[Any]], *, columns: ColumnMap, source: str
) -> Iterator[InputRow]:
    try:
        header = [str(h).strip() if h is not None else "" for h in next(rows)]
    except StopIteration:
        raise InputError(f"{source}: empty input") from None
    if columns.name not in header:
        raise InputError(
            f"{source}: no {columns.name!r} column (columns: {shown_columns(header)});"
            " map one with --name-column"
        )
    for number, row in enumerate(rows, start=1):
        if all(v is None or v == "" for v in row):
            continue
        yield party_from_values(dict(zip(header, row, strict=False)), number, columns)


#: The delimiters a CSV file may use; the header line decides (:func:`sniff_delimiter`).
DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a CSV file from its header line: the candidate it holds most of
    (";" in European exports, tabs in .tsv), "," when it holds none (one column).
    Deterministic, unlike :class:`csv.Sniffer`, which guesses from letters too."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def check_text(sample: str, *, source: str) -> None:
    """Refuse input that is not text (a NUL byte, or mostly undecodable bytes) with one
    line naming what batch reads, instead of a header of garbage."""
    bad = sample.count("\ufffd")
    if "\x00" in sample or (sample and bad > max(8, len(sample) // 20)):
        raise InputError(
            f"{source}: not a text file (binary data); batch reads CSV (UTF-8), JSON lines,"
            " XLSX and Parquet, by file extension"
        )


def shown_columns(header: Iterable[str]) -> str:
    """Column names for a message: escaped, each cut to 40 characters, at most 20."""
    names = [ascii(h)[1:-1][:40] for h in header]
    return ", ".join(names[:20]) + (f", ... ({len(names)} columns)" if len(names) > 20 else "")


def _read_csv(fh: IO[str], *, columns: ColumnMap, source: str) -> Iterator[InputRow]:
    csv.field_size_limit(16 * 1024 * 1024)
    # Read the start to check and sniff it, then go on reading the same stream (stdin
    # cannot be re-read): the first line is completed so no line is split.
    sample = fh.read(64 * 1024)
    sample += fh.readline()
    check_text(sample, source=source)
    delimiter = sniff_delimiter(sample.split("\n", 1)[0])
    reader = csv.DictReader(itertools.chain(io.StringIO(sample), fh), delimiter=delimiter)
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise InputError(f"{source}: malformed CSV header: {exc}") from None
    if not header:
        raise InputError(f"{source}: empty input")
    if columns.name not in header:
        raise InputError(
            f"{source}: no {columns.name!r} column (columns: {shown_columns(header)});"
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
        yield party_from_values(values, number, columns)


def _read_jsonl(fh: IO[str], *, columns: ColumnMap, source: str) -> Iterator[InputRow]:
    first = fh.readline()
    check_text(first[:65536], source=source)
    for number, line in enumerate(itertools.chain([first], fh), start=1):
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
        yield party_from_values(values, number, columns)


#: A CSV field at least this long is quoted once per value (:meth:`HitWriter._write_csv`).
_LONG_FIELD = 256
#: Stands in a row for a long field's quoted text; never quoted itself, and a row with
#: this character anywhere is written the plain way, so it cannot be confused with data.
_SLOT = "\x1e"


class HitWriter:
    """Writes output rows as CSV or JSON lines; the first columns are ``OUTPUT_COLUMNS``."""

    def __init__(self, fh: IO[str], *, kind: str, extra_columns: tuple[str, ...] = ()) -> None:
        self._fh = fh
        self._kind = kind
        self.columns = OUTPUT_COLUMNS + extra_columns
        self._csv: Any = None
        self._line = io.StringIO()
        self._line_writer = csv.writer(self._line)
        self._quoted: dict[str, str] = {}
        if kind == "csv":
            self._csv = csv.DictWriter(fh, fieldnames=self.columns, extrasaction="ignore")
            self._csv.writeheader()

    def write(self, row: Mapping[str, Any]) -> None:
        if self._csv is not None:
            self._write_csv(row)
        else:
            self._fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    def _write_csv(self, row: Mapping[str, Any]) -> None:
        """``DictWriter.writerow``'s bytes, but a long field (every row of a batch repeats
        ~3 KB of list dates) is quoted once per value, not scanned again for each row:
        minimal quoting depends on the field alone, so its quoted text is spliced in."""
        values = [row.get(c, "") for c in self.columns]
        long = [i for i, v in enumerate(values) if isinstance(v, str) and len(v) >= _LONG_FIELD]
        if not long or any(isinstance(v, str) and _SLOT in v for v in values):
            self._csv.writerow(row)
            return
        texts = [self._quote(values[i]) for i in long]
        for n, i in enumerate(long):
            values[i] = f"{_SLOT}{n}{_SLOT}"
        self._line_writer.writerow(values)
        line = self._line.getvalue()
        self._line.seek(0)
        self._line.truncate()
        for n, text in enumerate(texts):
            line = line.replace(f"{_SLOT}{n}{_SLOT}", text, 1)
        self._fh.write(line)

    def _quote(self, value: str) -> str:
        """``value`` as the CSV writer writes it within a row (cached, a few kept)."""
        text = self._quoted.get(value)
        if text is None:
            if len(self._quoted) >= 16:
                self._quoted.clear()
            self._line_writer.writerow([value])  # non-empty: no lone-field special case
            text = self._quoted[value] = self._line.getvalue()[: -len("\r\n")]
            self._line.seek(0)
            self._line.truncate()
        return text

    def flush(self) -> None:
        self._fh.flush()
