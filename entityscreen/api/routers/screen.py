"""``POST /screen``: one party or up to 1,000."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from ...deps import ScreenerDep, ScreenerKey
from ...model import Party, party_from_input
from ...service.serialize import result_to_dict
from ..models import PartyIn, ScreenRequest, ScreenResponse

router = APIRouter(tags=["Screening"])


@router.post("/screen", response_model=ScreenResponse)
async def screen(body: ScreenRequest, screener: ScreenerDep, key: ScreenerKey) -> ScreenResponse:
    """Screen one party or up to 1,000: matches with explanations, legal facts,
    as-of listing, ownership and flags (the JSON of ``entityscreen screen --json``)."""
    if (body.party is None) == (body.parties is None):
        raise HTTPException(400, "give either 'party' or 'parties'")
    given = [body.party] if body.party is not None else list(body.parties or [])
    if not given:
        raise HTTPException(400, "'parties' is empty")
    results = screener.screen_many(
        [_party(p) for p in given],
        threshold=body.threshold,
        limit=body.limit,
        lists=body.lists,
        as_of=body.as_of,
    )
    return ScreenResponse(results=[result_to_dict(r) for r in results])


def _party(p: PartyIn) -> Party:
    return party_from_input(
        p.name,
        id=p.id,
        schema=p.schema_,
        country=p.country,
        address=p.address,
        aliases=p.aliases,
        birth_date=p.birth_date,
        identifiers=p.identifiers,
    )
