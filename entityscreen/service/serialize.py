"""The JSON of everything the front ends print or answer: one function per kind of answer.

Pure functions, no I/O: each turns a service value into plain dicts, lists, strings and
numbers. ``entityscreen ... --json``, the HTTP API and the web UI all call these, so a
snapshot diff or a list's status has one shape wherever it is shown (docs/api.md).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..exportcontrol.legal import LegalSummary
from ..exportcontrol.listings import Reconciliation, SourceState
from ..matching import Comparison
from ..model import Alert, Decision, Entry, Snapshot
from ..results import ScreeningResult
from ..store import EntryHistory, SnapshotDiff
from ..store.access import BatchJob
from .lists import ListStatus
from .yente import Seen, entity_dict


def snapshot_ref(snapshot: Snapshot | None) -> dict[str, Any] | None:
    """A snapshot as the diff shows its two ends: id, the date it shows its lists as of
    (publication, else fetch), and both dates as stored."""
    if snapshot is None:
        return None
    return {
        "id": snapshot.id,
        "date": (snapshot.published or snapshot.fetched_at)[:10],
        "published": snapshot.published,
        "fetched_at": snapshot.fetched_at,
    }


def diff_to_dict(diff: SnapshotDiff) -> dict[str, Any]:
    """A snapshot diff: ``lists diff --json``, ``GET /lists/{source}/diff`` and the UI's
    list changes.

    Changed entries carry both ``fields`` (the names of the changed fields) and
    ``changes`` (each field with its old and new value).
    """
    # One shape from the two there were (the CLI's and the API's): the union, so that
    # no reader of either loses a key it used (docs/api.md, "Snapshot diff").
    return {
        "source": diff.source,
        "from": snapshot_ref(diff.old),
        "to": snapshot_ref(diff.new),
        "counts": {
            "added": len(diff.added),
            "removed": len(diff.removed),
            "changed": len(diff.changed),
        },
        "added": [{"id": a.entry_id, "name": a.primary_name, "list": a.list} for a in diff.added],
        "removed": [
            {"id": a.entry_id, "name": a.primary_name, "list": a.list} for a in diff.removed
        ],
        "changed": [
            {
                "id": c.entry_id,
                "name": c.primary_name,
                "list": c.list,
                "fields": [f.field for f in c.changes],
                "changes": [{"field": f.field, "old": f.old, "new": f.new} for f in c.changes],
            }
            for c in diff.changed
        ],
    }


def list_status_to_dict(row: ListStatus) -> dict[str, Any]:
    """One loaded list: ``lists --json``, ``GET /lists`` and the UI's lists page."""
    snap = row.snapshot
    data: dict[str, Any] = {
        "source": row.source,
        "list": row.list,
        "entries": row.entries,
        "snapshot": snap.id,
        "published": snap.published,
        "published_basis": snap.published_basis,
        "fetched_at": snap.fetched_at,
        "sha256": snap.sha256,
        "origin": snap.origin,
    }
    if row.age is not None:
        data.update(
            date=row.age.date.isoformat(),
            date_basis=row.age.basis,
            age_days=row.age.age_days,
            max_age_days=row.age.max_age_days,
            stale=row.age.stale,
        )
    return data


def result_to_dict(result: ScreeningResult) -> dict[str, Any]:
    """A screening result: ``screen --json`` and every result of ``POST /screen``."""
    return result.to_dict()


def comparison_to_dict(
    name1: str, name2: str, comparison: Comparison, *, threshold: float
) -> dict[str, Any]:
    """``compare --json``: one pair of names scored."""
    return {
        "name1": name1,
        "name2": name2,
        "score": round(comparison.score, 4),
        "match": comparison.score >= threshold,
        "threshold": threshold,
        "explanation": comparison.explanation,
        "features": dict(comparison.features),
    }


def history_to_dict(history: EntryHistory) -> dict[str, Any]:
    """``lists history --json``: every version of an entry and the snapshots holding it."""
    return {
        "entry_id": history.entry_id,
        "versions": [
            {
                "content_hash": v.content_hash,
                "snapshots": [s.id for s in v.snapshots],
                "entry": v.entry.to_dict(),
            }
            for v in history.versions
        ],
        "timeline": [
            {
                "snapshot": s.id,
                "published": s.published,
                "fetched_at": s.fetched_at,
                "version": version,
            }
            for s, version in history.timeline
        ],
    }


def entity_to_dict(entry: Entry, legal: LegalSummary, history: EntryHistory) -> dict[str, Any]:
    """``GET /entities/{id}``: the entry, its legal facts and its history in brief."""
    return {
        "entry": entry.to_dict(),
        "legal": legal.to_dict(),
        "history": [
            {
                "snapshot": snap.id,
                "date": (snap.published or snap.fetched_at)[:10],
                "present": version is not None,
                "version": version,
            }
            for snap, version in history.timeline
        ],
        "versions": [
            {"content_hash": v.content_hash, "snapshots": [s.id for s in v.snapshots]}
            for v in history.versions
        ],
    }


def yente_entity_to_dict(entry: Entry, seen: Seen) -> dict[str, Any]:
    """An entry as yente's EntityResponse: ``GET /entities/{id}``, ``/search`` results."""
    return entity_dict(entry, seen=seen)


def reconciliation_to_dict(rec: Reconciliation) -> dict[str, Any]:
    """``lists reconcile --json``: two sources of one list compared."""

    def side(state: SourceState) -> dict[str, Any]:
        return {
            "source": state.source,
            "snapshot": state.snapshot_id,
            "published": state.published.isoformat() if state.published else None,
        }

    return {
        "list": rec.code,
        "left": side(rec.left),
        "right": side(rec.right),
        "counts": rec.counts(),
        "only_left": [[e.id, e.primary_name] for e in rec.only_left],
        "only_right": [[e.id, e.primary_name] for e in rec.only_right],
        "differing": [
            {
                "left": p.left.id,
                "right": p.right.id,
                "name": p.right.primary_name,
                "differences": [d.to_dict() for d in p.differences],
            }
            for p in rec.differing
        ],
    }


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    """An alert: ``alerts --json`` and ``GET /alerts``."""
    return asdict(alert)


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """An analyst's decision: ``POST /alerts/{id}/decision``."""
    return asdict(decision)


def job_to_dict(job: BatchJob) -> dict[str, Any]:
    """A batch job's status, with where to download its output once done."""
    data = asdict(job)
    data["download"] = f"/batch/{job.id}/download" if job.status == "done" else None
    return data


__all__ = [
    "alert_to_dict",
    "comparison_to_dict",
    "decision_to_dict",
    "diff_to_dict",
    "entity_to_dict",
    "history_to_dict",
    "job_to_dict",
    "list_status_to_dict",
    "reconciliation_to_dict",
    "result_to_dict",
    "snapshot_ref",
    "yente_entity_to_dict",
]
