"""Lists: importing files and mirrors, downloading official lists, snapshots, diffs and
history (the ``entityscreen lists`` commands), as methods of
:class:`~entityscreen.service.Screener`."""

from __future__ import annotations

import itertools
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EntityScreenError, InputError, NotFoundError
from ..exportcontrol.freshness import SnapshotAge, snapshot_age
from ..model import Actor, Entry, Snapshot
from ..settings import Settings
from ..store import EntryHistory, SnapshotDiff, SqlStore
from .datasets import dataset_source
from .import_files import check_size as _check_size
from .import_files import date_parsed
from .import_files import rename_source as _rename_source
from .shrink import check_import

if TYPE_CHECKING:
    import httpx

    from ..sources import Parsed
    from ..sources.manifest import Manifest, SourceSpec
    from .view import ListView


@dataclass(frozen=True)
class ImportResult:
    """What one import did. ``status``: imported, unchanged, skipped (an optional source a
    mirror does not hold) or failed."""

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
    """One row of ``entityscreen lists``: a list of a source as held by its latest snapshot,
    with the snapshot's date, how it was found, and its age today (its JSON:
    :func:`entityscreen.service.serialize.list_status_to_dict`)."""

    source: str
    list: str
    snapshot: Snapshot
    entries: int
    age: SnapshotAge | None = None


class ListsMixin:
    """The list methods of :class:`~entityscreen.service.Screener` (its store, settings
    and clock are set by its constructor)."""

    store: SqlStore
    settings: Settings
    _manifest: Manifest | None
    _clock: Callable[[], datetime]
    #: Who this process's own work (imports, monitor runs) is recorded as.
    operator: Actor

    # Provided by Screener: declared here for the type checker.
    def view(self) -> ListView:
        raise NotImplementedError

    @property
    def manifest(self) -> Manifest:
        if self._manifest is None:
            from ..sources.manifest import load_manifest

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
        partial: bool = False,
        allow_shrink: bool = False,
        max_shrink: float | None = None,
    ) -> ImportResult:
        """Parse one list file (or multi-file folder) and store it as a new snapshot.

        Parsing completes before the store is touched, and the store write is one
        transaction: a malformed file or a crash leaves the previous state as it was.
        Identical bytes to the source's latest snapshot are a no-op; with
        ``skip_if_known`` (mirror syncs), identical bytes to any earlier snapshot too, so
        a mirror holding several dated copies is imported once, not flip-flopped.

        The snapshot's date: see :func:`date_parsed` (the file's own, the user's
        ``published``, one in the path, the reader's inference, or none, said so).

        An incomplete multi-file set (OFAC's ``sdn.csv`` without ``add.csv`` and
        ``alt.csv``) after a complete one is refused, unless ``partial``: then each entry
        keeps the aliases and addresses of the previous snapshot, and the result says so
        (:func:`~entityscreen.service.listings.complete_partial`).

        An import that would empty the source, shrink it by more than ``max_shrink``
        (default: the settings') or drop one of its sub-lists is refused, the store
        untouched, unless ``allow_shrink``; then its audit record says what shrank
        (:mod:`entityscreen.service.shrink`).
        """
        started = time.perf_counter()
        origin = origin or str(path)
        try:
            if not path.exists():
                raise InputError(f"{path}: no such file or directory")
            _check_size(path, self.settings.max_import_mb)
            from ..sources import parse_file

            parsed = parse_file(path, format=format, options=options)
            if parsed.dataset is not None:
                location = origin if "://" in origin else str(path.resolve())
                parsed = _rename_source(parsed, dataset_source(parsed, source, location))
            elif source:
                parsed = _rename_source(parsed, source)
            parsed = date_parsed(parsed, path, published, today=self._clock().date())
            if parsed.missing:
                from .listings import complete_partial

                parsed = complete_partial(self.store, parsed, partial=partial, origin=origin)
            limit = self.settings.max_shrink if max_shrink is None else max_shrink
            return self._store_parsed(
                parsed,
                origin=origin,
                started=started,
                skip_if_known=skip_if_known,
                shrink_limit=limit,
                allow_shrink=allow_shrink,
            )
        except EntityScreenError as exc:
            # The source is unknown when the file could not be read: empty, not "?".
            return ImportResult(
                source=source or "",
                origin=origin,
                status="failed",
                message=str(exc),
                seconds=time.perf_counter() - started,
            )

    def _store_parsed(
        self,
        parsed: Parsed,
        *,
        origin: str,
        started: float,
        skip_if_known: bool,
        shrink_limit: float,
        allow_shrink: bool,
    ) -> ImportResult:
        from ..sources.base import sha256_files

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
        entries: Sequence[Entry] = parsed.entries
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
        # Checked on what would be stored (a delta applied to its base), before any write.
        old_counts = self.store.list_counts(latest.id) if latest is not None else None
        new_counts = Counter(e.list for e in entries)
        shrink = check_import(parsed.source, old_counts, new_counts, limit=shrink_limit)
        if shrink is not None and not allow_shrink:
            return ImportResult(
                source=parsed.source,
                origin=origin,
                status="failed",
                message=shrink.refusal(),
                warnings=parsed.warnings,
                seconds=time.perf_counter() - started,
            )
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
            published_basis=parsed.published_basis,
            actor=self.operator,
            audit_extra=shrink.audit() if shrink is not None else None,
        )
        counts = self.store.list_counts(snapshot.id)
        dated = f"dated {parsed.published}" if parsed.published else "undated"
        basis = f" ({parsed.published_basis})" if parsed.published_basis else ""
        return ImportResult(
            source=parsed.source,
            origin=origin,
            status="imported",
            message=f"snapshot {snapshot.id}: {snapshot.entry_count} entries, {dated}{basis}",
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
        allow_shrink: bool = False,
        max_shrink: float | None = None,
    ) -> list[ImportResult]:
        """Fetch every (or the named) source from its official URL, or from a mirror folder.

        One source failing does not stop the others; each result says what happened. Each
        import passes the shrink guard (:meth:`import_path`).
        """
        guard = {"allow_shrink": allow_shrink, "max_shrink": max_shrink}
        specs = [self.manifest.get(s) for s in sources] if sources else self.manifest.sources
        if mirror is not None and not mirror.is_dir():
            raise InputError(f"mirror {mirror} is not a directory")
        results: list[ImportResult] = []
        for spec in specs:
            if mirror is not None:
                results.extend(self._update_from_mirror(spec, mirror, guard))
            else:
                results.append(self._update_online(spec, client, guard))
        return results

    def _update_from_mirror(
        self, spec: SourceSpec, mirror: Path, guard: Mapping[str, Any]
    ) -> list[ImportResult]:
        found = spec.find_in_mirror(mirror)
        if not found:
            patterns = ", ".join(spec.mirror) or "(none declared)"
            return [
                ImportResult(
                    source=spec.id,
                    origin=str(mirror),
                    status="skipped" if spec.optional_in_mirror else "failed",
                    message=f"no file in {mirror} matches {patterns}",
                )
            ]
        # A mirror keeps dated copies as they were published; one without OFAC's
        # companions is loaded as a partial snapshot (and says so) rather than skipped.
        return [
            self.import_path(
                path,
                format=spec.format,
                source=spec.id,
                origin=str(path),
                skip_if_known=True,
                partial=True,
                **guard,
            )
            for path in found
        ]

    def _update_online(
        self, spec: SourceSpec, client: httpx.Client | None, guard: Mapping[str, Any]
    ) -> ImportResult:
        started = time.perf_counter()
        origin = spec.files[0].url
        try:
            with tempfile.TemporaryDirectory(prefix="entityscreen-") as tmp:
                from ..sources.fetch import fetch_source

                paths = fetch_source(spec, Path(tmp), client=client)
                target = paths[0] if len(spec.files) == 1 else Path(tmp)
                result = self.import_path(
                    target, format=spec.format, source=spec.id, origin=origin, **guard
                )
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
        """What is loaded: every list of every source's latest snapshot, with its age (the
        snapshots screening answers from now: the current view's)."""
        rows = []
        today = self._clock().date()
        for snap in self.view().snapshots:
            for list_code, count in self.store.list_counts(snap.id).items():
                age = self.snapshot_age(snap, [list_code], today=today)
                rows.append(ListStatus(snap.source, list_code, snap, count, age))
            if snap.entry_count == 0:
                age = self.snapshot_age(snap, [], today=today)
                rows.append(ListStatus(snap.source, "-", snap, 0, age))
        return rows

    def age_limits(self) -> dict[str, int]:
        """Age limits by list code: ``lists.yml``'s, overridden by the settings'."""
        from ..exportcontrol.lists import load_lists

        limits = {c: i.max_age_days for c, i in load_lists().items() if i.max_age_days is not None}
        limits.update(self.settings.max_age_by_list)
        return limits

    def snapshot_age(self, snapshot: Snapshot, lists: Sequence[str], *, today: date) -> SnapshotAge:
        """``snapshot``'s date, how it was found and its age on ``today``, against the
        smallest age limit of ``lists``."""
        return snapshot_age(
            snapshot,
            lists,
            today=today,
            limits=self.age_limits(),
            default=self.settings.max_age_days,
        )

    def snapshot_ages(
        self, view: ListView, lists: set[str] | None, *, today: date
    ) -> tuple[SnapshotAge, ...]:
        """The age of every snapshot of ``view`` (those an answer used), for the lists of it
        that it used (``lists``: the lists asked for, None for all). Cached per view, lists
        and day: a batch asks once per row."""
        key = (frozenset(lists) if lists else None, today)
        cached = view.ages_cache.get(key)
        if cached is None:
            out = []
            for snap in view.snapshots:
                held = list(self.store.list_counts(snap.id))
                used = [c for c in held if lists is None or c in lists]
                if used or lists is None:
                    out.append(self.snapshot_age(snap, used, today=today))
            cached = view.ages_cache[key] = tuple(out)
        return cached

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


def all_formats() -> dict[str, Any]:
    """Every list file format the sources read, by name (for ``lists formats``)."""
    from ..sources import all_formats as formats

    return formats()


__all__ = ["ImportResult", "ListStatus", "ListsMixin", "all_formats", "date_parsed"]
