"""``/lists``, ``/lists/{source}/diff`` and ``/entities/{id}``: what is loaded."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse

from ...deps import ScreenerDep, ScreenerKey
from ...errors import NotFoundError
from ...service.serialize import (
    diff_to_dict,
    entity_to_dict,
    list_status_to_dict,
    yente_entity_to_dict,
)
from ...service.yente import yente_id
from ...service.yente_match import entry_seen, find_entry, referent_of

router = APIRouter(tags=["Lists"])


@router.get("/entities/{entry_id:path}", response_model=None)
async def entity(
    entry_id: str, screener: ScreenerDep, key: ScreenerKey
) -> dict[str, Any] | RedirectResponse:
    """One entity by its yente id (an OpenSanctions id as such, ``Q7747``) or our entry id
    (``us_ofac_sdn:12345``): yente's EntityResponse fields, then our own (``entry``,
    ``legal``, ``history``, ``versions``). A referent id redirects (308) to its entity, as
    yente does."""
    view = screener.view()
    try:
        current = find_entry(view, entry_id)
    except NotFoundError:
        canonical = referent_of(screener, view, entry_id)
        if canonical is None:
            raise
        return RedirectResponse(f"/entities/{quote(yente_id(canonical))}", status_code=308)
    history = screener.history(current.id)
    seen = entry_seen(screener, view, current.id)
    return yente_entity_to_dict(current, seen) | entity_to_dict(
        current, view.legal(current), history
    )


@router.get("/lists")
async def lists(screener: ScreenerDep, key: ScreenerKey) -> list[dict[str, Any]]:
    """What is loaded: source, list, snapshot, its date and how it was found, its age in
    days and whether it is stale, entries, sha256 (as ``entityscreen lists --json``)."""
    return [list_status_to_dict(r) for r in screener.list_status()]


@router.get("/lists/{source}/diff")
async def lists_diff(
    source: str,
    screener: ScreenerDep,
    key: ScreenerKey,
    from_snapshot: Annotated[int | None, Query(alias="from")] = None,
    to_snapshot: Annotated[int | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    """Added, removed and changed entries between two snapshots (default: latest two), as
    ``entityscreen lists diff --json``."""
    diff = screener.diff(source, from_snapshot=from_snapshot, to_snapshot=to_snapshot)
    return diff_to_dict(diff)
