"""The FollowTheMoney schema and property mapping, and the normalising of FtM values.

Which FtM schemas are screening targets and which entity kinds they map to, which
properties hold names, identifiers and countries, and the small value conversions
(country codes, dates, dataset -> list code, version folder -> publication date, share
percentages). Kept apart from :mod:`.ftm_read` (the line reader) and
:mod:`.ftm_entries` (entity -> :class:`~entityscreen.model.Entry`), which both use it; the
formats themselves and their documentation are in :mod:`entityscreen.sources.ftm`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..model import NameKind, Schema
from .base import clean, parse_date

SOURCE = "opensanctions"

#: Schemas whose entities are screening targets when the export has no ``target`` flag.
TARGET_SCHEMAS: dict[str, Schema] = {
    "Person": Schema.PERSON,
    "Organization": Schema.ORGANIZATION,
    "Company": Schema.ORGANIZATION,
    "LegalEntity": Schema.ORGANIZATION,
    "PublicBody": Schema.ORGANIZATION,
    "Vessel": Schema.VESSEL,
    "Airplane": Schema.AIRCRAFT,
}

#: Name properties besides ``name`` (whose values are the primary name and a.k.a.s).
NAME_PROPERTIES: tuple[tuple[str, NameKind], ...] = (
    ("alias", NameKind.AKA),
    ("previousName", NameKind.FKA),
    ("weakAlias", NameKind.WEAK),
    ("abbreviation", NameKind.WEAK),  # "CST", "ZALA": short, so weak
)

#: Identifier properties: property -> (identifier type, implied country). Types follow
#: the OFAC / CSL spelling where there is one.
IDENTIFIER_PROPERTIES: dict[str, tuple[str, str | None]] = {
    "registrationNumber": ("Registration Number", None),
    "taxNumber": ("Tax ID No.", None),
    "vatCode": ("V.A.T. Number", None),
    "innCode": ("INN", "RU"),
    "ogrnCode": ("OGRN", "RU"),
    "okpoCode": ("OKPO", None),
    "leiCode": ("LEI", None),
    "swiftBic": ("SWIFT/BIC", None),
    "idNumber": ("National ID No.", None),
    "passportNumber": ("Passport", None),
    "imoNumber": ("IMO", None),
    "mmsi": ("MMSI", None),
    "callSign": ("Call Sign", None),
    "uniqueEntityId": ("SAM UEI", None),
}

#: Country properties; all go to ``Entry.countries``, these to ``Entry.nationalities``.
NATIONALITY_PROPERTIES = ("nationality", "citizenship")
COUNTRY_PROPERTIES = ("country", *NATIONALITY_PROPERTIES, "jurisdiction")

#: The trade.gov CSL dataset, whose Sanction entities carry the Entity List's facts.
CSL_DATASET = "us_trade_csl"
#: Dataset name prefixes of enrichments and annotations, which are not lists.
AUXILIARY_DATASET_PREFIXES = ("ext_", "ann_")
#: Schemas whose entities become :class:`~entityscreen.model.Identifier` values of their
#: ``holder``.
ID_SCHEMAS = frozenset({"Identification", "Passport"})
_VERSION_DIR = re.compile(r"^(\d{4})(\d{2})(\d{2})\d{6}(?:-[0-9a-z]+)?$")


# --- values -------------------------------------------------------------------------------


def clean_values(values: Iterable[str | None]) -> list[str]:
    """Whitespace-collapsed non-blank values, first occurrence of each, in order."""
    return list(dict.fromkeys(c for c in map(clean, values) if c))


def normalize_country(value: str) -> str | None:
    """An FtM country code as ISO 3166-1 alpha-2.

    FtM codes are lower-case ISO (``"by"``) plus a few of its own for historical or
    disputed places (``"suhh"``, ``"ge-ab"``) and ``"zz"`` for "global"; those are
    dropped, not guessed.

    Args:
        value: The FtM code.

    Returns:
        The upper-case two-letter code, or None.
    """
    code = value.strip()
    if len(code) == 2 and code.isascii() and code.isalpha() and code.lower() != "zz":
        return code.upper()
    return None


def normalize_countries(values: Iterable[str]) -> list[str]:
    """The ISO codes of FtM country values (see :func:`normalize_country`), distinct."""
    return clean_values(normalize_country(v) for v in values)


def normalize_date(value: str) -> str:
    """An FtM date or timestamp as an ISO date; as published when it does not parse."""
    return parse_date(value) or value


def normalize_dates(values: Iterable[str]) -> list[str]:
    """The ISO dates of cleaned FtM date values, distinct."""
    return clean_values(normalize_date(v) for v in values)


def select_list(datasets: Iterable[str]) -> str:
    """The list code of an entry: its first list dataset in sorted order.

    Args:
        datasets: The entity's datasets.

    Returns:
        The first dataset that is not an enrichment or annotation (or, when all are,
        the first of them); ``"opensanctions"`` when there is none.
    """
    names = sorted(set(datasets))
    lists = [d for d in names if not d.startswith(AUXILIARY_DATASET_PREFIXES)]
    return (lists or names or [SOURCE])[0]


def parse_version_date(path: Path) -> str | None:
    """The publication date in an OpenSanctions version folder name.

    Args:
        path: A file inside a folder such as ``20240527194702-wnk``.

    Returns:
        ``"2024-05-27"``, or None when the folder is not named after a version.
    """
    m = _VERSION_DIR.match(path.parent.name)
    return parse_date(f"{m.group(1)}-{m.group(2)}-{m.group(3)}") if m else None


def export_dataset(datasets: Iterable[Iterable[str]]) -> str:
    """The dataset an entities file exports, from its targets' datasets: the one list
    dataset (not ``ext_*``/``ann_*``) they all belong to when there is exactly one in the
    file (an ``eu_fsf`` export), else "" (a collection such as ``sanctions`` names each
    entity's member datasets, never itself).

    Args:
        datasets: The datasets of each target.
    """
    found = {d for ds in datasets for d in ds if not d.startswith(AUXILIARY_DATASET_PREFIXES)}
    return found.pop() if len(found) == 1 else ""


def dataset_in_path(location: str) -> str:
    """The dataset a file's folders name: the nearest folder (or URL path segment) that is
    not a version (``20240527194702-wnk``) or ``latest``, as ``[a-z0-9_]``; OpenSanctions
    publishes ``datasets/latest/{dataset}/entities.ftm.json``. "" when there is none.

    Args:
        location: The file's path or URL.
    """
    for part in reversed(re.split(r"[/\\]", location)[:-1]):
        if not part or part == "latest" or part.endswith(":") or _VERSION_DIR.match(part):
            continue
        name = re.sub(r"[^a-z0-9_]+", "_", part.lower()).strip("_")
        if name:
            return name
    return ""


def parse_percent(value: str | None) -> float | None:
    """A share percentage as a float (``"49"``, ``"50.5"``, ``"51%"``, ``"12,5"``).

    Args:
        value: An FtM ``percentage`` value.

    Returns:
        The percentage, or None when absent or not a number from 0 to 100.
    """
    if not value:
        return None
    try:
        percent = float(value.rstrip("%").strip().replace(",", "."))
    except ValueError:
        return None
    return percent if 0.0 <= percent <= 100.0 else None
