"""OpenRefine's reconciliation API as yente serves it: ``/reconcile/{dataset}`` and its
suggest services (issue #14; docs/api.md, "yente compatibility")."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from pydantic import BaseModel, Field, ValidationError

from ...deps import ScreenerDep, ScreenerKey
from ...errors import InputError
from ...service.yente_reconcile import (
    DEFAULT_LIMIT,
    ReconQuery,
    manifest_dict,
    reconcile_dict,
    suggest_entity,
    suggest_property,
    suggest_type,
)
from ..models_yente import MAX_QUERIES

router = APIRouter(tags=["Reconciliation"])
Prefix = Annotated[str, Query(max_length=200)]


class _Property(BaseModel):
    pid: str = Field(..., max_length=100)
    v: str | int | float = Field(...)


class _Query(BaseModel):
    query: str | None = Field(None, max_length=1000)
    type: str | list[str] | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=100)
    properties: list[_Property] = Field(default_factory=list, max_length=50)


class _Batch(BaseModel):
    queries: dict[str, _Query] = Field(..., max_length=MAX_QUERIES)


def _parse(text: str) -> dict[str, ReconQuery]:
    """The form's ``queries`` JSON; a one-line 400 naming the first problem."""
    try:
        batch = _Batch.model_validate_json(f'{{"queries": {text}}}')
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or "queries"
        raise InputError(f"invalid reconciliation queries: {where}: {first['msg']}") from None
    return {
        name: ReconQuery(q.query, q.type, q.limit, tuple((p.pid, str(p.v)) for p in q.properties))
        for name, q in batch.queries.items()
    }


@router.get("/reconcile/{dataset}")
async def manifest(
    dataset: str, request: Request, screener: ScreenerDep, key: ScreenerKey
) -> dict[str, Any]:
    """The reconciliation service manifest OpenRefine reads."""
    return manifest_dict(screener, dataset, str(request.base_url), request.url.query.strip())


@router.post("/reconcile/{dataset}")
async def reconcile(
    dataset: str,
    screener: ScreenerDep,
    key: ScreenerKey,
    queries: Annotated[str | None, Form(max_length=60_000)] = None,
    extend: Annotated[str | None, Form(max_length=60_000)] = None,
    algorithm: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, Any]:
    """A batch of reconciliation queries (form field ``queries``, JSON)."""
    if extend:
        raise InputError("data extension ('extend') is not supported; see docs/api.md")
    if not queries:
        raise InputError("the form field 'queries' is required")
    return reconcile_dict(screener, dataset, _parse(queries), algorithm)


@router.get("/reconcile/{dataset}/suggest/entity")
async def suggest_entities(
    dataset: str,
    screener: ScreenerDep,
    key: ScreenerKey,
    prefix: Prefix = "",
    limit: Annotated[int, Query(ge=0, le=100)] = 10,
) -> dict[str, Any]:
    """Entities whose names match the prefix."""
    return suggest_entity(screener, dataset, prefix, limit)


@router.get("/reconcile/{dataset}/suggest/property")
async def suggest_properties(
    dataset: str, screener: ScreenerDep, key: ScreenerKey, prefix: Prefix = ""
) -> dict[str, Any]:
    """The query properties matching the prefix."""
    return suggest_property(screener, dataset, prefix)


@router.get("/reconcile/{dataset}/suggest/type")
async def suggest_types(
    dataset: str, screener: ScreenerDep, key: ScreenerKey, prefix: Prefix = ""
) -> dict[str, Any]:
    """The types (FtM schemata) matching the prefix."""
    return suggest_type(screener, dataset, prefix)
