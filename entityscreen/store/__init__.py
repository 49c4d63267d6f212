"""The versioned list store.

SQLite (embedded, the default) is in :mod:`.sqlite`. The store depends on the model only:
it never parses files or matches names; the service hands it entries.
"""

from __future__ import annotations

from .audit import AuditCheck, AuditKind, AuditRecord
from .sqlite import (
    EntryHistory,
    EntryVersion,
    SnapshotDiff,
    SqliteStore,
    diff_dicts,
)

__all__ = [
    "AuditCheck",
    "AuditKind",
    "AuditRecord",
    "EntryHistory",
    "EntryVersion",
    "SnapshotDiff",
    "SqliteStore",
    "diff_dicts",
]
