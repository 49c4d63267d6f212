"""Federal Register rules and their dates: published vs effective, from ``data/fr_rules.yml``.

A list entry cites the page of a rule that added or changed it ("84 FR 22963" is a page
of the Huawei rule 84 FR 22961). The lists print at most the publication date, but the
law reads the effective date, which can come first: the Huawei rule was published
2019-05-21 and took effect 2019-05-16. :func:`find_rule` finds the rule a citation
points into, :func:`date_citation` gives the citation's publication and effective
dates with where each comes from.

Finding the rule: same volume, the rule with the nearest first page at or before the
cited page, and the page within the rule (its ``last_page`` when recorded, else within
``max_pages`` of its first page). A citation that prints a date different from the
rule's publication date is not that rule's (a different document on nearby pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from ._data import DataFileError, load_data, read_date, read_mapping
from .federal_register import Citation

DATA_FILE = "fr_rules.yml"


@dataclass(frozen=True, slots=True)
class FrRule:
    """One Federal Register rule.

    Attributes:
        volume: FR volume.
        first_page: Its first page (the rule is cited as ``"{volume} FR {first_page}"``).
        last_page: Its last page when recorded.
        title: What it did, in short.
        published: Publication date.
        effective: The date it took effect.
        verified: True when both dates were read in the rule's own text.
        source: Where the dates come from.
    """

    volume: int
    first_page: int
    last_page: int | None
    title: str
    published: date
    effective: date
    verified: bool
    source: str

    @property
    def label(self) -> str:
        """``"84 FR 22961"``."""
        return f"{self.volume} FR {self.first_page}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO text)."""
        return {
            "citation": self.label,
            "title": self.title,
            "published": self.published.isoformat(),
            "effective": self.effective.isoformat(),
            "verified": self.verified,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class FrRules:
    """The rules of the data file and how far past its first page a rule may run."""

    rules: tuple[FrRule, ...]
    max_pages: int


@dataclass(frozen=True, slots=True)
class DatedCitation:
    """A citation with its dates as the law reads them.

    Attributes:
        citation: The citation as parsed.
        published: Publication date: the rule's, else the date printed with the citation.
        effective: The rule's effective date; without a known rule, the publication date
            (a rule takes effect on publication unless it says otherwise).
        rule: The rule the citation points into, when the data file has it.
    """

    citation: Citation
    published: date | None
    effective: date | None
    rule: FrRule | None = None

    @property
    def basis(self) -> str:
        """Where the dates come from, in words."""
        if self.rule is not None:
            checked = "verified" if self.rule.verified else "not verified against the rule text"
            return f"rule {self.rule.label} ({checked})"
        if self.published is not None:
            return "date printed with the citation; effective date taken as publication"
        return "no date"

    def describe(self) -> str:
        """E.g. ``"84 FR 22961: published 2019-05-21, effective 2019-05-16"``."""
        label = self.citation.label
        if self.rule is not None and self.rule.label != label:
            label += f" (rule {self.rule.label})"
        if self.effective is None:
            return f"{label}: undated"
        if self.published is not None and self.published != self.effective:
            return (
                f"{label}: published {self.published.isoformat()}, "
                f"effective {self.effective.isoformat()}"
            )
        return f"{label}: {self.effective.isoformat()}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "citation": self.citation.label,
            "rule": self.rule.label if self.rule else None,
            "published": self.published.isoformat() if self.published else None,
            "effective": self.effective.isoformat() if self.effective else None,
            "verified": self.rule.verified if self.rule else None,
            "basis": self.basis,
        }


def _read_rule(raw: Any, where: str) -> FrRule:
    item = read_mapping(raw, where=where)
    try:
        volume, first_page = int(item["volume"]), int(item["first_page"])
        last = item.get("last_page")
        last_page = int(last) if last is not None else None
        title, source = str(item["title"]), str(item["source"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"{where}: {exc!r}") from exc
    published = read_date(item.get("published"), where=f"{where} published")
    effective = read_date(item.get("effective"), where=f"{where} effective")
    if published is None or effective is None:
        raise DataFileError(f"{where}: published and effective dates are required")
    if not isinstance(item.get("verified"), bool):
        raise DataFileError(f"{where}: verified must be true or false")
    if last_page is not None and last_page < first_page:
        raise DataFileError(f"{where}: last_page before first_page")
    return FrRule(
        volume, first_page, last_page, title, published, effective, item["verified"], source
    )


@cache
def load_fr_rules() -> FrRules:
    """The rules of ``data/fr_rules.yml`` (read once per process).

    Raises:
        DataFileError: When the file is malformed or a rule is given twice.
    """
    data = read_mapping(load_data(DATA_FILE), where=DATA_FILE)
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list):
        raise DataFileError(f"{DATA_FILE}: 'rules' must be a list")
    rules = [_read_rule(raw, f"{DATA_FILE} rule {i}") for i, raw in enumerate(raw_rules, 1)]
    labels = [r.label for r in rules]
    if len(labels) != len(set(labels)):
        raise DataFileError(f"{DATA_FILE}: a rule is given twice")
    return FrRules(
        tuple(sorted(rules, key=lambda r: (r.volume, r.first_page))), int(data["max_pages"])
    )


def find_rule(citation: Citation, rules: FrRules | None = None) -> FrRule | None:
    """The rule ``citation`` points into, or None (see the module docstring).

    Args:
        citation: A parsed citation (one without a page finds no rule).
        rules: The rules to search (default: the packaged data file).
    """
    if citation.page is None:
        return None
    table = rules or load_fr_rules()
    page = citation.page
    before = [r for r in table.rules if r.volume == citation.volume and r.first_page <= page]
    if not before:
        return None
    rule = before[-1]
    last = rule.last_page if rule.last_page is not None else rule.first_page + table.max_pages
    if page > last:
        return None
    if citation.date is not None and citation.date != rule.published:
        return None
    return rule


def date_citation(citation: Citation, rules: FrRules | None = None) -> DatedCitation:
    """``citation`` with its publication and effective dates (see :class:`DatedCitation`)."""
    rule = find_rule(citation, rules)
    if rule is not None:
        return DatedCitation(citation, rule.published, rule.effective, rule)
    return DatedCitation(citation, citation.date, citation.date)


__all__ = [
    "DatedCitation",
    "FrRule",
    "FrRules",
    "date_citation",
    "find_rule",
    "load_fr_rules",
]
