"""The ownership graph: owner -> owned edges with a share, a source and a date.

:class:`OwnershipGraph` holds the edges as given (the service reads them from the store's
ownership imports), indexed by owned party, with display names; :func:`find_cycles` finds
the loops in it. Kept apart from the 50 percent rules of :mod:`.ownership`, which read
the graph on a date and never change it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

EdgeTuple = tuple[str, str, float | None, str | None, "date | str | None"]


@dataclass(frozen=True, slots=True)
class OwnershipEdge:
    """``owner_id`` owns ``share`` percent of ``owned_id``.

    Attributes:
        owner_id: The owner's id (an entry id or any id the caller uses).
        owned_id: The owned party's id.
        share: Percent from 0 to 100; None when unknown.
        source: Where the edge comes from (dataset, document).
        date: Since when (the ownership's start), if known.
    """

    owner_id: str
    owned_id: str
    share: float | None
    source: str | None = None
    date: date | None = None


def read_edge(edge: OwnershipEdge | EdgeTuple) -> OwnershipEdge:
    """An edge from an :class:`OwnershipEdge` or a tuple ``(owner, owned, share, source,
    date)``; the date may be ISO text (as :func:`entityscreen.sources.ftm.iter_ownership`
    yields it) and a partial date (``2019``) is dropped."""
    if isinstance(edge, OwnershipEdge):
        return edge
    owner, owned, share, source, when = edge
    if isinstance(when, str):
        try:
            when = date.fromisoformat(when) if len(when) == 10 else None
        except ValueError:
            when = None
    return OwnershipEdge(owner, owned, None if share is None else float(share), source, when)


class OwnershipGraph:
    """Owner -> owned edges, indexed by owned party.

    Args:
        edges: :class:`OwnershipEdge` values or ``(owner, owned, share, source, date)``
            tuples.
        names: Display names by id, for paths ("via Acme Ltd 35%"); ids are shown
            for parties without one.
        countries: Countries (ISO codes) by id, where the ownership data states them.
    """

    def __init__(
        self,
        edges: Iterable[OwnershipEdge | EdgeTuple] = (),
        *,
        names: Mapping[str, str] | None = None,
        countries: Mapping[str, str] | None = None,
    ) -> None:
        self._owners: dict[str, list[OwnershipEdge]] = {}
        self.names: dict[str, str] = dict(names or {})
        self.countries: dict[str, str] = dict(countries or {})
        for edge in edges:
            self.add(edge)

    def add(self, edge: OwnershipEdge | EdgeTuple) -> None:
        """Add one edge."""
        value = read_edge(edge)
        self._owners.setdefault(value.owned_id, []).append(value)

    @property
    def edges(self) -> list[OwnershipEdge]:
        """Every edge, in insertion order per owned party."""
        return [e for edges in self._owners.values() for e in edges]

    def owners_of(self, owned_id: str) -> list[OwnershipEdge]:
        """The edges into ``owned_id`` (all dates)."""
        return list(self._owners.get(owned_id, ()))

    def name(self, party_id: str) -> str:
        """The display name of ``party_id`` (its id when it has none)."""
        return self.names.get(party_id, party_id)

    def nodes(self) -> set[str]:
        """Every id that owns or is owned."""
        out = set(self._owners)
        for edges in self._owners.values():
            out.update(e.owner_id for e in edges)
        return out


def find_cycles(owners: Mapping[str, Mapping[str, OwnershipEdge]], start: str) -> list[list[str]]:
    """Ownership cycles reachable upwards from ``start``, each once.

    Args:
        owners: Owned id -> owner id -> edge.
        start: Where to start (the target).

    Returns:
        Each cycle as its ids in owner order, closed (``[B, C, B]``).
    """
    cycles: list[list[str]] = []
    seen_keys: set[frozenset[str]] = set()
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> None:
        path.append(node)
        on_path.add(node)
        for owner in owners.get(node, {}):
            if owner in on_path:
                cycle = [*path[path.index(owner) :], owner]
                key = frozenset(cycle)
                if key not in seen_keys:
                    seen_keys.add(key)
                    cycles.append(cycle)
            elif owner not in done:
                visit(owner)
        path.pop()
        on_path.discard(node)
        done.add(node)

    visit(start)
    return cycles


__all__ = ["EdgeTuple", "OwnershipEdge", "OwnershipGraph", "find_cycles", "read_edge"]
