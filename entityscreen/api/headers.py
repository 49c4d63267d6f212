"""Security headers on every response, of the API and of the web UI (issue #13, item 7).

The UI's pages load nothing but their own stylesheet and inline SVG (no scripts, no
inline styles: ``web/static/style.css``), so their policy allows only that; JSON answers
get the same policy, which they never need to relax. ``/docs`` (Swagger UI, served from
this server by ``api/docs.py``) alone runs scripts: its own files, from ``'self'``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

#: The policy of every response but the two API documentation pages.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
#: ``/docs`` (Swagger UI): its script, its stylesheet and our start script from this
#: server (``api/docs.py``), the spec fetched from here. Swagger UI's styles are a file
#: and the style attributes React sets go through the CSSOM, which style-src does not
#: govern; no CDN, no ``'unsafe-inline'``.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
DOCS_PATHS = frozenset({"/docs"})


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
