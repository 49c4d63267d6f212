"""Ownership: the stored ownership graph, which owners are listed (now or on a date), and
the 50%-rule findings for a party or an entry, as methods of
:class:`~entityscreen.service.Screener`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, NotFoundError
from ..exportcontrol import (
    OwnershipEdge,
    OwnershipFinding,
    OwnershipGraph,
    OwnershipPath,
    Rule,
    aggregate_ownership,
    get_rule,
    listing_status,
)
from ..exportcontrol.affiliates import OwnerResolution, affiliate_terms
from ..model import Actor, Ownership, Party, ownership_key
from ..store import SqlStore
from .owner_resolution import (
    OWNER_MATCH_THRESHOLD,
    identifier_map,
    identifier_value,
    resolve_owner,
)

if TYPE_CHECKING:
    from .view import ListView

#: Ownership rules checked for every party and every hit (``exportcontrol/data/rules.yml``);
#: Section 889 affiliates are checked through :func:`section889_flags`.
OWNERSHIP_RULES = ("ofac_50", "bis_affiliates")


class OwnershipMixin:
    """The ownership methods of :class:`~entityscreen.service.Screener`."""

    store: SqlStore
    _clock: Callable[[], datetime]
    operator: Actor

    # Provided by Screener: declared here for the type checker.
    def view(self) -> ListView:
        raise NotImplementedError

    def import_ownership(self, path: Path, *, source: str | None = None) -> int:
        """Read an ownership file (CSV or FtM, see :mod:`entityscreen.sources.ownership`)
        and replace the edges of its source (default: the file's name) in one transaction.

        The store's ownership version changes with it, so every Screener (this one, a
        running server's) answers from a view with the new edges from its next request.

        Returns:
            The number of edges stored.
        """
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        from ..sources.ownership import read_ownership

        edges = read_ownership(path)
        label = source or path.name
        return self.store.replace_ownership(
            label,
            [replace(e, source=label) for e in edges],
            imported_at=self._clock().isoformat(timespec="seconds"),
            actor=self.operator,
        )

    def ownership_graph(self) -> OwnershipGraph:
        """Every stored ownership edge as a graph, with display names (read once per view
        of the lists)."""
        return self.view().graph

    def listed_owners(self) -> dict[str, frozenset[str]]:
        """Listing codes of every ownership node that is, or resolves to, a listed entry.

        A node that is an entry id counts with that entry's codes; an LEI or prefixed
        identifier with the codes of every entry holding it; a node known only by name
        with the codes of every entry, on every list, its name meets at the strict owner
        bar (:mod:`.owner_resolution`).
        """
        return self.view().listed_owners

    def listed_owners_as_of(self, day: date) -> dict[str, frozenset[str]]:
        """:meth:`listed_owners` less the owners whose entry was not listed on ``day``
        (by the entry's own dates and the snapshot history, as ``screen --as-of`` decides
        for a match): an owner added to the SDN list in 2024 did not make its subsidiary
        blocked in 2023."""
        return _listed_owners_as_of(self.view(), day)

    def ownership_around(self, node: str, *, view: ListView | None = None) -> list[dict[str, Any]]:
        """The ownership edges around one node: its owners (and theirs), and what it owns
        (in ``view``, default :meth:`view`).

        Each edge: owner and owned id and name, share, and the owner's listing codes.
        """
        view = view or self.view()
        graph = view.graph
        if not graph.edges:
            return []
        listed = view.listed_owners
        chosen = []
        frontier, seen = [node], {node}
        for _ in range(2):  # owners and owners' owners
            nxt = []
            for target in frontier:
                for edge in graph.owners_of(target):
                    chosen.append(edge)
                    if edge.owner_id not in seen:
                        seen.add(edge.owner_id)
                        nxt.append(edge.owner_id)
            frontier = nxt
        chosen.extend(e for e in graph.edges if e.owner_id == node)
        return [
            {
                "owner_id": e.owner_id,
                "owner_name": graph.name(e.owner_id),
                "owned_id": e.owned_id,
                "owned_name": graph.name(e.owned_id),
                "share": e.share,
                "owner_listed": sorted(listed.get(e.owner_id, ())),
            }
            for e in chosen
        ]

    def _party_nodes(self, view: ListView, party: Party) -> list[str]:
        """The ownership nodes that are this party: its own id, or its names."""
        graph = view.graph
        if not graph.edges:
            return []
        owned = {e.owned_id for e in graph.edges}
        nodes: list[str] = [party.id] if party.id and party.id in owned else []
        for name in (party.name, *party.aliases):
            for node in view.nodes_by_name.get(ownership_key(name), ()):
                if node in owned and node not in nodes:
                    nodes.append(node)
        return nodes

    def _owned_by_listed(
        self, view: ListView, node: str, day: date, *, past: bool = False
    ) -> tuple[OwnershipFinding, ...]:
        """The 50%-rule findings for one ownership node that call for attention; with
        ``past`` (an as-of screening), only owners listed on ``day`` count."""
        graph = view.graph
        if not graph.edges or not graph.owners_of(node):
            return ()
        listed = _listed_owners_as_of(view, day) if past else view.listed_owners
        out = []
        for rule_id in OWNERSHIP_RULES:
            finding = aggregate_ownership(
                graph, node, listed=listed, rule=get_rule(rule_id), as_of=day
            )
            if finding is not None and (finding.reaches_threshold or finding.undetermined):
                out.append(_explained(view, finding, get_rule(rule_id), day))
        return tuple(out)


def _path_nodes(paths: tuple[OwnershipPath, ...]) -> list[str]:
    out: list[str] = []
    for path in paths:
        out.append(path.owner_id)
        out.extend(_path_nodes(path.via))
    return out


def _leaves(paths: tuple[OwnershipPath, ...]) -> list[OwnershipPath]:
    out: list[OwnershipPath] = []
    for path in paths:
        out.extend([path] if path.listed else _leaves(path.via))
    return out


def _explained(
    view: ListView, finding: OwnershipFinding, rule: Rule, day: date
) -> OwnershipFinding:
    """``finding`` with how its owners were resolved and, when the rule applies, what the
    target inherits from its listed owners (issue #12): nothing is inherited on a day the
    rule is suspended, so nothing is stated then."""
    resolved = view.listed_entries
    nodes = dict.fromkeys([*_path_nodes(finding.paths), *finding.unknown_shares])
    owners = tuple(resolved[n] for n in nodes if n in resolved)
    inherits = None
    if finding.applies:
        terms = []
        for leaf in _leaves(finding.paths):
            resolution = resolved.get(leaf.owner_id)
            for item in resolution.entries if resolution else ():
                for code in sorted(set(item.codes) & set(leaf.listed)):
                    terms.append(
                        (leaf.owner_name, code, view.legal(view.entry(item.entry_id), on=day))
                    )
        inherits = affiliate_terms(rule, terms)
    return replace(finding, owners=owners, inherits=inherits)


def read_graph(view: ListView) -> tuple[OwnershipGraph, dict[str, list[str]]]:
    """Every stored ownership edge as a graph, with display names (an edge's own, else the
    name of the entry its id is), and the nodes by :func:`ownership_key` of their names.

    An owner given by name only is the node of the same name that has an id, when exactly
    one has (an owners file names the owner of one row as another row's owned party).
    """
    records = _ftm_nodes_as_entries(view, view.store.ownership())
    names: dict[str, str] = {}
    for r in records:
        for node, name in ((r.owner_id, r.owner_name), (r.owned_id, r.owned_name)):
            if name and node not in names:
                names[node] = name
    nodes = {r.owner_id for r in records} | {r.owned_id for r in records}
    for node in nodes:
        if node not in names:
            with contextlib.suppress(NotFoundError):
                names[node] = view.entry(node).primary_name
    with_id: dict[str, list[str]] = {}
    for node, name in names.items():
        if not node.startswith("name:"):
            with_id.setdefault(ownership_key(name), []).append(node)
    same = {key: ids[0] for key, ids in with_id.items() if len(ids) == 1 and key in nodes}
    edges = [
        OwnershipEdge(
            same.get(r.owner_id, r.owner_id),
            same.get(r.owned_id, r.owned_id),
            r.share,
            r.source,
            _iso(r.since),
        )
        for r in records
    ]
    by_name: dict[str, list[str]] = {}
    for node, name in names.items():
        if node not in same:
            by_name.setdefault(ownership_key(name), []).append(node)
    countries = {
        same.get(r.owner_id, r.owner_id): r.owner_country for r in records if r.owner_country
    }
    return OwnershipGraph(edges, names=names, countries=countries), by_name


def _ftm_nodes_as_entries(view: ListView, records: list[Ownership]) -> list[Ownership]:
    """Ownership read from an OpenSanctions file names its parties ``opensanctions:<id>``;
    since one source per exported dataset (issue #13) their entries are
    ``opensanctions:<dataset>:<id>``: a node that is such an entry becomes its id, so the
    edge reaches the listed party (and its findings) instead of a name match."""
    sources = [s.source for s in view.snapshots if s.source.startswith("opensanctions:")]
    if not sources:
        return records
    found: dict[str, str] = {}

    def entry_of(node: str) -> str:
        if not node.startswith("opensanctions:") or node.count(":") != 1:
            return node
        if node not in found:
            found[node] = node
            own = node.split(":", 1)[1]
            for source in sources:
                with contextlib.suppress(NotFoundError):
                    found[node] = view.entry(f"{source}:{own}").id
                    break
        return found[node]

    return [
        replace(r, owner_id=entry_of(r.owner_id), owned_id=entry_of(r.owned_id)) for r in records
    ]


def find_listed_owners(
    view: ListView,
) -> tuple[dict[str, frozenset[str]], dict[str, OwnerResolution]]:
    """Listing codes of every owner that is, or resolves to, a listed entry of ``view``
    (see :meth:`OwnershipMixin.listed_owners`), and how it resolved; the display name of
    an owner found by name or identifier says which entries it is."""
    graph = view.graph
    listed: dict[str, frozenset[str]] = {}
    resolved: dict[str, OwnerResolution] = {}
    owners = sorted({e.owner_id for e in graph.edges})
    # One map of every listed identifier, only when some owner id is an identifier.
    identifiers = identifier_map(view) if any(identifier_value(n) for n in owners) else {}
    for node in owners:
        name = graph.names.get(node)
        resolution = resolve_owner(
            view, node, name, identifiers=identifiers, country=graph.countries.get(node)
        )
        if resolution is None:
            continue
        listed[node] = resolution.codes
        resolved[node] = resolution
        if resolution.entries[0].basis != "entry id":
            codes = ", ".join(dict.fromkeys(e.list for e in resolution.entries))
            flag = "; ambiguous" if resolution.ambiguous else ""
            shown = f"{name or node} [= {codes} {resolution.entries[0].listed_name}{flag}]"
            graph.names[node] = shown
    return listed, resolved


def _listed_owners_as_of(view: ListView, day: date) -> dict[str, frozenset[str]]:
    """``view``'s listed owners with the codes of only those of their entries that were
    listed on ``day``."""
    out: dict[str, frozenset[str]] = {}
    for node, resolution in view.listed_entries.items():
        codes: set[str] = set()
        for item in resolution.entries:
            entry = view.entry(item.entry_id)
            status = listing_status(entry, day, snapshot_presence=view.presence(entry.id))
            if status.listed is not False:
                codes.update(item.codes)
        if codes:
            out[node] = frozenset(codes)
    return out


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


__all__ = ["OWNERSHIP_RULES", "OWNER_MATCH_THRESHOLD", "OwnershipMixin"]
