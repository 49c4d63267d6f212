"""The HTTP API: a thin FastAPI layer over :class:`entityscreen.service.Screener`.

One ``Screener`` per process, created at start-up and used from the event loop thread
only (endpoints are ``async`` and call it directly): the SQLite connection stays on one
thread, and screening is CPU work that threads would not speed up anyway. Scale out with
``entityscreen serve --workers N`` (processes). Batch jobs run in a thread with their own
store connection.

Auth: every endpoint but ``/healthz``, ``/readyz`` and the OpenAPI pages needs an API key
(``Authorization: Bearer KEY`` or ``X-API-Key: KEY``; the web UI keeps it in a cookie).
Roles: ``screener`` (screen, match, entities, lists, batch) and ``analyst`` (all of that,
plus alerts, decisions and the audit log). No key or an unknown key: 401; a screener key on
an analyst endpoint: 403.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse

from ..errors import EntityScreenError, InputError
from ..model import Party, Schema, party_from_input
from ..service import ALGORITHM_VERSION, DEFAULT_THRESHOLD, Hit, ListView, Screener
from ..service.serialize import (
    alert_to_dict,
    decision_to_dict,
    diff_to_dict,
    entity_to_dict,
    job_to_dict,
    list_status_to_dict,
    result_to_dict,
)
from ..store.access import ApiKey
from .models import (
    DecisionIn,
    EntityExample,
    EntityMatches,
    ErrorResponse,
    MatchRequest,
    MatchResponse,
    PartyIn,
    ScoredEntity,
    ScreenRequest,
    ScreenResponse,
    TotalSpec,
)

#: Largest request body accepted (JSON requests); batch uploads may be larger.
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

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


class BodyLimit:
    """Refuses request bodies over the limit with 413, counted as they stream in (a
    missing or false Content-Length does not get past it)."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = MAX_UPLOAD_BYTES if scope.get("path") == "/batch" else MAX_BODY_BYTES
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge:
            await _too_large(send, limit)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Any, limit: int) -> None:
    body = json.dumps({"detail": f"request body larger than {limit:,} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def screener_of(request: Request) -> Screener:
    """The process's screener (opened at start-up)."""
    return request.app.state.screener  # type: ignore[no-any-return]


def key_of(request: Request) -> str:
    """The presented API key: bearer token, X-API-Key header or the UI's cookie."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-api-key") or request.cookies.get("es_key") or ""


def _authenticate(request: Request, role: str) -> ApiKey:
    found = screener_of(request).authenticate(key_of(request))
    if found is None:
        raise HTTPException(401, "a valid API key is required", {"WWW-Authenticate": "Bearer"})
    if role == "analyst" and found.role != "analyst":
        raise HTTPException(403, "this needs an analyst key")
    return found


async def require_screener(request: Request) -> ApiKey:
    """Any valid key (screener or analyst)."""
    return _authenticate(request, "screener")


async def require_analyst(request: Request) -> ApiKey:
    """An analyst key."""
    return _authenticate(request, "analyst")


ScreenerKey = Annotated[ApiKey, Depends(require_screener)]
AnalystKey = Annotated[ApiKey, Depends(require_analyst)]


def create_app(home: Path | str | None = None) -> FastAPI:
    """The API (and the web UI under ``/ui``) over the store in ``home``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        screener = Screener.open(home)
        app.state.screener = screener
        try:
            yield
        finally:
            screener.close()

    app = FastAPI(
        title="entityscreen",
        version=ALGORITHM_VERSION,
        summary="Restricted-party screening with the export-control meaning of every hit.",
        lifespan=lifespan,
        responses={
            400: {"model": ErrorResponse},
            401: {"model": ErrorResponse},
            403: {"model": ErrorResponse},
            404: {"model": ErrorResponse},
        },
    )
    app.add_middleware(BodyLimit)

    @app.exception_handler(EntityScreenError)
    async def on_error(request: Request, exc: EntityScreenError) -> JSONResponse:
        status = exc.status_code if exc.status_code < 500 else 503
        return JSONResponse({"detail": str(exc)}, status_code=status)

    @app.get("/healthz", tags=["Operations"])
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["Operations"])
    async def readyz(request: Request) -> JSONResponse:
        """Lists are loaded and the index is ready (503 otherwise)."""
        try:
            view = screener_of(request).view()
            view.matcher()
        except EntityScreenError as exc:
            return JSONResponse({"status": "not ready", "detail": str(exc)}, status_code=503)
        return JSONResponse({"status": "ready", "snapshots": len(view.snapshots)})

    @app.post("/screen", response_model=ScreenResponse, tags=["Screening"])
    async def screen(body: ScreenRequest, request: Request, key: ScreenerKey) -> ScreenResponse:
        """Screen one party or up to 1,000: matches with explanations, legal facts,
        as-of listing, ownership and flags (the JSON of ``entityscreen screen --json``)."""
        if (body.party is None) == (body.parties is None):
            raise HTTPException(400, "give either 'party' or 'parties'")
        given = [body.party] if body.party is not None else list(body.parties or [])
        if not given:
            raise HTTPException(400, "'parties' is empty")
        results = screener_of(request).screen_many(
            [_party(p) for p in given],
            threshold=body.threshold,
            limit=body.limit,
            lists=body.lists,
            as_of=body.as_of,
        )
        return ScreenResponse(results=[result_to_dict(r) for r in results])

    @app.post("/match/{dataset}", response_model=MatchResponse, tags=["Screening"])
    async def match(
        dataset: str,
        body: MatchRequest,
        request: Request,
        key: ScreenerKey,
        threshold: Annotated[float, Query(ge=0.0, le=1.0)] = DEFAULT_THRESHOLD,
        limit: Annotated[int, Query(ge=1, le=100)] = 5,
    ) -> MatchResponse:
        """yente-compatible query by example: ``queries`` of FollowTheMoney-style
        entities in, scored entries out (see docs/api.md for what is supported)."""
        screener = screener_of(request)
        view = screener.view()  # one view of the lists for the filter, matches and entries
        lists, source = _dataset_filter(screener, view, dataset)
        names = list(body.queries)
        parties = [_party_from_example(body.queries[n]) for n in names]
        results = screener.screen_many(
            parties, threshold=threshold, limit=limit, lists=lists, view=view
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
            matcher={"name": "entityscreen", "version": ALGORITHM_VERSION},
            limit=limit,
        )

    @app.get("/entities/{entry_id:path}", tags=["Lists"])
    async def entity(entry_id: str, request: Request, key: ScreenerKey) -> dict[str, Any]:
        """One entry: its current version, legal facts and its history across snapshots."""
        screener = screener_of(request)
        history = screener.history(entry_id)
        view = screener.view()
        current = view.entry(entry_id)
        return entity_to_dict(current, view.legal(current), history)

    @app.get("/lists", tags=["Lists"])
    async def lists(request: Request, key: ScreenerKey) -> list[dict[str, Any]]:
        """What is loaded: source, list, snapshot, its date and how it was found, its age in
        days and whether it is stale, entries, sha256 (as ``entityscreen lists --json``)."""
        return [list_status_to_dict(r) for r in screener_of(request).list_status()]

    @app.get("/lists/{source}/diff", tags=["Lists"])
    async def lists_diff(
        source: str,
        request: Request,
        key: ScreenerKey,
        from_snapshot: Annotated[int | None, Query(alias="from")] = None,
        to_snapshot: Annotated[int | None, Query(alias="to")] = None,
    ) -> dict[str, Any]:
        """Added, removed and changed entries between two snapshots (default: latest two)."""
        diff = screener_of(request).diff(
            source, from_snapshot=from_snapshot, to_snapshot=to_snapshot
        )
        return diff_to_dict(diff)

    @app.post("/batch", tags=["Batch"], status_code=202)
    async def batch(
        request: Request,
        key: ScreenerKey,
        threshold: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        as_of: date | None = None,
    ) -> dict[str, Any]:
        """Upload a CSV (or JSON lines, by Content-Type ``application/x-ndjson``) of
        parties; screening runs in the background. Poll ``/batch/{id}``, then download."""
        data = await request.body()
        if not data.strip():
            raise HTTPException(400, "empty upload")
        kind = "jsonl" if "ndjson" in request.headers.get("content-type", "") else "csv"
        job = screener_of(request).submit_batch(
            data, kind=kind, threshold=threshold, limit=limit, as_of=as_of
        )
        return job_to_dict(job)

    @app.get("/batch/{job_id}", tags=["Batch"])
    async def batch_status(job_id: str, request: Request, key: ScreenerKey) -> dict[str, Any]:
        """A batch job's status: queued, running, done or failed."""
        return job_to_dict(screener_of(request).batch_job(job_id))

    @app.get("/batch/{job_id}/download", tags=["Batch"], response_model=None)
    async def batch_download(job_id: str, request: Request, key: ScreenerKey) -> FileResponse:
        """The job's output: CSV in the format of ``entityscreen batch``."""
        path = screener_of(request).batch_output(job_id)
        return FileResponse(path, media_type="text/csv", filename=f"hits-{job_id}.csv")

    @app.get("/alerts", tags=["Alerts"])
    async def alerts(
        request: Request, key: AnalystKey, status: str | None = None
    ) -> list[dict[str, Any]]:
        """The alert queue (``status``: open, false-positive, true-match, escalated)."""
        return [alert_to_dict(a) for a in screener_of(request).alerts(status=status)]

    @app.post("/alerts/{alert_id}/decision", tags=["Alerts"])
    async def decide(
        alert_id: int, body: DecisionIn, request: Request, key: AnalystKey
    ) -> dict[str, Any]:
        """Decide an alert; the decision is kept forever and audited."""
        decision = screener_of(request).decide(
            alert_id, body.verdict, reason=body.reason, by=body.by or key.name
        )
        return decision_to_dict(decision)

    @app.get("/audit/export", tags=["Audit"], response_model=None)
    async def audit_export(
        request: Request,
        key: AnalystKey,
        since: Annotated[date | None, Query(alias="from")] = None,
        until: Annotated[date | None, Query(alias="to")] = None,
    ) -> StreamingResponse:
        """Audit records as JSON lines; header ``X-Audit-Chain`` says whether the chain
        verifies and gives its head hash."""
        from datetime import timedelta

        screener = screener_of(request)
        check = screener.verify_audit()
        end = until + timedelta(days=1) if until else None
        records = [r.to_dict() for r in screener.audit_records(since=since, until=end)]
        lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        state = "verified" if check.ok else f"broken: {check.problem}"
        return StreamingResponse(
            lines,
            media_type="application/x-ndjson",
            headers={"X-Audit-Chain": f"{state}; head {check.head}"},
        )

    from ..web.views import router as web_router

    app.include_router(web_router)
    return app


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


__all__ = ["create_app"]
