"""The analyst web UI: server-rendered pages under ``/ui``, another client of the service.

Pages: search (screen a name, with country and as-of date; each list used with its
snapshot date, how it was found, its age and a stale warning), lists (what is loaded,
with the same dates and ages), alerts (the queue, with decide buttons),
list changes (latest diff per source, the parties they hit, and a chart
of additions and removals per snapshot), entry (names, addresses, legal facts, history,
ownership graph) and "about the matcher" (precision-recall curve and score
distributions from the accuracy benchmark). The API key is asked once; the browser then
holds a server-side session's token in an HttpOnly, SameSite=Strict cookie (Secure over
HTTPS), never the key, and every form carries the session's CSRF token (issue #13).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from ..deps import (
    SESSION_COOKIE,
    AnalystKey,
    NeedsAnalyst,
    ScreenerDep,
    ScreenerKey,
    check_csrf,
    csrf_token,
    same_origin,
    session_of,
)
from ..errors import EntityScreenError, InputError
from ..model import AlertStatus, party_from_input
from ..service import DEFAULT_THRESHOLD
from ..service.alert_queue import AlertPage, alert_queue, party_names
from ..service.certificate_pdf import certificate_pdf
from ..service.hit_groups import group_hits
from ..service.serialize import diff_to_dict, list_status_to_dict
from ..store.access import ApiKey
from .charts import changes_chart, ownership_svg

HERE = Path(__file__).resolve().parent
#: Matches shown by default, and at most (the form's "matches shown" field).
DEFAULT_LIMIT, MAX_LIMIT = 10, 100
#: The search form's "kind" choices (value sent, label shown); "" lets the matcher guess.
SCHEMA_CHOICES = (
    ("", "any"),
    ("company", "company / organization"),
    ("person", "person"),
    ("vessel", "vessel"),
    ("aircraft", "aircraft"),
)
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(prefix="/ui", include_in_schema=False)


def _page(request: Request, name: str, user: ApiKey, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, _signed_in(request, user, **context))


def _signed_in(request: Request, user: ApiKey, **context: Any) -> dict[str, Any]:
    """A page's context: who is signed in, and the session's CSRF token for its forms."""
    session = session_of(request)
    return {"user": user, "csrf": csrf_token(session) if session else "", **context}


def auth_failure(request: Request, exc: HTTPException) -> Response | None:
    """The UI's answer to a failed authentication (the app's handler asks it for every
    HTTP error under ``/ui/``): no valid key, to the sign-in page; a screener key where
    an analyst key is needed, an error page. None for any other error."""
    if exc.status_code == 401:
        return RedirectResponse("/ui/login", status_code=303)
    if isinstance(exc, NeedsAnalyst):
        message = "This page needs an analyst key."
        return templates.TemplateResponse(
            request, "error.html", _signed_in(request, exc.key, message=message), 403
        )
    return None


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "login.html", {"user": None, "error": None})


@router.get("/style.css", include_in_schema=False)
async def stylesheet() -> FileResponse:
    """The pages' stylesheet: a file, not an inline <style>, so that the
    Content-Security-Policy can be style-src 'self' (no 'unsafe-inline')."""
    return FileResponse(HERE / "static" / "style.css", media_type="text/css")


@router.post("/login", response_model=None)
async def login(request: Request, screener: ScreenerDep, key: str = Form(...)) -> Response:
    if not same_origin(request):  # no session yet, so no CSRF token: the origin must do
        raise HTTPException(403, "cross-origin request refused")
    found = screener.authenticate(key.strip())
    if found is None:
        return templates.TemplateResponse(
            request, "login.html", {"user": None, "error": "unknown or revoked key"}, 401
        )
    screener.close_session(session_of(request))
    response = RedirectResponse("/ui/", status_code=303)
    # Secure when the request came over HTTPS; behind a proxy, uvicorn takes the scheme
    # from X-Forwarded-Proto of the proxies FORWARDED_ALLOW_IPS trusts (docs/api.md).
    response.set_cookie(
        SESSION_COOKIE,
        screener.open_session(found),
        max_age=int(screener.settings.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
async def logout(
    request: Request, screener: ScreenerDep, user: ScreenerKey, csrf: str = Form("")
) -> RedirectResponse:
    check_csrf(request, csrf)
    screener.close_session(session_of(request))
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", response_class=HTMLResponse, response_model=None)
async def search(
    request: Request,
    screener: ScreenerDep,
    user: ScreenerKey,
    name: str | None = None,
    country: str | None = None,
    as_of: str | None = None,
    schema: str | None = None,
    birth_date: str | None = None,
    id_number: str | None = None,
    limit: str | None = None,
) -> Response:
    result, error = None, None
    most = int(limit) if limit and limit.strip().isdigit() else DEFAULT_LIMIT
    if name and name.strip():
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError:
            day, error = None, f"as-of date must be YYYY-MM-DD, got {as_of!r}"
        if limit and not 1 <= most <= MAX_LIMIT:
            error = f"matches shown must be a whole number from 1 to {MAX_LIMIT}, got {limit!r}"
        if error is None:
            try:
                party = party_from_input(
                    name,
                    country=country,
                    schema=schema,
                    birth_date=birth_date,
                    identifiers=id_number,
                )
                result = screener.screen(party, as_of=day, limit=most)
            except EntityScreenError as exc:
                error = str(exc)
    # Certificates are for analyst keys (as GET /audit/certificate): linked for them only.
    record = screener.screening_record(result) if result and user.role == "analyst" else None
    return _page(
        request,
        "search.html",
        user,
        query=name or "",
        country=country or "",
        as_of=as_of or "",
        schema=schema or "",
        schemas=SCHEMA_CHOICES,
        birth_date=birth_date or "",
        id_number=id_number or "",
        limit=most,
        result=result,
        groups=group_hits(result.hits) if result else [],
        more=min(MAX_LIMIT, max(most * 2, (result.total or 0) if result else 0)),
        error=error,
        record=record,
    )


@router.get("/alerts", response_class=HTMLResponse, response_model=None)
async def alerts(
    request: Request,
    screener: ScreenerDep,
    user: AnalystKey,
    status: str = "open",
    q: str = "",
    list_code: str = Query("", alias="list"),
    page: str = "1",
) -> Response:
    """The queue grouped by party, searchable and paged (:func:`alert_queue`)."""
    filters = {"status": status, "q": q, "list": list_code}
    number = int(page) if page.strip().isdigit() else 0
    queue: AlertPage | None = None
    error: str | None = f"page must be a whole number from 1, got {page!r}"
    if number >= 1:
        try:
            queue = alert_queue(
                screener, status=status or None, search=q, list_code=list_code, page=number
            )
            error = None
        except InputError as exc:
            error = str(exc)
    shown = [a for g in queue.groups for a in g.alerts] if queue else []
    decided = {a.id: d[-1] for a in shown if (d := screener.decisions(a.id))}
    return _page(
        request,
        "alerts.html",
        user,
        queue=queue,
        error=error,
        filters=filters,
        statuses=[s.value for s in AlertStatus],
        decided=decided,
        link=lambda n: "/ui/alerts?" + urlencode({**filters, "page": n}),
        here=urlencode({**filters, "page": queue.page if queue else 1}),
    )


@router.post("/alerts/{alert_id}/decide", response_model=None)
async def decide(
    request: Request,
    alert_id: int,
    screener: ScreenerDep,
    user: AnalystKey,
    verdict: str = Form(...),
    reason: str = Form(""),
    csrf: str = Form(""),
    back: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    try:
        screener.decide(alert_id, verdict, reason=reason, actor=user.actor)
    except InputError as exc:
        return _page(request, "error.html", user, message=str(exc))
    # Back to the page and filters the decision was made on; only a query string of the
    # queue's own parameters, re-encoded, so that the field cannot redirect elsewhere.
    pairs = parse_qsl(back, keep_blank_values=True)
    kept = {k: v for k, v in pairs if k in ("status", "q", "list", "page")}
    return RedirectResponse("/ui/alerts?" + urlencode(kept) if kept else "/ui/alerts", 303)


@router.get("/certificate/{target:path}", response_model=None)
async def certificate(
    request: Request, screener: ScreenerDep, user: AnalystKey, target: str, format: str = "pdf"
) -> Response:
    """A signed screening certificate (PDF, or JSON with ``?format=json``): the service's,
    as ``GET /audit/certificate/{target}`` gives it."""
    try:
        cert = screener.certificate(target)
    except EntityScreenError as exc:
        page = _page(request, "error.html", user, message=str(exc))
        page.status_code = exc.status_code if exc.status_code < 500 else 503
        return page
    if format == "json":
        return JSONResponse(cert)
    name = f"certificate-{cert['record']['seq']}.pdf"
    return Response(
        certificate_pdf(cert),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/lists", response_class=HTMLResponse, response_model=None)
async def lists(request: Request, screener: ScreenerDep, user: ScreenerKey) -> Response:
    rows = [list_status_to_dict(r) for r in screener.list_status()]
    return _page(request, "lists.html", user, rows=rows)


@router.get("/changes", response_class=HTMLResponse, response_model=None)
async def changes(request: Request, screener: ScreenerDep, user: ScreenerKey) -> Response:
    sources = sorted({s.source for s in screener.snapshots()})
    diffs = []
    hit_by_entry: dict[str, list[str]] = {}
    for alert in screener.alerts():
        hit_by_entry.setdefault(alert.entry_id, []).append(alert.party_id)
    names = party_names(screener)
    for source in sources:
        diff = diff_to_dict(screener.diff(source))
        # Each changed entry that hit a party: its name and list, how it changed, and
        # the parties by their own names (issue #14: the table showed bare ids).
        diff["hits"] = [
            {
                **item,
                "change": change,
                "parties": [(pid, names.get(pid, pid)) for pid in hit_by_entry[item["id"]]],
            }
            for change in ("added", "changed", "removed")
            for item in diff[change]
            if item["id"] in hit_by_entry
        ]
        diffs.append(diff)
    chart = changes_chart(screener.change_history())
    return _page(request, "changes.html", user, diffs=diffs, chart=chart)


@router.get("/entities/{entry_id:path}", response_class=HTMLResponse, response_model=None)
async def entity(
    request: Request, entry_id: str, screener: ScreenerDep, user: ScreenerKey
) -> Response:
    view = screener.view()  # the entry, its legal facts and its owners from one view
    try:
        entry = view.entry(entry_id)
    except EntityScreenError as exc:
        return _page(request, "error.html", user, message=str(exc))
    history = screener.history(entry_id)
    graph = ownership_svg(screener.ownership_around(entry_id, view=view), entry_id)
    return _page(
        request,
        "entity.html",
        user,
        entry=entry,
        legal=view.legal(entry),
        history=history,
        graph=graph,
    )


@router.get("/about", response_class=HTMLResponse, response_model=None)
async def about(request: Request, user: ScreenerKey) -> Response:
    static = HERE / "static"
    images = {
        name: (static / f"{name}.svg").read_text(encoding="utf-8")
        for name in ("pr_curve", "score_distribution")
        if (static / f"{name}.svg").is_file()
    }
    return _page(request, "about.html", user, images=images, threshold=DEFAULT_THRESHOLD)
