"""yente's ``/search`` sorted by and filtered on the seen dates, over two dated snapshots
of one source (issue #14's leftover: ``sort`` and ``changed_since`` were not read)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from entityscreen.api import create_app
from entityscreen.service import Screener

from ..e2e import yente_client as yc

#: 7001 changes in the second snapshot, 7005 is new in it; 306, 7002-7004 stay as they were.
NEW_ROWS = (
    '7001,"TESTOV, Ivan Petrovich","individual","IRAN] [SDGT] [IRGC","General",-0- ,-0- ,'
    '-0- ,-0- ,-0- ,-0- ,"DOB 12 Jan 1960; nationality Iran"\n'
    '7005,"NEWCO TRADING LLC",-0- ,"IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("yente_history")
    # OFAC's files end with an end-of-file character (\x1a): rows are added before it.
    old = (fixtures / "ofac" / "sdn.csv").read_text("utf-8").rstrip("\x1a\r\n") + "\n"
    first, second = root / "first" / "sdn.csv", root / "second" / "sdn.csv"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text(old, "utf-8")
    kept = [line for line in old.splitlines(keepends=True) if not line.startswith("7001,")]
    second.write_text("".join(kept) + NEW_ROWS, "utf-8")
    with Screener.open(root / "home") as s:
        assert s.import_path(first, published=date(2024, 1, 10)).ok
        assert s.import_path(second, published=date(2025, 6, 1)).ok
        key = s.create_key("yente", "screener", actor=s.operator)[1]
    with TestClient(create_app(root / "home")) as client:
        client.headers["Authorization"] = f"Bearer {key}"
        yield client


def search(api: TestClient, params: str) -> list[yc.EntityResponse]:
    response = api.get("/search/default?limit=50&" + params)
    assert response.status_code == 200, response.text
    return yc.SearchResponse.model_validate(response.json()).results


def ids(results: list[Any]) -> list[str]:
    return [r.id.removeprefix("us_ofac_sdn:") for r in results]


def test_changed_since_keeps_what_changed_or_came_after(api: TestClient) -> None:
    assert sorted(ids(search(api, "changed_since=2025-01-01"))) == ["7001", "7005"]
    assert len(search(api, "changed_since=2024-01-01")) == 6
    assert search(api, "changed_since=2025-06-02") == []
    # With a query: the matcher's hit, then the date filter.
    assert ids(search(api, "q=Ivan Testov&changed_since=2025-01-01")) == ["7001"]
    assert search(api, "q=Banco Nacional de Cuba&changed_since=2025-01-01") == []


def test_sort_by_the_seen_dates(api: TestClient) -> None:
    newest = search(api, "sort=last_change:desc")
    assert sorted(ids(newest[:2])) == ["7001", "7005"]
    assert {r.last_change for r in newest[:2]} == {"2025-06-01T00:00:00"}
    assert {r.last_change for r in newest[2:]} == {"2024-01-10T00:00:00"}
    first_seen = search(api, "sort=first_seen:desc&sort=caption")
    assert ids(first_seen)[0] == "7005"  # the only one first seen in 2025
    rest = [r.caption.casefold() for r in first_seen[1:]]
    assert rest == sorted(rest)  # ties broken by the second sort
    # Every entry is still held by the newest snapshot.
    assert {r.last_seen for r in search(api, "sort=last_seen")} == {"2025-06-01T00:00:00"}
