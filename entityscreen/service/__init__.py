"""The one facade that the CLI, the HTTP API and the web UI call.

:class:`Screener` owns the store and the list manifest. Everything a user can do goes
through a method of it, so the front ends stay thin and never duplicate logic. Its
methods live by subject: lists (:mod:`.lists`), ownership (:mod:`.ownership`), API keys
and batch jobs (:mod:`.jobs`), batch screening (:mod:`.batch`), and here screening,
monitoring (its run in :mod:`.monitoring`), the audit log (:mod:`.audit`) and what a hit
means. The JSON of every answer is in :mod:`.serialize`.
Each mixin declares the attributes and the few :class:`Screener` methods it calls, so the
type checker checks every part on its own while users still see one object.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..batch.io import ColumnMap, InputRow, read_party_file
from ..errors import InputError
from ..matching import (
    ALGORITHM_VERSION,
    DEFAULT_THRESHOLD,
    Comparison,
    MatchIndex,
    compare_names,
)
from ..model import (
    Actor,
    Alert,
    AlertStatus,
    Decision,
    Entry,
    Party,
    Schema,
    Verdict,
)
from ..results import Hit, ScreeningResult
from ..settings import Settings
from ..store import (
    AuditKind,
    DataVersion,
    SnapshotDiff,
    SqlStore,
    diff_dicts,
    open_store,
)
from ..store.monitoring import PartyImport
from ._common import check_threshold, local_actor, pool_size
from .algorithms import compare_with, find_matches, resolve
from .assess import AssessMixin
from .audit import AuditMixin
from .batch import BatchMixin, BatchReport
from .inputs import check_lists, resolve_party
from .jobs import JobsMixin
from .listings import ListingsMixin
from .lists import ImportResult, ListsMixin, ListStatus, all_formats
from .monitoring import MonitorReport, party_index, run_monitor
from .ownership import OWNER_MATCH_THRESHOLD, OWNERSHIP_RULES, OwnershipMixin
from .sessions import SessionsMixin
from .shrink import DelistGuard
from .view import ListView, cached_index, lists_key

if TYPE_CHECKING:
    # Imported where used: manifests (pydantic) cost start-up that `entityscreen screen`
    # does not need.
    from ..sources.manifest import Manifest

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


#: Seconds a server waits for the importing process to save a new index before it builds
#: it itself (an import by a process that does not build: an older entityscreen, a crash).
VIEW_BUILD_GRACE = 120.0


class Screener(
    AssessMixin,
    ListsMixin,
    ListingsMixin,
    OwnershipMixin,
    JobsMixin,
    BatchMixin,
    AuditMixin,
    SessionsMixin,
):
    """Open with :meth:`open`; use as a context manager to close the store."""

    def __init__(
        self,
        store: SqlStore,
        settings: Settings,
        *,
        manifest: Manifest | None = None,
        clock: Clock = _utc_now,
        operator: Actor | None = None,
    ) -> None:
        self.store = store
        #: Who this process's own work (imports, monitor runs) is recorded as: the local
        #: OS user by default. Requests of the API and UI pass their key's actor instead.
        self.operator = operator or local_actor()
        self.settings = settings
        self._manifest = manifest
        self._clock = clock
        #: The view of the lists answers are read from; replaced (one assignment, never
        #: changed in place) when the store's data version changes. See :meth:`view`.
        self._view: ListView | None = None
        self._view_lock = threading.Lock()
        #: A long-running server sets this: a new view whose index the importing process
        #: has not saved yet is not built here, on a request's time (seconds, with every
        #: request of the event loop waiting), but waited for, up to VIEW_BUILD_GRACE
        #: seconds, while answers keep coming from the last complete view.
        self.defer_view_builds = False
        #: Keep name analyses in an index this process builds (faster first queries). The
        #: CLI turns it off when it builds an index only to save it (issue #13: ~100 MB
        #: for a large list, thrown away when the command exits).
        self.keep_analyses = True
        self._deferred_since: dict[object, float] = {}

    @classmethod
    def open(
        cls,
        home: Path | str | None = None,
        *,
        settings: Settings | None = None,
        clock: Clock = _utc_now,
    ) -> Screener:
        settings = settings or Settings.from_env(home)
        store = open_store(path=settings.store_path, url=settings.store_url)
        return cls(store, settings, clock=clock)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Screener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the view of the lists --------------------------------------------------------------

    def view(self) -> ListView:
        """The view of the lists to answer from: the current snapshot of every source, their
        match index and what the store says of their entries and ownership (cached).

        Asks the store for its :meth:`~entityscreen.store.SqlStore.data_version` (one small
        query) and, when it changed (an import here or by another process: ``lists
        update`` beside a running ``serve``), builds the new view and swaps it in. An
        answer calls this once, at its start, and reads only from the view it got, so it
        never mixes two versions of the lists.
        """
        current = self._view
        version = self.store.data_version()
        if current is not None and current.version == version:
            return current
        if current is not None and self._defer(current, version):
            return current
        if current is not None and not self._view_lock.acquire(blocking=False):
            # Another thread is building the next view: answer from the last complete one
            # (consistent, a moment older) rather than wait for it.
            return current
        if current is None:
            self._view_lock.acquire()
        try:
            latest = self._view
            version = self.store.data_version()  # what another thread did while we waited
            if latest is not None and latest.version == version:
                return latest
            view = self._build_view(version, latest)
            self._view = view
            return view
        finally:
            self._view_lock.release()

    def _defer(self, current: ListView, version: DataVersion) -> bool:
        """Whether to keep answering from ``current`` while another process saves the
        index of ``version`` (see ``defer_view_builds``)."""
        if not self.defer_view_builds or current.version.lists == version.lists:
            return False
        if not version.snapshots:
            return False
        saved = self.settings.home / "index" / f"lists-{lists_key(version.snapshots)}.idx"
        if saved.is_file():
            self._deferred_since.clear()
            return False
        since = self._deferred_since.setdefault(version.lists, time.monotonic())
        return time.monotonic() - since < VIEW_BUILD_GRACE

    def _build_view(self, version: DataVersion, previous: ListView | None) -> ListView:
        """A view of ``version``; its index is ``previous``'s when the snapshots are the
        same (only the ownership edges changed), else loaded or built and persisted."""
        snaps = version.snapshots
        if previous is not None and previous.version.lists == version.lists:
            index = previous.index
        elif snaps:
            store = self.store

            def entries() -> Iterator[Entry]:
                # The token's snapshots by id, not "the current ones": an import committed
                # meanwhile must not end up in an index filed under the older key.
                for snap in snaps:
                    yield from store.iter_entries(snap.id)

            index = self.cached_index("lists", lists_key(snaps), entries)
            # The index is millions of long-lived objects: moved out of the collector's
            # reach, full collections stop rescanning them (about 20% of mean latency in a
            # server).
            gc.freeze()
        else:
            index = None
        folder = self.settings.home / "index"
        return ListView(self.store, version, index, index_folder=folder, lists_of=previous)

    # --- screening -----------------------------------------------------------------------

    def matcher(self) -> MatchIndex:
        """The match index over every source's current snapshot (the current view's).

        Built once per set of snapshots and persisted under ``home/index/`` keyed by the
        snapshot ids, their hashes and the algorithm version, so ``entityscreen screen``
        loads it instead of rebuilding it on every run.
        """
        return self.view().matcher()

    def past_matcher(self) -> MatchIndex | None:
        """An index of the entries earlier snapshots held and the current ones do not, for
        screening as of past dates; None when nothing was ever removed. Persisted like
        :meth:`matcher`."""
        return self.view().past

    def cached_index(
        self, kind: str, key: str, entries: Callable[[], Iterable[Entry]]
    ) -> MatchIndex:
        """The index ``home/index/{kind}-{key}.idx``, built from ``entries()`` when missing
        or unreadable; older files of the same kind are removed once a new one is saved.

        Kinds: ``lists`` (current snapshots), ``past`` (removed entries), ``parties``.
        """
        return cached_index(
            self.settings.home / "index", kind, key, entries, keep_analyses=self.keep_analyses
        )

    def screen(
        self,
        party: Party,
        *,
        threshold: float | None = None,
        limit: int = 10,
        lists: Collection[str] | None = None,
        as_of: date | None = None,
        view: ListView | None = None,
        algorithm: str | None = None,
    ) -> ScreeningResult:
        """Screen one party against every loaded list.

        Args:
            party: The party.
            threshold: Lowest score reported (default: the algorithm's; ours 0.70).
            limit: Most hits.
            lists: Only these list codes ("EL", "SDN", ...).
            as_of: Answer for this past date: hits whose entry was not listed then move
                to ``not_listed``; entries removed since are screened too.
            view: The view of the lists to answer from (default: :meth:`view`); given by
                a caller that reads more of the same view for one answer.
            algorithm: ``entityscreen`` (default) or ``ofac`` (:mod:`.algorithms`).
        """
        [result] = self.screen_many(
            [party], threshold=threshold, limit=limit, lists=lists, as_of=as_of, view=view,
            algorithm=algorithm,
        )
        return result

    def screen_many(
        self,
        parties: Sequence[Party],
        *,
        threshold: float | None = None,
        limit: int = 10,
        lists: Collection[str] | None = None,
        as_of: date | None = None,
        view: ListView | None = None,
        algorithm: str | None = None,
    ) -> list[ScreeningResult]:
        """Screen many parties with the same options; one result per party, in order, all
        from one view of the lists (``view``, default :meth:`view`)."""
        chosen, cutoff = resolve(algorithm, threshold)
        view = view or self.view()
        index = view.matcher()
        wanted = check_lists(lists, view)
        parties = [resolve_party(p) for p in parties]
        results = []
        for party in parties:
            started = time.perf_counter()
            matches = find_matches(index, party, chosen, cutoff, pool_size(limit), wanted)
            results.append(
                self._assess(view, party, matches, cutoff, limit, wanted, as_of, started=started,
                             algorithm=chosen)
            )
        self._audit_screenings(results)
        return results

    def now(self) -> str:
        """The service clock, as ISO text to the second (UTC)."""
        return self._clock().isoformat(timespec="seconds")

    # --- monitoring -----------------------------------------------------------------------

    def import_parties(
        self, path: Path | str, *, columns: ColumnMap | None = None
    ) -> tuple[PartyImport, list[InputRow]]:
        """Add and update parties of the registry from a CSV, XLSX, Parquet or JSONL file.

        Returns:
            What changed, and the rows that were skipped (with their reasons). Every row
            needs an id: the registry keeps the user's own ids.
        """
        good: list[Party] = []
        bad: list[InputRow] = []
        seen: set[str] = set()
        for row in read_party_file(str(path), columns=columns or ColumnMap()):
            if row.party is None:
                bad.append(row)
            elif not row.explicit_id:
                bad.append(replace(row, party=None, error="no id; the registry needs one"))
            elif row.row_id in seen:
                bad.append(replace(row, party=None, error=f"id {row.row_id!r} repeated"))
            else:
                seen.add(row.row_id)
                good.append(row.party)
        if not good:
            raise InputError(f"{path}: no party with an id and a name")
        result = self.store.upsert_parties(
            good, at=self.now(), origin=str(path), actor=self.operator
        )
        # Built now, off the critical path: the next `monitor` after a list update only
        # loads it (building it for 100,000 parties takes seconds).
        party_index(self, [p for p, _, _ in self.store.iter_parties()])
        return result, bad

    def monitor(
        self, *, threshold: float | None = None, workers: int = 1, guard: DelistGuard | None = None
    ) -> MonitorReport:
        """Re-screen what changed since the last run and raise alerts
        (:mod:`entityscreen.service.monitoring`); ``guard``: see :class:`DelistGuard`."""
        cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
        check_threshold(cutoff)
        return run_monitor(self, threshold=cutoff, workers=workers, guard=guard)

    def alerts(self, *, status: str | None = None) -> list[Alert]:
        """The alert queue, oldest first; ``status``: open, false-positive, true-match,
        escalated."""
        try:
            wanted = AlertStatus(status) if status else None
        except ValueError:
            known = ", ".join(s.value for s in AlertStatus)
            raise InputError(f"unknown status {status!r}; use one of {known}") from None
        return self.store.alerts(status=wanted)

    def decide(
        self, alert_id: int, verdict: str, *, reason: str, actor: Actor, by: str | None = None
    ) -> Decision:
        """Record an analyst's decision on an alert (never deleted). ``actor`` is who the
        front end authenticated (recorded and audited); ``by`` only a note beside it (by
        default the actor's name): an analyst cannot decide in someone else's name."""
        try:
            value = Verdict(verdict)
        except ValueError:
            known = ", ".join(v.value for v in Verdict)
            raise InputError(f"unknown verdict {verdict!r}; use one of {known}") from None
        if not reason.strip():
            raise InputError("a decision needs a reason")
        note = (by or "").strip() or actor.name
        return self.store.decide(
            alert_id, value, reason=reason.strip(), by=note, actor=actor, at=self.now()
        )

    def decisions(self, alert_id: int) -> list[Decision]:
        return self.store.decisions(alert_id)

    def _audit_screenings(self, results: Sequence[ScreeningResult]) -> None:
        if results:
            records: list[tuple[AuditKind, dict[str, Any] | str]] = [
                (AuditKind.SCREENING, r.audit_text()) for r in results
            ]
            self.store.audit_many(records, at=self._clock().isoformat(timespec="seconds"))

    def compare(
        self, name1: str, name2: str, *, schema: Schema = Schema.UNKNOWN,
        algorithm: str | None = None,
    ) -> Comparison:
        """Score one pair of names with exactly the scorer screening uses (or ``algorithm``)."""
        return compare_with(name1, name2, schema=schema, algorithm=algorithm)


# What the CLI, API and UI use from the layers below comes through here, so they never
# import the store, the sources or the matcher themselves.
__all__ = [
    "ALGORITHM_VERSION",
    "DEFAULT_THRESHOLD",
    "OWNERSHIP_RULES",
    "OWNER_MATCH_THRESHOLD",
    "BatchReport",
    "Hit",
    "ImportResult",
    "ListStatus",
    "ListView",
    "Screener",
    "ScreeningResult",
    "SnapshotDiff",
    "all_formats",
    "compare_names",
    "diff_dicts",
]
