"""The HTTP API in process (FastAPI's TestClient): auth and roles, /screen, the
yente-compatible /match, entities, lists, batch jobs, alerts, audit, bad requests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from entityscreen.api import create_app
from entityscreen.service import Screener


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    home = tmp_path_factory.mktemp("api") / "home"
    with Screener.open(home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        s.matcher()
    return home


@pytest.fixture(scope="module")
def keys(home: Path) -> dict[str, str]:
    with Screener.open(home) as s:
        return {
            "screener": s.create_key("bob", "screener", actor=s.operator)[1],
            "analyst": s.create_key("alice", "analyst", actor=s.operator)[1],
        }


@pytest.fixture(scope="module")
def client(home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(home)) as c:
        yield c


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_health_needs_no_key(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert client.get("/openapi.json").status_code == 200


def test_keys_and_roles(client: TestClient, keys: dict[str, str], home: Path) -> None:
    body = {"party": {"name": "Hikvision"}}
    assert client.post("/screen", json=body).status_code == 401
    assert client.post("/screen", json=body, headers=auth("es_wrong")).status_code == 401
    assert client.post("/screen", json=body, headers=auth(keys["screener"])).status_code == 200
    assert client.get("/alerts", headers=auth(keys["screener"])).status_code == 403
    assert client.get("/alerts", headers={"X-API-Key": keys["analyst"]}).status_code == 200
    with Screener.open(home) as s:
        record, key = s.create_key("temp", "screener", actor=s.operator)
        stored = [str(k) for k in s.keys()]  # noqa: SIM118 (Screener.keys lists API keys)
        assert all(key not in text for text in stored)  # only the hash is stored
        s.revoke_key(record.id, actor=s.operator)
    assert client.post("/screen", json=body, headers=auth(key)).status_code == 401


def test_screen_returns_the_cli_json(client: TestClient, keys: dict[str, str]) -> None:
    response = client.post(
        "/screen",
        json={"party": {"name": "Hikvision", "country": "CN"}, "as_of": "2019-10-09"},
        headers=auth(keys["screener"]),
    )
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    [hit] = [m for m in result["matches"] if m["list"] == "EL"]
    assert hit["verdict"].startswith("Entity List since 2019-10-09 (84 FR 54002)")
    assert hit["listed_on_date"]["listed"] is True
    assert {f["code"] for f in result["flags"]} == {"NDAA889", "COUNTRY_GROUP"}  # CN: D:5
    many = client.post(
        "/screen",
        json={"parties": [{"name": "Hikvision"}, {"name": "Nobody Special Ltd"}]},
        headers=auth(keys["screener"]),
    ).json()["results"]
    assert [len(r["matches"]) > 0 for r in many] == [True, False]


def test_match_is_shaped_like_yente(client: TestClient, keys: dict[str, str]) -> None:
    query = {
        "queries": {
            "a": {
                "schema": "Company",
                "properties": {
                    "name": ["Hangzhou Hikvision Digital Technology"],
                    "country": ["cn"],
                },
            },
            "b": {"schema": "Person", "properties": {"name": ["Nobody At All"]}},
        }
    }
    response = client.post("/match/default?limit=3", json=query, headers=auth(keys["screener"]))
    assert response.status_code == 200, response.text
    data = response.json()
    assert set(data["responses"]) == {"a", "b"} and data["limit"] == 3
    top = data["responses"]["a"]["results"][0]
    assert top["caption"].startswith("Hangzhou Hikvision") and top["match"] is True
    assert 0 < top["score"] <= 1 and top["datasets"] == ["us_trade_csl"]
    assert top["explanations"]["legal"]["detail"].startswith("Entity List since")
    assert data["responses"]["b"]["results"] == []
    assert data["responses"]["a"]["total"]["value"] >= 1
    only_sdn = client.post("/match/SDN", json=query, headers=auth(keys["screener"])).json()
    assert only_sdn["responses"]["a"]["results"] == []
    assert client.post("/match/nope", json=query, headers=auth(keys["screener"])).status_code == 404


def test_entities_lists_and_diff(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["screener"])
    entity = client.get("/entities/us_csl:EL:28e6392023655ca2", headers=h).json()
    assert entity["legal"]["first_listed"] == "2019-10-09"
    assert entity["history"][0]["present"] is True
    assert client.get("/entities/us_csl:EL:nope", headers=h).status_code == 404
    lists = client.get("/lists", headers=h).json()
    assert {"source": "us_csl", "list": "EL"}.items() <= lists[0].items() or any(
        r["list"] == "EL" for r in lists
    )
    diff = client.get("/lists/us_csl/diff", headers=h).json()
    assert diff["from"] is None and len(diff["added"]) == sum(r["entries"] for r in lists)


def test_batch_job(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["screener"])
    csv_body = "id,name\n1,Hikvision\n2,Nobody Special Ltd\n3,\n"
    job = client.post("/batch", content=csv_body, headers={**h, "content-type": "text/csv"})
    assert job.status_code == 202, job.text
    job_id = job.json()["id"]
    for _ in range(100):
        status = client.get(f"/batch/{job_id}", headers=h).json()
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert status["status"] == "done" and status["rows"] == 3, status
    out = client.get(status["download"], headers=h)
    assert out.status_code == 200
    lines = out.text.splitlines()
    assert lines[0].startswith("row_id,input_name,score,entry_id,listed_name")
    assert {line.split(",")[0] for line in lines[1:]} == {"1", "2", "3"}


def test_alerts_decision_and_audit(client: TestClient, keys: dict[str, str], home: Path) -> None:
    with Screener.open(home) as s:
        parties = home.parent / "parties.csv"
        parties.write_text("id,name\nC1,Oriental Engineers\n", encoding="utf-8")
        s.import_parties(parties)
        s.monitor()
    h = auth(keys["analyst"])
    [alert] = client.get("/alerts?status=open", headers=h).json()
    decided = client.post(
        f"/alerts/{alert['id']}/decision",
        json={"verdict": "true-match", "reason": "same company and address"},
        headers=h,
    )
    assert decided.status_code == 200 and decided.json()["decided_by"] == "alice"
    bad = client.post(
        f"/alerts/{alert['id']}/decision", json={"verdict": "maybe", "reason": "x"}, headers=h
    )
    assert bad.status_code == 400 and "unknown verdict" in bad.json()["detail"]
    audit = client.get("/audit/export", headers=h)
    assert audit.status_code == 200 and audit.headers["x-audit-chain"].startswith("verified")
    kinds = {json.loads(line)["kind"] for line in audit.text.splitlines()}
    assert {"decision", "import", "screening", "alert", "monitor"} <= kinds


def test_a_decision_records_the_key_not_the_name_given(
    client: TestClient, keys: dict[str, str], home: Path
) -> None:
    """Issue #13 item 3: "by" no longer decides whose decision it is; the key does."""
    with Screener.open(home) as s:
        parties = home.parent / "parties-2.csv"
        parties.write_text("id,name\nC2,Hangzhou Hikvision Digital Technology\n", "utf-8")
        s.import_parties(parties)
        s.monitor()
    h = auth(keys["analyst"])
    # The name match (Hikvision is also a Section 889 flag alert, issue #12).
    [alert] = [
        a
        for a in client.get("/alerts?status=open", headers=h).json()
        if a["party_id"] == "C2" and not a["entry_id"].startswith("flag:")
    ]
    decided = client.post(
        f"/alerts/{alert['id']}/decision",
        json={
            "verdict": "false-positive",
            "reason": "other firm",
            "by": "Chief Compliance Officer",
        },
        headers=h,
    )
    assert decided.status_code == 200, decided.text
    body = decided.json()
    with Screener.open(home) as s:
        alice = next(k for k in s.keys() if k.name == "alice")  # noqa: SIM118
        [stored] = s.decisions(alert["id"])
    actor = {"kind": "key", "id": alice.id, "name": "alice", "role": "analyst"}
    assert body["actor"] == actor and body["decided_by"] == "Chief Compliance Officer"
    assert stored.actor is not None and stored.actor.to_dict() == actor
    records = [
        json.loads(line) for line in client.get("/audit/export", headers=h).text.splitlines()
    ]
    [record] = [r for r in records if r["kind"] == "decision" and r["data"]["alert"] == alert["id"]]
    assert record["data"]["actor"] == actor and record["data"]["by"] == "Chief Compliance Officer"


def test_signed_head_over_the_api(client: TestClient, keys: dict[str, str], home: Path) -> None:
    assert client.get("/audit/head", headers=auth(keys["screener"])).status_code == 403
    response = client.get("/audit/head", headers=auth(keys["analyst"]))
    assert response.status_code == 200
    head = response.json()
    with Screener.open(home) as s:
        assert head["records"] == s.verify_audit().records
        assert s.verify_audit(head=head).ok


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({}, 400),
        ({"party": {"name": ""}}, 422),
        ({"party": {"name": "x" * 5000}}, 422),
        ({"party": {"name": "A", "bogus": 1}}, 422),
        ({"parties": [{"name": "A"}] * 1001}, 422),
        ({"party": {"name": "A"}, "threshold": 3}, 422),
        ({"party": {"name": "A", "schema": "planet"}}, 400),
        ({"party": {"name": "\u200b\u200b"}}, 400),
    ],
)
def test_bad_requests_get_4xx(
    client: TestClient, keys: dict[str, str], payload: dict[str, object], status: int
) -> None:
    response = client.post("/screen", json=payload, headers=auth(keys["screener"]))
    assert response.status_code == status, response.text
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        ("/screen", '{"party": {"name": "Acme"}, "threshold": NaN}', "finite"),
        ("/screen", '{"party": {"name": "Acme"}, "threshold": -Infinity}', "finite"),
        ("/screen", '{"party": {"name": "Acme"}, "threshold": 1e999}', "finite"),
        ("/screen", '{"party": {"name": "Ac\\ud800me"}}', "lone surrogate"),
        ("/screen", '{"party": {"name": "Acme", "aliases": ["\\udfff"]}}', "lone surrogate"),
        ("/screen", '{"party": {"name": "Ac\\u0000me"}}', "NUL"),
        (
            "/match/default",
            '{"queries": {"q": {"schema": "Person", "properties": {"name": ["A\\ud800"]}}}}',
            "lone surrogate",
        ),
        ("/alerts/1/decision", '{"verdict": "cleared", "reason": "ok \\ud83d"}', "surrogate"),
        ("/alerts/1/decision", '{"verdict": "cleared", "reason": "ok\\u0000"}', "NUL"),
    ],
)
def test_bodies_nothing_can_hold_get_a_422_that_says_why(
    client: TestClient, keys: dict[str, str], path: str, body: str, reason: str
) -> None:
    # Issue #13: these were 500s (a NaN threshold's 422 failed to serialise; a lone
    # surrogate failed in the audit hash; PostgreSQL refuses NUL).
    h = {**auth(keys["analyst"]), "content-type": "application/json"}
    response = client.post(path, content=body.encode(), headers=h)
    assert response.status_code == 422, response.text
    assert reason in response.json()["detail"]


def test_malformed_and_oversized_bodies(client: TestClient, keys: dict[str, str]) -> None:
    h = {**auth(keys["screener"]), "content-type": "application/json"}
    assert client.post("/screen", content=b"{not json", headers=h).status_code == 422
    huge = b'{"party": {"name": "' + b"a" * (3 * 1024 * 1024) + b'"}}'
    response = client.post("/screen", content=huge, headers=h)
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
