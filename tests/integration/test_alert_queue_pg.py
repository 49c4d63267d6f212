"""The alert queue (issue #14) reads the same from PostgreSQL as from SQLite: the
registry's party names (``party_names``), the groups, their verdicts and the pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from entityscreen.service import Screener
from entityscreen.service.alert_queue import alert_queue
from entityscreen.settings import Settings

DSN = os.environ.get("ENTITYSCREEN_TEST_PG")
pytestmark = pytest.mark.skipif(not DSN, reason="set ENTITYSCREEN_TEST_PG to a PostgreSQL DSN")


def _wipe(dsn: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def test_the_queue_is_the_same_on_postgres(tmp_path: Path, fixtures: Path) -> None:
    assert DSN
    _wipe(DSN)
    parties = tmp_path / "parties.csv"
    rows = [f"R{i},Rosneft Trade Ltd" for i in range(1, 6)] + ["D1,Dart Aviation Technics SARL"]
    parties.write_text("id,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    seen = []
    for settings in (Settings(home=tmp_path / "pg", store_url=DSN), Settings(home=tmp_path / "sq")):
        with Screener.open(settings=settings) as s:
            assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
            s.import_parties(parties)
            s.monitor()
            assert s.store.party_names()["D1"] == "Dart Aviation Technics SARL"
            pages = [alert_queue(s, page=n, per_page=4) for n in (1, 2)]
            seen.append(
                [
                    (
                        p.page,
                        p.pages,
                        p.parties,
                        p.alerts,
                        g.party_id,
                        g.party_name,
                        g.verdict.label,
                        [(a.entry_id, a.list) for a in g.alerts],
                    )
                    for p in pages
                    for g in p.groups
                ]
            )
    assert seen[0] == seen[1]
    assert seen[0][0][4:7] == ("D1", "Dart Aviation Technics SARL", "LICENSE REQUIRED")
    assert [row[4] for row in seen[0]] == ["D1", "R1", "R2", "R3", "R4", "R5"]
