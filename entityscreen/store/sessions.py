"""Store table of the web UI's server-side sessions (migration 9).

A mixin of :class:`~entityscreen.store.sqlite.SqlStore`. The UI's cookie holds a random
256-bit session token; the table holds its sha256 (like API keys: nothing to guess, so
no stretching), the key it signs in as, and when it was created and expires. A session
resolves to its key only while the key is active: revoking a key ends its sessions at
once, without a second write.
"""

from __future__ import annotations

import hashlib
import secrets
from contextlib import AbstractContextManager

from .access import ApiKey
from .dbapi import Connection


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class SessionStore:
    """The ``sessions`` table (mixed into ``SqlStore``)."""

    _conn: Connection

    def transaction(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # provided by SqlStore

    def create_session(self, key_id: int, *, at: str, expires_at: str) -> str:
        """A new session for key ``key_id``; returns its token (only its hash is kept)."""
        token = secrets.token_urlsafe(32)
        with self.transaction() as conn:
            # Expired sessions go whenever a new one is made: the table stays small
            # without a sweeper process.
            conn.execute("DELETE FROM sessions WHERE expires_at <= ?", (at,))
            conn.execute(
                "INSERT INTO sessions(token_hash, key_id, created_at, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (hash_token(token), key_id, at, expires_at),
            )
        return token

    def session_key(self, token: str, *, at: str) -> ApiKey | None:
        """The active key a live session signs in as, or None (unknown, expired, logged
        out, or its key revoked)."""
        row = self._conn.execute(
            "SELECT k.id, k.name, k.role, k.created_at, k.revoked_at"
            " FROM sessions s JOIN api_keys k ON k.id = s.key_id"
            " WHERE s.token_hash = ? AND s.expires_at > ? AND k.revoked_at IS NULL",
            (hash_token(token), at),
        ).fetchone()
        return ApiKey(*row) if row else None

    def delete_session(self, token: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (hash_token(token),))


__all__ = ["SessionStore", "hash_token"]
