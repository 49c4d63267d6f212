"""Statutory and country flags: Section 889 covered companies and embargoed destinations.

Section 889 (``data/section889.yml``)
    Pub. L. 115-232 § 889 bars federal procurement of telecommunications and video
    surveillance equipment produced by Huawei, ZTE, Hytera, Hikvision and Dahua "(or any
    subsidiary or affiliate of such entities)". :func:`section889_flags` flags a party
    whose name identifies one of them (:func:`match_covered_company`), and, given an
    ownership graph, a party owned 50% or more in aggregate by parties whose names do
    (rule ``ndaa_889_affiliates``; the 50% threshold is a screening choice, the statute
    sets none).

Embargoed destinations (``data/embargoes.yml``)
    Cuba, Iran, North Korea and Syria by country, and the Crimea region and the so-called
    DNR and LNR regions of Ukraine by place names in the address text (Latin and Cyrillic
    spellings), whatever the country code (UA, RU or none). A destination is flagged only
    while one of its regimes is in force on the as-of date; the flag names the regimes.

Names are matched with this module's own small normalisation (NFKD, accents and
punctuation removed, casefold, split into words), not with :mod:`entityscreen.names`:
this layer depends on the model only, and flags must not move when the matcher's
normalisation is tuned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from ._data import load_data, read_date, read_mapping, read_strings
from .ownership import OwnershipGraph, aggregate_ownership, format_percent
from .rules import get_rule

#: Listing code given to Section 889 covered companies in the ownership graph.
NDAA889 = "NDAA889"

_WORD = re.compile(r"\w+")
_APOSTROPHES = re.compile(r"['’ʼ`´]")


@dataclass(frozen=True, slots=True)
class Flag:
    """A statutory or country flag on a party.

    Attributes:
        code: ``"NDAA889"`` or ``"EMBARGO"``.
        id: What was found: a company key (``"huawei"``) or a destination (``"crimea"``).
        title: What it means, in words.
        reason: The evidence ("name 'Huawei Device Co.' contains 'huawei'", "address
            mentions 'Sevastopol'", "owned 60% by ...").
        citations: The legal basis.
        basis: ``"name"``, ``"ownership"``, ``"country"`` or ``"address"``.
    """

    code: str
    id: str
    title: str
    reason: str
    citations: tuple[str, ...]
    basis: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "code": self.code,
            "id": self.id,
            "title": self.title,
            "reason": self.reason,
            "citations": list(self.citations),
            "basis": self.basis,
        }


def normalize_words(text: str) -> list[str]:
    """``text`` as casefolded words without accents or punctuation ("Hik-Vision" ->
    ``["hik", "vision"]``; "Luhans'k" -> ``["luhansk"]``)."""
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(stripped.casefold().replace("_", " "))


# --- Section 889 --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CoveredCompany:
    """A Section 889 covered company and how its names are recognised.

    Attributes:
        key: Its key in the data file ("huawei").
        name: Its name in the statute.
        equipment: What equipment the statute covers.
        token_sets: Word sets; a name with every word of one set matches.
        compact: Strings matched in the name with spaces and punctuation removed.
        native: Strings matched in the original name (Chinese script).
    """

    key: str
    name: str
    equipment: str
    token_sets: tuple[frozenset[str], ...]
    compact: tuple[str, ...]
    native: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Section889:
    """The statute's citation, dates and covered companies (``data/section889.yml``)."""

    statute: str
    title: str
    regulation: str
    effective_from: date | None
    companies: tuple[CoveredCompany, ...]


@cache
def load_section889() -> Section889:
    """The Section 889 data."""
    data = read_mapping(load_data("section889.yml"), where="section889.yml")
    companies = []
    for key, raw in read_mapping(data["companies"], where="section889.yml").items():
        item = read_mapping(raw, where=f"section889.yml companies.{key}")
        where = f"section889.yml companies.{key}"
        companies.append(
            CoveredCompany(
                key=key,
                name=str(item["name"]),
                equipment=str(item.get("equipment", "")),
                token_sets=tuple(
                    frozenset(w for t in read_strings(s, where=where) for w in normalize_words(t))
                    for s in item.get("token_sets") or []
                ),
                compact=read_strings(item.get("compact"), where=where),
                native=read_strings(item.get("native"), where=where),
            )
        )
    starts = [
        read_date(read_mapping(p, where="section889.yml effective")["from"], where="effective")
        for p in data.get("effective") or []
    ]
    dated = [d for d in starts if d]
    return Section889(
        statute=str(data["statute"]),
        title=str(data["title"]),
        regulation=str(data.get("regulation", "")),
        effective_from=min(dated) if dated else None,
        companies=tuple(companies),
    )


def match_covered_company(name: str) -> tuple[CoveredCompany, str] | None:
    """The Section 889 company a name identifies, and what matched.

    Args:
        name: A party or entry name in any script.

    Returns:
        ``(company, matched text)`` or None.
    """
    words = normalize_words(name)
    word_set = set(words)
    squashed = "".join(words)
    for company in load_section889().companies:
        for token_set in company.token_sets:
            if token_set and token_set <= word_set:
                return company, " ".join(sorted(token_set))
        for text in company.compact:
            if text in squashed:
                return company, text
        for text in company.native:
            if text in name:
                return company, text
    return None


def section889_flags(
    names: Sequence[str],
    *,
    as_of: date,
    target_id: str | None = None,
    graph: OwnershipGraph | None = None,
) -> list[Flag]:
    """Section 889 flags for a party: by its names, and by ownership.

    Args:
        names: The party's names (primary and aliases).
        as_of: The date: no flag before the statute's first prohibition took effect
            (2019-08-13); ownership edges dated later are ignored.
        target_id: The party's id in ``graph``, to look for covered owners.
        graph: Ownership edges; covered companies are the nodes whose names in
            ``graph.names`` match (:func:`match_covered_company`).

    Returns:
        At most one flag per covered company found by name, and one for ownership.
    """
    data = load_section889()
    if data.effective_from and as_of < data.effective_from:
        return []
    citations = (data.statute, data.regulation)
    flags: list[Flag] = []
    seen: set[str] = set()
    for name in names:
        found = match_covered_company(name)
        if found and found[0].key not in seen:
            company, matched = found
            seen.add(company.key)
            flags.append(
                Flag(
                    code=NDAA889,
                    id=company.key,
                    title=f"Section 889 covered company: {company.name} ({company.equipment})",
                    reason=f"name {name!r} matches {company.name} ({matched!r})",
                    citations=citations,
                    basis="name",
                )
            )
    if graph is not None and target_id is not None:
        flag = _flag_889_ownership(graph, target_id, as_of, citations)
        if flag is not None:
            flags.append(flag)
    return flags


def _flag_889_ownership(
    graph: OwnershipGraph, target_id: str, as_of: date, citations: tuple[str, ...]
) -> Flag | None:
    covered = {
        node: found[0].key
        for node in graph.nodes()
        if node != target_id
        and node in graph.names
        and (found := match_covered_company(graph.names[node]))
    }
    if not covered:
        return None
    finding = aggregate_ownership(
        graph,
        target_id,
        listed={node: {NDAA889} for node in covered},
        rule=get_rule("ndaa_889_affiliates"),
        as_of=as_of,
    )
    if finding is None or not (finding.reaches_threshold or finding.undetermined):
        return None
    keys = sorted(
        {covered[p.owner_id] for p in finding.paths if p.owner_id in covered}
        | {covered[o] for o in finding.unknown_shares if o in covered}
    )
    state = (
        f"owned {format_percent(finding.total)}"
        if finding.reaches_threshold
        else "owned in an unknown share"
    )
    return Flag(
        code=NDAA889,
        id="affiliate" if not keys else "affiliate:" + "+".join(keys),
        title="Section 889: possible subsidiary or affiliate of a covered company",
        reason=f"{state} by covered companies: {finding.summary}",
        citations=citations,
        basis="ownership",
    )


# --- embargoed destinations ---------------------------------------------------------------


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
    country_key = " ".join(normalize_words(country)) if country else ""
    words = normalize_words(address) if address else []
    flags: list[Flag] = []
    for destination in load_destinations():
        regimes = [r for r in destination.regimes if r.is_in_force(as_of)]
        if not regimes:
            continue
        citations = tuple(f"{r.authority}: {r.citation}" for r in regimes)
        title = f"Embargoed destination: {destination.name}"
        if country_key and country_key in destination.countries:
            flags.append(
                Flag(
                    "EMBARGO", destination.key, title, f"country {country!r}", citations, "country"
                )
            )
            continue
        places = find_places(destination, words)
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
                )
            )
    return flags


__all__ = [
    "NDAA889",
    "CoveredCompany",
    "Destination",
    "Flag",
    "Regime",
    "Section889",
    "embargo_flags",
    "find_places",
    "load_destinations",
    "load_section889",
    "match_covered_company",
    "normalize_words",
    "section889_flags",
]
