"""yente's request and response models, field for field (issue #14; docs/api.md, "yente
compatibility"): what ``/match``, ``/entities/{id}``, ``/search``, ``/catalog`` and
``/algorithms`` take and answer. Names as yente's (yente/data/common.py, MIT); the
answers themselves are built by :mod:`entityscreen.service.yente_match`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ..service.yente_match import MAX_QUERIES


class EntityExample(BaseModel):
    """A FollowTheMoney example entity: what yente's /match takes, and echoes normalised."""

    id: str | None = Field(None, max_length=200, examples=["my-entity-id"])
    # Required, as yente's: a query without a schema is a 422.
    schema_: str = Field(..., alias="schema", max_length=40, examples=["Company"])
    properties: dict[str, str | list[Any]] = Field(
        ..., examples=[{"name": ["Hangzhou Hikvision"], "country": ["cn"]}]
    )


class MatchRequest(BaseModel):
    """yente's EntityMatchQuery: named example entities, weights and algorithm config."""

    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    # Counted by the service, as yente does: more than MAX_QUERIES is a 400, not a 422.
    queries: dict[str, EntityExample]


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class FtResult(BaseModel):
    """One feature's score and how it was reached (nomenklatura's FtResult)."""

    score: float
    detail: str | None = None
    query: str | None = None
    candidate: str | None = None


class FeatureDoc(BaseModel):
    description: str | None = None
    coefficient: float
    url: str


class EntityResponse(BaseModel):
    """A listed entity in yente's shape (FollowTheMoney properties)."""

    id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str] = Field(default_factory=list)
    referents: list[str] = Field(default_factory=list)
    target: bool = False
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


class ScoredEntity(EntityResponse):
    """yente's ScoredEntityResponse; the legal verdict is the ``legal`` explanation."""

    score: float
    features: dict[str, float]
    explanations: dict[str, FtResult]
    match: bool


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntity]
    total: TotalSpec
    query: EntityExample


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


class SearchFacetItem(BaseModel):
    name: str
    label: str
    count: int = 1


class SearchFacet(BaseModel):
    label: str
    values: list[SearchFacetItem]


class SearchResponse(BaseModel):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, SearchFacet]


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool
    entities_url: str | None = None
    version: str
    updated_at: str | None = None
    entity_count: int | None = None
    index_version: str | None = None
    index_current: bool = False
    children: list[str]


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


class AlgorithmDocs(BaseModel):
    name: str
    description: str | None = None
    config: dict[str, Any]
    features: dict[str, FeatureDoc]


class Algorithm(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]
    docs: AlgorithmDocs


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str


__all__ = [
    "MAX_QUERIES",
    "AlgorithmResponse",
    "DataCatalogModel",
    "EntityExample",
    "EntityMatchResponse",
    "EntityMatches",
    "EntityResponse",
    "MatchRequest",
    "ScoredEntity",
    "SearchResponse",
    "TotalSpec",
]
