"""Store tables of the HTTP API: API keys (hashed at rest) and batch jobs.

A mixin of :class:`~entityscreen.store.sqlite.SqliteStore`. Keys are random 192-bit
tokens, so a plain sha256 of the key is enough at rest (no password stretching needed:
there is nothing to guess); the key itself is shown once, when created.
"""

from __future__ import annotations

import hashlib
import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass

from ..errors import InputError, NotFoundError
from ..model import Actor
from . import audit
from .audit import AuditKind
from .dbapi import Connection

#: What each role may do; an analyst may do everything a screener may.
ROLES = ("screener", "analyst")


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key (never the key itself)."""

    id: int
    name: str
    role: str
    created_at: str
    revoked_at: str | None

    @property
    def actor(self) -> Actor:
        """Who a request authenticated with this key is (recorded with what it changes)."""
        return Actor.key(self.id, self.name, self.role)


@dataclass(frozen=True, slots=True)
class BatchJob:
    """An API batch job: ``status`` queued, running, done or failed."""

    id: str
    status: str
    rows: int
    output_rows: int
    message: str | None
    created_at: str
    updated_at: str
    #: The key that created the job (None for jobs older than migration 9).
    key_id: int | None = None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _audit_key(
    conn: Connection, event: str, key_id: int, name: str, role: str, actor: Actor, *, at: str
) -> None:
    data = {"event": event, "key": key_id, "name": name, "role": role, "actor": actor.to_dict()}
    audit.append(conn, AuditKind.KEY, data, at=at)


class AccessStore:
    """API key and batch job tables (mixed into ``SqliteStore``)."""

    _conn: Connection

    def transaction(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # provided by SqliteStore

    def create_key(self, name: str, role: str, *, actor: Actor, at: str) -> tuple[ApiKey, str]:
        """A new key for ``role``; returns the record and the key (shown only now). The
        creation is audited with who made it."""
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        if not name.strip():
            raise InputError("a key needs a name (who or what uses it)")
        key = "es_" + secrets.token_urlsafe(24)
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO api_keys(name, role, key_hash, created_at) VALUES (?, ?, ?, ?)"
                " RETURNING id",
                (name.strip(), role, hash_key(key), at),
            ).fetchone()
            _audit_key(conn, "created", int(row[0]), name.strip(), role, actor, at=at)
        return ApiKey(int(row[0]), name.strip(), role, at, None), key

    def revoke_key(self, key_id: int, *, actor: Actor, at: str) -> ApiKey:
        """Revoke an active key (audited with who revoked it)."""
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (at, key_id),
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"no active key {key_id}")
            key = self.get_key(key_id)
            _audit_key(conn, "revoked", key_id, key.name, key.role, actor, at=at)
        return key

    def get_key(self, key_id: int) -> ApiKey:
        row = self._conn.execute(
            "SELECT id, name, role, created_at, revoked_at FROM api_keys WHERE id = ?",
            (key_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no key {key_id}")
        return ApiKey(*row)

    def keys(self) -> list[ApiKey]:
        rows = self._conn.execute(
            "SELECT id, name, role, created_at, revoked_at FROM api_keys ORDER BY id"
        )
        return [ApiKey(*r) for r in rows]

    def find_key(self, key: str) -> ApiKey | None:
        """The active key record for a presented key, or None."""
        row = self._conn.execute(
            "SELECT id, name, role, created_at, revoked_at FROM api_keys"
            " WHERE key_hash = ? AND revoked_at IS NULL",
            (hash_key(key),),
        ).fetchone()
        return ApiKey(*row) if row else None

    # --- batch jobs ------------------------------------------------------------------

    def create_job(self, *, at: str, key_id: int | None = None) -> BatchJob:
        job_id = secrets.token_hex(8)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO batch_jobs(id, status, created_at, updated_at, key_id)"
                " VALUES (?, 'queued', ?, ?, ?)",
                (job_id, at, at, key_id),
            )
        return self.get_job(job_id)

    def update_job(
        self,
        job_id: str,
        *,
        status: str,
        at: str,
        rows: int = 0,
        output_rows: int = 0,
        message: str | None = None,
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE batch_jobs SET status = ?, rows = ?, output_rows = ?, message = ?,"
                " updated_at = ? WHERE id = ?",
                (status, rows, output_rows, message, at, job_id),
            )

    def get_job(self, job_id: str) -> BatchJob:
        row = self._conn.execute(
            "SELECT id, status, rows, output_rows, message, created_at, updated_at, key_id"
            " FROM batch_jobs WHERE id = ?",
            (job_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no batch job {job_id!r}")
        return BatchJob(*row)


__all__ = ["ROLES", "AccessStore", "ApiKey", "BatchJob", "hash_key"]
