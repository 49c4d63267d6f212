"""The one facade that the CLI, the HTTP API and the web UI call.

:class:`Screener` owns the store and the list manifest. Everything a user can do goes
through a method here, so the front ends stay thin and never duplicate logic.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from .batch.executor import screen_chunks
from .batch.io import InputRow
from .errors import EntityScreenError, InputError, NotFoundError
from .matching import (
    ALGORITHM_VERSION,
    DEFAULT_THRESHOLD,
    Comparison,
    Match,
    MatchIndex,
    compare_names,
)
from .model import Entry, Party, Schema, Snapshot
from .settings import Settings
from .sources import Parsed, parse_file
from .sources.base import sha256_files
from .sources.fetch import fetch_source
from .sources.manifest import Manifest, SourceSpec, load_manifest
from .store import EntryHistory, SnapshotDiff, SqliteStore

Clock = Callable[[], datetime]


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
        store: SqliteStore,
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

    @classmethod
    def open(
        cls,
        home: Path | str | None = None,
        *,
        settings: Settings | None = None,
        clock: Clock = _utc_now,
    ) -> Screener:
        settings = settings or Settings.from_env(home)
        return cls(SqliteStore.open(settings.store_path), settings, clock=clock)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Screener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def manifest(self) -> Manifest:
        if self._manifest is None:
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
    ) -> ImportResult:
        """Parse one list file (or multi-file folder) and store it as a new snapshot.

        Parsing completes before the store is touched, and the store write is one
        transaction: a malformed file or a crash leaves the previous state as it was.
        Identical bytes to the source's latest snapshot are a no-op; with
        ``skip_if_known`` (mirror syncs), identical bytes to any earlier snapshot too, so
        a mirror holding several dated copies is imported once, not flip-flopped.
        """
        started = time.perf_counter()
        origin = origin or str(path)
        try:
            if not path.exists():
                raise InputError(f"{path}: no such file or directory")
            parsed = parse_file(path, format=format, options=options)
            if source:
                parsed = _rename_source(parsed, source)
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
        folder = self.settings.home / "index"
        path = folder / f"{key}.idx"
        index: MatchIndex | None = None
        if path.is_file():
            try:
                index = MatchIndex.load(path)
            except Exception:  # a stale or damaged cache file is rebuilt, never trusted
                index = None
        if index is None:
            index = MatchIndex.build(self.store.iter_current_entries())
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
            index.save(tmp)
            os.replace(tmp, path)
            for old in folder.glob("*.idx"):
                if old != path:
                    old.unlink(missing_ok=True)
        self._index, self._index_key = index, key
        self._index_snapshots = tuple(snaps)
        return index

    def screen(
        self,
        party: Party,
        *,
        threshold: float | None = None,
        limit: int = 10,
        lists: Collection[str] | None = None,
    ) -> ScreeningResult:
        """Screen one party against every loaded list."""
        [result] = self.screen_many([party], threshold=threshold, limit=limit, lists=lists)
        return result

    def screen_many(
        self,
        parties: Sequence[Party],
        *,
        threshold: float | None = None,
        limit: int = 10,
        lists: Collection[str] | None = None,
    ) -> list[ScreeningResult]:
        """Screen many parties with the same options; one result per party, in order."""
        index = self.matcher()
        cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
        _check_threshold(cutoff)
        wanted = {x.strip().upper() for x in lists} if lists else None
        results = []
        for party in parties:
            started = time.perf_counter()
            matches = index.screen(party, threshold=cutoff, limit=limit, lists=wanted)
            results.append(
                ScreeningResult(
                    party=party,
                    matches=matches,
                    snapshots=self._index_snapshots,
                    algorithm=ALGORITHM_VERSION,
                    threshold=cutoff,
                    screened_at=self._clock().isoformat(timespec="seconds"),
                    seconds=time.perf_counter() - started,
                )
            )
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
    ) -> Iterator[tuple[InputRow, list[Match]]]:
        """Batch screening: every input row with its matches (none for bad rows), in order."""
        index = self.matcher()
        cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
        _check_threshold(cutoff)
        wanted = {x.strip().upper() for x in lists} if lists else None
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
            for row in chunk:
                yield row, (next(it) if row.party is not None else [])

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


def _check_threshold(value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise InputError(f"threshold must be between 0 and 1, got {value}")


@dataclass(frozen=True)
class ScreeningResult:
    """A party, its matches, and what is needed to reproduce the answer later."""

    party: Party
    matches: list[Match]
    snapshots: tuple[Snapshot, ...]
    algorithm: str
    threshold: float
    screened_at: str
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": {
                "name": self.party.name,
                "id": self.party.id,
                "schema": self.party.schema.value,
                "country": self.party.country,
            },
            "matches": [match_to_dict(m) for m in self.matches],
            "snapshots": [
                {"id": s.id, "source": s.source, "sha256": s.sha256, "published": s.published}
                for s in self.snapshots
            ],
            "algorithm": self.algorithm,
            "threshold": self.threshold,
            "screened_at": self.screened_at,
            "seconds": round(self.seconds, 6),
        }


def match_to_dict(m: Match) -> dict[str, Any]:
    return {
        "entry_id": m.entry_id,
        "score": round(m.score, 4),
        "list": m.list,
        "source": m.source,
        "schema": m.schema.value if isinstance(m.schema, Schema) else m.schema,
        "listed_name": m.listed_name,
        "matched_name": m.matched_name,
        "query_name": m.query_name,
        "countries": list(m.countries),
        "explanation": m.explanation,
        "features": dict(m.features),
    }


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
