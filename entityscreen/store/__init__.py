"""The versioned list store.

SQLite (embedded, the default) is in :mod:`.sqlite`, PostgreSQL (servers) in
:mod:`.postgres`; both run the same SQL and migrations (:class:`SqlStore`). The store
depends on the model only: it never parses files or matches names; the service hands it
entries.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .audit import AuditCheck, AuditKind, AuditRecord
from .sqlite import (
    DataVersion,
    EntryHistory,
    EntryVersion,
    SnapshotDiff,
    SqliteStore,
    SqlStore,
    diff_dicts,
)


def open_store(*, path: Path, url: str | None = None) -> SqlStore:
    """The store at ``url`` (``postgresql://...`` or ``sqlite:///FILE``), else the SQLite
    file at ``path``."""
    if url and url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore.open(url)
    if url and url.startswith("sqlite:///"):
        return SqliteStore.open(Path(url.removeprefix("sqlite:///")))
    if url:
        raise InputError(f"unknown store {url!r}; use postgresql://... or sqlite:///FILE")
    return SqliteStore.open(path)


__all__ = [
    "AuditCheck",
    "AuditKind",
    "AuditRecord",
    "DataVersion",
    "EntryHistory",
    "EntryVersion",
    "SnapshotDiff",
    "SqlStore",
    "SqliteStore",
    "diff_dicts",
    "open_store",
]
