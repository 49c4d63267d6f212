"""Parsed entries kept in a temporary file instead of memory (issue #13, item 6).

A streaming reader (:mod:`~entityscreen.sources.custom`, the CSL CSV) appends each entry
to an :class:`EntrySpool` as one line of canonical JSON and keeps only its offset (8
bytes); the spool is a read-only sequence of entries afterwards, decoded one at a time as
the store writes them. So a parse holds a block of the file, not every entry with all its
values (a 40 MB custom list used to take 1.3 GB). The file is anonymous (deleted when
closed or collected) and lives in the system's temporary folder.

:class:`MappedEntries` applies a function to each entry of a sequence lazily (re-homing
entries under another source id without copying them all).
"""

from __future__ import annotations

import json
import os
import tempfile
import weakref
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import overload

from ..model import Entry


class _Entries(Sequence[Entry]):
    """Equal to any sequence of the same entries (as a list of them would be)."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))


class EntrySpool(_Entries):
    """Entries appended once, then read back in order or by position."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="entityscreen-spool-")  # noqa: SIM115
        # Closed (and so deleted) with the spool: parsed results are dropped, not closed.
        self._finalizer = weakref.finalize(self, self._file.close)
        self._offsets = array("q", [0])
        self._end = 0

    def append(self, entry: Entry) -> None:
        data = (entry.canonical_json() + "\n").encode("utf-8")
        self._file.write(data)
        self._end += len(data)
        self._offsets.append(self._end)

    def close(self) -> None:
        self._finalizer()

    def _read(self, index: int) -> Entry:
        self._file.flush()
        start, stop = self._offsets[index], self._offsets[index + 1]
        return Entry.from_dict(json.loads(os.pread(self._file.fileno(), stop - start, start)))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(index, slice):
            return [self._read(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("spool index out of range")
        return self._read(index)

    def __iter__(self) -> Iterator[Entry]:
        self._file.flush()
        fd = self._file.fileno()
        for start, stop in zip(self._offsets, self._offsets[1:], strict=False):
            yield Entry.from_dict(json.loads(os.pread(fd, stop - start, start)))


class MappedEntries(_Entries):
    """``function(entry)`` for every entry of ``base``, computed when read."""

    def __init__(self, base: Sequence[Entry], function: Callable[[Entry], Entry]) -> None:
        self._base = base
        self._function = function

    def __len__(self) -> int:
        return len(self._base)

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(index, slice):
            return [self._function(e) for e in self._base[index]]
        return self._function(self._base[index])

    def __iter__(self) -> Iterator[Entry]:
        return map(self._function, self._base)


__all__ = ["EntrySpool", "MappedEntries"]
