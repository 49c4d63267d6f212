"""``/batch``: upload a file of parties, screen it in the background, download hits."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse

from ...deps import ScreenerDep, ScreenerKey
from ...service.serialize import job_to_dict

router = APIRouter(tags=["Batch"])


@router.post("/batch", status_code=202)
async def batch(
    request: Request,
    screener: ScreenerDep,
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
    job = screener.submit_batch(
        data, kind=kind, threshold=threshold, limit=limit, as_of=as_of, key=key
    )
    return job_to_dict(job)


@router.get("/batch/{job_id}")
async def batch_status(job_id: str, screener: ScreenerDep, key: ScreenerKey) -> dict[str, Any]:
    """A batch job's status: queued, running, done or failed. 404 for another screener
    key's job (analysts see every job)."""
    return job_to_dict(screener.batch_job(job_id, key))


@router.get("/batch/{job_id}/download", response_model=None)
async def batch_download(job_id: str, screener: ScreenerDep, key: ScreenerKey) -> FileResponse:
    """The job's output: CSV in the format of ``entityscreen batch``; 404 for another
    screener key's job."""
    path = screener.batch_output(job_id, key)
    return FileResponse(path, media_type="text/csv", filename=f"hits-{job_id}.csv")
