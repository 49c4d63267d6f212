"""SQLite implementation of the versioned list store.

Layout (see migrations.py): a snapshot is one import of one source; each distinct content
of an entry is stored once in ``entry_versions`` (keyed by its content hash); a snapshot
holds a set of versions (``snapshot_entries``). So the list as it stood at any snapshot,
the history of an entry and the diff of two snapshots are plain queries, and an unchanged
entry costs one 16-byte membership row per snapshot, not a copy.

Atomicity: every write happens inside one ``BEGIN IMMEDIATE`` transaction. SQLite's
journal guarantees that a failed or killed import leaves the previous state untouched.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's own locking alone
    fcntl = None  # type: ignore[assignment]
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, StoreError
from ..model import Entry, Ownership, Snapshot
from . import audit
from .access import AccessStore
from .audit import AuditCheck, AuditKind, AuditRecord
from .dbapi import Connection
from .migrations import LATEST_VERSION, MIGRATIONS
from .monitoring import MonitoringStore

_SNAPSHOT_COLS = (
    "id, source, fetched_at, sha256, entry_count, published, origin, format, published_basis"
)


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class ChangedEntry:
    entry_id: str
    primary_name: str
    list: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class DiffItem:
    entry_id: str
    primary_name: str
    list: str


@dataclass(frozen=True)
class SnapshotDiff:
    source: str
    old: Snapshot | None
    new: Snapshot
    added: list[DiffItem] = field(default_factory=list)
    removed: list[DiffItem] = field(default_factory=list)
    changed: list[ChangedEntry] = field(default_factory=list)


@dataclass(frozen=True)
class DataVersion:
    """Which data a view of the lists is built from (:meth:`SqlStore.data_version`): equal
    tokens mean the same current snapshots and the same ownership edges."""

    #: ``(id, sha256)`` of the current snapshot of every source, by source.
    lists: tuple[tuple[int, str], ...]
    #: Bumped by every ownership import (:meth:`SqlStore.replace_ownership`).
    ownership: int
    #: Those snapshots, as read with the token (not part of the comparison).
    snapshots: tuple[Snapshot, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class EntryVersion:
    content_hash: str
    entry: Entry
    snapshots: list[Snapshot]


@dataclass(frozen=True)
class EntryHistory:
    entry_id: str
    versions: list[EntryVersion]
    #: Every snapshot of the entry's source, with the version it held (None = absent).
    timeline: list[tuple[Snapshot, str | None]]


def diff_dicts(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Top-level field changes between two entry dicts (as produced by Entry.to_dict)."""
    changes = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            changes.append(FieldChange(key, old.get(key), new.get(key)))
    return changes


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (comment lines dropped; ';' ends a statement)."""
    lines = [ln for ln in script.splitlines() if not ln.strip().startswith("--")]
    statements, pending = [], ""
    for piece in "\n".join(lines).split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):  # a trigger body holds ';' of its own
            if pending.strip(" \n;"):
                statements.append(pending.strip())
            pending = ""
    return statements


class SqlStore(MonitoringStore, AccessStore):
    """The store's SQL, shared by SQLite and PostgreSQL (:mod:`.dbapi` says how).

    A subclass opens the connection and provides :meth:`transaction` (one write
    transaction, serialised against other writers) and, for PostgreSQL, the
    translation of the schema's DDL (:meth:`_ddl`).
    """

    #: Errors of the driver meaning "not a store / cannot read it" in :meth:`_migrate`.
    _driver_errors: tuple[type[BaseException], ...] = ()

    def __init__(self, conn: Connection, where: str) -> None:
        self._conn = conn
        self.where = where

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction, serialised against every other writer (:meth:`_begin`);
        rolled back on any exception (including KeyboardInterrupt)."""
        with self._writer_lock():
            self._begin()
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    def _writer_lock(self) -> AbstractContextManager[None]:
        """Held around a write transaction (default: nothing beyond the database's own)."""
        return nullcontext()

    def _begin(self) -> None:
        """Start a write transaction that no other writer can interleave with."""
        raise NotImplementedError

    def _ddl(self, statement: str) -> list[str]:
        """The statements to run for one statement of a migration (SQLite: itself)."""
        return [statement]

    def _migrate(self) -> None:
        try:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                " applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            )
            current = self.schema_version()
        except self._driver_errors as exc:
            raise StoreError(f"{self.where} is not an entityscreen store: {exc}") from None
        if current > LATEST_VERSION:
            raise StoreError(
                f"store schema v{current} is newer than this entityscreen supports "
                f"(v{LATEST_VERSION}); upgrade entityscreen"
            )
        for version, description, sql in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction() as conn:
                if self.schema_version() >= version:  # another process migrated meanwhile
                    continue
                for statement in _split_sql(sql):
                    for translated in self._ddl(statement):
                        conn.execute(translated)
                conn.execute(
                    "INSERT INTO schema_migrations(version, description) VALUES (?, ?)",
                    (version, description),
                )

    def schema_version(self) -> int:
        row = self._conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # --- snapshots ---------------------------------------------------------------------

    def add_snapshot(
        self,
        *,
        source: str,
        format: str,
        sha256: str,
        entries: Sequence[Entry],
        fetched_at: str,
        published: str | None = None,
        origin: str | None = None,
        parent_id: int | None = None,
        audit_at: str | None = None,
        published_basis: str | None = None,
    ) -> Snapshot:
        """Store a complete snapshot of ``source`` atomically and return it.

        With ``audit_at``, an ``import`` audit record is written in the same transaction.
        """
        ids = [e.id for e in entries]
        if len(ids) != len(set(ids)):
            dupes = sorted({i for i in ids if ids.count(i) > 1})[:3]
            raise StoreError(f"duplicate entry ids in snapshot of {source}: {', '.join(dupes)}")
        with self.transaction() as conn:
            snapshot_id = int(
                conn.execute(
                    "INSERT INTO snapshots(source, format, fetched_at, published, sha256,"
                    " entry_count, origin, parent_id, published_basis)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (
                        source,
                        format,
                        fetched_at,
                        published,
                        sha256,
                        len(entries),
                        origin,
                        parent_id,
                        published_basis,
                    ),
                ).fetchone()[0]
            )
            rows = []
            for entry in entries:
                data = entry.canonical_json()
                chash = hashlib.sha256(data.encode("utf-8")).hexdigest()  # == content_hash()
                rows.append((entry.id, entry.source, entry.list, entry.primary_name, chash, data))
            conn.executemany(
                "INSERT INTO entry_versions(entry_id, source, list, primary_name,"
                " content_hash, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                rows,
            )
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS _hashes(h TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM _hashes")
            conn.executemany(
                "INSERT INTO _hashes(h) VALUES (?) ON CONFLICT DO NOTHING", [(r[4],) for r in rows]
            )
            conn.execute(
                "INSERT INTO snapshot_entries(snapshot_id, version_id)"
                " SELECT CAST(? AS INTEGER), v.id FROM _hashes h"
                " JOIN entry_versions v ON v.content_hash = h.h",
                (snapshot_id,),
            )
            conn.execute("DELETE FROM _hashes")
            if audit_at is not None:
                audit.append(
                    conn,
                    AuditKind.IMPORT,
                    {
                        "snapshot": snapshot_id,
                        "source": source,
                        "format": format,
                        "sha256": sha256,
                        "entries": len(entries),
                        "published": published,
                        "published_basis": published_basis,
                        "origin": origin,
                    },
                    at=audit_at,
                )
        return self.get_snapshot(snapshot_id)

    def get_snapshot(self, snapshot_id: int) -> Snapshot:
        row = self._conn.execute(
            f"SELECT {_SNAPSHOT_COLS} FROM snapshots WHERE id = ?", (snapshot_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no snapshot {snapshot_id}")
        return Snapshot(*row)

    def snapshots(self, source: str | None = None) -> list[Snapshot]:
        """All snapshots (of one source), oldest first."""
        if source is None:
            rows = self._conn.execute(f"SELECT {_SNAPSHOT_COLS} FROM snapshots ORDER BY id")
        else:
            rows = self._conn.execute(
                f"SELECT {_SNAPSHOT_COLS} FROM snapshots WHERE source = ? ORDER BY id", (source,)
            )
        return [Snapshot(*r) for r in rows]

    def latest_snapshot(self, source: str) -> Snapshot | None:
        row = self._conn.execute(
            f"SELECT {_SNAPSHOT_COLS} FROM snapshots WHERE source = ? ORDER BY id DESC LIMIT 1",
            (source,),
        ).fetchone()
        return Snapshot(*row) if row else None

    def current_snapshots(self) -> list[Snapshot]:
        """The latest snapshot of every source."""
        rows = self._conn.execute(
            f"SELECT {_SNAPSHOT_COLS} FROM snapshots WHERE id IN"
            " (SELECT MAX(id) FROM snapshots GROUP BY source) ORDER BY source"
        )
        return [Snapshot(*r) for r in rows]

    def data_version(self) -> DataVersion:
        """The current snapshots and the ownership version, in one statement (one consistent
        read on both backends): cheap enough to ask on every request."""
        cols = ", ".join("s." + c.strip() for c in _SNAPSHOT_COLS.split(","))
        rows = self._conn.execute(
            f"SELECT d.version, {cols} FROM data_versions d LEFT JOIN snapshots s ON s.id IN"
            " (SELECT MAX(id) FROM snapshots GROUP BY source)"
            " WHERE d.name = 'ownership' ORDER BY s.source"
        ).fetchall()
        ownership = int(rows[0][0]) if rows else 0
        snaps = tuple(Snapshot(*r[1:]) for r in rows if r[1] is not None)
        return DataVersion(tuple((s.id, s.sha256) for s in snaps), ownership, snaps)

    def list_counts(self, snapshot_id: int) -> dict[str, int]:
        """Entries per list code in one snapshot."""
        rows = self._conn.execute(
            "SELECT v.list, COUNT(*) FROM snapshot_entries s JOIN entry_versions v"
            " ON v.id = s.version_id WHERE s.snapshot_id = ? GROUP BY v.list ORDER BY v.list",
            (snapshot_id,),
        )
        return {str(k): int(n) for k, n in rows}

    # --- entries -----------------------------------------------------------------------

    def iter_entries(self, snapshot_id: int) -> Iterator[Entry]:
        """The entries of one snapshot (the list as it stood then)."""
        rows = self._conn.execute(
            "SELECT v.data FROM snapshot_entries s JOIN entry_versions v ON v.id = s.version_id"
            " WHERE s.snapshot_id = ? ORDER BY v.entry_id",
            (snapshot_id,),
        )
        for (data,) in rows:
            yield Entry.from_dict(json.loads(data))

    def iter_current_entries(self, sources: Iterable[str] | None = None) -> Iterator[Entry]:
        wanted = set(sources) if sources is not None else None
        for snap in self.current_snapshots():
            if wanted is None or snap.source in wanted:
                yield from self.iter_entries(snap.id)

    def get_entry(
        self, entry_id: str, *, snapshot_id: int | None = None, upto: int | None = None
    ) -> Entry:
        """An entry as held by a snapshot (default: its source's latest snapshot holding it;
        with ``upto``, the latest with an id up to that, i.e. the store as it stood then)."""
        sql = (
            "SELECT v.data FROM entry_versions v JOIN snapshot_entries s ON s.version_id = v.id"
            " WHERE v.entry_id = ?"
        )
        params: tuple[Any, ...] = (entry_id,)
        if snapshot_id is not None:
            sql += " AND s.snapshot_id = ?"
            params += (snapshot_id,)
        if upto is not None:
            sql += " AND s.snapshot_id <= ?"
            params += (upto,)
        row = self._conn.execute(sql + " ORDER BY s.snapshot_id DESC LIMIT 1", params).fetchone()
        if row is None:
            raise NotFoundError(f"no entry {entry_id!r}")
        return Entry.from_dict(json.loads(row[0]))

    def _versions_of(self, snapshot_id: int) -> dict[str, tuple[str, str, str, str]]:
        rows = self._conn.execute(
            "SELECT v.entry_id, v.content_hash, v.data, v.primary_name, v.list"
            " FROM snapshot_entries s JOIN entry_versions v ON v.id = s.version_id"
            " WHERE s.snapshot_id = ?",
            (snapshot_id,),
        )
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}

    def diff(self, old_id: int | None, new_id: int) -> SnapshotDiff:
        """Added, removed and changed entries (field by field) from ``old_id`` to ``new_id``."""
        new = self.get_snapshot(new_id)
        old = self.get_snapshot(old_id) if old_id is not None else None
        if old is not None and old.source != new.source:
            raise StoreError(f"snapshots {old_id} and {new_id} belong to different sources")
        before = self._versions_of(old_id) if old_id is not None else {}
        after = self._versions_of(new_id)
        result = SnapshotDiff(source=new.source, old=old, new=new)
        for eid in sorted(after.keys() - before.keys()):
            result.added.append(DiffItem(eid, after[eid][2], after[eid][3]))
        for eid in sorted(before.keys() - after.keys()):
            result.removed.append(DiffItem(eid, before[eid][2], before[eid][3]))
        for eid in sorted(before.keys() & after.keys()):
            if before[eid][0] != after[eid][0]:
                changes = diff_dicts(json.loads(before[eid][1]), json.loads(after[eid][1]))
                result.changed.append(
                    ChangedEntry(eid, after[eid][2], after[eid][3], tuple(changes))
                )
        return result

    def history(self, entry_id: str) -> EntryHistory:
        """Every distinct version of an entry and the snapshots that held each."""
        rows = self._conn.execute(
            "SELECT v.id, v.content_hash, v.data, v.source FROM entry_versions v"
            " WHERE v.entry_id = ? ORDER BY v.id",
            (entry_id,),
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no entry {entry_id!r}")
        source = rows[0][3]
        held: dict[int, str] = {}
        versions = []
        for version_id, chash, data, _ in rows:
            snaps = [
                Snapshot(*r)
                for r in self._conn.execute(
                    f"SELECT {', '.join('n.' + c.strip() for c in _SNAPSHOT_COLS.split(','))}"
                    " FROM snapshot_entries s JOIN snapshots n ON n.id = s.snapshot_id"
                    " WHERE s.version_id = ? ORDER BY n.id",
                    (version_id,),
                )
            ]
            for snap in snaps:
                held[snap.id] = chash
            versions.append(EntryVersion(chash, Entry.from_dict(json.loads(data)), snaps))
        timeline = [(snap, held.get(snap.id)) for snap in self.snapshots(source)]
        return EntryHistory(entry_id, versions, timeline)

    def change_counts(self, old_id: int, new_id: int) -> dict[str, tuple[int, int]]:
        """Entries added and removed per list code from ``old_id`` to ``new_id``."""
        sql = (
            "SELECT v.list, COUNT(*) FROM snapshot_entries s JOIN entry_versions v"
            " ON v.id = s.version_id WHERE s.snapshot_id = ? AND v.entry_id NOT IN"
            " (SELECT v2.entry_id FROM snapshot_entries s2 JOIN entry_versions v2"
            "  ON v2.id = s2.version_id WHERE s2.snapshot_id = ?) GROUP BY v.list"
        )
        added = dict(self._conn.execute(sql, (new_id, old_id)).fetchall())
        removed = dict(self._conn.execute(sql, (old_id, new_id)).fetchall())
        return {
            str(code): (int(added.get(code, 0)), int(removed.get(code, 0)))
            for code in sorted(set(added) | set(removed))
        }

    def presence(self, entry_id: str) -> list[tuple[Snapshot, bool]]:
        """Every snapshot of the entry's source, oldest first, and whether it held the entry."""
        row = self._conn.execute(
            "SELECT source FROM entry_versions WHERE entry_id = ? LIMIT 1", (entry_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no entry {entry_id!r}")
        held = {
            int(r[0])
            for r in self._conn.execute(
                "SELECT s.snapshot_id FROM snapshot_entries s JOIN entry_versions v"
                " ON v.id = s.version_id WHERE v.entry_id = ?",
                (entry_id,),
            )
        }
        return [(snap, snap.id in held) for snap in self.snapshots(str(row[0]))]

    def iter_removed_entries(self, *, upto: int | None = None) -> Iterator[Entry]:
        """Entries some earlier snapshot held that their source's latest snapshot does not,
        each in the last version a snapshot held (for screening as of past dates); with
        ``upto``, of the store as it stood when snapshot ``upto`` was the newest."""
        bound = " WHERE id <= ?" if upto is not None else ""
        last_bound = " AND s.snapshot_id <= ?" if upto is not None else ""
        rows = self._conn.execute(
            f"WITH cur AS (SELECT MAX(id) AS id FROM snapshots{bound} GROUP BY source),"
            " now_held AS (SELECT v.entry_id FROM snapshot_entries s"
            "   JOIN entry_versions v ON v.id = s.version_id WHERE s.snapshot_id IN"
            "   (SELECT id FROM cur)),"
            " last AS (SELECT v.entry_id, MAX(s.snapshot_id) AS snap FROM snapshot_entries s"
            "   JOIN entry_versions v ON v.id = s.version_id"
            "   WHERE v.entry_id NOT IN (SELECT entry_id FROM now_held)"
            f"{last_bound} GROUP BY v.entry_id)"
            " SELECT v.data FROM last JOIN snapshot_entries s ON s.snapshot_id = last.snap"
            " JOIN entry_versions v ON v.id = s.version_id AND v.entry_id = last.entry_id"
            " ORDER BY v.entry_id",
            (upto, upto) if upto is not None else (),
        )
        for (data,) in rows:
            yield Entry.from_dict(json.loads(data))

    # --- ownership ---------------------------------------------------------------------

    def replace_ownership(
        self, source: str, records: Sequence[Ownership], *, imported_at: str
    ) -> int:
        """Replace every edge of ``source`` with ``records`` in one transaction."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM ownership_edges WHERE source = ?", (source,))
            # In the same transaction as the edges: whoever sees the new version sees them.
            conn.execute("UPDATE data_versions SET version = version + 1 WHERE name = 'ownership'")
            conn.executemany(
                "INSERT INTO ownership_edges(source, owner_id, owner_name, owned_id,"
                " owned_name, share, since, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        source,
                        r.owner_id,
                        r.owner_name,
                        r.owned_id,
                        r.owned_name,
                        r.share,
                        r.since,
                        imported_at,
                    )
                    for r in records
                ],
            )
            audit.append(
                conn,
                AuditKind.OWNERSHIP_IMPORT,
                {"source": source, "edges": len(records)},
                at=imported_at,
            )
        return len(records)

    def ownership(self) -> list[Ownership]:
        """Every stored ownership edge, in import order."""
        rows = self._conn.execute(
            "SELECT owner_id, owned_id, share, owner_name, owned_name, since, source"
            " FROM ownership_edges ORDER BY id"
        )
        return [Ownership(*r) for r in rows]

    # --- audit log ---------------------------------------------------------------------

    def audit(self, kind: AuditKind, data: dict[str, Any], *, at: str) -> str:
        """Append one audit record in its own transaction; returns its hash."""
        with self.transaction() as conn:
            return audit.append(conn, kind, data, at=at)

    def audit_many(self, records: Sequence[tuple[AuditKind, dict[str, Any]]], *, at: str) -> None:
        """Append several records in one transaction (a batch chunk's screenings)."""
        with self.transaction() as conn:
            for kind, data in records:
                audit.append(conn, kind, data, at=at)

    def audit_records(
        self, *, since: str | None = None, until: str | None = None
    ) -> Iterator[AuditRecord]:
        """Audit records in order, optionally with ``since <= at < until``."""
        return audit.iter_records(self._conn, since=since, until=until)

    def verify_audit(self) -> AuditCheck:
        """Check the audit log's hash chain end to end."""
        return audit.verify_chain(self._conn)

    # --- maintenance -------------------------------------------------------------------

    def integrity_check(self) -> str:
        """``"ok"`` when the database is sound (what the backend can check)."""
        raise NotImplementedError


class SqliteStore(SqlStore):
    """The embedded store (default). Open with :meth:`open`; close with :meth:`close`."""

    _driver_errors = (sqlite3.DatabaseError,)

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, str(path))
        self.path = path
        # Writers of several processes (API workers, Dask workers, monitor runs) queue on
        # this file lock before BEGIN IMMEDIATE: the kernel wakes the next one as soon as
        # the lock is free, where SQLite's own busy handler sleeps in growing steps.
        self._lock_file = open(path.with_name(path.name + ".lock"), "a")  # noqa: SIM115

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> SqliteStore:
        if not path.exists() and not create:
            raise NotFoundError(f"no store at {path}; run 'entityscreen lists update' first")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from None
        store = cls(conn, path)
        try:
            store._migrate()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        super().close()
        self._lock_file.close()

    def __enter__(self) -> SqliteStore:
        return self

    @contextmanager
    def _writer_lock(self) -> Iterator[None]:
        if fcntl is None:
            yield
            return
        fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)

    def _begin(self) -> None:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"store is busy or locked: {exc}") from None

    def integrity_check(self) -> str:
        row = self._conn.execute("PRAGMA integrity_check").fetchone()
        return str(row[0])
