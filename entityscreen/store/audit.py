"""The append-only audit log: each record hash-chained to the one before it.

A record is ``(seq, at, kind, data)``; its hash is the sha256 of those fields and the
previous record's hash, so editing, removing or reordering any record breaks the chain
from that point on. The head (count and last hash) is kept in a one-row table written in
the same transaction, so cutting records off the end is detected too. Records are written
inside the transaction of what they record (an import and its record land together or
not at all).

What this proves: that the log was not changed by anything that did not also recompute
every later hash and the head. Anyone with write access to the file can do that; to pin
the log, keep a signed head (``entityscreen audit head``, :mod:`.signing`) outside the
store: ``audit verify --head FILE`` then fails on a log re-chained or cut below it.
What the log says of alerts and decisions is checked against their tables by
:mod:`.audit_state`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from .dbapi import Connection

#: The previous hash of the first record.
GENESIS = "0" * 64


class AuditKind(StrEnum):
    """What an audit record records."""

    IMPORT = "import"
    OWNERSHIP_IMPORT = "ownership_import"
    SCREENING = "screening"
    PARTY_IMPORT = "party_import"
    MONITOR = "monitor"
    ALERT = "alert"
    DECISION = "decision"
    #: An API key created or revoked, with who did it.
    KEY = "key"
    #: Migration 8's snapshot of the alerts and decisions an older store held.
    STATE_BASELINE = "state_baseline"


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One record of the audit log."""

    seq: int
    at: str
    kind: str
    data: dict[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "kind": self.kind,
            "data": self.data,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True, slots=True)
class AuditCheck:
    """The outcome of :func:`verify_chain`: ``ok``, records checked, head hash, problem."""

    ok: bool
    records: int
    head: str
    problem: str | None = None


def canonical(data: dict[str, Any]) -> str:
    """The JSON text that is hashed: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_value(value: Any) -> str:
    """Any JSON value as :func:`canonical` writes it inside a record."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@lru_cache(maxsize=64)
def _key_text(key: str) -> str:
    return canonical_value(key)


def canonical_with(data: dict[str, Any], rendered: Mapping[str, str]) -> str:
    """:func:`canonical` of ``data`` joined with more keys whose values are already
    rendered (:func:`canonical_value`): the same text, without encoding again a part that
    many records share. The keys of ``data`` and ``rendered`` must differ."""
    if not rendered:
        return canonical(data)
    parts: list[str] = []
    run: dict[str, Any] = {}
    for key in sorted({*data, *rendered}):
        if key in rendered:
            if run:
                parts.append(canonical(run)[1:-1])
                run = {}
            parts.append(f"{_key_text(key)}:{rendered[key]}")
        else:
            run[key] = data[key]
    if run:
        parts.append(canonical(run)[1:-1])
    return "{" + ",".join(parts) + "}"


def record_hash(seq: int, at: str, kind: str, data_text: str, prev_hash: str) -> str:
    """The hash of one record (fields joined by newlines; none may hold one but data)."""
    payload = f"{seq}\n{at}\n{kind}\n{prev_hash}\n{data_text}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(conn: Connection, kind: AuditKind, data: dict[str, Any], *, at: str) -> str:
    """Append one record inside the caller's open transaction; returns its hash."""
    row = conn.execute("SELECT records, head FROM audit_head WHERE id = 1").fetchone()
    count, prev = (int(row[0]), str(row[1])) if row else (0, GENESIS)
    seq = count + 1
    text = canonical(data)
    digest = record_hash(seq, at, kind.value, text, prev)
    conn.execute(
        "INSERT INTO audit_log(seq, at, kind, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
        (seq, at, kind.value, text, prev, digest),
    )
    conn.execute(
        "INSERT INTO audit_head(id, records, head) VALUES (1, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET records = excluded.records, head = excluded.head",
        (seq, digest),
    )
    return digest


def append_many(
    conn: Connection, records: Sequence[tuple[AuditKind, dict[str, Any] | str]], *, at: str
) -> None:
    """Append several records inside the caller's open transaction: the same records and
    hashes as :func:`append` called for each in turn, with the head read and written once
    and the rows inserted in one ``executemany`` (a batch chunk's screenings). A record's
    data may be given as its :func:`canonical` text already."""
    if not records:
        return
    row = conn.execute("SELECT records, head FROM audit_head WHERE id = 1").fetchone()
    count, prev = (int(row[0]), str(row[1])) if row else (0, GENESIS)
    rows = []
    for kind, data in records:
        count += 1
        text = data if isinstance(data, str) else canonical(data)
        digest = record_hash(count, at, kind.value, text, prev)
        rows.append((count, at, kind.value, text, prev, digest))
        prev = digest
    conn.executemany(
        "INSERT INTO audit_log(seq, at, kind, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute(
        "INSERT INTO audit_head(id, records, head) VALUES (1, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET records = excluded.records, head = excluded.head",
        (count, prev),
    )


def iter_records(
    conn: Connection, *, since: str | None = None, until: str | None = None
) -> Iterator[AuditRecord]:
    """Records in log order, optionally those with ``since <= at < until`` (ISO text)."""
    sql = "SELECT seq, at, kind, data, prev_hash, hash FROM audit_log"
    where, params = [], []
    if since:
        where.append("at >= ?")
        params.append(since)
    if until:
        where.append("at < ?")
        params.append(until)
    if where:
        sql += " WHERE " + " AND ".join(where)
    for seq, at, kind, data, prev, digest in conn.execute(sql + " ORDER BY seq", params):
        yield AuditRecord(int(seq), at, kind, json.loads(data), prev, digest)


def find_record(
    conn: Connection, *, seq: int | None = None, digest: str | None = None
) -> AuditRecord | None:
    """The record with that ``seq`` or that ``hash``, or None."""
    column, value = ("seq", seq) if seq is not None else ("hash", digest)
    row = conn.execute(
        f"SELECT seq, at, kind, data, prev_hash, hash FROM audit_log WHERE {column} = ?",
        (value,),
    ).fetchone()
    if row is None:
        return None
    return AuditRecord(int(row[0]), row[1], row[2], json.loads(row[3]), row[4], row[5])


def find_data(conn: Connection, kind: AuditKind, data: dict[str, Any]) -> int | None:
    """The seq of the newest record of ``kind`` whose data is exactly ``data``, or None
    (walked from the end by primary key: a record just written is found at once)."""
    row = conn.execute(
        "SELECT seq FROM audit_log WHERE kind = ? AND data = ? ORDER BY seq DESC LIMIT 1",
        (kind.value, canonical(data)),
    ).fetchone()
    return int(row[0]) if row else None


def latest_screening(conn: Connection, party_id: str) -> AuditRecord | None:
    """The newest ``screening`` record of the party with that id, or None.

    Newest first, decoded one by one until found: records are JSON text in both SQLite
    and PostgreSQL, and a party's last screening is usually near the end of the log.
    """
    rows = conn.execute(
        "SELECT seq, at, kind, data, prev_hash, hash FROM audit_log WHERE kind = ?"
        " ORDER BY seq DESC",
        (AuditKind.SCREENING.value,),
    )
    for seq, at, kind, data, prev, digest in rows:
        if f'"id":{json.dumps(party_id, ensure_ascii=False)}' not in data:
            continue  # cheap test on the text before decoding it
        decoded = json.loads(data)
        party = decoded.get("party")
        if isinstance(party, dict) and party.get("id") == party_id:
            return AuditRecord(int(seq), at, kind, decoded, prev, digest)
    return None


def verify_chain(conn: Connection) -> AuditCheck:
    """Check the whole chain and the head; the first problem found is reported."""
    prev, expected_seq = GENESIS, 1
    # In seq order: a record moved to another place breaks the chain where it lands.
    rows = conn.execute("SELECT seq, at, kind, data, prev_hash, hash FROM audit_log ORDER BY seq")
    for seq, at, kind, data, prev_hash, digest in rows:
        if seq != expected_seq:
            return AuditCheck(
                False,
                expected_seq - 1,
                prev,
                f"record {expected_seq} is missing or out of order (found {seq} in its place)",
            )
        if prev_hash != prev:
            return AuditCheck(
                False,
                seq - 1,
                prev,
                f"record {seq} does not follow record "
                f"{seq - 1} (previous hash differs): removed or reordered",
            )
        if record_hash(seq, at, kind, data, prev_hash) != digest:
            return AuditCheck(False, seq - 1, prev, f"record {seq} was edited (hash differs)")
        prev, expected_seq = digest, expected_seq + 1
    count = expected_seq - 1
    head = conn.execute("SELECT records, head FROM audit_head WHERE id = 1").fetchone()
    head_count, head_hash = (int(head[0]), str(head[1])) if head else (0, GENESIS)
    if (head_count, head_hash) != (count, prev):
        return AuditCheck(
            False,
            count,
            prev,
            f"the log ends at record {count} but its head says {head_count}: records were "
            "cut off the end or the head was changed",
        )
    return AuditCheck(True, count, prev)


__all__ = [
    "GENESIS",
    "AuditCheck",
    "AuditKind",
    "AuditRecord",
    "append",
    "canonical",
    "find_data",
    "find_record",
    "iter_records",
    "latest_screening",
    "record_hash",
    "verify_chain",
]
