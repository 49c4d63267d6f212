"""yente contract suite (issue #14, item 3): yente's own test requests against our API, every
answer parsed by a strict yente client model (tests/e2e/yente_client.py).

The requests are yente's (tests/fixtures/yente/requests.json, with their origin); the
data is our small OpenSanctions-style file plus OFAC and CSL fixtures, so that datasets,
merged copies and FtM properties of our own sources are covered too. Where we answer
differently from yente on purpose (docs/api.md, "yente compatibility"), the test says so.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from entityscreen.api import create_app
from entityscreen.service import Screener
from entityscreen.settings import Settings

from ..integration.test_postgres import wipe
from . import yente_client as yc

PG = os.environ.get("ENTITYSCREEN_TEST_PG")

Client = tuple[TestClient, dict[str, str]]


@pytest.fixture(scope="module")
def bodies(fixtures: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((fixtures / "yente" / "requests.json").read_text("utf-8"))
    return data


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fixtures: Path
) -> Iterator[Client]:
    home = tmp_path_factory.mktemp("yente") / "home"
    settings = Settings(home=home)
    if request.param == "postgres":
        if not PG:
            pytest.skip("set ENTITYSCREEN_TEST_PG to a PostgreSQL DSN")
        wipe(PG)
        settings = Settings(home=home, store_url=PG)
    with Screener.open(settings=settings) as s:
        for path in ("yente/entities.ftm.json", "ofac/sdn.csv", "yente/consolidated.csv"):
            assert s.import_path(fixtures / path).ok
        assert s.import_ownership(fixtures / "yente/entities.ftm.json") == 1
        key = s.create_key("yente", "screener", actor=s.operator)[1]
    with TestClient(create_app(settings)) as client:
        yield client, {"Authorization": f"Bearer {key}"}


def match(api: Client, body: dict[str, Any], **params: Any) -> yc.EntityMatchResponse:
    client, headers = api
    response = client.post("/match/default", json=body, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return yc.EntityMatchResponse.model_validate(response.json())


def get(api: Client, url: str) -> Any:
    client, headers = api
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def error(api: Client, method: str, url: str, status: int, **kwargs: Any) -> str:
    client, headers = api
    response = client.request(method, url, headers=headers, **kwargs)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    if status != 422:
        yc.ErrorResponse.model_validate(response.json())
        assert "\n" not in detail
    return str(detail)


# --- /match: yente's tests/test_match.py -----------------------------------------------------


def test_match_putin(api: Client, bodies: dict[str, Any]) -> None:
    example = bodies["EXAMPLE"]
    data = match(api, {"queries": {"vv": example, "xx": example, "zz": example}})
    assert set(data.responses) == {"vv", "xx", "zz"}
    res = data.responses["vv"]
    assert res.query.schema_ == "Person"
    # Echoed normalised: "Russia" given as a string, answered as a list of ISO codes.
    assert res.query.properties["country"] == ["ru"]
    assert res.total.value > 0
    top = res.results[0]
    assert top.id == "Q7747" and top.match is True
    assert top.datasets == ["eu_fsf", "gb_hmt_sanctions"]
    assert "gb-hmt-14196" in top.referents and top.target is True
    assert top.properties["birthDate"] == ["1952-10-07"]
    assert top.first_seen is not None and top.last_seen is not None
    assert top.explanations["name"].detail and top.explanations["legal"].detail
    assert top.features == {k: v.score for k, v in top.explanations.items()}


def test_match_algorithm_names(api: Client, bodies: dict[str, Any]) -> None:
    body = {"queries": {"vv": bodies["EXAMPLE"]}}
    detail = error(api, "POST", "/match/default?algorithm=neural-net", 400, json=body)
    assert "entityscreen, ofac" in detail
    # yente's "best" is our default; yente's own algorithms are not ours (docs/api.md).
    assert match(api, body, algorithm="best").responses["vv"].results[0].id == "Q7747"
    error(api, "POST", "/match/default?algorithm=name-based", 400, json=body)
    client, headers = api
    answer = client.post("/match/default?algorithm=ofac", json=body, headers=headers)
    assert answer.headers["X-Algorithm"] == "ofac ofac-sls-1"


def test_match_no_schema(api: Client, bodies: dict[str, Any]) -> None:
    error(api, "POST", "/match/default", 422, json=bodies["NO_SCHEMA"])
    detail = error(api, "POST", "/match/default", 400, json=bodies["BAD_SCHEMA"])
    assert detail.startswith("Cannot parse example entity: unknown schema 'xxx'")


def test_match_batch_limits(api: Client, bodies: dict[str, Any]) -> None:
    assert error(api, "POST", "/match/default", 400, json={"queries": {}}) == (
        "No queries provided."
    )
    many = {"queries": {f"q{i}": bodies["EXAMPLE"] for i in range(1001)}}
    detail = error(api, "POST", "/match/default", 400, json=many)
    assert detail == "Too many queries in one batch (limit: 1000)"


def test_match_many_names(api: Client, bodies: dict[str, Any]) -> None:
    query = {"queries": {"q": bodies["MANY_NAMES"]}}
    results = match(api, query, algorithm="best").responses["q"].results
    assert results and results[0].id == "NK-test-rotenberg"
    # yente's fuzzy=false is a retrieval option of its index; we have none: same results.
    again = match(api, query, algorithm="best", fuzzy="false").responses["q"].results
    assert [r.id for r in again] == [r.id for r in results]


def test_match_ermakov(api: Client, bodies: dict[str, Any]) -> None:
    results = match(api, {"queries": {"ermakov": bodies["ERMAKOV"]}}).responses["ermakov"]
    assert results.results[0].id == "NK-test-ermakov"
    assert results.results[0].datasets == ["ua_nsdc_sanctions"]


def test_match_exclude_dataset(api: Client, bodies: dict[str, Any]) -> None:
    query = {"queries": {"vv": bodies["EXAMPLE"]}}
    assert match(api, query, exclude_dataset="eu_fsf").responses["vv"].results == []


def test_match_include_dataset(api: Client, bodies: dict[str, Any]) -> None:
    query = {"queries": {"vv": bodies["EXAMPLE"]}}
    none = match(api, query, include_dataset=["ae_local_terrorists", "mx_governors"])
    assert none.responses["vv"].results == []
    some = match(api, query, include_dataset=["eu_fsf", "ae_local_terrorists"])
    assert some.responses["vv"].results[0].id == "Q7747"
    both = match(
        api, query, include_dataset=["eu_fsf", "mx_governors"], exclude_dataset="eu_fsf"
    )
    assert both.responses["vv"].results == []


def test_match_config(api: Client, bodies: dict[str, Any]) -> None:
    # Our algorithms take no configuration: yente's logic-v2 option is a 400 here too,
    # naming the key, as yente answers an option its algorithm does not have.
    for config in (bodies["CONFIG_INVALID"], bodies["CONFIG_VALID_IN_YENTE"]):
        body = {"queries": {"vv": bodies["EXAMPLE"]}, "config": config}
        detail = error(api, "POST", "/match/default", 400, json=body)
        assert detail.startswith(f"Invalid configuration parameter: {next(iter(config))}")


def test_filter_topic(api: Client, bodies: dict[str, Any]) -> None:
    query = {"queries": {"vv": bodies["EXAMPLE"]}}
    assert match(api, query, topics="crime.cyber").responses["vv"].results == []
    assert match(api, query, topics="role.pep").responses["vv"].results[0].id == "Q7747"


def test_id_pass_through(api: Client, bodies: dict[str, Any]) -> None:
    body = dict(bodies["MANY_NAMES"], id="rotenberg")
    res = match(api, {"queries": {"no1": body}}).responses["no1"]
    assert res.query.schema_ == "Person" and res.query.id == "rotenberg"


def test_fuzzy_names(api: Client, bodies: dict[str, Any]) -> None:
    res = match(api, bodies["FUZZY"], threshold=0.2).responses["a"]
    assert res.results and res.results[0].id == "Q7747"


def test_exclude_entity_ids(api: Client, bodies: dict[str, Any]) -> None:
    query = {"queries": {"q": bodies["EXAMPLE"]}}
    assert match(api, query).responses["q"].results[0].id == "Q7747"
    assert match(api, query, exclude_entity_ids=["Q7747"]).responses["q"].results == []
    # A referent excludes its entity.
    assert match(api, query, exclude_entity_ids=["gb-hmt-14196"]).responses["q"].results == []


def test_match_changed_since(api: Client, bodies: dict[str, Any]) -> None:
    query = {"queries": {"q": bodies["EXAMPLE"]}}
    assert match(api, query, changed_since="2099-01-01T00:00").responses["q"].results == []
    [top, *_] = match(api, query, changed_since="2000-01-01").responses["q"].results
    assert top.id == "Q7747" and top.last_change is not None
    error(api, "POST", "/match/default?changed_since=yesterday", 422, json=query)


def test_match_unknown_dataset_is_404(api: Client, bodies: dict[str, Any]) -> None:
    body = {"queries": {"q": bodies["EXAMPLE"]}}
    assert "not found" in error(api, "POST", "/match/banana", 404, json=body)
    # A dataset's own name selects it; so do list codes, as before issue #14.
    client, headers = api
    for dataset, found in (("eu_fsf", True), ("gb_hmt_sanctions", True),
                           ("us_ofac_sdn", False), ("us_trade_csl", False),
                           ("SDN", False), ("us_csl", False)):
        response = client.post(f"/match/{dataset}", json=body, headers=headers)
        assert response.status_code == 200, (dataset, response.text)
        res = yc.EntityMatchResponse.model_validate(response.json()).responses["q"]
        assert ("Q7747" in [r.id for r in res.results]) is found, dataset


# --- /match: our own lists in yente's shape ------------------------------------------------


def test_our_entries_as_ftm_entities(api: Client) -> None:
    query = {"schema": "Person", "properties": {"name": ["Ivan Petrovich Testov"]}}
    [top] = match(api, {"queries": {"t": query}}).responses["t"].results
    assert top.id == "us_ofac_sdn:7001" and top.schema_ == "Person"
    # The CSL's copy of the listing is merged in (see test_merged_copies_come_once).
    assert top.datasets == ["us_ofac_sdn", "us_trade_csl"]
    props = top.properties
    assert props["birthDate"][0].startswith("1960") and props["passportNumber"] == ["A1234567"]
    assert "iq" in props["nationality"] or "ir" in props["nationality"]
    assert props["topics"] == ["sanction"] and props["programId"]


def test_merged_copies_come_once(api: Client) -> None:
    """An OFAC listing also carried by the CSL is one result, with both datasets and the
    copy's id as a referent."""
    query = {"schema": "Organization", "properties": {"name": ["Banco Nacional de Cuba"]}}
    results = match(api, {"queries": {"b": query}}).responses["b"].results
    named = [r for r in results if "BANCO NACIONAL" in r.caption.upper()]
    assert len(named) == 1, [(r.id, r.datasets) for r in results]
    assert named[0].datasets == ["us_ofac_sdn", "us_trade_csl"]
    assert any(r.startswith("us_csl:") for r in named[0].referents)


# --- /entities/{id} ---------------------------------------------------------------------


def test_entity_by_its_own_id(api: Client) -> None:
    client, headers = api
    for entity_id in ("Q7747", "opensanctions:Q7747"):
        response = client.get(f"/entities/{entity_id}", headers=headers)
        assert response.status_code == 200, response.text
        entity = yc.parse_entity(response.json())
        assert entity.id == "Q7747" and entity.caption == "Vladimir Vladimirovich PUTIN"
    ours = yc.parse_entity(client.get("/entities/us_ofac_sdn:7001", headers=headers).json())
    assert ours.id == "us_ofac_sdn:7001" and ours.datasets == ["us_ofac_sdn"]
    assert ours.properties["passportNumber"] == ["A1234567"]
    assert "No such entity" in error(api, "GET", "/entities/Q0000", 404)
    # A referent (an id merged into an entity) redirects to it, as yente does.
    moved = client.get("/entities/gb-hmt-14196", headers=headers, follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/entities/Q7747"


def test_entity_adjacent(api: Client) -> None:
    owner = yc.EntityAdjacentResponse.model_validate(
        get(api, "/entities/NK-test-rotenberg/adjacent")
    )
    assert owner.entity.id == "NK-test-rotenberg"
    [own] = owner.adjacent["ownershipOwner"].results
    assert isinstance(own, yc.EntityResponse) and own.schema_ == "Ownership"
    assert own.properties == {"owner": ["NK-test-rotenberg"], "asset": ["NK-test-evilcorp"],
                              "percentage": ["60"], "startDate": ["2015-01-01"]}
    assert owner.adjacent["ownershipAsset"].total.value == 0
    asset = yc.EntityAdjacentResponse.model_validate(
        get(api, "/entities/NK-test-evilcorp/adjacent?limit=0")
    ).adjacent["ownershipAsset"]
    assert asset.total.value == 1 and asset.results == []
    error(api, "GET", "/entities/Q0000/adjacent", 404)


# --- /catalog and /algorithms -----------------------------------------------------------


def test_catalog(api: Client) -> None:
    client, headers = api
    catalog = yc.DataCatalogModel.model_validate(client.get("/catalog", headers=headers).json())
    names = [d.name for d in catalog.datasets]
    # The OpenSanctions file is a dataset of its own (its folder's name: one source per
    # exported dataset, issue #13).
    assert {"us_ofac_sdn", "us_trade_csl", "yente", "default"} <= set(names)
    [default] = [d for d in catalog.datasets if d.name == "default"]
    assert set(default.children) == set(names) - {"default"}
    # The datasets the OpenSanctions entities name: children of their file's dataset.
    [ftm] = [d for d in catalog.datasets if d.name == "yente"]
    assert ftm.children == ["eu_fsf", "gb_hmt_sanctions", "ua_nsdc_sanctions"]
    assert set(ftm.children) <= set(names) and len(names) == len(set(names))


def test_algorithms(api: Client) -> None:
    client, headers = api
    data = yc.AlgorithmResponse.model_validate(client.get("/algorithms", headers=headers).json())
    assert [a.name for a in data.algorithms] == ["entityscreen", "ofac"]
    assert data.default == data.best == "entityscreen"


# --- /search: yente's tests/test_search.py ------------------------------------------------


def search(api: Client, url: str) -> yc.SearchResponse:
    client, headers = api
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return yc.SearchResponse.model_validate(response.json())


def test_search_putin(api: Client) -> None:
    data = search(api, "/search/default?q=vladimir putin")
    top = data.results[0]
    assert top.id == "Q7747" and top.first_seen is not None and top.last_seen is not None
    assert "default" not in top.datasets
    assert set(data.facets) == {"countries", "topics", "datasets"}


def test_search_errors(api: Client) -> None:
    error(api, "GET", "/search/banana", 404)
    error(api, "GET", "/search/default?q=putin&schema=Banana", 400)
    error(api, "GET", "/search/default?offset=9999&q=putin", 422)
    error(api, "GET", "/search/default?limit=10000&q=putin", 422)


def test_search_filters(api: Client) -> None:
    q = "/search/default?q=vladimir putin"
    assert search(api, q + "&schema=Vessel").results == []
    assert search(api, q + "&schema=Person").results
    assert search(api, q + "&exclude_dataset=eu_fsf").total.value == 0
    assert search(api, q + "&include_dataset=mx_senators").total.value == 0
    assert search(api, q + "&include_dataset=eu_fsf").total.value > 0
    assert search(api, q + "&countries=ru").results
    assert search(api, q + "&countries=ke").results == []
    assert search(api, q + "&limit=0").results == []
    offset = search(api, q + "&offset=100")
    assert offset.results == [] and offset.offset == 100


def test_search_exclude_schema_target_changed_since(api: Client) -> None:
    q = "/search/default?q=vladimir putin"
    assert search(api, q).total.value > 0
    assert search(api, q + "&exclude_schema=Person").total.value == 0
    assert search(api, q + "&exclude_schema=Vessel").total.value > 0
    assert search(api, q + "&target=true").total.value > 0
    assert search(api, q + "&target=false").total.value == 0
    assert search(api, q + "&changed_since=2099-01-01T00:00").results == []
    [top, *_] = search(api, q + "&changed_since=2000-01-01").results
    assert top.id == "Q7747" and top.last_change is not None
    error(api, "GET", "/search/default?q=putin&changed_since=yesterday", 422)


def test_search_filter_by_property(api: Client) -> None:
    everything = search(api, "/search/default?limit=500")
    born = [r for r in everything.results if r.properties.get("birthDate")]
    assert born, "the fixtures have birth dates"
    day = born[0].properties["birthDate"][0]
    for prop in ("birthDate", "properties.birthDate"):
        found = search(api, f"/search/default?limit=500&filter={prop}:{day}")
        assert found.results and found.total.value < everything.total.value
        assert all(day in r.properties["birthDate"] for r in found.results)
        assert {r.id for r in found.results} == {
            r.id for r in everything.results if day in r.properties.get("birthDate", [])
        }
    # Values compare whole and case-folded; every filter must hold.
    assert search(api, "/search/default?filter=country:RU").total.value == (
        search(api, "/search/default?filter=country:ru").total.value
    ) > 0
    assert search(api, f"/search/default?filter=country:zz&filter=birthDate:{day}").results == []
    assert "property:value" in error(api, "GET", "/search/default?filter=nocolon", 400)


def test_search_sort(api: Client) -> None:
    base = "/search/default?limit=500"
    by_caption = search(api, base + "&sort=caption").results
    captions = [r.caption.casefold() for r in by_caption]
    assert len(captions) > 10 and captions == sorted(captions)
    desc = [r.caption.casefold() for r in search(api, base + "&sort=caption:desc").results]
    assert desc == sorted(captions, reverse=True)
    for field in ("first_seen", "last_seen", "last_change"):
        got = [getattr(r, field) for r in search(api, f"{base}&sort={field}:desc").results]
        assert got == sorted(got, reverse=True), field
    # _score: best first by default, worst first asked so; sorts combine, first decides.
    q = "/search/default?q=vladimir putin"
    best = [r.id for r in search(api, q).results]
    assert [r.id for r in search(api, q + "&sort=_score").results] == best
    assert [r.id for r in search(api, q + "&sort=_score:asc").results] == best[::-1]
    both = search(api, base + "&sort=first_seen:asc&sort=caption:desc").results
    keys = [(r.first_seen, [-ord(c) for c in r.caption.casefold()]) for r in both]
    assert keys == sorted(keys)
    assert "first_seen" in error(api, "GET", "/search/default?sort=banana", 400)
    error(api, "GET", "/search/default?sort=caption:sideways", 400)


def test_search_no_query_and_facets(api: Client) -> None:
    data = search(api, "/search/default")
    assert len(data.results) == 10 and data.total.value > 10
    names = [v.name for v in data.facets["datasets"].values]
    assert "us_ofac_sdn" in names and "eu_fsf" in names
    schema = search(api, "/search/default?facets=schema")
    assert set(schema.facets) == {"schema"}


# --- /reconcile: yente's tests/test_reconcile.py ------------------------------------------


def test_reconcile_metadata(api: Client) -> None:
    data = yc.FreebaseManifest.model_validate(get(api, "/reconcile/default?api_key=x"))
    # Our ids, not OpenSanctions': the identifier space is our /entities.
    assert str(data.identifierSpace).endswith("/entities/")
    assert len(data.defaultTypes) > 3
    assert data.suggest.entity.service_path == "/suggest/entity?api_key=x"


def test_reconcile_post(api: Client, bodies: dict[str, Any]) -> None:
    client, headers = api
    form = {"queries": json.dumps(bodies["RECONCILE_QUERIES"])}
    response = client.post("/reconcile/default", data=form, headers=headers)
    assert response.status_code == 200, response.text
    data = response.json()
    result = yc.FreebaseEntityResult.model_validate(data["mutti"]).result
    assert result[0].id == "Q18634850"


def test_reconcile_bad_requests(api: Client) -> None:
    for form in ({"queries": "{not json"}, {"queries": '{"a": {"limit": -1}}'}, {}):
        detail = error(api, "POST", "/reconcile/default", 400, data=form)
        assert detail.startswith(("invalid reconciliation queries", "the form field"))
    error(api, "GET", "/reconcile/banana", 404)


def test_reconcile_suggest_entity(api: Client) -> None:
    empty = yc.FreebaseEntitySuggestResponse.model_validate(
        get(api, "/reconcile/default/suggest/entity")
    )
    assert empty.result == []
    res = yc.FreebaseEntitySuggestResponse.model_validate(
        get(api, "/reconcile/default/suggest/entity?prefix=vladimir%20put")
    ).result
    assert res[0].id == "Q7747" and "vladimir" in res[0].name.lower()
    dummy = get(api, "/reconcile/default/suggest/entity?prefix=banana%20man")
    assert yc.FreebaseEntitySuggestResponse.model_validate(dummy).result == []


def test_reconcile_suggest_property(api: Client) -> None:
    url = "/reconcile/default/suggest/property"
    assert yc.FreebasePropertySuggestResponse.model_validate(get(api, url)).result == []
    res = yc.FreebasePropertySuggestResponse.model_validate(get(api, url + "?prefix=country"))
    ids = [r.id for r in res.result]
    assert "LegalEntity:mainCountry" in ids and "Thing:country" in ids
    banana = get(api, url + "?prefix=banana")
    assert yc.FreebasePropertySuggestResponse.model_validate(banana).result == []


def test_reconcile_suggest_type(api: Client) -> None:
    url = "/reconcile/default/suggest/type"
    assert yc.FreebaseTypeSuggestResponse.model_validate(get(api, url)).result == []
    res = yc.FreebaseTypeSuggestResponse.model_validate(get(api, url + "?prefix=organ")).result
    assert [r.id for r in res] == ["Organization"]
    banana = get(api, url + "?prefix=banana")
    assert yc.FreebaseTypeSuggestResponse.model_validate(banana).result == []
