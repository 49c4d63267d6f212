"""Candidate generation finds a listed name however a customer file bends it (issue #9).

Each failure mode the candidate stage once had is generated over many listed names, among
distractors made of the same words, and the listed entry must be among the first 25
candidates: a word written as one with a typo ("FridrichBuchenberg"), a listed word split
in two with an edit ("Andrang Heta"), a short query that hits a short and many longer
names equally ("Bivan"), a vowelless spelling that folds a Latin name's two consonants.
"""

from __future__ import annotations

import random

import pytest

from entityscreen.matching import MatchIndex
from entityscreen.model import Entry, Name, Party, Schema

GIVEN = [
    "friedrich", "vladimir", "alexander", "mohammed", "christina", "margarethe", "leonardo",
    "gabriella", "sebastian", "konstantin", "valentina", "abdullah", "jonathan", "katharina",
    "nikolaus", "rosalind", "benedikt", "theodora", "augustin", "cornelius",
]  # fmt: skip
FAMILY = [
    "buchenberg", "kowalczyk", "rosenthal", "hartmann", "schneider", "lindqvist", "marchetti",
    "dimitriou", "fitzgerald", "nakamura", "oyelaran", "castellano", "brandauer", "wojcik",
    "haddadin", "ferrantes", "okonkwo", "vasquez", "bergstrom", "kuznetsov",
]  # fmt: skip
ORGS = [
    "ndrangheta", "sberbank", "hikvision", "rosoboronexport", "gazprombank", "almazantey",
    "tecnoglass", "novatekgas", "samsonite", "zorvatelix", "brimstonika", "kamazmotors",
]  # fmt: skip


def _entries() -> list[Entry]:
    out = []
    for i, given in enumerate(GIVEN):
        for j, family in enumerate(FAMILY):
            if (i + j) % 3 == 0:
                out.append(
                    Entry(
                        id=f"p:{given}:{family}",
                        source="t",
                        list="T",
                        schema=Schema.PERSON,
                        names=(Name(f"{given.title()} {family.title()}"),),
                    )
                )
    for org in ORGS:
        # The longer namesake first: the ranking must not depend on the order of filing.
        out.append(
            Entry(
                id=f"o:{org}:group",
                source="t",
                list="T",
                schema=Schema.ORGANIZATION,
                names=(Name(f"{org.title()} Trading Group Holdings International"),),
            )
        )
        out.append(
            Entry(
                id=f"o:{org}",
                source="t",
                list="T",
                schema=Schema.ORGANIZATION,
                names=(Name(org.title()),),
            )
        )
    return out


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(_entries())


def _edit(rng: random.Random, word: str) -> str:
    """One deletion, insertion, replacement or swap inside ``word`` (never its first letter)."""
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("drop", "insert", "replace", "swap"))
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "insert":
        return word[:i] + rng.choice("aeiouklmnr") + word[i:]
    if op == "replace":
        return word[:i] + rng.choice([c for c in "aeiouklmnr" if c != word[i]]) + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :] if word[i] != word[i + 1] else word


def test_a_listed_name_written_as_one_word_with_a_typo_is_a_candidate(index: MatchIndex) -> None:
    rng = random.Random(9)
    entries = [e for e in _entries() if e.schema is Schema.PERSON]
    for entry in rng.sample(entries, 60):
        given, family = entry.names[0].value.split()
        if rng.random() < 0.5:
            given = _edit(rng, given)
        else:
            family = _edit(rng, family)
        query = f"{given}{family}"
        found = index.candidates(Party(name=query, schema=Schema.PERSON), limit=25)
        assert entry.id in found, query


def test_a_listed_word_split_in_two_with_an_edit_is_a_candidate(index: MatchIndex) -> None:
    rng = random.Random(10)
    # Up to 12 letters once edited: longer joined words are looked up as they are only.
    for org in [o for o in ORGS if len(o) <= 11]:
        for _ in range(4):
            typo = _edit(rng, org)
            cut = rng.randrange(3, len(typo) - 2)
            query = f"{typo[:cut].title()} {typo[cut:].title()}"
            found = index.candidates(Party(name=query, schema=Schema.ORGANIZATION), limit=3)
            assert f"o:{org}" in found, query


def test_a_short_name_is_ranked_before_longer_names_of_equal_weight(index: MatchIndex) -> None:
    # A typo of a one-word listed name hits it and its longer namesakes through one key
    # each; the one-word name comes first, whatever the order of filing.
    rng = random.Random(11)
    for org in ORGS:
        query = _edit(rng, org)
        found = index.candidates(Party(name=query, schema=Schema.ORGANIZATION), limit=1)
        assert found == [f"o:{org}"], query


def test_syllables_of_a_word_missing_its_last_letter_find_the_word() -> None:
    # A Burmese name spelled syllable by syllable drops the final "r" of a Latin spelling
    # ("ze ya" / "Zeyar"); the joined syllables find the word one edit away.
    words = ["yadanar", "mingalar", "nilar", "zeyar", "thiri", "shwe", "aung", "myint"]
    entries = [
        Entry(id=f"v:{a}:{b}", source="t", list="T", schema=Schema.VESSEL,
              names=(Name(f"{a.upper()} {b.upper()}"),))
        for a in words for b in words if a != b
    ]  # fmt: skip
    index = MatchIndex.build(entries)
    found = index.candidates(Party(name="thi yi ze ya", schema=Schema.VESSEL), limit=3)
    assert "v:thiri:zeyar" in found


def test_a_vowelless_spelling_folding_two_consonants_finds_the_latin_name() -> None:
    entries = [
        Entry(id="o:haddad", source="t", list="T", schema=Schema.ORGANIZATION,
              names=(Name("Haddad Brothers Building Materials Ltd"),)),
        Entry(id="o:hadi", source="t", list="T", schema=Schema.ORGANIZATION,
              names=(Name("Hamid Trading Ltd"),)),
    ]  # fmt: skip
    index = MatchIndex.build(entries)
    # Hebrew "Haddad Brothers" (חדאד is read "hdd", whose skeleton folds to "hd").
    found = index.candidates(Party(name="האחים חדאד", schema=Schema.ORGANIZATION), limit=25)
    assert "o:haddad" in found
