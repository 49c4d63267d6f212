"""From the raw alignment ratio to a calibrated score, and the default threshold.

The scorer's raw value ``R = M / (M + penalty)`` (see :mod:`entityscreen.matching.scorer`)
is a ratio of evidence, not a probability. It is mapped to a score by Platt scaling in
logit space, fitted separately for persons and for everything else::

    score = sigmoid(a * logit(R) + b)

so that the same threshold means the same thing for both. ``a > 0`` keeps the map
monotonic and keeps ``R = 1`` at 1.0 and ``R = 0`` at 0.0.

The constants below were fitted for matching 0.3 on pairs *generated from the lists
themselves* (listed names against perturbed copies and aliases of themselves as
positives; different listed names that share tokens, and copies with one identifying word
or number changed, as negatives; ``bench/generate_pairs.py`` makes the same pairs). No
evaluation set was used. Since matching 0.4 this calibrated score is the *base* of the
match model (:mod:`entityscreen.matching.features`), which only lowers it.
"""

from __future__ import annotations

import math

#: Platt parameters (a, b) for person names.
PERSON_CALIBRATION = (4.8879, -1.1913)
#: Platt parameters (a, b) for organisations, vessels, aircraft and unknown schemas.
OTHER_CALIBRATION = (1.4192, -0.0399)
_EPS = 1e-9


def calibrate(raw: float, *, person: bool) -> float:
    """Map a raw ratio to a calibrated score.

    Args:
        raw: The scorer's ratio in [0, 1].
        person: Use the person calibration.

    Returns:
        The score in [0, 1]; exactly 1.0 for ``raw == 1`` and 0.0 for ``raw == 0``.
    """
    if raw >= 1.0:
        return 1.0
    if raw <= 0.0:
        return 0.0
    a, b = PERSON_CALIBRATION if person else OTHER_CALIBRATION
    raw = min(max(raw, _EPS), 1.0 - _EPS)
    z = a * math.log(raw / (1.0 - raw)) + b
    return 1.0 / (1.0 + math.exp(-z))


__all__ = ["OTHER_CALIBRATION", "PERSON_CALIBRATION", "calibrate"]
