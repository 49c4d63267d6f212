"""Issue #13, item 7, on a real server: the session cookie is Secure when a trusted proxy
says the request came over HTTPS (and only then), and sessions, CSRF and batch job
ownership behave the same with the store on PostgreSQL."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from entityscreen.api import create_app
from entityscreen.service import Screener
from entityscreen.settings import Settings

from ._server import live_server

DSN = os.environ.get("ENTITYSCREEN_TEST_PG")


def test_secure_cookie_behind_a_proxy_on_the_same_host(
    tmp_path_factory: pytest.TempPathFactory, fixtures: Path
) -> None:
    home = tmp_path_factory.mktemp("proxy") / "home"
    with Screener.open(home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        key = s.create_key("ann", "screener", actor=s.operator)[1]
    with live_server(home) as base, httpx.Client(base_url=base, timeout=30) as http:
        # 127.0.0.1 is a trusted proxy by default (uvicorn's FORWARDED_ALLOW_IPS).
        proxied = http.post("/ui/login", data={"key": key}, headers={"X-Forwarded-Proto": "https"})
        plain = http.post("/ui/login", data={"key": key})
    assert proxied.status_code == plain.status_code == 303
    assert "Secure" in proxied.headers["set-cookie"]
    assert "Secure" not in plain.headers["set-cookie"]
    with live_server(home, env={"FORWARDED_ALLOW_IPS": "10.9.9.9"}, log_name="s2.log") as base:
        untrusted = httpx.post(
            f"{base}/ui/login", data={"key": key}, headers={"X-Forwarded-Proto": "https"}
        )
    assert untrusted.status_code == 303 and "Secure" not in untrusted.headers["set-cookie"]


@pytest.fixture
def pg_client(tmp_path: Path, fixtures: Path) -> Iterator[tuple[TestClient, Settings]]:
    if not DSN:
        pytest.skip("set ENTITYSCREEN_TEST_PG")
    import psycopg

    with psycopg.connect(DSN, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    settings = Settings(home=tmp_path / "home", store_url=DSN)
    with Screener.open(settings=settings) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        parties = tmp_path / "parties.csv"
        parties.write_text("id,name\nC1,Oriental Engineers\n", encoding="utf-8")
        s.import_parties(parties)
        s.monitor()
        s.matcher()
    with TestClient(create_app(settings)) as client:
        yield client, settings


def test_sessions_csrf_and_job_owners_on_postgresql(
    pg_client: tuple[TestClient, Settings],
) -> None:
    client, settings = pg_client
    with Screener.open(settings=settings) as s:
        analyst, analyst_key = s.create_key("ann", "analyst", actor=s.operator)
        owner = s.create_key("sam", "screener", actor=s.operator)[1]
        other = s.create_key("sue", "screener", actor=s.operator)[1]
        [alert] = s.alerts(status="open")
    login = client.post("/ui/login", data={"key": analyst_key}, follow_redirects=False)
    token = login.cookies["es_session"]
    page = client.get("/ui/alerts").text
    found = re.search(r'name="csrf" value="(\w+)"', page)
    assert found is not None
    form = {"verdict": "escalate", "reason": "check the address"}
    forged = client.post(f"/ui/alerts/{alert.id}/decide", data=form)
    assert forged.status_code == 403
    done = client.post(
        f"/ui/alerts/{alert.id}/decide",
        data={**form, "csrf": found.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    with Screener.open(settings=settings) as s:
        assert [d.reason for d in s.decisions(alert.id)] == ["check the address"]
        s.revoke_key(analyst.id, actor=s.operator)
    assert client.get("/lists").status_code == 401  # the revoked key's session
    client.cookies.clear()
    client.cookies.set("es_session", token)
    assert client.get("/lists").status_code == 401

    client.cookies.clear()
    job = client.post(
        "/batch",
        content=b"id,name\n1,Hikvision\n",
        headers={"X-API-Key": owner, "content-type": "text/csv"},
    ).json()
    assert client.get(f"/batch/{job['id']}", headers={"X-API-Key": owner}).status_code == 200
    denied = client.get(f"/batch/{job['id']}", headers={"X-API-Key": other})
    assert denied.status_code == 404
    # The job runs in a thread of this process: let it finish before the next PostgreSQL
    # test wipes the database under it (it failed there once, in CI).
    for _ in range(300):
        status = client.get(f"/batch/{job['id']}", headers={"X-API-Key": owner}).json()
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert status["status"] == "done", status
