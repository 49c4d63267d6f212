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
most fields. Text is UTF-8, with or without BOM, else cp1252; or UTF-16 (with a BOM, or
without one when the file is mostly ASCII). The file is read as a stream (see
:mod:`~entityscreen.sources.spool`).

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

This module holds the format (sniffing, and a parse from the header to the entries, with
the duplicate-id check). Its parts: :mod:`~entityscreen.sources.custom_columns` (options,
header matching, delimiter) and :mod:`~entityscreen.sources.custom_rows` (one row as an
entry, warnings). The names other code imports from ``entityscreen.sources.custom`` are
re-exported here (see ``__all__``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from ..model import Entry
from .base import Parsed
from .custom_columns import (
    FIELD_HEADERS,
    CustomOptions,
    default_source,
    detect_delimiter,
    normalize_header,
    read_options,
    resolve_columns,
    split_line,
)
from .custom_rows import MAX_WARNINGS, RowReader, describe_duplicate, iter_rows
from .spool import EntrySpool
from .textio import MAX_STREAM_BYTES, open_lines

_BOM = b"\xef\xbb\xbf"


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
        return any(normalize_header(h) in names for h in split_line(first, detect_delimiter(first)))

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
        # Streamed (issue #13): lines are read as the rows are, entries go to a spool
        # file; only each id's line (and, for name-based ids, a digest) stays in memory.
        entries = EntrySpool()
        try:
            with open_lines(path, MAX_STREAM_BYTES) as lines:
                reader = self._read(path, iter_rows(lines, path), opts, entries)
        except BaseException:
            entries.close()
            raise
        return Parsed(
            source=opts.source,
            format=self.name,
            entries=entries,
            files=(path,),
            warnings=reader.finish_warnings(),
        )

    def _read(
        self,
        path: Path,
        rows: Iterator[tuple[int, list[str]]],
        opts: CustomOptions,
        entries: EntrySpool,
    ) -> RowReader:
        header_line, headers = next(rows, (0, []))
        if not headers:
            raise SourceError(path, "no header row")
        reader = RowReader(headers, resolve_columns(headers, opts.mapping, path), opts)
        derived = "id" not in reader.columns
        # Each id's first line; with name-based ids also a digest of its entry.
        seen: dict[str, int] = {}
        digests: dict[str, bytes] = {}
        for line, row in rows:
            entry = reader.read_entry(line, row)
            if entry is None:
                continue
            first_line = seen.get(entry.id)
            if first_line is not None:
                # Name-based ids: an exact repeat is skipped, a differing one is an error.
                if not derived or _digest(entry) != digests[entry.id]:
                    message = describe_duplicate(entry, first_line, line, derived=derived)
                    raise SourceError(path, message, line=line)
                reader.warn(line, f"same as line {first_line}; skipped")
                continue
            seen[entry.id] = line
            if derived:
                digests[entry.id] = _digest(entry)
            entries.append(entry)
        if not seen:
            reader.warn(header_line, "no entries after the header")
        return reader


def _digest(entry: Entry) -> bytes:
    """16 bytes standing for the entry's content (equal iff the entries are equal)."""
    return hashlib.blake2b(entry.canonical_json().encode("utf-8"), digest_size=16).digest()


CUSTOM_CSV = CustomCsvFormat(
    name="custom-csv",
    source="custom_*",
    description="your own list as CSV; columns by header or map.<field>=<header> options",
)
FORMATS = [CUSTOM_CSV]

__all__ = [
    "CUSTOM_CSV",
    "FIELD_HEADERS",
    "FORMATS",
    "MAX_WARNINGS",
    "CustomCsvFormat",
    "default_source",
    "detect_delimiter",
    "normalize_header",
]
