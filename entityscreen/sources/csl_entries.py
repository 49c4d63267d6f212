"""Turning CSL rows into entries: ids, schema, programs, legal facts, merged rows.

:func:`build_entry` maps one :class:`~.csl_fields.CslRow` to an
:class:`~entityscreen.model.Entry` (programs, Federal Register citation, license
requirement and policy, dates, properties); :func:`build_entries` merges the rows of one
id and :func:`infer_published` dates a file from its rows. Separate from the readers
(:mod:`entityscreen.sources.csl`, :mod:`.csl_json`) because both formats share it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from ..model import Address, Entry, Identifier, LegalFacts, Schema
from .base import parse_date, stable_id
from .csl_fields import (
    DATE_PROPERTIES,
    PROPERTY_ID_TYPES,
    SOURCE,
    VESSEL_FIELDS,
    CslRow,
    find_list_code,
    lookup_country,
)
from .csl_names import clean_name, collect_names
from .merge import merge_entries
from .spool import EntrySpool

_TWO_DIGIT_YEAR = re.compile(r"^00\d\d-")


def parse_start_date(value: str | None) -> str | None:
    """``parse_date``, reading a dropped-century year that lands in the future as 19xx.

    ``0017-05-26`` is 2017-05-26; ``0097-06-30`` (62 FR 35334, 1997) is 1997-06-30.
    """
    iso = parse_date(value)
    if iso and value and _TWO_DIGIT_YEAR.match(value.strip()) and iso > date.today().isoformat():
        iso = f"{int(iso[:4]) - 100:04d}{iso[4:]}"
    return iso


def choose_schema(type_value: str | None, list_code: str) -> Schema:
    """The schema from the ``type`` column; UNKNOWN when it is blank.

    Entity List, MEU, UVL, ISN and DPL rows carry no type, and all of them list people as
    well as companies ("Gunther Migeotte", "Saeed Talebi" on the EL), so guessing
    "organization" would make the matcher penalise true person matches.
    """
    del list_code  # kept in the signature: a list with typed defaults may come back
    if type_value:
        return Schema.parse(type_value)
    return Schema.UNKNOWN


def build_entry(row: CslRow, list_code: str) -> Entry:
    """Turn one CSL row into an entry of list ``list_code`` (see :mod:`entityscreen.sources.csl`).

    Args:
        row: The row; ``row.values["name"]`` must be set.
        list_code: From :func:`find_list_code`.

    Returns:
        The entry, not yet merged with other rows of the same id.
    """
    v = row.values
    name = v["name"]
    number = v.get("entity_number")
    # The id stays derived from the name as published, so stored ids do not change.
    native = number if number else stable_id(name)
    properties: dict[str, list[str]] = {}
    addresses = list(dict.fromkeys(row.addresses))
    cleaned = clean_name(name, addresses)
    if cleaned.name != name:
        properties["published_name"] = [name]
    if cleaned.parent:
        properties["parent"] = [cleaned.parent]
    if cleaned.place and not any(cleaned.place in a.full for a in addresses):
        country = next((a.country for a in addresses if a.country), None)
        full = ", ".join(p for p in (cleaned.place, country) if p)
        addresses.append(Address(full=full, country=country))
    identifiers: list[Identifier] = []
    for ident in row.ids:
        key = PROPERTY_ID_TYPES.get(ident.type.lower())
        if key:
            value = ident.value
            if key in DATE_PROPERTIES:
                value = parse_date(value) or value
            properties.setdefault(key, []).append(value)
        elif ident not in identifiers:
            identifiers.append(ident)
    for key in VESSEL_FIELDS:
        if v.get(key):
            properties.setdefault(key, []).append(v[key])
    people = [c for c in (lookup_country(x) for x in row.lists.get("nationalities", ())) if c]
    people += [c for c in (lookup_country(x) for x in row.lists.get("citizenships", ())) if c]
    places = [a.country for a in row.addresses if a.country]
    return Entry(
        id=f"{SOURCE}:{list_code}:{native}",
        source=SOURCE,
        list=list_code,
        schema=choose_schema(v.get("type"), list_code),
        names=collect_names(cleaned.name, row.lists.get("alt_names", ())),
        addresses=tuple(addresses),
        countries=tuple(dict.fromkeys(places + people)),
        identifiers=tuple(identifiers),
        birth_dates=tuple(
            dict.fromkeys(parse_date(d) or d for d in row.lists.get("dates_of_birth", ()))
        ),
        birth_places=tuple(dict.fromkeys(row.lists.get("places_of_birth", ()))),
        nationalities=tuple(dict.fromkeys(people)),
        programs=tuple(dict.fromkeys(row.lists.get("programs", ()))),
        legal=LegalFacts(
            license_requirement=v.get("license_requirement"),
            license_policy=v.get("license_policy"),
            federal_register=v.get("federal_register_notice"),
            start_date=parse_start_date(v.get("start_date")),
            end_date=parse_date(v.get("end_date")),
            standard_order=v.get("standard_order"),
        ),
        title=v.get("title"),
        remarks=v.get("remarks"),
        source_url=v.get("source_list_url") or v.get("source_information_url"),
        properties={k: tuple(dict.fromkeys(vals)) for k, vals in properties.items()},
    )


def infer_published(entries: Iterable[Entry]) -> tuple[str, str] | None:
    """The file's date inferred from its rows: the newest full ``start_date``.

    Args:
        entries: The file's entries.

    Returns:
        ``(ISO date, how it was inferred)``, or None when no entry has a full start date.
    """
    newest: dict[date, str] = {}
    for entry in entries:
        text = entry.legal.start_date
        if text and len(text) == 10:
            try:
                day = date.fromisoformat(text)
            except ValueError:
                continue
            newest.setdefault(day, entry.list)
    if not newest:
        return None
    # A typo in the future (2202 for 2022) is caught where the clock is: the service
    # refuses an inferred date after the import day.
    day = max(newest)
    return day.isoformat(), (
        f"inferred: newest start_date in the file ({newest[day]} entry); the file states "
        "no date and is at least this new"
    )


def _row_entry(row: CslRow, warnings: list[str]) -> Entry | None:
    source = row.values.get("source")
    code = find_list_code(source) if source else None
    if code is None:
        warnings.append(f"{row.where}: unknown CSL source {source!r}; row skipped")
    elif not row.values.get("name"):
        warnings.append(f"{row.where}: no name; row skipped")
    else:
        return build_entry(row, code)
    return None


def spool_entries(rows: Iterable[CslRow]) -> tuple[EntrySpool, list[str]]:
    """:func:`build_entries` kept on disk (issue #13): the rows' entries go to one spool,
    then each id's merged entry, in first-seen order, to the spool returned; only the
    positions of each id's rows stay in memory.

    Args:
        rows: Rows in file order.

    Returns:
        The merged entries and the warnings.
    """
    warnings: list[str] = []
    single = EntrySpool()
    merged = EntrySpool()
    try:
        where: dict[str, list[int]] = {}
        for row in rows:
            entry = _row_entry(row, warnings)
            if entry is not None:
                where.setdefault(entry.id, []).append(len(single))
                single.append(entry)
        for positions in where.values():
            group = [single[i] for i in positions]
            merged.append(merge_entries(group, count_key="csl_rows")[0])
    except BaseException:
        merged.close()
        raise
    finally:
        single.close()
    return merged, warnings


def build_entries(rows: Iterable[CslRow]) -> tuple[list[Entry], list[str]]:
    """Entries of all rows, merged by id, and warnings for the rows skipped.

    Args:
        rows: Rows in file order.

    Returns:
        The merged entries in first-seen order and the warnings.
    """
    warnings: list[str] = []
    entries = [e for e in (_row_entry(row, warnings) for row in rows) if e is not None]
    return merge_entries(entries, count_key="csl_rows"), warnings
