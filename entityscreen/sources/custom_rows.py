"""The rows of a custom list: each row as an entry, with warnings for what is dropped.

:func:`iter_rows` yields the non-blank rows of the decoded file; :class:`RowReader`
reads one row into an :class:`~entityscreen.model.Entry` (multi-value cells split on
``;`` or ``|``, user dates read month first then day first, unknown countries and types
dropped with a warning, unmapped columns kept as properties) and keeps at most
:data:`MAX_WARNINGS` warnings; :func:`describe_duplicate` words the error for a
repeated id. The rules are in :mod:`entityscreen.sources.custom`.

Separate from :mod:`entityscreen.sources.custom_columns`, which works out the columns
from the header and the options before any row is read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from ..model import Address, Entry, LegalFacts, Name, NameKind, Schema
from .base import clean, country_code, iter_csv, parse_date, stable_id
from .custom_columns import CustomOptions, detect_delimiter

#: At most this many row warnings are kept; the rest are counted.
MAX_WARNINGS = 100

_MULTI_SEP = re.compile(r"[;|]")


def _split_multi(value: str | None) -> list[str]:
    """A multi-value cell split on ``;`` or ``|``, blanks dropped, each value once."""
    return list(dict.fromkeys(c for c in map(clean, _MULTI_SEP.split(value or "")) if c))


def _parse_user_date(value: str) -> str:
    """A date as ISO: month first when possible, else day first, else as written."""
    return parse_date(value) or parse_date(value, dayfirst=True) or value


def describe_duplicate(entry: Entry, first_line: int, line: int, *, derived: bool) -> str:
    """The error message for an entry whose id an earlier row already has.

    Args:
        entry: The second entry.
        first_line: The line of the first one.
        line: The line of the second one.
        derived: The ids are name-based (the file has no id column).

    Returns:
        The message.
    """
    if derived:
        return (
            f"lines {first_line} and {line} have the same name and country but differ; "
            "add an id column to keep both"
        )
    return f"duplicate id {entry.id.partition(':')[2]!r} on lines {first_line} and {line}"


class RowReader:
    """Turns the rows of one file into entries, collecting warnings.

    Args:
        headers: The header row.
        columns: Field -> column index (see
            :func:`~entityscreen.sources.custom_columns.resolve_columns`).
        options: The parse options.
    """

    def __init__(
        self, headers: Sequence[str], columns: Mapping[str, int], options: CustomOptions
    ) -> None:
        self.headers = [clean(h) or f"column {i + 1}" for i, h in enumerate(headers)]
        self.columns = columns
        self.options = options
        self.extra = [i for i in range(len(headers)) if i not in columns.values()]
        self.warnings: list[str] = []
        self.dropped = 0

    def warn(self, line: int, message: str) -> None:
        """Record a warning about ``line`` (only the first :data:`MAX_WARNINGS` are kept).

        Args:
            line: The line number.
            message: What is wrong and what was done.
        """
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(f"line {line}: {message}")
        else:
            self.dropped += 1

    def finish_warnings(self) -> list[str]:
        """The warnings, with a count of those not kept.

        Returns:
            The warnings.
        """
        more = [f"{self.dropped} more warnings not shown"] if self.dropped else []
        return self.warnings + more

    def cell(self, row: Sequence[str], field_name: str) -> str | None:
        """The cleaned value of a field in ``row``; None when blank or not a column.

        Args:
            row: The row.
            field_name: A field of
                :data:`~entityscreen.sources.custom_columns.FIELD_HEADERS`.

        Returns:
            The value.
        """
        index = self.columns.get(field_name)
        return clean(row[index]) if index is not None and index < len(row) else None

    def read_entry(self, line: int, row: Sequence[str]) -> Entry | None:
        """The entry of one row.

        Args:
            line: The row's line number.
            row: The row's fields.

        Returns:
            The entry, or None (with a warning) when the row has no name.
        """
        if len(row) > len(self.headers):
            self.warn(line, f"{len(row)} fields, the header has {len(self.headers)}; extra ignored")
        name = self.cell(row, "name")
        if not name:
            self.warn(line, "no name; skipped")
            return None
        countries = self.read_countries(line, row)
        native_id = self.cell(row, "id")
        if native_id is None:
            if "id" in self.columns:
                self.warn(line, "no id; using a name-based id")
            native_id = stable_id(name, ",".join(countries))
        address = self.cell(row, "address")
        names = {name: Name(name)}
        for alias in _split_multi(self.cell(row, "aliases")):
            names.setdefault(alias, Name(alias, NameKind.AKA))
        start, end = self.cell(row, "start_date"), self.cell(row, "end_date")
        return Entry(
            id=f"{self.options.source}:{native_id}",
            source=self.options.source,
            list=self.options.list,
            schema=self.read_schema(line, row),
            names=tuple(names.values()),
            addresses=(
                (Address(full=address, country=countries[0] if len(countries) == 1 else None),)
                if address
                else ()
            ),
            countries=tuple(countries),
            birth_dates=tuple(
                _parse_user_date(d) for d in _split_multi(self.cell(row, "birth_date"))
            ),
            programs=tuple(_split_multi(self.cell(row, "program"))),
            legal=LegalFacts(
                license_requirement=self.cell(row, "license_requirement"),
                license_policy=self.cell(row, "license_policy"),
                start_date=_parse_user_date(start) if start else None,
                end_date=_parse_user_date(end) if end else None,
            ),
            remarks=self.cell(row, "remarks"),
            properties=self.read_extra(row),
        )

    def read_countries(self, line: int, row: Sequence[str]) -> list[str]:
        """The ISO codes of the country cell; unknown countries dropped with a warning.

        Args:
            line: The row's line number.
            row: The row.

        Returns:
            The codes, each once.
        """
        codes: dict[str, None] = {}
        for value in _split_multi(self.cell(row, "country")):
            code = country_code(value)
            if code is None:
                self.warn(line, f"country {value!r} not recognised; dropped")
            else:
                codes.setdefault(code)
        return list(codes)

    def read_schema(self, line: int, row: Sequence[str]) -> Schema:
        """The schema of the type cell; unknown types give ``unknown`` with a warning.

        Args:
            line: The row's line number.
            row: The row.

        Returns:
            The schema.
        """
        value = self.cell(row, "schema")
        schema = Schema.parse(value)
        if value and schema is Schema.UNKNOWN and value.lower() != Schema.UNKNOWN.value:
            self.warn(line, f"type {value!r} not recognised; schema unknown")
        return schema

    def read_extra(self, row: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """The non-blank cells of columns that map to no field, by header.

        Args:
            row: The row.

        Returns:
            Header -> values (several when headers repeat).
        """
        out: dict[str, tuple[str, ...]] = {}
        for index in self.extra:
            value = clean(row[index]) if index < len(row) else None
            if value:
                header = self.headers[index]
                out[header] = (*out.get(header, ()), value)
        return out


def iter_rows(text: str | Iterable[str], path: Path) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows of the CSV text, delimiter detected from the first line.

    Args:
        text: The decoded file, or its lines (read once, as they come).
        path: The file, for error messages.

    Yields:
        ``(line number, fields)``; the first is the header.
    """
    lines = iter(text.splitlines(keepends=True) if isinstance(text, str) else text)
    skipped: list[str] = []
    first = ""
    for candidate in lines:  # blank lines before the header are kept for the line count
        if candidate.strip():
            first = candidate
            break
        skipped.append(candidate)
    rest = itertools.chain(skipped, [first] if first else [], lines)
    for line, row in iter_csv(rest, path, delimiter=detect_delimiter(first)):
        if any(cell.strip() for cell in row):
            yield line, row


__all__ = ["MAX_WARNINGS", "RowReader", "describe_duplicate", "iter_rows"]
