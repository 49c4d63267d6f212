"""Alert and decision state in the audit log, and checking the tables against it.

Every change of an alert (raised, refreshed onto a new party or entry version, re-opened,
delisted, decided) and every decision is an audit record carrying the audited columns
(:data:`ALERT_FIELDS`, :data:`DECISION_FIELDS`), so :func:`replay` rebuilds both tables'
audited state from the log alone and :func:`compare_state` reports the first row the
tables hold differently: a status or verdict changed in the database, a row deleted, a
row added with no record. Score, names and explanation are the matcher's output, refreshed
by every monitor run and recomputable, so they are not audited state.

Stores made before this (schema < 8) have alerts whose creation left records without
these columns. Migration 8 writes one ``state_baseline`` record that snapshots the alerts
and decisions it finds (:func:`write_baseline`): replay starts from it. We chose a baseline
over exempting old rows because an exemption would let anyone add a row that claims to be
old; the baseline pins what the store held at upgrade time, and every change since is
recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..model import Actor, Verdict
from . import audit
from .audit import AuditKind, AuditRecord
from .dbapi import Connection

#: Audited alert columns: record field -> table column.
ALERT_FIELDS = {
    "party": "party_id",
    "entry": "entry_id",
    "status": "status",
    "reason": "reason",
    "party_hash": "party_hash",
    "entry_hash": "entry_hash",
}

#: Audited decision columns (all of them: a decision never changes): field -> column.
DECISION_FIELDS = {
    "alert": "alert_id",
    "verdict": "verdict",
    "reason": "reason",
    "by": "decided_by",
    "actor": "actor",
    "at": "at",
    "party_hash": "party_hash",
    "entry_hash": "entry_hash",
}

State = dict[int, dict[str, Any]]


def actor_json(actor: Actor | None) -> str | None:
    """The ``decisions.actor`` column: the actor as canonical JSON (None: before #13)."""
    return audit.canonical(actor.to_dict()) if actor else None


def alert_record(
    conn: Connection, alert_id: int, event: str, actor: Actor | None, *, at: str
) -> None:
    """Append the audit record of an alert's change, read back from its row (so what is
    recorded is exactly what the table now holds)."""
    row = conn.execute(
        f"SELECT score, {', '.join(ALERT_FIELDS.values())} FROM alerts WHERE id = ?",
        (alert_id,),
    ).fetchone()
    data: dict[str, Any] = {"alert": int(alert_id), "event": event, "score": round(row[0], 4)}
    data.update(zip(ALERT_FIELDS, row[1:], strict=True))
    data["actor"] = actor.to_dict() if actor else None
    audit.append(conn, AuditKind.ALERT, data, at=at)


def _alert_rows(conn: Connection) -> State:
    cols = ", ".join(ALERT_FIELDS.values())
    return {
        int(r[0]): dict(zip(ALERT_FIELDS, r[1:], strict=True))
        for r in conn.execute(f"SELECT id, {cols} FROM alerts ORDER BY id")
    }


def _decision_rows(conn: Connection) -> State:
    cols = ", ".join(DECISION_FIELDS.values())
    rows: State = {}
    for r in conn.execute(f"SELECT id, {cols} FROM decisions ORDER BY id"):
        row = dict(zip(DECISION_FIELDS, r[1:], strict=True))
        row["alert"] = int(row["alert"])
        row["actor"] = json.loads(row["actor"]) if row["actor"] else None
        rows[int(r[0])] = row
    return rows


def write_baseline(conn: Connection, *, at: str) -> None:
    """Migration 8: one record snapshotting the alerts and decisions found (none: none)."""
    alerts, decisions = _alert_rows(conn), _decision_rows(conn)
    if not alerts and not decisions:
        return
    audit.append(
        conn,
        AuditKind.STATE_BASELINE,
        {
            "alerts": [{"alert": i, **a} for i, a in alerts.items()],
            "decisions": [{"decision": i, **d} for i, d in decisions.items()],
        },
        at=at,
    )


def replay(records: Iterable[AuditRecord]) -> tuple[State, State]:
    """Alert and decision state as the log says it is: ``(alerts, decisions)`` by id."""
    alerts: State = {}
    decisions: State = {}
    for record in records:
        data = record.data
        if record.kind == AuditKind.STATE_BASELINE:
            alerts = {int(a["alert"]): {f: a[f] for f in ALERT_FIELDS} for a in data["alerts"]}
            decisions = {
                int(d["decision"]): {f: d[f] for f in DECISION_FIELDS} for d in data["decisions"]
            }
        # Records older than migration 8 carry no state (no "status" / "actor" field); a
        # baseline after them holds what they changed.
        elif record.kind == AuditKind.ALERT and "status" in data:
            alerts[int(data["alert"])] = {f: data[f] for f in ALERT_FIELDS}
        elif record.kind == AuditKind.DECISION and "actor" in data:
            decision = {f: data[f] for f in DECISION_FIELDS if f != "at"}
            decisions[int(data["decision"])] = {**decision, "at": record.at}
            alert = alerts.setdefault(int(data["alert"]), {})
            alert["status"] = Verdict(data["verdict"]).status.value
    return alerts, decisions


def _first_difference(what: str, table: State, log: State) -> str | None:
    for key in sorted(set(table) | set(log)):
        if key not in log:
            return f"{what} {key} has no audit record: added or changed behind the log's back"
        if key not in table:
            return f"{what} {key} is in the audit log but not in the table: deleted"
        for field, value in log[key].items():
            if table[key].get(field) != value:
                return (
                    f"{what} {key}: {field} is {table[key].get(field)!r} in the table but"
                    f" {value!r} in the audit log: changed behind the log's back"
                )
    return None


def compare_state(conn: Connection) -> str | None:
    """The first alert or decision whose table row differs from the log's replay (one
    line), or None when the tables are what the log says."""
    # Only the kinds that carry state are read and parsed: screenings, the bulk of a log,
    # are skipped by the query (the chain check has already read every record).
    kinds = (AuditKind.ALERT.value, AuditKind.DECISION.value, AuditKind.STATE_BASELINE.value)
    rows = conn.execute(
        "SELECT seq, at, kind, data, prev_hash, hash FROM audit_log WHERE kind IN (?, ?, ?)"
        " ORDER BY seq",
        kinds,
    )
    records = (AuditRecord(int(r[0]), r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows)
    alerts, decisions = replay(records)
    return _first_difference("alert", _alert_rows(conn), alerts) or _first_difference(
        "decision", _decision_rows(conn), decisions
    )


def check_pinned(conn: Connection, records: int, head: str) -> str | None:
    """Whether the log still holds ``head`` as record ``records`` (a signed head file):
    None if so, else why not. With an intact chain this proves the first ``records``
    records are the ones that were signed; records after them are allowed (growth)."""
    row = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()
    count = int(row[0])
    if count < records:
        return (
            f"the log has {count} records but the signed head pins {records}: records were"
            " cut off the end"
        )
    found = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (records,)).fetchone()
    if records and (found is None or found[0] != head):
        return (
            f"record {records} is not the signed head (hash differs): the log was rewritten"
            " (re-chained) at or before it"
        )
    return None


def decision_data(
    decision_id: int, alert: Mapping[str, Any], fields: Mapping[str, Any]
) -> dict[str, Any]:
    """The audit record of a decision: its audited fields, the alert's pair and new status."""
    return {
        "decision": decision_id,
        "alert": alert["id"],
        "party": alert["party"],
        "entry": alert["entry"],
        "status": Verdict(fields["verdict"]).status.value,
        **{f: fields[f] for f in DECISION_FIELDS if f not in ("alert", "at")},
    }


__all__ = [
    "ALERT_FIELDS",
    "DECISION_FIELDS",
    "actor_json",
    "alert_record",
    "check_pinned",
    "compare_state",
    "decision_data",
    "replay",
    "write_baseline",
]
