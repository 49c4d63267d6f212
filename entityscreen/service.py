"""The one facade that the CLI, the HTTP API and the web UI call.

:class:`Screener` owns the store and the list manifest. Everything a user can do goes
through a method here, so the front ends stay thin and never duplicate logic.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch.executor import screen_chunks
from .batch.io import ColumnMap, InputRow, read_party_file
from .errors import EntityScreenError, InputError, NotFoundError
from .exportcontrol import (
    LegalSummary,
    OwnershipEdge,
    OwnershipFinding,
    OwnershipGraph,
    aggregate_ownership,
    embargo_flags,
    get_rule,
    legal_facts,
    listing_codes,
    listing_status,
    section889_flags,
)
from .matching import (
    ALGORITHM_VERSION,
    DEFAULT_THRESHOLD,
    Comparison,
    Match,
    MatchIndex,
    compare_names,
)
from .model import (
    Alert,
    AlertStatus,
    Decision,
    Entry,
    Party,
    Schema,
    Snapshot,
    Verdict,
    ownership_key,
)
from .monitoring import MonitorReport, party_index, run_monitor
from .results import Hit, ScreeningResult
from .settings import Settings
from .store import (
    AuditCheck,
    AuditKind,
    AuditRecord,
    EntryHistory,
    SnapshotDiff,
    SqlStore,
    diff_dicts,
    open_store,
)
from .store.access import ApiKey, BatchJob
from .store.monitoring import PartyImport

if TYPE_CHECKING:
    # Imported where used: list parsing, manifests (pydantic) and downloads (httpx) cost
    # ~0.35 s of start-up that `entityscreen screen` does not need.
    import httpx

    from .batch.distributed import DaskReport
    from .sources import Parsed
    from .sources.manifest import Manifest, SourceSpec

Clock = Callable[[], datetime]

#: Ownership rules checked for every party and every hit (``exportcontrol/data/rules.yml``);
#: Section 889 affiliates are checked through :func:`section889_flags`.
OWNERSHIP_RULES = ("ofac_50", "bis_affiliates")

#: An owner known only by name counts as listed when it matches an entry at least this well.
OWNER_MATCH_THRESHOLD = 0.9


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ImportResult:
    """What one import did. ``status``: imported, unchanged or failed."""

    source: str
    origin: str
    status: str
    message: str
    snapshot: Snapshot | None = None
    list_counts: Mapping[str, int] = field(default_factory=dict)
    warnings: Sequence[str] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass(frozen=True)
class ListStatus:
    """One row of ``entityscreen lists``: a list of a source as held by its latest snapshot."""

    source: str
    list: str
    snapshot: Snapshot
    entries: int


class Screener:
    """Open with :meth:`open`; use as a context manager to close the store."""

    def __init__(
        self,
        store: SqlStore,
        settings: Settings,
        *,
        manifest: Manifest | None = None,
        clock: Clock = _utc_now,
    ) -> None:
        self.store = store
        self.settings = settings
        self._manifest = manifest
        self._clock = clock
        self._index: MatchIndex | None = None
        self._index_key: str | None = None
        self._index_snapshots: tuple[Snapshot, ...] = ()
        self._past: MatchIndex | None = None
        self._past_key: str | None = None
        self._entries: dict[str, Entry] = {}
        self._legal_cache: dict[str, LegalSummary] = {}
        self._presence_cache: dict[str, list[tuple[date, bool]]] = {}
        self._graph: OwnershipGraph | None = None
        self._listed: dict[str, frozenset[str]] | None = None
        #: The entry each listed ownership node is or resolves to (see listed_owners).
        self._listed_entries: dict[str, str] = {}
        self._nodes_by_name: dict[str, list[str]] = {}

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

    @property
    def manifest(self) -> Manifest:
        if self._manifest is None:
            from .sources.manifest import load_manifest

            self._manifest = load_manifest(self.settings.manifest)
        return self._manifest

    # --- lists ---------------------------------------------------------------------------

    def import_path(
        self,
        path: Path,
        *,
        format: str | None = None,
        source: str | None = None,
        options: Mapping[str, str] | None = None,
        origin: str | None = None,
        skip_if_known: bool = False,
        published: date | None = None,
    ) -> ImportResult:
        """Parse one list file (or multi-file folder) and store it as a new snapshot.

        Parsing completes before the store is touched, and the store write is one
        transaction: a malformed file or a crash leaves the previous state as it was.
        Identical bytes to the source's latest snapshot are a no-op; with
        ``skip_if_known`` (mirror syncs), identical bytes to any earlier snapshot too, so
        a mirror holding several dated copies is imported once, not flip-flopped.

        The snapshot's publication date is the one the file states; else ``published``;
        else a date ``YYYY-MM-DD`` in the names of the file or its folder (mirrors keep
        dated copies as ``ofac_sdn_2023-12-28/sdn.csv``); else none, and as-of screening
        dates the snapshot by when it was fetched.
        """
        started = time.perf_counter()
        origin = origin or str(path)
        try:
            if not path.exists():
                raise InputError(f"{path}: no such file or directory")
            from .sources import parse_file

            parsed = parse_file(path, format=format, options=options)
            if source:
                parsed = _rename_source(parsed, source)
            if parsed.published is None:
                stated = published or _date_in_path(path)
                if stated is not None:
                    parsed = replace(parsed, published=stated.isoformat())
            return self._store_parsed(
                parsed, origin=origin, started=started, skip_if_known=skip_if_known
            )
        except EntityScreenError as exc:
            return ImportResult(
                source=source or "?",
                origin=origin,
                status="failed",
                message=str(exc),
                seconds=time.perf_counter() - started,
            )

    def _store_parsed(
        self, parsed: Parsed, *, origin: str, started: float, skip_if_known: bool
    ) -> ImportResult:
        from .sources.base import sha256_files

        sha = sha256_files(parsed.files)
        latest = self.store.latest_snapshot(parsed.source)
        same = [s for s in self.store.snapshots(parsed.source) if s.sha256 == sha]
        if not skip_if_known:
            same = [s for s in same if latest is not None and s.id == latest.id]
        if same:
            known = same[-1]
            return ImportResult(
                source=parsed.source,
                origin=origin,
                status="unchanged",
                message=f"identical to snapshot {known.id} (sha256 {sha[:12]}); nothing imported",
                snapshot=known,
                list_counts=self.store.list_counts(known.id),
                warnings=parsed.warnings,
                seconds=time.perf_counter() - started,
            )
        entries: list[Entry] = parsed.entries
        parent_id = None
        if parsed.delta:
            base: dict[str, Entry] = {}
            if latest is not None:
                base = {e.id: e for e in self.store.iter_entries(latest.id)}
                parent_id = latest.id
            for entry_id in parsed.deleted:
                base.pop(entry_id, None)
            for entry in parsed.entries:
                base[entry.id] = entry
            entries = list(base.values())
        snapshot = self.store.add_snapshot(
            source=parsed.source,
            format=parsed.format,
            sha256=sha,
            entries=entries,
            fetched_at=self._clock().isoformat(timespec="seconds"),
            published=parsed.published,
            origin=origin,
            parent_id=parent_id,
            audit_at=self._clock().isoformat(timespec="seconds"),
        )
        counts = self.store.list_counts(snapshot.id)
        return ImportResult(
            source=parsed.source,
            origin=origin,
            status="imported",
            message=f"snapshot {snapshot.id}: {snapshot.entry_count} entries",
            snapshot=snapshot,
            list_counts=counts,
            warnings=parsed.warnings,
            seconds=time.perf_counter() - started,
        )

    def update_lists(
        self,
        *,
        mirror: Path | None = None,
        sources: Sequence[str] | None = None,
        client: httpx.Client | None = None,
    ) -> list[ImportResult]:
        """Fetch every (or the named) source from its official URL, or from a mirror folder.

        One source failing does not stop the others; each result says what happened.
        """
        specs = [self.manifest.get(s) for s in sources] if sources else self.manifest.sources
        if mirror is not None and not mirror.is_dir():
            raise InputError(f"mirror {mirror} is not a directory")
        results: list[ImportResult] = []
        for spec in specs:
            if mirror is not None:
                results.extend(self._update_from_mirror(spec, mirror))
            else:
                results.append(self._update_online(spec, client))
        return results

    def _update_from_mirror(self, spec: SourceSpec, mirror: Path) -> list[ImportResult]:
        found = spec.find_in_mirror(mirror)
        if not found:
            patterns = ", ".join(spec.mirror) or "(none declared)"
            return [
                ImportResult(
                    source=spec.id,
                    origin=str(mirror),
                    status="failed",
                    message=f"no file in {mirror} matches {patterns}",
                )
            ]
        return [
            self.import_path(
                path, format=spec.format, source=spec.id, origin=str(path), skip_if_known=True
            )
            for path in found
        ]

    def _update_online(self, spec: SourceSpec, client: httpx.Client | None) -> ImportResult:
        started = time.perf_counter()
        origin = spec.files[0].url
        try:
            with tempfile.TemporaryDirectory(prefix="entityscreen-") as tmp:
                from .sources.fetch import fetch_source

                paths = fetch_source(spec, Path(tmp), client=client)
                target = paths[0] if len(spec.files) == 1 else Path(tmp)
                result = self.import_path(target, format=spec.format, source=spec.id, origin=origin)
        except EntityScreenError as exc:
            return ImportResult(
                source=spec.id,
                origin=origin,
                status="failed",
                message=str(exc),
                seconds=time.perf_counter() - started,
            )
        return result

    def list_status(self) -> list[ListStatus]:
        """What is loaded: every list of every source's latest snapshot."""
        rows = []
        for snap in self.store.current_snapshots():
            for list_code, count in self.store.list_counts(snap.id).items():
                rows.append(ListStatus(snap.source, list_code, snap, count))
            if snap.entry_count == 0:
                rows.append(ListStatus(snap.source, "-", snap, 0))
        return rows

    def snapshots(self, source: str | None = None) -> list[Snapshot]:
        return self.store.snapshots(source)

    def diff(
        self, source: str, *, from_snapshot: int | None = None, to_snapshot: int | None = None
    ) -> SnapshotDiff:
        """Changes of ``source`` between two snapshots; by default the latest two."""
        snaps = self.store.snapshots(source)
        if not snaps:
            raise NotFoundError(f"no snapshots of source {source!r}; import it first")
        by_id = {s.id: s for s in snaps}
        for given in (from_snapshot, to_snapshot):
            if given is not None and given not in by_id:
                raise NotFoundError(f"snapshot {given} is not a snapshot of {source!r}")
        new_id = to_snapshot if to_snapshot is not None else snaps[-1].id
        if from_snapshot is not None:
            old_id: int | None = from_snapshot
        else:
            older = [s.id for s in snaps if s.id < new_id]
            old_id = older[-1] if older else None
        return self.store.diff(old_id, new_id)

    def history(self, entry_id: str) -> EntryHistory:
        return self.store.history(entry_id)

    def get_entry(self, entry_id: str, *, snapshot_id: int | None = None) -> Entry:
        return self.store.get_entry(entry_id, snapshot_id=snapshot_id)

    # --- screening -----------------------------------------------------------------------

    def matcher(self) -> MatchIndex:
        """The match index over every source's current snapshot.

        Built once per set of snapshots and persisted under ``home/index/`` keyed by the
        snapshot ids, their hashes and the algorithm version, so ``entityscreen screen``
        loads it instead of rebuilding it on every run.
        """
        snaps = self.store.current_snapshots()
        if not snaps:
            raise NotFoundError("no lists loaded; run 'entityscreen lists update' first")
        key_src = json.dumps([ALGORITHM_VERSION, [(x.id, x.sha256) for x in snaps]])
        key = hashlib.sha256(key_src.encode("utf-8")).hexdigest()[:20]
        if self._index is not None and self._index_key == key:
            return self._index
        index = self.cached_index("lists", key, self.store.iter_current_entries)
        self._index, self._index_key = index, key
        self._index_snapshots = tuple(snaps)
        # The index is millions of long-lived objects: moved out of the collector's reach,
        # full collections stop rescanning them (about 20% of mean latency in a server).
        gc.freeze()
        return index

    def past_matcher(self) -> MatchIndex | None:
        """An index of the entries earlier snapshots held and the current ones do not, for
        screening as of past dates; None when nothing was ever removed. Persisted like
        :meth:`matcher`."""
        snaps = self.store.snapshots()
        key_src = json.dumps([ALGORITHM_VERSION, "past", [(x.id, x.sha256) for x in snaps]])
        key = hashlib.sha256(key_src.encode("utf-8")).hexdigest()[:20]
        if self._past_key == key:
            return self._past
        removed = list(self.store.iter_removed_entries())
        self._past = self.cached_index("past", key, lambda: removed) if removed else None
        self._past_key = key
        return self._past

    def cached_index(
        self, kind: str, key: str, entries: Callable[[], Iterable[Entry]]
    ) -> MatchIndex:
        """The index ``home/index/{kind}-{key}.idx``, built from ``entries()`` when missing
        or unreadable; older files of the same kind are removed once a new one is saved.

        Kinds: ``lists`` (current snapshots), ``past`` (removed entries), ``parties``.
        """
        folder = self.settings.home / "index"
        path = folder / f"{kind}-{key}.idx"
        if path.is_file():
            try:
                return MatchIndex.load(path)
            except Exception:  # a stale or damaged cache file is rebuilt, never trusted
                pass
        index = MatchIndex.build(entries())
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        index.save(tmp)
        os.replace(tmp, path)
        for old in folder.glob(f"{kind}-*.idx"):
            if old != path:
                old.unlink(missing_ok=True)
        return index

    def screen(
        self,
        party: Party,
        *,
        threshold: float | None = None,
        limit: int = 10,
        lists: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> ScreeningResult:
        """Screen one party against every loaded list.

        Args:
            party: The party.
            threshold: Lowest score reported (default :data:`DEFAULT_THRESHOLD`).
            limit: Most hits.
            lists: Only these list codes ("EL", "SDN", ...).
            as_of: Answer for this past date: hits whose entry was not listed then move
                to ``not_listed``; entries removed since are screened too.
        """
        [result] = self.screen_many(
            [party], threshold=threshold, limit=limit, lists=lists, as_of=as_of
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
    ) -> list[ScreeningResult]:
        """Screen many parties with the same options; one result per party, in order."""
        index = self.matcher()
        cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
        _check_threshold(cutoff)
        wanted = _wanted_lists(lists)
        past = self.past_matcher() if as_of is not None else None
        results = []
        for party in parties:
            started = time.perf_counter()
            matches = index.screen(party, threshold=cutoff, limit=limit, lists=wanted)
            results.append(
                self._assess(
                    party, matches, cutoff, limit, wanted, as_of, started=started, past=past
                )
            )
        self._audit_screenings(results)
        return results

    def screen_rows(
        self,
        rows: Iterable[InputRow],
        *,
        threshold: float | None = None,
        limit: int = 10,
        lists: Collection[str] | None = None,
        workers: int = 1,
        chunk_size: int = 200,
        as_of: date | None = None,
    ) -> Iterator[tuple[InputRow, ScreeningResult | None]]:
        """Batch screening: every input row with its result (None for a bad row), in order.

        Name matching runs in ``workers`` processes; the export-control meaning of each hit
        is added here, from the store (cached per entry).
        """
        index = self.matcher()
        cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
        _check_threshold(cutoff)
        wanted = _wanted_lists(lists)
        past = self.past_matcher() if as_of is not None else None
        pending: list[list[InputRow]] = []

        def chunks() -> Iterator[list[Party]]:
            for chunk in _chunked(rows, chunk_size):
                pending.append(chunk)
                yield [r.party for r in chunk if r.party is not None]

        results = screen_chunks(
            index, chunks(), workers=workers, threshold=cutoff, limit=limit, lists=wanted
        )
        for chunk_matches in results:
            chunk = pending.pop(0)
            it = iter(chunk_matches)
            done: list[tuple[InputRow, ScreeningResult | None]] = []
            for row in chunk:
                if row.party is None:
                    done.append((row, None))
                    continue
                started = time.perf_counter()
                result = self._assess(
                    row.party, next(it), cutoff, limit, wanted, as_of, started=started, past=past
                )
                done.append((row, result))
            # Recorded before the rows are handed on: what was reported was audited.
            self._audit_screenings([r for _, r in done if r is not None])
            yield from done

    def batch_dask(
        self,
        input_path: str,
        out_path: str,
        *,
        columns: ColumnMap,
        threshold: float | None = None,
        limit: int = 10,
        workers: int = 2,
        scheduler: str | None = None,
        lists: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> DaskReport:
        """Batch screening on Dask (:mod:`entityscreen.batch.distributed`): the index is
        built (or loaded) here first, so every worker only loads it."""
        from .batch.distributed import run_dask_batch

        if threshold is not None:
            _check_threshold(threshold)
        self.matcher()
        return run_dask_batch(
            input_path,
            out_path,
            home=self.settings.home,
            columns=columns,
            threshold=threshold,
            limit=limit,
            workers=workers,
            scheduler=scheduler,
            lists=tuple(lists) if lists else None,
            as_of=as_of,
        )

    # --- API keys and batch jobs ------------------------------------------------------------

    def create_key(self, name: str, role: str) -> tuple[ApiKey, str]:
        """A new API key; the key itself is returned once and only its hash is stored."""
        return self.store.create_key(name, role, at=self.now())

    def revoke_key(self, key_id: int) -> ApiKey:
        return self.store.revoke_key(key_id, at=self.now())

    def keys(self) -> list[ApiKey]:
        return self.store.keys()

    def authenticate(self, key: str) -> ApiKey | None:
        """The active key record for a presented key, or None."""
        return self.store.find_key(key) if key else None

    def submit_batch(
        self,
        data: bytes,
        *,
        kind: str = "csv",
        threshold: float | None = None,
        limit: int = 10,
        as_of: date | None = None,
        background: bool = True,
    ) -> BatchJob:
        """Store an uploaded batch file and screen it in a background thread (its own
        store connection); :meth:`batch_job` reports progress, :meth:`batch_output` the
        result file (CSV, the format of ``entityscreen batch``)."""
        if kind not in ("csv", "jsonl"):
            raise InputError(f"unknown batch format {kind!r}; use csv or jsonl")
        if threshold is not None:
            _check_threshold(threshold)
        self.matcher()  # fail now, not in the thread, when no lists are loaded
        job = self.store.create_job(at=self.now())
        folder = self.settings.home / "jobs" / job.id
        folder.mkdir(parents=True)
        source = folder / f"input.{kind}"
        source.write_bytes(data)
        args = (self.settings, job.id, source, folder / "output.csv", threshold, limit, as_of)
        if background:
            import threading

            threading.Thread(target=_run_batch_job, args=args, daemon=True).start()
        else:
            _run_batch_job(*args)
        return self.store.get_job(job.id)

    def batch_job(self, job_id: str) -> BatchJob:
        return self.store.get_job(job_id)

    def batch_output(self, job_id: str) -> Path:
        job = self.store.get_job(job_id)
        if job.status != "done":
            raise InputError(f"batch job {job_id} is {job.status}, not done")
        return self.settings.home / "jobs" / job_id / "output.csv"

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
        result = self.store.upsert_parties(good, at=self.now(), origin=str(path))
        # Built now, off the critical path: the next `monitor` after a list update only
        # loads it (building it for 100,000 parties takes seconds).
        party_index(self, [p for p, _, _ in self.store.iter_parties()])
        return result, bad

    def monitor(self, *, threshold: float | None = None, workers: int = 1) -> MonitorReport:
        """Re-screen what changed since the last run and raise alerts
        (:mod:`entityscreen.monitoring`)."""
        cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
        _check_threshold(cutoff)
        return run_monitor(self, threshold=cutoff, workers=workers)

    def alerts(self, *, status: str | None = None) -> list[Alert]:
        """The alert queue, oldest first; ``status``: open, false-positive, true-match,
        escalated."""
        try:
            wanted = AlertStatus(status) if status else None
        except ValueError:
            known = ", ".join(s.value for s in AlertStatus)
            raise InputError(f"unknown status {status!r}; use one of {known}") from None
        return self.store.alerts(status=wanted)

    def decide(self, alert_id: int, verdict: str, *, reason: str, by: str) -> Decision:
        """Record an analyst's decision on an alert (never deleted)."""
        try:
            value = Verdict(verdict)
        except ValueError:
            known = ", ".join(v.value for v in Verdict)
            raise InputError(f"unknown verdict {verdict!r}; use one of {known}") from None
        if not reason.strip():
            raise InputError("a decision needs a reason")
        if not by.strip():
            raise InputError("a decision needs the name of who decides")
        return self.store.decide(
            alert_id, value, reason=reason.strip(), by=by.strip(), at=self.now()
        )

    def decisions(self, alert_id: int) -> list[Decision]:
        return self.store.decisions(alert_id)

    def _audit_screenings(self, results: Sequence[ScreeningResult]) -> None:
        if results:
            records = [(AuditKind.SCREENING, r.audit_record()) for r in results]
            self.store.audit_many(records, at=self._clock().isoformat(timespec="seconds"))

    # --- audit log ------------------------------------------------------------------------

    def verify_audit(self) -> AuditCheck:
        """Check the audit log's hash chain end to end."""
        return self.store.verify_audit()

    def audit_records(
        self, *, since: date | None = None, until: date | None = None
    ) -> Iterator[AuditRecord]:
        """Audit records with ``since <= day < until`` (UTC dates; either may be open)."""
        return self.store.audit_records(
            since=since.isoformat() if since else None,
            until=until.isoformat() if until else None,
        )

    # --- what a hit means -----------------------------------------------------------------

    def _assess(
        self,
        party: Party,
        matches: list[Match],
        threshold: float,
        limit: int,
        lists: set[str] | None,
        as_of: date | None,
        *,
        started: float,
        past: MatchIndex | None = None,
    ) -> ScreeningResult:
        """Add legal facts, as-of listing, ownership and flags to a party's name matches;
        with ``as_of``, ``past`` is :meth:`past_matcher` (looked up once by the caller)."""
        if as_of is not None and past is not None:
            older = past.screen(party, threshold=threshold, limit=limit, lists=lists)
            matches = sorted([*matches, *older], key=lambda m: -m.score)[:limit]
        day = as_of or self._clock().date()
        hits: list[Hit] = []
        not_listed: list[Hit] = []
        for match in matches:
            entry = self.entry(match.entry_id)
            listing = None
            if as_of is not None:
                presence = self._presence(entry.id)
                listing = listing_status(entry, as_of, snapshot_presence=presence)
            hit = Hit(
                match=match,
                legal=self._legal(entry),
                listing=listing,
                ownership=self._owned_by_listed(entry.id, day, past=as_of is not None),
            )
            (not_listed if listing is not None and listing.listed is False else hits).append(hit)
        names = [party.name, *party.aliases]
        graph = self.ownership_graph()
        nodes = self._party_nodes(party)
        ownership: list[OwnershipFinding] = []
        for node in nodes:
            ownership.extend(self._owned_by_listed(node, day, past=as_of is not None))
        flags = embargo_flags(party.country, party.address, as_of=day)
        targets: list[str | None] = [*nodes] or [None]
        for target in targets:
            for flag in section889_flags(names, as_of=day, target_id=target, graph=graph):
                if flag not in flags:
                    flags.append(flag)
        return ScreeningResult(
            party=party,
            hits=hits,
            not_listed=tuple(not_listed),
            ownership=tuple(ownership),
            flags=tuple(flags),
            as_of=as_of,
            snapshots=self._index_snapshots,
            algorithm=ALGORITHM_VERSION,
            threshold=threshold,
            screened_at=self._clock().isoformat(timespec="seconds"),
            seconds=time.perf_counter() - started,
        )

    def _presence(self, entry_id: str) -> list[tuple[date, bool]]:
        """``(snapshot date, held?)`` for every snapshot of the entry's source (cached)."""
        found = self._presence_cache.get(entry_id)
        if found is None:
            found = [(_snapshot_date(s), held) for s, held in self.store.presence(entry_id)]
            self._presence_cache[entry_id] = found
        return found

    def entry(self, entry_id: str) -> Entry:
        """An entry in its latest stored version (cached for the life of this object)."""
        entry = self._entries.get(entry_id)
        if entry is None:
            entry = self._entries[entry_id] = self.store.get_entry(entry_id)
        return entry

    def legal_summary(self, entry: Entry) -> LegalSummary:
        """The legal facts and verdict of an entry (cached per entry)."""
        return self._legal(entry)

    def _legal(self, entry: Entry) -> LegalSummary:
        summary = self._legal_cache.get(entry.id)
        if summary is None:
            summary = self._legal_cache[entry.id] = legal_facts(entry)
        return summary

    # --- ownership ------------------------------------------------------------------------

    def import_ownership(self, path: Path, *, source: str | None = None) -> int:
        """Read an ownership file (CSV or FtM, see :mod:`entityscreen.sources.ownership`)
        and replace the edges of its source (default: the file's name) in one transaction.

        Returns:
            The number of edges stored.
        """
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        from .sources.ownership import read_ownership

        edges = read_ownership(path)
        label = source or path.name
        count = self.store.replace_ownership(
            label,
            [replace(e, source=label) for e in edges],
            imported_at=self._clock().isoformat(timespec="seconds"),
        )
        self._graph = None
        return count

    def ownership_graph(self) -> OwnershipGraph:
        """Every stored ownership edge as a graph, with display names (cached)."""
        if self._graph is None:
            records = self.store.ownership()
            names: dict[str, str] = {}
            edges = []
            for r in records:
                for node, name in ((r.owner_id, r.owner_name), (r.owned_id, r.owned_name)):
                    if name and node not in names:
                        names[node] = name
                edges.append(
                    OwnershipEdge(r.owner_id, r.owned_id, r.share, r.source, _iso(r.since))
                )
            for node in {e.owner_id for e in edges} | {e.owned_id for e in edges}:
                if node not in names:
                    with contextlib.suppress(NotFoundError):
                        names[node] = self.entry(node).primary_name
            self._graph = OwnershipGraph(edges, names=names)
            self._nodes_by_name = {}
            for node, name in names.items():
                self._nodes_by_name.setdefault(ownership_key(name), []).append(node)
            self._listed = None
        return self._graph

    def listed_owners(self) -> dict[str, frozenset[str]]:
        """Listing codes of every ownership node that is, or resolves to, a listed entry.

        A node that is an entry id counts with that entry's codes. A node known only by
        name counts when its name matches a current entry at :data:`OWNER_MATCH_THRESHOLD`
        or above: ownership files name owners, not list entries, and a near-exact bar
        keeps a common word from making an owner "listed".
        """
        graph = self.ownership_graph()
        if self._listed is not None:
            return self._listed
        listed: dict[str, frozenset[str]] = {}
        entries: dict[str, str] = {}
        owners = {e.owner_id for e in graph.edges}
        for node in sorted(owners):
            try:
                listed[node] = listing_codes(self.entry(node))
                entries[node] = node
                continue
            except NotFoundError:
                pass
            name = graph.names.get(node)
            if not name:
                continue
            found = self.matcher().screen(
                Party(name=name), threshold=OWNER_MATCH_THRESHOLD, limit=1
            )
            if found:
                listed[node] = listing_codes(self.entry(found[0].entry_id))
                entries[node] = found[0].entry_id
                graph.names[node] = f"{name} [= {found[0].list} {found[0].listed_name}]"
        self._listed, self._listed_entries = listed, entries
        return listed

    def listed_owners_as_of(self, day: date) -> dict[str, frozenset[str]]:
        """:meth:`listed_owners` less the owners whose entry was not listed on ``day``
        (by the entry's own dates and the snapshot history, as ``screen --as-of`` decides
        for a match): an owner added to the SDN list in 2024 did not make its subsidiary
        blocked in 2023."""
        listed = self.listed_owners()
        out: dict[str, frozenset[str]] = {}
        for node, codes in listed.items():
            entry = self.entry(self._listed_entries[node])
            status = listing_status(entry, day, snapshot_presence=self._presence(entry.id))
            if status.listed is not False:
                out[node] = codes
        return out

    def ownership_around(self, node: str) -> list[dict[str, Any]]:
        """The ownership edges around one node: its owners (and theirs), and what it owns.

        Each edge: owner and owned id and name, share, and the owner's listing codes.
        """
        graph = self.ownership_graph()
        if not graph.edges:
            return []
        listed = self.listed_owners()
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

    def change_history(self) -> list[dict[str, Any]]:
        """Additions and removals per list between consecutive snapshots of each source."""
        out = []
        for source in sorted({s.source for s in self.store.snapshots()}):
            snaps = self.store.snapshots(source)
            for old, new in itertools.pairwise(snaps):
                for code, (added, removed) in self.store.change_counts(old.id, new.id).items():
                    out.append(
                        {
                            "source": source,
                            "list": code,
                            "snapshot": new.id,
                            "date": (new.published or new.fetched_at)[:10],
                            "added": added,
                            "removed": removed,
                        }
                    )
        return out

    def _party_nodes(self, party: Party) -> list[str]:
        """The ownership nodes that are this party: its own id, or its names."""
        graph = self.ownership_graph()
        if not graph.edges:
            return []
        owned = {e.owned_id for e in graph.edges}
        nodes: list[str] = [party.id] if party.id and party.id in owned else []
        for name in (party.name, *party.aliases):
            for node in self._nodes_by_name.get(ownership_key(name), ()):
                if node in owned and node not in nodes:
                    nodes.append(node)
        return nodes

    def _owned_by_listed(
        self, node: str, day: date, *, past: bool = False
    ) -> tuple[OwnershipFinding, ...]:
        """The 50%-rule findings for one ownership node that call for attention; with
        ``past`` (an as-of screening), only owners listed on ``day`` count."""
        graph = self.ownership_graph()
        if not graph.edges or not graph.owners_of(node):
            return ()
        listed = self.listed_owners_as_of(day) if past else self.listed_owners()
        out = []
        for rule_id in OWNERSHIP_RULES:
            finding = aggregate_ownership(
                graph, node, listed=listed, rule=get_rule(rule_id), as_of=day
            )
            if finding is not None and (finding.reaches_threshold or finding.undetermined):
                out.append(finding)
        return tuple(out)

    def compare(self, name1: str, name2: str, *, schema: Schema = Schema.UNKNOWN) -> Comparison:
        """Score one pair of names with exactly the scorer screening uses."""
        return compare_names(name1, name2, schema=schema)


def _chunked(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    chunk: list[InputRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run_batch_job(
    settings: Settings,
    job_id: str,
    source: Path,
    target: Path,
    threshold: float | None,
    limit: int,
    as_of: date | None,
) -> None:
    """Screen an uploaded file (in a thread with its own store connection)."""
    from .batch.io import HitWriter, detect_kind, open_input, read_parties
    from .results import BATCH_EXTRA_COLUMNS, batch_rows

    with Screener.open(settings=settings) as screener:
        store = screener.store
        store.update_job(job_id, status="running", at=screener.now())
        rows = written = 0
        try:
            with (
                open_input(str(source)) as fh,
                target.open("w", encoding="utf-8", newline="") as out,
            ):
                writer = HitWriter(out, kind="csv", extra_columns=BATCH_EXTRA_COLUMNS)
                parties = read_parties(
                    fh, kind=detect_kind(str(source)), columns=ColumnMap(), source="upload"
                )
                for row, result in screener.screen_rows(
                    parties, threshold=threshold, limit=limit, as_of=as_of
                ):
                    rows += 1
                    for out_row in batch_rows(row, result):
                        writer.write(out_row)
                        written += 1
            store.update_job(
                job_id, status="done", at=screener.now(), rows=rows, output_rows=written
            )
        except EntityScreenError as exc:
            store.update_job(
                job_id, status="failed", at=screener.now(), rows=rows, message=str(exc)
            )
        except Exception as exc:  # a job never dies silently: the status says why
            store.update_job(
                job_id,
                status="failed",
                at=screener.now(),
                rows=rows,
                message=f"internal error: {type(exc).__name__}: {exc}",
            )


def _wanted_lists(lists: Collection[str] | None) -> set[str] | None:
    return {x.strip().upper() for x in lists} if lists else None


def _snapshot_date(snapshot: Snapshot) -> date:
    """The date a snapshot shows the list as of: its publication date, else when fetched."""
    return date.fromisoformat((snapshot.published or snapshot.fetched_at)[:10])


_PATH_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")


def _date_in_path(path: Path) -> date | None:
    """A full date in the file's own name or its folder's name, if exactly one is there."""
    found = set()
    for part in (path.name, path.parent.name):
        for m in _PATH_DATE.finditer(part):
            with contextlib.suppress(ValueError):
                found.add(date(int(m[1]), int(m[2]), int(m[3])))
    return found.pop() if len(found) == 1 else None


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def _check_threshold(value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise InputError(f"threshold must be between 0 and 1, got {value}")


def all_formats() -> dict[str, Any]:
    """Every list file format the sources read, by name (for ``lists formats``)."""
    from .sources import all_formats as formats

    return formats()


def _rename_source(parsed: Parsed, source: str) -> Parsed:
    """Re-home parsed entries under another source id (manifest ids, custom lists)."""
    if parsed.source == source:
        return parsed
    prefix = parsed.source + ":"

    def rename(entry_id: str) -> str:
        native = entry_id[len(prefix) :] if entry_id.startswith(prefix) else entry_id
        return f"{source}:{native}"

    entries = [replace(e, id=rename(e.id), source=source) for e in parsed.entries]
    return replace(
        parsed,
        source=source,
        entries=entries,
        deleted=tuple(rename(d) for d in parsed.deleted),
    )


# What the CLI, API and UI use from the layers below comes through here, so they never
# import the store, the sources or the matcher themselves.
__all__ = [
    "ALGORITHM_VERSION",
    "DEFAULT_THRESHOLD",
    "OWNERSHIP_RULES",
    "OWNER_MATCH_THRESHOLD",
    "Hit",
    "ImportResult",
    "ListStatus",
    "Screener",
    "ScreeningResult",
    "SnapshotDiff",
    "all_formats",
    "compare_names",
    "diff_dicts",
]
