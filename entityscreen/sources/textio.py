"""Reading list files as text, line by line, without holding the file in memory.

:func:`open_lines` yields the lines of a text list file (plain or gzipped) as the CSV
readers consume them: a file of any size costs a block of memory, not its size (issue
#13: a 40 MB custom list used to take 1.3 GB). :func:`sniff_encoding` names the encoding
from the first bytes: UTF-16 with a byte-order mark, UTF-16 without one when the pattern
of NUL bytes leaves no doubt (see :func:`_bomless_utf16`), UTF-8 with a BOM; otherwise
the whole file is scanned once (a block at a time) to choose UTF-8 or, when it is not
valid UTF-8, cp1252 (what OFAC and older BIS files use). :func:`text_head` turns a
UTF-16 head into UTF-8 so that format sniffing sees the same bytes for both.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from ..errors import SourceError

#: Bytes read at a time when scanning or decoding.
BLOCK = 1 << 20
#: Largest decompressed size a streamed file may have. The service refuses larger files
#: before reading them (``Settings.max_import_mb``); this stops a gzip bomb.
MAX_STREAM_BYTES = 8 << 30
#: Bytes looked at for the NUL-byte (binary) test and for BOM-less UTF-16.
HEAD = 65536
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _bomless_utf16(head: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` for text saved as UTF-16 without a BOM, else None.

    Safe only for text that is mostly ASCII, as list files are: there every other byte
    is NUL. We require NUL in at least 70% of the odd (LE) or even (BE) positions and in
    none of the others; binary data, UTF-8 and cp1252 never look like that.
    """
    sample = head[: 4096 - 4096 % 2] if len(head) >= 2 else b""
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    pairs = len(odd)
    if odd.count(0) >= 0.7 * pairs and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.7 * pairs and odd.count(0) == 0:
        return "utf-16-be"
    return None


def sniff_encoding(head: bytes) -> str | None:
    """The encoding the first bytes settle: ``utf-16`` (BOM), ``utf-16-le``/``-be`` (no
    BOM, see :func:`_bomless_utf16`), ``utf-8-sig`` (UTF-8 BOM), or None (decide by
    scanning the file: UTF-8, else cp1252)."""
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return _bomless_utf16(head)


def text_head(head: bytes) -> bytes:
    """``head`` as UTF-8 when it is UTF-16 text (what format sniffers compare), else as is."""
    encoding = sniff_encoding(head)
    if encoding is None or not encoding.startswith("utf-16"):
        return head
    even = head[: len(head) - len(head) % 2]
    return even.decode(encoding, errors="replace").lstrip("\ufeff").encode("utf-8")


@contextmanager
def open_binary(path: Path) -> Iterator[io.BufferedIOBase]:
    """The file's bytes as a stream, un-gzipped when gzipped."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise SourceError(path, f"cannot read file: {exc.strerror or exc}") from None
    with fh:
        if fh.read(2) == b"\x1f\x8b":
            fh.seek(0)
            with gzip.GzipFile(fileobj=fh) as gz:
                yield gz
        else:
            fh.seek(0)
            yield fh


def _read(stream: io.BufferedIOBase, path: Path, size: int) -> bytes:
    try:
        return stream.read(size)
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(path, f"corrupt or truncated gzip data ({exc})") from None


def file_encoding(path: Path, max_bytes: int) -> str:
    """The encoding to read ``path`` with (see the module docstring).

    Raises:
        SourceError: NUL bytes in a file that is not UTF-16 (binary data), a
            decompressed size over ``max_bytes``, corrupt gzip data.
    """
    with open_binary(path) as stream:
        head = _read(stream, path, HEAD)
        encoding = sniff_encoding(head)
        if encoding is not None and encoding.startswith("utf-16"):
            return encoding
        if b"\x00" in head:
            raise SourceError(path, "binary data (NUL bytes), not a text list file")
        decoder = codecs.getincrementaldecoder("utf-8")()
        total, block = 0, head
        try:
            while block:
                total += len(block)
                if total > max_bytes:
                    raise SourceError(path, f"more than {max_bytes >> 20:,} MB decompressed")
                decoder.decode(block)
                block = _read(stream, path, BLOCK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"  # reads plain UTF-8 too; drops a BOM when there is one


@contextmanager
def open_lines(path: Path, max_bytes: int) -> Iterator[Iterator[str]]:
    """The lines of a text list file, decoded, newlines kept (``csv.reader`` input).

    Like :func:`~entityscreen.sources.base.decode_text` on the whole file: a trailing
    Ctrl-Z (DOS end of file, in OFAC's CSVs) and trailing newlines are dropped and the
    last line ends with exactly one newline.

    Raises:
        SourceError: Binary data, an empty file (when the lines are read), a file over
            ``max_bytes`` decompressed, undecodable UTF-16, corrupt gzip data.
    """
    encoding = file_encoding(path, max_bytes)
    # cp1252 leaves five bytes undefined: replaced, as decode_text does.
    errors = "replace" if encoding == "cp1252" else "strict"
    with open_binary(path) as stream:
        buffered = cast(io.BufferedReader, stream)  # a GzipFile reads like one
        text = io.TextIOWrapper(buffered, encoding=encoding, errors=errors, newline="")
        try:
            yield _lines(text, path, max_bytes)
        finally:
            text.detach()


def _lines(text: io.TextIOWrapper[io.BufferedReader], path: Path, max_bytes: int) -> Iterator[str]:
    seen = 0
    content = False
    previous: str | None = None
    try:
        for line in text:
            seen += len(line)
            if seen > max_bytes:
                raise SourceError(path, f"more than {max_bytes >> 20:,} MB decompressed")
            if previous is not None:
                yield previous
            if not content and line.strip("\x1a\r\n\t \ufeff"):
                content = True
            previous = line
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not valid {text.encoding} text ({exc.reason})") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(path, f"corrupt or truncated gzip data ({exc})") from None
    if not content:
        raise SourceError(path, "file is empty")
    if previous is not None:
        yield previous.rstrip("\x1a\r\n") + "\n"


__all__ = [
    "MAX_STREAM_BYTES",
    "file_encoding",
    "open_binary",
    "open_lines",
    "sniff_encoding",
    "text_head",
]
