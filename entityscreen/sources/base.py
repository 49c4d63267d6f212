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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

import countrynames

from ..errors import SourceError
from ..model import Entry

#: Largest list file we accept (the biggest official list, OFAC's SDN XML, is ~100 MB).
MAX_FILE_BYTES = 512 * 1024 * 1024
#: Largest single CSV field; real lists stay below 64 KiB, a 10 MB field is hostile input.
MAX_FIELD_CHARS = 1024 * 1024


@dataclass
class Parsed:
    """The result of parsing one source file (or one multi-file set, such as OFAC's CSVs)."""

    source: str
    format: str
    entries: list[Entry]
    files: tuple[Path, ...]
    published: str | None = None
    #: Delta formats (OpenSanctions ADD/MOD/DEL): ``entries`` are upserts applied to the
    #: previous snapshot and ``deleted`` the ids it removes.
    delta: bool = False
    deleted: tuple[str, ...] = ()
    #: Rows skipped with a reason, e.g. ``"line 12: no name"``; shown to the user.
    warnings: list[str] = field(default_factory=list)


class Format(Protocol):
    """A list file format; see the module docstring."""

    name: str
    source: str
    description: str

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
    older BIS files use). Binary garbage (NUL bytes) is rejected. A trailing Ctrl-Z
    (0x1A, DOS end-of-file, present in OFAC's CSVs) is stripped."""
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
    text: str, path: Path, *, delimiter: str = ",", start_line: int = 1
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, row)``; malformed CSV and oversized fields become SourceError."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
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
    are rejected rather than guessed.
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
        if 0 < y < 100:  # "0017-05-26": a century dropped by the publisher
            y += 2000
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
    code = countrynames.to_code(value)
    return code.upper() if code else None


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
