"""The FastAPI dependencies the HTTP API and the web UI share: the process's Screener and
the one authentication.

Auth: a key is presented as ``Authorization: Bearer KEY``, ``X-API-Key: KEY`` or the web
UI's ``es_key`` cookie. No key, an unknown or a revoked one: 401; a screener key where an
analyst key is needed: 403. The API answers both as JSON; the web UI (``/ui``) turns a 401
into its sign-in page and a 403 into an error page (its handler,
:func:`entityscreen.web.views.auth_failure`).
"""

# A module of its own, below both front ends: the API mounts the web UI, so the UI cannot
# import the API's modules without an import cycle (issue #11).
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from .service import Screener
from .store.access import ApiKey

#: The cookie the web UI keeps the key in (HttpOnly, SameSite=Strict).
KEY_COOKIE = "es_key"


def screener_of(request: Request) -> Screener:
    """The process's screener (opened at start-up by the app's lifespan)."""
    return request.app.state.screener  # type: ignore[no-any-return]


ScreenerDep = Annotated[Screener, Depends(screener_of)]


def key_of(request: Request) -> str:
    """The presented API key: bearer token, X-API-Key header or the UI's cookie."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-api-key") or request.cookies.get(KEY_COOKIE) or ""


class NeedsAnalyst(HTTPException):
    """403: a valid key of the screener role where an analyst key is needed (carries the
    key, so that the web UI can show who is signed in)."""

    def __init__(self, key: ApiKey) -> None:
        super().__init__(403, "this needs an analyst key")
        self.key = key


async def require_screener(request: Request, screener: ScreenerDep) -> ApiKey:
    """Any valid key (screener or analyst); 401 otherwise."""
    found = screener.authenticate(key_of(request))
    if found is None:
        raise HTTPException(401, "a valid API key is required", {"WWW-Authenticate": "Bearer"})
    return found


async def require_analyst(key: Annotated[ApiKey, Depends(require_screener)]) -> ApiKey:
    """An analyst key; 401 without a valid key, 403 with a screener key."""
    if key.role != "analyst":
        raise NeedsAnalyst(key)
    return key


ScreenerKey = Annotated[ApiKey, Depends(require_screener)]
AnalystKey = Annotated[ApiKey, Depends(require_analyst)]

__all__ = [
    "KEY_COOKIE",
    "AnalystKey",
    "NeedsAnalyst",
    "ScreenerDep",
    "ScreenerKey",
    "key_of",
    "require_analyst",
    "require_screener",
    "screener_of",
]
