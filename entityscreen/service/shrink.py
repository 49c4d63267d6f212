"""The shrink guard (issue #13): an import that would empty a list, shrink it sharply or
drop one of its sub-lists, and a monitor run that would mark a large share of the alert
queue delisted, are refused unless the operator says ``--allow-shrink``.

A truncated download (a CSV with only its header, a UN XML with empty INDIVIDUALS and
ENTITIES, a CSL JSON with ``"results": []``) parses cleanly as "0 entries"; stored, it
would make ``screen`` miss every party the list names and ``monitor`` mark their alerts
delisted. The checks here are pure: the service counts, these decide and word the
refusal (one line naming the list, the counts and the flag that overrides it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The flag that overrides both guards (CLI); the service takes ``allow_shrink=True``.
ALLOW_FLAG = "--allow-shrink"


@dataclass(frozen=True, slots=True)
class Shrink:
    """How an import would change a source's size, when that is worth stopping for.

    Attributes:
        source: The source id.
        old: Entries in the current snapshot (0 when there is none).
        new: Entries the import would store.
        dropped: Sub-lists (list codes) the current snapshot holds and the import would
            not, with their current counts.
        limit: The largest share (0..1) a list may shrink by without the flag.
    """

    source: str
    old: int
    new: int
    dropped: Mapping[str, int]
    limit: float

    @property
    def lost_share(self) -> float:
        return (self.old - self.new) / self.old if self.old else 0.0

    def describe(self) -> str:
        """What shrank, in one clause: ``"us_csl 14,160 -> 13 entries (-99.9%); drops
        sub-lists EL (2,001), ..."``."""
        if self.old == 0:
            text = f"{self.source}: the file holds 0 entries (a first import)"
        else:
            text = (
                f"{self.source} {self.old:,} -> {self.new:,} entries "
                f"({-100 * self.lost_share:+.1f}%)".replace("+-", "-")
            )
        if self.dropped:
            lists = ", ".join(f"{code} ({n:,})" for code, n in sorted(self.dropped.items()))
            text += f"; drops sub-list{'s' if len(self.dropped) > 1 else ''} {lists}"
        return text

    def refusal(self) -> str:
        why = []
        if self.new == 0:
            why.append("it would leave the list empty (a truncated download?)")
        elif self.lost_share > self.limit:
            why.append(f"it shrinks the list by more than {100 * self.limit:g}%")
        if self.dropped:
            why.append("it drops whole sub-lists")
        kept = " (the current snapshot stays)" if self.old else ""
        return (
            f"import refused: {self.describe()}: {' and '.join(why)}; nothing was stored"
            f"{kept}; if this is right, re-run with {ALLOW_FLAG}"
        )

    def audit(self) -> dict[str, Any]:
        """For the import's audit record when the flag let it through."""
        return {
            "allow_shrink": True,
            "shrink": {
                "old_entries": self.old,
                "new_entries": self.new,
                "dropped_lists": dict(sorted(self.dropped.items())),
                "limit_percent": round(100 * self.limit, 6),
            },
        }


def check_import(
    source: str,
    old_counts: Mapping[str, int] | None,
    new_counts: Mapping[str, int],
    *,
    limit: float,
) -> Shrink | None:
    """The shrink an import would make, or None when it is an ordinary update.

    Args:
        source: The source id.
        old_counts: Entries per list code in the source's current snapshot; None when the
            source has none (a first import is never a shrink, but an empty one is still
            refused: it is what a truncated first download looks like).
        new_counts: Entries per list code the import would store.
        limit: The largest share (0..1) the source may lose without the flag.
    """
    new = sum(new_counts.values())
    if old_counts is None:
        return Shrink(source, 0, 0, {}, limit) if new == 0 else None
    old = sum(old_counts.values())
    dropped = {code: n for code, n in old_counts.items() if n and not new_counts.get(code)}
    shrink = Shrink(source, old, new, dropped, limit)
    # An empty source (held nothing before) may stay empty: nothing is lost.
    if old == 0:
        return None
    if new == 0 or shrink.lost_share > limit or dropped:
        return shrink
    return None


@dataclass(frozen=True, slots=True)
class DelistGuard:
    """How a monitor run treats a large delisting: refused when it would mark more than
    ``max_share`` (0..1; None: the settings' ``max_delisted``) of the alerts not yet
    delisted as delisted, unless ``allow`` (``monitor --allow-shrink``, audited)."""

    allow: bool = False
    max_share: float | None = None


def delisting_refusal(delisting: int, queue: int, *, limit: float) -> str | None:
    """Why a monitor run that would mark ``delisting`` of the ``queue`` alerts not yet
    delisted as delisted must stop, or None when it may go on.

    Only the share counts, not an absolute number: a real delisting round (OFAC removing
    a few hundred names) is a small share of a large queue, while a truncated list
    delists nearly every alert whatever the queue's size.
    """
    if delisting == 0 or queue == 0 or delisting / queue <= limit:
        return None
    return (
        f"monitor refused: this run would mark {delisting:,} of {queue:,} alerts delisted "
        f"({100 * delisting / queue:.1f}%, over the {100 * limit:g}% limit); a list that "
        f"lost most of its entries (a truncated file?) looks like this; nothing was changed; "
        f"check the lists ('entityscreen lists diff SOURCE') or re-run with {ALLOW_FLAG}"
    )


__all__ = ["ALLOW_FLAG", "DelistGuard", "Shrink", "check_import", "delisting_refusal"]
