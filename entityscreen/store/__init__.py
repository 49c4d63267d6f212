"""The versioned list store.

SQLite (embedded, the default) is in :mod:`.sqlite`, PostgreSQL (servers) in
:mod:`.postgres`; both run the same SQL and migrations (:class:`SqlStore`). The store
depends on the model only: it never parses files or matches names; the service hands it
entries.
"""

from __future__ import annotations

from pathlib import Path

from ..settings import parse_store_url
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
    if not url:
        return SqliteStore.open(path)
    store = parse_store_url(url)
    if store.path is None:
        from .postgres import PostgresStore

        return PostgresStore.open(store.url)
    return SqliteStore.open(store.path)


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
