"""The versioned store on small hand-made entries: snapshots, versions, diff, history."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from entityscreen.errors import NotFoundError, StoreError
from entityscreen.model import Entry, LegalFacts, Name, NameKind, Schema
from entityscreen.store import SqliteStore
from entityscreen.store.migrations import LATEST_VERSION


def make_entry(native: str, name: str, **kw: object) -> Entry:
    return Entry(
        id=f"test:{native}",
        source="test",
        list=str(kw.pop("list", "EL")),
        schema=Schema.ORGANIZATION,
        names=(Name(name), Name(f"{name} alias", NameKind.AKA)),
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    s = SqliteStore.open(tmp_path / "store.sqlite")
    yield s
    s.close()


def add(store: SqliteStore, entries: list[Entry], sha: str) -> int:
    snap = store.add_snapshot(
        source="test", format="t", sha256=sha, entries=entries, fetched_at="2024-01-01T00:00:00"
    )
    return snap.id


def test_migrations_recorded_and_reopen_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    SqliteStore.open(path).close()
    with SqliteStore.open(path) as s:
        assert s.schema_version() == LATEST_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    SqliteStore.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations(version, description) VALUES (999, 'future')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        SqliteStore.open(path)


def test_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"not a database|not an entityscreen store"):
        SqliteStore.open(path)


def test_snapshot_roundtrip_and_counts(store: SqliteStore) -> None:
    entries = [
        make_entry("1", "Alpha Co", legal=LegalFacts(start_date="2019-10-09")),
        make_entry("2", "Beta Ltd", list="MEU"),
    ]
    sid = add(store, entries, "a" * 64)
    assert store.list_counts(sid) == {"EL": 1, "MEU": 1}
    got = {e.id: e for e in store.iter_entries(sid)}
    assert got == {e.id: e for e in entries}
    assert store.latest_snapshot("test") is not None
    assert store.get_snapshot(sid).entry_count == 2


def test_unchanged_entries_share_one_version(store: SqliteStore) -> None:
    a, b = make_entry("1", "Alpha"), make_entry("2", "Beta")
    add(store, [a, b], "1" * 64)
    add(store, [a, b], "2" * 64)
    n_versions = store._conn.execute("SELECT COUNT(*) FROM entry_versions").fetchone()[0]
    assert n_versions == 2


def test_diff_added_removed_changed_field_by_field(store: SqliteStore) -> None:
    a, b, c = make_entry("1", "Alpha"), make_entry("2", "Beta"), make_entry("3", "Gamma")
    s1 = add(store, [a, b], "1" * 64)
    b2 = replace(b, remarks="now with remarks", countries=("CN",))
    s2 = add(store, [b2, c], "2" * 64)
    diff = store.diff(s1, s2)
    assert [d.entry_id for d in diff.added] == ["test:3"]
    assert [d.entry_id for d in diff.removed] == ["test:1"]
    assert [c.entry_id for c in diff.changed] == ["test:2"]
    fields = {ch.field: (ch.old, ch.new) for ch in diff.changed[0].changes}
    assert fields == {"countries": (None, ["CN"]), "remarks": (None, "now with remarks")}


def test_history_and_timeline(store: SqliteStore) -> None:
    a = make_entry("1", "Alpha")
    s1 = add(store, [a], "1" * 64)
    s2 = add(store, [], "2" * 64)  # removed
    a2 = replace(a, remarks="back")
    s3 = add(store, [a2], "3" * 64)  # re-listed, changed
    hist = store.history("test:1")
    assert len(hist.versions) == 2
    assert [s.id for s in hist.versions[0].snapshots] == [s1]
    assert [s.id for s in hist.versions[1].snapshots] == [s3]
    present = [(snap.id, h is not None) for snap, h in hist.timeline]
    assert present == [(s1, True), (s2, False), (s3, True)]
    assert store.get_entry("test:1").remarks == "back"
    assert store.get_entry("test:1", snapshot_id=s1).remarks is None
    with pytest.raises(NotFoundError):
        store.history("test:nope")


def test_failed_write_leaves_previous_state(store: SqliteStore) -> None:
    a = make_entry("1", "Alpha")
    s1 = add(store, [a], "1" * 64)
    with pytest.raises(StoreError, match="duplicate"):
        add(store, [a, a], "2" * 64)
    # An exception raised mid-transaction rolls everything back.
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute(
            "INSERT INTO snapshots(source, format, fetched_at, sha256, entry_count)"
            " VALUES ('test', 't', 'x', 'y', 0)"
        )
        raise RuntimeError("crash")
    assert [s.id for s in store.snapshots("test")] == [s1]
    assert store.integrity_check() == "ok"


def test_presence_removed_entries_and_ownership(store: SqliteStore) -> None:
    from entityscreen.model import Ownership

    a, b = make_entry("1", "Alpha Trading"), make_entry("2", "Beta Shipping")
    s1, s2 = add(store, [a, b], "1"), add(store, [a], "2")
    assert [(s.id, held) for s, held in store.presence("test:2")] == [(s1, True), (s2, False)]
    assert [e.id for e in store.iter_removed_entries()] == ["test:2"]
    with pytest.raises(NotFoundError):
        store.presence("test:nope")
    edges = [Ownership("test:1", "acme", 60.0, owner_name="Alpha Trading", source="f.csv")]
    assert store.replace_ownership("f.csv", edges, imported_at="t") == 1
    assert store.replace_ownership("f.csv", edges, imported_at="t") == 1  # replaces, no dupes
    assert store.ownership() == edges


def test_data_version_follows_snapshots_and_ownership(store: SqliteStore) -> None:
    """The token a Screener compares on every request: equal while nothing changed, new
    after a snapshot or any ownership import (even of the same edges), not after writes
    that change no list data (audit records)."""
    from entityscreen.model import Ownership
    from entityscreen.store import AuditKind

    empty = store.data_version()
    assert empty.lists == () and empty.snapshots == ()
    s1 = add(store, [make_entry("1", "Alpha Trading")], "1")
    v1 = store.data_version()
    assert v1 != empty and v1.lists == ((s1, "1"),)
    assert v1.snapshots == tuple(store.current_snapshots())
    store.audit(AuditKind.SCREENING, {"query": "x"}, at="t")
    assert store.data_version() == v1 and hash(store.data_version()) == hash(v1)
    edges = [Ownership("test:1", "acme", 60.0, source="f.csv")]
    store.replace_ownership("f.csv", edges, imported_at="t")
    v2 = store.data_version()
    assert v2.lists == v1.lists and v2.ownership > v1.ownership
    store.replace_ownership("f.csv", edges, imported_at="t")
    v3 = store.data_version()
    assert v3.ownership > v2.ownership
    store.replace_ownership("f.csv", [], imported_at="t")
    assert store.data_version().ownership > v3.ownership
    s2 = add(store, [make_entry("1", "Alpha Trading Co")], "2")
    assert store.data_version().lists == ((s2, "2"),)


def test_reads_bounded_to_a_view(store: SqliteStore) -> None:
    """``upto``: an entry and the removed entries as the store stood at a snapshot, so a
    view's lazy reads do not see snapshots stored after it was built."""
    a, b = make_entry("1", "Alpha Trading"), make_entry("2", "Beta Shipping")
    s1 = add(store, [a, b], "1")
    a2 = replace(a, programs=("IRAN",))
    add(store, [a2], "2")
    assert store.get_entry("test:1") == a2
    assert store.get_entry("test:1", upto=s1) == a
    assert [e.id for e in store.iter_removed_entries()] == ["test:2"]
    assert list(store.iter_removed_entries(upto=s1)) == []
    with pytest.raises(NotFoundError):
        store.get_entry("test:1", upto=0)
