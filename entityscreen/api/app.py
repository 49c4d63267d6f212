"""The HTTP API: a thin FastAPI layer over :class:`entityscreen.service.Screener`.

One ``Screener`` per process, created at start-up and used from the event loop thread
only (endpoints are ``async`` and call it directly): the SQLite connection stays on one
thread, and screening is CPU work that threads would not speed up anyway. Scale out with
``entityscreen serve --workers N`` (processes). Batch jobs run in a thread with their own
store connection.

Auth: every endpoint but ``/healthz``, ``/readyz`` and the OpenAPI pages needs an API key
(``Authorization: Bearer KEY`` or ``X-API-Key: KEY``; the web UI signs in once and keeps
a server-side session's token in a cookie).
Roles: ``screener`` (screen, match, entities, lists, batch) and ``analyst`` (all of that,
plus alerts, decisions and the audit log). No key or an unknown key: 401; a screener key on
an analyst endpoint: 403. The one authentication, shared with the web UI, and the
``ScreenerDep`` the routes take are in :mod:`entityscreen.deps`; the routes themselves, by
subject, in :mod:`entityscreen.api.routers`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import EntityScreenError
from ..service import ALGORITHM_VERSION, Screener
from ..settings import Settings
from ..web.views import auth_failure
from ..web.views import router as web_router
from .docs import docs_router
from .guards import JsonGuard
from .headers import SecurityHeaders
from .models import ErrorResponse
from .routers import ROUTERS

#: Largest request body accepted (JSON requests); batch uploads may be larger.
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: Largest form post (the web UI's forms hold a key, a verdict, a reason): below the
#: form parser's own 1 MB per-field limit, whose 400 would otherwise answer first.
MAX_FORM_BYTES = 64 * 1024


class BodyLimit:
    """Refuses request bodies over the limit with 413, counted as they stream in (a
    missing or false Content-Length does not get past it)."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        limit = _limit(scope.get("path"), headers.get(b"content-type", b""))
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
                    raise _BodyTooLarge(limit)
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge:
            await _too_large(send, limit)


def _limit(path: str | None, content_type: bytes) -> int:
    if path == "/batch":
        return MAX_UPLOAD_BYTES
    kind = content_type.split(b";", 1)[0].strip().lower()
    if kind in (b"application/x-www-form-urlencoded", b"multipart/form-data"):
        return MAX_FORM_BYTES
    return MAX_BODY_BYTES


class _BodyTooLarge(StarletteHTTPException):
    """Raised while the body streams in. An HTTPException, because FastAPI's body parser
    turns any other exception into 400 "error parsing the body" (issue #13, item 8): this
    one it re-raises, and it reaches BodyLimit or the app's handler as a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit:,} bytes")


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


def create_app(settings: Settings | Path | str | None = None) -> FastAPI:
    """The API (and the web UI under ``/ui``) over the store ``settings`` name.

    Args:
        settings: The service's settings (``entityscreen serve`` passes them); a store
            folder is short for :meth:`Settings.from_env` of it, and None reads them all
            from the environment (``uvicorn --factory entityscreen.api.app:create_app``).
    """
    chosen = settings if isinstance(settings, Settings) else Settings.from_env(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        screener = Screener.open(settings=chosen)
        # A server never builds a list index on a request's time when the importing
        # process is saving it (see Screener.defer_view_builds).
        screener.defer_view_builds = True
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
        # /docs is served by docs_router from local files; Redoc ships in no wheel and
        # loads from a CDN, so it is off (issue #14: blank pages on air-gapped sites).
        docs_url=None,
        redoc_url=None,
        responses={
            400: {"model": ErrorResponse},
            401: {"model": ErrorResponse},
            403: {"model": ErrorResponse},
            404: {"model": ErrorResponse},
        },
    )
    # Added first, so that it runs inside BodyLimit: a body is counted before it is read.
    app.add_middleware(JsonGuard)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # last added, outermost: on every answer
    app.add_exception_handler(EntityScreenError, on_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(web_router)
    app.include_router(docs_router(app.title, app.openapi_url or "/openapi.json"))
    app.add_api_route("/", home, include_in_schema=False)
    return app


async def home() -> RedirectResponse:
    """``/`` leads a browser to the web UI (which asks for a key when it needs one)."""
    return RedirectResponse("/ui/", status_code=307)


async def on_error(request: Request, exc: Exception) -> JSONResponse:
    """The package's own errors as JSON, with their status (a store failure is 503)."""
    assert isinstance(exc, EntityScreenError)
    status = exc.status_code if exc.status_code < 500 else 503
    return JSONResponse({"detail": str(exc)}, status_code=status)


async def on_http_error(request: Request, exc: Exception) -> Response:
    """HTTP errors as FastAPI answers them, except that the web UI answers a failed
    authentication with its own pages (sign-in, "needs an analyst key")."""
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path.startswith("/ui/"):
        page = auth_failure(request, exc)
        if page is not None:
            return page
    return await http_exception_handler(request, exc)


__all__ = ["create_app"]
