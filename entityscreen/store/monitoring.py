"""Store tables of the monitoring workflow: party registry, alerts, decisions, state.

A mixin of :class:`~entityscreen.store.sqlite.SqliteStore` (kept apart so neither file
grows past reading size). Every write is one transaction with its audit record.

Alert rules (applied by :meth:`MonitoringStore.raise_alerts`), one alert per
(party, entry) ever:

* no alert yet -> a new open alert, "new match";
* an open alert -> its score and explanation are refreshed, nothing new is raised;
* a decided alert whose party and entry content are what the decision saw -> nothing;
* a decided alert whose party record or entry content changed since -> re-opened, with
  "re-opened because: ..." naming what changed. The decisions stay.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, NotFoundError
from ..model import Actor, Alert, AlertStatus, Decision, Party, Verdict
from . import audit
from .audit import AuditKind
from .audit_state import actor_json, alert_record, decision_data
from .dbapi import Connection

_ALERT_COLS = (
    "id, party_id, entry_id, status, score, list, listed_name, matched_name, explanation,"
    " verdict, party_hash, entry_hash, reason, created_at, updated_at"
)


@dataclass(frozen=True, slots=True)
class PartyImport:
    """What a party import changed: ids added, ids changed (with fields), unchanged count."""

    added: tuple[str, ...]
    changed: tuple[tuple[str, tuple[str, ...]], ...]
    unchanged: int


@dataclass(frozen=True, slots=True)
class AlertCandidate:
    """A hit to alert on, as the service hands it to :meth:`MonitoringStore.raise_alerts`."""

    party_id: str
    entry_id: str
    score: float
    list: str
    listed_name: str
    matched_name: str
    explanation: str
    verdict: str
    party_hash: str
    entry_hash: str


@dataclass(frozen=True, slots=True)
class AlertOutcome:
    """What :meth:`MonitoringStore.raise_alerts` did: new, re-opened, refreshed and
    delisted alert ids."""

    new: tuple[int, ...]
    reopened: tuple[int, ...]
    refreshed: int
    delisted: tuple[int, ...] = ()


def _alert(row: Sequence[Any]) -> Alert:
    values = list(row)
    values[3] = AlertStatus(values[3])
    return Alert(*values)


def _changed(what: str, fields: Sequence[str]) -> str:
    return f"{what} changed" + (f" ({', '.join(fields)})" if fields else "")


def _update_alert(
    conn: Connection, alert_id: int, c: AlertCandidate, *, at: str, reopen: str | None = None
) -> None:
    """Refresh an alert's match from a new hit; with ``reopen``, open it with that reason."""
    sets = "score = ?, matched_name = ?, explanation = ?, verdict = ?, party_hash = ?,"
    sets += " entry_hash = ?, updated_at = ?"
    values: list[Any] = [
        c.score,
        c.matched_name,
        c.explanation,
        c.verdict,
        c.party_hash,
        c.entry_hash,
        at,
    ]
    if reopen is not None:
        sets += ", status = 'open', reason = ?"
        values.append(reopen)
    conn.execute(f"UPDATE alerts SET {sets} WHERE id = ?", (*values, alert_id))


class MonitoringStore:
    """Party, alert and decision tables (mixed into ``SqliteStore``)."""

    _conn: Connection

    def transaction(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # provided by SqliteStore

    # --- parties -----------------------------------------------------------------------

    def upsert_parties(
        self, parties: Sequence[Party], *, at: str, origin: str, actor: Actor | None = None
    ) -> PartyImport:
        """Add new parties and update changed ones (recording which fields changed)."""
        added: list[str] = []
        changed: list[tuple[str, tuple[str, ...]]] = []
        unchanged = 0
        with self.transaction() as conn:
            for party in parties:
                if not party.id:
                    raise InputError(f"party {party.name!r} has no id; the registry needs one")
                data = party.canonical_json()
                digest = party.content_hash()
                row = conn.execute(
                    "SELECT data, content_hash FROM parties WHERE id = ?", (party.id,)
                ).fetchone()
                if row is None:
                    conn.execute(
                        "INSERT INTO parties(id, name, data, content_hash, created_at,"
                        " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (party.id, party.name, data, digest, at, at),
                    )
                    conn.execute(
                        "INSERT INTO party_changes(party_id, at, change, fields)"
                        " VALUES (?, ?, 'added', '[]')",
                        (party.id, at),
                    )
                    added.append(party.id)
                elif row[1] != digest:
                    old = json.loads(row[0])
                    new = party.to_dict()
                    fields = tuple(
                        sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
                    )
                    conn.execute(
                        "UPDATE parties SET name = ?, data = ?, content_hash = ?, updated_at = ?"
                        " WHERE id = ?",
                        (party.name, data, digest, at, party.id),
                    )
                    conn.execute(
                        "INSERT INTO party_changes(party_id, at, change, fields, old_hash)"
                        " VALUES (?, ?, 'changed', ?, ?)",
                        (party.id, at, json.dumps(list(fields)), row[1]),
                    )
                    changed.append((party.id, fields))
                else:
                    unchanged += 1
            audit.append(
                conn,
                AuditKind.PARTY_IMPORT,
                {
                    "origin": origin,
                    "added": len(added),
                    "changed": [{"id": i, "fields": list(f)} for i, f in changed],
                    "unchanged": unchanged,
                    "actor": actor.to_dict() if actor else None,
                },
                at=at,
            )
        return PartyImport(tuple(added), tuple(changed), unchanged)

    def iter_parties(self) -> Iterator[tuple[Party, str, str | None]]:
        """Every party with its content hash and the hash last screened (None: never)."""
        rows = self._conn.execute(
            "SELECT data, content_hash, screened_hash FROM parties ORDER BY id"
        ).fetchall()
        for data, digest, screened in rows:
            yield Party.from_dict(json.loads(data)), digest, screened

    def party_names(self) -> dict[str, str]:
        """Each party's name by id (the registry's own name column: no record parsed)."""
        return {pid: name for pid, name in self._conn.execute("SELECT id, name FROM parties")}

    def party_count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM parties").fetchone()[0])

    def parties_digest(self) -> str:
        """One hash over every party's content hash (keys the persisted party index)."""
        import hashlib

        digest = hashlib.sha256()
        for (h,) in self._conn.execute("SELECT content_hash FROM parties ORDER BY id"):
            digest.update(h.encode("ascii"))
        return digest.hexdigest()

    def party_changes(self, party_id: str, since_hash: str | None) -> tuple[str, ...]:
        """Fields changed in the party's record since the version ``since_hash`` named."""
        rows = self._conn.execute(
            "SELECT fields, old_hash FROM party_changes WHERE party_id = ? AND change = 'changed'"
            " ORDER BY id",
            (party_id,),
        ).fetchall()
        fields: set[str] = set()
        started = since_hash is None
        for text, old_hash in rows:
            started = started or old_hash == since_hash
            if started:
                fields.update(json.loads(text))
        return tuple(sorted(fields))

    # --- alerts and decisions ------------------------------------------------------------

    def raise_alerts(
        self,
        candidates: Iterable[AlertCandidate],
        *,
        at: str,
        entry_changes: Mapping[str, tuple[str, ...]] | None = None,
        screened: Mapping[str, str] | None = None,
        state: Mapping[str, int] | None = None,
        run: Mapping[str, Any] | None = None,
        removed: Mapping[str, str] | None = None,
        actor: Actor | None = None,
    ) -> AlertOutcome:
        """Apply the alert rules of the module docstring to ``candidates`` in one transaction.

        Args:
            candidates: The hits found.
            at: Now (ISO).
            entry_changes: Changed fields of entries, for the "re-opened because" text.
            screened: ``party id -> content hash`` screened in this run (recorded so the
                next run skips them unless they change).
            state: ``source -> snapshot id`` screened against (the next run's baseline).
            run: What the run did, for its audit record.
            removed: ``entry id -> where it was removed`` ("us_ofac_sdn snapshot 2"):
                their alerts become ``delisted``, with that reason.
            actor: Who ran it (in the audit record of every alert changed).
        """
        new: list[int] = []
        reopened: list[int] = []
        refreshed = 0
        changes = entry_changes or {}
        with self.transaction() as conn:
            for c in candidates:
                row = conn.execute(
                    "SELECT id, status, party_hash, entry_hash FROM alerts"
                    " WHERE party_id = ? AND entry_id = ?",
                    (c.party_id, c.entry_id),
                ).fetchone()
                if row is None:
                    inserted = conn.execute(
                        f"INSERT INTO alerts({_ALERT_COLS.split(', ', 1)[1]}) VALUES"
                        " (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, 'new match', ?, ?) RETURNING id",
                        (
                            c.party_id,
                            c.entry_id,
                            c.score,
                            c.list,
                            c.listed_name,
                            c.matched_name,
                            c.explanation,
                            c.verdict,
                            c.party_hash,
                            c.entry_hash,
                            at,
                            at,
                        ),
                    )
                    alert_id = int(inserted.fetchone()[0])
                    new.append(alert_id)
                    alert_record(conn, alert_id, "opened", actor, at=at)
                    continue
                alert_id, status, party_hash, entry_hash = row
                if status == AlertStatus.DELISTED.value:
                    reason = "re-opened because: the entry is listed again"
                    _update_alert(conn, alert_id, c, at=at, reopen=reason)
                    reopened.append(int(alert_id))
                    alert_record(conn, alert_id, "re-opened", actor, at=at)
                    continue
                same = party_hash == c.party_hash and entry_hash == c.entry_hash
                if status == AlertStatus.OPEN.value or same:
                    if status == AlertStatus.OPEN.value:
                        _update_alert(conn, alert_id, c, at=at)
                        refreshed += 1
                        if not same:  # now on another party or entry version: audited
                            alert_record(conn, alert_id, "refreshed", actor, at=at)
                    continue
                why = []
                if party_hash != c.party_hash:
                    why.append(_changed("party record", self.party_changes(c.party_id, party_hash)))
                if entry_hash != c.entry_hash:
                    # Ownership and flag alerts (service.monitoring.finding_candidates)
                    # have no listed entry: their finding changed.
                    finding = c.entry_id.startswith(("ownership:", "flag:"))
                    what = "finding" if finding else "listed entry"
                    why.append(_changed(what, changes.get(c.entry_id, ())))
                reason = f"re-opened because: {'; '.join(why)} since the {status} decision"
                _update_alert(conn, alert_id, c, at=at, reopen=reason)
                reopened.append(int(alert_id))
                alert_record(conn, alert_id, "re-opened", actor, at=at)
            delisted: list[int] = []
            for entry_id, where in sorted((removed or {}).items()):
                reason = f"delisted: the entry was removed from its list ({where})"
                for (alert_id,) in conn.execute(
                    "SELECT id FROM alerts WHERE entry_id = ? AND status <> ? ORDER BY id",
                    (entry_id, AlertStatus.DELISTED.value),
                ).fetchall():
                    conn.execute(
                        "UPDATE alerts SET status = ?, reason = ?, updated_at = ? WHERE id = ?",
                        (AlertStatus.DELISTED.value, reason, at, alert_id),
                    )
                    delisted.append(int(alert_id))
                    alert_record(conn, alert_id, "delisted", actor, at=at)
            for party_id, digest in (screened or {}).items():
                conn.execute(
                    "UPDATE parties SET screened_hash = ? WHERE id = ?", (digest, party_id)
                )
            for source, snapshot_id in (state or {}).items():
                conn.execute(
                    "INSERT INTO monitor_state(source, snapshot_id) VALUES (?, ?) ON CONFLICT"
                    "(source) DO UPDATE SET snapshot_id = excluded.snapshot_id",
                    (source, snapshot_id),
                )
            if run is not None:
                audit.append(
                    conn,
                    AuditKind.MONITOR,
                    {
                        **run,
                        "new_alerts": len(new),
                        "reopened": len(reopened),
                        "delisted": len(delisted),
                        "actor": actor.to_dict() if actor else None,
                    },
                    at=at,
                )
        return AlertOutcome(tuple(new), tuple(reopened), refreshed, tuple(delisted))

    def monitor_state(self) -> dict[str, int]:
        """``source -> snapshot id`` the last monitor run screened against."""
        return {
            str(s): int(i)
            for s, i in self._conn.execute("SELECT source, snapshot_id FROM monitor_state")
        }

    def alerts(self, *, status: AlertStatus | None = None) -> list[Alert]:
        sql = f"SELECT {_ALERT_COLS} FROM alerts"
        params: tuple[Any, ...] = ()
        if status is not None:
            sql += " WHERE status = ?"
            params = (status.value,)
        return [_alert(r) for r in self._conn.execute(sql + " ORDER BY id", params)]

    def get_alert(self, alert_id: int) -> Alert:
        # An id beyond 64 bits is no alert: SQLite cannot bind it (OverflowError, a 500
        # on /alerts/{id}/decision and the UI's decide form; issue #13).
        if not -(2**63) <= alert_id < 2**63:
            raise NotFoundError(f"no alert {alert_id}")
        row = self._conn.execute(
            f"SELECT {_ALERT_COLS} FROM alerts WHERE id = ?", (alert_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no alert {alert_id}")
        return _alert(row)

    def decide(
        self, alert_id: int, verdict: Verdict, *, reason: str, by: str, actor: Actor, at: str
    ) -> Decision:
        """Record a decision and set the alert's status to its verdict (one transaction,
        with its audit record: who was authenticated, ``actor``; ``by`` is a note)."""
        with self.transaction() as conn:
            alert = self.get_alert(alert_id)
            decision_id = conn.execute(
                "INSERT INTO decisions(alert_id, verdict, reason, decided_by, at, party_hash,"
                " entry_hash, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    alert_id,
                    verdict.value,
                    reason,
                    by,
                    at,
                    alert.party_hash,
                    alert.entry_hash,
                    actor_json(actor),
                ),
            ).fetchone()[0]
            conn.execute(
                "UPDATE alerts SET status = ?, updated_at = ? WHERE id = ?",
                (verdict.status.value, at, alert_id),
            )
            decision = Decision(
                int(decision_id),
                alert_id,
                verdict,
                reason,
                by,
                at,
                alert.party_hash,
                alert.entry_hash,
                actor,
            )
            fields = {
                "verdict": verdict.value,
                "reason": reason,
                "by": by,
                "actor": actor.to_dict(),
                "party_hash": alert.party_hash,
                "entry_hash": alert.entry_hash,
            }
            pair = {"id": alert_id, "party": alert.party_id, "entry": alert.entry_id}
            audit.append(conn, AuditKind.DECISION, decision_data(decision.id, pair, fields), at=at)
        return decision

    def decisions(self, alert_id: int) -> list[Decision]:
        rows = self._conn.execute(
            "SELECT id, alert_id, verdict, reason, decided_by, at, party_hash, entry_hash,"
            " actor FROM decisions WHERE alert_id = ? ORDER BY id",
            (alert_id,),
        )
        return [
            Decision(
                r[0],
                r[1],
                Verdict(r[2]),
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                Actor.from_dict(json.loads(r[8])) if r[8] else None,
            )
            for r in rows
        ]


__all__ = ["AlertCandidate", "AlertOutcome", "MonitoringStore", "PartyImport"]
