"""SQLite implementation of the versioned list store, and the SQL both backends share.

:class:`SqlStore` holds what is common to SQLite and PostgreSQL: the connection, write
transactions, the schema migrations (migrations.py) and the audit log; its tables are
mixins of their own modules: the lists as they stand (:mod:`.sqlite_lists`), the lists
across snapshots (:mod:`.sqlite_history`), monitoring (:mod:`.monitoring`) and API access
(:mod:`.access`). :class:`SqliteStore` opens a file; :mod:`.postgres` a server. The values
those modules return are re-exported here.

Atomicity: every write happens inside one ``BEGIN IMMEDIATE`` transaction. SQLite's
journal guarantees that a failed or killed import leaves the previous state untouched.
"""

from __future__ import annotations

import sqlite3

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's own locking alone
    fcntl = None  # type: ignore[assignment]
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, StoreError
from . import audit, audit_state
from .access import AccessStore
from .audit import AuditCheck, AuditKind, AuditRecord
from .dbapi import Connection
from .migrations import BASELINE_VERSION, LATEST_VERSION, MIGRATIONS
from .monitoring import MonitoringStore
from .sessions import SessionStore
from .sqlite_history import (
    ChangedEntry,
    DiffItem,
    EntryHistory,
    EntryVersion,
    FieldChange,
    HistoryStore,
    SnapshotDiff,
    diff_dicts,
)
from .sqlite_lists import DataVersion


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


class SqlStore(HistoryStore, MonitoringStore, AccessStore, SessionStore):
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
                if version == BASELINE_VERSION:
                    now = datetime.now(UTC).isoformat(timespec="seconds")
                    audit_state.write_baseline(conn, at=now)
                conn.execute(
                    "INSERT INTO schema_migrations(version, description) VALUES (?, ?)",
                    (version, description),
                )

    def schema_version(self) -> int:
        row = self._conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # --- audit log ---------------------------------------------------------------------

    def audit(self, kind: AuditKind, data: dict[str, Any], *, at: str) -> str:
        """Append one audit record in its own transaction; returns its hash."""
        with self.transaction() as conn:
            return audit.append(conn, kind, data, at=at)

    def audit_many(
        self, records: Sequence[tuple[AuditKind, dict[str, Any] | str]], *, at: str
    ) -> None:
        """Append several records in one transaction (a batch chunk's screenings); a
        record's data may be its canonical JSON text already (:func:`audit.canonical`)."""
        with self.transaction() as conn:
            audit.append_many(conn, records, at=at)

    def audit_records(
        self, *, since: str | None = None, until: str | None = None
    ) -> Iterator[AuditRecord]:
        """Audit records in order, optionally with ``since <= at < until``."""
        return audit.iter_records(self._conn, since=since, until=until)

    def audit_record(
        self, *, seq: int | None = None, digest: str | None = None
    ) -> AuditRecord | None:
        """The audit record with that ``seq`` or ``hash`` (screening certificates)."""
        return audit.find_record(self._conn, seq=seq, digest=digest)

    def audit_seq_of(self, kind: AuditKind, data: dict[str, Any]) -> int | None:
        """The newest record of ``kind`` with exactly ``data`` (the record of a result)."""
        return audit.find_data(self._conn, kind, data)

    def latest_screening(self, party_id: str) -> AuditRecord | None:
        """The newest screening record of the party with that id."""
        return audit.latest_screening(self._conn, party_id)

    def verify_audit(self, *, pinned: tuple[int, str] | None = None) -> AuditCheck:
        """Check the audit log's hash chain end to end, that it still holds ``pinned``
        (records, head hash) of a signed head, and that the alert and decision tables are
        what the log says they are (:mod:`.audit_state`); the first problem is reported."""
        with self._read_snapshot():
            check = audit.verify_chain(self._conn)
            problem = None
            if check.ok and pinned is not None:
                problem = audit_state.check_pinned(self._conn, *pinned)
            if check.ok and problem is None:
                problem = audit_state.compare_state(self._conn)
        return check if problem is None else AuditCheck(False, check.records, check.head, problem)

    #: Starts a read-only transaction that sees one committed state throughout (SQLite in
    #: WAL mode: from its first read; PostgreSQL overrides it).
    _SNAPSHOT = "BEGIN"

    @contextmanager
    def _read_snapshot(self) -> Iterator[None]:
        """Reads that see the database as one writer left it, whatever others commit
        meanwhile: the audit check reads the records, then the head, then the alert
        tables, and records appended between two reads made an intact log look cut."""
        self._conn.execute(self._SNAPSHOT)
        try:
            yield
        finally:
            self._conn.execute("COMMIT")  # nothing was written: ends the snapshot

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


__all__ = [
    "ChangedEntry",
    "DataVersion",
    "DiffItem",
    "EntryHistory",
    "EntryVersion",
    "FieldChange",
    "SnapshotDiff",
    "SqlStore",
    "SqliteStore",
    "diff_dicts",
]
