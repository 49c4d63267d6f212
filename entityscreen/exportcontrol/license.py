"""License requirements, review policies and Foreign Direct Product markers, normalised.

BIS publishes, for every Entity List and MEU entry, a "License requirement" and a
"License review policy" as free text. The texts vary in spacing, punctuation and typos
("casa-by-case", "semiconducto rs", "Presumption of Denial" vs "Presumption of denial."),
so each is normalised to a small enum while the original text is kept:

Requirement (:class:`RequirementKind`)
    ``ALL_ITEMS_SUBJECT_TO_EAR`` when the text says "all items subject(s) to the EAR",
    possibly with exceptions ("except for food or medicine designated as EAR99") or
    conditions ("when used in projects specified in § 746.5"), kept in
    :attr:`LicenseRequirement.exceptions`; ``ITEMS_IN_SUPPLEMENT`` when it names a
    supplement ("any item subject to the EAR listed in supplement no. 2 to part 744", the
    MEU); ``ITEMS_BY_ECCN`` when it lists ECCNs without "all items"; ``OTHER`` otherwise.

Policy (:class:`PolicyKind`)
    The text is split into clauses (";" and sentence ends); each clause with a policy
    phrase becomes a :class:`PolicyPart` with its scope ("for ECCNs 1A004.c, ..."). One
    kind overall gives that kind; several give ``MIXED``. "Policy of denial" (Russia and
    Belarus entries, § 746.8(b)) is kept apart from "presumption of denial": a policy of
    denial admits no case-by-case approvals. Texts that only point to a section ("See §
    744.2(d) of the EAR", the MEU's procedure sentence) are ``OTHER``.

Foreign Direct Product markers (:class:`FdpMarker`)
    Entity List requirements refer to the FDP rules by section (``§ 734.9(e)``, ``§
    734.9(g)``, before 2022 ``§ 736.2(b)(3)(vi)``) and by footnote number, printed right
    after the section ("734.9(g),3", "734.9(e) 1") or at the end ("... of the EAR) 4").
    The meaning of each footnote and section is in ``data/fdp.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from ._data import load_data, read_mapping


class RequirementKind(StrEnum):
    """What a license is required for."""

    ALL_ITEMS_SUBJECT_TO_EAR = "all_items_subject_to_ear"
    ITEMS_BY_ECCN = "items_by_eccn"
    ITEMS_IN_SUPPLEMENT = "items_in_supplement"
    OTHER = "other"


class PolicyKind(StrEnum):
    """How BIS reviews license applications for the entry."""

    PRESUMPTION_OF_DENIAL = "presumption_of_denial"
    POLICY_OF_DENIAL = "policy_of_denial"
    CASE_BY_CASE = "case_by_case"
    PRESUMPTION_OF_APPROVAL = "presumption_of_approval"
    MIXED = "mixed"
    OTHER = "other"


#: How each policy kind is worded in verdicts.
POLICY_LABELS: dict[PolicyKind, str] = {
    PolicyKind.PRESUMPTION_OF_DENIAL: "presumption of denial",
    PolicyKind.POLICY_OF_DENIAL: "policy of denial",
    PolicyKind.CASE_BY_CASE: "case-by-case",
    PolicyKind.PRESUMPTION_OF_APPROVAL: "presumption of approval",
    PolicyKind.MIXED: "mixed",
    PolicyKind.OTHER: "other",
}

_POLICY_PHRASES: tuple[tuple[PolicyKind, re.Pattern[str]], ...] = (
    (PolicyKind.CASE_BY_CASE, re.compile(r"\bcas[ea][\s-]+by[\s-]+case\b", re.IGNORECASE)),
    (
        PolicyKind.PRESUMPTION_OF_APPROVAL,
        re.compile(r"\bpresumption\s+of\s+approval\b", re.IGNORECASE),
    ),
    (PolicyKind.PRESUMPTION_OF_DENIAL, re.compile(r"\bpresumption\s+of\s+denial\b", re.IGNORECASE)),
    (PolicyKind.POLICY_OF_DENIAL, re.compile(r"\bpolicy\s+of\s+denial\b", re.IGNORECASE)),
)

#: An Export Control Classification Number: digit, category letter, three digits, then
#: optional paragraph parts ("1A004.c", "0A501.a.1", "5A992.c").
_ECCN = re.compile(r"\b[0-9][A-E][0-9]{3}(?:\.[a-z0-9]+)*\b")
_ALL_ITEMS = re.compile(r"\ball\s+items?\s+subjects?\s+to\s+the\s+EAR\b", re.IGNORECASE)
_ANY_ITEM = re.compile(r"\bany\s+item\s+subject\s+to\s+the\s+EAR\b", re.IGNORECASE)
_SUPPLEMENT = re.compile(r"\bsupplement\s+no\.?\s*\d+\s+to\s+part\s+\d+", re.IGNORECASE)
_EXCEPTION = re.compile(r"\b(?:except(?:\s+for)?|apart\s+from|when\s+used\s+in)\b", re.IGNORECASE)
#: Where an exception clause ends: a capitalised "(See" / "See §", or a sentence end.
_EXCEPTION_END = re.compile(r"\s*\(?\bSee\b|(?<!\.[A-Z])\.\s+(?=[A-Z])|\.?\s*$")
#: Clause breaks of a policy text: ";" or a sentence end (not after "U.S." or "No.").
_CLAUSE_BREAK = re.compile(r"\s*;\s*|(?<!\.[A-Z])(?<!\bNo)\.\s+(?=[A-Z])")
_SCOPE_LEAD = re.compile(r"^[\s:,-]*(?:review|basis)?\b\s*", re.IGNORECASE)

_FDP_SECTION = re.compile(
    r"(?P<section>734\.9\s*\(\s*[a-z]\s*\)(?:\s*\(\s*\d\s*\))?|736\.2\s*\(b\)\s*\(3\)\s*\(vi\))"
    r"(?:\s*,?\s*(?P<footnote>\d)(?![\d.(/]))?"
)
_TRAILING_FOOTNOTE = re.compile(r"(?:\)|\bEAR)\s*\.?\s*(?P<footnote>\d)\s*\.?\s*$")
_FOOTNOTE_WORD = re.compile(r"\bfootnote\s+(?P<footnote>\d)\b", re.IGNORECASE)
_FDP_WORDS = re.compile(r"\bforeign[\s-]+direct[\s-]+product\b|\bFDP\b", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class LicenseRequirement:
    """A license requirement as published and normalised.

    Attributes:
        text: As published (whitespace collapsed).
        kind: The normalised requirement.
        eccns: ECCNs named in the text, in order.
        supplement: The supplement named ("supplement no. 2 to part 744"), if any.
        exceptions: The exception or condition clause ("except for food or medicine
            designated as EAR99"), if any.
    """

    text: str
    kind: RequirementKind
    eccns: tuple[str, ...] = ()
    supplement: str | None = None
    exceptions: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "text": self.text,
            "kind": self.kind.value,
            "eccns": list(self.eccns),
            "supplement": self.supplement,
            "exceptions": self.exceptions,
        }


@dataclass(frozen=True, slots=True)
class PolicyPart:
    """One clause of a review policy: its kind and what it applies to.

    Attributes:
        kind: The clause's policy (never MIXED or OTHER).
        scope: What it applies to ("for ECCNs 1A004.c, ..."); empty for "all items".
        eccns: ECCNs named in the clause.
    """

    kind: PolicyKind
    scope: str = ""
    eccns: tuple[str, ...] = ()

    def describe(self) -> str:
        """E.g. ``"presumption of denial for all other items subject to the EAR"``."""
        return f"{POLICY_LABELS[self.kind]} {self.scope}".strip()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"kind": self.kind.value, "scope": self.scope, "eccns": list(self.eccns)}


@dataclass(frozen=True, slots=True)
class ReviewPolicy:
    """A license review policy as published and normalised.

    Attributes:
        text: As published (whitespace collapsed).
        kind: The normalised policy.
        parts: The clauses that state a policy, in order.
    """

    text: str
    kind: PolicyKind
    parts: tuple[PolicyPart, ...] = ()

    def describe(self) -> str:
        """The policy in a verdict's words: ``"presumption of denial"``, ``"mixed —
        case-by-case for ...; presumption of denial for all other items"``, or the
        published text for OTHER."""
        if self.kind is PolicyKind.OTHER:
            text = self.text.rstrip(". ")
            return text[:1].lower() + text[1:] if text[1:2].islower() else text
        if self.kind is PolicyKind.MIXED:
            return "mixed — " + "; ".join(part.describe() for part in self.parts)
        if len(self.parts) == 1 and self.parts[0].scope:
            return self.parts[0].describe()
        return POLICY_LABELS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "text": self.text,
            "kind": self.kind.value,
            "parts": [part.to_dict() for part in self.parts],
        }


@dataclass(frozen=True, slots=True)
class FdpMarker:
    """A Foreign Direct Product rule that a license requirement refers to.

    Attributes:
        footnote: The Entity List footnote number, when printed or implied by the section.
        section: The EAR section printed ("734.9(g)"), or the footnote's section.
        rule: What the rule is (from ``data/fdp.yml``).
        verified: False when the footnote's meaning is recorded but not confirmed.
    """

    footnote: int | None
    section: str | None
    rule: str
    verified: bool = True

    def describe(self) -> str:
        """E.g. ``"footnote 3, § 734.9(g): Russia/Belarus-Military End User FDP rule"``."""
        where = ", ".join(
            part
            for part in (
                f"footnote {self.footnote}" if self.footnote is not None else "",
                f"§ {self.section}" if self.section else "",
            )
            if part
        )
        return f"{where}: {self.rule}" if where else self.rule

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "footnote": self.footnote,
            "section": self.section,
            "rule": self.rule,
            "verified": self.verified,
        }


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return _SPACES.sub(" ", text).strip()


def find_eccns(text: str | None) -> tuple[str, ...]:
    """The ECCNs named in ``text``, without duplicates, in order ("1A004.c", "2E983")."""
    return tuple(dict.fromkeys(_ECCN.findall(text or "")))


def find_exceptions(text: str) -> str | None:
    """The first exception or condition clause of a requirement ("except for ...")."""
    m = _EXCEPTION.search(text)
    if not m:
        return None
    rest = text[m.start() :]
    end = _EXCEPTION_END.search(rest, len(m.group(0)))
    clause = (rest[: end.start()] if end else rest).strip(" ,.;:")
    keyword = m.group(0)
    return (keyword.lower() + clause[len(keyword) :]) if clause else None


def parse_requirement(text: str | None) -> LicenseRequirement | None:
    """Normalise a license requirement (see the module docstring).

    Args:
        text: The published text; None or blank gives None.

    Returns:
        The requirement with its kind, ECCNs, supplement and exceptions.
    """
    if not text or not text.strip():
        return None
    text = collapse(text)
    eccns = find_eccns(text)
    supplement_match = _SUPPLEMENT.search(text)
    supplement = collapse(supplement_match.group(0)) if supplement_match else None
    if _ALL_ITEMS.search(text):
        kind = RequirementKind.ALL_ITEMS_SUBJECT_TO_EAR
    elif supplement:
        kind = RequirementKind.ITEMS_IN_SUPPLEMENT
    elif eccns:
        kind = RequirementKind.ITEMS_BY_ECCN
    elif _ANY_ITEM.search(text):
        kind = RequirementKind.ALL_ITEMS_SUBJECT_TO_EAR
    else:
        kind = RequirementKind.OTHER
    return LicenseRequirement(text, kind, eccns, supplement, find_exceptions(text))


def split_clauses(text: str) -> list[str]:
    """Split a policy text at ";" and sentence ends, dropping a leading "and "."""
    clauses = (c.strip(" .") for c in _CLAUSE_BREAK.split(text))
    return [re.sub(r"^and\s+", "", c, flags=re.IGNORECASE) for c in clauses if c]


def parse_policy_part(clause: str) -> PolicyPart | None:
    """The policy stated by one clause, or None when it states none ("See § 744.2(d)")."""
    found = [(m.start(), m.end(), kind) for kind, rx in _POLICY_PHRASES if (m := rx.search(clause))]
    if not found:
        return None
    _, end, kind = min(found)
    scope = _SCOPE_LEAD.sub("", clause[end:], count=1).strip(" .")
    return PolicyPart(kind, scope, find_eccns(scope))


def parse_policy(text: str | None) -> ReviewPolicy | None:
    """Normalise a license review policy (see the module docstring).

    Args:
        text: The published text; None or blank gives None.

    Returns:
        The policy with its kind and clauses.
    """
    if not text or not text.strip():
        return None
    text = collapse(text)
    parts = tuple(p for p in (parse_policy_part(c) for c in split_clauses(text)) if p)
    kinds = {part.kind for part in parts}
    if not kinds:
        kind = PolicyKind.OTHER
    elif len(kinds) == 1:
        kind = next(iter(kinds))
    else:
        kind = PolicyKind.MIXED
    return ReviewPolicy(text, kind, parts)


@cache
def _fdp_data() -> tuple[dict[int, dict[str, Any]], dict[str, dict[str, Any]]]:
    data = read_mapping(load_data("fdp.yml"), where="fdp.yml")
    footnotes = {
        int(k): read_mapping(v, where=f"fdp.yml footnotes.{k}")
        for k, v in read_mapping(data["footnotes"], where="fdp.yml footnotes").items()
    }
    sections = {
        k: read_mapping(v, where=f"fdp.yml sections.{k}")
        for k, v in read_mapping(data["sections"], where="fdp.yml sections").items()
    }
    return footnotes, sections


def _footnote_marker(number: int, section: str | None) -> FdpMarker:
    footnotes, _ = _fdp_data()
    info = footnotes.get(number)
    if info is None:
        return FdpMarker(number, section, f"Entity List footnote {number}", verified=False)
    return FdpMarker(
        number,
        section or info.get("section"),
        str(info["rule"]),
        verified=bool(info.get("verified", False)),
    )


def find_fdp_markers(text: str | None) -> tuple[FdpMarker, ...]:
    """The Foreign Direct Product rules a license requirement refers to.

    Args:
        text: A license requirement as published.

    Returns:
        One marker per footnote (or per FDP section without a footnote), in order of
        appearance; a bare mention of "foreign direct product"/"FDP" gives a marker
        with neither footnote nor section.
    """
    if not text:
        return ()
    footnotes, sections = _fdp_data()
    markers: dict[int | str, FdpMarker] = {}
    bare_sections: list[str] = []
    for m in _FDP_SECTION.finditer(text):
        section = re.sub(r"\s+", "", m["section"])
        implied = sections.get(section, {}).get("footnote")
        number = int(m["footnote"]) if m["footnote"] else implied
        if number is None:
            bare_sections.append(section)
        elif number not in markers:
            markers[number] = _footnote_marker(int(number), section)
    loose = [int(m["footnote"]) for m in _FOOTNOTE_WORD.finditer(text)]
    trailing = _TRAILING_FOOTNOTE.search(text)
    if trailing:
        loose.append(int(trailing["footnote"]))
    for number in loose:
        if number in markers:
            continue
        footnote_section = str(footnotes.get(number, {}).get("section") or "")
        owner = next((s for s in bare_sections if footnote_section.startswith(s)), None)
        if owner is not None:
            bare_sections.remove(owner)
        markers[number] = _footnote_marker(number, owner)
    for section in bare_sections:
        rule = str(sections.get(section, {}).get("rule", "Foreign Direct Product rule"))
        markers.setdefault(section, FdpMarker(None, section, rule))
    if not markers and _FDP_WORDS.search(text):
        markers["fdp"] = FdpMarker(None, None, "Foreign Direct Product rule (mentioned)")
    return tuple(markers.values())


__all__ = [
    "POLICY_LABELS",
    "FdpMarker",
    "LicenseRequirement",
    "PolicyKind",
    "PolicyPart",
    "RequirementKind",
    "ReviewPolicy",
    "find_eccns",
    "find_exceptions",
    "find_fdp_markers",
    "parse_policy",
    "parse_requirement",
]
