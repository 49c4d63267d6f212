"""The PostgreSQL store against a real server: the same behaviour as SQLite, and several
processes on one database answering alike and never double-alerting.

Needs ``ENTITYSCREEN_TEST_PG`` (a DSN of a database the tests may wipe); ``.ci/run``
installs Debian's postgresql, starts it and sets it. Skipped, saying so, elsewhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from entityscreen.model import Party
from entityscreen.service import Screener
from entityscreen.settings import Settings
from entityscreen.store.migrations import LATEST_VERSION

DSN = os.environ.get("ENTITYSCREEN_TEST_PG")
pytestmark = pytest.mark.skipif(not DSN, reason="set ENTITYSCREEN_TEST_PG to a PostgreSQL DSN")


def wipe(dsn: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Settings]:
    assert DSN
    wipe(DSN)
    yield Settings(home=tmp_path / "home", store_url=DSN)


def test_store_behaves_as_on_sqlite(pg: Settings, fixtures: Path) -> None:
    with Screener.open(settings=pg) as s:
        assert s.store.schema_version() == LATEST_VERSION
        first = s.import_path(fixtures / "csl" / "consolidated.csv")
        assert first.ok and first.snapshot is not None
        again = s.import_path(fixtures / "csl" / "consolidated.csv")
        assert again.status == "unchanged"
        result = s.screen(Party(name="Hikvision"), as_of=date(2019, 10, 9))
        [hit] = [h for h in result.hits if h.match.list == "EL"]
        assert hit.legal.verdict.startswith("Entity List since 2019-10-09 (84 FR 54002)")
        assert hit.listing is not None and hit.listing.listed is True
        before = s.screen(Party(name="Hikvision"), as_of=date(2019, 10, 8))
        assert [h.match.list for h in before.not_listed] == ["EL"]
        history = s.history("us_csl:EL:28e6392023655ca2")
        assert [held is not None for _, held in history.timeline] == [True]
        assert s.diff("us_csl").added
        s.import_ownership(fixtures / "ownership" / "edges.csv")
        owned = s.screen(Party(name="Acme Trading Ltd"))
        assert owned.ownership and owned.ownership[0].total == 60.0
        parties = pg.home / "parties.csv"
        parties.write_text("id,name\nC1,Oriental Engineers\nC2,Nobody Ltd\n", encoding="utf-8")
        s.import_parties(parties)
        report = s.monitor()
        assert report.full and len(report.outcome.new) == 1
        [alert] = s.alerts(status="open")
        s.decide(alert.id, "false-positive", reason="checked", by="analyst", actor=s.operator)
        assert s.monitor().screened == 0
        _, key = s.create_key("k", "analyst", actor=s.operator)
        assert s.authenticate(key) is not None
        check = s.verify_audit()
        assert check.ok and check.records >= 8


def test_append_only_and_tamper_detection(pg: Settings, fixtures: Path) -> None:
    import psycopg

    assert DSN
    with Screener.open(settings=pg) as s:
        s.import_path(fixtures / "csl" / "consolidated.csv")
        s.screen(Party(name="Hikvision"))
    with psycopg.connect(DSN, autocommit=True) as conn:
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("UPDATE audit_log SET kind = 'x' WHERE seq = 1")
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("DELETE FROM audit_log WHERE seq = 1")
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET data = replace(data, 'Hikvision', 'Hik') WHERE seq = 2")
    with Screener.open(settings=pg) as s:
        check = s.verify_audit()
        assert not check.ok and "record 2 was edited" in (check.problem or "")


def test_alert_state_and_signed_head_on_postgres(pg: Settings) -> None:
    """Issue #13 item 4 on PostgreSQL: a verdict changed with the trigger disabled and a
    log cut below a signed head are both detected."""
    import psycopg

    from entityscreen.store.monitoring import AlertCandidate

    assert DSN
    with Screener.open(settings=pg) as s:
        hit = AlertCandidate("P1", "t:1", 0.9, "EL", "ACME", "Acme", "", "", "p", "e")
        [alert_id] = s.store.raise_alerts([hit], at="2026-01-01", actor=s.operator).new
        s.decide(alert_id, "false-positive", reason="other firm", actor=s.operator)
        head = s.audit_head()
        assert s.verify_audit(head=head).ok
    with psycopg.connect(DSN, autocommit=True) as conn:
        conn.execute("ALTER TABLE decisions DISABLE TRIGGER decisions_no_update")
        conn.execute("UPDATE decisions SET verdict = 'true-match'")
    with Screener.open(settings=pg) as s:
        check = s.verify_audit()
        assert not check.ok and (check.problem or "").startswith("decision 1: verdict is")
    with psycopg.connect(DSN, autocommit=True) as conn:
        conn.execute("UPDATE decisions SET verdict = 'false-positive'")
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete")
        row = conn.execute("SELECT hash FROM audit_log WHERE seq = 1").fetchone()
        conn.execute("DELETE FROM audit_log WHERE seq > 1")
        conn.execute("UPDATE audit_head SET records = 1, head = %s", (row[0],))
    with Screener.open(settings=pg) as s:
        check = s.verify_audit(head=head)
        assert not check.ok and "records were cut off the end" in (check.problem or "")


def test_sdn_diff_equals_sqlite(pg: Settings, shared_data: Path, tmp_path: Path) -> None:
    counts = []
    for settings in (pg, Settings(home=tmp_path / "sqlite")):
        with Screener.open(settings=settings) as s:
            for folder in ("ofac_sdn_2023-12-28", "ofac_sdn_2024-05-03"):
                # the 2024 file comes without add.csv/alt.csv: a partial snapshot
                assert s.import_path(shared_data / folder / "sdn.csv", partial=True).ok
            diff = s.diff("us_ofac_sdn")
            counts.append((len(diff.added), len(diff.removed), len(diff.changed)))
    assert counts[0] == counts[1] and counts[0][0] > 1000


def test_several_processes_on_one_database(pg: Settings, fixtures: Path, tmp_path: Path) -> None:
    """Two monitor runs from two machines' worth of homes (no shared file lock) at once:
    one set of alerts, an intact audit chain; then two processes answer alike."""
    assert DSN
    with Screener.open(settings=pg) as s:
        s.import_path(fixtures / "csl" / "consolidated.csv")
        parties = tmp_path / "parties.csv"
        parties.write_text(
            "id,name\nC1,Oriental Engineers\nC2,Dart Aviation\nC3,Hikvision\n", encoding="utf-8"
        )
        s.import_parties(parties)
    procs = []
    for i in range(2):
        env = {
            **os.environ,
            "ENTITYSCREEN_HOME": str(tmp_path / f"h{i}"),
            "ENTITYSCREEN_STORE": DSN,
        }
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "entityscreen", "monitor"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with Screener.open(settings=pg) as s:
        alerts = s.alerts()
        assert len(alerts) == len({(a.party_id, a.entry_id) for a in alerts}) >= 3
        assert s.verify_audit().ok
    answers = []
    for i in range(2):
        env = {
            **os.environ,
            "ENTITYSCREEN_HOME": str(tmp_path / f"h{i}"),
            "ENTITYSCREEN_STORE": DSN,
        }
        out = subprocess.run(
            [sys.executable, "-m", "entityscreen", "screen", "Hikvision", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        data = json.loads(out)
        answers.append([(m["entry_id"], m["score"], m["verdict"]) for m in data["matches"]])
    assert answers[0] == answers[1] and answers[0]


def test_open_screener_follows_imports_by_another(pg: Settings, tmp_path: Path) -> None:
    """Two servers' worth of Screeners on one database (each with its own home): what one
    imports, lists or ownership, the other answers from on its next request (issue #11)."""
    from ._snapshots import (
        BOREALIS,
        FIRST,
        HARBOURLINE,
        SECOND,
        ZENITH,
        ZENITH_ID,
        write_csl,
        write_ownership,
    )

    other = Settings(home=tmp_path / "other", store_url=pg.store_url)
    with Screener.open(settings=other) as b:
        assert b.import_path(write_csl(tmp_path / "s1", FIRST), published=date(2024, 1, 10)).ok
    with Screener.open(settings=pg) as a:
        before = a.store.data_version()
        [hit] = a.screen(Party(name=ZENITH)).hits
        assert hit.legal.programs == ("IRAN",)
        assert a.screen(Party(name=BOREALIS)).hits
        assert a.screen(Party(name=HARBOURLINE)).ownership == ()
        with Screener.open(settings=other) as b:
            # SECOND drops the Entity List row on purpose: past the shrink guard (issue #13)
            second = b.import_path(
                write_csl(tmp_path / "s2", SECOND), published=date(2024, 3, 1), allow_shrink=True
            )
            assert second.snapshot is not None
            b.import_ownership(write_ownership(tmp_path / "own.csv", 60))
        after = a.store.data_version()
        assert after.lists == ((second.snapshot.id, second.snapshot.sha256),)
        assert after.ownership == before.ownership + 1
        result = a.screen(Party(name=ZENITH))
        assert [s.id for s in result.snapshots] == [second.snapshot.id]
        assert [h.legal.programs for h in result.hits] == [("IRAN", "SDGT")]
        assert a.entry(ZENITH_ID).programs == ("IRAN", "SDGT")
        assert not a.screen(Party(name=BOREALIS)).hits
        [finding] = a.screen(Party(name=HARBOURLINE)).ownership
        assert finding.rule_id == "ofac_50" and finding.total == 60.0


def test_records_appended_while_the_chain_is_checked_do_not_break_it(
    pg: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit check reads one state of the log (REPEATABLE READ): a record another
    process appends between its reads of the records and of the head is not "cut off"."""
    from entityscreen.store import AuditKind
    from entityscreen.store import audit as audit_module

    with Screener.open(settings=pg) as s, Screener.open(settings=pg) as other:
        for i in range(3):
            s.store.audit(AuditKind.SCREENING, {"party": f"p{i}"}, at="2026-01-01")
        hash_of = audit_module.record_hash
        appended: list[bool] = []

        def appending(*args: object) -> str:
            if not appended:  # once, from the check (the append itself hashes its record)
                appended.append(True)
                other.store.audit(AuditKind.SCREENING, {"party": "late"}, at="2026-01-02")
            return hash_of(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(audit_module, "record_hash", appending)
        check = s.store.verify_audit()
        monkeypatch.undo()
        assert appended and check.ok, check.problem
        assert s.store.verify_audit().records == check.records + 1
