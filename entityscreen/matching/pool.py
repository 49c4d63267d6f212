"""Screening many parties in forked worker processes that share one index.

The workers are forked from the process holding the index, so they read it copy-on-write
instead of loading it; objects that exist at the fork are frozen out of the collector's
reach, so its full collections do not touch (and so copy) the index's pages.
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
import pickle
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import InputError
from ..model import Party
from .types import Match

if TYPE_CHECKING:
    from .index import MatchIndex


def screen_in_workers(
    index: MatchIndex, items: list[Party], options: dict[str, Any], workers: int
) -> list[list[Match]]:
    """``index.screen(party, **options)`` for every party, in ``workers`` processes (this
    one and ``workers - 1`` forked ones); results in input order, no matches for a party
    with no valid name.

    The parties are cut into chunks that every process takes in turn from a shared
    counter. This process screens too, instead of waiting: one fork fewer, and its caches
    are warm and its pages its own; the forked ones read the parties from inherited
    memory, so only results cross a pipe. Forked with ``os.fork``, not a
    ``multiprocessing.Pool``: the pool's start, threads and shutdown took 20-40 ms of a
    1,000-party batch of half a second.
    """
    if workers <= 1 or len(items) < 2 * workers:
        with batch_gc():
            return [
                matches
                for start in range(0, len(items), _CHUNK)
                for matches in _screen_chunk(index, items[start : start + _CHUNK], options)
            ]
    global _WORKER_JOB
    _reap()
    chunks = _chunks(len(items), workers)
    taken = multiprocessing.get_context("fork").Value("i", 0)
    _WORKER_JOB = _Job(index, items, options, chunks, taken)
    children: list[tuple[int, int]] = []
    with batch_gc():
        try:
            for _ in range(workers - 1):
                children.append(_fork())
            done = dict(_drain())
            while children:
                done.update(_collect(*children.pop()))
        finally:
            for pid, read in children:  # this process failed: stop the others
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(read)
            _WORKER_JOB = None
    return [matches for i in range(len(chunks)) for matches in done[i]]


@contextmanager
def batch_gc() -> Iterator[None]:
    """The collector while this process screens a batch: the objects alive now are frozen
    out of its reach (a forked worker's collections then never touch, and so copy, their
    pages), and no full collection runs until the batch ends.

    Why no full collection: one run during the freeze counts only the objects made since as
    the long-lived ones, so the first full collection after the freeze came at once and
    walked every object again (~0.3 s over the index and its caches): the next batch or
    query in this process paid it (a 1-worker batch after a 2-worker one: 0.78 -> 1.10 ms
    CPU a party, docs/benchmarks.md, "Eighth session").
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(threshold[0], threshold[1], _WORKER_FULL_GC_EVERY)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


#: Parties a chunk holds at most (see ``screen_in_workers``): their candidate keys are
#: looked up together. 16 -> 48 took 4-6% off the CPU a fresh party costs with 2
#: workers (docs/benchmarks.md, "Eighth session").
_CHUNK = 48
#: Parties a chunk of a batch's tail holds at most (see ``_chunks``).
_TAIL_CHUNK = 4
#: Forked processes that sent their results and may not have exited yet.
_UNREAPED: list[int] = []


def _chunks(count: int, workers: int) -> list[tuple[int, int]]:
    """``(start, end)`` of the chunks of a batch of ``count`` parties.

    Chunks of up to ``_CHUNK`` parties (taking one costs a lock; a chunk's candidate keys
    are looked up at once), then a tail of ``workers`` such chunks' parties cut in chunks
    of ``_TAIL_CHUNK``: while one process screens its last big chunk, the others take the
    small ones, and all end within a few parties' time of each other.
    """
    size = max(1, min(_CHUNK, count // (workers * 8)))
    small = min(_TAIL_CHUNK, size)
    tail = min(count, workers * size) if size > small else 0
    body = range(0, count - tail, size)
    chunks = [(start, min(start + size, count - tail)) for start in body]
    chunks += [(start, min(start + small, count)) for start in range(count - tail, count, small)]
    return chunks


def _reap(*, block: bool = False) -> None:
    """Reap the forked processes of earlier batches that have exited (``block``: all)."""
    for pid in list(_UNREAPED):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere
            done = pid
        if done:
            _UNREAPED.remove(pid)


def wait_workers() -> None:
    """Wait for the forked processes of past batches to exit (their CPU time then counts
    in this process's ``RUSAGE_CHILDREN``); also run at exit."""
    _reap(block=True)


atexit.register(wait_workers)


def _fork() -> tuple[int, int]:
    """Fork a process that drains the current job and pipes its results (or its error)
    back; its pid and the pipe's reading end."""
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return pid, read
    os.close(read)  # the child: never returns
    code = 0
    try:
        worker_gc()
        # Matches as tuples of their fields: a frozen dataclass pickles field by field.
        rows = [(c, [[_fields(m) for m in ms] for ms in out]) for c, out in _drain()]
        payload = pickle.dumps((True, rows), pickle.HIGHEST_PROTOCOL)
    except BaseException as error:  # handed to the parent, which raises it
        code = 1
        try:
            payload = pickle.dumps((False, error), pickle.HIGHEST_PROTOCOL)
        except Exception:  # an error that does not pickle
            payload = pickle.dumps((False, RuntimeError(repr(error))))
    try:
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(code)


def _collect(pid: int, read: int) -> list[tuple[int, list[list[Match]]]]:
    """The results a forked process pipes back (see ``_fork``); raises its error."""
    with os.fdopen(read, "rb") as pipe:
        payload = pipe.read()
    if not payload:
        _, status = os.waitpid(pid, 0)
        raise RuntimeError(f"screening process ended without results (status {status})")
    # Its results are in: the process is still unmapping its memory (10-15 ms of a
    # 1,000-party batch); it is reaped when done, here or at the next batch.
    _UNREAPED.append(pid)
    _reap()
    ok, value = pickle.loads(payload)
    if not ok:
        raise value
    return [(c, [[Match(*row) for row in ms] for ms in out]) for c, out in value]


def _fields(match: Match) -> tuple[Any, ...]:
    m = match
    return (
        m.entry_id, m.score, m.query_name, m.matched_name, m.listed_name, m.list,
        m.source, m.schema, m.countries, m.explanation, m.features,
    )  # fmt: skip


class _Job(NamedTuple):
    """What the processes of one :func:`screen_in_workers` call share (by forking)."""

    matcher: MatchIndex
    items: list[Party]
    options: dict[str, Any]
    chunks: list[tuple[int, int]]
    #: The next chunk to take (a shared ``multiprocessing.Value`` with its lock).
    taken: Any


_WORKER_JOB: _Job | None = None


def _drain() -> list[tuple[int, list[list[Match]]]]:
    """Screen chunks of the current job until none is left: ``(chunk, results)`` each."""
    job = _WORKER_JOB
    assert job is not None
    out: list[tuple[int, list[list[Match]]]] = []
    while True:
        with job.taken.get_lock():
            chunk = job.taken.value
            job.taken.value = chunk + 1
        if chunk >= len(job.chunks):
            return out
        start, end = job.chunks[chunk]
        out.append((chunk, _screen_chunk(job.matcher, job.items[start:end], job.options)))


#: Full collections in a screening worker: after this many collections of the middle
#: generation (the default is 10).
_WORKER_FULL_GC_EVERY = 10_000


def worker_gc() -> None:
    """Garbage collection settings for a forked screening worker (a pool initializer).

    A full collection walks every object that is not frozen, the growing caches of
    analyses and parts included: about half a second each. A worker lives for one batch,
    so it keeps collecting young objects (and their cycles) and skips full collections.
    """
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, _WORKER_FULL_GC_EVERY)


def _screen_chunk(
    index: MatchIndex, parties: list[Party], options: dict[str, Any]
) -> list[list[Match]]:
    """Screen a chunk of parties, their candidate keys looked up together first."""
    index.prefetch_parties(parties)
    return [_screen_safe(index, p, options) for p in parties]


def _screen_safe(index: MatchIndex, party: Party, options: dict[str, Any]) -> list[Match]:
    try:
        return index.screen(party, **options)
    except InputError:
        return []


__all__ = ["batch_gc", "screen_in_workers", "wait_workers", "worker_gc"]
