"""The streaming reader of OpenSanctions FtM JSON lines: entities and delta operations.

Reads an ``entities.ftm.json`` or ``entities.delta.json`` file line by line (gzip undone
on the fly), checks each line's shape and wraps it as an :class:`FtmEntity` or
:class:`DeltaOp`; malformed lines, delta indexes and binary data raise
:class:`~entityscreen.errors.SourceError`. Separate from turning entities into entries
(:mod:`.ftm_entries`) because not every reader of these lines builds entries:
:func:`iter_ownership`, also here, reads them for ownership edges. The formats in
:mod:`entityscreen.sources.ftm` drive the reader and the entry building.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from ..errors import SourceError
from .ftm_schema import SOURCE, TARGET_SCHEMAS, clean_values, normalize_date, parse_percent

#: Longest line accepted; real entities stay far below 1 MB.
MAX_LINE_BYTES = 16 * 1024 * 1024

#: The UTF-8 byte order mark, dropped from a file's first line (and from a sniffed head).
BOM = b"\xef\xbb\xbf"

DELTA_OPS = frozenset({"ADD", "MOD", "DEL"})
_GZIP_MAGIC = b"\x1f\x8b"
_INDEX_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FtmEntity:
    """One FtM entity as read from a line, checked for shape.

    Attributes:
        id: The FtM id.
        schema: The FtM schema name (``Person``, ``Sanction``...); empty for a DEL.
        properties: Property name -> values.
        caption: The display name OpenSanctions picked.
        datasets: The datasets the entity is in.
        referents: The source ids merged into it.
        target: The ``target`` flag; None when the export has none.
        last_change: When the entity last changed (ISO timestamp).
        line: Its line number in the file.
    """

    id: str
    schema: str
    properties: Mapping[str, list[str]]
    caption: str | None = None
    datasets: tuple[str, ...] = ()
    referents: tuple[str, ...] = ()
    target: bool | None = None
    last_change: str | None = None
    line: int = 0

    def values(self, prop: str) -> list[str]:
        """The cleaned, distinct values of ``prop`` (empty when absent)."""
        return clean_values(self.properties.get(prop, ()))

    def first(self, prop: str) -> str | None:
        """The first cleaned value of ``prop``, or None."""
        return next(iter(self.values(prop)), None)

    @property
    def is_target(self) -> bool:
        """True when the entity is a screening target (see :mod:`entityscreen.sources.ftm`)."""
        return self.target if self.target is not None else self.schema in TARGET_SCHEMAS


@dataclass(frozen=True, slots=True)
class DeltaOp:
    """One line of a delta file.

    Attributes:
        op: ``ADD``, ``MOD`` or ``DEL``.
        entity: The entity it applies to (only its id for a DEL).
    """

    op: str
    entity: FtmEntity


def iter_entities(path: Path) -> Iterator[FtmEntity]:
    """Yield the entities of an ``entities.ftm.json`` file.

    Args:
        path: The file, plain or gzipped.

    Yields:
        Each entity, in file order.

    Raises:
        SourceError: Unreadable, empty or binary file; a line over
            :data:`MAX_LINE_BYTES`, not UTF-8 JSON, not an entity, or a delta operation;
            a delta index.
    """
    for line, obj in _iter_json_lines(path):
        if "op" in obj and "entity" in obj:
            raise SourceError(path, "a delta operation: import the file as ftm-delta", line=line)
        yield _read_entity(obj, path, line)


def iter_delta_ops(path: Path) -> Iterator[DeltaOp]:
    """Yield the operations of an ``entities.delta.json`` file.

    Args:
        path: The file, plain or gzipped.

    Yields:
        Each operation, in file order.

    Raises:
        SourceError: As :func:`iter_entities`, and for an operation other than ADD, MOD
            and DEL.
    """
    for line, obj in _iter_json_lines(path):
        yield _read_op(obj, path, line)


@contextmanager
def _open_binary(path: Path) -> Iterator[io.BufferedIOBase]:
    """Open ``path`` for reading, un-gzipping on the fly; SourceError when unreadable."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise SourceError(path, f"cannot read file: {exc.strerror or exc}") from None
    with fh:
        if fh.peek(2)[:2] == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=fh) as gz:
                yield gz
        else:
            yield fh


def _iter_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)`` for each non-blank line; see :func:`iter_entities`."""
    seen = False
    number = 0
    with _open_binary(path) as fh:
        while True:
            number += 1
            try:
                raw = fh.readline(MAX_LINE_BYTES + 1)
            except (OSError, EOFError, zlib.error) as exc:
                raise SourceError(path, f"corrupt or truncated data ({exc})", line=number) from None
            if not raw:
                break
            if len(raw) > MAX_LINE_BYTES:
                raise SourceError(path, f"line longer than {MAX_LINE_BYTES} bytes", line=number)
            if number == 1:
                raw = raw.removeprefix(BOM)
            if raw.strip():
                yield number, _decode_line(raw, path, number, first=not seen)
                seen = True
    if not seen:
        raise SourceError(path, "file is empty")


def _decode_line(raw: bytes, path: Path, number: int, *, first: bool) -> dict[str, Any]:
    """One line as a JSON object; on the first line, a delta index gets its own error."""
    if b"\x00" in raw:
        raise SourceError(path, "binary data (NUL bytes), not FtM JSON lines", line=number)
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SourceError(path, "not UTF-8 text, not FtM JSON lines", line=number) from None
    except (ValueError, RecursionError):
        if first and _is_delta_index(path):
            _raise_delta_index(path)
        raise SourceError(path, "malformed JSON", line=number) from None
    if not isinstance(obj, dict):
        raise SourceError(path, "not a JSON object", line=number)
    if first and "versions" in obj and "id" not in obj and "op" not in obj:
        _raise_delta_index(path)
    return obj


def _is_delta_index(path: Path) -> bool:
    """True when ``path`` is a small JSON document with ``versions`` (``delta.json``)."""
    try:
        if path.stat().st_size > _INDEX_MAX_BYTES:
            return False
        with _open_binary(path) as fh:
            obj = json.loads(fh.read(_INDEX_MAX_BYTES).decode("utf-8"))
    except (OSError, EOFError, zlib.error, ValueError, RecursionError):
        return False
    return isinstance(obj, dict) and "versions" in obj


def _raise_delta_index(path: Path) -> NoReturn:
    """Refuse an OpenSanctions delta index."""
    raise SourceError(path, "this is a delta index, import the entities.delta.json files")


def _read_op(obj: Mapping[str, Any], path: Path, line: int) -> DeltaOp:
    """Check one delta operation's shape and wrap it; SourceError when malformed."""
    op, entity = obj.get("op"), obj.get("entity")
    if op is None and "schema" in obj:
        raise SourceError(path, "an entity, not a delta operation: import as ftm-json", line=line)
    if op not in DELTA_OPS:
        raise SourceError(path, f"unknown delta op {op!r}; expected ADD, MOD or DEL", line=line)
    if not isinstance(entity, dict):
        raise SourceError(path, f"{op} without an entity object", line=line)
    return DeltaOp(op, _read_entity(entity, path, line, id_only=op == "DEL"))


def _read_entity(
    obj: Mapping[str, Any], path: Path, line: int, *, id_only: bool = False
) -> FtmEntity:
    """Check one entity's shape and wrap it; ``id_only`` accepts a DEL's bare id."""
    entity_id = obj.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise SourceError(path, "entity without an id", line=line)
    schema = obj.get("schema", "")
    if not isinstance(schema, str) or not (schema or id_only):
        raise SourceError(path, f"entity {entity_id} without a schema", line=line)
    properties = obj.get("properties", {})
    if not isinstance(properties, dict):
        raise SourceError(path, f"entity {entity_id}: properties is not an object", line=line)
    for prop, values in properties.items():
        _check_strings(values, path, line, f"entity {entity_id}: property {prop}")
    target = obj.get("target")
    if target is not None and not isinstance(target, bool):
        raise SourceError(path, f"entity {entity_id}: target is not true or false", line=line)
    caption, last_change = obj.get("caption"), obj.get("last_change")
    return FtmEntity(
        id=entity_id,
        schema=schema,
        properties=properties,
        caption=caption if isinstance(caption, str) else None,
        datasets=_check_strings(obj.get("datasets", []), path, line, "datasets"),
        referents=_check_strings(obj.get("referents", []), path, line, "referents"),
        target=target,
        last_change=last_change if isinstance(last_change, str) else None,
        line=line,
    )


def _check_strings(value: Any, path: Path, line: int, what: str) -> tuple[str, ...]:
    """``value`` as a tuple when it is a list of strings; SourceError naming ``what``."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourceError(path, f"{what} is not a list of strings", line=line)
    return tuple(value)


# --- ownership ----------------------------------------------------------------------------


def iter_ownership(path: Path) -> Iterator[tuple[str, str, float | None, str | None]]:
    """Yield the ownership edges of an FtM entities or delta file.

    Ended ownerships (with an ``endDate``) are included: the tuple has no end date.

    Args:
        path: An ``entities.ftm.json`` or ``entities.delta.json`` file (of a delta, the
            ADD and MOD operations are read).

    Yields:
        ``(owner id, asset id, percent, start date)``: ids as entry ids
        (``"opensanctions:{FtM id}"``), the percent from 0 to 100 or None, the start
        date ISO or None. An Ownership with several owners or assets yields each pair.

    Raises:
        SourceError: Any malformed line (see :func:`iter_entities`).
    """
    for line, obj in _iter_json_lines(path):
        op = (
            _read_op(obj, path, line)
            if "op" in obj
            else DeltaOp("ADD", _read_entity(obj, path, line))
        )
        entity = op.entity
        if op.op == "DEL" or entity.schema != "Ownership":
            continue
        percent = parse_percent(entity.first("percentage"))
        start = entity.first("startDate")
        for owner in entity.values("owner"):
            for asset in entity.values("asset"):
                yield (
                    f"{SOURCE}:{owner}",
                    f"{SOURCE}:{asset}",
                    percent,
                    normalize_date(start) if start else None,
                )
