"""What every source adapter provides, and the small text helpers they share.

An adapter is a module with a :class:`Format` object: ``sniff`` says from the first bytes
whether a file is in this format, ``parse`` turns the file into a :class:`Parsed` (entries
plus what the file says about itself). Adapters never touch the store: the service writes
what they yield. They raise :class:`~entityscreen.errors.SourceError` (one line, naming
the file and line) for anything malformed, never a bare exception.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol, TypeVar

from ..errors import SourceError
from ..model import Entry
from .countries import to_code
from .textio import HEAD, sniff_encoding

#: Largest list file we accept (the biggest official list, OFAC's SDN XML, is ~100 MB).
MAX_FILE_BYTES = 512 * 1024 * 1024
#: Largest single CSV field; real lists stay below 64 KiB, a 10 MB field is hostile input.
MAX_FIELD_CHARS = 1024 * 1024


@dataclass
class Parsed:
    """The result of parsing one source file (or one multi-file set, such as OFAC's CSVs)."""

    source: str
    format: str
    #: A list, or for streamed formats an :class:`~.spool.EntrySpool` (kept on disk).
    entries: Sequence[Entry]
    files: tuple[Path, ...]
    published: str | None = None
    #: How ``published`` was found when the file does not state it plainly, e.g.
    #: ``"inferred: newest listing date in the file"``; None when the file states it.
    published_basis: str | None = None
    #: Delta formats (OpenSanctions ADD/MOD/DEL): ``entries`` are upserts applied to the
    #: previous snapshot and ``deleted`` the ids it removes.
    delta: bool = False
    deleted: tuple[str, ...] = ()
    #: Rows skipped with a reason, e.g. ``"line 12: no name"``; shown to the user.
    warnings: list[str] = field(default_factory=list)
    #: Companion files of a multi-file set that were not there (OFAC's ``add.csv``,
    #: ``alt.csv``): the service refuses or completes such a partial set (``--partial``).
    missing: tuple[str, ...] = ()
    #: Formats that export one dataset of a family (OpenSanctions FtM): the dataset the
    #: file holds, "" when the file does not say (the service then takes its folder's
    #: name); None for every other format. Such a file is stored under
    #: ``"{source}:{dataset}"``, so two exports never replace each other (issue #13).
    dataset: str | None = None


class Format(Protocol):
    """A list file format; see the module docstring."""

    @property
    def name(self) -> str:
        """Format name used by ``--format`` (``csl-csv``)."""
        ...

    @property
    def source(self) -> str:
        """Default source id of files in this format (``us_csl``)."""
        ...

    @property
    def description(self) -> str:
        """One line for ``entityscreen lists formats``."""
        ...

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when ``head`` (the first 4 KiB, decompressed) looks like this format."""
        ...

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse ``path``; ``options`` are format-specific (e.g. a column mapping)."""
        ...


# --- raw bytes and text -------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """Read a file, transparently un-gzipping it, with size and sanity limits."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(path, f"cannot read file: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise SourceError(path, f"file is {size} bytes, more than the {MAX_FILE_BYTES} allowed")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read file: {exc.strerror or exc}") from None
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = gz.read(MAX_FILE_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise SourceError(path, f"corrupt or truncated gzip data ({exc})") from None
        if len(data) > MAX_FILE_BYTES:
            raise SourceError(path, "decompressed file is larger than allowed")
    return data


def head_bytes(path: Path, size: int = 4096) -> bytes:
    """The first ``size`` bytes of a file, decompressed when gzipped; b"" when unreadable."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(size)
            if raw[:2] == b"\x1f\x8b":
                fh.seek(0)
                with gzip.GzipFile(fileobj=fh) as gz:
                    return gz.read(size)
            return raw
    except (OSError, EOFError, zlib.error):
        return b""


def decode_text(data: bytes, path: Path) -> str:
    """Decode a text list file: UTF-8 with or without BOM, else cp1252 (what OFAC and
    older BIS files use); UTF-16 (see :func:`~entityscreen.sources.textio.sniff_encoding`).
    Binary garbage (NUL bytes) is rejected. A trailing Ctrl-Z (0x1A, DOS end-of-file,
    present in OFAC's CSVs) is stripped."""
    encoding = sniff_encoding(data[:HEAD])
    if encoding is not None and encoding.startswith("utf-16"):
        try:
            data = data.decode(encoding).encode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"not valid {encoding} text ({exc.reason})") from None
    if b"\x00" in data[:65536]:
        raise SourceError(path, "binary data (NUL bytes), not a text list file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.rstrip("\x1a\r\n") + "\n" if text.strip("\x1a\r\n\t ") else ""
    if not text:
        raise SourceError(path, "file is empty")
    return text


def sha256_files(paths: Iterable[Path]) -> str:
    """sha256 of the raw bytes of one file; for a multi-file set, of the files in order."""
    digest = hashlib.sha256()
    for p in paths:
        with p.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def iter_csv(
    text: str | Iterable[str], path: Path, *, delimiter: str = ",", start_line: int = 1
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, row)`` of the text or of its lines
    (:func:`~entityscreen.sources.textio.open_lines`); malformed CSV and oversized fields
    become SourceError."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    lines = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    try:
        for row in reader:
            yield reader.line_num + start_line - 1, row
    except csv.Error as exc:
        raise SourceError(path, f"malformed CSV: {exc}", line=reader.line_num) from None


# --- values -------------------------------------------------------------------------------

_WS = re.compile(r"\s+")


def clean(value: str | None, *, empty: Iterable[str] = ()) -> str | None:
    """Collapse whitespace; return None for blank values and the given empty markers."""
    if value is None:
        return None
    value = _WS.sub(" ", value).strip()
    if not value or value in empty:
        return None
    return value


def split_multi(value: str | None, sep: str = ";") -> list[str]:
    """Split a multi-value field (``"a; b; c"``), dropping blanks."""
    if not value:
        return []
    return [v for v in (clean(p) for p in value.split(sep)) if v]


_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$"), "ymd"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), "mdy"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$"), "mdy2"),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{4})$"), "y"),
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_DMY_TEXT = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")
MIN_YEAR, MAX_YEAR = 1800, 2100


def parse_date(value: str | None, *, dayfirst: bool = False) -> str | None:
    """Parse the date spellings lists use into ISO ``YYYY-MM-DD`` (or ``YYYY-MM``/``YYYY``).

    Returns None for blanks and for impossible dates. A two-digit-century typo such as
    ``0017-05-26`` (seen in the CSL) is read as 2017; other out-of-range years (``3033``)
    are rejected rather than guessed; ``0097-06-30`` is 1997 (the nearest past century).
    """
    value = clean(value)
    if not value:
        return None
    for pattern, kind in _DATE_PATTERNS:
        m = pattern.match(value)
        if not m:
            continue
        g = [int(x) for x in m.groups()]
        if kind == "ymd":
            y, mo, d = g[0], g[1], g[2]
        elif kind in ("mdy", "mdy2"):
            mo, d, y = g
            if dayfirst:
                mo, d = d, mo
            if kind == "mdy2":
                y += 2000 if y <= 50 else 1900
        elif kind == "dmy":
            d, mo, y = g
        elif kind == "ym":
            return f"{g[0]:04d}-{g[1]:02d}" if _year_ok(g[0]) and 1 <= g[1] <= 12 else None
        else:
            return f"{g[0]:04d}" if _year_ok(g[0]) else None
        if 0 < y < 100:  # "0017-05-26": a century dropped; the nearest past century
            y += 2000 if 2000 + y <= date.today().year else 1900
        return _iso(y, mo, d)
    m = _DMY_TEXT.match(value)
    if m:
        month = _MONTHS.get(m.group(2).lower()[:3])
        year = int(m.group(3))
        if month is None:
            return None
        if m.group(1) is None:
            return f"{year:04d}-{month:02d}" if _year_ok(year) else None
        return _iso(year, month, int(m.group(1)))
    return None


def _year_ok(y: int) -> bool:
    return MIN_YEAR <= y <= MAX_YEAR


def _iso(y: int, mo: int, d: int) -> str | None:
    if not _year_ok(y):
        return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


_COUNTRY_OVERRIDES = {
    "crimea region of ukraine": "UA",
    "crimea": "UA",
    "kosovo": "XK",
    "west bank": "PS",
    "gaza": "PS",
    "palestinian territories": "PS",
    "burma": "MM",
    "region: crimea": "UA",
}


def country_code(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code for a country name or code, or None when unknown."""
    value = clean(value)
    if not value:
        return None
    override = _COUNTRY_OVERRIDES.get(value.lower())
    if override:
        return override
    code = to_code(value)
    # The table answers subdivisions too ("Beijing" -> "CN-BJ"): keep the country part.
    return code.upper()[:2] if code else None


_ID_JUNK = re.compile(r"[^\w]+", re.UNICODE)


def stable_id(*parts: str | None) -> str:
    """A deterministic short id from identifying fields, insensitive to case, accents,
    punctuation and spacing, so a re-published entry keeps its id when only its
    formatting changed."""
    norm = []
    for part in parts:
        text = unicodedata.normalize("NFKD", part or "").casefold()
        text = "".join(c for c in text if not unicodedata.combining(c))
        norm.append(_ID_JUNK.sub(" ", text).strip())
    return hashlib.sha1("|".join(norm).encode("utf-8")).hexdigest()[:16]


# --- tables with a header row, and entries published as several rows ----------------------

T = TypeVar("T")


def iter_records(
    text: str | Iterable[str],
    path: Path,
    *,
    required: Iterable[str],
    delimiter: str = ",",
    kind: str = "list file",
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, {column: value})`` for the data rows of a delimited file
    whose first row is a header.

    Column names are matched case-insensitively: the keys are the header names,
    stripped and lower-cased. Blank rows and rows repeating the header (some
    publishers repeat it mid-file) are skipped.

    Args:
        text: The decoded file (see :func:`decode_text`), or its lines.
        path: The file, for error messages.
        required: Column names (lower case) the header must have.
        delimiter: Field separator.
        kind: What the file should be, for the wrong-columns message ("CSL CSV").

    Yields:
        The line number where the row ends and the row keyed by column name.

    Raises:
        SourceError: A header without the required columns, a row whose field count
            differs from the header's (a truncated or malformed file), or a file
            ending inside a quoted field (truncated mid-value).
    """
    rows = iter_csv(text, path, delimiter=delimiter)
    first = next(rows, None)
    if first is None:
        raise SourceError(path, "file is empty")
    header = [(clean(name) or "").lower() for name in first[1]]
    missing = [name for name in required if name not in header]
    if missing:
        raise SourceError(
            path, f"not a {kind}: header has no {', '.join(missing)} column", line=first[0]
        )
    previous: tuple[int, list[str]] | None = None
    for current in rows:
        if previous is not None:
            yield from _check_record(previous, header, path, last=False)
        previous = current
    if previous is not None:
        yield from _check_record(previous, header, path, last=True)


def _check_record(
    numbered: tuple[int, list[str]], header: list[str], path: Path, *, last: bool
) -> Iterator[tuple[int, dict[str, str]]]:
    line, row = numbered
    if not any(value.strip() for value in row):
        return
    if last and row[-1].endswith("\n"):
        # decode_text ends the text with one newline; only an unclosed quote swallows it.
        raise SourceError(path, "file ends inside a quoted value (truncated?)", line=line)
    if len(row) != len(header):
        raise SourceError(
            path,
            f"row has {len(row)} fields, the header has {len(header)} (truncated or malformed)",
            line=line,
        )
    if (
        row[0].strip().lower() == header[0]
        and [(clean(value) or "").lower() for value in row] == header
    ):
        return
    yield line, dict(zip(header, row, strict=True))


_CITATION_BREAK = re.compile(r"\s*;\s*|,?\s+(?=\d+\s+F\.?\s?R\.?\s)")


def split_citations(text: str | None) -> tuple[str, ...]:
    """Split a ``federal_register`` value into single citations, for merging.

    Other separators are left alone ("Vol. 88, No. 151, 08/08/2023" stays one item).
    """
    if not text:
        return ()
    return tuple(c for c in (clean(part) for part in _CITATION_BREAK.split(text)) if c)
