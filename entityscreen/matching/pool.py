"""Screening many parties in forked worker processes that share one index.

The workers are forked from the process holding the index, so they read it copy-on-write
instead of loading it; objects that exist at the fork are frozen out of the collector's
reach, so its full collections do not touch (and so copy) the index's pages.
"""

from __future__ import annotations

import gc
import multiprocessing
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
    memory, so only results cross a pipe.
    """
    if workers <= 1 or len(items) < 2 * workers:
        return [_screen_safe(index, p, options) for p in items]
    global _WORKER_JOB
    context = multiprocessing.get_context("fork")
    size = max(1, len(items) // (workers * 8))
    chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _WORKER_JOB = _Job(index, items, options, chunks, context.Value("i", 0))
    gc.freeze()
    try:
        with context.Pool(workers - 1, initializer=worker_gc) as pool:
            pending = [pool.apply_async(_drain) for _ in range(workers - 1)]
            done = dict(_drain())
            for result in pending:
                done.update(result.get())
    finally:
        gc.unfreeze()
        _WORKER_JOB = None
    return [matches for i in range(len(chunks)) for matches in done[i]]


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
        out.append(
            (chunk, [_screen_safe(job.matcher, p, job.options) for p in job.items[start:end]])
        )


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


def _screen_safe(index: MatchIndex, party: Party, options: dict[str, Any]) -> list[Match]:
    try:
        return index.screen(party, **options)
    except InputError:
        return []


__all__ = ["screen_in_workers", "worker_gc"]
