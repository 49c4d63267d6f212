"""Ownership rules and the dates they are in force, from ``data/rules.yml``.

A :class:`Rule` says which listed owners count (list codes, see
:func:`~entityscreen.exportcontrol.ownership.listing_codes`), the ownership threshold
(50%) and when it applies: from ``effective_from`` to ``effective_to`` (both inclusive,
open when absent) except during its suspension windows (inclusive). The BIS Affiliates
rule, for instance, took effect on 2025-09-29 and is suspended from 2025-11-10 to
2026-11-09; on 2026-11-10 it applies again. Extending the suspension is a data change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from ._data import DataFileError, load_data, read_date, read_mapping, read_strings


@dataclass(frozen=True, slots=True)
class Suspension:
    """A window during which a rule does not apply.

    Attributes:
        start: First day suspended.
        end: Last day suspended; None for "until further notice".
        citation: The rule that suspended it.
        verified: False when the citation is not confirmed.
    """

    start: date
    end: date | None
    citation: str | None = None
    verified: bool = True

    def covers(self, day: date) -> bool:
        """True when ``day`` is inside the window."""
        return self.start <= day and (self.end is None or day <= self.end)

    def describe(self) -> str:
        """E.g. ``"suspended from 2025-11-10 to 2026-11-09 (Federal Register ...)"``."""
        end = f" to {self.end.isoformat()}" if self.end else " until further notice"
        cited = f" ({self.citation})" if self.citation else ""
        return f"suspended from {self.start.isoformat()}{end}{cited}"


@dataclass(frozen=True, slots=True)
class RuleStatus:
    """Whether a rule applies on a date, and why.

    Attributes:
        in_force: True when the rule applies on the date.
        reason: E.g. ``"in force since 2025-09-29 (90 FR 47201)"``.
    """

    in_force: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Rule:
    """An ownership rule (see the module docstring).

    Attributes:
        id: Key in ``rules.yml`` ("ofac_50", "bis_affiliates").
        title: Its name.
        authority: Who issued it.
        citation: Where it is published.
        citation_verified: False when the citation is not confirmed.
        threshold: Ownership, in percent, at or above which a party is covered.
        owner_lists: Codes of the owners that count.
        listed_as: How those owners are named ("parties on the Entity List, ...").
        effective_from: First day in force; None when not recorded.
        effective_to: Last day in force; None when open.
        suspensions: Windows when it does not apply.
        notes: Scope and limits, in words.
    """

    id: str
    title: str
    authority: str
    citation: str
    citation_verified: bool
    threshold: float
    owner_lists: frozenset[str]
    listed_as: str
    effective_from: date | None = None
    effective_to: date | None = None
    suspensions: tuple[Suspension, ...] = ()
    notes: str = ""

    def status(self, as_of: date) -> RuleStatus:
        """Whether the rule applies on ``as_of``, with the reason in words."""
        if self.effective_from and as_of < self.effective_from:
            return RuleStatus(
                False,
                f"not yet in force on {as_of.isoformat()} (effective "
                f"{self.effective_from.isoformat()}, {self.citation})",
            )
        if self.effective_to and as_of > self.effective_to:
            return RuleStatus(False, f"no longer in force (ended {self.effective_to.isoformat()})")
        for window in self.suspensions:
            if window.covers(as_of):
                return RuleStatus(False, window.describe())
        ended = [w for w in self.suspensions if w.end is not None and w.end < as_of]
        if ended:
            last = max(ended, key=lambda w: w.start)
            assert last.end is not None
            return RuleStatus(
                True,
                f"in force again since {(last.end + timedelta(days=1)).isoformat()} "
                f"after its suspension from {last.start.isoformat()} to {last.end.isoformat()} "
                f"({self.citation})",
            )
        since = f" since {self.effective_from.isoformat()}" if self.effective_from else ""
        return RuleStatus(True, f"in force{since} ({self.citation})")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.id,
            "title": self.title,
            "authority": self.authority,
            "citation": self.citation,
            "citation_verified": self.citation_verified,
            "threshold": self.threshold,
            "owner_lists": sorted(self.owner_lists),
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "suspensions": [
                {
                    "from": w.start.isoformat(),
                    "to": w.end.isoformat() if w.end else None,
                    "citation": w.citation,
                }
                for w in self.suspensions
            ],
        }


@dataclass(frozen=True, slots=True)
class ProgramCode:
    """An extra listing code given to entries of ``list`` with one of ``programs``.

    Attributes:
        code: The code ("SDN-744.8").
        list: The list whose entries can get it ("SDN").
        programs: Program tags that give it ("NPWMD").
    """

    code: str
    list: str
    programs: frozenset[str]


def _read_rule(rule_id: str, raw: Any) -> Rule:
    where = f"rules.yml rules.{rule_id}"
    item = read_mapping(raw, where=where)
    try:
        threshold = float(item.get("threshold", 50))
        suspensions = tuple(
            Suspension(
                start=read_date(w["from"], where=where) or date.min,
                end=read_date(w.get("to"), where=where),
                citation=w.get("citation"),
                verified=bool(w.get("citation_verified", True)),
            )
            for w in (read_mapping(x, where=where) for x in item.get("suspended") or [])
        )
        return Rule(
            id=rule_id,
            title=str(item["title"]),
            authority=str(item.get("authority", "")),
            citation=str(item["citation"]),
            citation_verified=bool(item.get("citation_verified", False)),
            threshold=threshold,
            owner_lists=frozenset(read_strings(item.get("owner_lists"), where=where)),
            listed_as=str(item.get("listed_as", "listed parties")),
            effective_from=read_date(item.get("effective_from"), where=where),
            effective_to=read_date(item.get("effective_to"), where=where),
            suspensions=suspensions,
            notes=" ".join(str(item.get("notes", "")).split()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"{where}: {exc}") from exc


@cache
def load_rules() -> dict[str, Rule]:
    """Every rule in ``data/rules.yml``, by id.

    Raises:
        DataFileError: When the file is malformed.
    """
    data = read_mapping(load_data("rules.yml"), where="rules.yml")
    rules = read_mapping(data.get("rules"), where="rules.yml rules")
    return {rule_id: _read_rule(rule_id, raw) for rule_id, raw in rules.items()}


@cache
def load_program_codes() -> tuple[ProgramCode, ...]:
    """The extra listing codes of ``data/rules.yml`` (``program_codes``)."""
    data = read_mapping(load_data("rules.yml"), where="rules.yml")
    out: list[ProgramCode] = []
    for code, raw in read_mapping(data.get("program_codes") or {}, where="rules.yml").items():
        item = read_mapping(raw, where=f"rules.yml program_codes.{code}")
        programs = read_strings(item.get("programs"), where=f"rules.yml program_codes.{code}")
        out.append(ProgramCode(code, str(item["list"]), frozenset(programs)))
    return tuple(out)


def get_rule(rule_id: str) -> Rule:
    """The rule ``rule_id`` ("ofac_50", "bis_affiliates", "ndaa_889_affiliates").

    Raises:
        KeyError: For an unknown id, naming the known ones.
    """
    rules = load_rules()
    if rule_id not in rules:
        raise KeyError(f"unknown rule {rule_id!r}; known: {', '.join(sorted(rules))}")
    return rules[rule_id]


__all__ = [
    "ProgramCode",
    "Rule",
    "RuleStatus",
    "Suspension",
    "get_rule",
    "load_program_codes",
    "load_rules",
]
