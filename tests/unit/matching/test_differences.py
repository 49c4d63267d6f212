"""How two names differ as names (``matching.differences``), on generated names of each
shape: invented words, so that no rule can lean on a word it knows."""

from __future__ import annotations

import random

import pytest

from entityscreen.matching import DEFAULT_THRESHOLD, compare_names
from entityscreen.matching.differences import (
    _LINK_LETTERS,
    PATRONYMIC_LINKS,
    _ending_only,
    far_apart,
)
from entityscreen.matching.parts import Pair, make_part
from entityscreen.matching.rarity import default_rarity
from entityscreen.model import Schema
from entityscreen.names.tokens import Token

_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(syllables))


def _names(seed: int, n: int = 25) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    return [(_word(rng, 3).title(), _word(rng, 3).title(), _word(rng, 4).title()) for _ in range(n)]


def _score(a: str, b: str, schema: Schema = Schema.PERSON) -> float:
    return compare_names(a, b, schema=schema).score


def _replace(word: str, at: int) -> str:
    letter = "x" if word[at] != "x" else "y"
    return word[:at] + letter + word[at + 1 :]


def _pair(a: str, b: str, rule: str = "typo") -> Pair:
    rarity = default_rarity()
    return Pair(make_part(Token(a), rarity), make_part(Token(b), rarity), 0.7, rule)


@pytest.mark.parametrize("edits", [1, 2])
def test_a_slip_or_two_is_not_far(edits: int) -> None:
    for _, _, surname in _names(1):
        word = surname.lower()
        changed = word
        for at in range(1, 1 + edits):
            changed = _replace(changed, at)
        assert not far_apart(_pair(changed, word))


def test_three_changed_letters_are_another_name() -> None:
    """Three letters changed inside a surname: far apart, and below the threshold; one
    letter changed (a misspelling, as the base rate's positives make) stays above it."""
    for given, _, surname in _names(2):
        word = surname.lower()
        far = _replace(_replace(_replace(word, 1), 2), 3)
        assert far_apart(_pair(far, word))
        assert _score(f"{given} {far.title()}", f"{given} {surname}") < DEFAULT_THRESHOLD
        near = _replace(word, 3)
        assert _score(f"{given} {near.title()}", f"{given} {surname}") >= DEFAULT_THRESHOLD


def test_vowels_written_otherwise_are_not_far() -> None:
    """Transliterations differ most in vowels ("Mohamed" / "Muhammad"): three vowels
    changed and a consonant doubled are one name; three consonants changed are not."""
    rng = random.Random(8)
    for _, _, surname in _names(9):
        word = surname.lower()
        vowels = [i for i, c in enumerate(word) if c in _VOWELS][:3]
        spelt = "".join(
            rng.choice([v for v in _VOWELS if v != c]) if i in vowels else c
            for i, c in enumerate(word)
        )
        spelt = spelt[:2] + spelt[2] + spelt[2:]
        assert not far_apart(_pair(spelt, word, "spelling"))
        consonants = [i for i, c in enumerate(word) if c not in _VOWELS][:3]
        other = "".join("x" if i in consonants else c for i, c in enumerate(word))
        assert far_apart(_pair(other, word, "typo"))
    assert not far_apart(_pair("mohamed", "muhammad", "spelling"))


def test_an_ending_is_not_far() -> None:
    """A shared stem and another short ending is an inflection ("-os" / "-er")."""
    for _, _, surname in _names(3):
        stem = surname.lower()
        assert _ending_only(stem + "os", stem + "er")
        assert not far_apart(_pair(stem + "os", stem + "er"))
        assert not _ending_only(stem[:3] + "xyz" + stem[3:], stem)


def test_vowelless_words_are_far_from_two_edits() -> None:
    rarity = default_rarity()
    a = make_part(Token("pzshkfr", script="abjad"), rarity)
    b = make_part(Token("pzshkyn", script="abjad"), rarity)
    c = make_part(Token("pzshkyr", script="abjad"), rarity)
    assert far_apart(Pair(a, b, 0.63, "typo"))
    assert not far_apart(Pair(c, b, 0.8, "typo"))


def test_readings_across_scripts_are_left_to_the_similarity() -> None:
    rarity = default_rarity()
    a = make_part(Token("abcdefgh", script="abjad"), rarity)
    b = make_part(Token("abxyzfgh"), rarity)
    assert not far_apart(Pair(a, b, 0.6, "typo"))
    assert not far_apart(Pair(a, b, 0.6, "consonants"))


@pytest.mark.parametrize("link", ["bin", "ibn", "ould", "bint"])
def test_son_and_father_swapped_are_another_person(link: str) -> None:
    for own, father, family in _names(4):
        listed = f"{father} {link} {own} al-{family}"
        assert _score(f"{own} {link} {father} al-{family}", listed) < DEFAULT_THRESHOLD
        # The same person reordered as lists write him stays a match.
        assert _score(f"al-{family}, {father} {link} {own}", listed) >= DEFAULT_THRESHOLD


def test_every_link_word_passes_the_letters_test() -> None:
    """The swap rule first asks a form's letters for a link; none may be missed there."""
    assert all(any(part in link for part in _LINK_LETTERS) for link in PATRONYMIC_LINKS)


def test_a_link_moved_to_the_edge_is_no_word() -> None:
    """ "Salman Mohammed bin" for "Mohammed bin Salman": the link read as a word at the
    name's edge costs nothing; the same words without the link score the same."""
    for own, father, _ in _names(5):
        listed = f"{own} bin {father}"
        moved = _score(f"{father} {own} bin", listed)
        assert moved == _score(f"{father} {own}", listed)
        assert moved >= DEFAULT_THRESHOLD


def test_a_repeated_word_in_place_of_another_is_a_conflict() -> None:
    for given, middle, family in _names(6):
        listed = f"{given} {middle} {family}"
        other = _word(random.Random(family), 3).title()
        repeated = f"{given} {given} {family}"
        assert _score(repeated, f"{given} {other} {family}") < DEFAULT_THRESHOLD
        # Written twice against a name without the word in between: nothing stands in
        # another word's place.
        assert _score(repeated, f"{given} {family}") >= DEFAULT_THRESHOLD
        assert _score(listed, listed) == 1.0
        # A name written in two scripts repeats its words: the repeated word left over on
        # the other side (the rest read as one word there) is that word, not another.
        joined = f"{given}{middle}{family}".title()
        twice = f"{given} {middle} {family} {other} {middle}"
        assert _score(f"{joined} {other} {middle}", twice) >= DEFAULT_THRESHOLD


def test_a_roman_numeral_only_one_company_has_is_another_of_a_series() -> None:
    org = Schema.ORGANIZATION
    for first, second, _ in _names(7):
        base = f"{first} {second} Solutions"
        roman = _score(f"{base} Inc.", f"{base} II Inc.", org)
        assert roman < DEFAULT_THRESHOLD
        # A number in digits only one side has is often a dropped registration suffix.
        assert _score(f"{base} Inc.", f"{base} 2 Inc.", org) > roman
        # Persons' generational numerals are not series.
        assert _score(f"{first} {second}", f"{first} {second} II") >= DEFAULT_THRESHOLD
