"""``POST /match/{dataset}``: yente's query by example (docs/api.md says what is read)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from ...deps import ScreenerDep, ScreenerKey
from ...errors import InputError
from ...model import Party, Schema, party_from_input
from ...service import Hit, ListView, Screener
from ...service.algorithms import algorithm_version, resolve
from ..models import (
    EntityExample,
    EntityMatches,
    MatchRequest,
    MatchResponse,
    ScoredEntity,
    TotalSpec,
)

router = APIRouter(tags=["Screening"])

#: FollowTheMoney schemata -> ours, for yente-style queries.
FTM_SCHEMA = {
    "person": Schema.PERSON,
    "company": Schema.ORGANIZATION,
    "organization": Schema.ORGANIZATION,
    "publicbody": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "airplane": Schema.AIRCRAFT,
}
OUR_SCHEMA_TO_FTM = {
    Schema.PERSON: "Person",
    Schema.ORGANIZATION: "Organization",
    Schema.VESSEL: "Vessel",
    Schema.AIRCRAFT: "Airplane",
    Schema.UNKNOWN: "LegalEntity",
}
#: yente dataset names that mean "every list".
ALL_DATASETS = ("default", "all", "sanctions")


@router.post("/match/{dataset}", response_model=MatchResponse)
async def match(
    dataset: str,
    body: MatchRequest,
    screener: ScreenerDep,
    key: ScreenerKey,
    threshold: Annotated[
        float | None,
        Query(ge=0.0, le=1.0, description="Lowest score returned (default: the algorithm's)."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 5,
    algorithm: Annotated[
        str | None,
        Query(description="entityscreen (default) or ofac: OFAC Sanctions List Search's score."),
    ] = None,
) -> MatchResponse:
    """yente-compatible query by example: ``queries`` of FollowTheMoney-style
    entities in, scored entries out (see docs/api.md for what is supported)."""
    # Checked before anything is read: an unknown algorithm is a 400 naming the known ones.
    chosen, threshold = resolve(algorithm, threshold)
    view = screener.view()  # one view of the lists for the filter, matches and entries
    lists, source = _dataset_filter(screener, view, dataset)
    names = list(body.queries)
    parties = [_party_from_example(body.queries[n]) for n in names]
    results = screener.screen_many(
        parties, threshold=threshold, limit=limit, lists=lists, view=view, algorithm=chosen
    )
    responses = {}
    for name, result in zip(names, results, strict=True):
        hits = [h for h in result.hits if source is None or h.match.source == source]
        responses[name] = EntityMatches(
            results=[_scored(view, h, threshold) for h in hits],
            total=TotalSpec(value=len(hits)),
            query=body.queries[name],
        )
    return MatchResponse(
        responses=responses,
        matcher={"name": chosen, "version": algorithm_version(chosen)},
        limit=limit,
    )


def _values(example: EntityExample, *props: str) -> list[str]:
    out: list[str] = []
    for prop in props:
        value = example.properties.get(prop)
        if isinstance(value, str):
            value = [value]
        out.extend(v.strip() for v in value or [] if isinstance(v, str) and v.strip())
    return out


def _party_from_example(example: EntityExample) -> Party:
    names = _values(example, "name")
    aliases = _values(example, "alias", "weakAlias", "previousName")
    if not names and aliases:
        names, aliases = aliases[:1], aliases[1:]
    if not names:
        raise InputError("every query needs a 'name' property")
    countries = _values(example, "country", "jurisdiction", "nationality", "citizenship")
    addresses = _values(example, "address")
    birth_dates = _values(example, "birthDate")
    return party_from_input(
        names[0],
        aliases=names[1:] + aliases,
        schema=FTM_SCHEMA.get(example.schema_.lower(), Schema.UNKNOWN),
        country=countries[0] if countries else None,
        address=addresses[0] if addresses else None,
        # FtM dates are ISO prefixes, possibly with a time: the date part is the evidence
        birth_date=birth_dates[0][:10] if birth_dates else None,
        identifiers=_values(example, "idNumber", "registrationNumber", "imoNumber"),
    )


def _dataset_filter(
    screener: Screener, view: ListView, dataset: str
) -> tuple[list[str] | None, str | None]:
    """``(lists, source)`` for a yente dataset name: every list, one list code, or one
    source id (of ``view``'s snapshots)."""
    if dataset.lower() in ALL_DATASETS:
        return None, None
    codes = {c.upper() for s in view.snapshots for c in screener.store.list_counts(s.id)}
    sources = {s.source for s in view.snapshots}
    if dataset.upper() in codes:
        return [dataset.upper()], None
    if dataset in sources:
        return None, dataset
    known = ", ".join(sorted({*ALL_DATASETS, *codes, *sources}))
    raise HTTPException(404, f"unknown dataset {dataset!r}; known: {known}")


def _scored(view: ListView, hit: Hit, threshold: float) -> ScoredEntity:
    m = hit.match
    entry = view.entry(m.entry_id)
    properties: dict[str, list[str]] = {"name": [n.value for n in entry.names]}
    if entry.countries:
        properties["country"] = [c.lower() for c in entry.countries]
    if entry.programs:
        properties["program"] = list(entry.programs)
    numbers = {k: float(v) for k, v in m.features.items() if isinstance(v, int | float)}
    return ScoredEntity(
        id=m.entry_id,
        caption=m.listed_name,
        schema=OUR_SCHEMA_TO_FTM.get(entry.schema, "LegalEntity"),
        properties=properties,
        datasets=[m.source, m.list],
        score=round(m.score, 4),
        match=m.score >= threshold,
        features=numbers,
        explanations={
            "name": {"score": round(m.score, 4), "explanation": m.explanation},
            "legal": {"score": 1.0, "explanation": hit.legal.verdict},
        },
    )
