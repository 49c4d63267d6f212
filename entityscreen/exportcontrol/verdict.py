"""One verdict per screened party (issue #14): what its hits, ownership findings and flags
mean together, most severe first.

- BLOCKED: a strong hit on a blocking list (SDN); the OFAC 50% rule applying.
- DENIED: a strong hit on the Denied Persons List whose order has not expired.
- LICENSE REQUIRED: a strong hit on the Entity List or the MEU List; the BIS Affiliates
  rule applying; an embargoed destination; Russia or Belarus (15 CFR 746.8).
- RESTRICTED: a strong hit on any other list (UN, EU, UK, SSI, CMIC, UVL, ...); a
  Section 889 flag.
- REVIEW: only weak hits (below :data:`STRONG_SCORE`), or ownership that cannot be
  decided.
- CLEAR: none of these.

A hit is *strong* at :data:`STRONG_SCORE` or above: the name evidence is close to certain
and what remains for the analyst is whether it is the same party. Below it, the hit is
"possible": it makes the verdict REVIEW when nothing strong is found, and is named in the
reason beside a stronger verdict ("... ; to review: possible SDN match ..."). Country
Group flags (``alerts: false``) never change a verdict. A verdict is not a legal opinion:
it orders what an analyst looks at first, and its reason says which hit or finding
decided it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any

from .flags_base import Flag
from .lists import ListKind, get_list
from .ownership_findings import OwnershipFinding

#: A hit at or above this score counts as strong evidence (see the module docstring).
STRONG_SCORE = 0.9


class Level(IntEnum):
    """Verdicts in order of severity."""

    CLEAR = 0
    REVIEW = 1
    RESTRICTED = 2
    LICENSE_REQUIRED = 3
    DENIED = 4
    BLOCKED = 5

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


@dataclass(frozen=True, slots=True)
class HitFact:
    """What the verdict needs of one hit.

    Attributes:
        list_code: The hit's list ("EL").
        listed_name: The entry's name.
        score: The match score.
        end_date: A denial order's expiry, if any.
    """

    list_code: str
    listed_name: str
    score: float
    end_date: date | None = None


@dataclass(frozen=True, slots=True)
class PartyVerdict:
    """The verdict on a party.

    Attributes:
        level: The verdict.
        reason: What decided it, and what else to review, in one line.
        basis: Every hit, finding and flag that counts, most severe first.
    """

    level: Level
    reason: str
    basis: tuple[str, ...]

    @property
    def label(self) -> str:
        """``"LICENSE REQUIRED"``."""
        return self.level.label

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.label, "reason": self.reason, "basis": list(self.basis)}


_KIND_LEVEL = {
    ListKind.OFAC_BLOCKING: Level.BLOCKED,
    ListKind.BIS_DPL: Level.DENIED,
    ListKind.BIS_END_USER: Level.LICENSE_REQUIRED,
    ListKind.BIS_UVL: Level.RESTRICTED,
    ListKind.OTHER: Level.RESTRICTED,
}

_RULE_LEVEL = {"ofac_50": Level.BLOCKED, "bis_affiliates": Level.LICENSE_REQUIRED}

_FLAG_LEVEL = {
    "EMBARGO": Level.LICENSE_REQUIRED,
    "RU_BY": Level.LICENSE_REQUIRED,
    "NDAA889": Level.RESTRICTED,
}


def rule_level(rule_id: str) -> Level:
    """The verdict an ownership rule gives when it applies (REVIEW for a rule not ranked)."""
    return _RULE_LEVEL.get(rule_id, Level.REVIEW)


def flag_level(code: str) -> Level:
    """The verdict a flag that alerts gives (REVIEW for a flag not ranked)."""
    return _FLAG_LEVEL.get(code, Level.REVIEW)


def party_verdict(
    hits: Sequence[HitFact],
    ownership: Sequence[OwnershipFinding] = (),
    flags: Sequence[Flag] = (),
    *,
    on: date | None = None,
) -> PartyVerdict:
    """The verdict of a party's screening.

    Args:
        hits: Its hits (listed on the day asked about).
        ownership: Its ownership findings.
        flags: Its flags.
        on: The day the verdict is for (a denial order expired before it denies nothing).
    """
    found: list[tuple[Level, str]] = []
    possible: list[str] = []
    for hit in sorted(hits, key=lambda h: -h.score):
        info = get_list(hit.list_code)
        kind = info.kind
        what = f"{info.name} match {hit.listed_name!r} ({hit.score:.2f})"
        if kind is ListKind.BIS_DPL and hit.end_date and on and hit.end_date < on:
            continue  # an expired denial order: shown with the hit, denies nothing
        if hit.score >= STRONG_SCORE:
            found.append((_KIND_LEVEL[kind], what))
        else:
            possible.append(f"possible {what}")
    for finding in ownership:
        if finding.applies and finding.rule_id in _RULE_LEVEL:
            found.append((_RULE_LEVEL[finding.rule_id], f"{finding.rule_title}: {finding.summary}"))
        elif finding.in_force and finding.undetermined:
            possible.append(f"{finding.rule_title} undetermined: {finding.summary}")
    for flag in flags:
        if flag.alerts and flag.code in _FLAG_LEVEL:
            found.append((_FLAG_LEVEL[flag.code], f"{flag.title}: {flag.reason}"))
    found.sort(key=lambda item: -item[0])
    review = f"; to review: {'; '.join(possible)}" if possible else ""
    if found:
        level, first = found[0]
        more = len(found) - 1
        also = f" (and {more} more)" if more else ""
        basis = tuple(text for _, text in found) + tuple(possible)
        return PartyVerdict(level, f"{first}{also}{review}", basis)
    if possible:
        return PartyVerdict(Level.REVIEW, "; ".join(possible), tuple(possible))
    return PartyVerdict(Level.CLEAR, "no hit, ownership finding or flag", ())


__all__ = [
    "STRONG_SCORE",
    "HitFact",
    "Level",
    "PartyVerdict",
    "flag_level",
    "party_verdict",
    "rule_level",
]
