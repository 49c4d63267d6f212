"""API keys and batch jobs (the HTTP API's asynchronous ``/batch``), as methods of
:class:`~entityscreen.service.Screener`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..errors import EntityScreenError, InputError, NotFoundError
from ..matching import MatchIndex
from ..model import Actor
from ..settings import Settings
from ..store import SqlStore
from ..store.access import ApiKey, BatchJob
from ._common import check_threshold


class JobsMixin:
    """The key and batch-job methods of :class:`~entityscreen.service.Screener`."""

    store: SqlStore
    settings: Settings

    # Provided by Screener: declared here for the type checker.
    def now(self) -> str:
        raise NotImplementedError

    def matcher(self) -> MatchIndex:
        raise NotImplementedError

    def create_key(self, name: str, role: str, *, actor: Actor) -> tuple[ApiKey, str]:
        """A new API key; the key itself is returned once and only its hash is stored.
        ``actor``: who creates it (audited)."""
        return self.store.create_key(name, role, actor=actor, at=self.now())

    def revoke_key(self, key_id: int, *, actor: Actor) -> ApiKey:
        """Revoke a key; ``actor``: who revokes it (audited)."""
        return self.store.revoke_key(key_id, actor=actor, at=self.now())

    def keys(self) -> list[ApiKey]:
        return self.store.keys()

    def authenticate(self, key: str) -> ApiKey | None:
        """The active key record for a presented key, or None."""
        return self.store.find_key(key) if key else None

    def submit_batch(
        self,
        data: bytes,
        *,
        kind: str = "csv",
        threshold: float | None = None,
        limit: int = 10,
        as_of: date | None = None,
        background: bool = True,
        key: ApiKey | None = None,
    ) -> BatchJob:
        """Store an uploaded batch file and screen it in a background thread (its own
        store connection); :meth:`batch_job` reports progress, :meth:`batch_output` the
        result file (CSV, the format of ``entityscreen batch``). The job belongs to
        ``key``: another screener key does not see it."""
        if kind not in ("csv", "jsonl"):
            raise InputError(f"unknown batch format {kind!r}; use csv or jsonl")
        if threshold is not None:
            check_threshold(threshold)
        self.matcher()  # fail now, not in the thread, when no lists are loaded
        job = self.store.create_job(at=self.now(), key_id=key.id if key else None)
        folder = self.settings.home / "jobs" / job.id
        folder.mkdir(parents=True)
        source = folder / f"input.{kind}"
        source.write_bytes(data)
        args = (self.settings, job.id, source, folder / "output.csv", threshold, limit, as_of)
        if background:
            import threading

            threading.Thread(target=_run_batch_job, args=args, daemon=True).start()
        else:
            _run_batch_job(*args)
        return self.store.get_job(job.id)

    def batch_job(self, job_id: str, viewer: ApiKey | None = None) -> BatchJob:
        """A job, as ``viewer`` may see it: its own jobs for a screener key, every job for
        an analyst key or for no key (the CLI). Another key's job is "no batch job", as
        if it did not exist (NotFoundError: 404), so that ids cannot be probed."""
        job = self.store.get_job(job_id)
        if viewer is not None and viewer.role != "analyst" and job.key_id != viewer.id:
            raise NotFoundError(f"no batch job {job_id!r}")
        return job

    def batch_output(self, job_id: str, viewer: ApiKey | None = None) -> Path:
        job = self.batch_job(job_id, viewer)
        if job.status != "done":
            raise InputError(f"batch job {job_id} is {job.status}, not done")
        return self.settings.home / "jobs" / job_id / "output.csv"


def _run_batch_job(
    settings: Settings,
    job_id: str,
    source: Path,
    target: Path,
    threshold: float | None,
    limit: int,
    as_of: date | None,
) -> None:
    """Screen an uploaded file (in a thread with its own store connection)."""
    from ..batch.io import detect_kind, open_input
    from . import Screener
    from .batch import BatchReport

    with Screener.open(settings=settings) as screener:
        store = screener.store
        store.update_job(job_id, status="running", at=screener.now())
        report = BatchReport()  # the counts so far, also when the job fails
        try:
            with (
                open_input(str(source)) as fh,
                target.open("w", encoding="utf-8", newline="") as out,
            ):
                screener.screen_file(
                    fh,
                    out,
                    input_kind=detect_kind(str(source)),
                    name="upload",
                    threshold=threshold,
                    limit=limit,
                    as_of=as_of,
                    report=report,
                )
            store.update_job(
                job_id,
                status="done",
                at=screener.now(),
                rows=report.rows,
                output_rows=report.output_rows,
            )
        except EntityScreenError as exc:
            store.update_job(
                job_id, status="failed", at=screener.now(), rows=report.rows, message=str(exc)
            )
        except Exception as exc:  # a job never dies silently: the status says why
            store.update_job(
                job_id,
                status="failed",
                at=screener.now(),
                rows=report.rows,
                message=f"internal error: {type(exc).__name__}: {exc}",
            )


__all__ = ["JobsMixin"]
