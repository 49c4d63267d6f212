"""Federal Register citations as the lists print them, parsed into volume, page and date.

The lists cite the Federal Register (FR) notices that added or changed an entry, each in
its own style; every shape below occurs in the real files (CSL 2022 and 2023, BIS's
``dpl.txt`` of 2023, the eCFR text of the Entity List of 2026):

=============================================  ============================================
shape                                          where
=============================================  ============================================
``84 FR 54002; 85 FR 44159``                   CSL Entity List, MEU, DTC
``84  FR 21233``, ``80FR 69852``, ``84 fr``    CSL Entity List (spacing and case typos)
``77 FR 61249 No. 195``, ``(no. 182)``         CSL Entity List (FR issue number)
``76 FR 50407 (8/15/2011)``                    CSL Entity List (date in brackets)
``79 FR 24566, 5/1/14; 83 FR 3580, 1/26/18``   CSL Entity List (date after a comma)
``76 FR no. 242 pg. 78146``                    CSL Entity List (issue and page)
``76 FR No. 197 (10/12/2011)``                 CSL Entity List (issue, no page)
``68 F.R. 38290 6/27/03 71 F.R. 38843 ...``    DPL (no separator between citations)
``82 F.R. 16788, 16789 4/6/2017``              DPL (a second page)
``81.F.R. 22576``, ``83F.R.``, ``F.R.9``       DPL (typos)
``F.R. 30823 7/3/2017``                        DPL (volume missing: inferred from the date)
``46 F.R. 46154 9/17/81 and 46 F.R. ...``      DPL ("and" as separator)
``84 FR 54004, 10/9/19.``                      eCFR Entity List
``81 FR 61601 preview citation details, ...``  eCFR Entity List (web-page residue)
``Vol. 88, No. 151, 08/08/2023``               CSL ISN (no page)
``Notice 2061, Vol. 59, No. 165, 8/26/94``     CSL ISN (State Department public notice)
=============================================  ============================================

What does not parse is reported, never dropped: ``88 FR`` (no page, no date),
``NEW F.R. NOTICE TO BE PUBLISHED SOON``. Two-digit years take the century that puts
the date in (or nearest to) the volume's year: volume ``V`` of the Federal Register is
the calendar year ``1935 + V`` (volume 1 is 1936, volume 84 is 2019). A date outside its
volume's year, an impossible date (``11/222/2021``) and an inferred volume are noted on
the citation (:attr:`Citation.notes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

_Date = date  # the Citation class has a field named "date"

#: The Federal Register's volume ``V`` is the calendar year ``FIRST_YEAR + V``.
FIRST_YEAR = 1935

_DATE = r"\d{1,2}/\d{1,3}/\d{1,4}(?![\d/])"

_CITATION = re.compile(
    rf"""
    (?P<vol_style>
        (?:Notice\s+(?P<notice>\d+)\s*,\s*)?
        Vol\.?\s*(?P<vol_volume>\d{{1,3}})\s*,?\s*No\.?\s*(?P<vol_issue>\d{{1,3}})
        (?:\s*,?\s*(?P<vol_date>{_DATE}))?
    )
    |
    (?P<bare>
        (?<![\d/.])(?P<bare_volume>\d{{2,3}})\s+(?P<bare_page>\d{{3,6}})\s+(?P<bare_date>{_DATE})
    )
    |
    (?P<fr_style>
        (?:(?<![\d/])(?P<volume>\d{{1,3}})\s*\.?\s*)?
        (?<![A-Za-z])F\.?\s?R\b\.?\s*
        (?:No\.?\s*(?P<issue_a>\d{{1,3}})\s*,?\s*(?:pg\.?\s*)?)?
        (?P<page>\d{{1,6}}(?![\d/]))?
        (?:\s*,\s*(?P<page2>\d{{1,6}})(?![\d/]|\s*F\.?\s?R\b))?
        (?:\s*\(?\s*No\.?\s*(?P<issue_b>\d{{1,3}})\s*\)?)?
        (?:\s*,?\s*(?:preview\s+citation\s+details\s*,?\s*)?\(?(?P<date>{_DATE})\)?)?
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: What may stand between two citations without being reported.
_SEPARATOR = re.compile(r"^(?:[\s,;.()]|\band\b)*$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Citation:
    """One Federal Register citation.

    Attributes:
        volume: FR volume (84 for 2019).
        page: First page; None when the text gives only volume, issue and date.
        date: Publication date as printed, None when absent or impossible.
        text: The citation as printed (whitespace collapsed).
        issue: FR issue number when printed ("No. 151").
        notes: Problems found: an inferred volume, an impossible date, a date outside
            the volume's year.
    """

    volume: int
    page: int | None
    date: date | None
    text: str
    issue: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Short form: ``"84 FR 54002"``, or ``"Vol. 88, No. 151"`` without a page."""
        if self.page is not None:
            return f"{self.volume} FR {self.page}"
        if self.issue is not None:
            return f"Vol. {self.volume}, No. {self.issue}"
        return f"Vol. {self.volume}"

    def sort_key(self) -> tuple[int, int, _Date]:
        """Order by volume, page, then date (undated and page-less sort last)."""
        return (self.volume, self.page if self.page is not None else 10**7, self.date or date.max)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (date as ISO text)."""
        out: dict[str, Any] = {
            "volume": self.volume,
            "page": self.page,
            "date": self.date.isoformat() if self.date else None,
            "text": self.text,
        }
        if self.issue is not None:
            out["issue"] = self.issue
        if self.notes:
            out["notes"] = list(self.notes)
        return out


@dataclass(frozen=True, slots=True)
class ParsedCitations:
    """The citations of one ``federal_register`` value and what could not be read.

    Attributes:
        citations: In the order printed.
        leftovers: Text that is not a citation (never silently dropped).
    """

    citations: tuple[Citation, ...] = ()
    leftovers: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        """True when everything parsed (no leftovers)."""
        return not self.leftovers

    def earliest_date(self) -> date | None:
        """The earliest citation date, or None when no citation has one."""
        dates = [c.date for c in self.citations if c.date]
        return min(dates) if dates else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "citations": [c.to_dict() for c in self.citations],
            "leftovers": list(self.leftovers),
        }


def volume_year(volume: int) -> int:
    """The calendar year of an FR volume (84 -> 2019)."""
    return FIRST_YEAR + volume


def parse_us_date(text: str, *, volume: int | None) -> tuple[date | None, str | None]:
    """Parse ``M/D/YY`` or ``M/D/YYYY``; a two-digit year takes the volume's century.

    Args:
        text: E.g. ``"6/27/03"`` or ``"08/08/2023"``.
        volume: The citation's FR volume, to choose the century of a two-digit year;
            without one, 00-49 are read as 20xx and 50-99 as 19xx.

    Returns:
        ``(date, None)``, or ``(None, note)`` for an impossible date.
    """
    month_text, day_text, year_text = text.split("/")
    if len(year_text) in (1, 3):
        return None, f"truncated year in {text!r}"
    year = int(year_text)
    if len(year_text) <= 2:
        if volume is not None:
            target = volume_year(volume)
            year = min((1900 + year, 2000 + year), key=lambda y: abs(y - target))
        else:
            year += 2000 if year < 50 else 1900
    try:
        return date(year, int(month_text), int(day_text)), None
    except ValueError:
        return None, f"impossible date {text!r}"


def _build_fr(m: re.Match[str], text: str) -> Citation | None:
    volume = int(m["volume"]) if m["volume"] else None
    page = int(m["page"]) if m["page"] else None
    issue_text = m["issue_a"] or m["issue_b"]
    issue = int(issue_text) if issue_text else None
    notes: list[str] = []
    parsed_date: date | None = None
    if m["date"]:
        parsed_date, problem = parse_us_date(m["date"], volume=volume)
        if problem:
            notes.append(problem)
    if volume is None:
        if parsed_date is None or page is None:
            return None
        volume = parsed_date.year - FIRST_YEAR
        notes.append(f"volume {volume} inferred from the date")
    if page is None and m["date"] is None and issue is None:
        return None  # "88 FR": nothing to cite
    if m["page2"]:
        notes.append(f"second page {m['page2']}")
    return _finish(volume, page, parsed_date, text, issue, notes)


def _build_vol(m: re.Match[str], text: str) -> Citation:
    volume = int(m["vol_volume"])
    notes: list[str] = []
    parsed_date: date | None = None
    if m["vol_date"]:
        parsed_date, problem = parse_us_date(m["vol_date"], volume=volume)
        if problem:
            notes.append(problem)
    if m["notice"]:
        notes.append(f"public notice {m['notice']}")
    return _finish(volume, None, parsed_date, text, int(m["vol_issue"]), notes)


def _build_bare(m: re.Match[str], text: str) -> Citation | None:
    """``88 39978 5/10/2023``: "F.R." left out; accepted only when the date is in the
    volume's year, so that two numbers and a date elsewhere are not taken for a citation."""
    volume = int(m["bare_volume"])
    parsed_date, _ = parse_us_date(m["bare_date"], volume=volume)
    if parsed_date is None or parsed_date.year != volume_year(volume):
        return None
    notes = ['"FR" missing between volume and page']
    return _finish(volume, int(m["bare_page"]), parsed_date, text, None, notes)


def _finish(
    volume: int,
    page: int | None,
    when: date | None,
    text: str,
    issue: int | None,
    notes: list[str],
) -> Citation:
    if when is not None and when.year != volume_year(volume):
        notes.append(f"date {when.isoformat()} is not in volume {volume} ({volume_year(volume)})")
    return Citation(volume, page, when, text, issue, tuple(notes))


def parse_citations(text: str | None) -> ParsedCitations:
    """Parse a ``federal_register`` value into citations (see the module docstring).

    Args:
        text: The value as published; None or blank gives an empty result.

    Returns:
        The citations in printed order and the unparsed leftovers.
    """
    if not text:
        return ParsedCitations()
    clean = _SPACES.sub(" ", text).strip()
    citations: list[Citation] = []
    leftovers: list[str] = []
    gap_start = 0
    for m in _CITATION.finditer(clean):
        matched = m.group(0).strip().rstrip(",;. ")
        if m["vol_style"] is not None:
            citation: Citation | None = _build_vol(m, _trim(matched))
        elif m["bare"] is not None:
            citation = _build_bare(m, matched)
        else:
            citation = _build_fr(m, _trim(matched))
        if citation is None:
            continue  # left in the gap, reported below
        _add_gap(clean[gap_start : m.start()], leftovers)
        citations.append(citation)
        gap_start = m.end()
    _add_gap(clean[gap_start:], leftovers)
    return ParsedCitations(tuple(citations), tuple(leftovers))


def _trim(text: str) -> str:
    """Drop an unbalanced trailing or leading bracket left by the pattern."""
    if text.count("(") > text.count(")"):
        text = text.rstrip("(").strip() if text.endswith("(") else text
    if text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:].strip()
    return text


def _add_gap(gap: str, leftovers: list[str]) -> None:
    if not _SEPARATOR.match(gap):
        leftovers.append(gap.strip(" ,;."))


__all__ = [
    "FIRST_YEAR",
    "Citation",
    "ParsedCitations",
    "parse_citations",
    "parse_us_date",
    "volume_year",
]
