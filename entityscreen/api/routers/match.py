"""``POST /match/{dataset}``: yente's query by example, to the letter of yente's models
(docs/api.md, "yente compatibility"); the work is in :mod:`entityscreen.service.yente_match`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from ...deps import ScreenerDep, ScreenerKey
from ...service.yente_match import (
    MatchOptions,
    algorithm_header,
    match_algorithm,
    match_examples,
)
from ..models_yente import EntityMatchResponse, MatchRequest

router = APIRouter(tags=["Screening"])
#: yente's pattern of ``changed_since``: a date, optionally with hours, minutes, seconds.
TS_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?$"


@router.post("/match/{dataset}", response_model=EntityMatchResponse)
async def match(
    dataset: str,
    body: MatchRequest,
    response: Response,
    screener: ScreenerDep,
    key: ScreenerKey,
    threshold: Annotated[
        float | None,
        Query(ge=0.0, le=1.0, description="Score from which a result is a match "
              "(default: the algorithm's)."),
    ] = None,
    cutoff: Annotated[
        float | None,
        Query(ge=0.0, le=1.0, deprecated=True,
              description="Lowest score returned, if below the threshold (as yente's)."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 5,
    algorithm: Annotated[
        str | None,
        Query(description="entityscreen (default) or ofac: OFAC Sanctions List Search's score."),
    ] = None,
    include_dataset: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
    exclude_dataset: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
    topics: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
    exclude_schema: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
    exclude_entity_ids: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
    changed_since: Annotated[
        str | None,
        Query(pattern=TS_PATTERN, description="Only entities changed since (ISO date/time)."),
    ] = None,
) -> dict[str, Any]:
    """yente-compatible query by example: ``queries`` of FollowTheMoney example entities
    in, scored and merged listed entities out, each query echoed normalised."""
    opts = MatchOptions(
        limit=limit,
        threshold=threshold,
        cutoff=cutoff,
        algorithm=algorithm,
        include_dataset=include_dataset,
        exclude_dataset=exclude_dataset,
        topics=topics,
        exclude_schema=exclude_schema,
        exclude_entity_ids=exclude_entity_ids,
        config=body.config,
        changed_since=changed_since,
    )
    queries = {
        name: (q.id, q.schema_, q.properties) for name, q in body.queries.items()
    }
    answer = match_examples(screener, dataset, queries, opts)
    response.headers["X-Algorithm"] = algorithm_header(match_algorithm(algorithm))
    response.headers["X-Batch-Size"] = str(len(answer["responses"]))
    return answer
