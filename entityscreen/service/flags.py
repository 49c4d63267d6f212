"""The statutory and country flags of a screened party, from everything the service knows
of it: its names (Section 889 companies and their known affiliates), its ownership
(Section 889 affiliates by ownership), its country and address, and the addresses of
the listed entries it matches (embargoed destinations, the Russia and Belarus sanctions,
Country Groups D:5, E:1, E:2).

A listed entry's own address counts because the party is, if the hit is right, that
entry: an exporter screening "JSC Mikron" with no country still learns that the listed
Mikron sits in Russia. Such flags say which entry they come from (basis
``"listed address"``), so that an analyst who clears the hit also discounts them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from ..exportcontrol import Flag, OwnershipGraph, embargo_flags, section889_flags
from ..exportcontrol.destinations import Place, country_control_flags
from ..model import Party
from ..results import Hit
from ..sources.countries import to_code
from .view import ListView

_DIGITS = re.compile(r"[\d\-]+")


def address_country(address: str | None) -> str | None:
    """The country an address names in its last part ("Tverskaya 1, Moscow, Russia" ->
    ``"RU"``), or None. Only the last comma-separated part (postal codes dropped) is
    read: earlier parts hold streets and states ("Georgia", "Jordan Road") that name
    countries by accident."""
    if not address:
        return None
    last = _DIGITS.sub(" ", address.rsplit(",", 1)[-1]).strip()
    return to_code(last) if last else None


def party_flags(
    view: ListView,
    party: Party,
    hits: Sequence[Hit],
    *,
    day: date,
    nodes: Sequence[str],
    graph: OwnershipGraph | None,
) -> list[Flag]:
    """Every flag of ``party`` on ``day``, each once.

    Args:
        view: The list view the hits come from (for the entries' addresses).
        party: The screened party.
        hits: Its hits (listed entries it matches at the threshold).
        day: The date flags are read on.
        nodes: The party's ids in the ownership graph.
        graph: The ownership graph.
    """
    flags = embargo_flags(party.country, party.address, as_of=day)
    places: list[Place] = []
    if party.country and (code := to_code(party.country)):
        places.append(Place(code, "country", f"country {party.country!r}"))
    if (code := address_country(party.address)) is not None:
        places.append(Place(code, "address", f"address {party.address!r}"))
    for hit in hits:
        entry = view.entry(hit.match.entry_id)
        who = f"listed entry {hit.match.listed_name!r} ({hit.match.list})"
        for address in entry.addresses:
            code = address.country or address_country(address.full)
            if code:
                places.append(Place(code, "listed address", f"{who}, address in {code}"))
            for flag in embargo_flags(address.country, address.full, as_of=day):
                flags.append(
                    replace(flag, reason=f"{who}: {flag.reason}", basis="listed address")
                )
    flags.extend(country_control_flags(places, as_of=day))
    names = [party.name, *party.aliases]
    targets: list[str | None] = [*nodes] or [None]
    for target in targets:
        flags.extend(section889_flags(names, as_of=day, target_id=target, graph=graph))
    return _once(flags)


def _once(flags: list[Flag]) -> list[Flag]:
    """The first flag of each code and id (a destination found by the party's country
    is not repeated for each listed address that names it too)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for flag in flags:
        if (flag.code, flag.id) not in seen:
            seen.add((flag.code, flag.id))
            out.append(flag)
    return out


__all__ = ["address_country", "party_flags"]
