"""The CSL's columns and how their items read: list codes, countries, addresses, ids.

The column groups both CSL formats share (scalar, multi-value, vessel), the list codes of
the ``source`` strings, the ``ids`` types that are properties rather than identifiers,
the format-neutral :class:`CslRow`, and the parsers of one ``addresses`` or ``ids`` item
(with the per-file ``ids`` layout). Separate from the CSV and JSON readers
(:mod:`entityscreen.sources.csl`, :mod:`.csl_json`), which fill :class:`CslRow` with
them, and from :mod:`.csl_entries`, which turns a row into an entry; the conventions are
documented in :mod:`entityscreen.sources.csl`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from ..model import Address, Identifier
from .base import clean, country_code, parse_date
from .csl_names import strip_and

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


IdLayout = Literal["documented", "alphabetical"]

_PARENS = re.compile(r"\(([^()]+)\)")
_ISO2 = re.compile(r"^[A-Z]{2}$")


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
def lookup_country(value: str | None) -> str | None:
    """The ISO-2 code of a country code or name, or None."""
    code = country_code(value)
    return code if code and len(code) == 2 else None  # not "CN-BJ" for "Beijing"


def is_country(text: str) -> bool:
    """True for an ISO-2 code or a country name (``"CN"``, ``"China"``)."""
    if _ISO2.match(text):
        return lookup_country(text) is not None
    return len(text) > 3 and not any(c.isdigit() for c in text) and lookup_country(text) is not None


def is_full_date(text: str) -> bool:
    """True for a date with at least a month (``2014-08-30``, ``19 Jun 1987``)."""
    return not text.isdigit() and parse_date(text) is not None


# --- addresses, identifiers -------------------------------------------------------------------


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
    return Address(full=text, country=lookup_country(last) if is_country(last) else None)


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
    """One ``ids`` item as an Identifier (see :mod:`entityscreen.sources.csl` for the layouts).

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
            country = lookup_country(rest.pop())
        issued = dates[0] if dates else None
        expires = dates[1] if len(dates) > 1 else None
    else:
        kind, rest = parts[-1], parts[:-1]
        if len(rest) > 1 and is_country(rest[0]):
            country = lookup_country(rest.pop(0))
        while len(rest) > 1 and len(dates) < 2 and is_full_date(rest[0]):
            dates.append(parse_date(rest.pop(0)) or "")
        expires, issued = (dates[0], dates[1]) if len(dates) == 2 else (None, None)
    return Identifier(
        type=kind, value=", ".join(rest), country=country, issued=issued, expires=expires
    )
