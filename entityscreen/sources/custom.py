"""A user's own list (a "do not deal" list) as CSV: format ``custom-csv``.

The file needs a header row and a column with the party's name; everything else is
optional. Columns are found by their header, case-insensitively and ignoring ``_``,
``-`` and ``.`` (``Party_Name`` = ``party name``), from :data:`FIELD_HEADERS`, or named
in the options as ``map.<field>=<header>``. Options:

``source``
    Source id; default ``custom_`` + the file name's stem, lower-cased, runs of other
    characters than ``a-z0-9`` turned into ``_`` (``Do Not Deal.csv`` ->
    ``custom_do_not_deal``).
``list``
    List code of every entry; default ``CUSTOM``.
``map.<field>``
    The header of the column holding ``<field>``, one of :data:`FIELD_HEADERS`; fields
    not mapped are still recognised by their header.

The delimiter (comma, semicolon or tab) is the one that splits the header row into the
most fields. Text is UTF-8, with or without BOM, else cp1252.

Entry ids are ``"{source}:{id column}"`` when the file has an id column; a row with an
empty id, or a file without an id column, gets ``"{source}:{stable_id(name,
countries)}"``: the same party keeps its id across edits of other columns, but a
renamed party becomes a new entry. Two rows with the same id are an error (naming both
lines), except exact repeats of a row without an id column, which are skipped with a
warning. Multi-value cells (aliases, countries, programs, birth dates) are split on
``;`` or ``|``. Dates are read as ISO, US ``MM/DD/YYYY`` or, when that is impossible,
``DD/MM/YYYY``, and kept as written when none fits. Columns that map to no field are
kept in ``Entry.properties`` under their header.

Rows without a name, unknown countries and unknown types are skipped or dropped with a
warning (``"line 12: no name; skipped"``), never an error.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from ..model import Address, Entry, LegalFacts, Name, NameKind, Schema
from .base import (
    Parsed,
    clean,
    country_code,
    decode_text,
    iter_csv,
    parse_date,
    read_bytes,
    stable_id,
)

#: Fields and the headers recognised for them (normalised, most specific first).
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "ref", "reference", "ref no", "reference no", "reference number"),
    "name": ("name", "party name", "full name", "party", "company name", "company"),
    "aliases": ("aliases", "alias", "aka", "also known as"),
    "schema": ("schema", "entity type", "party type", "type"),
    "country": ("country", "country code", "countries"),
    "address": ("address",),
    "birth_date": ("birth date", "date of birth", "dob"),
    "program": ("program", "programs", "list"),
    "remarks": ("remarks", "notes", "note", "comment", "comments"),
    "start_date": ("start date",),
    "end_date": ("end date",),
    "license_requirement": ("license requirement",),
    "license_policy": ("license policy",),
}
DEFAULT_LIST = "CUSTOM"
DELIMITERS = (",", ";", "\t")
#: At most this many row warnings are kept; the rest are counted.
MAX_WARNINGS = 100

_MAP_PREFIX = "map."
_HEADER_JUNK = re.compile(r"[\s_\-.]+")
_SOURCE_JUNK = re.compile(r"[^a-z0-9]+")
_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_MULTI_SEP = re.compile(r"[;|]")
_BOM = b"\xef\xbb\xbf"


def normalize_header(header: str) -> str:
    """A header as compared with :data:`FIELD_HEADERS`: ``" Party_Name "`` -> ``"party name"``.

    Args:
        header: The header as written.

    Returns:
        The header lower-cased, with runs of spaces, ``_``, ``-`` and ``.`` as one space.
    """
    return _HEADER_JUNK.sub(" ", header.casefold()).strip()


def detect_delimiter(header_line: str) -> str:
    """The delimiter that splits ``header_line`` into the most fields (comma on a tie).

    Args:
        header_line: The first line of the file.

    Returns:
        One of :data:`DELIMITERS`.
    """
    return max(DELIMITERS, key=lambda d: len(_split_line(header_line, d)))


def _split_line(line: str, delimiter: str) -> list[str]:
    """One CSV line split on ``delimiter``; one field when it is not valid CSV."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return [line]


def _split_multi(value: str | None) -> list[str]:
    """A multi-value cell split on ``;`` or ``|``, blanks dropped, each value once."""
    return list(dict.fromkeys(c for c in map(clean, _MULTI_SEP.split(value or "")) if c))


def _parse_user_date(value: str) -> str:
    """A date as ISO: month first when possible, else day first, else as written."""
    return parse_date(value) or parse_date(value, dayfirst=True) or value


def default_source(path: Path) -> str:
    """The default source id of a custom list file.

    Args:
        path: The file (``Do Not Deal.csv``, ``blocked.csv.gz``).

    Returns:
        ``custom_do_not_deal``, ``custom_blocked``; ``custom`` when nothing is left.
    """
    stem = Path(path.name.removesuffix(".gz")).stem.lower()
    slug = _SOURCE_JUNK.sub("_", stem).strip("_")
    return f"custom_{slug}" if slug else "custom"


@dataclass(frozen=True)
class CustomOptions:
    """The options of one parse, checked.

    Attributes:
        source: Source id.
        list: List code.
        mapping: Field -> header, from the ``map.<field>`` options.
    """

    source: str
    list: str
    mapping: Mapping[str, str]


def read_options(options: Mapping[str, str], path: Path) -> CustomOptions:
    """Check the options of a parse (see the module docstring).

    Args:
        options: The raw options.
        path: The file, for error messages and the default source id.

    Returns:
        The options.

    Raises:
        SourceError: An unknown option or field, an invalid source id, or an empty list
            code or mapping.
    """
    mapping: dict[str, str] = {}
    for key, value in options.items():
        if key.startswith(_MAP_PREFIX):
            field_name = key.removeprefix(_MAP_PREFIX)
            if field_name not in FIELD_HEADERS:
                known = ", ".join(FIELD_HEADERS)
                raise SourceError(path, f"unknown field in {key}; fields: {known}")
            if not value.strip():
                raise SourceError(path, f"{key} names no column")
            mapping[field_name] = value
        elif key not in ("source", "list"):
            raise SourceError(path, f"unknown option {key!r}; options: source, list, map.FIELD")
    source = options.get("source", "").strip() or default_source(path)
    if not _SOURCE_ID.match(source):
        raise SourceError(path, f"source {source!r}: use lower-case letters, digits and _")
    list_code = clean(options.get("list", DEFAULT_LIST))
    if not list_code:
        raise SourceError(path, "list is empty")
    return CustomOptions(source=source, list=list_code, mapping=mapping)


def resolve_columns(
    headers: Sequence[str], mapping: Mapping[str, str], path: Path
) -> dict[str, int]:
    """Find the column of each field: mapped ones by their header, the rest by name.

    Args:
        headers: The header row.
        mapping: Field -> header, from the options.
        path: The file, for error messages.

    Returns:
        Field -> column index, for the fields found.

    Raises:
        SourceError: A mapped header that is not in the file, or no name column.
    """
    normalized = [normalize_header(h) for h in headers]
    columns: dict[str, int] = {}
    for field_name, header in mapping.items():
        wanted = normalize_header(header)
        if wanted not in normalized:
            raise SourceError(
                path, f"map.{field_name}={header}: no such column; {describe_headers(headers)}"
            )
        columns[field_name] = normalized.index(wanted)
    for field_name, candidates in FIELD_HEADERS.items():
        if field_name in columns:
            continue
        used = set(columns.values())
        found = (
            i for c in candidates for i, h in enumerate(normalized) if h == c and i not in used
        )
        if (index := next(found, None)) is not None:
            columns[field_name] = index
    if "name" not in columns:
        raise SourceError(
            path, f"no name column; map one with map.name=COLUMN ({describe_headers(headers)})"
        )
    return columns


def describe_headers(headers: Sequence[str]) -> str:
    """The headers of a file for an error message, shortened when long.

    Args:
        headers: The header row.

    Returns:
        ``"headers found: a, b, c"``.
    """
    shown = [repr(h.strip()[:40]) for h in headers[:20]]
    more = f" and {len(headers) - 20} more" if len(headers) > 20 else ""
    return f"headers found: {', '.join(shown) or 'none'}{more}"


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
        columns: Field -> column index (see :func:`resolve_columns`).
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
            field_name: A field of :data:`FIELD_HEADERS`.

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


def iter_rows(text: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows of the CSV text, delimiter detected from the first line.

    Args:
        text: The decoded file.
        path: The file, for error messages.

    Yields:
        ``(line number, fields)``; the first is the header.
    """
    first = next((line for line in text.splitlines() if line.strip()), "")
    for line, row in iter_csv(text, path, delimiter=detect_delimiter(first)):
        if any(cell.strip() for cell in row):
            yield line, row


@dataclass(frozen=True)
class CustomCsvFormat:
    """A user's own list as CSV (see the module docstring).

    Attributes:
        name: Format name.
        source: Shown as the default source; the real one comes from the file name.
        description: One line for ``formats`` listings.
    """

    name: str
    source: str
    description: str

    def sniff(self, path: Path, head: bytes) -> bool:
        """True for a text file whose first line is a header with a name column.

        This is the fallback format: other formats are sniffed first.

        Args:
            path: The file; a directory is never claimed.
            head: The file's first bytes, decompressed.

        Returns:
            Whether the file looks like a custom list.
        """
        if path.is_dir() or b"\x00" in head:
            return False
        text = head.removeprefix(_BOM).decode("utf-8", errors="replace")
        first = next((line for line in text.splitlines() if line.strip()), "")
        names = FIELD_HEADERS["name"]
        return any(
            normalize_header(h) in names for h in _split_line(first, detect_delimiter(first))
        )

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse a custom list.

        Args:
            path: The CSV file, plain or gzipped.
            options: ``source``, ``list`` and ``map.<field>`` (see the module docstring).

        Returns:
            The entries in file order, and warnings for skipped rows and dropped values.

        Raises:
            SourceError: Bad options, an unreadable, empty or binary file, malformed CSV,
                no name column, a mapped column that does not exist, or a duplicate id.
        """
        opts = read_options(options or {}, path)
        rows = iter_rows(decode_text(read_bytes(path), path), path)
        header_line, headers = next(rows, (0, []))
        if not headers:
            raise SourceError(path, "no header row")
        reader = RowReader(headers, resolve_columns(headers, opts.mapping, path), opts)
        entries: dict[str, tuple[int, Entry]] = {}
        for line, row in rows:
            entry = reader.read_entry(line, row)
            if entry is None:
                continue
            if entry.id in entries:
                first_line, first = entries[entry.id]
                derived = "id" not in reader.columns
                if not derived or entry != first:
                    message = describe_duplicate(entry, first_line, line, derived=derived)
                    raise SourceError(path, message, line=line)
                reader.warn(line, f"same as line {first_line}; skipped")
                continue
            entries[entry.id] = (line, entry)
        if not entries:
            reader.warn(header_line, "no entries after the header")
        return Parsed(
            source=opts.source,
            format=self.name,
            entries=[entry for _, entry in entries.values()],
            files=(path,),
            warnings=reader.finish_warnings(),
        )


CUSTOM_CSV = CustomCsvFormat(
    name="custom-csv",
    source="custom_*",
    description="your own list as CSV; columns by header or map.<field>=<header> options",
)
FORMATS = [CUSTOM_CSV]

__all__ = ["CUSTOM_CSV", "FIELD_HEADERS", "FORMATS", "CustomCsvFormat", "default_source"]
