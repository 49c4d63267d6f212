"""How old each list is: a snapshot's date, how it was found, and whether it is stale.

A snapshot's date is the one its file states; else the one the user gave (``lists import
--published``) or a date in the file's name; else one the reader inferred from the data
(``Snapshot.published_basis`` says how, e.g. "inferred: newest start_date in the file");
else none, and the day it was imported stands in, said in so many words. An answer
resting on a list never hides which of these dated it.

A list is stale when its snapshot is older than its age limit on the day of the answer
(default 7 days: the lists this package reads are republished daily or on every rule,
so a week without an update means the copy is behind). Limits per list come from the
caller (settings, then ``max_age_days`` in ``data/lists.yml``); this module takes them
as arguments and reads no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import Snapshot

#: Age limit of a list with no limit of its own.
DEFAULT_MAX_AGE_DAYS = 7

#: The basis of a snapshot whose file states its date.
STATED = "stated in the file"
#: The basis of a snapshot with no date at all: the import day stands in.
IMPORT_DAY = "not stated in the file and not inferred: the day it was imported stands in"


@dataclass(frozen=True, slots=True)
class SnapshotAge:
    """One snapshot's date, how it was found, and its age on a day.

    Attributes:
        source: The snapshot's source.
        snapshot: Its id.
        lists: The list codes it holds that the answer used.
        date: Its date.
        basis: How the date was found (:data:`STATED`, :data:`IMPORT_DAY`, or the stored
            ``published_basis``).
        age_days: Days from ``date`` to the day of the answer.
        max_age_days: The age limit that applies (the smallest of its lists').
    """

    source: str
    snapshot: int
    lists: tuple[str, ...]
    date: date
    basis: str
    age_days: int
    max_age_days: int

    @property
    def stale(self) -> bool:
        """True when older than its age limit."""
        return self.age_days > self.max_age_days

    @property
    def label(self) -> str:
        """``"us_csl (DPL, EL, SDN) snapshot 3 of 2022-04-21"``."""
        lists = f" ({', '.join(self.lists)})" if self.lists else ""
        return f"{self.source}{lists} snapshot {self.snapshot} of {self.date.isoformat()}"

    @property
    def warning(self) -> str | None:
        """The staleness warning, None when the list is fresh enough."""
        if not self.stale:
            return None
        return (
            f"{self.source} is {self.age_days:,} days old (snapshot of {self.date.isoformat()}, "
            f"{self.basis}), older than the {self.max_age_days}-day limit: update it"
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "source": self.source,
            "snapshot": self.snapshot,
            "lists": list(self.lists),
            "date": self.date.isoformat(),
            "date_basis": self.basis,
            "age_days": self.age_days,
            "max_age_days": self.max_age_days,
            "stale": self.stale,
            "warning": self.warning,
        }


def date_snapshot(snapshot: Snapshot) -> tuple[date, str]:
    """A snapshot's date and how it was found (see the module docstring).

    A stored date that does not parse falls back to the import day, and the basis says so.
    """
    if snapshot.published:
        try:
            when = date.fromisoformat(snapshot.published[:10])
        except ValueError:
            pass
        else:
            return when, snapshot.published_basis or STATED
    fetched = date.fromisoformat(snapshot.fetched_at[:10])
    return fetched, IMPORT_DAY


def age_limit(
    lists: Iterable[str], limits: Mapping[str, int], *, default: int = DEFAULT_MAX_AGE_DAYS
) -> int:
    """The age limit of a snapshot used for ``lists``: the smallest of theirs.

    Args:
        lists: The list codes.
        limits: Limits by list code; a list not in it has ``default``.
        default: The limit of a list with none of its own.
    """
    return min((limits.get(code, default) for code in lists), default=default)


def snapshot_age(
    snapshot: Snapshot,
    lists: Iterable[str],
    *,
    today: date,
    limits: Mapping[str, int],
    default: int = DEFAULT_MAX_AGE_DAYS,
) -> SnapshotAge:
    """How old ``snapshot`` is on ``today`` and whether that is too old for ``lists``.

    Args:
        snapshot: The snapshot.
        lists: The list codes of it that the answer used.
        today: The day of the answer.
        limits: Age limits by list code.
        default: The limit of a list with none of its own.
    """
    codes = tuple(sorted(set(lists)))
    when, basis = date_snapshot(snapshot)
    return SnapshotAge(
        source=snapshot.source,
        snapshot=snapshot.id,
        lists=codes,
        date=when,
        basis=basis,
        age_days=max(0, (today - when).days),
        max_age_days=age_limit(codes, limits, default=default),
    )


__all__ = [
    "DEFAULT_MAX_AGE_DAYS",
    "IMPORT_DAY",
    "STATED",
    "SnapshotAge",
    "age_limit",
    "date_snapshot",
    "snapshot_age",
]
