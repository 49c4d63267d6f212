"""One view of the lists: what an answer of :class:`~entityscreen.service.Screener` reads.

A :class:`ListView` belongs to one :class:`~entityscreen.store.DataVersion` (the current
snapshot of every source and the version of the ownership edges). It holds the match index
over those snapshots and caches of what the store says about them: entries, legal facts,
presence in past snapshots, snapshot ages, listing keys, source states, the ownership
graph and which owners are listed. Its attributes are never reassigned: the caches only
fill, and the lazy parts (the past index, the ownership graph, the listed owners) are
computed at most once.

Every read it makes of the store is bounded to its own snapshots (``upto``): an import
committed while an answer is being written does not leak into that answer. The Screener
swaps in a new view when ``data_version()`` changes (issue #11); an answer takes the view
once, at its start, and reads only from it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import NotFoundError
from ..exportcontrol import LegalSummary, OwnershipGraph, legal_facts
from ..exportcontrol.affiliates import OwnerResolution
from ..exportcontrol.freshness import SnapshotAge
from ..exportcontrol.listings import SourceState, loose_name_keys, ofac_number_of
from ..matching import ALGORITHM_VERSION, MatchIndex
from ..model import Entry, Snapshot
from ..store import DataVersion, SqlStore


def cached_index(
    folder: Path,
    kind: str,
    key: str,
    entries: Callable[[], Iterable[Entry]],
    *,
    keep_analyses: bool = True,
) -> MatchIndex:
    """The index ``folder/{kind}-{key}.idx``, built from ``entries()`` when missing or
    unreadable (keeping name analyses or not, see ``MatchIndex.build``); older files of
    the same kind are removed once a new one is saved."""
    path = folder / f"{kind}-{key}.idx"
    if path.is_file():
        try:
            return MatchIndex.load(path)
        except Exception:  # a stale or damaged cache file is rebuilt, never trusted
            pass
    index = MatchIndex.build(entries(), keep_analyses=keep_analyses)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    index.save(tmp)
    os.replace(tmp, path)
    for old in folder.glob(f"{kind}-*.idx"):
        if old != path:
            old.unlink(missing_ok=True)
    return index


def index_key(*parts: Any) -> str:
    """The file key of a persisted index: the algorithm version and ``parts`` (snapshot ids
    and hashes), hashed."""
    text = json.dumps([ALGORITHM_VERSION, *parts])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def lists_key(snapshots: Sequence[Snapshot]) -> str:
    """The key of the index over ``snapshots`` (home/index/lists-KEY.idx)."""
    return index_key([(s.id, s.sha256) for s in snapshots])


def shown_on(snapshot: Snapshot) -> date:
    """The date a snapshot shows its lists as of: its publication date, else when fetched."""
    return date.fromisoformat((snapshot.published or snapshot.fetched_at)[:10])


class ListView:
    """The lists as of one :class:`~entityscreen.store.DataVersion` (see the module doc).

    Args:
        store: Where the lazy parts are read from (bounded to this view's snapshots).
        version: The data the view is of; ``version.snapshots`` are its snapshots.
        index: The match index over those snapshots; None when there are none.
        index_folder: Where persisted indexes are (``home/index``), for the past index.
        lists_of: A view of the same snapshots whose index and entry caches this one
            shares (when only the ownership edges changed).
    """

    def __init__(
        self,
        store: SqlStore,
        version: DataVersion,
        index: MatchIndex | None,
        *,
        index_folder: Path,
        lists_of: ListView | None = None,
    ) -> None:
        self.store = store
        self.version = version
        self.snapshots: tuple[Snapshot, ...] = version.snapshots
        self.index_key = lists_key(self.snapshots)
        self.index = index
        # A folder, not the Screener's method: a view holding its Screener would make a
        # cycle, which gc.freeze() would then keep (index and all) for the process's life.
        self.index_folder = index_folder
        #: The newest snapshot of the view. Writers are serialised, so snapshot ids are
        #: allocated in commit order and "id <= upto" is the store as the view saw it.
        self.upto = max((s.id for s in self.snapshots), default=0)
        # Entries, their legal facts and presence depend on the snapshots alone: a view
        # that differs only in ownership shares these caches instead of re-reading them.
        same = lists_of if lists_of and lists_of.version.lists == version.lists else None
        self.entries: dict[str, Entry] = same.entries if same else {}
        self.legal_cache: dict[tuple[str, date | None], LegalSummary] = (
            same.legal_cache if same else {}
        )
        self.presence_cache: dict[str, list[tuple[date, bool]]] = (
            same.presence_cache if same else {}
        )
        self.ages_cache: dict[Any, tuple[SnapshotAge, ...]] = same.ages_cache if same else {}
        #: ``snapshot id -> listing key -> entry id`` (see :meth:`snapshot_keys`).
        self.listing_keys: dict[int, dict[str, str]] = same.listing_keys if same else {}
        self.states_cache: dict[date | None, dict[str, SourceState]] = (
            same.states_cache if same else {}
        )

    def __repr__(self) -> str:
        snaps = ", ".join(f"{s.source}#{s.id}" for s in self.snapshots)
        return f"ListView({snaps or 'no lists'}; ownership v{self.version.ownership})"

    # --- matching --------------------------------------------------------------------------

    def matcher(self) -> MatchIndex:
        """The match index over the view's snapshots."""
        if self.index is None:
            raise NotFoundError("no lists loaded; run 'entityscreen lists update' first")
        return self.index

    @cached_property
    def past(self) -> MatchIndex | None:
        """An index of the entries earlier snapshots held and the view's do not, for
        screening as of past dates; None when nothing was ever removed. Persisted like the
        lists index, keyed by every snapshot up to the view's."""
        snaps = [s for s in self.store.snapshots() if s.id <= self.upto]
        key = index_key("past", [(s.id, s.sha256) for s in snaps])
        removed = list(self.store.iter_removed_entries(upto=self.upto))
        return cached_index(self.index_folder, "past", key, lambda: removed) if removed else None

    # --- entries ---------------------------------------------------------------------------

    def entry(self, entry_id: str) -> Entry:
        """An entry in its latest version up to the view's snapshots (cached)."""
        entry = self.entries.get(entry_id)
        if entry is None:
            entry = self.entries[entry_id] = self.store.get_entry(entry_id, upto=self.upto)
        return entry

    def legal(self, entry: Entry, *, on: date | None = None) -> LegalSummary:
        """The legal facts and verdict of an entry on a day (cached per entry and day)."""
        summary = self.legal_cache.get((entry.id, on))
        if summary is None:
            summary = self.legal_cache[(entry.id, on)] = legal_facts(entry, on=on)
        return summary

    def presence(self, entry_id: str) -> list[tuple[date, bool]]:
        """``(snapshot date, held?)`` for every snapshot of the entry's source up to the
        view's (cached)."""
        found = self.presence_cache.get(entry_id)
        if found is None:
            found = [
                (shown_on(s), held)
                for s, held in self.store.presence(entry_id)
                if s.id <= self.upto
            ]
            self.presence_cache[entry_id] = found
        return found

    # --- snapshots -------------------------------------------------------------------------

    def source_states(self, as_of: date | None = None) -> dict[str, SourceState]:
        """Each source's snapshot that shows its lists on ``as_of`` (the latest dated, or
        fetched, on or before it), or the view's snapshot when ``as_of`` is None. Cached
        per date: screening asks for every party of a batch."""
        states = self.states_cache.get(as_of)
        if states is None:
            if as_of is None:
                snaps: Iterable[Snapshot] = self.snapshots
            else:
                latest: dict[str, Snapshot] = {}
                for snap in self.store.snapshots():
                    if snap.id <= self.upto and shown_on(snap) <= as_of:
                        latest[snap.source] = snap
                snaps = latest.values()
            states = self.states_cache[as_of] = {s.source: self._state(s) for s in snaps}
        return states

    def _state(self, snap: Snapshot) -> SourceState:
        published = date.fromisoformat(snap.published[:10]) if snap.published else None
        lists = frozenset(self.store.list_counts(snap.id))
        return SourceState(snap.source, snap.id, published, lists)

    def snapshot_keys(self, snapshot_id: int) -> dict[str, str]:
        """Loose listing key (every name, any country) -> entry id for every entry of a
        snapshot (cached per snapshot)."""
        found = self.listing_keys.get(snapshot_id)
        if found is None:
            found = {}
            # listing_keys(entry, all_names=True, any_country=True) of each entry, from the
            # store's columns: an OFAC number alone, else the names of the stored JSON (no
            # entry is built; an OFAC snapshot is not even parsed).
            for entry_id, source, list_code, data in self.store.iter_entry_rows(snapshot_id):
                number = ofac_number_of(entry_id, source, list_code)
                if number is not None:
                    found.setdefault(f"ofac:{number}", entry_id)
                    continue
                names = [value for value, _kind in json.loads(data)["names"]]
                for key in loose_name_keys(list_code, names):
                    found.setdefault(key, entry_id)
            self.listing_keys[snapshot_id] = found
        return found

    # --- ownership -------------------------------------------------------------------------

    @cached_property
    def _ownership(self) -> tuple[OwnershipGraph, dict[str, list[str]]]:
        from .ownership import read_graph

        return read_graph(self)

    @property
    def graph(self) -> OwnershipGraph:
        """Every stored ownership edge as a graph, with display names (read once)."""
        return self._ownership[0]

    @property
    def nodes_by_name(self) -> dict[str, list[str]]:
        """Ownership nodes by :func:`~entityscreen.model.ownership_key` of their names."""
        return self._ownership[1]

    @cached_property
    def _listed(self) -> tuple[dict[str, frozenset[str]], dict[str, OwnerResolution]]:
        from .ownership import find_listed_owners

        return find_listed_owners(self)

    @property
    def listed_owners(self) -> dict[str, frozenset[str]]:
        """Listing codes of every ownership node that is, or resolves to, a listed entry
        (see :meth:`Screener.listed_owners`)."""
        return self._listed[0]

    @property
    def listed_entries(self) -> dict[str, OwnerResolution]:
        """How each listed ownership node resolved: every entry it is (issue #12)."""
        return self._listed[1]


__all__ = ["ListView", "cached_index", "index_key", "lists_key", "shown_on"]
