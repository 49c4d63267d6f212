"""The FastAPI dependencies the HTTP API and the web UI share: the process's Screener and
the one authentication.

Auth: a key is presented as ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``; the web
UI signs in once and then presents a session cookie (``es_session``: a random token
whose hash the store keeps with the key's id and an expiry, never the key itself). No
key, an unknown or a revoked one, or an expired or logged-out session: 401; a screener
key where an analyst key is needed: 403. The API answers both as JSON; the web UI
(``/ui``) turns a 401 into its sign-in page and a 403 into an error page (its handler,
:func:`entityscreen.web.views.auth_failure`).

Cross-site requests (issue #13, item 7): a state-changing request authenticated by the
cookie must come from the server's own origin (its ``Origin``, or else its ``Referer``,
names the request's ``Host``), and the UI's forms also carry a per-session CSRF token
(:func:`csrf_token`, checked by :func:`check_csrf`); either failing is a 403. A request
with the key in a header needs neither: a browser never adds that header on its own.
"""

# A module of its own, below both front ends: the API mounts the web UI, so the UI cannot
# import the API's modules without an import cycle (issue #11).
from __future__ import annotations

import hashlib
import hmac
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request

from .service import Screener
from .store.access import ApiKey

#: The cookie the web UI keeps its session token in (HttpOnly, SameSite=Strict, Secure
#: over HTTPS).
SESSION_COOKIE = "es_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def screener_of(request: Request) -> Screener:
    """The process's screener (opened at start-up by the app's lifespan)."""
    return request.app.state.screener  # type: ignore[no-any-return]


ScreenerDep = Annotated[Screener, Depends(screener_of)]


def key_of(request: Request) -> str:
    """The API key presented in a header (bearer token or X-API-Key), or ""."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-api-key") or ""


def session_of(request: Request) -> str:
    """The web UI's session token from its cookie, or ""."""
    return request.cookies.get(SESSION_COOKIE) or ""


def csrf_token(session: str) -> str:
    """The CSRF token of a session: derived from the session token, so that nothing more
    is stored, and unknowable without the (HttpOnly) cookie."""
    return hmac.new(session.encode("utf-8", "surrogatepass"), b"csrf", hashlib.sha256).hexdigest()


def same_origin(request: Request) -> bool:
    """Whether the request's ``Origin`` (or, without one, its ``Referer``) names this
    server's host. A request with neither (not from a browser) passes: the CSRF token
    still guards the UI's forms."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return True
    # The host and port, not the scheme: behind a TLS proxy the browser's origin is https
    # while the request reaching us may be http; another site differs in its host anyway.
    host = request.headers.get("host", "").lower()
    return bool(host) and urlsplit(source).netloc.lower() == host


def check_csrf(request: Request, token: str) -> None:
    """403 unless a form post authenticated by the session cookie carries the session's
    CSRF token (a post with the key in a header needs none)."""
    session = getattr(request.state, "session", "")
    if session and not hmac.compare_digest(token.encode(), csrf_token(session).encode()):
        raise HTTPException(403, "the form's CSRF token is missing or wrong; reload the page")


class NeedsAnalyst(HTTPException):
    """403: a valid key of the screener role where an analyst key is needed (carries the
    key, so that the web UI can show who is signed in)."""

    def __init__(self, key: ApiKey) -> None:
        super().__init__(403, "this needs an analyst key")
        self.key = key


async def require_screener(request: Request, screener: ScreenerDep) -> ApiKey:
    """Any valid key (screener or analyst), from a header or the UI's session; 401
    otherwise, 403 for a cross-origin state-changing request with the session cookie."""
    key = key_of(request)
    session = "" if key else session_of(request)
    found = screener.authenticate(key) if key else screener.session_key(session)
    if found is None:
        raise HTTPException(401, "a valid API key is required", {"WWW-Authenticate": "Bearer"})
    request.state.session = session
    if session and request.method not in SAFE_METHODS and not same_origin(request):
        raise HTTPException(403, "cross-origin request refused")
    return found


async def require_analyst(key: Annotated[ApiKey, Depends(require_screener)]) -> ApiKey:
    """An analyst key; 401 without a valid key, 403 with a screener key."""
    if key.role != "analyst":
        raise NeedsAnalyst(key)
    return key


ScreenerKey = Annotated[ApiKey, Depends(require_screener)]
AnalystKey = Annotated[ApiKey, Depends(require_analyst)]

__all__ = [
    "SESSION_COOKIE",
    "AnalystKey",
    "NeedsAnalyst",
    "ScreenerDep",
    "ScreenerKey",
    "check_csrf",
    "csrf_token",
    "key_of",
    "require_analyst",
    "require_screener",
    "same_origin",
    "screener_of",
    "session_of",
]
