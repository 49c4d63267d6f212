"""BIS's Denied Persons List as published in ``dpl.txt`` (tab-separated, quoted).

Columns: Name, Street_Address, City, State, Country, Postal_Code, Effective_Date,
Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation. Effective and
expiration dates are ``MM/DD/YYYY``, Last_Update ``YYYY-MM-DD``; Country is ISO-2 but
often blank (US persons in prison have none).

Entry ids and merging
    The list has no identifier: a party's id is ``"us_bis_dpl:{stable_id(name)}"``.
    One party appears as several rows, one per order or address (e.g. three for
    "I. ASH"), so rows with the same id are merged into one entry
    (:func:`~entityscreen.sources.base.merge_entries`): the union of the addresses and
    Federal Register citations (``"; "``-joined), the earliest Effective_Date as
    ``start_date``, the latest Expiration_Date as ``end_date`` and Last_Update as
    ``last_update``, the first non-empty Action and Standard_Order, and
    ``properties["dpl_rows"] = ("<n>",)`` when n > 1 rows were merged. Different
    persons with exactly the same name would be merged too; the file gives nothing
    better to tell them apart.

Other conventions
    * Schema is always unknown: the list mixes persons and companies without saying
      which.
    * A Last_Update that does not parse (typos ``3033-09-30``, ``1023-11-01``) is kept
      raw in ``properties["last_update_raw"]``.
    * ``published`` is the newest Last_Update not later than one year after the newest
      Effective_Date: a typo that still parses (``2033-...``) cannot push the list's
      date into the future, while the usual lag between an order and its Federal
      Register update is allowed for. ``published_basis`` says the date was inferred.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ..model import Address, Entry, LegalFacts, Name, Schema
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

SOURCE = "us_bis_dpl"
LIST_CODE = "DPL"

#: The published columns, as the header spells them.
COLUMNS = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)
#: Columns a file must have to be read as the DPL (lower case).
REQUIRED = ("name", "effective_date")

#: How far past the newest Effective_Date a Last_Update may be and still date the list.
MAX_UPDATE_LAG = timedelta(days=366)


def build_address(row: Mapping[str, str]) -> Address | None:
    """The row's address, or None when all its parts are blank."""
    parts = {key: clean(row.get(key)) for key in ("street_address", "city", "state", "postal_code")}
    country_text = clean(row.get("country"))
    full = ", ".join(p for p in (*parts.values(), country_text) if p)
    if not full:
        return None
    code = country_code(country_text)
    return Address(
        full=full,
        street=parts["street_address"],
        city=parts["city"],
        state=parts["state"],
        postal_code=parts["postal_code"],
        country=code if code and len(code) == 2 else None,
    )


def build_entry(row: Mapping[str, str]) -> Entry | None:
    """One DPL row as an entry, not yet merged; None when the row has no name.

    Args:
        row: The row keyed by lower-cased column name.

    Returns:
        The entry.
    """
    name = clean(row.get("name"))
    if not name:
        return None
    address = build_address(row)
    last_update_text = clean(row.get("last_update"))
    last_update = parse_date(last_update_text)
    properties: dict[str, tuple[str, ...]] = {}
    if last_update_text and not last_update:
        properties["last_update_raw"] = (last_update_text,)
    return Entry(
        id=f"{SOURCE}:{stable_id(name)}",
        source=SOURCE,
        list=LIST_CODE,
        schema=Schema.UNKNOWN,
        names=(Name(name),),
        addresses=(address,) if address else (),
        countries=(address.country,) if address and address.country else (),
        legal=LegalFacts(
            federal_register=clean(row.get("fr_citation")),
            start_date=parse_date(row.get("effective_date")),
            end_date=parse_date(row.get("expiration_date")),
            standard_order=clean(row.get("standard_order")),
            last_update=last_update,
            action=clean(row.get("action")),
        ),
        properties=properties,
    )


def find_published(entries: list[Entry]) -> str | None:
    """The list's date: the newest Last_Update within a year of the newest Effective_Date.

    Args:
        entries: The rows' entries (merged or not).

    Returns:
        An ISO date, or None when no Last_Update qualifies.
    """
    effective = [e.legal.start_date for e in entries if e.legal.start_date]
    updates = [e.legal.last_update for e in entries if e.legal.last_update]
    if not effective or not updates:
        return max(updates) if updates else None
    newest = max(effective)
    try:
        limit = (date.fromisoformat(newest) + MAX_UPDATE_LAG).isoformat()
    except ValueError:  # a partial date (YYYY-MM); compare as text
        limit = newest
    valid = [u for u in updates if u <= limit]
    return max(valid) if valid else None


@dataclass(frozen=True)
class DplTxtFormat:
    """BIS's ``dpl.txt`` (see the module docstring).

    Attributes:
        name: Format name.
        source: Source id.
        description: One line for ``formats`` listings.
    """

    name: str = "dpl-txt"
    source: str = SOURCE
    description: str = "BIS Denied Persons List, dpl.txt (tab-separated)"

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when the first line is the DPL header (quoted or not)."""
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
        first = [c.strip().strip('"').lower() for c in text.split("\n", 1)[0].split("\t")]
        return first[:3] == [c.lower() for c in COLUMNS[:3]]

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse ``dpl.txt``.

        Args:
            path: The file (plain or gzip).
            options: Unused; this format has none.

        Returns:
            Merged entries in file order, ``published`` (see :func:`find_published`) and
            warnings for rows without a name.

        Raises:
            SourceError: A malformed file, naming it and the line.
        """
        text = decode_text(read_bytes(path), path)
        rows: list[Entry] = []
        warnings: list[str] = []
        records = iter_records(text, path, required=REQUIRED, delimiter="\t", kind="DPL file")
        for line, record in records:
            entry = build_entry(record)
            if entry is None:
                warnings.append(f"line {line}: no name; row skipped")
            else:
                rows.append(entry)
        return Parsed(
            self.source,
            self.name,
            merge_entries(rows, count_key="dpl_rows"),
            (path,),
            published=find_published(rows),
            # The file has no date line; the newest Last_Update stands for it.
            published_basis="inferred: newest Last_Update in the file",
            warnings=warnings,
        )


DPL_TXT = DplTxtFormat()

FORMATS = [DPL_TXT]

__all__ = ["COLUMNS", "DPL_TXT", "FORMATS", "DplTxtFormat", "build_entry", "find_published"]
