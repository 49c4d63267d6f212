"""EU sanctions designations from the Official Journal, as OpenSanctions transcribes them.

The folder holds one consolidated CSV per EU framework act, named ``{CELEX}.csv``
(``32014R0833.csv``), beside a ``FORMAT.md`` that fixes the layout: UTF-8, comma, an
exact header, one row per designation per legal context (program, annex, measure).
Every entity column except ``name`` is multi-valued, ``"; "``-separated and CSV-quoted
within the cell; dates keep the printed wording (``17.3.2014``, ``(a) 1.1.1958; (b)
1958``, ``6.3.1955 or 15.3.1955``).

The files together are one snapshot: a path to one of them parses its whole folder,
because a snapshot of one framework act would delist every other act's designations.
Header-only files (acts whose annexes list nobody today) are part of the set.

Entries: one per (framework act, annex, printed ``recordId``), merging the rare rows
that repeat it under another program or measure; rows without a ``recordId`` (the act
prints none) are keyed by their name instead. The list code is ``EU``, except the
end users of Regulation 833/2014 Annex IV (``EU-833-IV``, export-control restrictions,
the EU counterpart of the Entity List).

The consolidated version each file was transcribed from is pinned outside the files
(the dataset YAML), so ``published`` is the newest ``startDate`` and
``published_basis`` says so.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from ..model import Address, Entry, Identifier, LegalFacts, Name, NameKind, Schema
from .base import (
    Parsed,
    clean,
    country_code,
    decode_text,
    iter_records,
    parse_date,
    read_bytes,
    stable_id,
)
from .merge import merge_entries

#: The consolidated files' header, exactly as FORMAT.md states it.
HEADER = (
    "celex,recordId,programKey,annex,measure,startDate,reason,schema,name,alias,weakAlias,"
    "previousName,country,nationality,jurisdiction,birthDate,birthPlace,position,"
    "passportNumber,gender,appearance,ethnicity,fatherName,motherName,incorporationDate,"
    "legalForm,sector,registrationNumber,taxNumber,idNumber,innCode,ogrnCode,kppCode,"
    "okpoCode,leiCode,swiftBic,ticker,imoNumber,mmsi,flag,address,phone,email,website,notes"
)
COLUMNS = tuple(c.lower() for c in HEADER.split(","))

#: A framework act's CELEX number: sector 3, year, R(egulation) or D(ecision), number.
CELEX = re.compile(r"^3(\d{4})([RD])(\d{4})$")

LIST_CODE = "EU"
#: Regulation 833/2014 Annex IV: end users subject to export-control restrictions.
EXPORT_CONTROL_ANNEX = ("32014R0833", "IV")
EXPORT_CONTROL_LIST = "EU-833-IV"
PUBLISHED_BASIS = (
    "inferred: newest startDate in the framework-act CSVs (no consolidation date in the files)"
)

_SCHEMAS = {
    "person": Schema.PERSON,
    "legalentity": Schema.ORGANIZATION,
    "organization": Schema.ORGANIZATION,
    "company": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    # Facilities, zones and crypto-assets: restricted things, not parties.
    "asset": Schema.UNKNOWN,
}

#: Identifier columns -> Identifier.type, spelled as the other adapters spell them.
IDENTIFIER_COLUMNS = {
    "passportnumber": "Passport",
    "registrationnumber": "Registration Number",
    "taxnumber": "Tax ID No.",
    "idnumber": "Identification Number",
    "inncode": "INN",
    "ogrncode": "OGRN",
    "kppcode": "KPP",
    "okpocode": "OKPO",
    "leicode": "LEI",
    "swiftbic": "SWIFT/BIC",
    "ticker": "Ticker",
    "imonumber": "IMO",
    "mmsi": "MMSI",
}
#: Columns kept as entry properties (multi-valued), by property key.
PROPERTY_COLUMNS = {
    "gender": "gender",
    "legalform": "legal_form",
    "sector": "sector",
    "phone": "phone",
    "email": "email",
    "website": "website",
    "notes": "notes",
    "fathername": "father_name",
    "mothername": "mother_name",
}

#: A printed enumerator, "(a) " / "b) " / "(ii) ", with the comma or semicolon before it.
_ENUMERATOR = re.compile(r"(?:^|[,;]?\s+)\(?\b(?:[a-h]|i{1,3}|iv)\)\s*")
#: Where a country cell that is not one country splits ("Ukrainian, Russian").
_COUNTRY_BREAK = re.compile(r"\s*(?:,|/|;|\band\b)\s*")
_COUNTRY_HEDGE = re.compile(r"^(?:allegedly|assumed|possibly|probably|of the)\s+", re.IGNORECASE)
_APPROXIMATE = re.compile(r"^(?:approximately|approx\.|circa|about|ca\.)\s+", re.IGNORECASE)
_OR = re.compile(r"\s+or\s+", re.IGNORECASE)
_IMO = re.compile(r"^(?:IMO)?\s*(?:No\.?|number)?\s*:?\s*(\d{7})$", re.IGNORECASE)
MAX_WARNINGS = 40


def split_values(cell: str) -> list[str]:
    """The values of a multi-valued cell (``"Foo; Bar"``, ``"\\"A; B\\"; C"``), trimmed,
    blanks and repeats dropped, as FORMAT.md says to decode them."""
    if not cell.strip():
        return []
    row = next(csv.reader([cell], delimiter=";", skipinitialspace=True, strict=False), [])
    return list(dict.fromkeys(v for v in (clean(x) for x in row) if v))


def parse_birth_dates(values: Sequence[str]) -> tuple[list[str], list[str]]:
    """Printed birth dates as ISO dates, and the printed values that did not parse.

    ``(a) 1.1.1958`` drops its enumerator, ``6.3.1955 or 15.3.1955`` gives both dates,
    ``Approximately 1952`` gives ``circa 1952`` (as the OFAC and UN adapters spell it).
    """
    parsed: list[str] = []
    unparsed: list[str] = []
    parts = (
        part for value in values for item in _ENUMERATOR.split(value) for part in _OR.split(item)
    )
    for part in parts:
        text = clean(part) or ""
        prefix = ""
        if m := _APPROXIMATE.match(text):
            prefix, text = "circa ", text[m.end() :]
        iso = parse_date(text, dayfirst=True)
        if iso:
            parsed.append(prefix + iso)
        elif text:
            unparsed.append(clean(part) or text)
    return list(dict.fromkeys(parsed)), list(dict.fromkeys(unparsed))


def resolve_countries(value: str) -> tuple[list[str], list[str]]:
    """ISO-2 codes of a country cell, and the parts no code was found for.

    A cell naming one country resolves whole; otherwise it is split at enumerators,
    commas, slashes and "and" ("(a) German, (b) Moroccan", "Syrian/Iranian"), and hedges
    ("allegedly Russian") are dropped.
    """
    if code := country_code(value):
        return [code], []
    codes: list[str] = []
    unresolved: list[str] = []
    for item in _ENUMERATOR.split(value):
        for part in _COUNTRY_BREAK.split(item):
            part = _COUNTRY_HEDGE.sub("", part.strip(" .()"))
            if not part:
                continue
            if code := country_code(part):
                codes.append(code)
            else:
                unresolved.append(part)
    return codes, unresolved


def act_title(celex: str) -> str:
    """A framework act as lawyers cite it: ``32014R0833`` -> ``Regulation 833/2014``.

    Regulations before 2015 are cited number/year, later ones (and decisions) year/number.
    """
    m = CELEX.match(celex)
    if not m:
        return celex
    year, kind, number = m.group(1), m.group(2), str(int(m.group(3)))
    if kind == "R":
        return f"Regulation {number}/{year}" if int(year) < 2015 else f"Regulation {year}/{number}"
    return f"Decision {year}/{number}"


def address_country(address: str) -> str | None:
    """ISO-2 code of an address's last comma-separated part, when it names a country."""
    return country_code(address.rsplit(",", 1)[-1])


def find_files(folder: Path) -> list[Path]:
    """The ``{CELEX}.csv`` files of a folder, in name order."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix == ".csv" and CELEX.match(p.stem)
    )


@dataclass(frozen=True)
class EuJournalCsvFormat:
    """The EU Official Journal consolidated CSVs (see the module docstring)."""

    name: str = "eu-journal-csv"
    source: str = "eu_journal"
    description: str = (
        "EU sanctions from the Official Journal: one {CELEX}.csv per framework act "
        "(OpenSanctions transcription, FORMAT.md)"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        """True for a folder holding ``{CELEX}.csv`` files, or one such file whose head
        is the consolidated header."""
        if path.is_dir():
            try:
                return bool(find_files(path))
            except OSError:
                return False
        if not CELEX.match(path.name.removesuffix(".csv")):
            return False
        return head.lstrip(b"\xef\xbb\xbf").startswith(b"celex,recordId,programKey,")

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse every ``{CELEX}.csv`` of the folder (``path`` or the folder holding it).

        Args:
            path: The folder, or one of its CSVs.
            options: Unused; this format has none.

        Returns:
            Entries in file and row order, ``published`` inferred from the newest
            ``startDate`` (``published_basis`` says so), the files read; warnings for
            rows skipped and values that did not parse.

        Raises:
            SourceError: No CSV in the folder, a file without the consolidated header,
                a row whose ``celex`` is not its file's, a malformed row or a
                ``startDate`` that is not a date, naming file and line.
        """
        folder = path if path.is_dir() else path.parent
        try:
            files = find_files(folder)
        except OSError as exc:
            raise SourceError(folder, f"cannot list folder: {exc.strerror or exc}") from None
        if not files:
            raise SourceError(
                folder, "no EU journal CSV (named like 32014R0833.csv) in this folder"
            )
        warnings: list[str] = []
        entries: list[Entry] = []
        starts: list[str] = []
        for file in files:
            for line, row in self._records(file):
                entry = self._build_entry(row, file, line, warnings)
                if entry is not None:
                    entries.append(entry)
                    if entry.legal.start_date:
                        starts.append(entry.legal.start_date)
        if len(warnings) > MAX_WARNINGS:
            warnings = [
                *warnings[:MAX_WARNINGS],
                f"{len(warnings) - MAX_WARNINGS} more warnings not shown",
            ]
        return Parsed(
            source=self.source,
            format=self.name,
            entries=merge_entries(entries, count_key="eu_rows"),
            files=tuple(files),
            published=max(starts) if starts else None,
            published_basis=PUBLISHED_BASIS if starts else None,
            warnings=warnings,
        )

    @staticmethod
    def _records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
        text = decode_text(read_bytes(path), path)
        return iter_records(text, path, required=COLUMNS, kind="EU journal consolidated CSV")

    def _build_entry(
        self, row: Mapping[str, str], path: Path, line: int, warnings: list[str]
    ) -> Entry | None:
        celex = row["celex"].strip()
        if celex != path.stem:
            raise SourceError(
                path, f"celex {celex[:40]!r} is not the file's act {path.stem}", line=line
            )
        name = clean(row["name"])
        if not name:
            warnings.append(f"{path.name} line {line}: no name; row skipped")
            return None
        schema_text = (clean(row["schema"]) or "").lower()
        schema = _SCHEMAS.get(schema_text)
        if schema is None:
            warnings.append(
                f"{path.name} line {line}: unknown schema {schema_text[:40]!r}; read as unknown"
            )
            schema = Schema.UNKNOWN
        start_text = clean(row["startdate"])
        start = parse_date(start_text, dayfirst=True)
        if start_text and not start:
            raise SourceError(path, f"startDate {start_text[:40]!r} is not a date", line=line)
        annex = clean(row["annex"]) or "-"
        record_id = clean(row["recordid"])
        # The printed entry number is stable within its annex; rows without one are keyed
        # by name, so a re-published row keeps its id when only its formatting changed.
        native = record_id or f"name-{stable_id(row['schema'], name)}"
        names = [Name(name)]
        for column, kind in (
            ("alias", NameKind.AKA),
            ("weakalias", NameKind.WEAK),
            ("previousname", NameKind.FKA),
        ):
            names.extend(Name(v, kind) for v in split_values(row[column]) if v != name)
        birth_dates, unparsed_dates = parse_birth_dates(split_values(row["birthdate"]))
        addresses = [
            Address(full=a, country=address_country(a)) for a in split_values(row["address"])
        ]
        countries: dict[str, None] = {}
        nationalities: dict[str, None] = {}
        unresolved: list[str] = []
        for column in ("jurisdiction", "flag", "country", "nationality"):
            target = nationalities if column == "nationality" else countries
            for value in split_values(row[column]):
                codes, missed = resolve_countries(value)
                target.update(dict.fromkeys(codes))
                unresolved.extend(missed)
        for address in addresses:
            if address.country:
                countries[address.country] = None
        properties: dict[str, tuple[str, ...]] = {
            "celex": (celex,),
            "annex": (annex,),
            "measure": (row["measure"].strip(),),
        }
        if record_id:
            properties["record_id"] = (record_id,)
        for column, key in PROPERTY_COLUMNS.items():
            if values := split_values(row[column]):
                properties[key] = tuple(values)
        incorporated = split_values(row["incorporationdate"])
        if incorporated:
            properties["incorporation_date"] = tuple(
                parse_date(v, dayfirst=True) or v for v in incorporated
            )
        if unparsed_dates:
            properties["birth_date_unparsed"] = tuple(unparsed_dates)
        if unresolved:
            properties["country_unresolved"] = tuple(dict.fromkeys(unresolved))
        is_export_control = (celex, annex) == EXPORT_CONTROL_ANNEX
        return Entry(
            id=f"{self.source}:{celex}:{annex}:{native}",
            source=self.source,
            list=EXPORT_CONTROL_LIST if is_export_control else LIST_CODE,
            schema=schema,
            names=tuple(dict.fromkeys(names)),
            addresses=tuple(dict.fromkeys(addresses)),
            countries=tuple(dict.fromkeys((*countries, *nationalities))),
            identifiers=self._identifiers(row),
            birth_dates=tuple(birth_dates),
            birth_places=tuple(split_values(row["birthplace"])),
            nationalities=tuple(nationalities),
            programs=tuple(
                p for p in (clean(row["programkey"]), f"{act_title(celex)}, Annex {annex}") if p
            ),
            legal=LegalFacts(start_date=start, action=clean(row["measure"])),
            title="; ".join(split_values(row["position"])) or None,
            remarks=clean(row["reason"]),
            properties=properties,
        )

    @staticmethod
    def _identifiers(row: Mapping[str, str]) -> tuple[Identifier, ...]:
        out: dict[Identifier, None] = {}
        for column, id_type in IDENTIFIER_COLUMNS.items():
            for value in split_values(row[column]):
                if id_type == "IMO" and (m := _IMO.match(value)):
                    value = m.group(1)
                out[Identifier(type=id_type, value=value)] = None
        return tuple(out)


EU_JOURNAL_CSV = EuJournalCsvFormat()
FORMATS = [EU_JOURNAL_CSV]

__all__ = ["EU_JOURNAL_CSV", "FORMATS", "EuJournalCsvFormat", "act_title", "parse_birth_dates"]
