"""Name matching: an in-memory candidate index, a scorer and explanations."""

from .compare import compare_names
from .features import DEFAULT_THRESHOLD
from .index import MatchIndex
from .ofac_score import OFAC_ALGORITHM_VERSION, OFAC_DEFAULT_THRESHOLD, ofac_score
from .ofac_screen import compare_ofac, screen_ofac
from .rarity import Rarity, default_rarity
from .types import Comparison, Match

ALGORITHM_VERSION = "entityscreen-match-0.4.2"

__all__ = [
    "ALGORITHM_VERSION",
    "DEFAULT_THRESHOLD",
    "OFAC_ALGORITHM_VERSION",
    "OFAC_DEFAULT_THRESHOLD",
    "Comparison",
    "Match",
    "MatchIndex",
    "Rarity",
    "compare_names",
    "compare_ofac",
    "default_rarity",
    "ofac_score",
    "screen_ofac",
]
