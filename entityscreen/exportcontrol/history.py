"""An entry's listing history as the law reads it: its Federal Register citations dated,
the date first listed, and (Denied Persons List) the denial order's type, first order and
expiry.

Listing history
    Every citation, dated by :func:`~.fr_rules.date_citation` (a known rule's publication
    and effective dates, else the date printed with the citation), oldest first.

Date first listed
    The earliest effective date among the dated citations, or the entry's own
    ``start_date`` when that is earlier and the citations back it. The two disagree in the
    real lists, and neither is always right:

    * Entity List and MEU (``bis_end_user`` lists): the citations are the law's record.
      The CSL's ``start_date`` is the publication date (Huawei: 2019-05-21 where 84 FR 22961
      took effect 2019-05-16), and sometimes plainly wrong (NetPosa: 2019-10-09 where the
      Entity List cites 85 FR 34505 of 2020-06-05). So ``start_date`` counts only when a
      citation is dated on it, or an undated citation is from its year.
    * Other lists: a ``start_date`` is the date a measure took effect, which precedes its
      Federal Register notice (a denial order is signed days before it is published), so
      the earlier of the two counts.

    When ``start_date`` and the date first listed differ, :attr:`ListingHistory.notes`
    says so; the date is never silently replaced.

Denial orders (DPL)
    The type is "temporary denial order" when the entry's action or remarks name a TDO
    (BIS renews these every 180 days or a year; each renewal is a new citation), else
    "denial order". The first order is the entry's earliest date (above), the current
    order runs from its ``start_date`` (the latest renewal in the CSL), and the order
    expires on its ``end_date``: after that day it reads "expired on ...".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import Entry
from .federal_register import Citation, volume_year
from .fr_rules import DatedCitation, FrRule, date_citation

_Date = date  # FirstListed has a field named "date"

#: Words in a DPL entry's action or remarks that mark a temporary denial order.
_TDO = re.compile(r"\bTDO\b|\bTEMPORARY\s+DENIAL\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FirstListed:
    """When an entry was first listed and on what evidence.

    Attributes:
        date: The date (the effective date when a known rule gives one).
        basis: ``"start date"`` (the entry's own) or ``"earliest Federal Register
            citation"``.
        citation: The citation that goes with the date, if one does.
        published: The rule's publication date when it differs from ``date``.
        rule: The rule the citation points into, when known.
    """

    date: _Date
    basis: str
    citation: Citation | None = None
    published: _Date | None = None
    rule: FrRule | None = None

    @property
    def cited(self) -> str:
        """The citation in words: ``"84 FR 22961: published 2019-05-21, effective
        2019-05-16"``, ``"85 FR 34505 (rule 85 FR 34503)"``, ``"84 FR 54002"``, or ``""``
        without a citation."""
        if self.citation is None:
            return ""
        label = self.citation.label
        if self.rule is not None and self.rule.label != label:
            label += f" (rule {self.rule.label})"
        if self.published is not None and self.published != self.date:
            return (
                f"{label}: published {self.published.isoformat()}, "
                f"effective {self.date.isoformat()}"
            )
        return label

    def describe(self) -> str:
        """E.g. ``"start date 2019-10-09 (84 FR 54002)"``."""
        cited = f" ({self.cited})" if self.cited else ""
        return f"{self.basis} {self.date.isoformat()}{cited}"


@dataclass(frozen=True, slots=True)
class ListingHistory:
    """An entry's dated citations, date first listed and the disagreements found.

    Attributes:
        events: Every citation with its dates, oldest first (undated last).
        first_listed: When first listed, or None when nothing dates the entry.
        start_date: The entry's own ``start_date`` (full dates only).
        notes: Disagreements between ``start_date`` and the citations, in words.
    """

    events: tuple[DatedCitation, ...]
    first_listed: FirstListed | None
    start_date: date | None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "events": [e.to_dict() for e in self.events],
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class DenialOrder:
    """A Denied Persons List entry's order.

    Attributes:
        kind: ``"temporary denial order"`` or ``"denial order"``.
        standard: True for standard terms, False for non-standard, None when not stated.
        first_order: The date of the first order (earliest date of the entry).
        first_citation: The citation of the first order, when known.
        current_from: When the current order took effect (the entry's ``start_date``).
        expires: When it expires (the entry's ``end_date``).
        orders: How many Federal Register notices the entry cites (first order and
            renewals or changes).
    """

    kind: str
    standard: bool | None
    first_order: date | None
    first_citation: Citation | None
    current_from: date | None
    expires: date | None
    orders: int

    def is_expired(self, on: date) -> bool:
        """True when the order expired before ``on``."""
        return self.expires is not None and on > self.expires

    def describe(self, on: date | None = None) -> str:
        """The order in words; with ``on``, says "expired on ..." when it had."""
        terms = ""
        if self.standard is not None:
            terms = " (standard terms)" if self.standard else " (non-standard terms)"
        parts: list[str] = []
        if self.first_order is not None:
            cited = f" ({self.first_citation.label})" if self.first_citation else ""
            parts.append(f"first order {self.first_order.isoformat()}{cited}")
        if self.orders > 1:
            parts.append(f"{self.orders} Federal Register notices")
        if self.current_from is not None and self.current_from != self.first_order:
            parts.append(f"current order from {self.current_from.isoformat()}")
        if on is not None and self.is_expired(on):
            assert self.expires is not None
            state = f"expired on {self.expires.isoformat()}"
        elif self.expires is not None:
            state = f"in force until {self.expires.isoformat()}"
        else:
            state = "no expiry stated"
        history = f"; {', '.join(parts)}" if parts else ""
        return f"{self.kind}{terms}, {state}{history}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": self.kind,
            "standard": self.standard,
            "first_order": self.first_order.isoformat() if self.first_order else None,
            "first_citation": self.first_citation.label if self.first_citation else None,
            "current_from": self.current_from.isoformat() if self.current_from else None,
            "expires": self.expires.isoformat() if self.expires else None,
            "orders": self.orders,
        }


def parse_entry_date(value: str | None) -> date | None:
    """An entry's ISO date as a ``date``; None for blanks and partial dates (``2019``)."""
    if not value or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def choose_citation(citations: tuple[Citation, ...], when: date) -> Citation | None:
    """The citation that goes with a listing date: the one printed with that date, else
    the first one published in that year; None when no citation is from that year."""
    exact = [c for c in citations if c.date == when]
    if exact:
        return exact[0]
    same_year = [c for c in citations if volume_year(c.volume) == when.year]
    return min(same_year, key=Citation.sort_key) if same_year else None


def _event_on(events: tuple[DatedCitation, ...], when: date) -> DatedCitation | None:
    """The dated citation published or effective on ``when``, if any."""
    return next((e for e in events if when in (e.published, e.effective)), None)


def _backs(events: tuple[DatedCitation, ...], start: date) -> bool:
    """True when a citation is dated on ``start`` or an undated one is from its year."""
    if _event_on(events, start) is not None:
        return True
    return any(e.effective is None and volume_year(e.citation.volume) == start.year for e in events)


def listing_history(
    entry: Entry, citations: tuple[Citation, ...], *, citations_rule: bool
) -> ListingHistory:
    """The listing history of ``entry`` (rules in the module docstring).

    Args:
        entry: The entry.
        citations: Its parsed Federal Register citations.
        citations_rule: True for lists whose citations are the law's record (Entity List,
            MEU): an unbacked ``start_date`` does not count.

    Returns:
        The history.
    """
    events = tuple(
        sorted(
            (date_citation(c) for c in citations),
            key=lambda e: (e.effective or date.max, e.citation.sort_key()),
        )
    )
    start = parse_entry_date(entry.legal.start_date)
    dated = [e for e in events if e.effective is not None]
    earliest = dated[0] if dated else None
    start_counts = start is not None and (not citations_rule or not dated or _backs(events, start))
    first: FirstListed | None = None
    if start is not None and start_counts and (earliest is None or start <= _eff(earliest)):
        on_start = _event_on(events, start)
        if on_start is not None and on_start.effective == start:
            first = _from_event(on_start, "start date")
        else:
            first = FirstListed(start, "start date", choose_citation(citations, start))
    elif earliest is not None:
        first = _from_event(earliest, "earliest Federal Register citation")
    notes = _notes(start, first, events, citations_rule=citations_rule)
    return ListingHistory(events, first, start, notes)


def _eff(event: DatedCitation) -> date:
    assert event.effective is not None
    return event.effective


def _from_event(event: DatedCitation, basis: str) -> FirstListed:
    published = event.published if event.published != event.effective else None
    return FirstListed(_eff(event), basis, event.citation, published, event.rule)


def _notes(
    start: date | None,
    first: FirstListed | None,
    events: tuple[DatedCitation, ...],
    *,
    citations_rule: bool,
) -> tuple[str, ...]:
    if start is None or first is None or start == first.date:
        return ()
    on_start = _event_on(events, start)
    if on_start is not None and on_start.published == start and on_start.effective != start:
        assert on_start.effective is not None
        return (
            f"the list's start date {start.isoformat()} is the publication date of "
            f"{on_start.citation.label}, which took effect {on_start.effective.isoformat()}",
        )
    if citations_rule and start < first.date:
        return (
            f"the list's start date {start.isoformat()} is not backed by its Federal Register "
            f"citations: first listed {first.date.isoformat()} ({first.cited})",
        )
    return (
        f"the list's start date {start.isoformat()} differs from the date first listed "
        f"{first.date.isoformat()}" + (f" ({first.cited})" if first.cited else ""),
    )


def is_temporary_denial(entry: Entry) -> bool:
    """True when the entry's action or remarks name a temporary denial order."""
    text = " ".join(t for t in (entry.legal.action, entry.remarks) if t)
    return bool(_TDO.search(text))


def denial_order(
    entry: Entry, history: ListingHistory, *, standard: bool | None, end: date | None
) -> DenialOrder:
    """The denial order of a Denied Persons List entry (see the module docstring).

    Args:
        entry: The entry.
        history: Its listing history.
        standard: Its Standard_Order flag, read.
        end: Its end date (the order's expiry).
    """
    first = history.first_listed
    return DenialOrder(
        kind="temporary denial order" if is_temporary_denial(entry) else "denial order",
        standard=standard,
        first_order=first.date if first else None,
        first_citation=first.citation if first else None,
        current_from=history.start_date,
        expires=end,
        orders=len(history.events),
    )


__all__ = [
    "DenialOrder",
    "FirstListed",
    "ListingHistory",
    "choose_citation",
    "denial_order",
    "is_temporary_denial",
    "listing_history",
    "parse_entry_date",
]
