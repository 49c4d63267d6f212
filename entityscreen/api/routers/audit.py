"""``/audit/export``, ``/audit/head`` and ``/audit/certificate/{target}``: the hash-chained
audit log as JSON lines, its head signed with the store's key, and signed screening
certificates (JSON or PDF; analyst keys only)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response, StreamingResponse

from ...deps import AnalystKey, ScreenerDep

router = APIRouter(tags=["Audit"])


@router.get("/audit/export", response_model=None)
async def audit_export(
    screener: ScreenerDep,
    key: AnalystKey,
    since: Annotated[date | None, Query(alias="from")] = None,
    until: Annotated[date | None, Query(alias="to")] = None,
) -> StreamingResponse:
    """Audit records as JSON lines; header ``X-Audit-Chain`` says whether the chain
    verifies and gives its head hash."""
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


@router.get("/audit/head")
async def audit_head(screener: ScreenerDep, key: AnalystKey) -> dict[str, Any]:
    """The chain head (records, last hash), signed with the store's Ed25519 key, as
    ``entityscreen audit head`` writes it; keep it outside the store and check the log
    against it with ``entityscreen audit verify --head FILE``."""
    return screener.audit_head()


@router.get("/audit/certificate/{target:path}", response_model=None)
async def audit_certificate(
    target: str,
    screener: ScreenerDep,
    key: AnalystKey,
    format: Literal["json", "pdf"] = "json",
) -> Response:
    """A screening certificate signed with the store's key, as ``entityscreen audit
    certificate`` issues it: ``target`` is a screening's audit record (seq or hash,
    ``record:N``) or a party id (``party:ID``: its latest screening, with its alerts and
    decisions). ``?format=pdf``: a PDF with the signed JSON attached. Check it offline
    with ``entityscreen audit verify-certificate FILE``."""
    cert = screener.certificate(target)
    if format == "pdf":
        from ...service.certificate_pdf import certificate_pdf

        name = f"certificate-{cert['record']['seq']}.pdf"
        return Response(
            certificate_pdf(cert),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return JSONResponse(cert)
