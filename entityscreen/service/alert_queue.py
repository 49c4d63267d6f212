"""The alert queue as an analyst reads it (issue #14): alerts grouped by party, with the
party's own name from the registry and one verdict per party, searchable and paged.

One function, :func:`alert_queue`, for every front end (the web UI's alerts page calls
it); the store keeps the alerts, this module only orders and groups them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..errors import InputError
from ..exportcontrol.verdict import (
    HitFact,
    Level,
    PartyVerdict,
    flag_level,
    party_verdict,
    rule_level,
)
from ..model import Alert, AlertStatus

if TYPE_CHECKING:
    from . import Screener

#: Parties per page: a party's alerts are never split across pages.
PARTIES_PER_PAGE = 25
#: The alerts that count toward a party's verdict: a false positive does not, nor an
#: entry no longer listed.
COUNTED = frozenset({AlertStatus.OPEN, AlertStatus.ESCALATED, AlertStatus.TRUE_MATCH})


@dataclass(frozen=True, slots=True)
class PartyAlerts:
    """One party's alerts in the queue.

    Attributes:
        party_id: The registry's id.
        party_name: The party's own name in the registry (the customer's name), or the id
            when the party has left the registry.
        verdict: The party's verdict from its alerts that count (:data:`COUNTED`),
            whatever the page is filtered on.
        alerts: Its alerts that pass the filter, best score first.
    """

    party_id: str
    party_name: str
    verdict: PartyVerdict
    alerts: tuple[Alert, ...]


@dataclass(frozen=True, slots=True)
class AlertPage:
    """One page of the queue.

    Attributes:
        groups: The parties on this page, most severe verdict first, then by name.
        page: The page number, from 1.
        pages: How many pages there are (at least 1).
        parties: Parties that have alerts passing the filter.
        alerts: Alerts passing the filter.
        lists: The list codes of every alert in the queue (for a filter's choices).
    """

    groups: tuple[PartyAlerts, ...]
    page: int
    pages: int
    parties: int
    alerts: int
    lists: tuple[str, ...] = ()


def alerts_verdict(alerts: Iterable[Alert], *, on: date | None = None) -> PartyVerdict:
    """A party's verdict from its alerts: name matches as :func:`party_verdict` ranks
    hits; an ownership alert at its rule's level and a flag alert at its flag's.

    An ownership alert is raised when its rule's threshold is reached *or* undetermined,
    and the alert does not keep which: it is ranked as if the rule applied, so that the
    queue errs toward looking at it first (its reason line says what was found).
    """
    hits: list[HitFact] = []
    found: list[tuple[Level, str]] = []
    for alert in alerts:
        kind, _, rest = alert.entry_id.partition(":")
        if kind == "ownership":
            found.append((rule_level(rest), f"{alert.listed_name}: {alert.explanation}"))
        elif kind == "flag":
            code = rest.split(":", 1)[0]
            found.append((flag_level(code), f"{alert.listed_name}: {alert.explanation}"))
        else:
            hits.append(HitFact(alert.list, alert.listed_name, alert.score))
    verdict = party_verdict(hits, on=on)
    if not found:
        return verdict
    found.sort(key=lambda item: -item[0])
    level, text = found[0]
    if verdict.level >= level:
        basis = (*verdict.basis, *(t for _, t in found))
        return PartyVerdict(verdict.level, f"{verdict.reason} (and {len(found)} more)", basis)
    more = len(found) - 1 + len(verdict.basis)
    also = f" (and {more} more)" if more else ""
    return PartyVerdict(level, f"{text}{also}", (*(t for _, t in found), *verdict.basis))


def party_names(screener: Screener) -> dict[str, str]:
    """Each registry party's own name by id."""
    return screener.store.party_names()


def _matches(alert: Alert, name: str, words: Sequence[str]) -> bool:
    text = f"{alert.party_id} {name} {alert.listed_name} {alert.matched_name}".casefold()
    return all(w in text for w in words)


def alert_queue(
    screener: Screener,
    *,
    status: str | None = "open",
    search: str = "",
    list_code: str = "",
    page: int = 1,
    per_page: int = PARTIES_PER_PAGE,
) -> AlertPage:
    """A page of the alert queue, grouped by party.

    Args:
        screener: The service.
        status: Only alerts of this status (None or "": all).
        search: Words that must all appear in the party's id or name, or the alert's
            listed or matched name (case-insensitive).
        list_code: Only alerts of this list ("EL", "SDN", "OWNERSHIP", "EMBARGO"...).
        page: The page, from 1 (past the last: the last).
        per_page: Parties per page.
    """
    if page < 1:
        raise InputError(f"page must be 1 or more, got {page}")
    try:
        chosen = AlertStatus(status) if status else None
    except ValueError:
        known = ", ".join(s.value for s in AlertStatus)
        raise InputError(f"unknown status {status!r}; use one of {known}") from None
    everything = screener.alerts()
    names = party_names(screener)
    words = search.casefold().split()
    code = list_code.strip().upper()
    by_party: dict[str, list[Alert]] = {}
    for alert in everything:
        by_party.setdefault(alert.party_id, []).append(alert)
    today = screener.now()[:10]
    groups: list[PartyAlerts] = []
    total = 0
    for party_id, alerts in by_party.items():
        name = names.get(party_id, party_id)
        shown = [
            a
            for a in alerts
            if (chosen is None or a.status is chosen)
            and (not code or a.list.upper() == code)
            and _matches(a, name, words)
        ]
        if not shown:
            continue
        total += len(shown)
        verdict = alerts_verdict(
            (a for a in alerts if a.status in COUNTED), on=date.fromisoformat(today)
        )
        shown.sort(key=lambda a: (-a.score, a.id))
        groups.append(PartyAlerts(party_id, name, verdict, tuple(shown)))
    groups.sort(key=lambda g: (-g.verdict.level, g.party_name.casefold(), g.party_id))
    pages = max(1, -(-len(groups) // per_page))
    page = min(page, pages)
    start = (page - 1) * per_page
    return AlertPage(
        groups=tuple(groups[start : start + per_page]),
        page=page,
        pages=pages,
        parties=len(groups),
        alerts=total,
        lists=tuple(sorted({a.list for a in everything})),
    )


__all__ = [
    "COUNTED",
    "PARTIES_PER_PAGE",
    "AlertPage",
    "PartyAlerts",
    "alert_queue",
    "alerts_verdict",
    "party_names",
]
