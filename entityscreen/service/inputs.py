"""What every front end's input goes through before screening (issue #14): one country
resolver for codes and names alike, and list codes checked against the lists loaded.

The CLI, the API, the web UI and batch rows all reach the service with what the user
typed ("China", "CN", "U.S.A.", "中国"); the matcher compares ISO codes, so a name left as
typed counted as a country *mismatch*. Resolving here, once, means no front end can
forget it, and an unknown country or list code is an error naming what is valid instead
of a silent non-answer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from ..errors import InputError
from ..model import Party
from ..sources.countries import to_code
from .view import ListView


def resolve_country(value: str | None) -> str | None:
    """The ISO 3166 code for a country code or name in any script ("China", "cn",
    "U.S.A.", "中国" -> "CN"); None for no value.

    Raises:
        InputError: When the value names no country.
    """
    if value is None or not value.strip():
        return None
    code = to_code(value) or to_code(value.replace(".", ""))
    if code is None:
        shown = value if len(value) <= 60 else value[:59] + "…"
        raise InputError(
            f"unknown country {shown!r}: give an ISO 3166 code (CN) or a country name (China)"
        )
    return code


def resolve_party(party: Party) -> Party:
    """``party`` with its country as an ISO code (see :func:`resolve_country`)."""
    code = resolve_country(party.country)
    return party if code == party.country else replace(party, country=code)


def known_lists(view: ListView) -> set[str]:
    """The list codes of the lists the view holds ("EL", "SDN", ...)."""
    return {code for state in view.source_states().values() for code in state.lists}


def check_lists(lists: Collection[str] | None, view: ListView) -> set[str] | None:
    """List codes as given ("el, SDN") as the matcher takes them; None for every list.

    Raises:
        InputError: For a code no loaded list has, naming the codes there are.
    """
    if not lists:
        return None
    wanted = {x.strip().upper() for x in lists if x.strip()}
    known = known_lists(view)
    unknown = sorted(wanted - known)
    if unknown:
        raise InputError(
            f"unknown list code{'s' if len(unknown) > 1 else ''} {', '.join(unknown)};"
            f" the lists loaded are {', '.join(sorted(known)) or 'none'}"
        )
    return wanted or None


__all__ = ["check_lists", "known_lists", "resolve_country", "resolve_party"]
