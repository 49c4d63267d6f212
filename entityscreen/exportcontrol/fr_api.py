"""Rule dates from the Federal Register API, merged over ``data/fr_rules.yml``.

``https://www.federalregister.gov/api/v1/documents/{document_number}.json`` answers one
document as a JSON object; a search (``/api/v1/documents.json?conditions[...]``) or a
list of numbers (``/documents/{n1},{n2}.json``) answers ``{"count": ..., "results":
[...]}``. The fields read are ``citation`` ("84 FR 22961"; else ``volume`` and
``start_page``), ``end_page``, ``publication_date``, ``effective_on``,
``document_number``, ``title`` and ``html_url``. Each document becomes an
:class:`~entityscreen.exportcontrol.fr_rules.FrRule` whose ``verified`` is true when
the publisher states both dates (``effective_on`` null means the API states no
effective date: it is taken as the publication date and the rule is not verified).

:func:`merge_rules` lays such rules over the data file's: the publisher wins, and every
date or page where the two disagree is reported. Parsing never touches the network;
:func:`entityscreen.sources.fetch.fetch_documents` (optional) downloads and reads them
(in ``sources``, which fetches: export-control rules import nothing of ``sources``).
These readers have been tested on fixtures written to the API's documented fields only,
never on a response fetched from federalregister.gov.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import SourceError
from .fr_rules import FrRule, FrRules, load_fr_rules

API_BASE = "https://www.federalregister.gov/api/v1"
_CITATION = re.compile(r"^\s*(\d+)\s+FR\s+(\d+)\s*$")
_DOCUMENT_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,40}$")


@dataclass(frozen=True, slots=True)
class ApiRule:
    """One Federal Register document as the API gives it.

    Attributes:
        rule: Its dates and pages as a rule record.
        document_number: The FR document number ("2019-10616").
        url: Where the publisher shows it (``html_url``).
    """

    rule: FrRule
    document_number: str
    url: str


def read_documents(source: Path | str | bytes) -> tuple[list[ApiRule], list[str]]:
    """The documents of an API answer (one document, or ``results`` of a search).

    Args:
        source: A file holding the JSON, or the JSON itself (text or bytes).

    Returns:
        ``(rules, warnings)``: documents without a citation or publication date are
        skipped with a warning naming them.

    Raises:
        SourceError: Not JSON, not an object, an API error answer, or a single
            document that cannot be read.
    """
    where, data = _load(source)
    if not isinstance(data, dict):
        raise SourceError(where, "not a Federal Register API answer: not a JSON object")
    if "errors" in data and "document_number" not in data:
        raise SourceError(where, f"the API answered an error: {_short(data['errors'])}")
    if "results" in data:
        results = data["results"] or []
        if not isinstance(results, list):
            raise SourceError(where, "'results' is not a list")
        rules: list[ApiRule] = []
        warnings: list[str] = []
        for number, item in enumerate(results, 1):
            try:
                rules.append(read_document(item, where=where))
            except SourceError as exc:
                warnings.append(f"result {number}: skipped: {exc.args[0].split(': ', 1)[-1]}")
        return rules, warnings
    return [read_document(data, where=where)], []


def read_document(item: Any, *, where: str = "Federal Register API") -> ApiRule:
    """One document object of the API as an :class:`ApiRule`.

    Raises:
        SourceError: Not an object, no document number, no citation (nor volume and
            start page), a missing or impossible publication date.
    """
    if not isinstance(item, dict):
        raise SourceError(where, "a document is not a JSON object")
    number = item.get("document_number")
    if not isinstance(number, str) or not _DOCUMENT_NUMBER.match(number):
        raise SourceError(where, f"document_number {_short(number)} is missing or malformed")
    volume, first_page = _citation(item, where, number)
    published = _date(item.get("publication_date"), "publication_date", where, number)
    if published is None:
        raise SourceError(where, f"{number}: no publication_date")
    effective = _date(item.get("effective_on"), "effective_on", where, number)
    end_page = item.get("end_page")
    last_page = end_page if isinstance(end_page, int) and end_page >= first_page else None
    url = item.get("html_url")
    url = (
        url
        if isinstance(url, str) and url.startswith("https://")
        else (f"https://www.federalregister.gov/d/{number}")
    )
    title = item.get("title")
    stated = "publication_date and effective_on" if effective else "publication_date only"
    rule = FrRule(
        volume=volume,
        first_page=first_page,
        last_page=last_page,
        title=title.strip() if isinstance(title, str) and title.strip() else number,
        published=published,
        effective=effective or published,
        verified=effective is not None,
        source=f"Federal Register API, document {number} ({stated}): {url}",
    )
    return ApiRule(rule, number, url)


def merge_rules(
    api: Iterable[ApiRule | FrRule], base: FrRules | None = None
) -> tuple[FrRules, list[str]]:
    """The data file's rules with the API's laid over them (the publisher wins).

    A rule of the same citation (volume and first page) is replaced; a new one is
    added. Each disagreement on publication date, effective date or last page gives
    one line, e.g. ``"84 FR 22961: effective 2019-05-21 in fr_rules.yml, 2019-05-16
    from the Federal Register API"``.

    Args:
        api: Rules read by :func:`read_documents`.
        base: The rules to merge over (default: the packaged data file).

    Returns:
        ``(merged rules, disagreements)``.
    """
    table = base or load_fr_rules()
    merged = {(r.volume, r.first_page): r for r in table.rules}
    disagreements: list[str] = []
    for item in api:
        rule = item.rule if isinstance(item, ApiRule) else item
        key = (rule.volume, rule.first_page)
        old = merged.get(key)
        if old is not None:
            for label, mine, theirs in (
                ("published", old.published, rule.published),
                ("effective", old.effective, rule.effective),
                ("last page", old.last_page, rule.last_page),
            ):
                if mine is not None and theirs is not None and mine != theirs:
                    disagreements.append(
                        f"{rule.label}: {label} {_text(mine)} in fr_rules.yml, "
                        f"{_text(theirs)} from the Federal Register API"
                    )
            if rule.last_page is None and old.last_page is not None:
                rule = replace(rule, last_page=old.last_page)
        merged[key] = rule
    rules = tuple(sorted(merged.values(), key=lambda r: (r.volume, r.first_page)))
    return FrRules(rules, table.max_pages), disagreements


def document_url(number: str, base: str = API_BASE) -> str:
    """The API URL of one document (``{base}/documents/{number}.json``)."""
    if not _DOCUMENT_NUMBER.match(number):
        raise ValueError(f"not a Federal Register document number: {number!r}")
    return f"{base.rstrip('/')}/documents/{number}.json"


# --- helpers ----------------------------------------------------------------------------------


def _load(source: Path | str | bytes) -> tuple[str, Any]:
    if isinstance(source, Path):
        where = str(source)
        try:
            raw: str | bytes = source.read_bytes()
        except OSError as exc:
            raise SourceError(source, f"cannot read file: {exc.strerror or exc}") from None
    else:
        where, raw = "Federal Register API answer", source
    try:
        return where, json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SourceError(where, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:  # bad UTF-8, long integers, deep nesting
        raise SourceError(where, f"invalid JSON: {type(exc).__name__}") from None


def _citation(item: dict[str, Any], where: str, number: str) -> tuple[int, int]:
    text = item.get("citation")
    if isinstance(text, str):
        m = _CITATION.match(text)
        if m is None:
            raise SourceError(where, f"{number}: citation {_short(text)} is not '<vol> FR <page>'")
        return int(m[1]), int(m[2])
    volume, page = item.get("volume"), item.get("start_page")
    if isinstance(volume, int) and isinstance(page, int) and volume > 0 and page > 0:
        return volume, page
    raise SourceError(where, f"{number}: no citation (nor volume and start_page)")


def _date(value: Any, key: str, where: str, number: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _bad(value)
    except ValueError:
        raise SourceError(where, f"{number}: {key} {_short(value)} is not a date") from None


def _bad(value: Any) -> date:
    raise ValueError(value)


def _short(value: Any) -> str:
    text = " ".join(repr(value).split())
    return text if len(text) <= 80 else text[:77] + "..."


def _text(value: date | int) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


__all__ = [
    "API_BASE",
    "ApiRule",
    "document_url",
    "merge_rules",
    "read_document",
    "read_documents",
]
