"""Caches of the pure word functions that every query calls (readings, keys, similarities).

``@memo(maxsize)`` is ``functools.cache`` (C, unbounded: a hit is one dict lookup) and
:func:`trim` empties each cache that grew past its size; ``analyze_name`` calls
:func:`tick` once a name it analyses, which trims every ``TRIM_EVERY`` calls.

Why not ``functools.lru_cache(maxsize)``: each hit of a bounded LRU cache moves its entry
to the front of a linked list, a write to three link objects. A forked batch worker
(``matching/pool.py``) shares the index process's memory copy-on-write, and every write to
a shared page copies the page: the lists' links were a sixth of the pages a worker copied
(docs/benchmarks.md, "Fresh batch, the forked worker's cost"). An unbounded cache's hit
writes nothing but the result's reference count. Emptying a full cache at once instead of
evicting its oldest entry costs misses for a while after; the sizes are those of the LRU
caches it replaces, large against what one batch meets.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

#: Names analysed between two trims: a cache outgrows its size by at most what this many
#: names' screenings add (a few hundred entries each at most).
TRIM_EVERY = 512

_CACHES: list[tuple[Any, int]] = []
_calls = [0]


def memo(maxsize: int) -> Callable[[F], F]:
    """Cache a pure function of hashable arguments; emptied by :func:`trim` past ``maxsize``."""

    def wrap(function: F) -> F:
        cached = functools.cache(function)
        _CACHES.append((cached, maxsize))
        return cast(F, cached)

    return wrap


def trim() -> None:
    """Empty every cache holding more than its size."""
    for cached, maxsize in _CACHES:
        if cached.cache_info().currsize > maxsize:
            cached.cache_clear()


def tick() -> None:
    """Count a query name analysed; trim the caches every ``TRIM_EVERY`` calls."""
    _calls[0] += 1
    if _calls[0] % TRIM_EVERY == 0:
        trim()


__all__ = ["TRIM_EVERY", "memo", "tick", "trim"]
