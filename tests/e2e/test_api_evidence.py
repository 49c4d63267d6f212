"""Birth date and identifiers through the HTTP API: /screen's ``birth_date`` and
``identifiers`` fields (validated), yente's /match ``birthDate`` and ``idNumber``, and the
web UI's search form, on the real UN list.

The UN entry GBi.003 "CRANHA DANFA" is listed with the birth date 1957-03-05 and the
passport AAIN29392; the query "Cranha Dunfa" keeps the name score below 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from entityscreen.api import create_app
from entityscreen.service import Screener

UN_FILE = "un_sc_consolidated_2026-02-27/UN_consolidated.xml"
ENTRY = "un_sc:GBi.003"
QUERY = "Cranha Dunfa"


@pytest.fixture(scope="module")
def setup(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    home = tmp_path_factory.mktemp("api_un") / "home"
    with Screener.open(home) as s:
        assert s.import_path(shared_data / UN_FILE).ok
        s.matcher()
        key = s.create_key("bob", "screener", actor=s.operator)[1]
    with TestClient(create_app(home)) as client:
        yield client, {"Authorization": f"Bearer {key}"}


def screen(setup: tuple[TestClient, dict[str, str]], **fields: Any) -> dict[str, Any]:
    client, headers = setup
    body = {"party": {"name": QUERY, **fields}, "threshold": 0.3, "lists": ["UN"]}
    response = client.post("/screen", json=body, headers=headers)
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    [match] = [m for m in result["matches"] if m["entry_id"] == ENTRY]
    return match  # type: ignore[no-any-return]


def test_screen_birth_date_raises_or_lowers_the_score(
    setup: tuple[TestClient, dict[str, str]],
) -> None:
    plain = screen(setup)
    assert plain["score"] < 1.0
    same = screen(setup, birth_date="1957")
    assert same["score"] > plain["score"] and "birth year agrees" in same["explanation"]
    other = screen(setup, birth_date="1987-03-05")
    assert other["score"] < plain["score"]
    assert "born 1987, listed 1957 (lowered)" in other["explanation"]


def test_screen_listed_identifier_raises_the_score(
    setup: tuple[TestClient, dict[str, str]],
) -> None:
    plain = screen(setup)
    passport = screen(setup, identifiers=["AAIN29392"], birth_date="1957-03-05")
    assert passport["score"] > plain["score"]
    assert "identifier AAIN29392 agrees" in passport["explanation"]
    assert "birth date agrees" in passport["explanation"]


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"birth_date": "05.03.1957"}, "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ({"birth_date": "1957-02-30"}, "no such date"),
        ({"birth_date": 1957}, "string"),
        ({"identifiers": "AAIN29392"}, "list"),
        ({"identifiers": ["9" * 101]}, "100 characters"),
        ({"identifiers": [f"ID{n:05}" for n in range(21)]}, "20 items"),
    ],
)
def test_screen_rejects_bad_evidence_fields(
    setup: tuple[TestClient, dict[str, str]], fields: dict[str, Any], detail: str
) -> None:
    client, headers = setup
    response = client.post("/screen", json={"party": {"name": QUERY, **fields}}, headers=headers)
    assert response.status_code == 422, response.text
    assert detail in response.text


def test_match_maps_birth_date_and_id_number(setup: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = setup

    def score(**props: list[str]) -> tuple[float, str]:
        query = {"schema": "Person", "properties": {"name": [QUERY], **props}}
        response = client.post(
            "/match/default",
            params={"threshold": 0.3},
            json={"queries": {"q": query}},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        results = response.json()["responses"]["q"]["results"]
        [found] = [r for r in results if r["id"] == ENTRY]
        return found["score"], found["explanations"]["name"]["detail"]

    plain, _ = score()
    same, why = score(birthDate=["1957-03-05"])
    assert same > plain and "birth date agrees" in why
    other, why = score(birthDate=["1927"])
    assert other < plain and "born 1927" in why
    passport, why = score(idNumber=["AAIN29392"])
    assert passport > plain and "identifier AAIN29392 agrees" in why
    bad = client.post(
        "/match/default",
        json={
            "queries": {
                "q": {"schema": "Person", "properties": {"name": [QUERY], "birthDate": ["soon"]}}
            }
        },
        headers=headers,
    )
    assert bad.status_code == 400 and "birth date 'soon'" in bad.json()["detail"]


def test_web_search_form_takes_birth_date_and_id(
    setup: tuple[TestClient, dict[str, str]],
) -> None:
    client, headers = setup
    key = headers["Authorization"].removeprefix("Bearer ")
    assert client.post("/ui/login", data={"key": key}, follow_redirects=False).status_code == 303
    form = client.get("/ui/").text
    assert '<label for="birth_date">Birth date</label>' in form
    assert '<label for="id_number">ID number</label>' in form
    page = client.get(
        "/ui/", params={"name": QUERY, "birth_date": "1957", "id_number": "AAIN29392"}
    ).text
    assert "birth year agrees" in page and "identifier AAIN29392 agrees" in page
    assert 'value="1957"' in page and 'value="AAIN29392"' in page
    bad = client.get("/ui/", params={"name": QUERY, "birth_date": "March 1957"}).text
    assert "birth date &#39;March 1957&#39;: use YYYY, YYYY-MM or YYYY-MM-DD" in bad
