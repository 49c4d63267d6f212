"""The lists across snapshots: diffs, the history of an entry, removed entries.

A mixin of :class:`~entityscreen.store.sqlite.SqlStore` built on the snapshot reads of
:class:`~entityscreen.store.sqlite_lists.ListStore`, with the values it returns
(:class:`SnapshotDiff`, :class:`EntryHistory`). Kept apart from the lists as they stand:
these queries compare the ``snapshot_entries`` of several snapshots, and serve the
``lists diff`` / ``lists history`` commands and screening as of past dates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFoundError, StoreError
from ..model import Entry, Snapshot
from .sqlite_lists import _SNAPSHOT_COLS, ListStore


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


class HistoryStore(ListStore):
    """Diffs, entry histories and removed entries (mixed into ``SqlStore``)."""

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


__all__ = [
    "ChangedEntry",
    "DiffItem",
    "EntryHistory",
    "EntryVersion",
    "FieldChange",
    "HistoryStore",
    "SnapshotDiff",
    "diff_dicts",
]
