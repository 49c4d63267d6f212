"""The lists of the nsfreg set: which list a file is, reading its files, and their dates.

:data:`LISTS` holds one :class:`ListSpec` per list of the set (its code, source id, file
name and default schema); :func:`read_list_file` and :func:`read_lists_json` read and
type-check a list file and ``lists.json``; :func:`find_published` dates a list's
snapshot from ``lists.json``'s text and :func:`entry_date` reads an entity's
``effective_date``. See :mod:`entityscreen.sources.nsfreg` for the set and the rules.

Separate from :mod:`entityscreen.sources.nsfreg`, which turns entities into entries,
because this is the set's shared mapping and file layer: it knows nothing of entries,
and :mod:`entityscreen.sources.ecfr` uses the same :class:`ListSpec` and dates.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..model import Schema
from .base import MAX_FIELD_CHARS, clean, decode_text, parse_date, read_bytes

SOURCE_PREFIX = "us_nsfreg"
LISTS_FILE = "lists.json"


@dataclass(frozen=True, slots=True)
class ListSpec:
    """One list of the set.

    Attributes:
        list_id: nsfreg's id (``"bis-entity-list"``).
        code: The list code entries get (:attr:`entityscreen.model.Entry.list`).
        source: The source id.
        file: The file name in the set.
        schema: The schema of its entries unless an entry says otherwise: organisations
            for lists that by law name only companies or institutions, unknown for lists
            that mix persons and companies.
        requirement_in_notes: The ``notes`` field is the license requirement (Entity
            List) rather than a remark.
    """

    list_id: str
    code: str
    source: str
    file: str
    schema: Schema
    requirement_in_notes: bool = False


_ORG, _UNKNOWN = Schema.ORGANIZATION, Schema.UNKNOWN

#: Every list of the set, by nsfreg list id.
LISTS: dict[str, ListSpec] = {
    spec.list_id: spec
    for spec in (
        ListSpec("bis-entity-list", "EL", "us_nsfreg_el", "bis_entity_list.json", _UNKNOWN, True),
        ListSpec("bis-meu", "MEU", "us_nsfreg_meu", "bis_meu.json", _ORG),
        ListSpec("bis-dpl", "DPL", "us_nsfreg_dpl", "bis_dpl.json", _UNKNOWN),
        ListSpec("ofac-nscmic", "CMIC", "us_nsfreg_cmic", "ofac_nscmic.json", _ORG),
        ListSpec("ofac-eo14032", "EO14032", "us_nsfreg_eo14032", "ofac_eo14032_annex.json", _ORG),
        ListSpec("dow-1260h", "1260H", "us_nsfreg_1260h", "dow_1260h.json", _ORG),
        ListSpec("dow-1286", "1286", "us_nsfreg_1286", "dow_1286.json", _ORG),
        ListSpec("dhs-uflpa", "UFLPA", "us_nsfreg_uflpa", "dhs_uflpa.json", _ORG),
        ListSpec("fcc-covered", "FCC", "us_nsfreg_fcc", "fcc_covered.json", _ORG),
        ListSpec(
            "state-debarred-statutory",
            "DTC",
            "us_nsfreg_dtc",
            "state_debarred_statutory.json",
            _UNKNOWN,
        ),
        ListSpec(
            "state-debarred-admin",
            "DTC-ADMIN",
            "us_nsfreg_dtc_admin",
            "state_debarred_admin.json",
            _UNKNOWN,
        ),
        ListSpec(
            "state-nonproliferation",
            "ISN",
            "us_nsfreg_isn",
            "state_nonproliferation.json",
            _UNKNOWN,
        ),
        ListSpec("cbp-wro", "WRO", "us_nsfreg_cbp_wro", "cbp_wro.json", _ORG),
    )
}

_STRING_FIELDS = ("name", "country", "address", "status", "effective_date", "federal_register")

_MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
_MONTH = "|".join(m.capitalize() for m in _MONTH_NAMES)
_FULL_DATE = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b")
_FISCAL_YEAR = re.compile(r"\bFY\s?(\d{4}|\d{2})\b")


# --- reading the files ----------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    text = decode_text(read_bytes(path), path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:  # over-long integers, deep nesting
        raise SourceError(path, f"invalid JSON: {type(exc).__name__}") from None


def read_list_file(path: Path) -> tuple[ListSpec, dict[str, Any], list[dict[str, Any]]]:
    """The list's spec, the file's header fields and its entities, type-checked.

    Raises:
        SourceError: Not a JSON object with a known ``list_id`` and an ``entities``
            list; an entity that is not an object, a field of the wrong type, a field
            longer than :data:`~entityscreen.sources.base.MAX_FIELD_CHARS`.
    """
    data = _load_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise SourceError(path, "not an nsfreg list file: no 'entities' list")
    list_id = data.get("list_id")
    spec = LISTS.get(list_id) if isinstance(list_id, str) else None
    if spec is None:
        known = ", ".join(LISTS)
        raise SourceError(path, f"unknown nsfreg list_id {list_id!r}; known: {known}")
    entities: list[dict[str, Any]] = []
    for number, raw in enumerate(data["entities"], 1):
        entities.append(_check_entity(raw, number, path))
    header = {k: v for k, v in data.items() if k != "entities"}
    return spec, header, entities


def _check_entity(raw: Any, number: int, path: Path) -> dict[str, Any]:
    where = f"entity {number}"
    if not isinstance(raw, dict):
        raise SourceError(path, f"{where}: not a JSON object")
    for key in (*_STRING_FIELDS, "notes"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise SourceError(path, f"{where}: {key!r} is {type(value).__name__}, not text")
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            raise SourceError(path, f"{where}: {key!r} is longer than {MAX_FIELD_CHARS} chars")
    aliases = raw.get("aliases")
    if aliases is None:
        aliases = []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise SourceError(path, f"{where}: 'aliases' is not a list of text")
    if sum(len(a) for a in aliases) > MAX_FIELD_CHARS:
        raise SourceError(path, f"{where}: 'aliases' are longer than {MAX_FIELD_CHARS} chars")
    return {**raw, "aliases": aliases}


def read_lists_json(path: Path) -> dict[str, dict[str, Any]]:
    """``lists.json``'s lists by id, plus ``"_generated"`` under the key ``""``.

    Raises:
        SourceError: Not a JSON object with a ``lists`` list of objects with an ``id``.
    """
    data = _load_json(path)
    lists = data.get("lists") if isinstance(data, dict) else None
    if not isinstance(lists, list):
        raise SourceError(path, "not an nsfreg lists.json: no 'lists' list")
    out: dict[str, dict[str, Any]] = {}
    for number, item in enumerate(lists, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise SourceError(path, f"list {number}: not an object with an 'id'")
        out[item["id"]] = item
    generated = data.get("generated")
    out[""] = {"generated": generated if isinstance(generated, str) else None}
    return out


# --- the snapshot date ------------------------------------------------------------------------


def find_published(
    snapshot: str, extracted: str | None, entry_dates: list[str]
) -> tuple[str | None, str]:
    """The list's date from its ``snapshot`` text, and how it was found.

    Args:
        snapshot: ``lists.json``'s text, e.g. "BIS export of April 14, 2026".
        extracted: When the set was extracted (ISO), the latest a download can be.
        entry_dates: The entries' own ISO dates, to keep a month's date from falling
            before an entry it contains.

    Returns:
        ``(ISO date or None, basis)``; the basis is one line for ``published_basis``.
    """
    stated = f"stated in lists.json: {snapshot!r}"
    m = _FULL_DATE.search(snapshot)
    if m:
        day = _month_date(m[1], int(m[3]), int(m[2]))
        if day:
            return day.isoformat(), f"{stated} -> {day.isoformat()}"
    m = _MONTH_YEAR.search(snapshot)
    if m:
        first = _month_date(m[1], int(m[2]), 1)
        assert first is not None  # day 1 of a named month always exists
        month = first.isoformat()[:7]
        if extracted and extracted[:7] == month:
            return extracted, f"{stated} -> {extracted} (the set's extraction date, same month)"
        in_month = [d for d in entry_dates if d[:7] == month and len(d) == 10]
        day_text = max(in_month) if in_month else first.isoformat()
        why = "newest entry date of that month" if in_month else "first day of that month"
        return day_text, f"{stated} -> {day_text} ({why})"
    m = _FISCAL_YEAR.search(snapshot)
    if m:
        year = int(m[1]) + (2000 if len(m[1]) == 2 else 0)
        # A fiscal-year list is out by the end of that fiscal year (US FY ends 30 Sept);
        # the end, not the start, so as-of screening never dates a listing too early.
        end = date(year, 9, 30).isoformat()
        return end, f"inferred: lists.json says {snapshot!r}, no date; end of US FY{year} -> {end}"
    return None, f"{stated}: no date in it"


def _month_date(month: str, year: int, day: int) -> date | None:
    try:
        return date(year, _MONTH_NAMES.index(month.lower()) + 1, day)
    except ValueError:
        return None


def entry_date(value: str | None) -> str | None:
    """An ISO date from the set's ``effective_date`` ("2021-08-02", "June 21, 2022")."""
    value = clean(value)
    if not value:
        return None
    parsed = parse_date(value)
    if parsed:
        return parsed
    for pattern in ("%B %d, %Y", "%b %d, %Y", "%d %b %Y"):
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return None


__all__ = [
    "LISTS",
    "LISTS_FILE",
    "SOURCE_PREFIX",
    "ListSpec",
    "entry_date",
    "find_published",
    "read_list_file",
    "read_lists_json",
]
