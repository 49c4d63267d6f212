"""Issue #14: ``POST /match/{dataset}?algorithm=ofac`` in process (FastAPI's TestClient)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from entityscreen.api import create_app
from entityscreen.service import Screener

QUERY = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Daniel Smith"]}}}}


@pytest.fixture(scope="module")
def client_key(
    tmp_path_factory: pytest.TempPathFactory, fixtures: Path
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    home = tmp_path_factory.mktemp("api_ofac") / "home"
    with Screener.open(home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        key = s.create_key("bob", "screener", actor=s.operator)[1]
    with TestClient(create_app(home)) as client:
        yield client, {"Authorization": f"Bearer {key}"}


def test_match_with_the_ofac_algorithm(client_key: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = client_key
    response = client.post("/match/default?algorithm=ofac", json=QUERY, headers=headers)
    assert response.status_code == 200, response.text
    data = response.json()
    # yente's body has no place for the algorithm's name and version: a header has them.
    assert response.headers["X-Algorithm"] == "ofac ofac-sls-1"
    [top] = data["responses"]["q"]["results"]
    assert top["caption"] == "DANIEL" and top["score"] == 0.9 and top["match"] is True
    assert top["features"]["ofac_score"] == 90.0
    assert top["explanations"]["name"]["detail"].startswith("OFAC-style score 90")
    # Above the threshold asked for: nothing.
    high = client.post("/match/SDN?algorithm=ofac&threshold=0.95", json=QUERY, headers=headers)
    assert high.json()["responses"]["q"]["results"] == []


def test_match_default_algorithm_is_ours(client_key: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = client_key
    response = client.post("/match/default", json=QUERY, headers=headers)
    assert response.headers["X-Algorithm"].startswith("entityscreen ")
    data = response.json()
    assert data["responses"]["q"]["results"] == []


def test_unknown_algorithm_is_a_400(client_key: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = client_key
    response = client.post("/match/default?algorithm=soundex", json=QUERY, headers=headers)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "unknown algorithm 'soundex'; use one of entityscreen, ofac"
    }
