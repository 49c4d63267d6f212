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

Modules: :mod:`.csl_fields` (columns, list codes, address and ``ids`` items),
:mod:`.csl_names` (name repairs), :mod:`.csl_entries` (row -> entry, merging, the
inferred date), :mod:`.csl_json` (the API JSON reader); this one holds the CSV reader and
the two formats, and re-exports the names callers use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .base import Parsed, clean, iter_records, split_multi
from .csl_entries import (
    build_entries,
    build_entry,
    infer_published,
    parse_start_date,
    spool_entries,
)
from .csl_fields import (
    LIST_CODES,
    LIST_FIELDS,
    SCALAR_FIELDS,
    SOURCE,
    CslRow,
    detect_id_layout,
    find_list_code,
    parse_address_item,
    parse_id_item,
)
from .csl_json import build_json_row, read_json
from .csl_names import CleanName, clean_name, collect_names, fix_apostrophes
from .textio import MAX_STREAM_BYTES, open_lines

#: The CSV header starts with these columns (after an optional BOM and quotes).
CSV_HEADER_START = "_id,source,entity_number"

#: Keys only a CSL result has; one of them must be in the head of a JSON file.
_JSON_MARKERS = ('"federal_register_notice"', '"entity_number"', '"source_list_url"')


# --- CSV ------------------------------------------------------------------------------------


def _records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """The CSV's records, read from the file as they are consumed."""
    with open_lines(path, MAX_STREAM_BYTES) as lines:
        yield from iter_records(lines, path, required=("source", "name"), kind="CSL CSV")


def read_csv_rows(path: Path) -> Iterator[CslRow]:
    """The rows of a CSL CSV (plain or gzip) as :class:`CslRow`.

    The file is read as a stream (issue #13), from the start twice: for the layout of
    its ``ids`` (the first hundred clear items settle it), then for the rows.

    Raises:
        SourceError: Unreadable, binary, empty, truncated or wrong-column files.
    """
    items = (item for _, r in _records(path) for item in split_multi(r.get("ids")))
    try:
        layout = detect_id_layout(items)
    finally:
        items.close()
    for line, record in _records(path):
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
        entries, warnings = spool_entries(read_csv_rows(path))
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


# --- JSON (the CSL API's search response; the reader is in csl_json) ----------------------


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
    "SOURCE",
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
