"""What an ownership aggregation finds: :class:`OwnershipFinding` and its paths.

The values :func:`~entityscreen.exportcontrol.ownership.aggregate_ownership` returns, and
how they read (:meth:`OwnershipPath.describe`, :func:`format_percent`, the JSON of
``to_dict``), kept apart from the aggregation in :mod:`.ownership` that builds them: the
screening results carry findings (``entityscreen.results``) and never apply the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .affiliates import AffiliateTerms, OwnerResolution, RuleWindow
from .lists import get_list

#: Tolerance when comparing summed float shares with the threshold.
EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class OwnershipPath:
    """One owner's contribution to a party's listed ownership.

    Attributes:
        owner_id: The owner.
        owner_name: Its display name.
        share: The share it holds, in percent.
        listed: Its own listing codes that the rule counts (empty when it counts only
            through its owners).
        via: For an owner that counts through its owners, their contributions.
        owned_total: For such an owner, the total its counting owners hold of it.
    """

    owner_id: str
    owner_name: str
    share: float
    listed: tuple[str, ...] = ()
    via: tuple[OwnershipPath, ...] = ()
    owned_total: float | None = None

    def describe(self, *, show_lists: bool = True) -> str:
        """E.g. ``"X 35%"``, ``"B 60% (itself owned 60% by A 60%)"``."""
        text = f"{self.owner_name} {format_percent(self.share)}"
        if self.listed and show_lists:
            text += f" ({', '.join(get_list(c).name for c in self.listed)})"
        if self.via:
            inner = " + ".join(p.describe(show_lists=show_lists) for p in self.via)
            text += f" (itself owned {format_percent(self.owned_total or 0)} by {inner})"
        return text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "owner_id": self.owner_id,
            "owner_name": self.owner_name,
            "share": self.share,
            "listed": list(self.listed),
            "owned_total": self.owned_total,
            "via": [p.to_dict() for p in self.via],
        }


@dataclass(frozen=True, slots=True)
class OwnershipFinding:
    """How much of a target listed parties own under one rule, on one date.

    Attributes:
        target_id: The party examined.
        target_name: Its display name.
        rule_id: The rule applied.
        rule_title: Its title.
        citation: Its citation.
        as_of: The date asked about.
        in_force: Whether the rule applies on ``as_of``.
        rule_status: Why (in force since, suspended from ... to ...).
        threshold: The rule's threshold, in percent.
        total: Percent owned by parties that count (capped at 100).
        paths: Contributions of the direct owners that count.
        listed_codes: The list codes of the listed parties at the ends of the paths.
        unknown_shares: Parties that count but hold a share of the target not known.
        summary: One sentence.
        problems: Cycles, unknown shares, totals over 100%, ignored or duplicate edges.
        notes: Listed owners that do not count (held through parties that do not count).
        window: The rule's window on ``as_of`` and what it assumes (issue #12).
        owners: How each owner in the paths was resolved to listed entries.
        inherits: What the target inherits from its listed owners (when the total
            reaches the threshold).
    """

    target_id: str
    target_name: str
    rule_id: str
    rule_title: str
    citation: str
    as_of: date
    in_force: bool
    rule_status: str
    threshold: float
    total: float
    paths: tuple[OwnershipPath, ...]
    listed_codes: frozenset[str]
    unknown_shares: tuple[str, ...]
    summary: str
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    window: RuleWindow | None = None
    owners: tuple[OwnerResolution, ...] = ()
    inherits: AffiliateTerms | None = None

    @property
    def reaches_threshold(self) -> bool:
        """True when the total is at or above the threshold (whatever the date)."""
        return self.total + EPSILON >= self.threshold

    @property
    def applies(self) -> bool:
        """True when the rule is in force and the total reaches the threshold."""
        return self.in_force and self.reaches_threshold

    @property
    def undetermined(self) -> bool:
        """True when the total is below the threshold but unknown shares could reach it."""
        return not self.reaches_threshold and bool(self.unknown_shares)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "target_id": self.target_id,
            "target_name": self.target_name,
            "rule": self.rule_id,
            "rule_title": self.rule_title,
            "citation": self.citation,
            "as_of": self.as_of.isoformat(),
            "in_force": self.in_force,
            "rule_status": self.rule_status,
            "threshold": self.threshold,
            "total": self.total,
            "applies": self.applies,
            "undetermined": self.undetermined,
            "paths": [p.to_dict() for p in self.paths],
            "listed_codes": sorted(self.listed_codes),
            "unknown_shares": list(self.unknown_shares),
            "summary": self.summary,
            "problems": list(self.problems),
            "notes": list(self.notes),
            "window": self.window.to_dict() if self.window else None,
            "owners": [o.to_dict() for o in self.owners],
            "inherits": self.inherits.to_dict() if self.inherits else None,
        }


def format_percent(value: float) -> str:
    """``35.0`` -> ``"35%"``, ``33.333`` -> ``"33.33%"``."""
    return f"{round(value, 2):g}%"


__all__ = ["EPSILON", "OwnershipFinding", "OwnershipPath", "format_percent"]
