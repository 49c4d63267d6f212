"""Statutory and country flags: Section 889 covered companies and embargoed destinations.

Section 889 (``data/section889.yml``)
    Pub. L. 115-232 § 889 bars federal procurement of telecommunications and video
    surveillance equipment produced by Huawei, ZTE, Hytera, Hikvision and Dahua "(or any
    subsidiary or affiliate of such entities)". :func:`section889_flags` flags a party
    whose name identifies one of them (:func:`match_covered_company`), and, given an
    ownership graph, a party owned 50% or more in aggregate by parties whose names do
    (rule ``ndaa_889_affiliates``; the 50% threshold is a screening choice, the statute
    sets none).

Embargoed destinations (``data/embargoes.yml``, :mod:`.embargoes`) and country controls
(``data/country_controls.yml``, :mod:`.destinations`) live in modules of their own; their
names are re-exported here. :class:`Flag` and the word normalisation are in
:mod:`.flags_base`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from ._data import DataFileError, load_data, read_date, read_mapping, read_strings
from .embargoes import Destination, Regime, embargo_flags, find_places, load_destinations
from .flags_base import Flag, normalize_words
from .ownership import OwnershipGraph, aggregate_ownership, format_percent
from .rules import get_rule

#: Listing code given to Section 889 covered companies in the ownership graph.
NDAA889 = "NDAA889"


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
class KnownAffiliate:
    """A subsidiary, affiliate or brand of a covered company known by name, so that it is
    flagged without ownership data (EZVIZ of Hikvision, Lorex of Dahua, ...).

    Attributes:
        key: Its key in the data file.
        of: The covered company's key.
        name: Its name.
        relation: How it is related, as the data's source says (with dates if known).
        source: Where the relation comes from.
        token_sets, compact, native: How its names are recognised (as for
            :class:`CoveredCompany`).
        since, until: When the relation held (inclusive; None = open).
        verified: False when the relation was not checked against a primary source.
    """

    key: str
    of: str
    name: str
    relation: str
    source: str
    token_sets: tuple[frozenset[str], ...]
    compact: tuple[str, ...]
    native: tuple[str, ...]
    since: date | None
    until: date | None
    verified: bool


@dataclass(frozen=True, slots=True)
class Section889:
    """The statute's citation, dates, covered companies and their known affiliates
    (``data/section889.yml``)."""

    statute: str
    title: str
    regulation: str
    effective_from: date | None
    companies: tuple[CoveredCompany, ...]
    affiliates: tuple[KnownAffiliate, ...] = ()

    def company(self, key: str) -> CoveredCompany:
        return next(c for c in self.companies if c.key == key)


def _token_sets(item: dict[str, object], where: str) -> tuple[frozenset[str], ...]:
    raw = item.get("token_sets") or []
    assert isinstance(raw, list), where
    return tuple(
        frozenset(w for t in read_strings(s, where=where) for w in normalize_words(t))
        for s in raw
    )


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
                token_sets=_token_sets(item, where),
                compact=read_strings(item.get("compact"), where=where),
                native=read_strings(item.get("native"), where=where),
            )
        )
    keys = {c.key for c in companies}
    affiliates = []
    for key, raw in read_mapping(data.get("affiliates") or {}, where="section889.yml").items():
        where = f"section889.yml affiliates.{key}"
        item = read_mapping(raw, where=where)
        if item["of"] not in keys:
            raise DataFileError(f"{where}: 'of' names no covered company: {item['of']!r}")
        affiliates.append(
            KnownAffiliate(
                key=key,
                of=str(item["of"]),
                name=str(item["name"]),
                relation=str(item["relation"]),
                source=str(item.get("source") or ""),
                token_sets=_token_sets(item, where),
                compact=read_strings(item.get("compact"), where=where),
                native=read_strings(item.get("native"), where=where),
                since=read_date(item.get("from"), where=where),
                until=read_date(item.get("to"), where=where),
                verified=bool(item.get("verified", False)),
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
        affiliates=tuple(affiliates),
    )


def match_covered_company(name: str) -> tuple[CoveredCompany, str] | None:
    """The Section 889 company a name identifies, and what matched.

    Args:
        name: A party or entry name in any script.

    Returns:
        ``(company, matched text)`` or None.
    """
    words = _words(name)
    if not _may_match(name, words):
        return None
    for company in load_section889().companies:
        matched = _recognise(name, words, company.token_sets, company.compact, company.native)
        if matched is not None:
            return company, matched
    return None


def match_known_affiliate(name: str, *, as_of: date) -> tuple[KnownAffiliate, str] | None:
    """The known subsidiary or affiliate of a covered company that a name identifies on
    ``as_of`` (one whose relation held on that day), and what matched."""
    words = _words(name)
    if not _may_match(name, words):
        return None
    for affiliate in load_section889().affiliates:
        if (affiliate.since and as_of < affiliate.since) or (
            affiliate.until and as_of > affiliate.until
        ):
            continue
        matched = _recognise(
            name, words, affiliate.token_sets, affiliate.compact, affiliate.native
        )
        if matched is not None:
            return affiliate, matched
    return None


# A name is tried against every covered company and affiliate: its words are found once
# (the last few names kept: a party's names are looked up by both functions in turn).
@lru_cache(maxsize=256)
def _words(name: str) -> tuple[frozenset[str], str]:
    """The set of ``name``'s normalised words, and those words without spaces."""
    words = normalize_words(name)
    return frozenset(words), "".join(words)


@cache
def _any_889() -> tuple[frozenset[str], re.Pattern[str], re.Pattern[str]]:
    """Every word of any token set, and patterns of every compact and every native
    string, of all covered companies and known affiliates."""
    data = load_section889()
    known: tuple[CoveredCompany | KnownAffiliate, ...] = (*data.companies, *data.affiliates)
    words = frozenset(w for k in known for t in k.token_sets for w in t)

    def either(texts: set[str]) -> re.Pattern[str]:
        # Longest first is not needed: only whether any occurs is asked. "(?!)" never
        # matches (no strings of that kind).
        return re.compile("|".join(map(re.escape, sorted(texts))) or "(?!)")

    compact = either({c for k in known for c in k.compact})
    native = either({n for k in known for n in k.native})
    return words, compact, native


def _may_match(name: str, words: tuple[frozenset[str], str]) -> bool:
    """False when no covered company or affiliate can match ``name`` (none of their words
    in it, nor any of their compact or native strings): almost every party of a batch
    is then rejected in three checks instead of being tried against each."""
    token_words, compact, native = _any_889()
    word_set, squashed = words
    return bool(
        not word_set.isdisjoint(token_words) or compact.search(squashed) or native.search(name)
    )


def _recognise(
    name: str,
    words: tuple[frozenset[str], str],
    token_sets: tuple[frozenset[str], ...],
    compact: tuple[str, ...],
    native: tuple[str, ...],
) -> str | None:
    """What of ``name`` matches (``words``: its :func:`_words`): every word of a token set,
    a compact string in the name without spaces and punctuation, or a native string in the
    name as written."""
    word_set, squashed = words
    for token_set in token_sets:
        if token_set and token_set <= word_set:
            return " ".join(sorted(token_set))
    for text in compact:
        if text in squashed:
            return text
    for text in native:
        if text in name:
            return text
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
    for name in names:
        known = match_known_affiliate(name, as_of=as_of)
        if known and known[0].key not in seen and known[0].of not in seen:
            affiliate, matched = known
            seen.add(affiliate.key)
            company = data.company(affiliate.of)
            source = f"; source: {affiliate.source}" if affiliate.source else ""
            flags.append(
                Flag(
                    code=NDAA889,
                    id=f"affiliate:{affiliate.of}:{affiliate.key}",
                    title=f"Section 889: subsidiary or affiliate of {company.name}",
                    reason=f"name {name!r} matches {affiliate.name} ({matched!r}), "
                    f"{affiliate.relation}{source}",
                    citations=citations,
                    basis="name",
                    verified=affiliate.verified,
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


__all__ = [
    "NDAA889",
    "CoveredCompany",
    "Destination",
    "Flag",
    "KnownAffiliate",
    "Regime",
    "Section889",
    "embargo_flags",
    "find_places",
    "load_destinations",
    "load_section889",
    "match_covered_company",
    "match_known_affiliate",
    "normalize_words",
    "section889_flags",
]
