"""What a hit means: a party's name matches with their legal facts, as-of listing,
ownership findings and flags, as methods of :class:`~entityscreen.service.Screener`.

Every screening path (``screen``, batch, monitoring, the API and the UI) ends here, so a
hit reads the same wherever it is shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..exportcontrol import LegalSummary, OwnershipFinding, listing_status
from ..exportcontrol.freshness import SnapshotAge
from ..matching import Match
from ..model import Entry, Party
from ..results import Hit, ScreeningResult
from ._common import pool_size
from .algorithms import DEFAULT_ALGORITHM, algorithm_version, find_matches
from .flags import party_flags

if TYPE_CHECKING:
    from .view import ListView


class AssessMixin:
    """The assessment methods of :class:`~entityscreen.service.Screener` (its clock is set
    by its constructor)."""

    _clock: Callable[[], datetime]

    if TYPE_CHECKING:
        # Provided by Screener and its other mixins; declared for the type checker only, so
        # that no stub here can shadow them at run time whatever the order of the bases.
        def view(self) -> ListView: ...

        def merge_listings(
            self, view: ListView, hits: Sequence[Hit], *, as_of: date | None
        ) -> list[Hit]: ...

        def _owned_by_listed(
            self, view: ListView, node: str, day: date, *, past: bool = False
        ) -> tuple[OwnershipFinding, ...]: ...

        def _party_nodes(self, view: ListView, party: Party) -> list[str]: ...

        def snapshot_ages(
            self, view: ListView, lists: set[str] | None, *, today: date
        ) -> tuple[SnapshotAge, ...]: ...

    def _assess(
        self,
        view: ListView,
        party: Party,
        matches: list[Match],
        threshold: float,
        limit: int,
        lists: set[str] | None,
        as_of: date | None,
        *,
        started: float,
        algorithm: str = DEFAULT_ALGORITHM,
    ) -> ScreeningResult:
        """Add legal facts, as-of listing, ownership and flags to a party's name matches,
        all read from ``view``, the view the matches come from."""
        past = view.past if as_of is not None else None
        # A full pool means the matcher stopped there: the total is then a lower bound.
        capped = len(matches) >= pool_size(limit)
        if past is not None:
            older = find_matches(past, party, algorithm, threshold, pool_size(limit), lists)
            capped = capped or len(older) >= pool_size(limit)
            matches = sorted([*matches, *older], key=lambda m: -m.score)
        day = as_of or self._clock().date()
        found: list[Hit] = []
        for match in matches:
            entry = view.entry(match.entry_id)
            listing = None
            if as_of is not None:
                presence = view.presence(entry.id)
                listing = listing_status(entry, as_of, snapshot_presence=presence)
            found.append(
                Hit(
                    match=match,
                    legal=view.legal(entry, on=day),
                    listing=listing,
                    ownership=self._owned_by_listed(view, entry.id, day, past=as_of is not None),
                    addresses=tuple(a.full for a in entry.addresses),
                )
            )
        hits: list[Hit] = []
        not_listed: list[Hit] = []
        # Copies of one listing from several sources become one hit, here, so the CLI,
        # batch, the API and the UI all show one row per listing.
        for hit in self.merge_listings(view, found, as_of=as_of):
            listed = hit.listing is None or hit.listing.listed is not False
            (hits if listed else not_listed).append(hit)
        total = len(hits)
        hits, not_listed = hits[:limit], not_listed[:limit]
        nodes = self._party_nodes(view, party)
        ownership: list[OwnershipFinding] = []
        for node in nodes:
            ownership.extend(self._owned_by_listed(view, node, day, past=as_of is not None))
        flags = party_flags(view, party, hits, day=day, nodes=nodes, graph=view.graph)
        return ScreeningResult(
            party=party,
            hits=hits,
            not_listed=tuple(not_listed),
            ownership=tuple(ownership),
            flags=tuple(flags),
            as_of=as_of,
            snapshots=view.snapshots,
            algorithm=algorithm_version(algorithm),
            threshold=threshold,
            screened_at=self._clock().isoformat(timespec="seconds"),
            seconds=time.perf_counter() - started,
            total=total,
            total_capped=capped,
            ages=self.snapshot_ages(view, lists, today=self._clock().date()),
        )

    def entry(self, entry_id: str) -> Entry:
        """An entry in its latest version in the current view's snapshots (cached for the
        life of the view)."""
        return self.view().entry(entry_id)

    def legal_summary(self, entry: Entry, *, on: date | None = None) -> LegalSummary:
        """The legal facts and verdict of an entry (cached per entry and day); with ``on``,
        an expired denial order reads "expired on ..."."""
        return self.view().legal(entry, on=on)


__all__ = ["AssessMixin"]
