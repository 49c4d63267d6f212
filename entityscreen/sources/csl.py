"""trade.gov's Consolidated Screening List (CSL): the CSV download and the API's JSON.

The CSL merges 13 US lists (Commerce: EL, MEU, UVL, DPL; State: DTC, ISN; Treasury: SDN,
SSI, FSE, PLC, CAP, CMIC, MBS) into one table. Every row names its list in the full
``source`` string ("Entity List (EL) - Bureau of Industry and Security"); the entry's
``list`` is the code in parentheses. Multi-value columns are joined with ``"; "``.

Entry ids
    Rows with an ``entity_number`` (the Treasury lists) get
    ``"us_csl:{LIST}:{entity_number}"``. The others (EL, MEU, UVL, DPL, ISN, DTC) get
    ``"us_csl:{LIST}:{stable_id(name)}"``, derived from the primary name only: the CSL
    ``_id`` changes between publications.

Merging rows
    Rows of one list with the same id are merged into one entry
    (:func:`~entityscreen.sources.base.merge_entries`): the Entity List publishes an
    entity listed under several countries as one row per country (Huawei Technologies
    is three rows), the DPL one row per order or address. The entry has the union of
    the rows' names, addresses, countries, identifiers and programs; Federal Register
    citations joined with ``"; "`` without duplicates; the earliest ``start_date`` and
    latest ``end_date``; the first non-empty value of the other legal texts; and
    ``properties["csl_rows"] = ("<n>",)`` when n > 1 rows were merged. Two different
    parties published under exactly the same name on one list would be merged too;
    the lists give nothing better to tell them apart.

Field conventions
    * Names: the primary name plus ``alt_names``; the Federal Register wording leaves a
      leading "and " on the last alias, which is removed. The CSL prints "?" for
      apostrophes it could not encode ("Donetsk People?s Republic"): the name is kept as
      published and an alias with "'" for each "?" between two letters is added.
    * Schema: the ``type`` column; rows without one are organizations on EL, MEU, UVL,
      ISN and FSE, unknown elsewhere (DPL and DTC mix persons and companies).
    * Addresses: ``"street, city, state, postal, CC"``; the last part is the country
      (ISO-2, sometimes a name). Alternatives joined with "; and" become separate
      addresses.
    * ``ids`` items are ``"type, number, country, issued, expires"`` with empty parts left
      out. The 2022 files print the same parts in alphabetical key order, reversed
      (``"JO, 2014-08-30, 2009-08-31, K475336, Passport"``: country, expires, issued,
      number, type); the layout is detected per file. A single date is the issue date
      in the documented layout and is dropped in the alphabetical one, where it cannot
      be told from an expiry. Items that are not identifiers (Gender, Target Type,
      sanctions notes) go to ``properties`` under the keys the OFAC adapter uses.
    * Text is whitespace-collapsed with :func:`~entityscreen.sources.base.clean`,
      legal text included ("EAR.  (See" becomes "EAR. (See").
    * Dates go through :func:`~entityscreen.sources.base.parse_date`; a ``start_date``
      with a dropped century that would land in the future (``0097-06-30``) is read in
      the 1900s. Unparseable birth dates ("circa 1960") are kept as published.
    * The CSV states no date of its own, so ``published`` is inferred from the data: the
      newest full ``start_date`` of any entry (:func:`infer_published`), with
      ``published_basis`` saying so and which list it came from. It is a lower bound: the
      file is at least that new (the 2022-05 file gives 2022-04-21, a DPL order, where
      its SDN part equals OFAC's list of 2022-05-06). The API JSON's ``sources_used``
      entries carry ``source_last_updated``; the newest one is used when present.

Malformed files (wrong columns, a truncated last row, binary data, oversized fields)
raise :class:`~entityscreen.errors.SourceError` naming the file and line: a truncated
download must never replace a snapshot, or its missing rows would read as delistings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from ..errors import SourceError
from ..model import Address, Entry, Identifier, LegalFacts, Name, NameKind, Schema
from .base import (
    Parsed,
    clean,
    country_code,
    decode_text,
    iter_records,
    merge_entries,
    parse_date,
    read_bytes,
    split_multi,
    stable_id,
)

SOURCE = "us_csl"

#: List codes, keyed by the abbreviation in parentheses in the ``source`` string after
#: :func:`normalize_abbreviation` ("Non-SDN Menu-Based Sanctions List (NS-MBS List)").
LIST_CODES: dict[str, str] = {
    code: code
    for code in (
        "EL",
        "MEU",
        "UVL",
        "DPL",
        "SDN",
        "FSE",
        "ISN",
        "DTC",
        "CAP",
        "CMIC",
        "MBS",
        "PLC",
        "SSI",
    )
} | {"CAPTA": "CAP"}


#: ``ids`` types (lower case) that are facts about the party rather than identifiers,
#: and the property key each is kept under: the keys the OFAC adapter gives the same
#: items of OFAC's remarks, so an SDN entry reads alike from either source.
PROPERTY_ID_TYPES: dict[str, str] = {
    "gender": "gender",
    "organization established date": "established",
    "organization type:": "organization_type",
    "target type": "target_type",
    "aircraft model": "aircraft_model",
    "aircraft operator": "aircraft_operator",
    "aircraft manufacture date": "aircraft_built",
    "aircraft construction number (also called l/n or s/n or f/n)": (
        "aircraft_construction_number"
    ),
    "vessel year of build": "vessel_built",
    "former vessel flag": "former_vessel_flag",
    "other vessel flag": "other_vessel_flag",
    "other vessel call sign": "other_vessel_call_sign",
    "other vessel type": "other_vessel_type",
    "additional sanctions information -": "additional_sanctions",
    "secondary sanctions risk:": "secondary_sanctions_risk",
}
#: Date-valued properties, stored as ISO dates when they parse.
DATE_PROPERTIES = frozenset({"established", "aircraft_built", "vessel_built"})

#: Vessel columns kept as properties under their own names.
VESSEL_FIELDS = (
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
)

#: Single-value columns (the vessel ones are in :data:`VESSEL_FIELDS`).
SCALAR_FIELDS = (
    "_id",
    "id",
    "source",
    "entity_number",
    "type",
    "name",
    "title",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "remarks",
    "source_list_url",
    "source_information_url",
    *VESSEL_FIELDS,
)

#: Multi-value columns.
LIST_FIELDS = (
    "programs",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
)

#: The CSV header starts with these columns (after an optional BOM and quotes).
CSV_HEADER_START = "_id,source,entity_number"

#: Keys only a CSL result has; one of them must be in the head of a JSON file.
_JSON_MARKERS = ('"federal_register_notice"', '"entity_number"', '"source_list_url"')

IdLayout = Literal["documented", "alphabetical"]

_PARENS = re.compile(r"\(([^()]+)\)")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])")
_AND = re.compile(r"^and\s+")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_TWO_DIGIT_YEAR = re.compile(r"^00\d\d-")


# --- format-neutral rows --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CslRow:
    """One CSL record, from either the CSV or the JSON, before it becomes an entry.

    Attributes:
        where: Where the record is, for warnings ("line 12", "result 3").
        values: Scalar columns, cleaned; blank ones are absent.
        lists: Multi-value columns (see :data:`LIST_FIELDS`), split and cleaned.
        addresses: Parsed addresses.
        ids: Parsed ``ids`` items.
    """

    where: str
    values: Mapping[str, str]
    lists: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    addresses: tuple[Address, ...] = ()
    ids: tuple[Identifier, ...] = ()


def normalize_abbreviation(text: str) -> str:
    """Upper-case a list abbreviation and drop a trailing "List" ("NS-MBS List")."""
    key = " ".join(text.upper().split())
    key = key.removesuffix(" LIST")
    return key.removeprefix("NS-") if key.removeprefix("NS-") in LIST_CODES else key


@lru_cache(maxsize=256)
def find_list_code(source: str) -> str | None:
    """The list code of a full ``source`` string, or None when it names no known list.

    Args:
        source: E.g. ``"Entity List (EL) - Bureau of Industry and Security"``.

    Returns:
        ``"EL"``; the last parenthesised abbreviation that is a known list wins.
    """
    for abbreviation in reversed(_PARENS.findall(source)):
        code = LIST_CODES.get(normalize_abbreviation(abbreviation))
        if code:
            return code
    return None


@lru_cache(maxsize=4096)
def _lookup_country(value: str | None) -> str | None:
    code = country_code(value)
    return code if code and len(code) == 2 else None  # not "CN-BJ" for "Beijing"


def is_country(text: str) -> bool:
    """True for an ISO-2 code or a country name (``"CN"``, ``"China"``)."""
    if _ISO2.match(text):
        return _lookup_country(text) is not None
    return (
        len(text) > 3 and not any(c.isdigit() for c in text) and _lookup_country(text) is not None
    )


def is_full_date(text: str) -> bool:
    """True for a date with at least a month (``2014-08-30``, ``19 Jun 1987``)."""
    return not text.isdigit() and parse_date(text) is not None


# --- names, addresses, identifiers -------------------------------------------------------------


def fix_apostrophes(name: str) -> str:
    """Replace each "?" between two letters with "'" ("People?s" -> "People's")."""
    return _APOSTROPHE.sub("'", name) if "?" in name else name


#: "?" certainly an apostrophe: a possessive "?s" ("People?s", "(CAEP)?s") and the pinyin
#: syllable mark in place names ("Xi?an"). Elsewhere "?" also stands for quotes
#: ("OOO ?Gazprom?") or lost letters ("An?nima"), so the published name is kept.
_CERTAIN_APOSTROPHE = re.compile(
    r"(?<=[A-Za-z)])\?(?=s\b)|(?<=\bXi)\?(?=an\b)|(?<=\bYan)\?(?=an\b)"
)
_AFFILIATE = re.compile(r"^(?P<parent>.+?)\.?\s+Affiliated Entity:\s*(?P<name>.+)$")
_LEGAL_END = re.compile(
    r"^(?P<name>.+\b(?:Ltd|Co|Inc|LLC|Corp|Corporation|Company|Limited|Group))\.?,\s+"
    r"(?P<place>[A-Z][\w' -]*(?:,\s*[A-Z][\w' -]*)?)$"
)


@dataclass(frozen=True, slots=True)
class CleanName:
    """A CSL name with its quirks repaired (:func:`clean_name`).

    Attributes:
        name: The listed party's own name.
        parent: For "X. Affiliated Entity: Y" rows, X (Y is the name).
        place: A place the name ended with ("..., Xi'an, Shaanxi"), moved out of it.
    """

    name: str
    parent: str | None = None
    place: str | None = None


def clean_name(published: str, addresses: Iterable[Address] = ()) -> CleanName:
    """Repair a CSL name: "?" where it is certainly an apostrophe; "Huawei Technologies
    Co., Ltd. (Huawei). Affiliated Entity: Y" split into Y and its parent; a trailing
    place ("Xi'an Huawei Technologies Co., Ltd., Xi'an, Shaanxi") moved out of the name
    when it follows a legal form and its first part is in one of the entry's addresses.
    """
    text = _CERTAIN_APOSTROPHE.sub("'", published) if "?" in published else published
    parent = None
    if m := _AFFILIATE.match(text):
        parent, text = m["parent"].strip(), m["name"].strip()
    place = None
    if (m := _LEGAL_END.match(text)) is not None:
        first = m["place"].split(",")[0].strip().casefold()
        where = " ".join(fix_apostrophes(a.full).casefold() for a in addresses)
        if first and first in where:
            text, place = m["name"] + ("." if text[len(m["name"])] == "." else ""), m["place"]
    return CleanName(text.strip(), parent, place)


def strip_and(text: str) -> str:
    """Remove the Federal Register's leading "and " ("and JSC 140 Repair Plant")."""
    return _AND.sub("", text).strip() if text.startswith("and") else text.strip()


_QUALIFIER = re.compile(
    r"[;,]?\s*(?:and\s+)?any\s+successors?,?\s+sub-?units?,?\s+or\s+subsidiar(?:y|ies)"
    r"\s+thereof\.?\s*$",
    re.IGNORECASE,
)


def strip_qualifier(name: str) -> str:
    """Drop the State Department's legal tail ("; and any successor, sub-unit, or
    subsidiary thereof") that ISN rows carry inside the name itself."""
    return _QUALIFIER.sub("", name).strip()


def collect_names(primary: str, aliases: Iterable[str]) -> tuple[Name, ...]:
    """The primary name and aliases, with "and " prefixes removed and "?" fixed.

    Args:
        primary: The ``name`` column.
        aliases: The ``alt_names`` items.

    Returns:
        Names without duplicates, the primary first.
    """
    names: dict[str, Name] = {primary: Name(primary)}
    candidates = [fix_apostrophes(primary), strip_qualifier(primary)]
    for alias in aliases:
        alias = strip_and(alias)
        candidates += [alias, fix_apostrophes(alias)]
    for value in candidates:
        if value and value not in names:
            names[value] = Name(value, NameKind.AKA)
    return tuple(names.values())


def parse_address_item(item: str) -> Address | None:
    """One ``addresses`` item (``"street, city, state, postal, CC"``) as an Address.

    Args:
        item: The item; a leading "and " (Federal Register wording) is removed.

    Returns:
        The address with its country when the last part is one, or None when blank.
    """
    text = clean(strip_and(item))
    if not text:
        return None
    last = text.rsplit(",", 1)[-1].strip()
    return Address(full=text, country=_lookup_country(last) if is_country(last) else None)


def detect_id_layout(items: Iterable[str]) -> IdLayout:
    """Whether a file prints ``ids`` items type first (documented) or reversed.

    Args:
        items: Every ``ids`` item of the file.

    Returns:
        The layout the items agree with (the first 100 clear votes settle it);
        "documented" on a tie.
    """
    votes = 0
    for item in items:
        if abs(votes) >= 100:  # settled; spare the rest of a large file
            break
        parts = item.split(", ")
        if len(parts) < 2:
            continue
        if parts[-1] == "Gender" or is_full_date(parts[0]) or _ISO2.match(parts[0]):
            votes -= 1
        if parts[0] == "Gender" or is_full_date(parts[-1]) or _ISO2.match(parts[-1]):
            votes += 1
    return "alphabetical" if votes < 0 else "documented"


def parse_id_item(item: str, layout: IdLayout) -> Identifier | None:
    """One ``ids`` item as an Identifier (see the module docstring for the layouts).

    Args:
        item: E.g. ``"Passport, E590976, TN, 19 Jun 1987, 18 Jun 1992"``.
        layout: The file's layout, from :func:`detect_id_layout`.

    Returns:
        The identifier, or None for a blank item. Numbers may contain ", ".
    """
    parts = [p for p in (clean(part) for part in item.split(", ")) if p]
    if not parts:
        return None
    if len(parts) == 1:
        return Identifier(type="Other", value=parts[0])
    country: str | None = None
    dates: list[str] = []
    if layout == "documented":
        kind, rest = parts[0], parts[1:]
        while len(rest) > 1 and len(dates) < 2 and is_full_date(rest[-1]):
            dates.insert(0, parse_date(rest.pop()) or "")
        if len(rest) > 1 and is_country(rest[-1]):
            country = _lookup_country(rest.pop())
        issued = dates[0] if dates else None
        expires = dates[1] if len(dates) > 1 else None
    else:
        kind, rest = parts[-1], parts[:-1]
        if len(rest) > 1 and is_country(rest[0]):
            country = _lookup_country(rest.pop(0))
        while len(rest) > 1 and len(dates) < 2 and is_full_date(rest[0]):
            dates.append(parse_date(rest.pop(0)) or "")
        expires, issued = (dates[0], dates[1]) if len(dates) == 2 else (None, None)
    return Identifier(
        type=kind, value=", ".join(rest), country=country, issued=issued, expires=expires
    )


# --- building entries -----------------------------------------------------------------------


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
    """Turn one CSL row into an entry of list ``list_code`` (see the module docstring).

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
    people = [c for c in (_lookup_country(x) for x in row.lists.get("nationalities", ())) if c]
    people += [c for c in (_lookup_country(x) for x in row.lists.get("citizenships", ())) if c]
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


def build_entries(rows: Iterable[CslRow]) -> tuple[list[Entry], list[str]]:
    """Entries of all rows, merged by id, and warnings for the rows skipped.

    Args:
        rows: Rows in file order.

    Returns:
        The merged entries in first-seen order and the warnings.
    """
    entries: list[Entry] = []
    warnings: list[str] = []
    for row in rows:
        source = row.values.get("source")
        code = find_list_code(source) if source else None
        if code is None:
            warnings.append(f"{row.where}: unknown CSL source {source!r}; row skipped")
        elif not row.values.get("name"):
            warnings.append(f"{row.where}: no name; row skipped")
        else:
            entries.append(build_entry(row, code))
    return merge_entries(entries, count_key="csl_rows"), warnings


# --- CSV ------------------------------------------------------------------------------------


def read_csv_rows(path: Path) -> Iterator[CslRow]:
    """The rows of a CSL CSV (plain or gzip) as :class:`CslRow`.

    Raises:
        SourceError: Unreadable, binary, empty, truncated or wrong-column files.
    """
    text = decode_text(read_bytes(path), path)
    records = list(iter_records(text, path, required=("source", "name"), kind="CSL CSV"))
    layout = detect_id_layout(item for _, r in records for item in split_multi(r.get("ids")))
    for line, record in records:
        values = {k: c for k in SCALAR_FIELDS if (raw := record.get(k)) and (c := clean(raw))}
        addresses = (parse_address_item(i) for i in split_multi(record.get("addresses")))
        ids = (parse_id_item(i, layout) for i in split_multi(record.get("ids")))
        yield CslRow(
            where=f"line {line}",
            values=values,
            lists={k: tuple(split_multi(record.get(k))) for k in LIST_FIELDS},
            addresses=tuple(a for a in addresses if a),
            ids=tuple(i for i in ids if i),
        )


def _strip_head(head: bytes) -> str:
    return head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")


@dataclass(frozen=True)
class CslCsvFormat:
    """The CSL CSV download (``consolidated.csv``, also gzipped).

    Attributes:
        name: Format name.
        source: Source id.
        description: One line for ``formats`` listings.
    """

    name: str = "csl-csv"
    source: str = SOURCE
    description: str = "trade.gov Consolidated Screening List, CSV (plain or .gz)"

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when the head starts with the CSL header (quoted or not)."""
        first_line = _strip_head(head).split("\n", 1)[0]
        return first_line.replace('"', "").strip().startswith(CSV_HEADER_START)

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse a CSL CSV.

        Args:
            path: The file.
            options: Unused; this format has none.

        Returns:
            Merged entries in file order, with ``published`` inferred from the data
            (:func:`infer_published`) and ``published_basis`` saying how.

        Raises:
            SourceError: A malformed file, naming it and the line.
        """
        entries, warnings = build_entries(read_csv_rows(path))
        inferred = infer_published(entries)
        return Parsed(
            self.source,
            self.name,
            entries,
            (path,),
            published=inferred[0] if inferred else None,
            published_basis=inferred[1] if inferred else None,
            warnings=warnings,
        )


# --- JSON (the CSL API's search response) ---------------------------------------------------


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
        country=_lookup_country(parts["country"]),
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
        country=_lookup_country(read_json_text(value.get("country"), path, where)),
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


@dataclass(frozen=True)
class CslJsonFormat:
    """The CSL API's JSON: ``{"total", "results": [...], "sources_used"}`` or a bare list.

    Attributes:
        name: Format name.
        source: Source id.
        description: One line for ``formats`` listings.
    """

    name: str = "csl-json"
    source: str = SOURCE
    description: str = "trade.gov Consolidated Screening List, API JSON"

    def sniff(self, path: Path, head: bytes) -> bool:
        """True for a JSON object with ``"results"`` or a list of CSL-shaped objects."""
        text = _strip_head(head)
        has_marker = any(marker in text for marker in _JSON_MARKERS)
        if text.startswith("{"):
            return '"results"' in text and (has_marker or '"sources_used"' in text)
        if text.startswith("["):
            return '"source"' in text and '"name"' in text and has_marker
        return False

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse a CSL API JSON file.

        Args:
            path: The file (plain or gzip).
            options: Unused; this format has none.

        Returns:
            Merged entries in file order; ``published`` from ``sources_used`` when given,
            else inferred from the data like the CSV's.

        Raises:
            SourceError: A malformed file, naming it and the result.
        """
        results, published = read_json(path)
        rows = [build_json_row(result, i, path) for i, result in enumerate(results, 1)]
        entries, warnings = build_entries(rows)
        basis = None
        if published is None and (inferred := infer_published(entries)) is not None:
            published, basis = inferred
        return Parsed(
            self.source,
            self.name,
            entries,
            (path,),
            published=published,
            published_basis=basis,
            warnings=warnings,
        )


CSL_CSV = CslCsvFormat()
CSL_JSON = CslJsonFormat()

FORMATS: list[CslCsvFormat | CslJsonFormat] = [CSL_CSV, CSL_JSON]

__all__ = [
    "CSL_CSV",
    "CSL_JSON",
    "FORMATS",
    "LIST_CODES",
    "CleanName",
    "CslCsvFormat",
    "CslJsonFormat",
    "CslRow",
    "build_entries",
    "build_entry",
    "clean_name",
    "collect_names",
    "detect_id_layout",
    "find_list_code",
    "fix_apostrophes",
    "infer_published",
    "parse_address_item",
    "parse_id_item",
    "parse_start_date",
]
