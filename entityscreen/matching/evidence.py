"""Evidence besides the name: schema and country, applied after the name score.

* A person screened against an organisation, vessel or aircraft entry (or the reverse) is
  penalised: the score is multiplied by ``SCHEMA_MISMATCH_FACTOR``. Unknown schemas on
  either side say nothing.
* Countries: when the party gives a country and the entry has countries, agreement moves
  the score ``COUNTRY_AGREEMENT_GAIN`` of the way towards 1; disagreement multiplies it by
  ``COUNTRY_DISAGREEMENT_FACTOR``. The factor is mild on purpose: listed parties move, use
  fronts and are listed under several countries, so an exact name match with another
  country (1.0 -> 0.95) stays well above the default threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Schema

SCHEMA_MISMATCH_FACTOR = 0.8
COUNTRY_AGREEMENT_GAIN = 0.1
COUNTRY_DISAGREEMENT_FACTOR = 0.95

_PERSONS = frozenset({Schema.PERSON})
_THINGS = frozenset({Schema.ORGANIZATION, Schema.VESSEL, Schema.AIRCRAFT})


def apply_evidence(
    score: float,
    *,
    party_schema: Schema,
    entry_schema: Schema,
    party_country: str | None,
    entry_countries: Sequence[str],
) -> tuple[float, list[str], dict[str, float | str]]:
    """Adjust a name score with schema and country evidence.

    Args:
        score: The calibrated name score.
        party_schema: Schema of the screened party.
        entry_schema: Schema of the listed entry.
        party_country: ISO alpha-2 country of the party, if given.
        entry_countries: ISO alpha-2 countries of the entry.

    Returns:
        The adjusted score, explanation items and features.
    """
    notes: list[str] = []
    features: dict[str, float | str] = {}
    mismatch = (party_schema in _PERSONS and entry_schema in _THINGS) or (
        party_schema in _THINGS and entry_schema in _PERSONS
    )
    if mismatch:
        score *= SCHEMA_MISMATCH_FACTOR
        notes.append(f"a {party_schema.value} screened against a {entry_schema.value} (lowered)")
        features["schema"] = "mismatch"
    if party_country and entry_countries:
        country = party_country.strip().upper()
        listed = {c.upper() for c in entry_countries}
        if country in listed:
            score += (1.0 - score) * COUNTRY_AGREEMENT_GAIN
            notes.append(f"country {country} agrees (raised)")
            features["country"] = "agree"
        else:
            score *= COUNTRY_DISAGREEMENT_FACTOR
            notes.append(f"country {country} not among {', '.join(sorted(listed))} (lowered)")
            features["country"] = "disagree"
    return score, notes, features


__all__ = [
    "COUNTRY_AGREEMENT_GAIN",
    "COUNTRY_DISAGREEMENT_FACTOR",
    "SCHEMA_MISMATCH_FACTOR",
    "apply_evidence",
]
