"""Result values of matching: cheap slotted dataclasses on the hot path.

:class:`Comparison` is what :func:`~entityscreen.matching.compare_names` returns for one
pair of names; :class:`Match` is one listed entry found by
:meth:`~entityscreen.matching.MatchIndex.screen` for a party. Both carry a one-line
explanation for an analyst and a ``features`` dict (numbers and short strings) for audit
and for the API; the API layer wraps them in its own pydantic models.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Comparison:
    """The comparison of two names.

    Attributes:
        score: Calibrated similarity in [0, 1]; 1.0 for identical names.
        explanation: One line an analyst reads.
        features: The evidence behind the score (see ``docs/matching.md``).
    """

    score: float
    explanation: str
    features: dict[str, float | str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Match:
    """A listed entry that matches a screened party.

    Attributes:
        entry_id: Id of the listed entry.
        score: Calibrated score in [0, 1] after country and schema evidence.
        query_name: The party's name that matched best.
        matched_name: The listed name that matched best.
        listed_name: The entry's primary name.
        list: Short code of the list ("EL", "SDN", ...).
        source: Source of the entry.
        schema: Schema of the entry (a :class:`~entityscreen.model.Schema` value).
        countries: Countries of the entry (ISO alpha-2).
        explanation: One line an analyst reads.
        features: The evidence behind the score.
    """

    entry_id: str
    score: float
    query_name: str
    matched_name: str
    listed_name: str
    list: str
    source: str
    schema: str
    countries: tuple[str, ...]
    explanation: str
    features: dict[str, float | str] = field(default_factory=dict)


__all__ = ["Comparison", "Match"]
