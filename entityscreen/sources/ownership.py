"""Ownership files: owner -> owned edges with a share, for the 50 percent rules.

Two formats, told apart by content:

* **CSV** (comma, semicolon or tab; UTF-8 with or without BOM, else cp1252), one edge a
  row. Columns, by header (case, spaces, ``_`` and ``-`` ignored): ``owner_id`` and/or
  ``owner_name``; ``owned_id`` and/or ``owned_name``; ``share`` (percent: ``35``,
  ``35%``, ``35.5``; ``0.35`` is read as 0.35 percent, write percents); optional
  ``since`` (or ``date``, ``start_date``). An id may be an entry id of the store
  (``us_ofac_sdn:12345``), an LEI or a prefixed identifier (``ogrn:1027700132195``, see
  ``entityscreen.service.owner_resolution``), or any id of the user's own; a row without
  an id is keyed by its name. An empty share means "unknown" (reported, never guessed).
* **FollowTheMoney JSON lines** (an OpenSanctions export): its ``Ownership`` entities, with
  owner and asset as ``opensanctions:{id}`` entry ids (:func:`.ftm.iter_ownership`).

Malformed input is a :class:`~entityscreen.errors.SourceError` naming file and line; the
caller stores nothing then.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from ..model import Ownership, ownership_key
from .base import clean, country_code, decode_text, iter_csv, parse_date, read_bytes
from .custom import detect_delimiter, normalize_header

#: Accepted headers for each field (after :func:`normalize_header`).
_HEADERS: dict[str, tuple[str, ...]] = {
    "owner_id": ("owner id", "owner"),
    "owner_name": ("owner name",),
    "owned_id": ("owned id", "asset id", "owned", "asset", "subsidiary id"),
    "owned_name": ("owned name", "asset name", "subsidiary name", "subsidiary"),
    "share": ("share", "percent", "percentage", "share percent", "ownership percent"),
    "since": ("since", "date", "start date", "start"),
    "owner_country": ("owner country", "country of owner", "owner jurisdiction"),
}


def name_key(name: str) -> str:
    """The node id of a party known only by name (:func:`entityscreen.model.ownership_key`)."""
    return ownership_key(name)


def read_ownership(path: Path) -> list[Ownership]:
    """Every ownership edge of a CSV or FtM file (see the module docstring).

    Args:
        path: The file.

    Returns:
        The edges, in file order; ``source`` is left None (the caller names the import).

    Raises:
        SourceError: The file is unreadable, of neither format, or has a malformed row.
    """
    data = read_bytes(path)
    text = decode_text(data, path)
    if text.lstrip().startswith("{"):
        from .ftm import iter_ownership

        return [
            Ownership(owner_id=o, owned_id=a, share=share, since=since)
            for o, a, share, since in iter_ownership(path)
        ]
    return _read_csv(text, path)


def _read_csv(text: str, path: Path) -> list[Ownership]:
    first_line = text.split("\n", 1)[0]
    rows = iter_csv(text, path, delimiter=detect_delimiter(first_line))
    try:
        _, header = next(rows)
    except StopIteration:
        raise SourceError(path, "file is empty") from None
    columns = _resolve(header, path)
    edges: list[Ownership] = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise SourceError(path, f"expected {len(header)} fields, found {len(row)}", line=line)

        def cell(field: str, row: list[str] = row) -> str | None:
            index = columns.get(field)
            return clean(row[index]) if index is not None else None

        owner = _node(cell("owner_id"), cell("owner_name"))
        owned = _node(cell("owned_id"), cell("owned_name"))
        if owner is None or owned is None:
            side = "owner" if owner is None else "owned party"
            raise SourceError(path, f"row names no {side} (id or name)", line=line)
        since_text = cell("since")
        since = parse_date(since_text) if since_text else None
        if since_text and since is None:
            raise SourceError(path, f"unreadable date {since_text!r}", line=line)
        country_text = cell("owner_country")
        country = country_code(country_text) if country_text else None
        if country_text and country is None:
            raise SourceError(path, f"unknown owner country {country_text!r}", line=line)
        edges.append(
            Ownership(
                owner_id=owner,
                owned_id=owned,
                share=_share(cell("share"), path, line),
                owner_name=cell("owner_name"),
                owned_name=cell("owned_name"),
                since=since,
                owner_country=country,
            )
        )
    if not edges:
        raise SourceError(path, "no ownership rows")
    return edges


def _resolve(header: list[str], path: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = normalize_header(raw)
        for field, names in _HEADERS.items():
            if (name == field.replace("_", " ") or name in names) and field not in found:
                found[field] = index
                break
    for side in ("owner", "owned"):
        if f"{side}_id" not in found and f"{side}_name" not in found:
            raise SourceError(
                path,
                f"needs a {side}_id or {side}_name column (found: {', '.join(header)})",
                line=1,
            )
    if "share" not in found:
        raise SourceError(path, f"needs a share column (found: {', '.join(header)})", line=1)
    return found


def _node(node_id: str | None, name: str | None) -> str | None:
    if node_id:
        return node_id
    return name_key(name) if name else None


def _share(text: str | None, path: Path, line: int) -> float | None:
    if not text:
        return None
    try:
        value = float(text.strip().rstrip("%").strip().replace(",", "."))
    except ValueError:
        raise SourceError(path, f"share {text!r} is not a number", line=line) from None
    if not 0.0 <= value <= 100.0:
        raise SourceError(path, f"share {text!r} is not a percent from 0 to 100", line=line)
    return value


__all__ = ["name_key", "read_ownership"]
