"""Single values of OFAC's files, spelled alike by every OFAC module and the UN adapter.

The ``-0-`` empty marker (:func:`clean_field`), dates (:func:`normalize_date`: ISO when
they parse, ``circa`` and ``X to Y`` kept with ISO dates inside), address texts
(:func:`format_address_text`) and an entry's countries (:func:`collect_countries`).
They sit apart from :mod:`entityscreen.sources.ofac_rows` (file rows) and
:mod:`entityscreen.sources.ofac_remarks` (remarks and programs) because both use them;
:mod:`entityscreen.sources.un` imports the last three through
:mod:`entityscreen.sources.ofac`, which re-exports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Address
from .base import clean, parse_date

#: The empty-value marker, after stripping its trailing space.
EMPTY = "-0-"

_DATE_RANGE = re.compile(r"^(.+?)\s+to\s+(.+)$")
_CIRCA = re.compile(r"^circa\s+(.+)$", re.IGNORECASE)


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


def clean_field(value: str | None) -> str | None:
    """A cleaned field value, None for blanks and the ``-0-`` marker."""
    return clean(value, empty=(EMPTY,))


__all__ = ["EMPTY", "clean_field", "collect_countries", "format_address_text", "normalize_date"]
