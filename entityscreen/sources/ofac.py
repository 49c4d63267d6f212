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

This module puts a set's files together into entries (:class:`OfacCsvFormat`). Its parts:
:mod:`~entityscreen.sources.ofac_rows` reads one file row by row,
:mod:`~entityscreen.sources.ofac_remarks` parses the remarks and programs, and
:mod:`~entityscreen.sources.ofac_values` spells single values. Their public names are
re-exported here (see ``__all__``), so imports from ``entityscreen.sources.ofac`` stay.

:func:`normalize_date`, :func:`format_address_text` and :func:`collect_countries` are
shared with the UN adapter, so both spell dates, addresses and countries alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceError
from ..model import Address, Entry, Name, Schema
from .base import Parsed
from .ofac_remarks import (
    CONS_PROGRAM_LISTS,
    IDENTIFIER_TYPES,
    PROPERTY_PREFIXES,
    RemarkFacts,
    parse_identifier,
    parse_remarks,
    resolve_linked_name,
    select_cons_list,
    split_programs,
)
from .ofac_rows import (
    ADDRESS_FIELDS,
    ALIAS_FIELDS,
    COMMENT_FIELDS,
    MAIN_FIELDS,
    build_address,
    build_alias,
    match_main_row,
    read_rows,
)
from .ofac_values import clean_field, collect_countries, format_address_text, normalize_date

#: At most this many "unknown ent_num" warnings per companion file; the rest are counted.
MAX_WARNINGS_PER_FILE = 20

_SCHEMAS: dict[str, Schema] = {
    "individual": Schema.PERSON,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}

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


@dataclass
class _Record:
    """One primary row and what its companion files add to it."""

    line: int
    row: list[str]
    remarks: str
    aliases: list[Name] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)


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
