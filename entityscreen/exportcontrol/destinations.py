"""Country controls of a destination (``data/country_controls.yml``): the Russia and
Belarus sanctions of 15 CFR 746.8 and the Country Groups D:5, E:1 and E:2 of Supplement
No. 1 to part 740.

A destination is a country code with where it came from (:class:`Place`): the country the
user gave for the party, a country named in the party's address, or the country of an
address of a listed entry the party matches. :func:`country_control_flags` gives one flag
per control and country, naming every place that led to it, what the control means for an
export (``Flag.applies``) and whether its data were checked against the published text
(``Flag.verified``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from ._data import load_data, read_date, read_mapping
from .flags_base import Flag


@dataclass(frozen=True, slots=True)
class Place:
    """A destination country and where it was found.

    Attributes:
        country: ISO 3166-1 alpha-2 code, upper case.
        basis: ``"country"``, ``"address"`` or ``"listed address"``.
        evidence: What it was found in, for the flag's reason ("country 'Russia'",
            "listed entry 'JSC X' (SDN), address in RU").
    """

    country: str
    basis: str
    evidence: str


@dataclass(frozen=True, slots=True)
class Membership:
    """A country's membership of a control: dates (inclusive, None = open), the rule
    that made it (if recorded) and whether that was checked."""

    since: date | None
    until: date | None
    rule: str
    verified: bool

    def holds_on(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )


@dataclass(frozen=True, slots=True)
class CountryControl:
    """One control of ``data/country_controls.yml``."""

    key: str
    code: str
    title: str
    citation: str
    members: Mapping[str, Membership]
    applies: tuple[str, ...]
    applies_verified: bool
    alerts: bool


@cache
def load_country_controls() -> tuple[CountryControl, ...]:
    """Every control of the data file, in file order."""
    name = "country_controls.yml"
    data = read_mapping(load_data(name), where=name)
    out = []
    for key, raw in read_mapping(data["controls"], where=name).items():
        where = f"{name} controls.{key}"
        item = read_mapping(raw, where=where)
        members = {}
        for code, value in read_mapping(item["members"], where=where).items():
            member = read_mapping(value or {}, where=f"{where}.members.{code}")
            members[str(code).upper()] = Membership(
                since=read_date(member.get("from"), where=where),
                until=read_date(member.get("to"), where=where),
                rule=str(member.get("rule") or ""),
                verified=bool(member.get("verified", False)),
            )
        applies = [read_mapping(a, where=f"{where}.applies") for a in item.get("applies") or []]
        out.append(
            CountryControl(
                key=str(key),
                code=str(item["code"]),
                title=str(item["title"]),
                citation=str(item["citation"]),
                members=members,
                applies=tuple(
                    f"{a['what']}: {' '.join(str(a['text']).split())} ({a['citation']})"
                    for a in applies
                ),
                applies_verified=all(bool(a.get("verified", False)) for a in applies),
                alerts=bool(item.get("alerts", True)),
            )
        )
    return tuple(out)


def country_control_flags(places: Iterable[Place], *, as_of: date) -> list[Flag]:
    """The country-control flags of a party's destinations on ``as_of``.

    Args:
        places: Destinations found for the party (its country, its address, the
            addresses of listed entries it matches), in the order to show them.
        as_of: The date memberships are read on.

    Returns:
        One flag per control and country, its reason naming every place that led to it;
        the flag's basis is that of the first place.
    """
    by_country: dict[str, list[Place]] = {}
    for place in places:
        found = by_country.setdefault(place.country.upper(), [])
        if all(p.evidence != place.evidence for p in found):
            found.append(place)
    flags: list[Flag] = []
    for control in load_country_controls():
        for country, found in by_country.items():
            member = control.members.get(country)
            if member is None or not member.holds_on(as_of):
                continue
            since = f" since {member.since.isoformat()}" if member.since else ""
            rule = f"; {member.rule}" if member.rule else ""
            shown = "; ".join(p.evidence for p in found)
            flags.append(
                Flag(
                    code=control.code,
                    id=f"{control.key}:{country}",
                    title=control.title,
                    reason=f"{country} is a member{since}{rule} ({shown})",
                    citations=(control.citation,),
                    basis=found[0].basis,
                    applies=control.applies,
                    verified=member.verified and control.applies_verified,
                    alerts=control.alerts,
                )
            )
    return flags


__all__ = [
    "CountryControl",
    "Membership",
    "Place",
    "country_control_flags",
    "load_country_controls",
]
