"""One file of an OFAC legacy CSV set, row by row.

:func:`read_rows` reads a file into ``(line, row)`` pairs and checks its shape (field
count, numeric ``ent_num``, no truncated quote); :func:`match_main_row` recognises a
primary file by its first line; :func:`build_address` and :func:`build_alias` turn one
row of the address and alias companions into an :class:`~entityscreen.model.Address` or
a :class:`~entityscreen.model.Name`.

Separate from :mod:`entityscreen.sources.ofac`, which puts a set's files together into
entries: this module knows one file and one row at a time.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import SourceError
from ..model import Address, Name, NameKind
from .base import country_code, decode_text, iter_csv, read_bytes
from .ofac_values import clean_field, format_address_text

#: Fields per row of each file kind.
MAIN_FIELDS, ADDRESS_FIELDS, ALIAS_FIELDS, COMMENT_FIELDS = 12, 6, 5, 2

_ALIAS_KINDS: dict[str, NameKind] = {
    "aka": NameKind.AKA,
    "fka": NameKind.FKA,
    "nka": NameKind.NKA,
    "weak aka": NameKind.WEAK,
}

_HEAD_ROW = re.compile(rb'^\d+,"')


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


__all__ = [
    "ADDRESS_FIELDS",
    "ALIAS_FIELDS",
    "COMMENT_FIELDS",
    "MAIN_FIELDS",
    "build_address",
    "build_alias",
    "match_main_row",
    "read_rows",
]
