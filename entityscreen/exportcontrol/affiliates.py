"""Who an owner is, what window a rule rests on, and what an affiliate inherits (issue #12).

Three values an :class:`~entityscreen.exportcontrol.ownership_findings.OwnershipFinding`
carries besides its total and paths:

* :class:`OwnerResolution` -- which listed entries an owner of the ownership file is
  (by entry id, by an identifier such as an LEI, or by name with the score and the listed
  name it matched), and whether that is ambiguous. The service resolves; this module only
  holds the result, so the core stays free of the matcher.
* :class:`RuleWindow` -- the window of the rule the finding rests on and what it assumes
  ("suspension 2025-11-10..2026-11-09 not extended; verify"), with ``verified`` flags.
* :class:`AffiliateTerms` -- what the owned party inherits from its listed owner(s): each
  owner's license requirement, review policy and license-exception restriction, from the
  owner's entry and ``data/affiliates.yml``, each with a ``verified`` flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from ._data import DataFileError, load_data, read_mapping
from .legal import LegalSummary
from .rules import Rule


@dataclass(frozen=True, slots=True)
class ResolvedEntry:
    """One listed entry an owner resolved to.

    Attributes:
        entry_id: The entry.
        list: Its list code.
        listed_name: Its primary name.
        basis: ``"entry id"``, ``"identifier"`` or ``"name"``.
        score: For a name-only resolution, the match score.
        matched_name: For a name-only resolution, the listed name (or alias) it matched;
            for an identifier, the identifier.
        codes: The listing codes the entry counts under (:func:`.listing_codes`).
    """

    entry_id: str
    list: str
    listed_name: str
    basis: str
    score: float | None = None
    matched_name: str | None = None
    codes: tuple[str, ...] = ()

    def describe(self) -> str:
        """E.g. ``"EL Hangzhou Hikvision ... (by name, score 1.00, matched 'Hikvision')"``."""
        if self.basis == "name":
            how = f"by name, score {self.score or 0:.2f}, matched '{self.matched_name}'"
        elif self.basis == "identifier":
            how = f"by identifier {self.matched_name}"
        else:
            how = "by entry id"
        return f"{self.list} {self.listed_name} ({how})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "entry_id": self.entry_id,
            "list": self.list,
            "listed_name": self.listed_name,
            "basis": self.basis,
            "score": self.score,
            "matched_name": self.matched_name,
            "codes": list(self.codes),
        }


@dataclass(frozen=True, slots=True)
class OwnerResolution:
    """Which listed entries one owner of the ownership data is.

    Attributes:
        node: The owner's node id in the graph.
        name: The owner's name as the file gives it.
        entries: Every entry it resolved to, on every list.
        ambiguous: Several *different* listed parties share the owner's name (not the
            same party on several lists): all are counted, and the finding says so.
        note: Why it is ambiguous, in words.
    """

    node: str
    name: str
    entries: tuple[ResolvedEntry, ...]
    ambiguous: bool = False
    note: str = ""

    @property
    def codes(self) -> frozenset[str]:
        """The listing codes of every entry it resolved to."""
        return frozenset(c for e in self.entries for c in e.codes)

    def describe(self) -> str:
        """One line: the owner, and the entries it is."""
        found = "; ".join(e.describe() for e in self.entries)
        text = f"{self.name} = {found}"
        return f"{text} -- AMBIGUOUS: {self.note}" if self.ambiguous else text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "node": self.node,
            "name": self.name,
            "entries": [e.to_dict() for e in self.entries],
            "ambiguous": self.ambiguous,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class RuleWindow:
    """The window of a rule a finding on ``as_of`` rests on, and what it assumes.

    Attributes:
        rule_id: The rule.
        citation: The rule's citation; ``citation_verified`` whether it was confirmed.
        citation_verified: See ``citation``.
        in_force_from: First day of the window ``as_of`` falls in (None: not in force).
        in_force_to: Last day of that window (None: open).
        assumptions: What the window assumes, each ``{"text", "verified"}``.
    """

    rule_id: str
    citation: str
    citation_verified: bool
    in_force_from: date | None
    in_force_to: date | None
    assumptions: tuple[dict[str, Any], ...] = ()

    @property
    def verified(self) -> bool:
        """True when the citation and every assumption are verified."""
        return self.citation_verified and all(a["verified"] for a in self.assumptions)

    def describe(self) -> str:
        """The assumptions in words, e.g. ``"assumes: suspension ... not extended; verify"``."""
        items = [a["text"] for a in self.assumptions]
        return "assumes: " + "; ".join(items) if items else ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "rule": self.rule_id,
            "citation": self.citation,
            "citation_verified": self.citation_verified,
            "in_force_from": self.in_force_from.isoformat() if self.in_force_from else None,
            "in_force_to": self.in_force_to.isoformat() if self.in_force_to else None,
            "assumptions": [dict(a) for a in self.assumptions],
            "verified": self.verified,
        }


def rule_window(rule: Rule, as_of: date) -> RuleWindow:
    """The window of ``rule`` that ``as_of`` falls in, and what it assumes.

    A day after a suspension window rests on that suspension not having been extended
    (an extension is a new rule we may not have yet): stated as an unverified assumption,
    as is a suspension whose own citation is unverified.
    """
    status = rule.status(as_of)
    assumptions: list[dict[str, Any]] = []
    start, end = rule.effective_from, rule.effective_to
    for window in sorted(rule.suspensions, key=lambda w: w.start):
        shown = f"{window.start.isoformat()}..{window.end.isoformat() if window.end else 'open'}"
        if window.citation and not window.verified:
            assumptions.append(
                {
                    "text": f"suspension {shown} citation ({window.citation}) unverified",
                    "verified": False,
                }
            )
        if window.end is not None and window.end < as_of:
            start = window.end + timedelta(days=1)
            assumptions.append(
                {"text": f"suspension {shown} not extended; verify", "verified": False}
            )
        elif window.covers(as_of):
            assumptions.append(
                {
                    "text": f"suspension {shown} in force on {as_of.isoformat()}; "
                    "the rule applies again after it unless extended",
                    "verified": window.verified,
                }
            )
        elif window.start > as_of and (end is None or window.start <= end):
            end = window.start - timedelta(days=1)
    return RuleWindow(
        rule_id=rule.id,
        citation=rule.citation,
        citation_verified=rule.citation_verified,
        in_force_from=start if status.in_force else None,
        in_force_to=end if status.in_force else None,
        assumptions=tuple(assumptions),
    )


@dataclass(frozen=True, slots=True)
class InheritedTerms:
    """What one listed owner's listing now means for the owned party.

    Attributes:
        owner: The owner's display name.
        entry_id: The owner's entry the terms come from.
        code: The listing code the rule counts it under ("EL", "SDN-744.8").
        requirement: The license requirement (the entry's own text, else the list's).
        policy: The license review policy (likewise).
        license_exceptions: The license-exception restriction.
        citation: Where these terms are.
        verified: False when a statement of the data file is not confirmed.
    """

    owner: str
    entry_id: str
    code: str
    requirement: str
    policy: str
    license_exceptions: str
    citation: str
    verified: bool

    def describe(self) -> str:
        """One line."""
        return (
            f"from {self.owner} ({self.code}): license requirement: {self.requirement}; "
            f"review policy: {self.policy}; license exceptions: {self.license_exceptions} "
            f"({self.citation}{'' if self.verified else '; unverified'})"
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "owner": self.owner,
            "entry_id": self.entry_id,
            "code": self.code,
            "requirement": self.requirement,
            "policy": self.policy,
            "license_exceptions": self.license_exceptions,
            "citation": self.citation,
            "verified": self.verified,
        }


@dataclass(frozen=True, slots=True)
class AffiliateTerms:
    """What a party caught by an ownership rule inherits.

    Attributes:
        rule_id: The rule.
        inherits: In words.
        citation: The rule's citation for it; ``verified`` whether confirmed.
        verified: See ``citation``.
        terms: Per listed owner, the terms that now apply.
        several_owners: How several owners' terms combine (None with one owner).
        several_owners_verified: Whether that is confirmed.
    """

    rule_id: str
    inherits: str
    citation: str
    verified: bool
    terms: tuple[InheritedTerms, ...] = ()
    several_owners: str | None = None
    several_owners_verified: bool = True

    def lines(self) -> list[str]:
        """The terms as lines for a report."""
        flag = "" if self.verified else " (unverified)"
        out = [f"inherits: {self.inherits} [{self.citation}{flag}]"]
        out.extend(t.describe() for t in self.terms)
        if self.several_owners:
            flag = "" if self.several_owners_verified else " (unverified)"
            out.append(f"several owners: {self.several_owners}{flag}")
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "rule": self.rule_id,
            "inherits": self.inherits,
            "citation": self.citation,
            "verified": self.verified,
            "terms": [t.to_dict() for t in self.terms],
            "several_owners": self.several_owners,
            "several_owners_verified": self.several_owners_verified,
        }


@dataclass(frozen=True, slots=True)
class _ListTerms:
    requirement: str
    policy: str
    license_exceptions: str
    citation: str
    verified: bool


@dataclass(frozen=True, slots=True)
class _RuleTerms:
    inherits: str
    citation: str
    verified: bool
    several_owners: str
    several_owners_verified: bool
    by_list: dict[str, _ListTerms] = field(default_factory=dict)


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


@cache
def _load_terms() -> dict[str, _RuleTerms]:
    data = read_mapping(load_data("affiliates.yml"), where="affiliates.yml")
    out: dict[str, _RuleTerms] = {}
    for rule_id, raw in read_mapping(data.get("rules"), where="affiliates.yml rules").items():
        where = f"affiliates.yml rules.{rule_id}"
        item = read_mapping(raw, where=where)
        try:
            by_list = {
                code: _ListTerms(
                    requirement=_text(t["requirement"]),
                    policy=_text(t["policy"]),
                    license_exceptions=_text(t["license_exceptions"]),
                    citation=_text(t["citation"]),
                    verified=bool(t.get("verified", False)),
                )
                for code, t in (
                    (c, read_mapping(x, where=f"{where}.by_list.{c}"))
                    for c, x in read_mapping(item.get("by_list") or {}, where=where).items()
                )
            }
            out[rule_id] = _RuleTerms(
                inherits=_text(item["inherits"]),
                citation=_text(item["citation"]),
                verified=bool(item.get("verified", False)),
                several_owners=_text(item.get("several_owners")),
                several_owners_verified=bool(item.get("several_owners_verified", False)),
                by_list=by_list,
            )
        except KeyError as exc:
            raise DataFileError(f"{where}: missing {exc}") from exc
    return out


def affiliate_terms(
    rule: Rule, owners: Iterable[tuple[str, str, LegalSummary]]
) -> AffiliateTerms | None:
    """What a party caught by ``rule`` inherits from its listed owners.

    Args:
        rule: The rule the finding is under.
        owners: ``(owner name, listing code, legal facts of the owner's entry)`` for each
            listed owner at the end of a path (the code the rule counts it under).

    Returns:
        The terms, or None when ``data/affiliates.yml`` says nothing of the rule.
    """
    spec = _load_terms().get(rule.id)
    if spec is None:
        return None
    terms: list[InheritedTerms] = []
    for name, code, legal in owners:
        listed = spec.by_list.get(code)
        if listed is None:
            continue
        # Entity List and MEU entries state their own requirement and policy; use them.
        own = code in ("EL", "MEU")
        requirement = (legal.requirement_text if own else None) or listed.requirement
        policy = (legal.policy_text if own else None) or listed.policy
        item = InheritedTerms(
            owner=name,
            entry_id=legal.entry_id,
            code=code,
            requirement=requirement,
            policy=policy,
            license_exceptions=listed.license_exceptions,
            citation=listed.citation,
            verified=listed.verified,
        )
        if item not in terms:
            terms.append(item)
    several = spec.several_owners if len({t.owner for t in terms}) > 1 else None
    return AffiliateTerms(
        rule_id=rule.id,
        inherits=spec.inherits,
        citation=spec.citation,
        verified=spec.verified,
        terms=tuple(terms),
        several_owners=several or None,
        several_owners_verified=spec.several_owners_verified,
    )


def owner_codes(resolutions: Sequence[OwnerResolution]) -> dict[str, frozenset[str]]:
    """Listing codes by owner node, from resolutions."""
    return {r.node: r.codes for r in resolutions if r.entries}


__all__ = [
    "AffiliateTerms",
    "InheritedTerms",
    "OwnerResolution",
    "ResolvedEntry",
    "RuleWindow",
    "affiliate_terms",
    "owner_codes",
    "rule_window",
]
