"""Evidence besides the name: country, birth date and identifiers, applied after the name
score (the schema is a feature of the name score itself, see :mod:`.features`).

* Countries: when the party gives a country and the entry has countries, agreement moves
  the score ``COUNTRY_AGREEMENT_GAIN`` of the way towards 1; disagreement multiplies it by
  ``COUNTRY_DISAGREEMENT_FACTOR``. The factor is mild on purpose: listed parties move, use
  fronts and are listed under several countries, so an exact name match with another
  country (1.0 -> 0.95) stays well above the default threshold.
* Birth dates: when both sides give one, the same year (or full date) moves the score
  ``BIRTH_AGREEMENT_GAIN`` of the way towards 1; years more than one apart multiply it by
  ``BIRTH_DISAGREEMENT_FACTOR`` (lists give circa years and one-off typos, hence the
  one-year slack). A person's birth date is the strongest tie-breaker between namesakes.
* Identifiers (passport, registration, IMO, tax numbers): the same number, compared on
  letters and digits only, moves the score ``IDENTIFIER_AGREEMENT_GAIN`` of the way
  towards 1 when the names already agree somewhat (``IDENTIFIER_MIN_SCORE``). A number
  the entry lacks says nothing: a party's id of one kind cannot contradict a listed id
  of another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..model import Party

COUNTRY_AGREEMENT_GAIN = 0.1
COUNTRY_DISAGREEMENT_FACTOR = 0.95
BIRTH_AGREEMENT_GAIN = 0.5
BIRTH_DISAGREEMENT_FACTOR = 0.7
IDENTIFIER_AGREEMENT_GAIN = 0.8
IDENTIFIER_MIN_SCORE = 0.4

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def identifier_keys(values: Iterable[str]) -> frozenset[str]:
    """Identifiers compared on letters and digits only, upper case; shorter than 5 dropped
    (a "12" matches too much to be evidence)."""
    keys = {re.sub(r"[^0-9A-Za-z]", "", v).upper() for v in values if v}
    return frozenset(k for k in keys if len(k) >= 5)


def _years(values: Iterable[str]) -> set[int]:
    return {int(y) for v in values for y in _YEAR.findall(v)}


def _dates(values: Iterable[str]) -> set[str]:
    return {"-".join(m) for v in values for m in _ISO_DATE.findall(v)}


def most_raised(party: Party) -> float:
    """How far the party's evidence can raise a name score: the factor ``k`` such that a
    score ``s`` becomes at most ``1 - (1 - s) * k`` (1.0 when the party gives nothing that
    raises). Screening uses it to skip the model for names that cannot reach the threshold."""
    k = 1.0
    if party.country:
        k *= 1.0 - COUNTRY_AGREEMENT_GAIN
    if party.birth_date:
        k *= 1.0 - BIRTH_AGREEMENT_GAIN
    if party.identifiers:
        k *= 1.0 - IDENTIFIER_AGREEMENT_GAIN
    return k


def apply_evidence(
    score: float,
    *,
    party: Party,
    entry_countries: Sequence[str],
    entry_birth_dates: Sequence[str] = (),
    entry_identifiers: frozenset[str] = frozenset(),
) -> tuple[float, list[str], dict[str, float | str]]:
    """Adjust a name score with country, birth date and identifier evidence.

    Args:
        score: The name score.
        party: The screened party (its country, birth date and identifiers).
        entry_countries: ISO alpha-2 countries of the entry.
        entry_birth_dates: The entry's birth dates as listed (ISO dates or years).
        entry_identifiers: The entry's identifiers (:func:`identifier_keys`).

    Returns:
        The adjusted score, explanation items and features.
    """
    notes: list[str] = []
    features: dict[str, float | str] = {}
    if party.country and entry_countries:
        country = party.country.strip().upper()
        listed = {c.upper() for c in entry_countries}
        if country in listed:
            score += (1.0 - score) * COUNTRY_AGREEMENT_GAIN
            notes.append(f"country {country} agrees (raised)")
            features["country"] = "agree"
        else:
            score *= COUNTRY_DISAGREEMENT_FACTOR
            notes.append(f"country {country} not among {', '.join(sorted(listed))} (lowered)")
            features["country"] = "disagree"
    if party.birth_date and entry_birth_dates:
        years, listed_years = _years([party.birth_date]), _years(entry_birth_dates)
        if years and listed_years:
            same_date = bool(_dates([party.birth_date]) & _dates(entry_birth_dates))
            if same_date or years & listed_years:
                score += (1.0 - score) * BIRTH_AGREEMENT_GAIN
                notes.append(f"birth {'date' if same_date else 'year'} agrees (raised)")
                features["birth_date"] = "agree"
            elif all(abs(a - b) > 1 for a in years for b in listed_years):
                score *= BIRTH_DISAGREEMENT_FACTOR
                shown = ", ".join(str(y) for y in sorted(listed_years))
                notes.append(f"born {min(years)}, listed {shown} (lowered)")
                features["birth_date"] = "disagree"
    if party.identifiers and entry_identifiers and score >= IDENTIFIER_MIN_SCORE:
        same = identifier_keys(party.identifiers) & entry_identifiers
        if same:
            score += (1.0 - score) * IDENTIFIER_AGREEMENT_GAIN
            notes.append(f"identifier {sorted(same)[0]} agrees (raised)")
            features["identifier"] = "agree"
    return score, notes, features


__all__ = [
    "BIRTH_AGREEMENT_GAIN",
    "BIRTH_DISAGREEMENT_FACTOR",
    "COUNTRY_AGREEMENT_GAIN",
    "COUNTRY_DISAGREEMENT_FACTOR",
    "IDENTIFIER_AGREEMENT_GAIN",
    "apply_evidence",
    "identifier_keys",
    "most_raised",
]
