"""The legal facts of a hit, parsed and summed up in one plain-language verdict.

:func:`legal_facts` reads an :class:`~entityscreen.model.Entry`'s raw
:class:`~entityscreen.model.LegalFacts` (as the source published them) and returns a
:class:`LegalSummary`: the license requirement and review policy normalised
(:mod:`.license`), Foreign Direct Product markers, Federal Register citations
(:mod:`.federal_register`), the date first listed, the end date, the programs, and a
verdict an analyst can read, e.g.

    Entity List since 2019-10-09 (84 FR 54002): a license is required for all items
    subject to the EAR; review policy: presumption of denial.

Date first listed
    From the entry's listing history (:mod:`.history`): the earliest effective date of
    its Federal Register citations (dated by the rules of ``data/fr_rules.yml`` or the
    date printed), or its own ``start_date`` where that counts; a disagreement between
    the two is in ``history.notes`` and, for the Entity List and MEU, in the verdict.

Verdicts by list kind (``data/lists.yml``)
    Entity List and MEU: requirement, review policy and FDP rules; Unverified List: what
    the UVL means (no requirement of its own); Denied Persons List: the order's type
    (temporary or not), first order, current order and expiry, "expired on ..." when the
    verdict is for a day after it; SDN: blocked, with programs; any other list: a
    generic sentence with its authority, dates and programs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import Entry
from .federal_register import Citation, parse_citations
from .history import (
    DenialOrder,
    FirstListed,
    ListingHistory,
    choose_citation,
    denial_order,
    listing_history,
    parse_entry_date,
)
from .license import (
    FdpMarker,
    LicenseRequirement,
    PolicyKind,
    RequirementKind,
    ReviewPolicy,
    find_fdp_markers,
    parse_policy,
    parse_requirement,
)
from .lists import ListInfo, ListKind, get_list

#: Exception clauses longer than this are referred to, not quoted, in a verdict.
MAX_QUOTED_EXCEPTION = 160


@dataclass(frozen=True, slots=True)
class LegalSummary:
    """What a listing means, for one entry.

    Attributes:
        entry_id: The entry's id.
        list_code: The list code ("EL").
        list_name: The list's name ("Entity List").
        requirement: The license requirement, parsed; None when the entry has none.
        policy: The license review policy, parsed; None when the entry has none.
        fdp_markers: Foreign Direct Product rules the requirement refers to.
        citations: Federal Register citations, in printed order.
        citation_leftovers: Text of the ``federal_register`` value that did not parse.
        first_listed: Date first listed and its basis, when known.
        end_date: The entry's end date (DPL expiry), when a full date.
        standard_order: DPL: True for a standard denial order, False for a
            non-standard one, None when not stated.
        programs: Sanctions programs, as listed.
        verdict: One plain-language paragraph.
        history: The dated citations and any disagreement with ``start_date``.
        order: DPL: the denial order (type, first order, expiry).
        on: The day the verdict was written for (None: no day, so no "expired").
    """

    entry_id: str
    list_code: str
    list_name: str
    requirement: LicenseRequirement | None
    policy: ReviewPolicy | None
    fdp_markers: tuple[FdpMarker, ...]
    citations: tuple[Citation, ...]
    citation_leftovers: tuple[str, ...]
    first_listed: FirstListed | None
    end_date: date | None
    standard_order: bool | None
    programs: tuple[str, ...]
    verdict: str
    history: ListingHistory | None = None
    order: DenialOrder | None = None
    on: date | None = None

    @property
    def requirement_text(self) -> str | None:
        """The license requirement as published."""
        return self.requirement.text if self.requirement else None

    @property
    def requirement_kind(self) -> RequirementKind | None:
        """The normalised license requirement."""
        return self.requirement.kind if self.requirement else None

    @property
    def policy_text(self) -> str | None:
        """The license review policy as published."""
        return self.policy.text if self.policy else None

    @property
    def policy_kind(self) -> PolicyKind | None:
        """The normalised license review policy."""
        return self.policy.kind if self.policy else None

    @property
    def eccns(self) -> tuple[str, ...]:
        """ECCNs named in the requirement, then those named in the policy."""
        found = list(self.requirement.eccns if self.requirement else ())
        for part in self.policy.parts if self.policy else ():
            found.extend(part.eccns)
        return tuple(dict.fromkeys(found))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO text, enums as their values)."""
        return {
            "entry_id": self.entry_id,
            "list": self.list_code,
            "list_name": self.list_name,
            "requirement_text": self.requirement_text,
            "requirement": self.requirement_kind.value if self.requirement_kind else None,
            "requirement_exceptions": self.requirement.exceptions if self.requirement else None,
            "policy_text": self.policy_text,
            "policy": self.policy_kind.value if self.policy_kind else None,
            "policy_parts": [p.to_dict() for p in self.policy.parts] if self.policy else [],
            "eccns": list(self.eccns),
            "fdp_markers": [m.to_dict() for m in self.fdp_markers],
            "citations": [c.to_dict() for c in self.citations],
            "citation_leftovers": list(self.citation_leftovers),
            "first_listed": self.first_listed.date.isoformat() if self.first_listed else None,
            "first_listed_basis": self.first_listed.basis if self.first_listed else None,
            "first_listed_published": (
                self.first_listed.published.isoformat()
                if self.first_listed and self.first_listed.published
                else None
            ),
            "listing_history": self.history.to_dict() if self.history else None,
            "order": self.order.to_dict() if self.order else None,
            "expired": self.order.is_expired(self.on) if self.order and self.on else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "standard_order": self.standard_order,
            "programs": list(self.programs),
            "verdict": self.verdict,
        }


def find_first_listed(
    entry: Entry, citations: tuple[Citation, ...], *, citations_rule: bool | None = None
) -> FirstListed | None:
    """When ``entry`` was first listed (:func:`~.history.listing_history`).

    Args:
        entry: The entry.
        citations: Its parsed Federal Register citations.
        citations_rule: Whether its citations are the law's record; by default, true for
            the lists whose verdict kind is ``bis_end_user`` (Entity List, MEU).

    Returns:
        The date with its basis, or None when neither is known.
    """
    if citations_rule is None:
        citations_rule = get_list(entry.list).kind is ListKind.BIS_END_USER
    return listing_history(entry, citations, citations_rule=citations_rule).first_listed


def read_standard_order(value: str | None) -> bool | None:
    """The DPL's Standard_Order flag ("Y"/"N", any case) as a bool."""
    flag = (value or "").strip().upper()
    return {"Y": True, "YES": True, "N": False, "NO": False}.get(flag)


def describe_requirement(requirement: LicenseRequirement | None) -> str:
    """The requirement in a verdict's words."""
    if requirement is None:
        return "no license requirement is stated"
    kind = requirement.kind
    if kind is RequirementKind.ALL_ITEMS_SUBJECT_TO_EAR:
        text = "a license is required for all items subject to the EAR"
        if requirement.exceptions:
            if len(requirement.exceptions) <= MAX_QUOTED_EXCEPTION:
                return f"{text}, {requirement.exceptions}"
            return f"{text}, with exceptions stated in the requirement"
        return text
    if kind is RequirementKind.ITEMS_BY_ECCN:
        return "a license is required for items classified under ECCNs " + ", ".join(
            requirement.eccns
        )
    if kind is RequirementKind.ITEMS_IN_SUPPLEMENT:
        return (
            f"a license is required for items subject to the EAR listed in {requirement.supplement}"
        )
    return f"license requirement: {requirement.text.rstrip('. ')}"


def describe_policy(policy: ReviewPolicy | None) -> str:
    """The review policy in a verdict's words."""
    if policy is None:
        return "no review policy is stated"
    return f"review policy: {policy.describe()}"


def _since(first: FirstListed | None) -> str:
    if first is None:
        return ""
    cited = f" ({first.cited})" if first.cited else ""
    return f" since {first.date.isoformat()}{cited}"


def write_verdict(
    info: ListInfo,
    *,
    requirement: LicenseRequirement | None,
    policy: ReviewPolicy | None,
    fdp_markers: tuple[FdpMarker, ...],
    first_listed: FirstListed | None,
    end_date: date | None,
    standard_order: bool | None,
    programs: tuple[str, ...],
    order: DenialOrder | None = None,
    notes: tuple[str, ...] = (),
    on: date | None = None,
) -> str:
    """The plain-language verdict for one entry (see the module docstring).

    Args:
        info: The entry's list.
        requirement: Its license requirement.
        policy: Its license review policy.
        fdp_markers: Its FDP markers.
        first_listed: When it was first listed.
        end_date: When its listing ends.
        standard_order: DPL: whether the denial order is a standard one.
        programs: Its sanctions programs.
        order: DPL: its denial order (else the order is described from the dates).
        notes: Disagreements in its dates, added to Entity List and MEU verdicts.
        on: The day the verdict is for (an expired order reads "expired on ...").

    Returns:
        One or two sentences.
    """
    until = f" until {end_date.isoformat()}" if end_date else ""
    if info.kind is ListKind.BIS_END_USER:
        text = (
            f"{info.name}{_since(first_listed)}{until}: {describe_requirement(requirement)}; "
            f"{describe_policy(policy)}."
        )
        if fdp_markers:
            text += (
                " Foreign Direct Product rules: "
                + "; ".join(m.describe() for m in fdp_markers)
                + "."
            )
        if notes:
            text += " Note: " + "; ".join(notes) + "."
        return text
    if info.kind is ListKind.BIS_UVL:
        return f"{info.name}{_since(first_listed)}: {info.consequence or 'listed'}."
    if info.kind is ListKind.BIS_DPL and order is not None:
        if on is not None and order.is_expired(on):
            return f"{info.name}: {order.describe(on)}; export privileges no longer denied."
        return f"{info.name}: export privileges denied under a {order.describe(on)}."
    if info.kind is ListKind.BIS_DPL:
        order_text = "an order"
        if standard_order is not None:
            order_text = "a standard order" if standard_order else "a non-standard order"
        start = f" from {first_listed.date.isoformat()}" if first_listed else ""
        end = until or " (no end date stated)"
        cited = (
            f" ({first_listed.citation.label})" if first_listed and first_listed.citation else ""
        )
        return f"{info.name}: export privileges denied under {order_text}{start}{end}{cited}."
    program_text = f" (programs: {', '.join(programs)})" if programs else ""
    if info.kind is ListKind.OFAC_BLOCKING:
        return (
            f"{info.short}{program_text}: blocked; US persons may not deal with this party "
            "without an OFAC license."
        )
    authority = f" ({info.authority})" if info.authority else ""
    consequence = info.consequence or (
        "listed; the measures that apply depend on the list and its programs (see the source)"
    )
    return f"{info.name}{authority}{_since(first_listed)}{until}{program_text}: {consequence}."


def legal_facts(entry: Entry, *, on: date | None = None) -> LegalSummary:
    """The legal facts of ``entry``, parsed, with a plain-language verdict.

    Args:
        entry: A listed entry (any list; the verdict depends on ``entry.list``).
        on: The day the verdict is for: a denial order that expired before it reads
            "expired on ..."; None leaves expiry unjudged.

    Returns:
        The summary. Nothing is dropped silently: unparsed citation text is in
        ``citation_leftovers``, unrecognised requirement or policy texts are kind OTHER
        with their text.
    """
    legal = entry.legal
    info = get_list(entry.list)
    parsed = parse_citations(legal.federal_register)
    requirement = parse_requirement(legal.license_requirement)
    policy = parse_policy(legal.license_policy)
    fdp_markers = find_fdp_markers(legal.license_requirement)
    history = listing_history(
        entry, parsed.citations, citations_rule=info.kind is ListKind.BIS_END_USER
    )
    first_listed = history.first_listed
    end_date = parse_entry_date(legal.end_date)
    standard_order = read_standard_order(legal.standard_order)
    order = None
    if info.kind is ListKind.BIS_DPL:
        order = denial_order(entry, history, standard=standard_order, end=end_date)
    verdict = write_verdict(
        info,
        requirement=requirement,
        policy=policy,
        fdp_markers=fdp_markers,
        first_listed=first_listed,
        end_date=end_date,
        standard_order=standard_order,
        programs=entry.programs,
        order=order,
        notes=history.notes,
        on=on,
    )
    return LegalSummary(
        entry_id=entry.id,
        list_code=entry.list,
        list_name=info.name,
        requirement=requirement,
        policy=policy,
        fdp_markers=fdp_markers,
        citations=parsed.citations,
        citation_leftovers=parsed.leftovers,
        first_listed=first_listed,
        end_date=end_date,
        standard_order=standard_order,
        programs=entry.programs,
        verdict=verdict,
        history=history,
        order=order,
        on=on,
    )


__all__ = [
    "FirstListed",
    "LegalSummary",
    "choose_citation",
    "describe_policy",
    "describe_requirement",
    "find_first_listed",
    "legal_facts",
    "parse_entry_date",
    "read_standard_order",
    "write_verdict",
]
