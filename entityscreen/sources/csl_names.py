"""CSL names: "?" for apostrophes, affiliate and place tails, Federal Register wording.

Repairs of the quirks of the CSL's ``name`` and ``alt_names`` columns (:func:`clean_name`,
:func:`collect_names`). Separate because they are text rules of their own, tested on
their own (``tests/unit/sources/test_csl_names.py``), used by the entry building
(:mod:`.csl_entries`) and, for the leading "and ", by the address parser
(:mod:`.csl_fields`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Address, Name, NameKind

_APOSTROPHE = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])")
_AND = re.compile(r"^and\s+")


def fix_apostrophes(name: str) -> str:
    """Replace each "?" between two letters with "'" ("People?s" -> "People's")."""
    return _APOSTROPHE.sub("'", name) if "?" in name else name


#: "?" certainly an apostrophe: a possessive "?s" ("People?s", "(CAEP)?s") and the pinyin
#: syllable mark in place names ("Xi?an"). Elsewhere "?" also stands for quotes
#: ("OOO ?Gazprom?") or lost letters ("An?nima"), so the published name is kept.
_CERTAIN_APOSTROPHE = re.compile(
    r"(?<=[A-Za-z)])\?(?=s\b)|(?<=\bXi)\?(?=an\b)|(?<=\bYan)\?(?=an\b)"
)
_AFFILIATE = re.compile(r"^(?P<parent>.+?)\.?\s+Affiliated Entity:\s*(?P<name>.+)$")
_LEGAL_END = re.compile(
    r"^(?P<name>.+\b(?:Ltd|Co|Inc|LLC|Corp|Corporation|Company|Limited|Group))\.?,\s+"
    r"(?P<place>[A-Z][\w' -]*(?:,\s*[A-Z][\w' -]*)?)$"
)


@dataclass(frozen=True, slots=True)
class CleanName:
    """A CSL name with its quirks repaired (:func:`clean_name`).

    Attributes:
        name: The listed party's own name.
        parent: For "X. Affiliated Entity: Y" rows, X (Y is the name).
        place: A place the name ended with ("..., Xi'an, Shaanxi"), moved out of it.
    """

    name: str
    parent: str | None = None
    place: str | None = None


def clean_name(published: str, addresses: Iterable[Address] = ()) -> CleanName:
    """Repair a CSL name: "?" where it is certainly an apostrophe; "Huawei Technologies
    Co., Ltd. (Huawei). Affiliated Entity: Y" split into Y and its parent; a trailing
    place ("Xi'an Huawei Technologies Co., Ltd., Xi'an, Shaanxi") moved out of the name
    when it follows a legal form and its first part is in one of the entry's addresses.
    """
    text = _CERTAIN_APOSTROPHE.sub("'", published) if "?" in published else published
    parent = None
    if m := _AFFILIATE.match(text):
        parent, text = m["parent"].strip(), m["name"].strip()
    place = None
    if (m := _LEGAL_END.match(text)) is not None:
        first = m["place"].split(",")[0].strip().casefold()
        where = " ".join(fix_apostrophes(a.full).casefold() for a in addresses)
        if first and first in where:
            text, place = m["name"] + ("." if text[len(m["name"])] == "." else ""), m["place"]
    return CleanName(text.strip(), parent, place)


def strip_and(text: str) -> str:
    """Remove the Federal Register's leading "and " ("and JSC 140 Repair Plant")."""
    return _AND.sub("", text).strip() if text.startswith("and") else text.strip()


_QUALIFIER = re.compile(
    r"[;,]?\s*(?:and\s+)?any\s+successors?,?\s+sub-?units?,?\s+or\s+subsidiar(?:y|ies)"
    r"\s+thereof\.?\s*$",
    re.IGNORECASE,
)


def strip_qualifier(name: str) -> str:
    """Drop the State Department's legal tail ("; and any successor, sub-unit, or
    subsidiary thereof") that ISN rows carry inside the name itself."""
    return _QUALIFIER.sub("", name).strip()


def collect_names(primary: str, aliases: Iterable[str]) -> tuple[Name, ...]:
    """The primary name and aliases, with "and " prefixes removed and "?" fixed.

    Args:
        primary: The ``name`` column.
        aliases: The ``alt_names`` items.

    Returns:
        Names without duplicates, the primary first.
    """
    names: dict[str, Name] = {primary: Name(primary)}
    candidates = [fix_apostrophes(primary), strip_qualifier(primary)]
    for alias in aliases:
        alias = strip_and(alias)
        candidates += [alias, fix_apostrophes(alias)]
    for value in candidates:
        if value and value not in names:
            names[value] = Name(value, NameKind.AKA)
    return tuple(names.values())
