"""Merging the rows of one listing into one entry (lists that print a party once per
address, program or citation: the CSL, the DPL, the eCFR Entity List, the EU journal):
the union of names, addresses, identifiers and legal facts, first values kept."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TypeVar

from ..model import Entry, LegalFacts, Name, NameKind, Schema
from .base import split_citations

T = TypeVar("T")


def merge_entries(entries: Iterable[Entry], *, count_key: str | None = None) -> list[Entry]:
    """Merge entries sharing an id into one, keeping first-seen order.

    Lists such as the Entity List or the Denied Persons List publish one party as
    several rows (one per country, address or order). The merged entry keeps the
    first row's id, list, source and primary name; a different primary name of a later
    row becomes an alias; the schema is the first one that is not unknown. Tuples
    (names, addresses, countries, identifiers, dates, programs...) are unions in
    first-seen order. Legal facts: ``federal_register`` values are split into single
    citations (:func:`split_citations`) and joined with ``"; "`` without duplicates,
    ``start_date`` is the earliest, ``end_date`` and ``last_update`` the latest, the
    other fields the first non-empty value. ``title`` and ``source_url`` are the first
    non-empty value, distinct ``remarks`` are joined with ``"; "``, properties are
    unions per key.

    Args:
        entries: Entries in file order, possibly several per id.
        count_key: When given, a merged entry gets ``properties[count_key] =
            (str(number of rows),)``.

    Returns:
        One entry per id; entries with a unique id are returned unchanged.
    """
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.id, []).append(entry)
    return [
        group[0] if len(group) == 1 else _merge_group(group, count_key) for group in groups.values()
    ]


def _merge_group(group: list[Entry], count_key: str | None) -> Entry:
    first = group[0]
    names: dict[str, Name] = {}
    for entry in group:
        for name in entry.names:
            if name.value not in names:
                kind = NameKind.AKA if names and name.kind is NameKind.PRIMARY else name.kind
                names[name.value] = Name(name.value, kind)
    properties: dict[str, dict[str, None]] = {}
    for entry in group:
        for key, values in entry.properties.items():
            properties.setdefault(key, {}).update(dict.fromkeys(values))
    merged_properties = {key: tuple(values) for key, values in properties.items()}
    if count_key:
        merged_properties[count_key] = (str(len(group)),)
    schemas = [e.schema for e in group if e.schema is not Schema.UNKNOWN]
    return replace(
        first,
        schema=schemas[0] if schemas else Schema.UNKNOWN,
        names=tuple(names.values()),
        addresses=_merge_tuples(e.addresses for e in group),
        countries=_merge_tuples(e.countries for e in group),
        identifiers=_merge_tuples(e.identifiers for e in group),
        birth_dates=_merge_tuples(e.birth_dates for e in group),
        birth_places=_merge_tuples(e.birth_places for e in group),
        nationalities=_merge_tuples(e.nationalities for e in group),
        programs=_merge_tuples(e.programs for e in group),
        linked_to=_merge_tuples(e.linked_to for e in group),
        legal=_merge_legal([e.legal for e in group]),
        title=_pick_first(e.title for e in group),
        remarks="; ".join(_merge_tuples((e.remarks,) for e in group if e.remarks)) or None,
        source_url=_pick_first(e.source_url for e in group),
        properties=merged_properties,
    )


def _merge_legal(facts: list[LegalFacts]) -> LegalFacts:
    citations = _merge_tuples(split_citations(f.federal_register) for f in facts)
    starts = [f.start_date for f in facts if f.start_date]
    ends = [f.end_date for f in facts if f.end_date]
    updates = [f.last_update for f in facts if f.last_update]
    return LegalFacts(
        license_requirement=_pick_first(f.license_requirement for f in facts),
        license_policy=_pick_first(f.license_policy for f in facts),
        federal_register="; ".join(citations) or None,
        start_date=min(starts) if starts else None,
        end_date=max(ends) if ends else None,
        standard_order=_pick_first(f.standard_order for f in facts),
        last_update=max(updates) if updates else None,
        action=_pick_first(f.action for f in facts),
    )


#: Where one Federal Register citation ends: a ";", or a "," or space before the next
#: "<volume> FR <page>" ("84 FR 22963, 84 FR 43495"; DPL's "67 F.R. 10890 3/11/02 71 F.R.").
def _merge_tuples(tuples: Iterable[tuple[T, ...]]) -> tuple[T, ...]:
    seen: dict[T, None] = {}
    for values in tuples:
        seen.update(dict.fromkeys(values))
    return tuple(seen)


def _pick_first(values: Iterable[str | None]) -> str | None:
    return next((v for v in values if v), None)


__all__ = ["merge_entries"]
