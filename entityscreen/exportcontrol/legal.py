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
    The entry's own ``start_date`` when it is a full date; otherwise the earliest dated
    Federal Register citation. The citation shown with it is the one printed with that
    date, else the first one published in that year (volume ``year - 1935``); none is
    shown when no citation is from that year.

Verdicts by list kind (``data/lists.yml``)
    Entity List and MEU: requirement, review policy and FDP rules; Unverified List: what
    the UVL means (no requirement of its own); Denied Persons List: the denial order and
    its dates; SDN: blocked, with programs; any other list: a generic sentence with its
    authority, dates and programs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import Entry
from .federal_register import Citation, parse_citations, volume_year
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
class FirstListed:
    """When an entry was first listed and on what evidence.

    Attributes:
        date: The date.
        basis: ``"start date"`` (the entry's own) or ``"earliest Federal Register
            citation"``.
        citation: The citation that goes with the date, if one does.
    """

    date: date
    basis: str
    citation: Citation | None = None

    def describe(self) -> str:
        """E.g. ``"start date 2019-10-09 (84 FR 54002)"``."""
        cited = f" ({self.citation.label})" if self.citation else ""
        return f"{self.basis} {self.date.isoformat()}{cited}"


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
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "standard_order": self.standard_order,
            "programs": list(self.programs),
            "verdict": self.verdict,
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
    """The citation that goes with a listing date (see the module docstring)."""
    exact = [c for c in citations if c.date == when]
    if exact:
        return exact[0]
    same_year = [c for c in citations if volume_year(c.volume) == when.year]
    return min(same_year, key=Citation.sort_key) if same_year else None


def find_first_listed(entry: Entry, citations: tuple[Citation, ...]) -> FirstListed | None:
    """When ``entry`` was first listed: its start date, else its earliest citation date.

    Args:
        entry: The entry.
        citations: Its parsed Federal Register citations.

    Returns:
        The date with its basis, or None when neither is known.
    """
    start = parse_entry_date(entry.legal.start_date)
    if start is not None:
        return FirstListed(start, "start date", choose_citation(citations, start))
    dated = [c for c in citations if c.date]
    if not dated:
        return None
    earliest = min(dated, key=lambda c: (c.date or date.max, c.sort_key()))
    assert earliest.date is not None
    return FirstListed(earliest.date, "earliest Federal Register citation", earliest)


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
    cited = f" ({first.citation.label})" if first.citation else ""
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
        return text
    if info.kind is ListKind.BIS_UVL:
        return f"{info.name}{_since(first_listed)}: {info.consequence or 'listed'}."
    if info.kind is ListKind.BIS_DPL:
        order = "an order"
        if standard_order is not None:
            order = "a standard order" if standard_order else "a non-standard order"
        start = f" from {first_listed.date.isoformat()}" if first_listed else ""
        end = until or " (no end date stated)"
        cited = (
            f" ({first_listed.citation.label})" if first_listed and first_listed.citation else ""
        )
        return f"{info.name}: export privileges denied under {order}{start}{end}{cited}."
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


def legal_facts(entry: Entry) -> LegalSummary:
    """The legal facts of ``entry``, parsed, with a plain-language verdict.

    Args:
        entry: A listed entry (any list; the verdict depends on ``entry.list``).

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
    first_listed = find_first_listed(entry, parsed.citations)
    end_date = parse_entry_date(legal.end_date)
    standard_order = read_standard_order(legal.standard_order)
    verdict = write_verdict(
        info,
        requirement=requirement,
        policy=policy,
        fdp_markers=fdp_markers,
        first_listed=first_listed,
        end_date=end_date,
        standard_order=standard_order,
        programs=entry.programs,
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
