"""Writing batch hits to a file by its extension: CSV and JSON lines as text (also to
stdout), XLSX and Parquet as typed tables (issue #14: ``--out hits.xlsx`` wrote CSV text
into a file Excel then refused).

Typed means the score is a number (Excel sorts and filters it as one; Parquet stores a
double) and everything else is text; the columns are those of the CSV, in its order.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Protocol

from ..errors import InputError
from .io import KINDS, OUTPUT_COLUMNS, HitWriter

#: Output columns written as numbers in typed formats.
NUMBER_COLUMNS = frozenset({"score"})

#: Rows per Parquet row group (and per batch held in memory).
PARQUET_BATCH_ROWS = 10_000


class RowWriter(Protocol):
    columns: tuple[str, ...]

    def write(self, row: Mapping[str, Any]) -> None: ...

    def close(self) -> None: ...


def _typed(column: str, value: Any) -> Any:
    if column in NUMBER_COLUMNS:
        return float(value) if value not in (None, "") else None
    return "" if value is None else str(value)


class _TextWriter:
    """CSV or JSON lines into a file or stdout."""

    def __init__(self, path: str, kind: str, extra_columns: tuple[str, ...]) -> None:
        self._fh: IO[str] = (
            sys.stdout if path == "-" else open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        )
        self._inner = HitWriter(self._fh, kind=kind, extra_columns=extra_columns)
        self.columns = self._inner.columns

    def write(self, row: Mapping[str, Any]) -> None:
        self._inner.write(row)

    def close(self) -> None:
        self._inner.flush()
        if self._fh is not sys.stdout:
            self._fh.close()


class _XlsxWriter:
    """One sheet, header first; openpyxl's write-only mode streams rows to the file."""

    def __init__(self, path: str, extra_columns: tuple[str, ...]) -> None:
        from openpyxl import Workbook

        self.path = path
        self.columns = OUTPUT_COLUMNS + extra_columns
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("hits")
        self._sheet.append(list(self.columns))

    def write(self, row: Mapping[str, Any]) -> None:
        self._sheet.append([_typed(c, row.get(c)) for c in self.columns])

    def close(self) -> None:
        self._book.save(self.path)


class _ParquetWriter:
    """Row groups of :data:`PARQUET_BATCH_ROWS`, so memory stays flat on a big batch."""

    def __init__(self, path: str, extra_columns: tuple[str, ...]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa = pa
        self.columns = OUTPUT_COLUMNS + extra_columns
        self._schema = pa.schema(
            [(c, pa.float64() if c in NUMBER_COLUMNS else pa.string()) for c in self.columns]
        )
        self._writer = pq.ParquetWriter(path, self._schema)
        self._rows: list[Mapping[str, Any]] = []

    def write(self, row: Mapping[str, Any]) -> None:
        self._rows.append(row)
        if len(self._rows) >= PARQUET_BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        data = {c: [_typed(c, r.get(c)) for r in self._rows] for c in self.columns}
        self._writer.write_table(self._pa.table(data, schema=self._schema))
        self._rows = []

    def close(self) -> None:
        if self._rows:
            self._flush()
        self._writer.close()


def open_writer(path: str, *, kind: str, extra_columns: tuple[str, ...] = ()) -> RowWriter:
    """A writer of hits to ``path`` ("-" = stdout) in ``kind`` (see :data:`KINDS`).

    Raises:
        InputError: An unknown kind, a table format to stdout, or a folder that does not
            exist.
    """
    if kind not in KINDS:
        raise InputError(f"unknown output format {kind!r}; use one of {', '.join(KINDS)}")
    if path != "-" and not Path(path).parent.is_dir():
        raise InputError(f"{path}: its folder does not exist")
    if kind in ("csv", "jsonl"):
        return _TextWriter(path, kind, extra_columns)
    if path == "-":
        raise InputError(f"{kind} output needs a file (--out hits.{kind}), not stdout")
    if kind == "xlsx":
        return _XlsxWriter(path, extra_columns)
    return _ParquetWriter(path, extra_columns)


__all__ = ["NUMBER_COLUMNS", "RowWriter", "open_writer"]
