"""Comprehensively embargoed destinations and regions (``data/embargoes.yml``).

Cuba, Iran, North Korea and Syria by country, and the Crimea region and the so-called
DNR and LNR regions of Ukraine by place names in the address text (Latin and Cyrillic
spellings), whatever the country code (UA, RU or none). A destination is flagged only
while one of its regimes is in force on the as-of date; the flag names the regimes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from ._data import load_data, read_date, read_mapping, read_strings
from .flags_base import Flag, normalize_words


@dataclass(frozen=True, slots=True)
class Regime:
    """One legal basis of an embargo.

    Attributes:
        authority: "BIS" or "OFAC".
        citation: E.g. "15 CFR 746.6(a)(1)".
        effective_from: First day in force (None: not recorded, taken as always).
        effective_to: Last day in force (None: open).
        verified: False when the dates are not confirmed.
    """

    authority: str
    citation: str
    effective_from: date | None
    effective_to: date | None
    verified: bool

    def is_in_force(self, as_of: date) -> bool:
        """True when ``as_of`` is within the regime's dates."""
        return (self.effective_from is None or self.effective_from <= as_of) and (
            self.effective_to is None or as_of <= self.effective_to
        )


@dataclass(frozen=True, slots=True)
class Destination:
    """An embargoed country or region (see ``data/embargoes.yml``)."""

    key: str
    name: str
    countries: frozenset[str]
    prefixes: tuple[str, ...]
    words: frozenset[str]
    unless: frozenset[str]
    regimes: tuple[Regime, ...]


@cache
def load_destinations() -> tuple[Destination, ...]:
    """Every destination of ``data/embargoes.yml``."""
    data = read_mapping(load_data("embargoes.yml"), where="embargoes.yml")
    out = []
    for key, raw in read_mapping(data["destinations"], where="embargoes.yml").items():
        where = f"embargoes.yml destinations.{key}"
        item = read_mapping(raw, where=where)
        regimes = tuple(
            Regime(
                authority=str(r["authority"]),
                citation=str(r["citation"]),
                effective_from=read_date(r.get("effective_from"), where=where),
                effective_to=read_date(r.get("effective_to"), where=where),
                verified=bool(r.get("verified", False)),
            )
            for r in (read_mapping(x, where=where) for x in item.get("regimes") or [])
        )
        out.append(
            Destination(
                key=key,
                name=str(item["name"]),
                countries=frozenset(
                    " ".join(normalize_words(c))
                    for c in read_strings(item.get("countries"), where=where)
                ),
                prefixes=tuple(
                    w
                    for p in read_strings(item.get("prefixes"), where=where)
                    for w in normalize_words(p)
                ),
                words=frozenset(
                    w
                    for p in read_strings(item.get("words"), where=where)
                    for w in normalize_words(p)
                ),
                unless=frozenset(
                    w
                    for p in read_strings(item.get("unless"), where=where)
                    for w in normalize_words(p)
                ),
                regimes=regimes,
            )
        )
    return tuple(out)


def find_places(destination: Destination, words: Iterable[str]) -> list[str]:
    """The words of an address that name ``destination`` (empty when an ``unless``
    word is present)."""
    words = list(words)
    if destination.unless & set(words):
        return []
    return [
        w
        for w in words
        if w in destination.words or any(w.startswith(p) for p in destination.prefixes)
    ]


@lru_cache(maxsize=1024)
def _country_key(country: str) -> str:
    """A country as compared with a destination's countries (a batch repeats a few)."""
    return " ".join(normalize_words(country))


# Asked for every party and every listed address of a batch, on one day: what is in
# force on a day is read once per day (a pure function of the day and the loaded data).
@lru_cache(maxsize=64)
def _in_force(as_of: date) -> tuple[tuple[Destination, tuple[str, ...], str, bool], ...]:
    """``(destination, citations, title, verified)`` of every destination with a regime
    in force on ``as_of``, in file order."""
    out = []
    for destination in load_destinations():
        regimes = [r for r in destination.regimes if r.is_in_force(as_of)]
        if regimes:
            citations = tuple(f"{r.authority}: {r.citation}" for r in regimes)
            title = f"Embargoed destination: {destination.name}"
            out.append((destination, citations, title, all(r.verified for r in regimes)))
    return tuple(out)


def embargo_flags(country: str | None, address: str | None, *, as_of: date) -> list[Flag]:
    """Flags for comprehensively embargoed destinations and regions.

    Args:
        country: The party's country (ISO-2 code or name), if known.
        address: The party's address text, if known.
        as_of: The date: a destination is flagged only while one of its regimes is in
            force.

    Returns:
        One flag per destination found, by country first, else by address.
    """
    country_key = _country_key(country) if country else ""
    words = normalize_words(address) if address else []
    flags: list[Flag] = []
    if not country_key and not words:
        return flags  # nothing to find a destination in (most parties of a batch)
    for destination, citations, title, verified in _in_force(as_of):
        if country_key and country_key in destination.countries:
            flags.append(
                Flag(
                    "EMBARGO",
                    destination.key,
                    title,
                    f"country {country!r}",
                    citations,
                    "country",
                    verified=verified,
                )
            )
            continue
        places = find_places(destination, words) if words else []
        if places:
            shown = ", ".join(dict.fromkeys(places))
            where = f" (country {country})" if country else ""
            flags.append(
                Flag(
                    "EMBARGO",
                    destination.key,
                    title,
                    f"address mentions {shown!r}{where}",
                    citations,
                    "address",
                    verified=verified,
                )
            )
    return flags


__all__ = ["Destination", "Regime", "embargo_flags", "find_places", "load_destinations"]
