"""Security headers on every response, of the API and of the web UI (issue #13, item 7).

The UI's pages load nothing but their own stylesheet and inline SVG (no scripts, no
inline styles: ``web/static/style.css``), so their policy allows only that; JSON answers
get the same policy, which they never need to relax. FastAPI's ``/docs`` and ``/redoc``
load their scripts and styles from a CDN and start them with an inline script: those two
pages alone get a policy that allows exactly that CDN, inline scripts and blob workers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

#: The policy of every response but the two API documentation pages.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
#: ``/docs`` (Swagger UI) and ``/redoc``: their CDN, their inline start-up script, the
#: spec fetched from this server, FastAPI's favicon, Redoc's web worker.
DOCS_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    """The headers every response to ``path`` carries."""
    policy = DOCS_CSP if path in DOCS_PATHS else CSP
    return [
        (b"content-security-policy", policy.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
    ]


class SecurityHeaders:
    """ASGI middleware: adds :func:`security_headers` to every HTTP response (the
    outermost middleware, so that the 413 and 422 answers of the guards get them too)."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope.get("path", ""))

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(n, v) for n, v in extra if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, with_headers)


__all__ = ["CSP", "DOCS_CSP", "SecurityHeaders", "security_headers"]
