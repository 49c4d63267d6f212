"""A strict client model of yente's answers (issue #14): what a yente client expects, field
for field, after yente's models (yente/data/common.py, nomenklatura's FtResult, FeatureDoc
and AlgorithmDocs; MIT). Stricter than yente's own models on purpose: no unknown field
(``extra="forbid"``), timestamps as yente writes them (``YYYY-MM-DDTHH:MM:SS``), dataset
names as FollowTheMoney checks them, schemata FtM knows. A typo or a field of ours that
leaks into yente's shape fails the contract suite instead of a user's client.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

#: FollowTheMoney schemata an entity of ours may have (FtM's names; Thing's descendants).
FTM_SCHEMATA = frozenset(
    {"Thing", "LegalEntity", "Person", "Organization", "Company", "PublicBody", "Vessel",
     "Airplane", "Address", "Sanction", "Ownership"}
)
DATASET_NAME = re.compile(r"^[a-z0-9_]+$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
#: Our own fields beside yente's in ``GET /entities/{id}`` (docs/api.md).
ENTITY_EXTENSIONS = frozenset({"entry", "legal", "history", "versions"})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ErrorResponse(Strict):
    detail: str


class EntityExample(Strict):
    id: str | None = None
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[str]]


class EntityResponse(Strict):
    id: str = Field(..., min_length=1)
    caption: str = Field(..., min_length=1)
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: str | None
    last_seen: str | None
    last_change: str | None

    @field_validator("schema_")
    @classmethod
    def _schema(cls, value: str) -> str:
        assert value in FTM_SCHEMATA, value
        return value

    @field_validator("datasets")
    @classmethod
    def _datasets(cls, value: list[str]) -> list[str]:
        for name in value:
            assert DATASET_NAME.match(name), name
        return value

    @field_validator("first_seen", "last_seen", "last_change")
    @classmethod
    def _timestamp(cls, value: str | None) -> str | None:
        assert value is None or TIMESTAMP.match(value), value
        return value


class TotalSpec(Strict):
    value: int = Field(..., ge=0)
    relation: str


class AdjacentResultsResponse(Strict):
    limit: int
    offset: int
    total: TotalSpec
    results: list[str | EntityResponse]


class EntityAdjacentResponse(Strict):
    entity: EntityResponse
    adjacent: dict[str, AdjacentResultsResponse]


class FtResult(Strict):
    score: float
    detail: str | None
    query: str | None = None
    candidate: str | None = None


class ScoredEntityResponse(EntityResponse):
    score: float = Field(..., ge=0.0, le=1.0)
    features: dict[str, float]
    explanations: dict[str, FtResult]
    match: bool
    token: str | None = None


class EntityMatches(Strict):
    status: int
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(Strict):
    description: str | None
    coefficient: float
    url: str


class EntityMatchResponse(Strict):
    responses: dict[str, EntityMatches]
    # yente <= 4 answered the matcher's FeatureDocs; newer yente has no such field.
    matcher: dict[str, FeatureDoc] | None = None
    limit: int


class SearchFacetItem(Strict):
    name: str
    label: str
    count: int


class SearchFacet(Strict):
    label: str
    values: list[SearchFacetItem]


class SearchResponse(Strict):
    limit: int
    offset: int
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, SearchFacet]


class DatasetModel(Strict):
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
    index_current: bool
    children: list[str]

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        assert DATASET_NAME.match(value), value
        return value


class DataCatalogModel(Strict):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool


class AlgorithmDocs(Strict):
    name: str
    description: str | None = None
    config: dict[str, Any]
    features: dict[str, FeatureDoc]


class Algorithm(Strict):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]
    docs: AlgorithmDocs


class AlgorithmResponse(Strict):
    algorithms: list[Algorithm]
    default: str
    best: str


def parse_entity(data: dict[str, Any]) -> EntityResponse:
    """``GET /entities/{id}``: yente's EntityResponse, once our documented extensions (and
    only those) are set aside."""
    extra = set(data) - set(EntityResponse.model_fields) - {"schema"}
    assert extra <= ENTITY_EXTENSIONS, extra - ENTITY_EXTENSIONS
    return EntityResponse.model_validate({k: v for k, v in data.items() if k not in extra})


# --- OpenRefine reconciliation (yente/data/freebase.py) ---------------------------------


class FreebaseType(Strict):
    id: str
    name: str
    description: str | None = None


class FreebaseProperty(Strict):
    id: str
    name: str
    description: str | None = None


class FreebaseEntity(Strict):
    id: str
    name: str
    description: str | None = None
    type: list[FreebaseType]


class FreebaseScoredEntity(FreebaseEntity):
    score: float | None
    match: bool | None


class FreebaseEntityResult(Strict):
    result: list[FreebaseScoredEntity]


class _Suggest(Strict):
    code: str
    status: str
    prefix: str


class FreebaseEntitySuggestResponse(_Suggest):
    result: list[FreebaseEntity]


class FreebasePropertySuggestResponse(_Suggest):
    result: list[FreebaseProperty]


class FreebaseTypeSuggestResponse(_Suggest):
    result: list[FreebaseType]


class FreebaseManifestView(Strict):
    url: HttpUrl


class FreebaseManifestPreview(Strict):
    url: HttpUrl
    width: int
    height: int


class FreebaseManifestSuggestType(Strict):
    service_url: HttpUrl
    service_path: str


class FreebaseManifestSuggest(Strict):
    entity: FreebaseManifestSuggestType
    type: FreebaseManifestSuggestType
    property: FreebaseManifestSuggestType


class FreebaseManifest(Strict):
    # Field names as OpenRefine spells them (camelCase).
    versions: list[str]
    name: str
    identifierSpace: HttpUrl
    schemaSpace: HttpUrl
    view: FreebaseManifestView
    preview: FreebaseManifestPreview
    suggest: FreebaseManifestSuggest
    defaultTypes: list[FreebaseType]
