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
    # Capped below the threshold, whatever the names share, and the match says why.
    score, _, notes = score_outcome(outcome, other)
    assert score <= WEAK_CAP < DEFAULT_THRESHOLD
    assert any("person against" in note for note in notes)
    # The same name with both schemas unknown is not capped.
    assert score_outcome(outcome, Context())[0] >= DEFAULT_THRESHOLD


def test_a_near_word_that_is_itself_a_listed_name_is_no_typo() -> None:
    rarity = default_rarity()
    ctx = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON, rarity=rarity)
    outcome = _outcome("Ahmad Hassan", "Ahmad Hasan", person=True)
    values, _ = extract(outcome, ctx)
    # "hassan" is a word of many listed names: the pair is two names, not a typo.
    assert rarity.frequency("hassan") >= 3
    assert values["fuzzy_known"] > 0.0


def test_the_base_scale_never_raises_a_score() -> None:
    model = default_model()
    assert 0.0 < model.person_base_scale <= 1.0 and 0.0 < model.base_scale <= 1.0
    # Only a positive base logit is scaled: a weak base is never lifted towards 0.5.
    assert model.combine(0.3, {"person": 1.0}) <= 0.3 + 1e-12
    assert model.combine(0.3, {}) <= 0.3 + 1e-12


def test_a_missing_syllable_of_a_chinese_name_speaks() -> None:
    ctx = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON)
    gap, _ = extract(_outcome("Guo Ying", "WANG, Guo Ying", person=True), ctx)
    assert gap["syllable_gap"] == 1.0
    # A Western middle name left out is no syllable gap.
    western, _ = extract(_outcome("John Smith", "John Michael Smith", person=True), ctx)
    assert western["syllable_gap"] == 0.0
    # A Chinese given name is one unit: a syllable more or less is another person, capped
    # below the threshold whatever the weights, and the match says why.
    for query, listed in (("Guo Ying", "WANG, Guo Ying"), ("Zhang Ping", "ZHANG, Jiang Ping")):
        score, _, notes = score_outcome(_outcome(query, listed, person=True), ctx)
        assert score == WEAK_CAP < DEFAULT_THRESHOLD
        assert any("syllable" in note for note in notes)
    # The same syllables written together or apart are the same name.
    joined = _outcome("Zhang Jianping", "ZHANG, Jian Ping", person=True)
    assert score_outcome(joined, ctx)[0] >= DEFAULT_THRESHOLD
    # A Western middle name left out is not capped.
    assert score_outcome(_outcome("John Smith", "John Michael Smith", person=True), ctx)[0] > (
        WEAK_CAP
    )


def test_one_near_word_alone_is_weak_evidence() -> None:
    org = Context(party_schema=Schema.ORGANIZATION, entry_schema=Schema.ORGANIZATION)
    values, notes = extract(_outcome("Silveira", "Silvera", person=False), org)
    assert values["lone_fuzzy"] == 1.0 and "one near word only" in notes
    exact, _ = extract(_outcome("Silvera", "Silvera", person=False), org)
    assert exact["lone_fuzzy"] == 0.0
    # People's names: the weak-name cap covers one near word among other words.
    person = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON)
    outcome = _outcome("Mohamedi Bakari", "MOHAMED, Salim", person=True)
    assert extract(outcome, person)[0]["lone_fuzzy"] == 0.0
    assert score_outcome(outcome, person)[0] <= WEAK_CAP


def test_initials_of_a_person_are_no_acronym() -> None:
    ctx = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON)
    values, _ = extract(_outcome("J.A. Korvel", "Korvel, Jan Antonin", person=True), ctx)
    assert values["acronym"] == 0.0
    assert (
        score_outcome(_outcome("J.A. Korvel", "Korvel, Jan Antonin", person=True), ctx)[0]
        >= DEFAULT_THRESHOLD
    )


def test_a_one_word_listed_name_inside_a_name_with_a_place_word_is_capped() -> None:
    # "Lima" in a person's name is a family name, not a place that weighs little: the
    # one-word listed name "JULIA" is met inside another person's name.
    ctx = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON)
    score, _, _ = score_outcome(_outcome("Julia Lima", "JULIA", person=True), ctx)
    assert score <= WEAK_CAP


def test_a_korean_family_name_missing_is_a_syllable_gap() -> None:
    # Hangul syllables are syllables whether or not pinyin has them (김 "gim", 이 "i").
    ctx = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON)
    for query in ("김수빈", "이수빈"):
        score, values, _ = score_outcome(_outcome(query, "Bin, Su", person=True), ctx)
        assert values["syllable_gap"] == 1.0
        assert score == WEAK_CAP
    # The whole name, written in Hangul or in Latin letters, still matches.
    score, _, _ = score_outcome(_outcome("김정은", "KIM, Jong Un", person=True), ctx)
    assert score >= DEFAULT_THRESHOLD


def test_an_organisation_met_on_two_letters_alone_is_weak() -> None:
    ctx = Context(party_schema=Schema.ORGANIZATION, entry_schema=Schema.ORGANIZATION)
    listed = "AF TELECOM HOLDING LIMITED LIABILITY COMPANY"
    score, _, notes = score_outcome(_outcome("AF Holding", listed, person=False), ctx)
    assert score == WEAK_CAP
    assert any("two-letter" in note for note in notes)
    # The same name, and two letters beside another agreeing word, still match.
    for query, other in (("BP", "BP p.l.c."), ("LG Electronics", "LG Electronics Inc")):
        assert score_outcome(_outcome(query, other, person=False), ctx)[0] >= DEFAULT_THRESHOLD


def test_one_short_near_word_alone_is_weak() -> None:
    # The "Dow Inc." / alias "DOV": a word of four letters or fewer has many near
    # neighbours among the listed names; one alone is no evidence.
    ctx = Context(party_schema=Schema.ORGANIZATION, entry_schema=Schema.ORGANIZATION)
    for query, listed in (("Dow Inc.", "DOV"), ("ABB Ltd", "AAB")):
        assert score_outcome(_outcome(query, listed, person=False), ctx)[0] <= WEAK_CAP
    # A longer word with a typo still meets its listed name, and so does a reading of one
    # word across scripts, which cross_single weighs.
    hikvision = _outcome("Hikvison", "Hikvision", person=False)
    assert score_outcome(hikvision, ctx)[0] >= DEFAULT_THRESHOLD
    person = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON)
    assert score_outcome(_outcome("משה", "Moshe", person=True), person)[0] >= DEFAULT_THRESHOLD


def test_a_name_written_syllable_by_syllable_misses_a_short_syllable() -> None:
    # "LI CHANG HO": every agreeing word a single syllable, the leftover "ho" (a Korean
    # syllable pinyin lacks) is a missing syllable of the given name.
    ctx = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON)
    for query, listed in (("Li Chang", "LI CHANG HO"), ("唐凯", "Kriang Kai TANG")):
        score, values, _ = score_outcome(_outcome(query, listed, person=True), ctx)
        assert values["syllable_gap"] == 1.0
        assert score == WEAK_CAP


def test_a_whole_name_read_across_scripts_is_as_short_as_its_latin_spelling() -> None:
    # Hebrew writes few vowels: a one-word name read across scripts, which cross_single
    # already weighs, is measured by its Latin spelling; a short Latin word stays short,
    # and among other agreeing words the written length still counts.
    ctx = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON)
    cases = {
        ("משה", "Moshe"): 0.0,
        ("דוד", "David"): 0.0,
        ("דוד", "Dod"): 1.0,
        ("משה כהן", "Moshe Cohen"): 1.0,
    }
    for (query, listed), expected in cases.items():
        outcome = _outcome(query, listed, person=True)
        assert FEATURES["short_fuzzy"](outcome, ctx)[0] == expected, (query, listed)
    assert score_outcome(_outcome("משה", "Moshe", person=True), ctx)[0] >= 0.90


def test_a_persons_short_name_with_a_letter_changed_in_place_is_weighed_apart() -> None:
    # A short name misspelt in place ("Musk" / "Mosk": same length, one letter) is
    # person_short_slip; a letter more or less ("Jon" / "John"), the same between
    # organisations, or a person's short word read across scripts is short_fuzzy.
    person = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON)
    org = Context(party_schema=Schema.ORGANIZATION, entry_schema=Schema.ORGANIZATION)
    for query, listed in (("Elon Mosk", "Elon Musk"), ("Tim Cock", "Tim Cook")):
        outcome = _outcome(query, listed, person=True)
        assert FEATURES["person_short_slip"](outcome, person)[0] == 1.0
        assert FEATURES["short_fuzzy"](outcome, person)[0] == 0.0
    for query, listed in (("Jon Henry", "John Henry"), ("משה כהן", "Moshe Cohen")):
        outcome = _outcome(query, listed, person=True)
        assert FEATURES["short_fuzzy"](outcome, person)[0] == 1.0
        assert FEATURES["person_short_slip"](outcome, person)[0] == 0.0
    company = _outcome("Tak Sing Trading", "Tak Hing Trading", person=False)
    assert FEATURES["short_fuzzy"](company, org)[0] == 1.0
    assert FEATURES["person_short_slip"](company, org)[0] == 0.0


def test_a_vowelless_short_name_a_letter_off_is_no_slip() -> None:
    # احسان / حسین (Ehsan / Hossein): one letter apart in Arabic script, two names.
    person = Context(party_schema=Schema.PERSON, entry_schema=Schema.PERSON)
    outcome = _outcome("احسان جلالی", "حسین جلالی", person=True)
    assert FEATURES["person_short_slip"](outcome, person)[0] == 0.0
    assert FEATURES["short_fuzzy"](outcome, person)[0] == 1.0
