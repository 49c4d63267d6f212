"""Continuous re-screening: after a list update, screen only what changed, raise alerts.

Part of the service layer (:meth:`entityscreen.service.Screener.monitor` calls it; it
calls the store and the matcher). One run:

1. Under a file lock (``home/monitor.lock``), so two runs at once never interleave; the
   alert table's one-row-per-(party, entry) rule keeps even unlocked runs from
   double-alerting.
2. **What changed.** Per source, the snapshot the last run screened against
   (``monitor_state``) against the current one: added and changed entries (with the
   fields that changed). A source never monitored counts as wholly added. Parties whose
   record changed, or that were never screened, are "changed parties".
3. **Who could be hit.** Changed parties, plus every party whose name is a candidate for
   a changed entry: each name of each changed entry is screened against an index of the
   party names (built once per party set and persisted, like the list index) at a low
   bar (:data:`CANDIDATE_MARGIN` below the threshold), so that no true pair is lost here.
4. **Screen** those parties with exactly the path ``screen`` uses (legal facts, as-of,
   ownership, audit records) and apply the alert rules of
   :mod:`entityscreen.store.monitoring` in one transaction with the new state.

The first run, with no state, screens every party: there is nothing to compare with.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..batch.io import InputRow
from ..errors import InputError, StoreError
from ..matching import ALGORITHM_VERSION, MatchIndex
from ..model import AlertStatus, Entry, Name, NameKind, Party
from ..results import ScreeningResult
from ..store import SqlStore
from ..store.monitoring import AlertCandidate, AlertOutcome
from .shrink import DelistGuard, delisting_refusal

if TYPE_CHECKING:
    from . import Screener
    from .view import ListView

#: How far below the alert threshold a party name must score against a changed entry's
#: name to be re-screened. The party-name index scores names the other way round
#: (entry name as the query), which is close to, not exactly, the screening score.
CANDIDATE_MARGIN = 0.2

#: Most parties taken as candidates for one name of a changed entry.
CANDIDATES_PER_NAME = 200

#: The ``monitor_state`` row that holds the ownership version the last run screened
#: against (beside one row per source); not a source name (sources never start with "~").
OWNERSHIP_STATE = "~ownership"

#: How long a run waits for another run's lock before giving up.
LOCK_TIMEOUT_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class MonitorReport:
    """What one monitor run did.

    Attributes:
        full: True when every party was screened (first run).
        changed_entries: Entries added or changed since the last run.
        changed_parties: Parties new or changed since they were last screened.
        screened: Parties screened in this run.
        parties: Parties in the registry.
        outcome: New, re-opened and refreshed alerts.
        seconds: Wall time of the run.
    """

    full: bool
    changed_entries: int
    changed_parties: int
    screened: int
    parties: int
    outcome: AlertOutcome
    seconds: float


def party_entry(party: Party) -> Entry:
    """A party as an index entry (its names only), for finding parties by entry names."""
    names = (Name(party.name), *(Name(a, NameKind.AKA) for a in party.aliases))
    return Entry(
        id=party.id or party.name,
        source="parties",
        list="PARTY",
        schema=party.schema,
        names=names,
    )


@contextmanager
def monitor_lock(home: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """An exclusive lock on ``home/monitor.lock``; waits up to ``timeout`` seconds."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "monitor.lock", "a+", encoding="utf-8") as fh:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"another monitor run holds {home / 'monitor.lock'}; try again later"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def run_monitor(
    screener: Screener,
    *,
    threshold: float,
    workers: int = 1,
    limit: int = 10,
    guard: DelistGuard | None = None,
) -> MonitorReport:
    """One monitor run (see the module docstring).

    Raises:
        InputError: The run would mark more than ``guard.max_share`` (default: the
            settings' ``max_delisted``) of the alerts not yet delisted as delisted, and
            not ``guard.allow``; checked before anything is screened or written.
    """
    guard = guard or DelistGuard()
    started = time.perf_counter()
    store = screener.store
    with monitor_lock(screener.settings.home):
        # One view of the lists for the whole run: the snapshots recorded as screened are
        # the ones the parties were screened against, even if lists change meanwhile.
        view = screener.view()
        view.matcher()  # no lists loaded: fail here
        current = {s.source: s for s in view.snapshots}
        state = store.monitor_state()
        full = not state
        entry_changes: dict[str, tuple[str, ...]] = {}
        removed: dict[str, str] = {}
        if not full:
            for source, snap in current.items():
                if state.get(source) == snap.id:
                    continue
                if source not in state:
                    for entry in store.iter_entries(snap.id):
                        entry_changes[entry.id] = ("added",)
                    continue
                diff = store.diff(state[source], snap.id)
                for item in diff.added:
                    entry_changes[item.entry_id] = ("added",)
                for changed in diff.changed:
                    entry_changes[changed.entry_id] = tuple(f.field for f in changed.changes)
                dated = f", published {snap.published}" if snap.published else ""
                for item in diff.removed:
                    removed[item.entry_id] = f"{source} snapshot {snap.id}{dated}"
        if removed and not guard.allow:
            given = guard.max_share
            share = screener.settings.max_delisted if given is None else given
            _check_delisting(store, removed, share)
        registry = {p.id: (p, digest, seen) for p, digest, seen in store.iter_parties() if p.id}
        changed_parties = {pid for pid, (_, digest, seen) in registry.items() if digest != seen}
        to_screen = set(registry) if full else set(changed_parties)
        if entry_changes and registry:
            to_screen |= _candidate_parties(screener, view, registry, entry_changes, threshold)
        ownership_version = view.version.ownership
        if not full and state.get(OWNERSHIP_STATE, 0) != ownership_version:
            to_screen |= _ownership_parties(screener, view, registry)
        order = sorted(to_screen)
        rows = (
            InputRow(number, pid, registry[pid][0]) for number, pid in enumerate(order, start=1)
        )
        candidates: list[AlertCandidate] = []
        for row, result in screener.screen_rows(
            rows, threshold=threshold, limit=limit, workers=workers, view=view
        ):
            if result is None or row.party is None:
                continue
            digest = registry[row.row_id][1]
            for hit in result.hits:
                m = hit.match
                candidates.append(
                    AlertCandidate(
                        party_id=row.row_id,
                        entry_id=m.entry_id,
                        score=m.score,
                        list=m.list,
                        listed_name=m.listed_name,
                        matched_name=m.matched_name,
                        explanation=m.explanation,
                        verdict=hit.legal.verdict,
                        party_hash=digest,
                        entry_hash=view.entry(m.entry_id).content_hash(),
                    )
                )
            candidates.extend(finding_candidates(row.row_id, digest, result))
        outcome = store.raise_alerts(
            candidates,
            at=screener.now(),
            entry_changes=entry_changes,
            screened={pid: registry[pid][1] for pid in order},
            state={
                **{source: snap.id for source, snap in current.items()},
                OWNERSHIP_STATE: ownership_version,
            },
            removed=removed,
            actor=screener.operator,
            run={
                "full": full,
                "changed_entries": len(entry_changes),
                "removed_entries": len(removed),
                "changed_parties": len(changed_parties),
                "screened": len(order),
                "snapshots": {s: snap.id for s, snap in current.items()},
                "threshold": threshold,
                # Said only when given: the operator let a large delisting through.
                **({"allow_shrink": True} if guard.allow else {}),
            },
        )
    return MonitorReport(
        full=full,
        changed_entries=len(entry_changes),
        changed_parties=len(changed_parties),
        screened=len(order),
        parties=len(registry),
        outcome=outcome,
        seconds=time.perf_counter() - started,
    )


def _check_delisting(store: SqlStore, removed: Mapping[str, str], share: float) -> None:
    """Refuse a run that would delist too large a share of the alert queue (issue #13)."""
    queue = [a for a in store.alerts() if a.status is not AlertStatus.DELISTED]
    delisting = sum(1 for a in queue if a.entry_id in removed)
    refusal = delisting_refusal(delisting, len(queue), limit=share)
    if refusal is not None:
        raise InputError(refusal)


def _candidate_parties(
    screener: Screener,
    view: ListView,
    registry: dict[str, tuple[Party, str, str | None]],
    entry_changes: dict[str, tuple[str, ...]],
    threshold: float,
) -> set[str]:
    index = party_index(screener, [p for p, _, _ in registry.values()])
    bar = max(0.0, threshold - CANDIDATE_MARGIN)
    found: set[str] = set()
    for entry_id in entry_changes:
        entry = view.entry(entry_id)
        for name in entry.names:
            try:
                query = Party(name=name.value, schema=entry.schema)
                hits = index.screen(query, threshold=bar, limit=CANDIDATES_PER_NAME)
            except Exception:  # an unusable listed name (empty after normalising): skip it
                continue
            found.update(m.entry_id for m in hits)
    return found


def _ownership_parties(
    screener: Screener, view: ListView, registry: dict[str, tuple[Party, str, str | None]]
) -> set[str]:
    """The parties an ownership import may have changed the findings of: every party that
    is an owned node of the graph (by id or name). Everything a party owns, at any depth,
    is an owned node too, so the transitive closure is in this set. A superset of the
    parties whose edges changed (the store keeps no old edges to diff against), and
    small: only parties with ownership data."""
    return {pid for pid, (party, _, _) in registry.items() if screener._party_nodes(view, party)}


def finding_candidates(
    party_id: str, party_hash: str, result: ScreeningResult
) -> list[AlertCandidate]:
    """Alerts for what a screening found besides name matches: ownership findings (an
    OFAC 50% or BIS Affiliates finding, reached or undetermined) and flags that alert
    (Section 889, embargoes, 15 CFR 746.8; not Country Group memberships). Each is one
    alert per party and rule or flag (``entry_id`` ``ownership:<rule>`` or
    ``flag:<code>:<id>``), so the alert rules of name matches apply unchanged: raised
    once, refreshed while open, re-opened after a decision only when the finding's
    content (its ``entry_hash``: owners, shares, reason) changes."""
    out = []
    for finding in result.ownership:
        # A rule out of force on the day (the BIS Affiliates rule while suspended) is
        # shown with the result but raises nothing.
        if not finding.in_force or not (finding.reaches_threshold or finding.undetermined):
            continue
        # Not the date asked about: the same finding tomorrow is not a change.
        data = {k: v for k, v in finding.to_dict().items() if k != "as_of"}
        out.append(
            AlertCandidate(
                party_id=party_id,
                entry_id=f"ownership:{finding.rule_id}",
                score=1.0,
                list="OWNERSHIP",
                listed_name=finding.rule_title,
                matched_name=finding.summary,
                explanation=finding.summary,
                verdict=finding.rule_title,
                party_hash=party_hash,
                entry_hash=_digest(data),
            )
        )
    for flag in result.flags:
        if not flag.alerts:
            continue
        out.append(
            AlertCandidate(
                party_id=party_id,
                entry_id=f"flag:{flag.code}:{flag.id}",
                score=1.0,
                list=flag.code,
                listed_name=flag.title,
                matched_name=flag.reason,
                explanation=flag.reason,
                verdict=flag.title,
                party_hash=party_hash,
                entry_hash=_digest(flag.to_dict()),
            )
        )
    return out


def _digest(data: dict[str, object]) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def party_index(screener: Screener, parties: list[Party]) -> MatchIndex:
    """The index of party names, persisted per party set (``home/index/parties-*.idx``)."""
    digest = screener.store.parties_digest()
    key = hashlib.sha256(f"{ALGORITHM_VERSION}:{digest}".encode()).hexdigest()[:20]
    return screener.cached_index("parties", key, lambda: (party_entry(p) for p in parties))


__all__ = [
    "OWNERSHIP_STATE",
    "MonitorReport",
    "finding_candidates",
    "monitor_lock",
    "party_entry",
    "party_index",
    "run_monitor",
]
