"""``/alerts``: the alert queue and analysts' decisions (analyst keys only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...deps import AnalystKey, ScreenerDep
from ...service.serialize import alert_to_dict, decision_to_dict
from ..models import DecisionIn

router = APIRouter(tags=["Alerts"])


@router.get("/alerts")
async def alerts(
    screener: ScreenerDep, key: AnalystKey, status: str | None = None
) -> list[dict[str, Any]]:
    """The alert queue (``status``: open, false-positive, true-match, escalated)."""
    return [alert_to_dict(a) for a in screener.alerts(status=status)]


@router.post("/alerts/{alert_id}/decision")
async def decide(
    alert_id: int, body: DecisionIn, screener: ScreenerDep, key: AnalystKey
) -> dict[str, Any]:
    """Decide an alert; the decision is kept forever and audited as made by the key that
    made the request (``actor``); ``by`` is only a note beside it."""
    decision = screener.decide(
        alert_id, body.verdict, reason=body.reason, by=body.by, actor=key.actor
    )
    return decision_to_dict(decision)
