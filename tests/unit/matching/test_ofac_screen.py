"""Screening with the OFAC-style score over a small index of invented entries."""

from __future__ import annotations

import pytest

from entityscreen.errors import InputError
from entityscreen.matching import MatchIndex, screen_ofac
from entityscreen.model import Entry, Name, NameKind, Party, Schema


def _entry(id: str, list_: str, schema: Schema, *names: str, country: str = "") -> Entry:
    kinds = [NameKind.PRIMARY, *[NameKind.AKA] * (len(names) - 1)]
    return Entry(
        id=id,
        source="test",
        list=list_,
        schema=schema,
        names=tuple(Name(n, k) for n, k in zip(names, kinds, strict=True)),
        countries=(country,) if country else (),
    )


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(
        [
            _entry("p1", "SDN", Schema.PERSON, "KOWALCZYK, Marta Anna", "KOVALCHIK, Marta"),
            _entry("p2", "SDN", Schema.PERSON, "MARTA BILINSKA"),
            _entry("p3", "EL", Schema.PERSON, "HERRERA, Tomasz", country="PL"),
            _entry("o1", "EL", Schema.ORGANIZATION, "SAN MARCO SHIPPING LTD"),
            _entry("o2", "SDN", Schema.ORGANIZATION, "NORTHWIND TRADING"),
        ]
    )


def test_partial_name_in_either_order_is_100(index: MatchIndex) -> None:
    for query in ("KOWALCZYK", "Marta Kowalczyk", "KOWALCZYK, MARTA"):
        matches = screen_ofac(index, Party(name=query), threshold=0.8)
        assert matches[0].entry_id == "p1"
        assert matches[0].score == 1.0
        assert matches[0].features["ofac_score"] == 100.0


def test_one_match_per_entry_with_its_best_name(index: MatchIndex) -> None:
    matches = screen_ofac(index, Party(name="MARTA KOVALCHIK"), threshold=0.5)
    ids = [m.entry_id for m in matches]
    assert ids.count("p1") == 1
    p1 = next(m for m in matches if m.entry_id == "p1")
    assert p1.matched_name == "KOVALCHIK, Marta"
    assert p1.score == 1.0


def test_a_shared_first_name_is_listed_as_sls_lists_it(index: MatchIndex) -> None:
    # "MARTA BILINSKA" shares only the first name; SLS's whole-name technique still
    # scores it high, so the OFAC-style screen lists it where ours would not.
    matches = screen_ofac(index, Party(name="MARTA BILINSKI"), threshold=0.8)
    assert [m.entry_id for m in matches][:1] == ["p2"]
    assert "whole name" in matches[0].explanation


def test_threshold_limit_and_lists(index: MatchIndex) -> None:
    party = Party(name="Marta Kowalczyk")
    assert all(m.score >= 0.9 for m in screen_ofac(index, party, threshold=0.9))
    assert len(screen_ofac(index, party, threshold=0.0, limit=1)) == 1
    assert all(m.list == "EL" for m in screen_ofac(index, party, threshold=0.0, lists={"EL"}))


def test_only_the_name_counts(index: MatchIndex) -> None:
    # FAQ 251: country and birth date do not move an SLS score.
    plain = screen_ofac(index, Party(name="TOMASZ HERRERA"), threshold=0.5)
    with_country = screen_ofac(
        index, Party(name="TOMASZ HERRERA", country="AR", birth_date="1970"), threshold=0.5
    )
    assert [(m.entry_id, m.score) for m in plain] == [(m.entry_id, m.score) for m in with_country]


def test_a_name_of_punctuation_only_is_refused(index: MatchIndex) -> None:
    with pytest.raises(InputError):
        screen_ofac(index, Party(name="-.-"))


def test_whole_name_candidates_beyond_the_index_keys(index: MatchIndex) -> None:
    # "NORWIND" shares no key (token, typo or phonetic) with "NORTHWIND TRADING", so our
    # index offers no candidate; the pass over the names beginning with "N" whose whole
    # string could reach 0.80 finds it, and it scores 95 (its name part) as in SLS.
    ranked, _, _ = index.rank_names([index._query("NORWIND", None)])
    assert "o2" not in {index.entry_ids[int(index.name_entry[n])] for n in ranked.tolist()}
    [match] = screen_ofac(index, Party(name="NORWIND"), threshold=0.8)
    assert (match.entry_id, match.score) == ("o2", 0.95)
    assert match.explanation.startswith("OFAC-style score 95: whole name 86; name parts 95")
