"""The scoring algorithms a user can choose (issue #14), in one place.

``entityscreen`` (the default) is our matcher; ``ofac`` reproduces the score of OFAC's
Sanctions List Search (:mod:`entityscreen.matching.ofac_score`). Screening, ``/match``
and ``compare`` take the algorithm's name; this module checks it and gives each
algorithm's default threshold, version, pair comparison and matches.
"""

from __future__ import annotations

from collections.abc import Collection

from ..errors import InputError
from ..matching import (
    ALGORITHM_VERSION,
    DEFAULT_THRESHOLD,
    OFAC_ALGORITHM_VERSION,
    OFAC_DEFAULT_THRESHOLD,
    Comparison,
    Match,
    MatchIndex,
    compare_names,
    compare_ofac,
    screen_ofac,
)
from ..model import Party, Schema
from ._common import check_threshold

DEFAULT_ALGORITHM = "entityscreen"
OFAC = "ofac"
ALGORITHMS = (DEFAULT_ALGORITHM, OFAC)


def check_algorithm(name: str | None) -> str:
    """The algorithm's name as we spell it (default when None).

    Raises:
        InputError: not one of :data:`ALGORITHMS`; the message names them.
    """
    if name is None:
        return DEFAULT_ALGORITHM
    key = name.strip().lower()
    if key not in ALGORITHMS:
        raise InputError(f"unknown algorithm {name!r}; use one of {', '.join(ALGORITHMS)}")
    return key


def default_threshold(algorithm: str) -> float:
    """The threshold an answer uses when none is given."""
    return OFAC_DEFAULT_THRESHOLD if algorithm == OFAC else DEFAULT_THRESHOLD


def algorithm_version(algorithm: str) -> str:
    """What a screening result records as its algorithm."""
    return OFAC_ALGORITHM_VERSION if algorithm == OFAC else ALGORITHM_VERSION


def resolve(algorithm: str | None, threshold: float | None) -> tuple[str, float]:
    """The algorithm's name and the threshold to use (its default when None), both checked.

    Raises:
        InputError: an unknown algorithm, or a threshold outside [0, 1].
    """
    chosen = check_algorithm(algorithm)
    cutoff = default_threshold(chosen) if threshold is None else threshold
    check_threshold(cutoff)
    return chosen, cutoff


def compare_with(
    name1: str, name2: str, *, schema: Schema = Schema.UNKNOWN, algorithm: str | None = None
) -> Comparison:
    """Score one pair of names with the chosen algorithm (the OFAC-style score ignores
    the schema, as SLS does)."""
    if check_algorithm(algorithm) == OFAC:
        return compare_ofac(name1, name2)
    return compare_names(name1, name2, schema=schema)


def find_matches(
    index: MatchIndex,
    party: Party,
    algorithm: str,
    threshold: float,
    limit: int,
    lists: Collection[str] | None,
) -> list[Match]:
    """A party's matches in ``index`` with the chosen algorithm."""
    if algorithm == OFAC:
        return screen_ofac(index, party, threshold=threshold, limit=limit, lists=lists)
    return index.screen(party, threshold=threshold, limit=limit, lists=lists)


__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "algorithm_version",
    "check_algorithm",
    "compare_with",
    "default_threshold",
    "find_matches",
    "resolve",
]
