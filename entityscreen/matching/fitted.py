"""The fitted match model: the weights of the features and how they move a base score.

Apart from the features (:mod:`.features`) because it is data and arithmetic: the weights
are fitted by ``bench/fit_model.py`` and ship as ``data/model.json``; this module reads
them and combines a base score with feature values, and knows nothing of names.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: The base score's logit is held within these bounds (scores 1e-6 to 1 - 1e-6). A tighter
#: upper bound (5, a base of 0.993) was tried so that penalties could move the steep person
#: calibration's near-1 scores: it lowered false alerts on companies by a sixth, raised
#: them on persons and cost six cross-script pairs (docs/matching.md).
BASE_LOGIT_RANGE = (-13.8, 13.8)


def base_logit(base: float) -> float:
    """``logit(base)``, clipped to ``BASE_LOGIT_RANGE``."""
    low, high = BASE_LOGIT_RANGE
    base = min(max(base, 1e-9), 1.0 - 1e-9)
    return min(max(math.log(base / (1.0 - base)), low), high)


@dataclass(frozen=True, slots=True)
class Model:
    """Fitted weights of the features (see the module docstring)."""

    bias: float
    weights: dict[str, float]
    version: str = ""
    #: How much of a positive base logit the score keeps (0 < scale <= 1), for persons
    #: and for everything else. The person calibration is steep (a raw ratio of 0.92
    #: is a base of 0.99997): at full scale no fitted penalty could move such a base
    #: below the threshold, so the fit also chooses how far to trust it. A negative
    #: base logit is kept whole: the model still never raises a score.
    base_scale: float = 1.0
    person_base_scale: float = 1.0

    def combine(self, base: float, values: dict[str, float]) -> float:
        """The score: ``base`` moved in logit space by the weighed features."""
        z = base_logit(base)
        if z > 0:
            z *= self.person_base_scale if values.get("person") else self.base_scale
        z += self.bias
        z += sum(self.weights.get(k, 0.0) * v for k, v in values.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


@cache
def default_model() -> Model:
    """The weights shipped with the package (``data/model.json``)."""
    text = resources.files(__package__).joinpath("data/model.json").read_text("utf-8")
    data = json.loads(text)
    return Model(
        float(data["bias"]),
        {k: float(v) for k, v in data["weights"].items()},
        str(data.get("version", "")),
        float(data.get("base_scale", 1.0)),
        float(data.get("person_base_scale", 1.0)),
    )


__all__ = ["BASE_LOGIT_RANGE", "Model", "base_logit", "default_model"]
