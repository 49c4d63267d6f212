"""One line of plain words for an analyst: why two names scored what they scored.

Example::

    'hikvision' = 'hikvision' (distinctive); 'hangzhou' only in listed name (place,
    weighs little); 'digital', 'technology' only in listed name (generic words, weigh
    little); legal form 'co ltd' ignored

Items are separated by ``"; "``: aligned tokens first (``=`` identical, ``~`` similar with
the rule, see :mod:`entityscreen.matching.similarity`), then tokens only one name has, then
legal forms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .scorer import Outcome, Part

_ROLE_WORDS = {
    "distinctive": "distinctive",
    "generic": "generic word",
    "place": "place",
    "country": "country",
    "number": "number",
    "initial": "initial",
    "qualifier": "qualifier",
}
_CHEAP_ROLES = frozenset({"generic", "place", "qualifier"})


def _quote(parts: list[Part]) -> str:
    return ", ".join(f"'{p.token.shown}'" for p in parts)


def _only(parts: list[Part], side: str, conflict: bool) -> list[str]:
    items: list[str] = []
    cheap = [
        p for p in parts if p.role in _CHEAP_ROLES and p.token.kind.value == "word" and not conflict
    ]
    costly = [p for p in parts if p not in cheap]
    if costly:
        roles = sorted({_ROLE_WORDS[p.role] for p in costly})
        why = "differs" if conflict else "missing on the other side"
        items.append(f"{_quote(costly)} only in {side} ({'/'.join(roles)}, {why})")
    if cheap:
        roles = sorted({_ROLE_WORDS[p.role] for p in cheap})
        items.append(f"{_quote(cheap)} only in {side} ({'/'.join(roles)}, weighs little)")
    return items


def explain_comparison(outcome: Outcome) -> str:
    """The explanation line of a scorer outcome.

    Args:
        outcome: What the scorer found.

    Returns:
        One line, items separated by ``"; "``.
    """
    items: list[str] = []
    if outcome.same_letters:
        left = " ".join(t.shown for t in outcome.pairs_left_tokens)
        items.append(f"'{left}': same letters and digits on both sides (spacing aside)")
    for pair in [] if outcome.same_letters else outcome.pairs:
        left, right = pair.left.token.shown, pair.right.token.shown
        role = _ROLE_WORDS.get(pair.left.role, pair.left.role)
        if pair.rule == "exact" and pair.similarity >= 1.0:
            items.append(f"'{left}' = '{right}' ({role})")
        else:
            items.append(f"'{left}' ~ '{right}' ({pair.rule} {pair.similarity:.2f}, {role})")
    conflict = bool(outcome.left_only) and bool(outcome.right_only)
    items.extend(_only(outcome.left_only, "query", conflict))
    items.extend(_only(outcome.right_only, "listed name", conflict))
    forms_left = " ".join(t.shown for t in outcome.legal_left)
    forms_right = " ".join(t.shown for t in outcome.legal_right)
    if outcome.legal == "conflict":
        items.append(f"legal forms '{forms_left}' vs '{forms_right}' cannot be the same company")
    elif outcome.legal == "company vs vessel":
        items.append(f"a company (legal form '{forms_left or forms_right}') is not a vessel")
    elif outcome.legal in ("same", "compatible"):
        items.append(f"legal forms '{forms_left}' / '{forms_right}' agree (ignored)")
    elif forms_left or forms_right:
        items.append(f"legal form '{forms_left or forms_right}' ignored")
    if outcome.former:
        items.append(f"matched a former name of the {outcome.former}")
    return "; ".join(items) if items else "no tokens in common"


__all__ = ["explain_comparison"]
