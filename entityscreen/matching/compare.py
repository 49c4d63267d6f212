"""Two names compared exactly as screening compares a query name with a listed name
(``entityscreen compare``, the API's ``/match``): the scorer's outcome through the match
model, with its explanation. Apart from :mod:`.features` so that the features do not
depend on the name analysis that only this entry point needs.
"""

from __future__ import annotations

from ..model import Schema
from ..names import analyze_name
from .explain import explain_comparison
from .features import Context, match_features, score_outcome
from .rarity import Rarity, default_rarity
from .scorer import person_hint, score_analyses
from .types import Comparison


def compare_names(
    name1: str,
    name2: str,
    *,
    schema: Schema = Schema.UNKNOWN,
    rarity: Rarity | None = None,
) -> Comparison:
    """Compare two names exactly as screening compares a query name with a listed name.

    Args:
        name1: The query name.
        name2: The listed name.
        schema: What both names are names of; ``PERSON`` turns on person-name rules
            (commas invert, single letters are initials) and the person features.
        rarity: Token rarity; defaults to the table shipped with the package (a
            :class:`~entityscreen.matching.MatchIndex` passes its own).

    Returns:
        The comparison: score, explanation and features.

    Raises:
        InputError: a name is empty, not a string, or too long.
    """
    hint = person_hint(schema)
    left = analyze_name(name1, person=hint)
    right = analyze_name(name2, person=hint)
    rarity = rarity or default_rarity()
    outcome = score_analyses(left, right, rarity, vessel=schema is Schema.VESSEL)
    score, values, notes = score_outcome(
        outcome, Context(party_schema=schema, entry_schema=schema, rarity=rarity)
    )
    explanation = "; ".join([explain_comparison(outcome), *notes])
    return Comparison(
        score=round(score, 4),
        explanation=explanation,
        features=match_features(outcome, values),
    )


__all__ = ["compare_names"]
