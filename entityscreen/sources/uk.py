"""The UK Sanctions List (FCDO) as re-shaped into five tables by a third party (covyr).

One folder holds five UTF-8 CSVs joined by ``unique_id`` (``RUS0001``):

    subjects.csv             unique_id, subject_type (individual/entity/ship),
                             un_reference_number, ofsi_group_id, date_designated, last_updated
    subject_names.csv        name_id, unique_id, name_type (primary/primary_variation/alias),
                             alias_strength (good_quality_aka/low_quality_aka), full_name,
                             name_6 (family name; the whole name of an entity), name_1..name_5
    subject_dobs.csv         dob_id, unique_id, year, month, day, precision
                             (exact/month_year/year_only), parse_issues
    subject_identifiers.csv  id, unique_id, ofsi_group_id, raw_value, identifier_type
                             (passport/national/business_registration_numbers/imo), additional_info
    subject_countries.csv    id, unique_id, raw_value, country_type (address/birth/nationality),
                             iso, resolution_method, iso_available

Dates are DD/MM/YYYY. The companion tables repeat many rows verbatim (one per field of
the original list they were split from); repeats are dropped. The set is parsed as a
whole: a path to any one table parses its folder, and a missing table is an error, since
importing part of the set would drop every alias or birth date from the new snapshot.

The re-shaping dropped the regime column; the regime is the ``unique_id`` prefix, which
the FCDO assigns per regime (:data:`REGIMES`). The file states no publication date:
``published`` is the newest ``last_updated``, and ``published_basis`` says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import SourceError
from ..model import Entry, Identifier, LegalFacts, Name, NameKind, Schema
from .base import Parsed, clean, country_code, decode_text, iter_records, read_bytes

SUBJECTS = "subjects.csv"
NAMES = "subject_names.csv"
DOBS = "subject_dobs.csv"
IDENTIFIERS = "subject_identifiers.csv"
COUNTRIES = "subject_countries.csv"
#: Every table of the set, in the order read (and hashed for the snapshot).
TABLES = (SUBJECTS, NAMES, DOBS, IDENTIFIERS, COUNTRIES)

#: Columns each table must have.
COLUMNS: dict[str, tuple[str, ...]] = {
    SUBJECTS: ("unique_id", "subject_type", "un_reference_number", "ofsi_group_id",
               "date_designated", "last_updated"),
    NAMES: ("unique_id", "name_type", "alias_strength", "full_name", "name_1", "name_2",
            "name_3", "name_4", "name_5", "name_6"),
    DOBS: ("unique_id", "year", "month", "day", "precision"),
    IDENTIFIERS: ("unique_id", "raw_value", "identifier_type"),
    COUNTRIES: ("unique_id", "raw_value", "country_type", "iso"),
}  # fmt: skip

LIST_CODE = "UK"
PUBLISHED_BASIS = f"inferred: newest last_updated in {SUBJECTS}"

#: FCDO regime of each ``unique_id`` prefix, named as the UK Sanctions List names regimes.
REGIMES: dict[str, str] = {
    "AFG": "Afghanistan",
    "AQD": "ISIL (Da'esh) and Al-Qaida",
    "BEL": "Belarus",
    "BIH": "Bosnia and Herzegovina",
    "CAF": "Central African Republic",
    "CHW": "Chemical Weapons",
    "CTD": "Counter-Terrorism (Domestic)",
    "CTI": "Counter-Terrorism (International)",
    "CYB": "Cyber",
    "DPR": "Democratic People's Republic of Korea",
    "DRC": "Democratic Republic of the Congo",
    "GAC": "Global Anti-Corruption",
    "GHR": "Global Human Rights",
    "GIM": "Global Irregular Migration and Trafficking in Persons",
    "GUB": "Guinea-Bissau",
    "GUC": "Republic of Guinea",
    "HAI": "Haiti",
    "INU": "Iran (Nuclear)",
    "IRN": "Iran",
    "IRQ": "Iraq",
    "LIB": "Libya",
    "MAL": "Mali",
    "MYA": "Myanmar",
    "NIC": "Nicaragua",
    "RUS": "Russia",
    "SOM": "Somalia",
    "SSU": "South Sudan",
    "SUD": "Sudan",
    "SYR": "Syria",
    "VEN": "Venezuela",
    "YEM": "Yemen",
}

_SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}

#: identifier_type -> Identifier.type, spelled as the other adapters spell them.
IDENTIFIER_TYPES = {
    "passport": "Passport",
    "national": "National ID No.",
    "business_registration_numbers": "Registration Number",
    "imo": "IMO",
}

_UNIQUE_ID = re.compile(r"^[A-Z]{3}\d{4}$")
_DMY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_IMO = re.compile(r"^(?:IMO)?\s*:?\s*(\d{7})$", re.IGNORECASE)
#: At most this many warnings per table; the rest are counted.
MAX_WARNINGS_PER_TABLE = 20


@dataclass
class _Subject:
    """One subjects.csv row and what the companion tables add to it."""

    line: int
    schema: Schema
    designated: str | None
    updated: str | None
    un_reference: str | None
    ofsi_group_id: str | None
    names: dict[str, NameKind] = field(default_factory=dict)
    birth_dates: dict[str, None] = field(default_factory=dict)
    identifiers: dict[Identifier, None] = field(default_factory=dict)
    countries: dict[str, None] = field(default_factory=dict)
    nationalities: dict[str, None] = field(default_factory=dict)
    birth_places: dict[str, None] = field(default_factory=dict)


class _Warnings:
    """Warnings capped per table, plus one "N more" line per table past the cap."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.dropped: dict[str, int] = {}
        self.kept: dict[str, int] = {}

    def add(self, table: str, line: int, message: str) -> None:
        if self.kept.get(table, 0) >= MAX_WARNINGS_PER_TABLE:
            self.dropped[table] = self.dropped.get(table, 0) + 1
            return
        self.kept[table] = self.kept.get(table, 0) + 1
        self.lines.append(f"{table} line {line}: {message}")

    def finish(self) -> list[str]:
        return self.lines + [f"{t}: {n} more warnings not shown" for t, n in self.dropped.items()]


def parse_uk_date(value: str | None, path: Path, line: int, column: str) -> str | None:
    """A DD/MM/YYYY date as ISO; None when blank.

    Raises:
        SourceError: Any other spelling, or an impossible date (naming file and line).
    """
    value = clean(value)
    if value is None:
        return None
    m = _DMY.match(value)
    iso = _valid_iso(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None
    if iso is None:
        raise SourceError(path, f"{column} {value[:40]!r} is not a DD/MM/YYYY date", line=line)
    return iso


def _valid_iso(year: int, month: int, day: int) -> str | None:
    if not 1800 <= year <= 2100:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def dob_from_parts(row: Mapping[str, str], path: Path, line: int) -> str | None:
    """A birth date from subject_dobs.csv parts at the row's precision.

    ``exact`` gives ``YYYY-MM-DD``, ``month_year`` ``YYYY-MM``, ``year_only`` ``YYYY``;
    the parts the precision does not cover are ignored (the table leaves junk there).

    Raises:
        SourceError: Parts that do not make a date at the stated precision, or an
            unknown precision.
    """
    precision = (clean(row["precision"]) or "").lower()
    parts = [clean(row[k]) or "" for k in ("year", "month", "day")]
    needed = {"year_only": 1, "month_year": 2, "exact": 3}.get(precision)
    if needed is None:
        raise SourceError(path, f"unknown precision {precision[:40]!r}", line=line)
    if not all(p.isdigit() for p in parts[:needed]):
        raise SourceError(path, f"date of birth {'/'.join(parts)!r} is not {precision}", line=line)
    year, month, day = (int(p) if p.isdigit() else 1 for p in parts)
    iso = _valid_iso(year, month if needed >= 2 else 1, day if needed == 3 else 1)
    if iso is None:
        raise SourceError(path, f"date of birth {'/'.join(parts)!r} is not a date", line=line)
    return iso[: {1: 4, 2: 7, 3: 10}[needed]]


def name_kind(name_type: str, strength: str) -> NameKind | None:
    """The kind of a subject_names.csv row; None for an unknown ``name_type``.

    ``primary_variation`` rows are other spellings of the primary name (transliterations,
    part order), so they are a.k.a.; a ``low_quality_aka`` strength makes any name weak.
    """
    if strength == "low_quality_aka":
        return NameKind.WEAK
    return {
        "primary": NameKind.PRIMARY,
        "primary_variation": NameKind.AKA,
        "alias": NameKind.AKA,
    }.get(name_type)


def full_name(row: Mapping[str, str]) -> str | None:
    """``full_name``, else the name parts joined (given names first, ``name_6`` last)."""
    return clean(row["full_name"]) or clean(" ".join(row[f"name_{i}"] for i in (1, 2, 3, 4, 5, 6)))


def build_identifier(row: Mapping[str, str]) -> Identifier | None:
    """An identifier from a subject_identifiers.csv row; None when its value is blank."""
    value = clean(row["raw_value"])
    if not value:
        return None
    kind = (clean(row["identifier_type"]) or "").lower()
    id_type = IDENTIFIER_TYPES.get(kind, kind or "Identifier")
    if id_type == "IMO" and (m := _IMO.match(value)):
        value = m.group(1)
    return Identifier(type=id_type, value=value)


@dataclass(frozen=True)
class UkSanctionsCsvFormat:
    """The covyr UK Sanctions List tables (see the module docstring)."""

    name: str = "uk-sanctions-csv"
    source: str = "uk_sanctions"
    description: str = (
        "UK Sanctions List (FCDO) as five tables: subjects.csv + subject_names, _dobs, "
        "_identifiers, _countries (covyr re-shaping)"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        """True for a folder holding subjects.csv and subject_names.csv, or one of the
        tables whose header starts as this format's does."""
        if path.is_dir():
            return (path / SUBJECTS).is_file() and (path / NAMES).is_file()
        table = path.name.lower()
        if table not in COLUMNS:
            return False
        first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
        header = [c.strip().lower() for c in first.split(",")]
        return all(column in header for column in COLUMNS[table])

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse the five tables; ``path`` is their folder or any one of them.

        Args:
            path: Folder or table.
            options: Unused; this format has none.

        Returns:
            One entry per subject in subjects.csv order, ``published`` inferred from the
            newest ``last_updated`` (``published_basis`` says so), the five files read.

        Raises:
            SourceError: A missing table, a table without its columns, a malformed row,
                a repeated or malformed ``unique_id`` or a bad date, naming file and line.
        """
        folder = path if path.is_dir() else path.parent
        files = tuple(folder / table for table in TABLES)
        for file in files:
            if not file.is_file():
                raise SourceError(
                    folder,
                    f"no {file.name} in this folder (the UK set needs all of {', '.join(TABLES)})",
                )
        log = _Warnings()
        subjects = self._read_subjects(files[0], log)
        readers = (self._add_name, self._add_dob, self._add_identifier, self._add_country)
        for file, reader in zip(files[1:], readers, strict=True):
            seen: set[tuple[str, ...]] = set()
            for line, row in self._records(file):
                key = tuple(row[c] for c in COLUMNS[file.name])
                if key in seen:  # the re-shaping repeats rows verbatim
                    continue
                seen.add(key)
                subject = subjects.get(row["unique_id"].strip())
                if subject is None:
                    log.add(
                        file.name,
                        line,
                        f"unique_id {row['unique_id'][:20]!r} is not in {SUBJECTS}; ignored",
                    )
                    continue
                reader(subject, row, file, line, log)
        entries = []
        for unique_id, subject in subjects.items():
            entry = self._build_entry(unique_id, subject)
            if entry is None:
                log.add(SUBJECTS, subject.line, f"{unique_id} has no name; skipped")
            else:
                entries.append(entry)
        updated = [s.updated for s in subjects.values() if s.updated]
        return Parsed(
            source=self.source,
            format=self.name,
            entries=entries,
            files=files,
            published=max(updated) if updated else None,
            published_basis=PUBLISHED_BASIS if updated else None,
            warnings=log.finish(),
        )

    @staticmethod
    def _records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
        text = decode_text(read_bytes(path), path)
        return iter_records(
            text, path, required=COLUMNS[path.name], kind=f"UK sanctions {path.name}"
        )

    def _read_subjects(self, path: Path, log: _Warnings) -> dict[str, _Subject]:
        subjects: dict[str, _Subject] = {}
        for line, row in self._records(path):
            unique_id = row["unique_id"].strip()
            if not _UNIQUE_ID.match(unique_id):
                raise SourceError(
                    path, f"unique_id {unique_id[:40]!r} is not like RUS0001", line=line
                )
            if unique_id in subjects:
                first = subjects[unique_id].line
                raise SourceError(
                    path, f"duplicate unique_id {unique_id} (first on line {first})", line=line
                )
            kind = (clean(row["subject_type"]) or "").lower()
            if kind not in _SCHEMAS:
                log.add(path.name, line, f"unknown subject_type {kind[:40]!r}; schema unknown")
            subjects[unique_id] = _Subject(
                line=line,
                schema=_SCHEMAS.get(kind, Schema.UNKNOWN),
                designated=parse_uk_date(row["date_designated"], path, line, "date_designated"),
                updated=parse_uk_date(row["last_updated"], path, line, "last_updated"),
                un_reference=clean(row["un_reference_number"]),
                ofsi_group_id=clean(row["ofsi_group_id"]),
            )
        return subjects

    @staticmethod
    def _add_name(
        subject: _Subject, row: Mapping[str, str], path: Path, line: int, log: _Warnings
    ) -> None:
        value = full_name(row)
        kind = name_kind(
            (clean(row["name_type"]) or "").lower(), (clean(row["alias_strength"]) or "").lower()
        )
        if kind is None:
            log.add(path.name, line, f"unknown name_type {row['name_type'][:40]!r}; read as alias")
            kind = NameKind.AKA
        if value and value not in subject.names:
            subject.names[value] = kind

    @staticmethod
    def _add_dob(
        subject: _Subject, row: Mapping[str, str], path: Path, line: int, log: _Warnings
    ) -> None:
        if dob := dob_from_parts(row, path, line):
            subject.birth_dates[dob] = None

    @staticmethod
    def _add_identifier(
        subject: _Subject, row: Mapping[str, str], path: Path, line: int, log: _Warnings
    ) -> None:
        if identifier := build_identifier(row):
            subject.identifiers[identifier] = None

    @staticmethod
    def _add_country(
        subject: _Subject, row: Mapping[str, str], path: Path, line: int, log: _Warnings
    ) -> None:
        raw = clean(row["raw_value"])
        if not raw:
            return
        kind = (clean(row["country_type"]) or "").lower()
        # The project's resolver first, so every adapter codes countries alike; the
        # table's own resolution only for names it does not know.
        iso = clean(row["iso"]) or ""
        code = country_code(raw) or (iso.upper() if re.fullmatch(r"[A-Za-z]{2}", iso) else None)
        if kind == "birth":
            subject.birth_places[raw] = None
        elif code is None:
            log.add(path.name, line, f"country {raw[:60]!r} not recognised; ignored")
        elif kind == "nationality":
            subject.nationalities[code] = None
        elif kind == "address":
            subject.countries[code] = None
        else:
            log.add(path.name, line, f"unknown country_type {kind[:40]!r}; ignored")

    def _build_entry(self, unique_id: str, subject: _Subject) -> Entry | None:
        if not subject.names:
            return None
        names = sorted(subject.names.items(), key=lambda item: item[1] is not NameKind.PRIMARY)
        # A second "primary" row (5 subjects have one) is another spelling: an alias.
        first = names[0][0]
        built = tuple(
            Name(value, NameKind.AKA if kind is NameKind.PRIMARY and value != first else kind)
            for value, kind in names
        )
        regime = REGIMES.get(unique_id[:3], f"UK regime {unique_id[:3]}")
        properties = {
            key: (value,)
            for key, value in (
                ("uk_regime_code", unique_id[:3]),
                ("un_reference", subject.un_reference),
                ("ofsi_group_id", subject.ofsi_group_id),
            )
            if value
        }
        nationalities = tuple(subject.nationalities)
        return Entry(
            id=f"{self.source}:{unique_id}",
            source=self.source,
            list=LIST_CODE,
            schema=subject.schema,
            names=built,
            countries=tuple(dict.fromkeys((*subject.countries, *nationalities))),
            identifiers=tuple(subject.identifiers),
            birth_dates=tuple(subject.birth_dates),
            birth_places=tuple(subject.birth_places),
            nationalities=nationalities,
            programs=(regime,),
            legal=LegalFacts(start_date=subject.designated, last_update=subject.updated),
            properties=properties,
        )


UK_CSV = UkSanctionsCsvFormat()
FORMATS = [UK_CSV]

__all__ = ["FORMATS", "IDENTIFIER_TYPES", "REGIMES", "UK_CSV", "UkSanctionsCsvFormat"]
