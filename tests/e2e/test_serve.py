"""``entityscreen serve`` hands its settings to the app as an argument (issue #11): with
``--store`` and ``--workers 2``, every server process answers from the store named on the
command line, not from ``$ENTITYSCREEN_HOME``."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from entityscreen.service import Screener

from ._server import live_server


def test_serve_store_option_reaches_every_worker(
    tmp_path_factory: pytest.TempPathFactory, fixtures: Path
) -> None:
    root = tmp_path_factory.mktemp("serve")
    store_home, env_home = root / "store-home", root / "env-home"
    with Screener.open(store_home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        s.matcher()
        key = s.create_key("bob", "screener", actor=s.operator)[1]
        expected = {(r.source, r.list, r.entries) for r in s.list_status()}
    url = f"sqlite:///{store_home / 'store.sqlite'}"
    with live_server(env_home, "--store", url, "--workers", "2") as base:
        headers = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            # New connections, so that both worker processes answer some of them.
            answers = [http.get("/lists", headers={"Connection": "close"}) for _ in range(8)]
            screened = http.post("/screen", json={"party": {"name": "Hikvision"}})
    assert all(a.status_code == 200 for a in answers), answers[0].text
    for answer in answers:
        assert {(r["source"], r["list"], r["entries"]) for r in answer.json()} == expected
    assert screened.status_code == 200 and screened.json()["results"][0]["matches"]
    # The home of the environment was never used as the store.
    assert not (env_home / "store.sqlite").exists()
