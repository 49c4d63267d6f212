"""The lists as they stand: snapshot writes and reads, their entries, ownership edges.

A mixin of :class:`~entityscreen.store.sqlite.SqlStore` (the SQL both backends run), kept
apart from the connection, transaction and migration code of :mod:`.sqlite` and from the
queries across snapshots of :mod:`.sqlite_history`, so that no file grows past reading
size.

Layout (see migrations.py): a snapshot is one import of one source; each distinct content
of an entry is stored once in ``entry_versions`` (keyed by its content hash); a snapshot
holds a set of versions (``snapshot_entries``). So the list as it stood at any snapshot,
the history of an entry and the diff of two snapshots are plain queries, and an unchanged
entry costs one 16-byte membership row per snapshot, not a copy. Every write is one
transaction (:meth:`SqlStore.transaction`) with its audit record.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFoundError, StoreError
from ..model import Actor, Entry, Ownership, Snapshot
from . import audit
from .audit import AuditKind
from .dbapi import Connection

#: Entries encoded and written at a time by :meth:`ListStore.add_snapshot`.
WRITE_CHUNK = 1000

_SNAPSHOT_COLS = (
    "id, source, fetched_at, sha256, entry_count, published, origin, format, published_basis"
)


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


class ListStore:
    """Snapshot, entry and ownership tables (mixed into ``SqlStore``)."""

    _conn: Connection

    def transaction(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # provided by SqlStore

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
        actor: Actor | None = None,
        audit_extra: Mapping[str, Any] | None = None,
    ) -> Snapshot:
        """Store a complete snapshot of ``source`` atomically and return it.

        The entries are read once, in chunks of :data:`WRITE_CHUNK`, and written as they
        come inside the one transaction: a spooled parse (a 40 MB list) is never all in
        memory. Duplicate ids are found by the database, and roll the snapshot back.
        With ``audit_at``, an ``import`` audit record (naming ``actor``, who imported) is
        written in the same transaction, with ``audit_extra``'s keys added (``allow_shrink``
        and what shrank).
        """
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
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS _hashes(h TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM _hashes")
            chunks = iter(entries)
            while chunk := list(itertools.islice(chunks, WRITE_CHUNK)):
                rows = []
                for entry in chunk:
                    data = entry.canonical_json()
                    chash = hashlib.sha256(data.encode("utf-8")).hexdigest()  # content_hash()
                    rows.append(
                        (entry.id, entry.source, entry.list, entry.primary_name, chash, data)
                    )
                conn.executemany(
                    "INSERT INTO entry_versions(entry_id, source, list, primary_name,"
                    " content_hash, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    rows,
                )
                conn.executemany(
                    "INSERT INTO _hashes(h) VALUES (?) ON CONFLICT DO NOTHING",
                    [(r[4],) for r in rows],
                )
            conn.execute(
                "INSERT INTO snapshot_entries(snapshot_id, version_id)"
                " SELECT CAST(? AS INTEGER), v.id FROM _hashes h"
                " JOIN entry_versions v ON v.content_hash = h.h",
                (snapshot_id,),
            )
            conn.execute("DELETE FROM _hashes")
            _refuse_duplicates(conn, snapshot_id, source, len(entries))
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
                        "actor": actor.to_dict() if actor else None,
                        **(audit_extra or {}),
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

    def iter_entry_rows(self, snapshot_id: int) -> Iterator[tuple[str, str, str, str]]:
        """``(entry id, source, list, JSON data)`` of every entry of one snapshot: what
        :meth:`iter_entries` reads, left unparsed, for a caller that needs only the
        columns of most entries (:meth:`ListView.snapshot_keys`)."""
        rows = self._conn.execute(
            "SELECT v.entry_id, v.source, v.list, v.data FROM snapshot_entries s"
            " JOIN entry_versions v ON v.id = s.version_id"
            " WHERE s.snapshot_id = ? ORDER BY v.entry_id",
            (snapshot_id,),
        )
        for entry_id, source, list_code, data in rows:
            yield str(entry_id), str(source), str(list_code), str(data)

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

    # --- ownership ---------------------------------------------------------------------

    def replace_ownership(
        self,
        source: str,
        records: Sequence[Ownership],
        *,
        imported_at: str,
        actor: Actor | None = None,
    ) -> int:
        """Replace every edge of ``source`` with ``records`` in one transaction."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM ownership_edges WHERE source = ?", (source,))
            # In the same transaction as the edges: whoever sees the new version sees them.
            conn.execute("UPDATE data_versions SET version = version + 1 WHERE name = 'ownership'")
            conn.executemany(
                "INSERT INTO ownership_edges(source, owner_id, owner_name, owned_id,"
                " owned_name, share, since, imported_at, owner_country)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                        r.owner_country,
                    )
                    for r in records
                ],
            )
            audit.append(
                conn,
                AuditKind.OWNERSHIP_IMPORT,
                {
                    "source": source,
                    "edges": len(records),
                    "actor": actor.to_dict() if actor else None,
                },
                at=imported_at,
            )
        return len(records)

    def ownership(self) -> list[Ownership]:
        """Every stored ownership edge, in import order."""
        rows = self._conn.execute(
            "SELECT owner_id, owned_id, share, owner_name, owned_name, since, source,"
            " owner_country FROM ownership_edges ORDER BY id"
        )
        return [Ownership(*r) for r in rows]


def _refuse_duplicates(conn: Connection, snapshot_id: int, source: str, count: int) -> None:
    """Raise (rolling the snapshot back) when two of its ``count`` entries share an id;
    an entry given twice alike is held once, so fewer members than entries means that too."""
    members, ids = conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT v.entry_id) FROM snapshot_entries s"
        " JOIN entry_versions v ON v.id = s.version_id WHERE s.snapshot_id = ?",
        (snapshot_id,),
    ).fetchone()
    if int(members) == count and int(ids) == count:
        return
    rows = conn.execute(
        "SELECT v.entry_id FROM snapshot_entries s JOIN entry_versions v ON v.id = s.version_id"
        " WHERE s.snapshot_id = ? GROUP BY v.entry_id HAVING COUNT(*) > 1"
        " ORDER BY v.entry_id LIMIT 3",
        (snapshot_id,),
    ).fetchall()
    dupes = [str(r[0]) for r in rows] or ["(an entry given twice)"]
    raise StoreError(f"duplicate entry ids in snapshot of {source}: {', '.join(dupes)}")


__all__ = ["WRITE_CHUNK", "DataVersion", "ListStore"]
