"""yente's ``/catalog``, ``/algorithms`` and ``/search/{dataset}`` (issue #14; docs/api.md,
"yente compatibility"). ``/match`` is in :mod:`.match`, ``/entities/{id}`` in :mod:`.lists`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ...deps import ScreenerDep, ScreenerKey
from ...service.algorithms import ALGORITHMS, DEFAULT_ALGORITHM
from ...service.yente_catalog import (
    DEFAULT_FACETS,
    MAX_SEARCH_LIMIT,
    MAX_SEARCH_OFFSET,
    SearchOptions,
    adjacent_dict,
    catalog_dict,
    search_dict,
)
from ...service.yente_match import algorithms_dict
from ..models_yente import AlgorithmResponse, DataCatalogModel, SearchResponse
from .match import TS_PATTERN

router = APIRouter(tags=["yente"])

Strings = Annotated[list[str], Query(max_length=50)]


@router.get("/catalog", response_model=DataCatalogModel)
async def catalog(screener: ScreenerDep, key: ScreenerKey) -> dict[str, Any]:
    """The datasets loaded (one per source, named as OpenSanctions names them) and the
    ``default`` collection of them all, as yente's data catalog."""
    return catalog_dict(screener)


@router.get("/algorithms", response_model=AlgorithmResponse)
async def algorithms(key: ScreenerKey) -> dict[str, Any]:
    """The scoring algorithms ``/match?algorithm=`` takes, as yente lists its own."""
    return algorithms_dict(ALGORITHMS, DEFAULT_ALGORITHM)


@router.get("/search/{dataset}", response_model=SearchResponse)
async def search(
    dataset: str,
    screener: ScreenerDep,
    key: ScreenerKey,
    q: Annotated[str, Query(max_length=1000)] = "",
    schema: Annotated[str, Query(max_length=40)] = "Thing",
    countries: Strings = [],  # noqa: B006
    topics: Strings = [],  # noqa: B006
    datasets: Strings = [],  # noqa: B006
    include_dataset: Strings = [],  # noqa: B006
    exclude_dataset: Strings = [],  # noqa: B006
    facets: Strings = list(DEFAULT_FACETS),  # noqa: B006
    limit: Annotated[int, Query(ge=0, le=MAX_SEARCH_LIMIT)] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_SEARCH_OFFSET)] = 0,
    exclude_schema: Strings = [],  # noqa: B006
    changed_since: Annotated[
        str | None,
        Query(pattern=TS_PATTERN, description="Only entities changed since (ISO date/time)."),
    ] = None,
    filter: Annotated[
        list[str], Query(max_length=50, description="Property filters, property:value.")
    ] = [],  # noqa: B006
    sort: Annotated[
        list[str],
        Query(max_length=10, description="caption, first_seen, last_seen, last_change or "
              "_score, each optionally :asc or :desc."),
    ] = [],  # noqa: B006
    target: bool | None = None,
) -> dict[str, Any]:
    """yente's simple search: listed entities whose names match ``q`` (scored by our
    matcher, best first), with yente's filters and facets."""
    opts = SearchOptions(
        q=q, schema=schema, countries=countries, topics=topics, datasets=datasets,
        include_dataset=include_dataset, exclude_dataset=exclude_dataset,
        limit=limit, offset=offset, facets=facets, exclude_schema=exclude_schema,
        changed_since=changed_since, filter=filter, sort=sort, target=target,
    )
    return search_dict(screener, dataset, opts)


@router.get("/entities/{entity_id:path}/adjacent")
async def adjacent(
    entity_id: str,
    screener: ScreenerDep,
    key: ScreenerKey,
    limit: Annotated[int, Query(ge=0, le=MAX_SEARCH_LIMIT)] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_SEARCH_OFFSET)] = 0,
) -> dict[str, Any]:
    """yente's adjacent entities: the ownerships the entity is owner or asset of (from the
    ownership imports), as FtM ``Ownership`` entities."""
    return adjacent_dict(screener, entity_id, limit, offset)
