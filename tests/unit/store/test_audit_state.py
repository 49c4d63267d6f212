"""Issue #13 item 4: the audit log covers the alert and decision state it audits.

Every alert change and decision is an audit record; ``verify_audit`` replays the log and
compares it with the tables, so a status or verdict changed in the database, an alert
deleted or added behind the log's back no longer verifies. A store made before (schema 7)
gets a baseline record and keeps verifying. Tampering is done as the tester did: with a
plain connection to the file and the append-only triggers dropped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from entityscreen.model import Actor, Verdict
from entityscreen.store import SqliteStore
from entityscreen.store.monitoring import AlertCandidate

ANN = Actor.key(7, "ann", "analyst")


def candidate(party: str, entry: str, *, entry_hash: str = "e1") -> AlertCandidate:
    return AlertCandidate(
        party_id=party,
        entry_id=entry,
        score=0.93,
        list="EL",
        listed_name="ACME",
        matched_name="Acme",
        explanation="name",
        verdict="listed",
        party_hash="p1",
        entry_hash=entry_hash,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    """Three alerts: one decided false positive, one open, one delisted."""
    s = SqliteStore.open(tmp_path / "store.sqlite")
    ops = Actor.local("ops")
    out = s.raise_alerts(
        [candidate("P1", "t:1"), candidate("P2", "t:2"), candidate("P3", "t:3")],
        at="2026-01-01T00:00:00+00:00",
        actor=ops,
    )
    s.decide(
        out.new[0],
        Verdict.FALSE_POSITIVE,
        reason="other firm",
        by="ann",
        actor=ANN,
        at="2026-01-02",
    )
    s.raise_alerts([], at="2026-01-03", removed={"t:3": "t snapshot 2"}, actor=ops)
    yield s
    s.close()


def tamper(store: SqliteStore, *statements: str) -> None:
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER IF EXISTS decisions_no_update")
    conn.execute("DROP TRIGGER IF EXISTS decisions_no_delete")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def problem(store: SqliteStore) -> str:
    check = store.verify_audit()
    assert not check.ok
    return check.problem or ""


def test_untouched_state_verifies_and_every_change_is_a_record(store: SqliteStore) -> None:
    assert store.verify_audit().ok
    alerts = [r.data for r in store.audit_records() if r.kind == "alert"]
    assert [(a["alert"], a["event"], a["status"]) for a in alerts] == [
        (1, "opened", "open"),
        (2, "opened", "open"),
        (3, "opened", "open"),
        (3, "delisted", "delisted"),
    ]
    assert alerts[0]["actor"] == {"kind": "local", "id": None, "name": "ops", "role": None}
    [decision] = [r.data for r in store.audit_records() if r.kind == "decision"]
    assert decision["status"] == "false-positive" and decision["actor"]["name"] == "ann"


def test_a_status_changed_in_the_database_is_detected(store: SqliteStore) -> None:
    tamper(store, "UPDATE alerts SET status = 'open' WHERE id = 1")
    assert problem(store).startswith(
        "alert 1: status is 'open' in the table but 'false-positive' in the audit log"
    )


def test_a_verdict_changed_in_the_database_is_detected(store: SqliteStore) -> None:
    # the tester's way: drop the trigger that forbids it, change the verdict and the status
    tamper(
        store,
        "UPDATE decisions SET verdict = 'true-match' WHERE id = 1",
        "UPDATE alerts SET status = 'true-match' WHERE id = 1",
    )
    assert "alert 1: status is 'true-match' in the table" in problem(store)
    tamper(store, "UPDATE alerts SET status = 'false-positive' WHERE id = 1")
    assert problem(store).startswith("decision 1: verdict is 'true-match' in the table")


def test_a_decision_in_someone_elses_name_is_detected(store: SqliteStore) -> None:
    tamper(store, "UPDATE decisions SET decided_by = 'Chief Compliance Officer'")
    assert problem(store).startswith("decision 1: by is 'Chief Compliance Officer'")


def test_a_deleted_alert_is_detected(store: SqliteStore) -> None:
    tamper(store, "DELETE FROM alerts WHERE id = 2")
    assert problem(store) == "alert 2 is in the audit log but not in the table: deleted"


def test_an_alert_or_decision_with_no_record_is_detected(store: SqliteStore) -> None:
    tamper(
        store,
        "INSERT INTO alerts(party_id, entry_id, status, score, list, listed_name,"
        " matched_name, explanation, verdict, party_hash, entry_hash, reason, created_at,"
        " updated_at) VALUES ('P9', 't:9', 'false-positive', 0.9, 'EL', 'X', 'X', '', '',"
        " 'p', 'e', 'new match', 'x', 'x')",
    )
    assert problem(store).startswith("alert 4 has no audit record")
    tamper(
        store,
        "DELETE FROM alerts WHERE id = 4",
        "INSERT INTO decisions(alert_id, verdict, reason, decided_by, at, party_hash,"
        " entry_hash) VALUES (2, 'escalate', 'x', 'x', 'x', 'p1', 'e1')",
    )
    assert problem(store).startswith("decision 2 has no audit record")


def test_reopening_and_refreshing_are_records_too(store: SqliteStore) -> None:
    # the decided alert's entry changed: re-opened; the open one moves to a new version
    store.raise_alerts(
        [candidate("P1", "t:1", entry_hash="e2"), candidate("P2", "t:2", entry_hash="e2")],
        at="2026-01-04",
        actor=Actor.local("ops"),
    )
    events = [
        (r.data["alert"], r.data["event"]) for r in store.audit_records() if r.kind == "alert"
    ]
    assert events[-2:] == [(1, "re-opened"), (2, "refreshed")]
    assert store.verify_audit().ok
    tamper(store, "UPDATE alerts SET entry_hash = 'e1' WHERE id = 2")
    assert problem(store).startswith("alert 2: entry_hash is 'e1' in the table but 'e2'")


def make_old_store(store: SqliteStore) -> None:
    """Turn ``store`` into what schema 7 left: no actor column, no migration 8, and alert
    records without state (as before issue #13)."""
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log")
    conn.execute("DELETE FROM audit_head")
    conn.execute("ALTER TABLE decisions DROP COLUMN actor")
    # Migration 9 (sessions, batch job owners) came later: undo it too. SQLite cannot drop
    # a column with a foreign key, so batch_jobs is copied without it.
    conn.execute("DROP TABLE sessions")
    conn.execute(
        "CREATE TABLE batch_jobs_7 AS SELECT id, status, rows, output_rows, message,"
        " created_at, updated_at FROM batch_jobs"
    )
    conn.execute("DROP TABLE batch_jobs")
    conn.execute("ALTER TABLE batch_jobs_7 RENAME TO batch_jobs")
    conn.execute("ALTER TABLE ownership_edges DROP COLUMN owner_country")  # migration 10
    conn.execute("DELETE FROM schema_migrations WHERE version >= 8")
    conn.commit()
    conn.close()


def test_a_store_from_before_gets_a_baseline_and_keeps_verifying(
    store: SqliteStore, tmp_path: Path
) -> None:
    store.close()
    old = SqliteStore.open(tmp_path / "store.sqlite")
    make_old_store(old)
    old.close()
    upgraded = SqliteStore.open(tmp_path / "store.sqlite")  # runs migration 8 again
    try:
        [baseline] = list(upgraded.audit_records())
        assert baseline.kind == "state_baseline"
        assert [a["status"] for a in baseline.data["alerts"]] == [
            "false-positive",
            "open",
            "delisted",
        ]
        assert baseline.data["decisions"][0]["actor"] is None
        assert upgraded.verify_audit().ok
        assert upgraded.decisions(1)[0].actor is None  # decided before actors were kept
        tamper(upgraded, "UPDATE alerts SET status = 'escalated' WHERE id = 2")
        assert problem(upgraded).startswith("alert 2: status is 'escalated'")
    finally:
        upgraded.close()
