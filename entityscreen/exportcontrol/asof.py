"""Was an entry listed on a given date? The answer, and the evidence it rests on.

Two kinds of evidence exist:

* the entry's own dates: the date first listed (its earliest Federal Register citation
  by effective date, or its ``start_date`` where that counts; see
  :mod:`~entityscreen.exportcontrol.history`) and its
  ``end_date`` (taken as the last day listed);
* snapshots of the entry's source: for each imported snapshot, its date and whether the
  entry was in it (the store knows; the caller passes them in).

Rules, in order (``S`` is the latest snapshot on or before ``as_of``):

1. An end date before ``as_of`` -> not listed (the entry's own end date).
2. A known start after ``as_of`` -> not listed, unless ``S`` shows the entry present:
   a snapshot is an observation of the list, so it wins over a stated date, and the
   evidence names the conflict. A snapshot taken *after* ``as_of`` never proves absence
   on ``as_of``.
3. A known start on or before ``as_of`` -> listed, unless ``S`` was taken after the start
   and does not hold the entry: then it had been removed by ``S``'s date -> not listed.
4. No known start: ``S`` decides -> listed if present in ``S``, not listed if absent;
   with no snapshot on or before ``as_of`` the answer is unknown (``None``) and the
   evidence says so.

Several snapshots on one day: the last one given for that day counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from ..model import Entry
from .federal_register import parse_citations
from .legal import FirstListed, find_first_listed, parse_entry_date


class Basis(StrEnum):
    """Which evidence an :class:`AsOfStatus` rests on."""

    ENTRY_DATES = "entry_dates"
    SNAPSHOTS = "snapshots"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class AsOfStatus:
    """Whether an entry was listed on a date.

    Attributes:
        entry_id: The entry's id.
        as_of: The date asked about.
        listed: True, False, or None when the evidence cannot tell.
        basis: Which evidence decided.
        evidence: The evidence in words, e.g. ``"entry's own start date 2019-10-09
            (84 FR 54002)"`` or ``"present in snapshot of 2023-12-28, absent from
            2024-05-03"``.
        start: The start (date first listed), when known.
        end: The end date, when known.
        snapshot: The date of the latest snapshot on or before ``as_of``, if any.
    """

    entry_id: str
    as_of: date
    listed: bool | None
    basis: Basis
    evidence: str
    start: date | None = None
    end: date | None = None
    snapshot: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO text)."""
        return {
            "entry_id": self.entry_id,
            "as_of": self.as_of.isoformat(),
            "listed": self.listed,
            "basis": self.basis.value,
            "evidence": self.evidence,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "snapshot": self.snapshot.isoformat() if self.snapshot else None,
        }


def _split_snapshots(
    snapshot_presence: Sequence[tuple[date, bool]], as_of: date
) -> tuple[tuple[date, bool] | None, tuple[date, bool] | None, tuple[date, bool] | None]:
    """The latest snapshot on or before ``as_of``, the latest before that with the
    opposite presence (context), and the first one after ``as_of`` (context)."""
    ordered = sorted(enumerate(snapshot_presence), key=lambda item: (item[1][0], item[0]))
    snapshots = [snap for _, snap in ordered]
    before = [s for s in snapshots if s[0] <= as_of]
    after = [s for s in snapshots if s[0] > as_of]
    latest = before[-1] if before else None
    earlier = None
    if latest is not None:
        earlier = next((s for s in reversed(before) if s[1] != latest[1]), None)
    return latest, earlier, (after[0] if after else None)


def _describe_snapshots(
    latest: tuple[date, bool] | None,
    earlier: tuple[date, bool] | None,
    following: tuple[date, bool] | None,
) -> str:
    parts: list[str] = []
    if earlier is not None:
        parts.append(f"{'present in' if earlier[1] else 'absent from'} snapshot of {earlier[0]}")
    if latest is not None:
        verb = "present in" if latest[1] else "absent from"
        parts.append(f"{verb} snapshot of {latest[0]}" if not parts else f"{verb} {latest[0]}")
    if following is not None and (latest is None or following[1] != latest[1]):
        verb = "present in" if following[1] else "absent from"
        parts.append(
            f"{verb} snapshot of {following[0]}" if not parts else f"{verb} {following[0]}"
        )
    return ", ".join(parts)


def _own_start(first: FirstListed) -> str:
    cited = f" ({first.cited})" if first.cited else ""
    kind = "start date" if first.basis == "start date" else "earliest Federal Register date"
    return f"entry's own {kind} {first.date.isoformat()}{cited}"


def listing_status(
    entry: Entry,
    as_of: date,
    *,
    snapshot_presence: Sequence[tuple[date, bool]] = (),
) -> AsOfStatus:
    """Whether ``entry`` was listed on ``as_of`` (rules in the module docstring).

    Args:
        entry: The entry.
        as_of: The date asked about.
        snapshot_presence: ``(snapshot date, entry present?)`` for snapshots of the
            entry's source, in any order.

    Returns:
        The answer with its basis and evidence.
    """
    first = find_first_listed(entry, parse_citations(entry.legal.federal_register).citations)
    start = first.date if first else None
    end = parse_entry_date(entry.legal.end_date)
    latest, earlier, following = _split_snapshots(snapshot_presence, as_of)
    seen = _describe_snapshots(latest, earlier, following)

    def status(listed: bool | None, basis: Basis, evidence: str) -> AsOfStatus:
        return AsOfStatus(
            entry.id,
            as_of,
            listed,
            basis,
            evidence,
            start,
            end,
            latest[0] if latest else None,
        )

    if end is not None and as_of > end:
        return status(False, Basis.ENTRY_DATES, f"entry's own end date {end.isoformat()}")
    if first is not None and as_of < first.date:
        if latest is not None and latest[1]:
            return status(
                True,
                Basis.SNAPSHOTS,
                f"{seen} (conflicts with the {_own_start(first)}; the snapshot is an "
                "observation of the list and wins)",
            )
        return status(False, Basis.ENTRY_DATES, f"{_own_start(first)}: not yet listed")
    if first is not None:
        if latest is not None and not latest[1] and latest[0] >= first.date:
            return status(
                False,
                Basis.SNAPSHOTS,
                f"{seen}: removed by {latest[0]} although listed since {first.date.isoformat()}",
            )
        evidence = _own_start(first)
        if latest is not None and latest[1]:
            evidence += f"; {seen}"
        return status(True, Basis.ENTRY_DATES, evidence)
    if latest is None:
        later = f"; first snapshot after it: {seen}" if seen else ""
        return status(
            None,
            Basis.NONE,
            f"the entry states no start date and no snapshot of its source was taken on or "
            f"before {as_of.isoformat()}{later}",
        )
    return status(latest[1], Basis.SNAPSHOTS, seen)


__all__ = ["AsOfStatus", "Basis", "listing_status"]
