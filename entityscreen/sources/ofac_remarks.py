"""OFAC's free-text fields: the ``;``-separated remarks and the programs column.

Most identifying data of an OFAC entry (dates and places of birth, nationalities,
passports and other identifiers, "Linked To:", a.k.a.s and properties such as "Gender")
sits inside its remarks; :func:`parse_remarks` extracts it into :class:`RemarkFacts`.
:func:`split_programs` reads the programs column and :func:`select_cons_list` maps a
Consolidated-list entry's programs to its CSL list codes.

Separate from :mod:`entityscreen.sources.ofac` (reading the CSV sets) because this is
text parsing on single values, with its own tables of prefixes, and does not depend on
the files at all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field

from ..model import Identifier, Name, NameKind
from .base import clean, country_code
from .ofac_values import clean_field, normalize_date

#: Consolidated-list programs and the trade.gov CSL list code they put an entry on.
CONS_PROGRAM_LISTS: dict[str, str] = {
    "UKRAINE-EO13662": "SSI",  # Sectoral Sanctions Identifications
    "NS-MBS": "MBS",  # Non-SDN Menu-Based Sanctions
    "RUSSIA-EO14024": "MBS",  # EO 14024 directives are published on the NS-MBS list
    "CAATSA - RUSSIA": "MBS",
    "BURMA-EO14014": "MBS",
    "ILLICIT-DRUGS-EO14059": "MBS",
    "NS-PLC": "PLC",  # Palestinian Legislative Council
    "NS-CMIC": "CMIC",  # Chinese Military-Industrial Complex
    "CMIC-EO13959": "CMIC",
    "CAPTA": "CAP",  # Correspondent Account or Payable-Through Account sanctions
    "561-RELATED": "CAP",
    "FSE": "FSE",  # Foreign Sanctions Evaders; programs FSE-IR, FSE-SY, ...
}
#: When an entry's programs map to several lists, the first of these wins: the narrow,
#: program-specific lists before the broad Russia ones (CSL files such entries under each).
CONS_LIST_PRIORITY: tuple[str, ...] = ("PLC", "CMIC", "CAP", "FSE", "SSI", "MBS")
#: List code for consolidated-list entries whose programs map to no known list.
CONS_DEFAULT_LIST = "NONSDN"

#: Identifier prefixes used in remarks ("Passport A123 (Iran) issued ..."), mapped to the
#: identifier type stored; most are kept as OFAC spells them (as trade.gov's CSL does).
IDENTIFIER_TYPES: dict[str, str] = {
    prefix: prefix
    for prefix in (
        "Passport",
        "Diplomatic Passport",
        "National ID No.",
        "National Foreign ID Number",
        "Personal ID Card",
        "Identification Number",
        "Turkish Identification Number",
        "Numero de Identidad",
        "Citizen's Card Number",
        "Tazkira National ID Card",
        "Kenyan ID No.",
        "Cedula No.",
        "D.N.I.",
        "C.U.R.P.",
        "C.U.R.P. #",
        "C.U.I.P.",
        "C.U.I.",
        "C.U.I.T.",
        "R.F.C.",
        "R.F.C. #",
        "RFC",
        "RTN",
        "LE Number",
        "I.F.E.",
        "Credencial electoral",
        "Electoral Registry No.",
        "Cartilla de Servicio Militar Nacional",
        "SSN",
        "Driver's License No.",
        "Birth Certificate Number",
        "Residency Number",
        "Refugee ID Card",
        "Travel Document Number",
        "VisaNumberID",
        "Italian Fiscal Code",
        "Tax ID No.",
        "V.A.T. Number",
        "US FEIN",
        "NIT #",
        "RUC #",
        "RIF #",
        "Registration Number",
        "Registration ID",
        "Business Registration Number",
        "Business Registration Document #",
        "Business Number",
        "Public Registration Number",
        "Company Number",
        "UK Company Number",
        "Commercial Registry Number",
        "C.R. No.",
        "Romanian C.R.",
        "Certificate of Incorporation Number",
        "Chamber of Commerce Number",
        "Istanbul Chamber of Comm. No.",
        "Dubai Chamber of Commerce Membership No.",
        "Central Registration System Number",
        "Economic Register Number (CBLS)",
        "Enterprise Number",
        "Branch Unit Number",
        "Organization Code",
        "Government Gazette Number",
        "Trade License No.",
        "License",
        "Permit Number",
        "SRE Permit No.",
        "Registered Charity No.",
        "Folio Mercantil No.",
        "Matricula Mercantil No",
        "File Number",
        "Legal Entity Number",
        "Unified Social Credit Code (USCC)",
        "United Social Credit Code Certificate (USCCC)",
        "D-U-N-S Number",
        "SWIFT/BIC",
        "BIK (RU)",
        "ISIN",
        "Email Address",
        "Website",
        "Phone Number",
        "Telephone",
        "Fax",
        "MMSI",
        "Vessel Registration Identification",
        "Aircraft Tail Number",
        "Aircraft Manufacturer's Serial Number (MSN)",
        "Aircraft Serial Identification",
        "Aircraft Mode S Transponder Code",
    )
} | {
    "IMO": "IMO",
    "Vessel Registration Identification IMO": "IMO",
    "Identification Number IMO": "IMO",
    "Company Number IMO": "IMO",
}

#: Remarks items kept as entry properties ("Gender Male" -> gender: Male); date-valued
#: ones are stored as ISO dates when they parse.
PROPERTY_PREFIXES: dict[str, str] = {
    "Gender": "gender",
    "Organization Established Date": "established",
    "Organization Type:": "organization_type",
    "Target Type": "target_type",
    "Aircraft Model": "aircraft_model",
    "Aircraft Operator": "aircraft_operator",
    "Aircraft Manufacture Date": "aircraft_built",
    "Aircraft Construction Number (also called L/N or S/N or F/N)": "aircraft_construction_number",
    "Vessel Year of Build": "vessel_built",
    "Former Vessel Flag": "former_vessel_flag",
    "Other Vessel Flag": "other_vessel_flag",
    "Other Vessel Call Sign": "other_vessel_call_sign",
    "Other Vessel Type": "other_vessel_type",
    "Additional Sanctions Information -": "additional_sanctions",
    "Secondary sanctions risk:": "secondary_sanctions_risk",
}
_DATE_PROPERTIES = frozenset({"established", "aircraft_built", "vessel_built"})


def _build_alternation(prefixes: Iterable[str]) -> str:
    """A regex alternation of literal prefixes, longest first so none shadows a longer one."""
    return "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))


_ALT_PREFIX = re.compile(r"^alt\.\s+", re.IGNORECASE)
_DOB = re.compile(r"^DOB\s+(.+)$")
_POB = re.compile(r"^POB\s+(.+)$")
_NATIONALITY = re.compile(r"^(?:nationality|citizen)\s+(.+)$")
_LINKED_TO = re.compile(r"^Linked To:\s*(.+)$")
_REMARK_ALIAS = re.compile(r"^([afn])\.k\.a\.\s+'(.+)'$")
_IDENTIFIER = re.compile(
    rf"^(?P<type>Digital Currency Address - \w+|{_build_alternation(IDENTIFIER_TYPES)})"
    r"\s*:?\s+(?P<rest>.+)$"
)
_PROPERTY = re.compile(rf"^(?P<key>{_build_alternation(PROPERTY_PREFIXES)})\s*(?P<value>.+)$")
_EXPIRES = re.compile(r"\s+expires\s+(.+)$")
_ISSUED = re.compile(r"\s+issued\s+(.+)$")
_TRAILING_PARENS = re.compile(r"\s*\(([^()]+)\)$")


# --- remarks ------------------------------------------------------------------------------


@dataclass
class RemarkFacts:
    """What :func:`parse_remarks` finds in one entry's remarks."""

    birth_dates: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    aliases: list[Name] = field(default_factory=list)
    properties: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def parse_remarks(remarks: str | None, known_names: Set[str] = frozenset()) -> RemarkFacts:
    """Extract the structured items of an OFAC remarks string.

    Items are ``;``-separated; an ``alt.`` prefix marks a second value of the same kind
    and is dropped. The last item ends with the remarks' own period, which is dropped
    (see :func:`resolve_linked_name` for "Linked To:"). Items that match no known prefix
    are left to the remarks text.

    Args:
        remarks: The full remarks (comments continuation already appended), or None.
        known_names: Primary names of the entries of the same file.

    Returns:
        The extracted facts, in the order the items appear.
    """
    facts = RemarkFacts()
    items = [item for item in (clean(part) for part in (remarks or "").split(";")) if item]
    for index, raw in enumerate(items):
        item = _ALT_PREFIX.sub("", raw)
        last = index == len(items) - 1
        if m := _LINKED_TO.match(item):
            value = m.group(1)
            facts.linked_to.append(resolve_linked_name(value, known_names) if last else value)
            continue
        if last:
            item = item.removesuffix(".").rstrip()
        _parse_remark_item(item, facts)
    return facts


def _parse_remark_item(item: str, facts: RemarkFacts) -> None:
    """Add one remarks item to ``facts`` when it is of a known kind."""
    if m := _DOB.match(item):
        facts.birth_dates.append(normalize_date(m.group(1)) or m.group(1))
    elif m := _POB.match(item):
        facts.birth_places.append(m.group(1))
    elif m := _NATIONALITY.match(item):
        code = country_code(m.group(1))
        if code:
            facts.nationalities.append(code)
    elif m := _REMARK_ALIAS.match(item):
        kind = {"a": NameKind.AKA, "f": NameKind.FKA, "n": NameKind.NKA}[m.group(1)]
        facts.aliases.append(Name(m.group(2).strip(), kind))
    elif m := _PROPERTY.match(item):
        key = PROPERTY_PREFIXES[m.group("key")]
        value = m.group("value").strip()
        if key in _DATE_PROPERTIES:
            value = normalize_date(value) or value
        facts.properties[key].append(value)
    elif m := _IDENTIFIER.match(item):
        identifier = parse_identifier(m.group("type"), m.group("rest"))
        if identifier:
            facts.identifiers.append(identifier)


def parse_identifier(prefix: str, rest: str) -> Identifier | None:
    """Build an identifier from ``"A123 (Iran) issued 01 Jan 2000 expires 2010"``.

    Args:
        prefix: The published identifier prefix (a key of :data:`IDENTIFIER_TYPES`, or
            ``"Digital Currency Address - XBT"`` and the like).
        rest: The text after the prefix.

    Returns:
        The identifier, or None when no value is left.
    """
    expires = issued = country = None
    if m := _EXPIRES.search(rest):
        expires = normalize_date(m.group(1))
        rest = rest[: m.start()]
    if m := _ISSUED.search(rest):
        issued = normalize_date(m.group(1))
        rest = rest[: m.start()]
    if (m := _TRAILING_PARENS.search(rest)) and (code := country_code(m.group(1))):
        country = code
        rest = rest[: m.start()]
    value = clean(rest)
    if not value:
        return None
    return Identifier(
        type=IDENTIFIER_TYPES.get(prefix, prefix),
        value=value,
        country=country,
        issued=issued,
        expires=expires,
    )


def resolve_linked_name(value: str, known_names: Set[str]) -> str:
    """The "Linked To:" target, with a final period dropped unless it is part of the name.

    The last remarks item ends with the remarks' own period, so "Linked To: ACME LTD." may
    name "ACME LTD" or "ACME LTD."; a listed name decides, else the period is dropped.

    Args:
        value: The published value.
        known_names: Primary names of the entries of the same file.

    Returns:
        The linked name.
    """
    if not value.endswith(".") or value in known_names:
        return value
    return value.removesuffix(".").rstrip()


# --- programs -----------------------------------------------------------------------------


def split_programs(value: str | None) -> list[str]:
    """Split ``"IRAN] [SDGT] [IRGC"`` (outer brackets missing) into program codes."""
    value = clean_field(value)
    if not value:
        return []
    return [p for p in (clean(part.strip("[] ")) for part in value.split("] [")) if p]


def select_cons_list(programs: Sequence[str]) -> list[str]:
    """The CSL list codes of a consolidated-list entry, most specific first.

    Args:
        programs: The entry's programs.

    Returns:
        The mapped list codes in :data:`CONS_LIST_PRIORITY` order, or
        ``[CONS_DEFAULT_LIST]`` when no program is known.
    """
    codes = set()
    for program in programs:
        key = program.upper()
        code = CONS_PROGRAM_LISTS.get(key) or CONS_PROGRAM_LISTS.get(key.split("-")[0])
        if code:
            codes.add(code)
    ordered = [code for code in CONS_LIST_PRIORITY if code in codes]
    ordered += sorted(codes - set(ordered))
    return ordered or [CONS_DEFAULT_LIST]


__all__ = [
    "CONS_DEFAULT_LIST",
    "CONS_LIST_PRIORITY",
    "CONS_PROGRAM_LISTS",
    "IDENTIFIER_TYPES",
    "PROPERTY_PREFIXES",
    "RemarkFacts",
    "parse_identifier",
    "parse_remarks",
    "resolve_linked_name",
    "select_cons_list",
    "split_programs",
]
