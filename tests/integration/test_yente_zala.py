"""yente's own test dataset (``zala``, in ../shared/data/opensanctions_ftm_samples) served by
our yente-compatible API (issue #14, item 3): the checks of yente's tests/test_search.py
on it, every answer parsed by the strict yente client model.

yente serves the file as the dataset ``zala``; here it is one import of an OpenSanctions
file, so the path is ``default`` and the datasets are those its entities carry
(docs/api.md, "yente compatibility").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from entityscreen.api import create_app
from entityscreen.service import Screener

from ..e2e import yente_client as yc

ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"


@pytest.fixture(scope="module")
def api(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    home = tmp_path_factory.mktemp("zala") / "home"
    with Screener.open(home) as s:
        assert s.import_path(shared_data / "opensanctions_ftm_samples/zala/entities.ftm.json").ok
        key = s.create_key("yente", "screener", actor=s.operator)[1]
    with TestClient(create_app(home)) as client:
        yield client, {"Authorization": f"Bearer {key}"}


def get(api: tuple[TestClient, dict[str, str]], url: str) -> Any:
    client, headers = api
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def search(api: tuple[TestClient, dict[str, str]], url: str) -> yc.SearchResponse:
    return yc.SearchResponse.model_validate(get(api, url))


def test_search_zakharov(api: tuple[TestClient, dict[str, str]]) -> None:
    [top] = search(api, "/search/default?q=alexander zakharov").results
    assert top.id == ZAKHAROV and top.first_seen is not None and top.last_seen is not None
    assert "sanctions" not in top.datasets and "default" not in top.datasets
    assert {"eu_fsf", "us_ofac_sdn", "us_trade_csl"} <= set(top.datasets)
    assert "ofac-45937" in top.referents


def test_search_filters_on_real_data(api: tuple[TestClient, dict[str, str]]) -> None:
    q = "/search/default?q=alexander zakharov"
    assert search(api, q + "&countries=ru").results
    assert search(api, q + "&countries=ke").results == []
    assert search(api, q + "&schema=Person").results
    assert search(api, q + "&schema=Vessel").results == []
    assert search(api, q + "&exclude_dataset=eu_fsf").total.value == 0
    assert search(api, q + "&include_dataset=mx_senators").total.value == 0
    assert search(api, q + "&include_dataset=eu_fsf").total.value == 1


def test_search_facets_on_real_data(api: tuple[TestClient, dict[str, str]]) -> None:
    data = search(api, "/search/default")
    assert data.total.value > 9
    topics = [v.name for v in data.facets["topics"].values]
    assert "sanction" in topics
    assert search(api, "/search/default?topics=sanction").total.value > 0


def test_entity_and_match_on_real_data(api: tuple[TestClient, dict[str, str]]) -> None:
    entity = yc.parse_entity(get(api, f"/entities/{ZAKHAROV}"))
    assert entity.properties["birthDate"] == ["1965-09-21"]
    assert entity.properties["taxNumber"] == ["183111242406"]
    client, headers = api
    query = {"schema": "Person", "properties": {"name": "Alexander Zakharov",
                                                "nationality": "Russia"}}
    response = client.post("/match/default", json={"queries": {"z": query}}, headers=headers)
    answer = yc.EntityMatchResponse.model_validate(response.json())
    top = answer.responses["z"].results[0]
    assert top.id == ZAKHAROV and top.match is True
    assert answer.responses["z"].query.properties["nationality"] == ["ru"]


def test_match_total_counts_past_the_limit(api: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = api
    query = {"queries": {"z": {"schema": "Person", "properties": {"name": ["Zakharova"]}}}}
    response = client.post("/match/default?limit=1&threshold=0.3", json=query, headers=headers)
    res = yc.EntityMatchResponse.model_validate(response.json()).responses["z"]
    assert len(res.results) == 1 and res.total.value == 3
    assert res.results[0].id == "NK-DQ98GPMgdVH8DSZd8g9Xtc"
