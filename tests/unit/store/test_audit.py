"""The audit log's hash chain: every edit, removal, reordering or truncation is caught."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from entityscreen.store import AuditKind, SqliteStore
from entityscreen.store import audit as audit_module
from entityscreen.store.audit import canonical, canonical_value, canonical_with


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore.open(tmp_path / "store.sqlite")
    for i in range(5):
        s.audit(AuditKind.SCREENING, {"party": f"p{i}", "hits": [i]}, at=f"2026-01-0{i + 1}")
    yield s
    s.close()


def tamper(store: SqliteStore, *statements: str) -> None:
    """Change the file the way someone with write access could: behind the store's back,
    with the append-only triggers dropped."""
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def test_intact_chain_verifies(store: SqliteStore) -> None:
    check = store.verify_audit()
    assert check.ok and check.records == 5 and len(check.head) == 64
    records = list(store.audit_records())
    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))
    assert [r.seq for r in store.audit_records(since="2026-01-02", until="2026-01-04")] == [2, 3]


def test_the_store_refuses_to_change_records(store: SqliteStore) -> None:
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET kind = 'x' WHERE seq = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE seq = 1")
    conn.close()


def test_edited_record_is_detected(store: SqliteStore) -> None:
    tamper(store, """UPDATE audit_log SET data = '{"hits":[],"party":"p2"}' WHERE seq = 3""")
    check = store.verify_audit()
    assert not check.ok and check.records == 2 and "record 3 was edited" in (check.problem or "")


def test_removed_record_is_detected(store: SqliteStore) -> None:
    tamper(store, "DELETE FROM audit_log WHERE seq = 2")
    check = store.verify_audit()
    assert not check.ok and "record 2 is missing" in (check.problem or "")


def test_removed_and_renumbered_record_is_detected(store: SqliteStore) -> None:
    tamper(
        store,
        "DELETE FROM audit_log WHERE seq = 2",
        "UPDATE audit_log SET seq = seq - 1 WHERE seq > 2",
    )
    check = store.verify_audit()
    assert not check.ok and "record 2 does not follow record 1" in (check.problem or "")


def test_reordered_records_are_detected(store: SqliteStore) -> None:
    tamper(
        store,
        "UPDATE audit_log SET seq = 100 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = 100",
    )
    assert not store.verify_audit().ok


def test_cut_off_end_is_detected(store: SqliteStore) -> None:
    tamper(store, "DELETE FROM audit_log WHERE seq = 5")
    check = store.verify_audit()
    assert not check.ok and "cut off the end" in (check.problem or "")


def test_imports_and_ownership_are_recorded_in_their_transaction(store: SqliteStore) -> None:
    from entityscreen.model import Actor, Entry, Name, Ownership, Schema

    ops = Actor.local("ops")
    entry = Entry(id="t:1", source="t", list="EL", schema=Schema.ORGANIZATION, names=(Name("A"),))
    snap = store.add_snapshot(
        source="t",
        format="f",
        sha256="abc",
        entries=[entry],
        fetched_at="x",
        audit_at="2026-02-01",
        actor=ops,
    )
    edges = [Ownership("a", "b", 50.0, source="o.csv")]
    store.replace_ownership("o.csv", edges, imported_at="y", actor=ops)
    *_, imported, owned = store.audit_records()
    assert imported.kind == "import" and imported.data["snapshot"] == snap.id
    assert imported.data["sha256"] == "abc" and imported.data["entries"] == 1
    # who imported is part of the record (issue #13)
    assert imported.data["actor"] == {"kind": "local", "id": None, "name": "ops", "role": None}
    assert owned.kind == "ownership_import"
    assert owned.data == {"source": "o.csv", "edges": 1, "actor": imported.data["actor"]}
    assert store.verify_audit().ok


def test_records_appended_together_chain_as_appended_one_by_one(tmp_path: Path) -> None:
    """``audit_many`` (a batch chunk) writes the same records and hashes as ``audit`` for
    each, whether a record's data comes as a dict or as its canonical text."""
    data = [{"party": {"name": f"Tëst {i}"}, "hits": [i], "stale": []} for i in range(4)]
    one = SqliteStore.open(tmp_path / "one.sqlite")
    many = SqliteStore.open(tmp_path / "many.sqlite")
    try:
        for s in (one, many):
            s.audit(AuditKind.IMPORT, {"source": "x"}, at="2026-01-01")
        for d in data:
            one.audit(AuditKind.SCREENING, d, at="2026-01-02")
        records: list[tuple[AuditKind, dict[str, Any] | str]] = [
            (AuditKind.SCREENING, canonical(d) if i % 2 else d) for i, d in enumerate(data)
        ]
        many.audit_many(records, at="2026-01-02")
        many.audit_many([], at="2026-01-03")
        assert [r.to_dict() for r in many.audit_records()] == [
            r.to_dict() for r in one.audit_records()
        ]
        assert many.verify_audit() == one.verify_audit()
        assert many.verify_audit().ok and many.verify_audit().records == 5
    finally:
        one.close()
        many.close()


@pytest.mark.parametrize(
    "rendered_keys",
    [(), ("a",), ("zz",), ("m", "snapshots"), ("a", "b", "m", "zz"), ("snapshot_dates",)],
)
def test_canonical_with_rendered_parts_is_the_canonical_text(
    rendered_keys: tuple[str, ...],
) -> None:
    full: dict[str, Any] = {
        "a": None,
        "b": [1, 2.5, "é"],
        "m": {"y": 1, "x": {"q": [], "p": "ü\n"}},
        "snapshot_dates": {"us": {"date": "2024-01-01", "age_days": 3}},
        "snapshots": {"b": [2, "f0"], "a": [1, "e1"]},
        "stale": ["x"],
        "zz": True,
    }
    rendered = {k: canonical_value(full[k]) for k in rendered_keys}
    rest = {k: v for k, v in full.items() if k not in rendered}
    assert canonical_with(rest, rendered) == canonical(full)


def test_records_appended_while_the_chain_is_checked_do_not_break_it(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process appends between the check's read of the records and of the head: the
    # check reads one state of the log, so it neither calls the chain broken nor misses it.
    other = SqliteStore.open(store.path)
    hash_of = audit_module.record_hash
    appended: list[bool] = []

    def appending(*args: Any) -> str:
        if not appended:  # once, from the check (the append itself hashes its record)
            appended.append(True)
            other.audit(AuditKind.SCREENING, {"party": "late"}, at="2026-02-01")
        return hash_of(*args)

    monkeypatch.setattr(audit_module, "record_hash", appending)
    check = store.verify_audit()
    monkeypatch.undo()
    assert appended and check.ok, check.problem
    assert check.records == 5
    assert store.verify_audit().records == 6
    other.close()
