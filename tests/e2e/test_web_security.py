"""Issue #13, item 7: the web UI's server-side sessions (the cookie holds a token, never
the key), CSRF tokens and the Origin check on its forms, the security headers of every
answer, and batch jobs that only their own key (and analysts) can see."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from entityscreen.api import create_app
from entityscreen.api.headers import CSP, DOCS_CSP
from entityscreen.service import Screener
from entityscreen.store.sessions import hash_token

ORIGIN = "http://testserver"  # TestClient's own origin


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    home = tmp_path_factory.mktemp("websec") / "home"
    with Screener.open(home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        parties = home.parent / "parties.csv"
        parties.write_text("id,name\nC1,Oriental Engineers\nC2,Dart Aviation\n", encoding="utf-8")
        s.import_parties(parties)
        s.monitor()
        s.matcher()
    return home


@pytest.fixture(scope="module")
def app_client(home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(home)) as client:
        yield client


def new_key(home: Path, role: str) -> tuple[int, str]:
    with Screener.open(home) as s:
        name = f"{role}-{datetime.now(UTC).timestamp()}"
        record, key = s.create_key(name, role, actor=s.operator)
    return record.id, key


def sign_in(client: TestClient, key: str) -> str:
    """Signs in through the form; returns the session cookie's value."""
    client.cookies.clear()
    response = client.post("/ui/login", data={"key": key}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.cookies["es_session"]


def csrf_of(client: TestClient, page: str = "/ui/alerts") -> str:
    found = re.search(r'name="csrf" value="(\w+)"', client.get(page).text)
    assert found is not None
    return found.group(1)


def open_alert(home: Path) -> int:
    with Screener.open(home) as s:
        return s.alerts(status="open")[0].id


def is_open(home: Path, alert_id: int) -> bool:
    with Screener.open(home) as s:
        return alert_id in {a.id for a in s.alerts(status="open")}


def test_the_cookie_holds_a_session_token_not_the_key(app_client: TestClient, home: Path) -> None:
    _, key = new_key(home, "analyst")
    client = app_client
    client.cookies.clear()
    response = client.post("/ui/login", data={"key": key}, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert key not in cookie and "es_key" not in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=43200" in cookie
    assert "Secure" not in cookie  # plain http
    token = response.cookies["es_session"]
    with sqlite3.connect(home / "store.sqlite") as db:
        stored = db.execute("SELECT token_hash FROM sessions").fetchall()
    assert (hash_token(token),) in stored and (token,) not in stored
    assert client.get("/ui/lists").status_code == 200
    # The key itself in the old cookie is no way in.
    client.cookies.clear()
    client.cookies.set("es_key", key)
    assert client.get("/lists").status_code == 401


def test_the_cookie_is_secure_over_https(home: Path) -> None:
    _, key = new_key(home, "screener")
    with TestClient(create_app(home), base_url="https://testserver") as client:
        response = client.post("/ui/login", data={"key": key}, follow_redirects=False)
    assert response.status_code == 303 and "Secure" in response.headers["set-cookie"]


def test_logout_and_revocation_end_the_session_at_once(app_client: TestClient, home: Path) -> None:
    client = app_client
    key_id, key = new_key(home, "analyst")
    token = sign_in(client, key)
    out = client.post("/ui/logout", data={"csrf": csrf_of(client)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/ui/login"
    client.cookies.clear()
    client.cookies.set("es_session", token)  # the old token, replayed
    assert client.get("/lists").status_code == 401
    assert client.get("/ui/lists", follow_redirects=False).headers["location"] == "/ui/login"

    token = sign_in(client, key)
    assert client.get("/ui/lists").status_code == 200
    with Screener.open(home) as s:
        s.revoke_key(key_id, actor=s.operator)
    assert client.get("/lists").status_code == 401
    assert client.get("/ui/lists", follow_redirects=False).status_code == 303


def test_a_session_expires(home: Path) -> None:
    start = datetime(2030, 1, 1, 12, tzinfo=UTC)
    now = [start]
    with Screener.open(home, clock=lambda: now[0]) as s:
        record, _ = s.create_key("expiring", "screener", actor=s.operator)
        token = s.open_session(record)
        now[0] = start + timedelta(hours=11, minutes=59)
        assert s.session_key(token) == record
        now[0] = start + timedelta(hours=12)
        assert s.session_key(token) is None


def test_decide_needs_the_csrf_token_and_the_same_origin(
    app_client: TestClient, home: Path
) -> None:
    client = app_client
    _, key = new_key(home, "analyst")
    sign_in(client, key)
    alert = open_alert(home)
    csrf = csrf_of(client)
    form = {"verdict": "false-positive", "reason": "checked"}
    for data, headers, reason in [
        (form, {}, "CSRF token"),
        ({**form, "csrf": "0" * 64}, {}, "CSRF token"),
        ({**form, "csrf": csrf}, {"origin": "https://evil.example"}, "cross-origin"),
        ({**form, "csrf": csrf}, {"referer": "https://evil.example/x"}, "cross-origin"),
        ({**form, "csrf": csrf}, {"origin": "null"}, "cross-origin"),
    ]:
        response = client.post(f"/ui/alerts/{alert}/decide", data=data, headers=headers)
        assert response.status_code == 403, (data, headers, response.text)
        assert reason in response.json()["detail"]
        assert is_open(home, alert)
    # The API with the cookie: the same Origin check on a state-changing request.
    api = client.post(
        f"/alerts/{alert}/decision",
        json={"verdict": "false-positive", "reason": "x"},
        headers={"origin": "https://evil.example"},
    )
    assert api.status_code == 403 and is_open(home, alert)
    # A token of another session is no good either.
    mine = client.cookies["es_session"]
    sign_in(client, key)
    theirs = csrf_of(client)
    client.cookies.clear()
    client.cookies.set("es_session", mine)
    wrong = client.post(f"/ui/alerts/{alert}/decide", data={**form, "csrf": theirs})
    assert wrong.status_code == 403 and is_open(home, alert)
    done = client.post(
        f"/ui/alerts/{alert}/decide",
        data={**form, "csrf": csrf},
        headers={"origin": ORIGIN, "referer": f"{ORIGIN}/ui/alerts"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and not is_open(home, alert)


def test_login_from_another_origin_is_refused(app_client: TestClient, home: Path) -> None:
    _, key = new_key(home, "screener")
    app_client.cookies.clear()
    response = app_client.post(
        "/ui/login", data={"key": key}, headers={"origin": "https://evil.example"}
    )
    assert response.status_code == 403 and "es_session" not in response.cookies


def test_a_header_key_needs_no_csrf_token(app_client: TestClient, home: Path) -> None:
    # A browser never adds the key header on its own: such a post cannot be forged.
    _, key = new_key(home, "analyst")
    app_client.cookies.clear()
    alert = open_alert(home)
    response = app_client.post(
        f"/ui/alerts/{alert}/decide",
        data={"verdict": "escalate", "reason": "by script"},
        headers={"Authorization": f"Bearer {key}"},
        follow_redirects=False,
    )
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/healthz", 200),
        ("GET", "/ui/login", 200),
        ("GET", "/ui/lists", 200),
        ("GET", "/ui/about", 200),
        ("GET", "/ui/style.css", 200),
        ("GET", "/lists", 401),
        ("GET", "/openapi.json", 200),
        ("POST", "/screen?x=%00", 422),
    ],
)
def test_every_answer_has_the_security_headers(
    app_client: TestClient, home: Path, method: str, path: str, status: int
) -> None:
    _, key = new_key(home, "screener")
    if path.startswith("/ui/") and path != "/ui/login":
        sign_in(app_client, key)
    else:
        app_client.cookies.clear()
    response = app_client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_the_pages_fit_their_policy_and_docs_get_their_own(
    app_client: TestClient, home: Path
) -> None:
    # style-src 'self' and no script-src: no inline <style>, style attribute or script.
    _, key = new_key(home, "analyst")
    sign_in(app_client, key)
    for page in (
        "/ui/",
        "/ui/?name=Hikvision",
        "/ui/alerts",
        "/ui/lists",
        "/ui/changes",
        "/ui/about",
        "/ui/entities/us_csl:EL:28e6392023655ca2",
    ):
        text = app_client.get(page).text
        assert not re.search(r"<style|<script|\sstyle=|\son\w+=", text), page
        assert '<link rel="stylesheet" href="/ui/style.css">' in text
    assert "header {" in app_client.get("/ui/style.css").text
    docs = app_client.get("/docs")
    assert docs.status_code == 200 and docs.headers["content-security-policy"] == DOCS_CSP
    # Issue #14: /docs loads Swagger UI from this server, not a CDN, and runs no inline
    # script, so its policy needs nothing but 'self'.
    assert "https://" not in docs.text and "https:" not in DOCS_CSP
    assert "'unsafe-inline'" not in DOCS_CSP and "script-src 'self'" in DOCS_CSP
    assert not re.search(r"<script>|\son\w+=|\sstyle=", docs.text)
    for src in re.findall(r'(?:src|href)="(/docs/assets/[^"]+)"', docs.text):
        asset = app_client.get(src)
        assert asset.status_code == 200 and len(asset.content) > 100, src
    assert "SwaggerUIBundle" in app_client.get("/docs/assets/start.js").text
    assert app_client.get("/docs/assets/..%2fdocs.py").status_code == 404
    assert app_client.get("/redoc").status_code == 404  # Redoc needs a CDN: off


def test_the_root_leads_to_the_ui(app_client: TestClient) -> None:
    """Issue #14: `GET /` was a JSON 404; it leads to the web UI."""
    root = app_client.get("/", follow_redirects=False)
    assert root.status_code == 307 and root.headers["location"] == "/ui/"


def test_a_batch_job_is_seen_only_by_its_key_and_analysts(
    app_client: TestClient, home: Path
) -> None:
    import time

    app_client.cookies.clear()
    _, owner = new_key(home, "screener")
    _, other = new_key(home, "screener")
    _, analyst = new_key(home, "analyst")
    job = app_client.post(
        "/batch",
        content=b"id,name\n1,Hikvision\n",
        headers={"Authorization": f"Bearer {owner}", "content-type": "text/csv"},
    ).json()
    for _ in range(100):
        status = app_client.get(f"/batch/{job['id']}", headers={"X-API-Key": owner}).json()
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert status["status"] == "done"
    download = f"/batch/{job['id']}/download"
    assert app_client.get(download, headers={"X-API-Key": owner}).status_code == 200
    for path in (f"/batch/{job['id']}", download):
        denied = app_client.get(path, headers={"X-API-Key": other})
        assert denied.status_code == 404 and "no batch job" in denied.json()["detail"]
        assert app_client.get(path, headers={"X-API-Key": analyst}).status_code == 200
