"""Screening many parties in forked worker processes that share one index.

The workers are forked from the process holding the index, so they read it copy-on-write
instead of loading it; objects that exist at the fork are frozen out of the collector's
reach, so its full collections do not touch (and so copy) the index's pages.
"""

from __future__ import annotations

import gc
import multiprocessing
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..model import Party
from .types import Match

if TYPE_CHECKING:
    from .index import MatchIndex


def screen_in_workers(
    index: MatchIndex, items: list[Party], options: dict[str, Any], workers: int
) -> list[list[Match]]:
    """``index.screen(party, **options)`` for every party, in ``workers`` forked processes;
    results in input order, no matches for a party with no valid name."""
    if workers <= 1 or len(items) < 2 * workers:
        return [_screen_safe(index, p, options) for p in items]
    global _WORKER_INDEX
    _WORKER_INDEX = index
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(items) // (workers * 8))
    gc.freeze()
    try:
        with context.Pool(workers, initializer=worker_gc) as pool:
            return pool.starmap(_screen_worker, [(p, options) for p in items], chunksize=chunk)
    finally:
        gc.unfreeze()


_WORKER_INDEX: MatchIndex | None = None
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


def _screen_worker(party: Party, options: dict[str, Any]) -> list[Match]:
    assert _WORKER_INDEX is not None
    return _screen_safe(_WORKER_INDEX, party, options)


__all__ = ["screen_in_workers", "worker_gc"]
