"""Hits grouped by listed party, with totals (issue #14, item 1): one company on the
Entity List and the NS-CMIC list is one heading with two listings, in the web UI and in
the CLI table; a result cut by its limit says how many were found and how to see them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from entityscreen.api import create_app
from entityscreen.cli import app
from entityscreen.model import Party
from entityscreen.service import Screener
from entityscreen.service.hit_groups import group_hits

HIKVISION = "Hangzhou Hikvision Digital Technology Co., Ltd."


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    home = tmp_path_factory.mktemp("groups") / "home"
    with Screener.open(home) as s:
        for path in (
            fixtures / "nsfreg" / "bis_entity_list.json",
            fixtures / "nsfreg" / "ofac_nscmic.json",
            fixtures / "csl" / "consolidated.csv",
        ):
            assert s.import_path(path).ok
    return home


@pytest.fixture(scope="module")
def client(home: Path) -> Iterator[TestClient]:
    with Screener.open(home) as s:
        key = s.create_key("sam", "screener", actor=s.operator)[1]
    with TestClient(create_app(home)) as client:
        assert client.post("/ui/login", data={"key": key}, follow_redirects=False).is_redirect
        yield client


def test_one_company_on_two_lists_is_one_group(home: Path) -> None:
    with Screener.open(home) as s:
        result = s.screen(Party(name="Hikvision"))
    # The Entity List's copies in the CSL and the eCFR are already one hit (merged); the
    # EL and the CMIC listings are two hits of one party.
    assert sorted(h.match.list for h in result.hits) == ["CMIC", "EL"]
    [group] = group_hits(result.hits)
    assert group.name == HIKVISION and sorted(group.lists) == ["CMIC", "EL"]
    assert [h.match.entry_id for h in group.hits] == [h.match.entry_id for h in result.hits]


def test_names_that_differ_beyond_legal_forms_stay_apart(home: Path) -> None:
    with Screener.open(home) as s:
        hits = s.screen(Party(name="Hikvision")).hits + s.screen(Party(name="Dart Aviation")).hits
    groups = group_hits(hits)
    assert [g.name for g in groups] == [HIKVISION, "Dart Aviation"]
    assert sum(len(g.hits) for g in groups) == len(hits)


def test_the_search_page_groups_hits_under_the_party(client: TestClient) -> None:
    page = client.get("/ui/", params={"name": "Hikvision"}).text
    summary = re.search(r'<h2 id="summary">(.*?)</h2>', page)
    assert summary and summary.group(1).startswith("2 match(es) for")
    assert "1 listed party" in summary.group(1)
    [body] = re.findall(r'<tbody class="hit-group">(.*?)</tbody>', page, re.S)
    assert f"{HIKVISION} <span" in body and "2 listing(s): " in body
    assert body.count('<td class="score">') == 2
    assert 'id="not-shown"' not in page  # nothing was cut


def test_a_cut_result_says_how_many_were_found(client: TestClient) -> None:
    page = client.get("/ui/", params={"name": "Hikvision", "limit": "1"}).text
    assert re.search(r'<h2 id="summary">1 of 2 match\(es\) for', page)
    more = re.search(
        r'<p id="not-shown"[^>]*>1 more match\(es\) not shown: <a href="([^"]+)"', page
    )
    assert more is not None
    bigger = client.get(more.group(1).replace("&amp;", "&")).text
    assert re.search(r'<h2 id="summary">2 match\(es\) for', bigger)
    bad = client.get("/ui/", params={"name": "Hikvision", "limit": "1000"})
    assert bad.status_code == 200
    assert "matches shown must be a whole number from 1 to 100, got &#39;1000&#39;" in bad.text


def test_the_cli_table_groups_and_counts(home: Path) -> None:
    runner = CliRunner()
    env = {"ENTITYSCREEN_HOME": str(home)}
    out = runner.invoke(app, ["screen", "Hikvision", "--limit", "1"], env=env)
    assert out.exit_code == 0, out.output
    assert "1 of 2 match(es) for 'Hikvision': 1 listed party" in out.output
    assert "1 of 2 matches shown; 1 not shown (raise --limit to see them)." in out.output
    full = runner.invoke(app, ["screen", "Hikvision"], env=env)
    assert "2 match(es) for 'Hikvision': 1 listed party" in full.output
    assert "not shown" not in full.output
