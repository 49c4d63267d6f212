"""The parts of streamed list reading (issue #13): encoding sniffing, line-by-line text,
entries spooled to disk. What they fix is tested in test_encodings.py and
tests/integration/test_import_memory.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.sources.custom import CUSTOM_CSV
from entityscreen.sources.spool import EntrySpool, MappedEntries
from entityscreen.sources.textio import open_lines, sniff_encoding, text_head

CUSTOM = (
    "id,name,aliases,type,country,dob,remarks\n"
    "1,Ivan Petrov,Иван Петров; I. Petrov,person,RU,1970-01-02,Müller & Söhne\n"
    "2,Hangzhou Trading Co.,杭州贸易有限公司,organization,CN,,\n"
)


def test_encoding_sniffing() -> None:
    assert sniff_encoding("a,b\n".encode("utf-16")) == "utf-16"
    assert sniff_encoding("name,country\n".encode("utf-16-le")) == "utf-16-le"
    assert sniff_encoding("name,country\n".encode("utf-16-be")) == "utf-16-be"
    assert sniff_encoding(b"\xef\xbb\xbfname") == "utf-8-sig"
    assert sniff_encoding(b"name,country\n") is None
    # Binary data with NULs in both halves is not taken for UTF-16.
    assert sniff_encoding(bytes(range(256)) * 4) is None
    assert text_head("<CONSOLIDATED_LIST>".encode("utf-16")) == b"<CONSOLIDATED_LIST>"


def test_broken_utf16_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    # A BOM, text, then a lone high surrogate: not valid UTF-16.
    path.write_bytes("name,country\nA,DE\n".encode("utf-16-le").join([b"\xff\xfe", b"\x00\xd8"]))
    with pytest.raises(SourceError, match="not valid utf-16"):
        list(CUSTOM_CSV.parse(path).entries)


def test_lines_match_the_whole_file_reading(tmp_path: Path) -> None:
    # Ctrl-Z and trailing newlines dropped, the last line ends with one newline; cp1252
    # when the file is not UTF-8 (as decode_text does).
    path = tmp_path / "x.csv"
    path.write_bytes(b"name\r\nA\xe9\r\nB\r\n\x1a")
    with open_lines(path, 1 << 20) as lines:
        assert list(lines) == ["name\r\n", "Aé\r\n", "B\r\n", "\n"]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\r\n \x1a")
    with pytest.raises(SourceError, match="file is empty"), open_lines(empty, 1 << 20) as lines:
        list(lines)
    too_big = pytest.raises(SourceError, match="more than 0 MB decompressed")
    with too_big, open_lines(path, 4) as lines:
        list(lines)


def test_spool_is_a_sequence_of_the_entries(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text(CUSTOM, encoding="utf-8")
    entries = list(CUSTOM_CSV.parse(plain).entries)
    spool = EntrySpool()
    for entry in entries:
        spool.append(entry)
    assert len(spool) == 2
    assert list(spool) == entries == spool
    assert spool[-1] == entries[1]
    assert spool[0:1] == entries[:1]
    with pytest.raises(IndexError):
        spool[2]
    # Same canonical JSON, so the same content hash in the store.
    assert [e.content_hash() for e in spool] == [e.content_hash() for e in entries]
    renamed = MappedEntries(spool, lambda e: e.__class__.from_dict({**e.to_dict(), "list": "X"}))
    assert [e.list for e in renamed] == ["X", "X"]
    spool.close()
