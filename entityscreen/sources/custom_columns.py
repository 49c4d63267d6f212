"""The columns of a custom list: options, header matching and the delimiter.

:data:`FIELD_HEADERS` names the headers recognised for each field;
:func:`normalize_header` compares them case-insensitively, ignoring ``_``, ``-`` and
``.``; :func:`detect_delimiter` picks comma, semicolon or tab from the header row;
:func:`read_options` checks the parse options (``source``, ``list``, ``map.<field>``)
and :func:`resolve_columns` finds the column of each field. The rules are in
:mod:`entityscreen.sources.custom`.

Separate from :mod:`entityscreen.sources.custom_rows` (turning rows into entries)
because it runs once per file, on the header alone, and
:mod:`entityscreen.sources.ownership` reads its own CSV files with the same header
matching and delimiter detection.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from .base import clean

#: Fields and the headers recognised for them (normalised, most specific first).
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "ref", "reference", "ref no", "reference no", "reference number"),
    "name": ("name", "party name", "full name", "party", "company name", "company"),
    "aliases": ("aliases", "alias", "aka", "also known as"),
    "schema": ("schema", "entity type", "party type", "type"),
    "country": ("country", "country code", "countries"),
    "address": ("address",),
    "birth_date": ("birth date", "date of birth", "dob"),
    "program": ("program", "programs", "list"),
    "remarks": ("remarks", "notes", "note", "comment", "comments"),
    "start_date": ("start date",),
    "end_date": ("end date",),
    "license_requirement": ("license requirement",),
    "license_policy": ("license policy",),
}
DEFAULT_LIST = "CUSTOM"
DELIMITERS = (",", ";", "\t")

_MAP_PREFIX = "map."
_HEADER_JUNK = re.compile(r"[\s_\-.]+")
_SOURCE_JUNK = re.compile(r"[^a-z0-9]+")
_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")


def normalize_header(header: str) -> str:
    """A header as compared with :data:`FIELD_HEADERS`: ``" Party_Name "`` -> ``"party name"``.

    Args:
        header: The header as written.

    Returns:
        The header lower-cased, with runs of spaces, ``_``, ``-`` and ``.`` as one space.
    """
    return _HEADER_JUNK.sub(" ", header.casefold()).strip()


def detect_delimiter(header_line: str) -> str:
    """The delimiter that splits ``header_line`` into the most fields (comma on a tie).

    Args:
        header_line: The first line of the file.

    Returns:
        One of :data:`DELIMITERS`.
    """
    return max(DELIMITERS, key=lambda d: len(split_line(header_line, d)))


def split_line(line: str, delimiter: str) -> list[str]:
    """One CSV line split on ``delimiter``; one field when it is not valid CSV."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return [line]


def default_source(path: Path) -> str:
    """The default source id of a custom list file.

    Args:
        path: The file (``Do Not Deal.csv``, ``blocked.csv.gz``).

    Returns:
        ``custom_do_not_deal``, ``custom_blocked``; ``custom`` when nothing is left.
    """
    stem = Path(path.name.removesuffix(".gz")).stem.lower()
    slug = _SOURCE_JUNK.sub("_", stem).strip("_")
    return f"custom_{slug}" if slug else "custom"


@dataclass(frozen=True)
class CustomOptions:
    """The options of one parse, checked.

    Attributes:
        source: Source id.
        list: List code.
        mapping: Field -> header, from the ``map.<field>`` options.
    """

    source: str
    list: str
    mapping: Mapping[str, str]


def read_options(options: Mapping[str, str], path: Path) -> CustomOptions:
    """Check the options of a parse (see the module docstring).

    Args:
        options: The raw options.
        path: The file, for error messages and the default source id.

    Returns:
        The options.

    Raises:
        SourceError: An unknown option or field, an invalid source id, or an empty list
            code or mapping.
    """
    mapping: dict[str, str] = {}
    for key, value in options.items():
        if key.startswith(_MAP_PREFIX):
            field_name = key.removeprefix(_MAP_PREFIX)
            if field_name not in FIELD_HEADERS:
                known = ", ".join(FIELD_HEADERS)
                raise SourceError(path, f"unknown field in {key}; fields: {known}")
            if not value.strip():
                raise SourceError(path, f"{key} names no column")
            mapping[field_name] = value
        elif key not in ("source", "list"):
            raise SourceError(path, f"unknown option {key!r}; options: source, list, map.FIELD")
    source = options.get("source", "").strip() or default_source(path)
    if not _SOURCE_ID.match(source):
        raise SourceError(path, f"source {source!r}: use lower-case letters, digits and _")
    list_code = clean(options.get("list", DEFAULT_LIST))
    if not list_code:
        raise SourceError(path, "list is empty")
    return CustomOptions(source=source, list=list_code, mapping=mapping)


def resolve_columns(
    headers: Sequence[str], mapping: Mapping[str, str], path: Path
) -> dict[str, int]:
    """Find the column of each field: mapped ones by their header, the rest by name.

    Args:
        headers: The header row.
        mapping: Field -> header, from the options.
        path: The file, for error messages.

    Returns:
        Field -> column index, for the fields found.

    Raises:
        SourceError: A mapped header that is not in the file, or no name column.
    """
    normalized = [normalize_header(h) for h in headers]
    columns: dict[str, int] = {}
    for field_name, header in mapping.items():
        wanted = normalize_header(header)
        if wanted not in normalized:
            raise SourceError(
                path, f"map.{field_name}={header}: no such column; {describe_headers(headers)}"
            )
        columns[field_name] = normalized.index(wanted)
    for field_name, candidates in FIELD_HEADERS.items():
        if field_name in columns:
            continue
        used = set(columns.values())
        found = (
            i for c in candidates for i, h in enumerate(normalized) if h == c and i not in used
        )
        if (index := next(found, None)) is not None:
            columns[field_name] = index
    if "name" not in columns:
        raise SourceError(
            path, f"no name column; map one with map.name=COLUMN ({describe_headers(headers)})"
        )
    return columns


def describe_headers(headers: Sequence[str]) -> str:
    """The headers of a file for an error message, shortened when long.

    Args:
        headers: The header row.

    Returns:
        ``"headers found: a, b, c"``.
    """
    shown = [repr(h.strip()[:40]) for h in headers[:20]]
    more = f" and {len(headers) - 20} more" if len(headers) > 20 else ""
    return f"headers found: {', '.join(shown) or 'none'}{more}"


__all__ = [
    "DEFAULT_LIST",
    "DELIMITERS",
    "FIELD_HEADERS",
    "CustomOptions",
    "default_source",
    "describe_headers",
    "detect_delimiter",
    "normalize_header",
    "read_options",
    "resolve_columns",
    "split_line",
]
