"""One listing per party across sources: merging a screening's hits that are the same
listing, reporting a listing its list's authoritative source has removed as delisted, and
``entityscreen lists reconcile``, as methods of :class:`~entityscreen.service.Screener`.

The rules (keys, which source speaks for a list) are pure and live in
:mod:`entityscreen.exportcontrol.listings`; here they meet the store's snapshots.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..errors import InputError, NotFoundError
from ..exportcontrol.asof import AsOfStatus, Basis
from ..exportcontrol.listings import (
    COPY_SOURCES,
    Difference,
    Reconciliation,
    SourceState,
    choose_authority,
    compare_entries,
    is_newer,
    listing_keys,
    name_listing_keys,
    numbered_source,
    ofac_number,
    reconcile_entries,
)
from ..model import Entry
from ..results import Hit, ListingCopy
from ..store import SqlStore

if TYPE_CHECKING:
    from ..sources import Parsed
    from .view import ListView


class ListingsMixin:
    """Cross-source listing methods of :class:`~entityscreen.service.Screener` (its store
    and clock are set by its constructor; :meth:`view` is the Screener's)."""

    store: SqlStore
    _clock: Callable[[], datetime]

    # Provided by Screener: declared here for the type checker.
    def view(self) -> ListView:
        raise NotImplementedError

    # --- snapshots as seen on a date ---------------------------------------------------------

    def source_states(self, as_of: date | None = None) -> dict[str, SourceState]:
        """Each source's snapshot that shows its lists on ``as_of`` (the latest dated, or
        fetched, on or before it), or its current snapshot when ``as_of`` is None
        (:meth:`ListView.source_states`, cached per view and date)."""
        return self.view().source_states(as_of)

    # --- merging a screening's hits -----------------------------------------------------------

    def merge_listings(
        self, view: ListView, hits: Sequence[Hit], *, as_of: date | None
    ) -> list[Hit]:
        """Hits that are one listing merged into one; listings the source that speaks for
        their list no longer holds marked delisted (as ``view`` has them). Best score first.

        In a group of copies, the hit kept is the copy from its list's authoritative
        source (:func:`~entityscreen.exportcontrol.listings.choose_authority`), then one
        not from a copy source such as the CSL, then the best-scoring copy; the others
        become its :attr:`Hit.copies`, with how their legal facts differ from it.
        """
        states = view.source_states(as_of)
        entries = [view.entry(h.match.entry_id) for h in hits]
        groups = _attach_unnumbered(_group(hits, [listing_keys(e) for e in entries]), entries, hits)
        merged: list[tuple[float, Hit]] = []
        for group in groups:
            authority = {
                code: choose_authority(code, states.values())
                for code in {h.match.list for h in group}
            }
            # The publisher's own copy first (OFAC's SDN entry over the CSL's SSI row of the
            # same OFAC number), then the better score.
            ranked = sorted(
                group,
                key=lambda h: (
                    (auth := authority[h.match.list]) is not None and auth.source == h.match.source,
                    h.match.source not in COPY_SOURCES,
                    h.match.score,
                ),
                reverse=True,
            )
            best, rest = ranked[0], ranked[1:]
            entry = view.entry(best.match.entry_id)
            copies = tuple(
                _copy(
                    h,
                    best.match.source,
                    states,
                    compare_entries(entry, view.entry(h.match.entry_id)),
                )
                for h in rest
            )
            state = states.get(best.match.source)
            hit = replace(
                best,
                copies=copies,
                snapshot=(state.snapshot_id, _iso(state.published)) if state else None,
            )
            auth = authority[best.match.list]
            if auth is not None and auth.source != best.match.source:
                gone, note = self._delisted(view, entry, group, auth, states, as_of)
                if gone is not None:
                    hit = replace(hit, listing=gone, delisted=True)
                elif note:
                    hit = replace(hit, notes=(*hit.notes, note))
            merged.append((max(h.match.score for h in group), hit))
        merged.sort(key=lambda item: -item[0])
        return [hit for _, hit in merged]

    def _delisted(
        self,
        view: ListView,
        entry: Entry,
        group: Sequence[Hit],
        auth: SourceState,
        states: dict[str, SourceState],
        as_of: date | None,
    ) -> tuple[AsOfStatus | None, str | None]:
        """The delisting of a listing none of whose copies comes from ``auth``: when
        ``auth``'s snapshot, newer than every copy's, holds none of their keys.

        Only a listing known by its OFAC number, missing from an authority that gives
        OFAC numbers, is called delisted. A listing known by name (Entity List, DPL), or
        looked for in an authority without numbers, that ``auth`` does not hold under any
        of its names stays
        a hit, with a note: the CSL and the eCFR word names differently ("Huawei
        Technologies Co., Ltd., Beijing Research Institute"), and a listed party wrongly
        cleared is worse than one shown with a doubt.
        """
        held = view.snapshot_keys(auth.snapshot_id)
        for hit in group:
            if not is_newer(auth, states.get(hit.match.source)):
                return None, None  # a copy as new as the authority proves nothing
            # Loose keys (any name, any country): a listing wrongly called delisted is
            # worse than one shown twice, so any name the authority holds keeps it live.
            # An authority without OFAC numbers (the nsfreg NS-CMIC copy) is searched by
            # the names of an OFAC entry too.
            copy_entry = view.entry(hit.match.entry_id)
            keys = listing_keys(copy_entry, all_names=True, any_country=True)
            if not numbered_source(auth.source, copy_entry.list):
                keys |= name_listing_keys(copy_entry, all_names=True, any_country=True)
            if any(k in held for k in keys):
                return None, None  # the authority holds it; only its name scored lower
        copy = states.get(entry.source)
        if ofac_number(entry) is None or not numbered_source(auth.source, entry.list):
            return None, (
                f"not found by name in {auth.label()}, the newest source of the {entry.list} "
                f"list: check whether it was removed or renamed (this copy: "
                f"{copy.label() if copy else 'no snapshot then'})"
            )
        evidence = (
            f"delisted: not in {auth.label()}, the newest source of the {entry.list} list; "
            f"this {entry.source} copy is older ({copy.label() if copy else 'no snapshot then'})"
        )
        day = as_of or self._clock().date()
        status = AsOfStatus(
            entry.id, day, False, Basis.SNAPSHOTS, evidence, None, None, auth.published
        )
        return status, None

    # --- lists reconcile ----------------------------------------------------------------------

    def reconcile(self, list_code: str, *, sources: Sequence[str] = ()) -> Reconciliation:
        """Compare the current snapshots of two sources that hold list ``list_code``.

        Args:
            list_code: "EL", "SDN", "DPL", ...
            sources: The two sources to compare; by default the two that hold the list
                (an error when more or fewer do). The older one (by publication date,
                undated counting as oldest) is the left side.

        Raises:
            InputError: A bad list code or source choice.
            NotFoundError: Fewer than two sources hold the list.
        """
        code = list_code.strip().upper()
        if not code:
            raise InputError("reconcile needs a list code, e.g. EL, SDN or DPL")
        states = self.view().source_states()
        holding = {s: st for s, st in states.items() if code in st.lists}
        if sources:
            chosen = list(dict.fromkeys(s.strip() for s in sources))
            if len(chosen) != 2:
                raise InputError(f"give exactly two sources to compare, got {len(chosen)}")
            for s in chosen:
                if s not in holding:
                    raise NotFoundError(
                        f"source {s!r} holds no {code} list; see 'entityscreen lists'"
                    )
        else:
            chosen = sorted(holding)
            if len(chosen) < 2:
                have = ", ".join(chosen) or "none"
                raise NotFoundError(
                    f"list {code} is held by fewer than two sources ({have}); import another "
                    "source of it to reconcile"
                )
            if len(chosen) > 2:
                raise InputError(
                    f"list {code} is held by {', '.join(chosen)}; name two with --source"
                )
        a, b = (holding[s] for s in chosen)
        left, right = (b, a) if is_newer(a, b) else (a, b)
        entries = {
            st.source: [e for e in self.store.iter_entries(st.snapshot_id) if e.list == code]
            for st in (left, right)
        }
        return reconcile_entries(code, left, entries[left.source], right, entries[right.source])


def complete_partial(store: SqlStore, parsed: Parsed, *, partial: bool, origin: str) -> Parsed:
    """An incomplete file set (``parsed.missing`` companions) made safe to store.

    After a snapshot that had them, storing the set as it is would drop every alias and
    address (a diff of thousands of "changed" entries, and names no longer found): it is
    refused unless ``partial``; then every entry the previous snapshot held keeps that
    snapshot's aliases (the names it lacks) and, when it has none, its addresses, and a
    warning says so. With no such previous snapshot, it is stored with a warning.

    Raises:
        InputError: The set is incomplete, a complete one preceded it, and not ``partial``.
    """
    files = ", ".join(parsed.missing)
    latest = store.latest_snapshot(parsed.source)
    previous = {e.id: e for e in store.iter_entries(latest.id)} if latest else {}
    if latest is None or not any(e.addresses for e in previous.values()):
        note = f"incomplete set: no {files}; entries have no addresses or aliases from them"
        return replace(parsed, warnings=[note, *parsed.warnings])
    if not partial:
        raise InputError(
            f"{origin}: incomplete file set, no {files} beside it; storing it would drop the "
            f"aliases and addresses of snapshot {latest.id}. Import the whole folder, or "
            "pass --partial to keep the previous aliases and addresses"
        )
    kept = 0
    entries = []
    for entry in parsed.entries:
        old = previous.get(entry.id)
        if old is None:
            entries.append(entry)
            continue
        have = {n.value.casefold() for n in entry.names}
        names = entry.names + tuple(n for n in old.names[1:] if n.value.casefold() not in have)
        addresses = entry.addresses or old.addresses
        countries = tuple(dict.fromkeys([*entry.countries, *old.countries]))
        entries.append(replace(entry, names=names, addresses=addresses, countries=countries))
        kept += 1
    note = (
        f"partial snapshot: no {files}; aliases and addresses of {kept:,} entries kept from "
        f"snapshot {latest.id}; {len(parsed.entries) - kept:,} new entries have none"
    )
    return replace(parsed, entries=entries, warnings=[note, *parsed.warnings])


def _group(hits: Sequence[Hit], keys: Sequence[frozenset[str]]) -> list[list[Hit]]:
    """Hits that share a listing key, transitively, in first-seen order."""
    parent = list(range(len(hits)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, ks in enumerate(keys):
        for key in ks:
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    groups: dict[int, list[Hit]] = {}
    for i, hit in enumerate(hits):
        groups.setdefault(find(i), []).append(hit)
    return list(groups.values())


def _attach_unnumbered(
    groups: list[list[Hit]], entries: Sequence[Entry], hits: Sequence[Hit]
) -> list[list[Hit]]:
    """Groups of copies without an OFAC number (the nsfreg NS-CMIC entry) joined to the
    one group of OFAC entries of the same list that shares a name key with them (OFAC's
    own NS-CMIC entry); left apart when none or several do."""
    by_id = {h.match.entry_id: e for h, e in zip(hits, entries, strict=True)}

    def keys(group: list[Hit]) -> frozenset[str]:
        return frozenset().union(
            *(
                name_listing_keys(by_id[h.match.entry_id], all_names=True, any_country=True)
                for h in group
            )
        )

    numbered = [g for g in groups if any(ofac_number(by_id[h.match.entry_id]) for h in g)]
    numbered_keys = [keys(g) for g in numbered]
    out: list[list[Hit]] = []
    for group in groups:
        if group in numbered:
            out.append(group)
            continue
        found = [g for g, k in zip(numbered, numbered_keys, strict=True) if k & keys(group)]
        if len(found) == 1:
            found[0].extend(group)
        else:
            out.append(group)
    return out


def _copy(
    hit: Hit, kept: str, states: dict[str, SourceState], differences: Sequence[Difference]
) -> ListingCopy:
    """``hit`` as a copy of the hit kept (from source ``kept``), with what they state
    differently, each side named by its source."""
    m = hit.match
    state = states.get(m.source)
    lines = tuple(d.describe(kept, m.source) for d in differences)
    return ListingCopy(
        entry_id=m.entry_id,
        source=m.source,
        list=m.list,
        snapshot=state.snapshot_id if state else None,
        published=_iso(state.published) if state else None,
        score=m.score,
        differences=lines,
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


__all__ = ["ListingsMixin"]
