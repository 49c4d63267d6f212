"""The nsfreg set of US restricted-party lists: one JSON file per list plus ``lists.json``.

The set (github.com/phagehunter/nsfreg, ``data/*.json``) converts 13 US lists into one
JSON layout: ``{list_id, source_file, extracted, count, entities: [{name, aliases[],
country, address, status, effective_date, federal_register, notes}]}``. ``lists.json``
beside the files says, per ``list_id``, which official snapshot each list was taken from
("eCFR text as downloaded July 2026", "BIS export of April 14, 2026").

One source per list
    Each file is its own source (``us_nsfreg_el``, ``us_nsfreg_dpl``... see
    :data:`LISTS`), not one ``us_nsfreg`` source: the lists were taken on different days
    (2021-06 to 2026-07) and a snapshot has one ``published`` date, so one source would
    date the 2023 debarment list as July 2026. Each list keeps its code of
    ``exportcontrol/data/lists.yml`` (EL, MEU, DPL, CMIC, ISN, DTC reuse the existing
    codes and so their verdicts; 1260H, 1286, UFLPA, FCC, DTC-ADMIN, WRO and EO14032 are
    new there).

Snapshot date (``published``) and ``published_basis``
    From the list's ``snapshot`` text in ``lists.json`` (:func:`find_published`): a full
    date when it states one; for a month ("July 2026") the set's extraction date when it
    falls in that month (a download "in July 2026" extracted on 2026-07-09 is no later
    than that day), else the first day of the month; for a fiscal year ("FY24") the last
    day of that fiscal year. ``published_basis`` always says which. Without ``lists.json``
    the date is left unknown with a warning (the service then asks for ``--published``).

Entry ids and merging
    ``"{source}:{stable_id(list code, name)}"``. The country is left out on purpose: the
    eCFR prints an entity listed under several countries once per country, with "(See
    alternate addresses under ...)" pointing at the others; those rows are one listing
    and merge into one entry with every country (as the CSL reader does), and an entity
    that gains a country keeps its id. The exception is the Entity List's address-only
    entries ("Address 01", one series per country since 89 FR 51652): their id adds the
    country, since "Address 01" in China and in Turkey are different listings.

Text clean-up (the eCFR text keeps Federal Register wording)
    Aliases are split on ";" and "a.k.a.", lose a leading "and "/"-", a trailing "; and"
    and "a.k.a., the following two aliases:"; an alias that carries addresses
    ("APEX Ltd., 26 General Belov St...; and ...") keeps its name and gives its addresses
    to the entry. A primary name "X (a.k.a. Y" or "X (f.k.a., Y)" becomes X with alias
    Y. Addresses are split on "; and" and "Alt Address:", without "(See alternate
    addresses under ...)" (kept in ``properties["see_also"]``) and without leading
    artifacts ("the following one alias:", "Address:").

This module builds the entries (:func:`build_entry`) and holds the format. Its parts:
:mod:`~entityscreen.sources.nsfreg_lists` (the table of lists, reading the files,
snapshot and entry dates) and :mod:`~entityscreen.sources.nsfreg_text` (the text
clean-up). Their public names are re-exported here (see ``__all__``), so imports from
``entityscreen.sources.nsfreg`` stay.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..exportcontrol.federal_register import parse_citations, parse_us_date
from ..model import Address, Entry, Identifier, LegalFacts, Name, Schema
from .base import Parsed, clean, parse_date, stable_id
from .merge import merge_entries
from .nsfreg_lists import (
    LISTS,
    LISTS_FILE,
    SOURCE_PREFIX,
    ListSpec,
    entry_date,
    find_published,
    read_list_file,
    read_lists_json,
)
from .nsfreg_text import clean_aliases, resolve_country, split_addresses, split_primary

# --- entries ---------------------------------------------------------------------------------

_ADDRESS_ENTRY = re.compile(r"^Address \d+$")
_DOB = re.compile(r"Date of birth:\s*([^;|]+)", re.IGNORECASE)
_EXPIRES = re.compile(r"Expires:\s*(\d{4}-\d{2}-\d{2})")
_DENIAL = re.compile(r"Type of denial:\s*(Standard|Non-Standard)", re.IGNORECASE)
_ISN_EXPIRED = re.compile(r"Expired(?:\s+on)?\s+(\d{1,2}/\d{1,2}/\d{2,4})", re.IGNORECASE)
_ISN_AUTHORITY = re.compile(r"Authority:\s*([^;|]+)")
_CMIC_PROGRAM = re.compile(r"Program:\s*([A-Z0-9-]+)")
_USCC = re.compile(r"USCC:\s*([0-9A-Z]{18})(?:\s*\(([^)]*)\))?")


def federal_register_text(value: str | None) -> str | None:
    """The citations as one ``"; "``-joined value (the eCFR puts one per line)."""
    if not value:
        return None
    lines = [clean(line.strip().rstrip(".")) for line in value.splitlines()]
    return "; ".join(line for line in lines if line) or None


def build_entry(raw: Mapping[str, Any], spec: ListSpec) -> Entry | None:
    """One entity of the set as an entry, not yet merged; None when it has no name.

    Args:
        raw: The entity, type-checked by :func:`read_list_file`.
        spec: Its list.

    Returns:
        The entry.
    """
    name_text = clean(raw.get("name"))
    if not name_text:
        return None
    primary, inline_aliases, address_text, see_also = split_primary(name_text, raw.get("address"))
    aliases, alias_addresses, alias_remarks = clean_aliases(raw["aliases"])
    addresses, address_see_also = split_addresses(address_text)
    country_text = clean(raw.get("country"))
    country = resolve_country(country_text)
    notes = clean(raw.get("notes"))
    schema = spec.schema
    if (notes and _DOB.search(notes)) or (country_text or "").lower().endswith("individual"):
        schema = Schema.PERSON
    elif primary.lower().startswith("fishing vessel"):
        schema = Schema.VESSEL
    address_only = spec.code == "EL" and bool(_ADDRESS_ENTRY.match(primary))
    id_parts = (spec.code, primary, country_text) if address_only else (spec.code, primary)
    names: dict[str, Name] = {primary: Name(primary)}
    for alias in (*inline_aliases, *aliases):
        names.setdefault(alias.value, alias)
    properties: dict[str, tuple[str, ...]] = {"nsfreg_list": (spec.list_id,)}
    if see_also or address_see_also:
        properties["see_also"] = tuple(dict.fromkeys((*see_also, *address_see_also)))
    if country_text and not country:
        properties["country_raw"] = (country_text,)
    if address_only:
        properties["listed_address"] = ("the listing is this address, not a named party",)
    fr_text = federal_register_text(raw.get("federal_register"))
    start = entry_date(raw.get("effective_date"))
    if start is None:
        earliest = parse_citations(fr_text).earliest_date()
        start = earliest.isoformat() if earliest else None
    remarks = [notes] if notes and not spec.requirement_in_notes else []
    remarks.extend(alias_remarks)
    return Entry(
        id=f"{spec.source}:{stable_id(*id_parts)}",
        source=spec.source,
        list=spec.code,
        schema=schema,
        names=tuple(names.values()),
        addresses=tuple(
            Address(full=a, country=country) for a in dict.fromkeys((*addresses, *alias_addresses))
        ),
        countries=(country,) if country else (),
        identifiers=_identifiers(notes),
        birth_dates=_birth_dates(notes),
        programs=_programs(spec, notes),
        legal=LegalFacts(
            license_requirement=notes if spec.requirement_in_notes else None,
            federal_register=fr_text,
            start_date=start,
            end_date=_end_date(spec, notes),
            standard_order=_standard_order(notes),
            action=clean(raw.get("status")),
        ),
        remarks="; ".join(remarks) or None,
        properties=properties,
    )


def _birth_dates(notes: str | None) -> tuple[str, ...]:
    m = _DOB.search(notes or "")
    if not m:
        return ()
    parsed = parse_date(m[1].replace(",", " "))
    return (parsed,) if parsed else ()


def _identifiers(notes: str | None) -> tuple[Identifier, ...]:
    return tuple(
        Identifier("USCC", m[1], country=resolve_country(m[2])) for m in _USCC.finditer(notes or "")
    )


def _programs(spec: ListSpec, notes: str | None) -> tuple[str, ...]:
    if spec.code == "CMIC":
        return tuple(dict.fromkeys(_CMIC_PROGRAM.findall(notes or "")))
    if spec.code == "ISN":
        return tuple(dict.fromkeys(clean(a) or "" for a in _ISN_AUTHORITY.findall(notes or "")))
    return ()


def _end_date(spec: ListSpec, notes: str | None) -> str | None:
    """DPL: "Expires: 2026-10-27"; ISN: the latest expiry when every measure has one."""
    if not notes:
        return None
    if spec.code == "DPL":
        m = _EXPIRES.search(notes)
        return m[1] if m else None
    if spec.code == "ISN":
        ends = []
        for measure in notes.split(" | "):
            m = _ISN_EXPIRED.search(measure)
            when = parse_us_date(m[1], volume=None)[0] if m else None
            if when is None:
                return None  # a measure without an expiry is still in force
            ends.append(when)
        return max(ends).isoformat() if ends else None
    return None


def _standard_order(notes: str | None) -> str | None:
    m = _DENIAL.search(notes or "")
    if not m:
        return None
    return "Y" if m[1].lower() == "standard" else "N"


# --- the format ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NsfregJsonFormat:
    """One list file of the nsfreg set (see the module docstring).

    Attributes:
        name: Format name.
        source: What ``lists formats`` shows; each file gets its list's own source.
        description: One line for ``formats`` listings.
    """

    name: str = "nsfreg-json"
    source: str = f"{SOURCE_PREFIX}_*"
    description: str = "nsfreg JSON set of 13 US lists (Entity List from the eCFR text, ...)"

    def sniff(self, path: Path, head: bytes) -> bool:
        """True for a JSON object with nsfreg's ``list_id``/``source_file``/``entities``,
        or a folder holding ``lists.json`` and exactly one list file of the set."""
        if path.is_dir():
            return _folder_list_file(path) is not None
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
        return text.startswith("{") and all(
            f'"{key}"' in text for key in ("list_id", "source_file", "entities")
        )

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse one list file (or a folder with one list file and ``lists.json``).

        Args:
            path: The list file, or a folder as downloaded by ``lists update``.
            options: Unused; this format has none.

        Returns:
            Merged entries in file order, under the list's source; ``published`` and
            ``published_basis`` from ``lists.json`` beside the file.

        Raises:
            SourceError: A malformed list file or ``lists.json``, naming the file.
        """
        if path.is_dir():
            found = _folder_list_file(path)
            if found is None:
                raise SourceError(path, "no single nsfreg list file with lists.json here")
            path = found
        spec, header, raw_entities = read_list_file(path)
        warnings: list[str] = []
        rows: list[Entry] = []
        for number, raw in enumerate(raw_entities, 1):
            entry = build_entry(raw, spec)
            if entry is None:
                warnings.append(f"entity {number}: no name; skipped")
            else:
                rows.append(entry)
        count = header.get("count")
        if isinstance(count, int) and count != len(raw_entities):
            warnings.append(f"'count' says {count}, the file holds {len(raw_entities)} entities")
        published, basis = self._published(path, spec, header, rows, warnings)
        entries = merge_entries(rows, count_key="nsfreg_rows")
        source_url = None
        lists_path = path.parent / LISTS_FILE
        if lists_path.is_file():
            url = read_lists_json(lists_path).get(spec.list_id, {}).get("official_url")
            source_url = url if isinstance(url, str) else None
        if source_url:
            entries = [replace(e, source_url=source_url) for e in entries]
        return Parsed(
            spec.source,
            self.name,
            entries,
            (path,),
            published=published,
            published_basis=basis,
            warnings=warnings,
        )

    @staticmethod
    def _published(
        path: Path,
        spec: ListSpec,
        header: Mapping[str, Any],
        rows: list[Entry],
        warnings: list[str],
    ) -> tuple[str | None, str | None]:
        lists_path = path.parent / LISTS_FILE
        if not lists_path.is_file():
            warnings.append(f"no {LISTS_FILE} beside the file: snapshot date unknown")
            return None, None
        meta = read_lists_json(lists_path)
        snapshot = meta.get(spec.list_id, {}).get("snapshot")
        if not isinstance(snapshot, str) or not snapshot.strip():
            warnings.append(f"{LISTS_FILE} states no snapshot for {spec.list_id}")
            return None, None
        extracted = header.get("extracted")
        extracted = extracted if isinstance(extracted, str) else meta[""]["generated"]
        dates = [e.legal.start_date for e in rows if e.legal.start_date]
        return find_published(clean(snapshot) or "", parse_date(extracted), dates)


def _folder_list_file(folder: Path) -> Path | None:
    """The one list file of the set in ``folder`` (beside ``lists.json``), if exactly one."""
    if not (folder / LISTS_FILE).is_file():
        return None
    found = [folder / spec.file for spec in LISTS.values() if (folder / spec.file).is_file()]
    return found[0] if len(found) == 1 else None


NSFREG_JSON = NsfregJsonFormat()

FORMATS = [NSFREG_JSON]

__all__ = [
    "FORMATS",
    "LISTS",
    "NSFREG_JSON",
    "ListSpec",
    "NsfregJsonFormat",
    "build_entry",
    "clean_aliases",
    "entry_date",
    "find_published",
    "read_list_file",
    "read_lists_json",
    "resolve_country",
    "split_addresses",
    "split_primary",
]
