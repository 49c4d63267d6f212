"""OFAC's legacy CSV sets: the SDN list and the Consolidated (non-SDN) list.

Each set is one primary file plus optional companions in the same directory:

    sdn.csv           cons_prim.csv       ent_num, name, type, programs, title, call sign,
                                          vessel type, tonnage, GRT, flag, owner, remarks
    add.csv           cons_add.csv        ent_num, add_num, address, city/state/postal,
                                          country, remarks
    alt.csv           cons_alt.csv        ent_num, alt_num, alt_type, alt_name, remarks
    sdn_comments.csv  cons_comments.csv   ent_num, remarks continuation

The files have no header, use ``-0-`` (with a trailing space) for empty values, CRLF line
ends and a trailing Ctrl-Z. Remarks are cut at 1,000 characters and continue, mid-word,
in the comments file. Most identifying data (dates and places of birth, passports,
"Linked To:") sits inside the ``;``-separated remarks; :func:`parse_remarks` extracts it
while the full text is kept in :attr:`Entry.remarks`.

:func:`normalize_date`, :func:`format_address_text` and :func:`collect_countries` are
shared with the UN adapter, so both spell dates, addresses and countries alike.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceError
from ..model import Address, Entry, Identifier, Name, NameKind, Schema
from .base import Parsed, clean, country_code, decode_text, iter_csv, parse_date, read_bytes

#: The empty-value marker, after stripping its trailing space.
EMPTY = "-0-"

#: Fields per row of each file kind.
MAIN_FIELDS, ADDRESS_FIELDS, ALIAS_FIELDS, COMMENT_FIELDS = 12, 6, 5, 2

#: At most this many "unknown ent_num" warnings per companion file; the rest are counted.
MAX_WARNINGS_PER_FILE = 20

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

_SCHEMAS: dict[str, Schema] = {
    "individual": Schema.PERSON,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}

_ALIAS_KINDS: dict[str, NameKind] = {
    "aka": NameKind.AKA,
    "fka": NameKind.FKA,
    "nka": NameKind.NKA,
    "weak aka": NameKind.WEAK,
}

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

#: The vessel columns of the primary file (after the title) and their property keys.
_VESSEL_PROPERTIES = (
    "call_sign",
    "vessel_type",
    "tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
)

_SOURCE_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={}"


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
_DATE_RANGE = re.compile(r"^(.+?)\s+to\s+(.+)$")
_CIRCA = re.compile(r"^circa\s+(.+)$", re.IGNORECASE)
_HEAD_ROW = re.compile(rb'^\d+,"')


# --- dates, addresses, countries (also used by the other adapters) ---------------------


def normalize_date(text: str | None) -> str | None:
    """A published date as an ISO date when it parses, else as published.

    ``circa`` and ``X to Y`` ranges keep their wording with ISO dates inside
    (``"circa 1960"``, ``"1960-01-01 to 1962-12-31"``), so every adapter spells dates of
    birth the same way.

    Args:
        text: The date as published (e.g. the text after ``DOB``), or None.

    Returns:
        The normalized date text; None for a blank value.
    """
    text = clean(text)
    if not text:
        return None
    if iso := parse_date(text):
        return iso
    if (m := _CIRCA.match(text)) and (iso := parse_date(m.group(1))):
        return f"circa {iso}"
    if m := _DATE_RANGE.match(text):
        start, end = parse_date(m.group(1)), parse_date(m.group(2))
        if start and end:
            return f"{start} to {end}"
    return text


def format_address_text(parts: Iterable[str | None], note: str | None = None) -> str | None:
    """An address's ``full`` text: the non-blank parts joined with ", ", then the note.

    Args:
        parts: Street, city, ... country, any of them blank.
        note: A remark such as "as of June 2016", appended in parentheses.

    Returns:
        The text, or None when every part and the note are blank.
    """
    full = ", ".join(p for p in parts if p)
    if note:
        return f"{full} ({note})" if full else note
    return full or None


def collect_countries(
    addresses: Iterable[Address], nationalities: Iterable[str]
) -> tuple[str, ...]:
    """An entry's countries: its address countries, then its nationalities, each once."""
    address_countries = (a.country for a in addresses if a.country)
    return tuple(dict.fromkeys([*address_countries, *nationalities]))


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


# --- files --------------------------------------------------------------------------------


def clean_field(value: str | None) -> str | None:
    """A cleaned field value, None for blanks and the ``-0-`` marker."""
    return clean(value, empty=(EMPTY,))


def read_rows(
    path: Path, n_fields: int, *, allow_empty: bool = False
) -> list[tuple[int, list[str]]]:
    """Read one OFAC CSV file into ``(line, row)`` pairs, checking its shape.

    Args:
        path: The file.
        n_fields: Fields every row must have.
        allow_empty: Return no rows (instead of failing) for a file with no data, as an
            empty companion file may be.

    Returns:
        The non-blank rows with their line numbers.

    Raises:
        SourceError: Unreadable, binary or truncated file, a row with the wrong number of
            fields or an ent_num that is not a number.
    """
    data = read_bytes(path)
    if allow_empty and not data.strip(b"\x1a\r\n\t "):
        return []
    text = decode_text(data, path)
    if text.count('"') % 2:
        line = text.count("\n", 0, text.rfind('"')) + 1
        raise SourceError(path, "unterminated quoted field (truncated file?)", line=line)
    rows = []
    for line, row in iter_csv(text, path):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != n_fields:
            raise SourceError(
                path, f"expected {n_fields} fields, found {len(row)} (truncated row?)", line=line
            )
        if not row[0].strip().isdigit():
            raise SourceError(path, f"ent_num {row[0][:40]!r} is not a number", line=line)
        rows.append((line, row))
    return rows


@dataclass
class _Record:
    """One primary row and what its companion files add to it."""

    line: int
    row: list[str]
    remarks: str
    aliases: list[Name] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)


def build_address(row: Sequence[str]) -> Address | None:
    """An address from an add.csv row; None when every part is empty.

    Args:
        row: ``ent_num, add_num, address, city/state/postal, country, add_remarks``.

    Returns:
        The address, with ``country`` as an ISO-2 code when the name is known.
    """
    street, city, country, note = (clean_field(v) for v in row[2:6])
    full = format_address_text((street, city, country), note)
    if not full:
        return None
    return Address(full=full, street=street, city=city, country=country_code(country))


def build_alias(row: Sequence[str]) -> tuple[Name | None, str | None]:
    """A name from an alt.csv row, and a warning when its type is unknown.

    Args:
        row: ``ent_num, alt_num, alt_type, alt_name, alt_remarks``.

    Returns:
        ``(name, warning)``; name is None for a blank alias.
    """
    alt_type = (clean_field(row[2]) or "aka").lower()
    value, alt_remarks = clean_field(row[3]), clean_field(row[4]) or ""
    if not value:
        return None, "blank alias"
    kind = _ALIAS_KINDS.get(alt_type)
    warning = None
    if kind is None:
        kind, warning = NameKind.AKA, f"unknown alias type {alt_type!r}, read as aka"
    if "weak" in alt_remarks.lower():
        kind = NameKind.WEAK
    return Name(value, kind), warning


class _WarningLog:
    """Collects warnings, at most :data:`MAX_WARNINGS_PER_FILE` per file plus a count."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._dropped: dict[str, int] = defaultdict(int)
        self._kept: dict[str, int] = defaultdict(int)

    def add(self, path: Path, line: int, message: str) -> None:
        """Record ``message`` about ``path`` at ``line`` (or only count it, past the cap)."""
        if self._kept[path.name] >= MAX_WARNINGS_PER_FILE:
            self._dropped[path.name] += 1
            return
        self._kept[path.name] += 1
        self.lines.append(f"{path.name} line {line}: {message}")

    def finish(self) -> list[str]:
        """The recorded warnings, then one "N more" line per file that hit the cap."""
        summary = [f"{name}: {n} more warnings not shown" for name, n in self._dropped.items()]
        return self.lines + summary


@dataclass(frozen=True)
class OfacCsvFormat:
    """One OFAC legacy CSV set (see the module docstring).

    Attributes:
        name: Format name.
        source: Source id; entry ids are ``"{source}:{ent_num}"``.
        description: One line for ``formats`` listings.
        main_file: Primary file name (``sdn.csv``).
        address_file: Addresses companion.
        alias_file: Aliases companion.
        comments_file: Remarks continuation companion.
        list_codes: Maps an entry's programs to its list codes, first one used.
        sniff_content: Also recognise a primary file by its first line, whatever its name.
    """

    name: str
    source: str
    description: str
    main_file: str
    address_file: str
    alias_file: str
    comments_file: str
    list_codes: Callable[[Sequence[str]], list[str]]
    sniff_content: bool = False

    @property
    def companion_files(self) -> tuple[str, str, str]:
        """The companion file names: addresses, aliases, comments."""
        return (self.address_file, self.alias_file, self.comments_file)

    def sniff(self, path: Path, head: bytes) -> bool:
        """True for this set's directory or primary file, or (SDN) a primary file's head."""
        if path.is_dir():
            return self._find_file(path, self.main_file) is not None
        name = path.name.lower().removesuffix(".gz")
        if name == self.main_file:
            return True
        if not self.sniff_content or name.startswith("cons_") or name in self.companion_files:
            return False
        return match_main_row(head)

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse the set; ``path`` is the primary file or the directory holding it.

        Args:
            path: Primary file or directory.
            options: Unused; this format has none.

        Returns:
            Entries in file order, the files read (primary first) and skipped-row warnings.

        Raises:
            SourceError: A missing primary file or any malformed file of the set.
        """
        main = self._find_file(path, self.main_file) if path.is_dir() else path
        if main is None:
            raise SourceError(path, f"no {self.main_file} in this directory")
        log = _WarningLog()
        records = self._read_main(main)
        files = [main]
        missing = []
        readers = (self._read_addresses, self._read_aliases, self._read_comments)
        for name, reader in zip(self.companion_files, readers, strict=True):
            companion = self._find_file(main.parent, name)
            if companion is not None and companion != main:
                reader(companion, records, log)
                files.append(companion)
            elif name != self.comments_file:
                missing.append(name)
        known_names = {clean_field(r.row[1]) or "" for r in records.values()}
        entries = []
        for ent_num, record in records.items():
            entry = self._build_entry(ent_num, record, known_names)
            if entry is None:
                log.add(main, record.line, f"ent_num {ent_num} has no name; skipped")
            else:
                entries.append(entry)
        return Parsed(
            source=self.source,
            format=self.name,
            entries=entries,
            files=tuple(files),
            published=None,
            warnings=log.finish(),
            missing=tuple(missing),
        )

    @staticmethod
    def _find_file(directory: Path, name: str) -> Path | None:
        """``directory/name`` or its gzipped copy, when it is a file."""
        for candidate in (directory / name, directory / f"{name}.gz"):
            if candidate.is_file():
                return candidate
        return None

    @staticmethod
    def _read_main(path: Path) -> dict[str, _Record]:
        """The primary file's rows by ent_num; a repeated ent_num is a SourceError."""
        records: dict[str, _Record] = {}
        for line, row in read_rows(path, MAIN_FIELDS):
            ent_num = row[0].strip()
            if ent_num in records:
                first = records[ent_num].line
                raise SourceError(
                    path, f"duplicate ent_num {ent_num} (first on line {first})", line=line
                )
            records[ent_num] = _Record(line=line, row=row, remarks=row[11])
        return records

    @staticmethod
    def _iter_companion_rows(
        path: Path, n_fields: int, records: Mapping[str, _Record], log: _WarningLog
    ) -> Iterator[tuple[int, list[str], _Record]]:
        """Rows of a companion file whose ent_num is in the primary file; warns on others."""
        for line, row in read_rows(path, n_fields, allow_empty=True):
            ent_num = row[0].strip()
            record = records.get(ent_num)
            if record is None:
                log.add(path, line, f"ent_num {ent_num} is not in the primary file; ignored")
                continue
            yield line, row, record

    def _read_comments(self, path: Path, records: Mapping[str, _Record], log: _WarningLog) -> None:
        """Append each comments row to its entry's remarks (it continues mid-word)."""
        for _line, row, record in self._iter_companion_rows(path, COMMENT_FIELDS, records, log):
            base = record.remarks if clean_field(record.remarks) else ""
            record.remarks = base + row[1]

    def _read_aliases(self, path: Path, records: Mapping[str, _Record], log: _WarningLog) -> None:
        """Add each alt.csv row to its entry's aliases."""
        for line, row, record in self._iter_companion_rows(path, ALIAS_FIELDS, records, log):
            name, warning = build_alias(row)
            if warning:
                log.add(path, line, warning)
            if name and name not in record.aliases:
                record.aliases.append(name)

    def _read_addresses(self, path: Path, records: Mapping[str, _Record], log: _WarningLog) -> None:
        """Add each non-empty add.csv row to its entry's addresses."""
        for _line, row, record in self._iter_companion_rows(path, ADDRESS_FIELDS, records, log):
            address = build_address(row)
            if address:
                record.addresses.append(address)

    def _build_entry(self, ent_num: str, record: _Record, known_names: Set[str]) -> Entry | None:
        """The entry for one primary row; None when it has no name."""
        row = record.row
        name = clean_field(row[1])
        if not name:
            return None
        remarks = clean_field(record.remarks)
        facts = parse_remarks(remarks, known_names)
        names = [Name(name), *record.aliases]
        seen = {n.value.casefold() for n in names}
        for alias in facts.aliases:
            if alias.value.casefold() not in seen:
                seen.add(alias.value.casefold())
                names.append(alias)
        programs = split_programs(row[3])
        lists = self.list_codes(programs)
        properties: dict[str, list[str]] = dict(facts.properties)
        for key, value in zip(_VESSEL_PROPERTIES, row[5:11], strict=True):
            if cleaned := clean_field(value):
                properties[key] = [cleaned]
        if len(lists) > 1:
            properties["lists"] = lists
        nationalities = tuple(dict.fromkeys(facts.nationalities))
        sdn_type = (clean_field(row[2]) or "").lower()
        schema = _SCHEMAS.get(sdn_type, Schema.parse(sdn_type)) if sdn_type else None
        return Entry(
            id=f"{self.source}:{ent_num}",
            source=self.source,
            list=lists[0],
            schema=schema or Schema.ORGANIZATION,
            names=tuple(names),
            addresses=tuple(record.addresses),
            countries=collect_countries(record.addresses, nationalities),
            identifiers=tuple(dict.fromkeys(facts.identifiers)),
            birth_dates=tuple(dict.fromkeys(facts.birth_dates)),
            birth_places=tuple(dict.fromkeys(facts.birth_places)),
            nationalities=nationalities,
            programs=tuple(programs),
            title=clean_field(row[4]),
            remarks=remarks,
            source_url=_SOURCE_URL.format(ent_num),
            linked_to=tuple(dict.fromkeys(facts.linked_to)),
            properties={k: tuple(dict.fromkeys(v)) for k, v in properties.items()},
        )


def match_main_row(head: bytes) -> bool:
    """True when the first line of ``head`` is a 12-field, header-less OFAC primary row."""
    if not _HEAD_ROW.match(head) or b"-0- " not in head:
        return False
    first_line = head.split(b"\n", 1)[0].decode("cp1252", errors="replace")
    try:
        row = next(csv.reader([first_line]), [])
    except csv.Error:
        return False
    return len(row) == MAIN_FIELDS


SDN_CSV = OfacCsvFormat(
    name="ofac-sdn-csv",
    source="us_ofac_sdn",
    description="OFAC SDN list, legacy CSV set (sdn.csv + add.csv, alt.csv, sdn_comments.csv)",
    main_file="sdn.csv",
    address_file="add.csv",
    alias_file="alt.csv",
    comments_file="sdn_comments.csv",
    list_codes=lambda programs: ["SDN"],
    sniff_content=True,
)

CONS_CSV = OfacCsvFormat(
    name="ofac-cons-csv",
    source="us_ofac_cons",
    description="OFAC Consolidated (non-SDN) list, legacy CSV set (cons_prim.csv + companions)",
    main_file="cons_prim.csv",
    address_file="cons_add.csv",
    alias_file="cons_alt.csv",
    comments_file="cons_comments.csv",
    list_codes=select_cons_list,
)

#: Sniffing order: the consolidated set first (its primary rows look like SDN rows).
FORMATS = [CONS_CSV, SDN_CSV]

__all__ = [
    "CONS_CSV",
    "CONS_PROGRAM_LISTS",
    "FORMATS",
    "IDENTIFIER_TYPES",
    "PROPERTY_PREFIXES",
    "SDN_CSV",
    "OfacCsvFormat",
    "RemarkFacts",
    "clean_field",
    "collect_countries",
    "format_address_text",
    "match_main_row",
    "normalize_date",
    "parse_identifier",
    "parse_remarks",
    "read_rows",
    "resolve_linked_name",
    "select_cons_list",
    "split_programs",
]
