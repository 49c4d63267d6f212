"""The reader of the CSL API's JSON: results as :class:`~.csl_fields.CslRow`, and its date.

The API returns ``{"total", "results": [...], "sources_used"}`` (or a bare list of
results), with addresses and ids as objects where the CSV has ``"; "``-joined text. Kept
apart from the CSV reader and the two formats (:mod:`entityscreen.sources.csl`) because
its type checks of JSON values are its own; both readers yield the same rows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..model import Address, Identifier
from .base import clean, decode_text, parse_date, read_bytes, split_multi
from .csl_fields import (
    LIST_FIELDS,
    SCALAR_FIELDS,
    CslRow,
    lookup_country,
    parse_address_item,
    parse_id_item,
)


def read_json_text(value: Any, path: Path, where: str) -> str | None:
    """A JSON scalar as cleaned text; None for null and blanks.

    Raises:
        SourceError: For objects, arrays and booleans where a scalar is expected.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return clean(str(value))
    raise SourceError(path, f"{where}: expected a text value, got {type(value).__name__}")


def read_json_items(value: Any, path: Path, where: str) -> list[Any]:
    """A JSON array; null is empty and a single object or string is one item."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str | dict):
        return [value]
    raise SourceError(path, f"{where}: expected a list, got {type(value).__name__}")


def read_json_strings(value: Any, path: Path, where: str) -> tuple[str, ...]:
    """A JSON array of strings, cleaned; a single string is split on ";" like the CSV."""
    if isinstance(value, str):
        return tuple(split_multi(value))
    texts = (read_json_text(item, path, where) for item in read_json_items(value, path, where))
    return tuple(t for t in texts if t)


def build_json_address(value: Any, path: Path, where: str) -> Address | None:
    """One ``addresses`` object ({address, city, state, postal_code, country}) or string."""
    if isinstance(value, str):
        return parse_address_item(value)
    if not isinstance(value, dict):
        raise SourceError(path, f"{where}: an address is {type(value).__name__}, not an object")
    parts = {k: read_json_text(value.get(k), path, where) for k in _ADDRESS_KEYS}
    full = ", ".join(p for p in parts.values() if p)
    if not full:
        return None
    return Address(
        full=full,
        street=parts["address"],
        city=parts["city"],
        state=parts["state"],
        postal_code=parts["postal_code"],
        country=lookup_country(parts["country"]),
    )


_ADDRESS_KEYS = ("address", "city", "state", "postal_code", "country")


def build_json_identifier(value: Any, path: Path, where: str) -> Identifier | None:
    """One ``ids`` object ({type, number, country, issue_date, expiration_date}) or string."""
    if isinstance(value, str):
        return parse_id_item(value, "documented")
    if not isinstance(value, dict):
        raise SourceError(path, f"{where}: an id is {type(value).__name__}, not an object")
    number = read_json_text(value.get("number"), path, where)
    if not number:
        return None
    return Identifier(
        type=read_json_text(value.get("type"), path, where) or "Other",
        value=number,
        country=lookup_country(read_json_text(value.get("country"), path, where)),
        issued=parse_date(read_json_text(value.get("issue_date"), path, where)),
        expires=parse_date(read_json_text(value.get("expiration_date"), path, where)),
    )


def build_json_row(result: Any, index: int, path: Path) -> CslRow:
    """One API result as a :class:`CslRow`.

    Raises:
        SourceError: A result that is not an object or has values of the wrong type.
    """
    where = f"result {index}"
    if not isinstance(result, dict):
        raise SourceError(path, f"{where} is {type(result).__name__}, not an object")
    values: dict[str, str] = {}
    for key in SCALAR_FIELDS:
        text = read_json_text(result.get(key), path, f"{where} {key}")
        if text:
            values[key] = text
    lists = {key: read_json_strings(result.get(key), path, f"{where} {key}") for key in LIST_FIELDS}
    addresses = (
        build_json_address(a, path, where)
        for a in read_json_items(result.get("addresses"), path, where)
    )
    ids = (
        build_json_identifier(i, path, where)
        for i in read_json_items(result.get("ids"), path, where)
    )
    return CslRow(
        where=where,
        values=values,
        lists=lists,
        addresses=tuple(a for a in addresses if a),
        ids=tuple(i for i in ids if i),
    )


def read_json(path: Path) -> tuple[list[Any], str | None]:
    """The results of a CSL API JSON file and the newest ``source_last_updated``.

    Raises:
        SourceError: Invalid JSON or a top level that is not a CSL response.
    """
    text = decode_text(read_bytes(path), path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:  # over-long integers, deep nesting
        raise SourceError(path, f"invalid JSON: {type(exc).__name__}") from None
    if isinstance(data, list):
        return data, None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise SourceError(path, "not a CSL API response: no 'results' list")
    return data["results"], find_published(data.get("sources_used"))


def find_published(sources_used: Any) -> str | None:
    """The newest ``source_last_updated`` date of a response's ``sources_used``, if any."""
    dates = [
        parse_date(str(item["source_last_updated"])[:10])
        for item in (sources_used if isinstance(sources_used, list) else [])
        if isinstance(item, dict) and item.get("source_last_updated")
    ]
    valid = [d for d in dates if d]
    return max(valid) if valid else None
