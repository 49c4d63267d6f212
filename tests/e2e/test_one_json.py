"""One JSON per kind of answer (issue #11): the CLI's ``--json``, the HTTP API and the web
UI show a snapshot diff, the loaded lists and the alert queue from the same serializer
(:mod:`entityscreen.service.serialize`), so they agree key for key.

Real components: two CSL snapshots in the published layout (tests/fixtures/csl), the
SQLite store, the Typer app and the FastAPI app in process.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from entityscreen.api import create_app
from entityscreen.cli import app as cli_app
from entityscreen.service import Screener
from entityscreen.service.serialize import diff_to_dict


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    home = tmp_path_factory.mktemp("one-json") / "home"
    with Screener.open(home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated_2022.csv").ok
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        parties = home.parent / "parties.csv"
        parties.write_text("id,name\nC1,Oriental Engineers\n", encoding="utf-8")
        s.import_parties(parties)
        s.monitor()
    return home


@pytest.fixture(scope="module")
def client(home: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with Screener.open(home) as s:
        key = s.create_key("ann", "analyst", actor=s.operator)[1]
    with TestClient(create_app(home)) as c:
        yield c, {"Authorization": f"Bearer {key}"}


def cli_json(home: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli_app, list(args), env={"ENTITYSCREEN_HOME": str(home)})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_diff_has_one_shape_in_the_cli_and_the_api(
    home: Path, client: tuple[TestClient, dict[str, str]]
) -> None:
    c, auth = client
    from_cli = cli_json(home, "lists", "diff", "us_csl", "--json")
    from_api = c.get("/lists/us_csl/diff", headers=auth).json()
    assert from_cli == from_api
    # The shape of docs/api.md: both ends dated, counts, changed entries with the names
    # of their fields and each change's old and new value.
    assert set(from_api) == {"source", "from", "to", "counts", "added", "removed", "changed"}
    assert set(from_api["from"]) == {"id", "date", "published", "fetched_at"}
    assert from_api["to"]["id"] > from_api["from"]["id"]
    counts = from_api["counts"]
    assert counts == {k: len(from_api[k]) for k in ("added", "removed", "changed")}
    assert counts["added"] + counts["removed"] + counts["changed"] > 0
    for item in from_api["changed"]:
        assert item["fields"] == [f["field"] for f in item["changes"]]
        assert all(set(f) == {"field", "old", "new"} for f in item["changes"])


def test_the_ui_shows_the_same_diff(home: Path, client: tuple[TestClient, dict[str, str]]) -> None:
    c, auth = client
    with Screener.open(home) as s:
        diff = diff_to_dict(s.diff("us_csl"))
    c.post("/ui/login", data={"key": auth["Authorization"][7:]}, follow_redirects=False)
    page = c.get("/ui/changes").text
    to, old = diff["to"], diff["from"]
    assert f"us_csl: snapshot {to['id']} ({to['date']}) against {old['id']} ({old['date']})" in page
    counts = diff["counts"]
    assert f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed" in (
        page
    )


def test_lists_and_alerts_have_one_shape(
    home: Path, client: tuple[TestClient, dict[str, str]]
) -> None:
    c, auth = client
    lists = c.get("/lists", headers=auth).json()
    assert cli_json(home, "lists", "--json") == lists
    assert {r["source"] for r in lists} == {"us_csl"} and all("stale" in r for r in lists)
    alerts = c.get("/alerts", headers=auth).json()
    assert cli_json(home, "alerts", "--json") == alerts
    assert alerts and alerts[0]["party_id"] == "C1" and alerts[0]["status"] == "open"
    # The UI's lists page is rendered from the same rows.
    c.post("/ui/login", data={"key": auth["Authorization"][7:]}, follow_redirects=False)
    page = c.get("/ui/lists").text
    for row in lists:
        assert f"<td>{row['snapshot']}</td><td>{row['date']}</td>" in page
        assert row["sha256"][:16] in page
