"""The match model's two fixed rules and its features (matching/features.py)."""

from __future__ import annotations

from entityscreen.matching.features import (
    DEFAULT_THRESHOLD,
    FEATURES,
    WEAK_CAP,
    Context,
    default_model,
    extract,
    score_outcome,
)
from entityscreen.matching.rarity import default_rarity
from entityscreen.matching.scorer import score_analyses
from entityscreen.model import Schema
from entityscreen.names import analyze_name


def _outcome(query: str, listed: str, *, person: bool):  # type: ignore[no-untyped-def]
    return score_analyses(
        analyze_name(query, person=person), analyze_name(listed, person=person), default_rarity()
    )


def test_every_weight_is_a_penalty() -> None:
    model = default_model()
    assert set(model.weights) == set(FEATURES)
    assert model.bias <= 0.0
    assert all(w <= 0.0 for w in model.weights.values())


def test_a_one_word_name_inside_a_persons_name_is_capped() -> None:
    ctx = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON)
    score, _, _ = score_outcome(_outcome("Arthur Martin", "Arthur", person=True), ctx)
    assert score <= WEAK_CAP < DEFAULT_THRESHOLD
    exact, _, _ = score_outcome(_outcome("Arthur", "Arthur", person=True), ctx)
    assert exact == 1.0


def test_a_weak_alias_is_capped_unless_exact_and_says_so() -> None:
    ctx = Context(party_schema=Schema.ORGANIZATION, entry_schema=Schema.ORGANIZATION, weak=True)
    near, _, _ = score_outcome(_outcome("Zalaero", "Zala Aero", person=False), ctx)
    assert near <= WEAK_CAP
    exact, _, exact_notes = score_outcome(_outcome("Zala Aero", "Zala Aero", person=False), ctx)
    assert exact >= DEFAULT_THRESHOLD
    assert "weak alias (exact)" in exact_notes


def test_schema_conflict_speaks_and_lowers() -> None:
    outcome = _outcome("Hikvision Digital", "Hikvision Digital Technology", person=False)
    same = Context(party_schema=Schema.ORGANIZATION, entry_schema=Schema.ORGANIZATION)
    other = Context(party_schema=Schema.PERSON, entry_schema=Schema.ORGANIZATION)
    values, _ = extract(outcome, other)
    assert values["schema_conflict"] == 1.0
    assert score_outcome(outcome, other)[0] < score_outcome(outcome, same)[0]


def test_a_near_word_that_is_itself_a_listed_name_is_no_typo() -> None:
    rarity = default_rarity()
    ctx = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON, rarity=rarity)
    outcome = _outcome("Ahmad Hassan", "Ahmad Hasan", person=True)
    values, _ = extract(outcome, ctx)
    # "hassan" is a word of many listed names: the pair is two names, not a typo.
    assert rarity.frequency("hassan") >= 3
    assert values["fuzzy_known"] > 0.0
