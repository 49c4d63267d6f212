"""The public surface of names and matching is pinned."""

from __future__ import annotations

import entityscreen.matching as matching
import entityscreen.names as names


def test_matching_exports() -> None:
    assert sorted(matching.__all__) == sorted(
        [
            "ALGORITHM_VERSION",
            "DEFAULT_THRESHOLD",
            "Comparison",
            "Match",
            "MatchIndex",
            "OFAC_ALGORITHM_VERSION",
            "OFAC_DEFAULT_THRESHOLD",
            "Rarity",
            "compare_names",
            "compare_ofac",
            "default_rarity",
            "ofac_score",
            "screen_ofac",
        ]
    )
    for name in matching.__all__:
        assert hasattr(matching, name)


def test_names_exports() -> None:
    assert sorted(names.__all__) == sorted(
        [
            "MAX_NAME_LENGTH",
            "NameAnalysis",
            "NameForm",
            "Token",
            "TokenKind",
            "analyze_name",
            "normalize_text",
            "transliterate",
        ]
    )


def test_algorithm_version_and_threshold() -> None:
    assert isinstance(matching.ALGORITHM_VERSION, str) and matching.ALGORITHM_VERSION
    assert 0.0 < matching.DEFAULT_THRESHOLD < 1.0
