"""Parallel batch screening over one shared, already-built match index.

Worker processes are forked after the index is loaded, so they share its memory
copy-on-write instead of each rebuilding it (the costly part). Chunks keep their order.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Collection, Iterable, Iterator, Sequence

from ..matching import Match, MatchIndex
from ..matching.pool import batch_gc, worker_gc
from ..model import Party

_WORKER_INDEX: MatchIndex | None = None

Job = tuple[Sequence[Party], float, int, Collection[str] | None]


def _screen_chunk(job: Job) -> list[list[Match]]:
    parties, threshold, limit, lists = job
    assert _WORKER_INDEX is not None, "worker started without an index"
    return _WORKER_INDEX.screen_many(parties, threshold=threshold, limit=limit, lists=lists)


def screen_chunks(
    index: MatchIndex,
    chunks: Iterable[Sequence[Party]],
    *,
    workers: int = 1,
    threshold: float,
    limit: int,
    lists: Collection[str] | None = None,
) -> Iterator[list[list[Match]]]:
    """Screen chunks of parties, yielding each chunk's matches in input order."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            yield index.screen_many(chunk, threshold=threshold, limit=limit, lists=lists)
        return
    global _WORKER_INDEX
    _WORKER_INDEX = index
    ctx = multiprocessing.get_context("fork")
    # Objects that exist now are never collected in the workers (the collector then does
    # not touch, and so copy, the pages of the shared index), nor fully here until the
    # batch ends (see batch_gc).
    try:
        with batch_gc(), ctx.Pool(workers, initializer=worker_gc) as pool:
            jobs = ((chunk, threshold, limit, lists) for chunk in chunks)
            yield from pool.imap(_screen_chunk, jobs, chunksize=1)
    finally:
        _WORKER_INDEX = None
