"""``/healthz`` and ``/readyz``: no key needed."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ...deps import ScreenerDep
from ...errors import EntityScreenError

router = APIRouter(tags=["Operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(screener: ScreenerDep) -> JSONResponse:
    """Lists are loaded and the index is ready (503 otherwise)."""
    try:
        view = screener.view()
        view.matcher()
    except EntityScreenError as exc:
        return JSONResponse({"status": "not ready", "detail": str(exc)}, status_code=503)
    return JSONResponse({"status": "ready", "snapshots": len(view.snapshots)})
