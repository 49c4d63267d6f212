"""Compact string columns of a match index: one UTF-8 buffer and an offsets array each.

A 40 MB custom list has 384k names and 170k entries; as Python objects (a ``str`` per
name, id and country, a tuple per entry) its index's columns took about 100 MB, scattered
among the build's short-lived objects so that the memory stayed taken after they were
freed, and pickling them on save added a memo entry per object (issue #13, item 6).
:class:`Strings` holds a column as one ``bytes`` buffer (each value UTF-8 encoded and
ended by a NUL) and one ``array('q')`` of start offsets; :class:`Groups` a column of tuples
(or frozensets) of strings as the flat :class:`Strings` of their items and the start of
each group. A value is decoded when it is read (a query reads a few dozen); reading the
whole column (:meth:`Strings.__iter__`) decodes the buffer once and splits it.
:mod:`.persist` writes and reads the buffers as they are.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar, overload

import numpy as np
import numpy.typing as npt

_ENCODING = "utf-8"
#: Lone surrogates (which a list file should not hold, but ``str`` allows) round-trip.
_ERRORS = "surrogatepass"
#: Values decoded at a time when a whole column is read.
_BLOCK = 4096
#: Offsets take 4 bytes each until one is past this (a buffer of 2 GB), then 8.
_SMALL_MAX = 2**31 - 1

Offsets = npt.NDArray[np.int32] | npt.NDArray[np.int64]


def _numpy(offsets: array[int]) -> Offsets:
    if offsets.itemsize == 4:
        return np.frombuffer(offsets, dtype=np.int32)
    return np.frombuffer(offsets, dtype=np.int64)


def _offsets(starts: Offsets) -> array[int]:
    """The ``array`` of saved offsets (4 or 8 bytes each, as they were saved)."""
    out = array("i" if starts.dtype.itemsize == 4 else "q")
    out.frombytes(starts.astype(starts.dtype.newbyteorder("<"), copy=False).tobytes())
    return out


def _push(offsets: array[int], value: int) -> array[int]:
    """``offsets`` with ``value`` appended (in a wider array past :data:`_SMALL_MAX`)."""
    if value > _SMALL_MAX and offsets.typecode == "i":
        offsets = array("q", offsets)
    offsets.append(value)
    return offsets


class Strings(Sequence[str]):
    """A read-only column of strings (see the module docstring)."""

    __slots__ = ("_data", "_split", "_starts")

    def __init__(self, data: bytes, starts: array[int]) -> None:
        """``data``: every value encoded and ended by a NUL; ``starts``: where each value
        begins, and ``len(data)`` last."""
        self._data = data
        self._starts = starts
        # A value holding a NUL itself would split in two: then read value by value.
        self._split = data.count(b"\0") == len(starts) - 1

    @classmethod
    def of(cls, values: Iterable[str]) -> Strings:
        builder = StringsBuilder()
        builder.extend(values)
        return builder.finish()

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("Strings index out of range")
        starts = self._starts
        return self._data[starts[i] : starts[i + 1] - 1].decode(_ENCODING, _ERRORS)

    def __iter__(self) -> Iterator[str]:
        count, starts, data = len(self), self._starts, self._data
        if not self._split:
            for i in range(count):
                yield data[starts[i] : starts[i + 1] - 1].decode(_ENCODING, _ERRORS)
            return
        # A block of values decoded and split at a time: a loop that stops early (the
        # suggest endpoint's prefix search) decodes no more than it reads.
        for lo in range(0, count, _BLOCK):
            hi = min(lo + _BLOCK, count)
            yield from data[starts[lo] : starts[hi] - 1].decode(_ENCODING, _ERRORS).split("\0")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Strings):
            return self._data == other._data and self._starts == other._starts
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Strings({len(self)} values, {len(self._data):,} bytes)"

    @property
    def nbytes(self) -> int:
        """Bytes held (the buffer and the offsets)."""
        return len(self._data) + self._starts.itemsize * len(self._starts)

    def view(self) -> tuple[bytes, array[int]]:
        """The buffer and the offsets as held: value ``i`` is
        ``data[starts[i] : starts[i + 1] - 1].decode("utf-8", "surrogatepass")``. For the
        compiled query path, which reads a name per scored candidate: this class is not
        compiled (setup.py), so its ``__getitem__`` runs as Python, with two more calls."""
        return self._data, self._starts

    def char_lengths(self) -> npt.NDArray[np.int64]:
        """Each value's length in characters (``len``), counted without decoding: its
        bytes less its UTF-8 continuation bytes and its NUL. A block of values at a time:
        the sums are made in 8-byte integers, which for the whole buffer would take eight
        times its size (67 MB at a 40 MB list's index build)."""
        starts = _numpy(self._starts).astype(np.int64)
        out: npt.NDArray[np.int64] = np.diff(starts) - 1
        data = np.frombuffer(self._data, dtype=np.uint8)
        for lo in range(0, len(out), _BLOCK):
            hi = min(lo + _BLOCK, len(out))
            first, last = int(starts[lo]), int(starts[hi])
            follow = (data[first:last] & 0xC0) == 0x80
            # Every value has at least its NUL: no segment of reduceat is empty.
            out[lo:hi] -= np.add.reduceat(follow, starts[lo:hi] - first, dtype=np.int64)
        return out

    def buffers(self) -> tuple[bytes, Offsets]:
        """The buffer and the offsets, as :mod:`.persist` writes them."""
        return self._data, _numpy(self._starts)

    @classmethod
    def from_buffers(cls, data: bytes, starts: Offsets) -> Strings:
        """The column of :meth:`buffers`; ``ValueError`` when they do not make one."""
        count = len(starts) - 1
        if count < 0 or int(starts[0]) != 0 or int(starts[-1]) != len(data):
            raise ValueError("string offsets do not match their buffer")
        if count and (np.diff(starts) < 1).any():
            raise ValueError("string offsets are not ascending")
        if count and (np.frombuffer(data, dtype=np.uint8)[starts[1:] - 1] != 0).any():
            raise ValueError("a string is not NUL-terminated")
        # Checked once here, so that no read of a damaged file fails in a query.
        data.decode(_ENCODING, _ERRORS)
        return cls(data, _offsets(starts))


class StringsBuilder:
    """A :class:`Strings` column being filled (the build's columns, entry by entry)."""

    __slots__ = ("_data", "_starts")

    def __init__(self) -> None:
        self._data = bytearray()
        # 4 bytes an offset (3 MB for a 40 MB list's 384k names, not 6) until 2 GB.
        self._starts = array("i", [0])

    def __len__(self) -> int:
        return len(self._starts) - 1

    def append(self, value: str) -> None:
        self._data += value.encode(_ENCODING, _ERRORS)
        self._data.append(0)
        self._starts = _push(self._starts, len(self._data))

    def extend(self, values: Iterable[str]) -> None:
        for value in values:
            self.append(value)

    def finish(self) -> Strings:
        return Strings(bytes(self._data), self._starts)


T = TypeVar("T", tuple[str, ...], frozenset[str])


class Groups(Sequence[T]):
    """A read-only column of tuples of strings, or of frozensets (``frozen``)."""

    __slots__ = ("_empty", "_make", "_starts", "frozen", "items")

    def __init__(
        self, items: Strings, starts: array[int], make: Callable[[Iterable[str]], T]
    ) -> None:
        self.items = items
        self._starts = starts
        self._make: Callable[[Iterable[str]], T] = make
        self.frozen = make is frozenset
        # One empty group object for every empty group.
        self._empty: T = make(())

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("Groups index out of range")
        lo, hi = self._starts[i], self._starts[i + 1]
        if lo == hi:
            return self._empty
        items = self.items
        return self._make(items[j] for j in range(lo, hi))

    def __iter__(self) -> Iterator[T]:
        flat = iter(self.items)
        starts, make, empty = self._starts, self._make, self._empty
        for i in range(len(self)):
            size = starts[i + 1] - starts[i]
            yield make([next(flat) for _ in range(size)]) if size else empty

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Groups):
            return (
                self.frozen == other.frozen
                and self._starts == other._starts
                and self.items == other.items
            )
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Groups({len(self)} groups of {len(self.items)} strings)"

    def buffers(self) -> tuple[bytes, Offsets, Offsets]:
        """The items' buffer and offsets, and the groups' offsets (see :mod:`.persist`)."""
        data, item_starts = self.items.buffers()
        return data, item_starts, _numpy(self._starts)

    @staticmethod
    def parts_from_buffers(
        data: bytes, item_starts: Offsets, starts: Offsets
    ) -> tuple[Strings, array[int]]:
        """The items and group offsets of :meth:`buffers`; ``ValueError`` when they do
        not make a column."""
        items = Strings.from_buffers(data, item_starts)
        if len(starts) < 1 or int(starts[0]) != 0 or int(starts[-1]) != len(items):
            raise ValueError("group offsets do not match their items")
        if (np.diff(starts) < 0).any():
            raise ValueError("group offsets are not ascending")
        return items, _offsets(starts)


def tuples(items: Strings, starts: array[int]) -> Groups[tuple[str, ...]]:
    """A column of tuples of strings."""
    return Groups(items, starts, tuple)


def sets(items: Strings, starts: array[int]) -> Groups[frozenset[str]]:
    """A column of frozensets of strings."""
    return Groups(items, starts, frozenset)


class GroupsBuilder:
    """A :class:`Groups` column being filled (``finish`` with :func:`tuples` or :func:`sets`)."""

    __slots__ = ("_items", "_starts")

    def __init__(self) -> None:
        self._items = StringsBuilder()
        self._starts = array("i", [0])

    def append(self, values: Iterable[str]) -> None:
        self._items.extend(values)
        self._starts = _push(self._starts, len(self._items))

    def parts(self) -> tuple[Strings, array[int]]:
        return self._items.finish(), self._starts


__all__ = ["Groups", "GroupsBuilder", "Strings", "StringsBuilder", "sets", "tuples"]
