"""The web UI's pages in process: login, search, alerts, decide, entity, changes, about."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from entityscreen.api import create_app
from entityscreen.service import Screener


@pytest.fixture(scope="module")
def setup(
    tmp_path_factory: pytest.TempPathFactory, fixtures: Path
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    home = tmp_path_factory.mktemp("web") / "home"
    with Screener.open(home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        parties = home.parent / "parties.csv"
        parties.write_text("id,name\nC1,Oriental Engineers\n", encoding="utf-8")
        s.import_parties(parties)
        s.monitor()
        s.import_ownership(fixtures / "ownership" / "edges.csv")
        keys = {
            "analyst": s.create_key("ann", "analyst", actor=s.operator)[1],
            "screener": s.create_key("sam", "screener", actor=s.operator)[1],
        }
    with TestClient(create_app(home)) as client:
        yield client, keys


def login(client: TestClient, key: str) -> None:
    response = client.post("/ui/login", data={"key": key}, follow_redirects=False)
    assert response.status_code == 303


def test_pages_need_a_key(setup: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = setup
    client.cookies.clear()
    response = client.get("/ui/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/ui/login"
    bad = client.post("/ui/login", data={"key": "es_nope"})
    assert bad.status_code == 401 and "unknown or revoked key" in bad.text


def test_search_alerts_and_decide(setup: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = setup
    login(client, keys["analyst"])
    page = client.get("/ui/", params={"name": "Hikvision", "as_of": "2019-10-08"}).text
    assert "Found, but not listed on 2019-10-08" in page and "not yet listed" in page
    page = client.get("/ui/", params={"name": "Hikvision"}).text
    assert "Entity List since 2019-10-09 (84 FR 54002)" in page
    assert "as-of date must be" in client.get("/ui/", params={"name": "x", "as_of": "bad"}).text
    alerts = client.get("/ui/alerts").text
    assert "Oriental Engineers" in alerts and "new match" in alerts
    with Screener.open(client.app.state.screener.settings.home) as s:  # type: ignore[attr-defined]
        [alert] = s.alerts(status="open")
    csrf = re.search(r'name="csrf" value="(\w+)"', alerts)
    assert csrf is not None  # the decide form carries the session's CSRF token
    done = client.post(
        f"/ui/alerts/{alert.id}/decide",
        data={"verdict": "true-match", "reason": "same company", "csrf": csrf.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "No alerts." in client.get("/ui/alerts").text


def test_a_ui_decision_is_the_signed_in_keys_and_shown(
    setup: tuple[TestClient, dict[str, str]],
) -> None:
    """Issue #13 item 3: a decision made in the UI records the signed-in key, and the
    alert view shows who decided."""
    client, keys = setup
    login(client, keys["analyst"])
    home = client.app.state.screener.settings.home  # type: ignore[attr-defined]
    with Screener.open(home) as s:
        still_open = s.alerts(status="open")  # none when the test above decided it
    for alert in still_open:
        form = {"verdict": "true-match", "reason": "same company"}
        client.post(f"/ui/alerts/{alert.id}/decide", data=form, follow_redirects=False)
    with Screener.open(home) as s:
        [alert] = s.alerts(status="true-match")
        [decision] = s.decisions(alert.id)
        ann = next(k for k in s.keys() if k.name == "ann")  # noqa: SIM118
    assert decision.actor is not None and decision.actor.to_dict() == {
        "kind": "key",
        "id": ann.id,
        "name": "ann",
        "role": "analyst",
    }
    page = client.get("/ui/alerts", params={"status": "true-match"}).text
    assert f"true-match by key {ann.id} (ann, analyst)" in page


def test_screener_key_cannot_decide(setup: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = setup
    login(client, keys["screener"])
    assert "needs an analyst key" in client.get("/ui/alerts").text
    login(client, keys["analyst"])


def test_entity_changes_and_about(setup: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = setup
    login(client, keys["analyst"])
    entity = client.get("/ui/entities/us_csl:EL:28e6392023655ca2").text
    assert "84 FR 54002" in entity and "History" in entity
    sdn = client.get("/ui/entities/us_csl:SDN:52291").text
    assert "<svg" in sdn and "Acme Trading Ltd" in sdn and "35%" in sdn  # ownership graph
    changes = client.get("/ui/changes").text
    assert "us_csl" in changes and "added" in changes
    about = client.get("/ui/about").text
    assert "About the matcher" in about


def test_one_authentication_for_the_api_and_the_ui(
    setup: tuple[TestClient, dict[str, str]],
) -> None:
    client, keys = setup
    client.cookies.clear()
    # No key: the API answers 401 in JSON, the UI sends to its sign-in page.
    api = client.get("/lists")
    assert api.status_code == 401 and api.headers["www-authenticate"] == "Bearer"
    assert api.json() == {"detail": "a valid API key is required"}
    ui = client.get("/ui/lists", follow_redirects=False)
    assert ui.status_code == 303 and ui.headers["location"] == "/ui/login"
    # A screener key (the UI's cookie, which the API accepts too): 403 from both.
    login(client, keys["screener"])
    assert client.get("/alerts").json() == {"detail": "this needs an analyst key"}
    page = client.get("/ui/alerts")
    assert page.status_code == 403 and "needs an analyst key" in page.text
    assert "sam" in page.text  # still shown as signed in
    with Screener.open(client.app.state.screener.settings.home) as s:  # type: ignore[attr-defined]
        before = [(a.id, a.status) for a in s.alerts()]
    denied = client.post(
        f"/ui/alerts/{before[0][0]}/decide", data={"verdict": "true-match", "reason": "x"}
    )
    assert denied.status_code == 403
    with Screener.open(client.app.state.screener.settings.home) as s:  # type: ignore[attr-defined]
        assert [(a.id, a.status) for a in s.alerts()] == before
    assert client.get("/ui/lists").status_code == 200
    login(client, keys["analyst"])


def test_search_form_is_as_strict_as_the_cli_and_the_api(
    setup: tuple[TestClient, dict[str, str]],
) -> None:
    client, keys = setup
    login(client, keys["screener"])
    page = client.get("/ui/", params={"name": "Hikvision", "schema": "planet"}).text
    assert "unknown schema &#39;planet&#39;; use company, organization, person" in page
    assert "Entity List since" not in page  # nothing was screened
    page = client.get("/ui/", params={"name": "Hikvision", "schema": "company"}).text
    assert "Entity List since 2019-10-09 (84 FR 54002)" in page
    page = client.get("/ui/", params={"name": "Hikvision", "birth_date": "yesterday"}).text
    assert "birth date &#39;yesterday&#39;: use YYYY, YYYY-MM or YYYY-MM-DD" in page
    login(client, keys["analyst"])
