"""The web UI's server-side sessions, as methods of
:class:`~entityscreen.service.Screener`: sign in with a key, get a session token for the
cookie; the token, not the key, is what the browser holds (issue #13, item 7)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..settings import Settings
from ..store import SqlStore
from ..store.access import ApiKey


class SessionsMixin:
    """The session methods of :class:`~entityscreen.service.Screener`."""

    store: SqlStore
    settings: Settings

    # Provided by Screener: declared here for the type checker.
    def now(self) -> str:
        raise NotImplementedError

    def open_session(self, key: ApiKey) -> str:
        """A new session of ``key`` lasting ``settings.session_hours``; returns its token."""
        now = self.now()
        ends = datetime.fromisoformat(now) + timedelta(hours=self.settings.session_hours)
        return self.store.create_session(
            key.id, at=now, expires_at=ends.isoformat(timespec="seconds")
        )

    def session_key(self, token: str) -> ApiKey | None:
        """The key a live session signs in as; None when the token is unknown, expired,
        logged out, or its key has been revoked."""
        return self.store.session_key(token, at=self.now()) if token else None

    def close_session(self, token: str) -> None:
        """Log out: the session is deleted (an unknown token is no error)."""
        if token:
            self.store.delete_session(token)


__all__ = ["SessionsMixin"]
