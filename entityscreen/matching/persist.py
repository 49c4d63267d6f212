"""Saving and loading a match index: one file of raw arrays and a JSON header, no pickle.

:func:`save_state` writes the state of a :class:`~entityscreen.matching.MatchIndex`
atomically (a temporary file, then a rename); :func:`load_state` reads it back in a
fraction of a second. The file is a magic line, the length of a JSON header, the header
(format, version, scalar values, and the name, kind, dtype and byte size of every
section) and the sections' bytes one after the other: numpy arrays as they are in memory
(little-endian), the string columns (:mod:`.columns`) as their UTF-8 buffer and offsets.
Nothing in it is run on load (format 4 and older were one pickle, which was), and saving
makes no Python object per name (the pickle's memo was 30-50 MB of a 40 MB list's import,
issue #13, item 6). Every name's analysis is stored encoded (:mod:`.stored`, one buffer
and its offsets, with a CRC-32 of the buffer checked on load) and decoded on first use.

A file that is not an index of this version, or is truncated or inconsistent, raises
:class:`~entityscreen.errors.InputError` with one line saying so; the service then
rebuilds it (``service.view.cached_index``).
"""

from __future__ import annotations

import json
import struct
import zlib
from array import array
from collections.abc import Callable
from io import BufferedReader
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..model import Schema
from .columns import Groups, Strings, sets, tuples
from .stored import StoredAnalyses

FORMAT = "entityscreen-matchindex"
#: 3: entries of unknown schema say whether their name is an organisation's (0.4.2).
#: 4: the key code's fingerprint is saved and checked on load (matching/keys.py).
#: 5: raw arrays and string buffers with a JSON header instead of one pickle.
#: 6: each name's letters in its identifying words (``name_word_lengths``, for ties).
#: 7: every name's analysis, encoded (``name_analyses``, :mod:`.stored`), and a CRC-32 of it.
FORMAT_VERSION = 7

MAGIC = b"ENTITYSCREEN-MATCHINDEX\n"
_LENGTH = struct.Struct("<Q")
#: A header longer than this is not one this module wrote (it is a few kB).
_MAX_HEADER = 1 << 24
_DTYPES = {"u1": "|u1", "b1": "|b1", "i4": "<i4", "i8": "<i8", "u8": "<u8", "f8": "<f8"}


class _Writer:
    """Sections of a file being written; the header records each one's size."""

    def __init__(self) -> None:
        self.sections: list[tuple[str, str, bytes | npt.NDArray[Any]]] = []

    def add(self, name: str, value: bytes | npt.NDArray[Any]) -> None:
        if isinstance(value, bytes):
            self.sections.append((name, "bytes", value))
            return
        code = value.dtype.str[1:]
        if code not in _DTYPES:
            raise TypeError(f"cannot save a {value.dtype} array ({name})")
        self.sections.append((name, code, np.ascontiguousarray(value, dtype=_DTYPES[code])))

    def listing(self) -> list[list[Any]]:
        return [
            [name, code, len(v) if isinstance(v, bytes) else v.nbytes]
            for name, code, v in self.sections
        ]

    def write(self, f: IO[bytes]) -> None:
        for _, _, value in self.sections:
            f.write(value if isinstance(value, bytes) else value.data)


def _encode(name: str, value: Any, out: _Writer) -> Any:
    """Add the sections of one state value; returns its header entry."""
    if isinstance(value, np.ndarray):
        out.add(name, value)
        return {"kind": "array"}
    if isinstance(value, Strings):
        data, starts = value.buffers()
        out.add(name + ".data", data)
        out.add(name + ".starts", starts)
        return {"kind": "strings"}
    if isinstance(value, StoredAnalyses):
        data, ends = value.buffers()
        starts = np.frombuffer(ends, dtype=np.int64)
        # 4 bytes an offset while they fit (a buffer under 2 GB), as Strings' offsets.
        starts = starts.astype("<i4" if len(data) < 2**31 else "<i8")
        out.add(name + ".data", data)
        out.add(name + ".starts", starts)
        return {"kind": "analyses", "crc32": zlib.crc32(starts.tobytes(), zlib.crc32(data))}
    if isinstance(value, Groups):
        data, item_starts, starts = value.buffers()
        out.add(name + ".data", data)
        out.add(name + ".items", item_starts)
        out.add(name + ".starts", starts)
        return {"kind": "sets" if value.frozen else "tuples"}
    if isinstance(value, dict):  # token -> count
        data, starts = Strings.of(value).buffers()
        out.add(name + ".data", data)
        out.add(name + ".starts", starts)
        out.add(name, np.fromiter(value.values(), dtype=np.int64, count=len(value)))
        return {"kind": "counts"}
    if isinstance(value, list) and all(type(v) is bool for v in value):
        out.add(name, np.array(value, dtype=np.bool_))
        return {"kind": "bools"}
    if isinstance(value, list) and all(type(v) is str for v in value):
        # List codes, sources, schemas: a few distinct values, one code per entry.
        table = sorted(set(value))
        number = {v: i for i, v in enumerate(table)}
        out.add(name, np.fromiter((number[v] for v in value), dtype=np.int32, count=len(value)))
        return {"kind": "coded", "table": table}
    if value is None or isinstance(value, str | int | float):
        return {"kind": "value", "value": value}
    raise TypeError(f"cannot save {name}: {type(value).__name__}")


def save_state(state: dict[str, Any], path: str | Path) -> None:
    """Write an index state (its ``analyses`` left out) to ``path``, atomically."""
    sections = _Writer()
    fields = {k: _encode(k, v, sections) for k, v in state.items() if k != "analyses"}
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "fields": fields,
        "sections": sections.listing(),
    }
    head = json.dumps(header, ensure_ascii=True).encode("ascii")
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(MAGIC)
        f.write(_LENGTH.pack(len(head)))
        f.write(head)
        sections.write(f)
    tmp.replace(target)


def _read_header(f: IO[bytes], path: str | Path, size: int) -> dict[str, Any]:
    magic = f.read(len(MAGIC))
    if magic != MAGIC:
        raise InputError(f"{path} is not a match index of this version; rebuild it")
    raw = f.read(_LENGTH.size)
    length = _LENGTH.unpack(raw)[0] if len(raw) == _LENGTH.size else -1
    if not 0 < length <= min(_MAX_HEADER, size):
        raise InputError(f"{path} is a damaged match index (bad header); rebuild it")
    try:
        header = json.loads(f.read(length))
    except (UnicodeDecodeError, ValueError):
        raise InputError(f"{path} is a damaged match index (bad header); rebuild it") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InputError(f"{path} is not a match index")
    if header.get("version") != FORMAT_VERSION:
        raise InputError(f"{path} is a match index of another version; rebuild it")
    return header


def _read_sections(
    f: BufferedReader, header: dict[str, Any], start: int, size: int
) -> dict[str, bytes | npt.NDArray[Any]]:
    listing = header["sections"]
    if start + sum(int(n) for _, _, n in listing) != size:
        raise ValueError("the file's size is not its sections' (truncated?)")
    out: dict[str, bytes | npt.NDArray[Any]] = {}
    for name, code, nbytes in listing:
        if code == "bytes":
            out[name] = f.read(nbytes)
        else:
            # A buffer of its own per array: writable, and freed with it.
            buf = bytearray(nbytes)
            if f.readinto(buf) != nbytes:
                raise ValueError("truncated")
            out[name] = np.frombuffer(buf, dtype=_DTYPES[code])
    return out


def _decode(name: str, field: dict[str, Any], sections: dict[str, Any]) -> Any:
    kind = field["kind"]
    if kind == "value":
        return field["value"]
    if kind == "array":
        return sections[name].astype(sections[name].dtype.newbyteorder("="), copy=False)
    if kind == "strings":
        return Strings.from_buffers(sections[name + ".data"], sections[name + ".starts"])
    if kind in ("tuples", "sets"):
        make: Callable[[Strings, array[int]], Any] = tuples if kind == "tuples" else sets
        parts = Groups.parts_from_buffers(
            sections[name + ".data"], sections[name + ".items"], sections[name + ".starts"]
        )
        return make(*parts)
    if kind == "analyses":
        data, starts = sections[name + ".data"], sections[name + ".starts"]
        if not isinstance(data, bytes) or not isinstance(starts, np.ndarray):
            raise ValueError(f"{name}: sections of the wrong kind")
        if zlib.crc32(starts.tobytes(), zlib.crc32(data)) != field["crc32"]:
            raise ValueError(f"{name}: its bytes are not those saved (checksum)")
        ends = array("q")
        ends.frombytes(starts.astype(np.int64).tobytes())
        return StoredAnalyses.from_buffers(data, ends)
    if kind == "counts":
        keys = Strings.from_buffers(sections[name + ".data"], sections[name + ".starts"])
        return dict(zip(keys, sections[name].tolist(), strict=True))
    if kind == "bools":
        return sections[name].tolist()
    if kind == "coded":
        table = np.array(field["table"] + [None], dtype=object)
        codes = sections[name]
        if len(codes) and (codes.min() < 0 or codes.max() >= len(table) - 1):
            raise ValueError(f"{name}: a code out of its table")
        return table[codes].tolist()
    raise ValueError(f"{name}: unknown kind {kind!r}")


# The per-entry and per-name columns of a saved state, each as long as the entries (the
# names); load checks their lengths, and the round-trip test compares every one of them.
ENTRY_COLUMNS = (
    "entry_ids",
    "entry_lists",
    "entry_sources",
    "entry_schemas",
    "entry_named_orgs",
    "entry_countries",
    "entry_primary",
    "entry_birth_dates",
    "entry_identifiers",
)
NAME_COLUMNS = ("name_texts", "name_weak", "name_word_lengths")


def _inconsistency(state: dict[str, Any]) -> str | None:
    """What makes a loaded state unusable (columns of unequal lengths, offsets or ids out
    of range), or None: a damaged file is refused on load, not found out by a query."""
    try:
        entries = len(state["entry_ids"])
        if any(len(state[k]) != entries for k in ENTRY_COLUMNS):
            return "entry columns of unequal lengths"
        if not set(state["entry_schemas"]) <= {s.value for s in Schema}:
            return "an unknown schema"
        names = len(state["name_texts"])
        name_entry, offsets = state["name_entry"], state["key_offsets"]
        postings, hashes = state["postings"], state["key_hashes"]
        columns = (*NAME_COLUMNS, "name_analyses")
        if len(name_entry) != names or any(len(state[k]) != names for k in columns):
            return "name columns of unequal lengths"
        if names and (name_entry.min() < 0 or name_entry.max() >= entries):
            return "a name of no entry"
        if len(offsets) != len(hashes) + 1 or offsets[0] != 0 or offsets[-1] != len(postings):
            return "postings offsets do not match"
        if (np.diff(offsets) < 0).any():
            return "postings offsets not ascending"
        if len(postings) and (postings.min() < 0 or postings.max() >= names):
            return "a posting of no name"
        if not isinstance(state["rarity_counts"], dict) or not isinstance(
            state["rarity_total"], int
        ):
            return "no rarity table"
    except (KeyError, TypeError, AttributeError, IndexError) as error:
        return f"missing or mistyped {error}"
    return None


def load_state(path: str | Path) -> dict[str, Any]:
    """Read an index state written by :func:`save_state`.

    Raises:
        InputError: the file is not an index of this format version, or is damaged.
    """
    with open(path, "rb") as f:
        size = Path(path).stat().st_size
        header = _read_header(f, path, size)
        try:
            sections = _read_sections(f, header, f.tell(), size)
            state = {k: _decode(k, v, sections) for k, v in header["fields"].items()}
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(f"{path} is a damaged match index ({error}); rebuild it") from None
    problem = _inconsistency(state)
    if problem:
        raise InputError(f"{path} is a damaged match index ({problem}); rebuild it")
    return state


__all__ = ["FORMAT", "FORMAT_VERSION", "MAGIC", "load_state", "save_state"]
