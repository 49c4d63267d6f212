"""Shortcuts of the screening path agree with the plain computation they replace.

Each speed-up keeps every result: parts from the cache by token value equal freshly
weighed ones, an alignment shared by entries holding the same name equals the one made
for each alone, and batches screened by this process and forked ones equal one by one.
"""

from __future__ import annotations

import gc
import itertools
import os
from pathlib import Path

import pytest

from entityscreen.matching import MatchIndex
from entityscreen.matching.evidence import most_raised
from entityscreen.matching.index import _Query
from entityscreen.matching.parts import PartCache, form_parts
from entityscreen.matching.pool import (
    _CHUNK,
    _UNREAPED,
    _WORKER_FULL_GC_EVERY,
    _chunks,
    wait_workers,
)
from entityscreen.matching.rarity import default_rarity
from entityscreen.matching.scorer import person_hint
from entityscreen.model import Entry, Name, NameKind, Party, Schema
from entityscreen.names import analyze_name

NAMES = [
    "Hangzhou Hikvision Digital Technology Co., Ltd.",
    "Ali Ali Trading (Dubai Branch)",
    "ALI TRADING, Dubai",
    "Oak Rich Holdings",
    "OAK RICH HOLDINGS",
    "J.P. Morgan 11420 Corp.",
    "Nguyễn Văn Phương",
    "ПАО Сбербанк",
    "Intl. Mfg. Co.",
]


def _entry(i: int, name: str, schema: Schema, lst: str = "SDN") -> Entry:
    return Entry(id=f"e:{i}", source="test", list=lst, schema=schema, names=(Name(name),))


#: Several entries share a name text (as the CSL repeats the SDN's entries), with the same
#: schema, another schema, a weak alias and countries of their own.
ENTRIES = [
    _entry(1, "Rosoboronexport JSC", Schema.ORGANIZATION, "SDN"),
    _entry(2, "Rosoboronexport JSC", Schema.ORGANIZATION, "EL"),
    _entry(3, "Rosoboronexport JSC", Schema.UNKNOWN, "DPL"),
    _entry(4, "Rosoboronexport JSC", Schema.VESSEL, "SDN"),
    Entry(
        id="e:5",
        source="test",
        list="SSI",
        schema=Schema.ORGANIZATION,
        names=(Name("Rosoboron Export Trading"), Name("Rosoboronexport JSC", NameKind.WEAK)),
        countries=("RU",),
    ),
    _entry(6, "PUTIN, Vladimir Vladimirovich", Schema.PERSON),
    _entry(7, "PUTIN, Vladimir Vladimirovich", Schema.PERSON, "EL"),
    _entry(8, "Vladimir Putin Holdings", Schema.ORGANIZATION),
    _entry(9, "Hangzhou Hikvision Digital Technology Co., Ltd.", Schema.ORGANIZATION, "EL"),
    _entry(10, "Hangzhou Hikvision Digital Technology Co., Ltd.", Schema.UNKNOWN),
]

PARTIES = [
    Party(name="Rosoboronexport"),
    Party(name="Rosoboron Export JSC", country="RU"),
    Party(name="ROSOBORONEXPORT OAO", schema=Schema.ORGANIZATION),
    Party(name="Vladimir Putin", schema=Schema.PERSON),
    Party(name="Putin Vladimir", aliases=("Vladimir Putin Holdings",)),
    Party(name="Hikvision Digital Technology"),
    Party(name="Nobody Here Ltd"),
]


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(ENTRIES)


@pytest.mark.parametrize("person", [None, True, False])
def test_parts_from_the_cache_equal_fresh_ones(person: bool | None) -> None:
    rarity = default_rarity()
    cache = PartCache(rarity)
    for _ in range(2):  # the second time every part comes from the cache
        for name in NAMES:
            for form in analyze_name(name, person=person).forms:
                assert cache.form_parts(form) == form_parts(form, rarity)


def test_tokens_that_differ_in_a_field_do_not_share_a_part() -> None:
    cache = PartCache(default_rarity())
    (plain,) = analyze_name("Kalashnikov", person=False).forms
    (qualified,) = analyze_name("Izhmash (Kalashnikov)", person=False).forms
    word, in_brackets = cache.form_parts(plain)[0], cache.form_parts(qualified)[-1]
    assert word.token.text == in_brackets.token.text == "kalashnikov"
    assert in_brackets.token.qualifier and not word.token.qualifier
    assert in_brackets.role == "qualifier" and word.role == "distinctive"


def test_an_alignment_shared_by_entries_equals_each_ones_own(index: MatchIndex) -> None:
    compared = repeated = 0
    for party in PARTIES:
        hint = person_hint(party.schema)
        queries = [
            _Query(index, name, hint, index._query(name, hint))
            for name in index._query_names(party)
        ]
        # The floor MatchIndex.scored sets at this threshold.
        floor = max(1.0 - (1.0 - 0.7) / most_raised(party), 0.0)
        shared = list(index.scored(party, threshold=0.7))
        compared += len(shared)
        schemas = index.entry_schemas
        texts = {(index.name_texts[n], person_hint(schemas[e]), schemas[e]) for e, n, _ in shared}
        repeated += len(shared) - len(texts)
        for entry, name_id, result in shared:
            alone = index._score(party, queries, name_id, entry, floor)
            assert alone.score == result.score
            assert alone.name_score == result.name_score
            assert alone.values == result.values and alone.notes == result.notes
            assert alone.evidence == result.evidence
            assert alone.outcome == result.outcome
            assert alone.query.name == result.query.name
    assert compared >= 20 and repeated >= 5  # the sharing was exercised


def test_entries_holding_one_name_are_each_reported(index: MatchIndex) -> None:
    matches = index.screen(Party(name="Rosoboronexport JSC"))
    ids = {m.entry_id for m in matches}
    assert {"e:1", "e:2", "e:3"} <= ids
    scores = {m.entry_id: m.score for m in matches}
    assert scores["e:1"] == scores["e:2"]


def test_a_name_read_from_the_buffers_equals_the_columns() -> None:
    index = MatchIndex.build([_entry(i, name, Schema.UNKNOWN) for i, name in enumerate(NAMES)])
    texts = [index.name_text(i) for i in range(index.name_count)]
    assert texts == list(index.name_texts)
    assert "Nguyễn Văn Phương" in texts and "ПАО Сбербанк" in texts


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_batches_in_this_and_forked_processes_keep_order(index: MatchIndex, workers: int) -> None:
    parties = [*PARTIES, Party(name=""), *reversed(PARTIES)] * 3
    expected = []
    for party in parties:
        try:
            expected.append(index.screen(party))
        except Exception:
            expected.append([])
    assert index.screen_many(parties, workers=workers) == expected
    assert any(expected)


@pytest.mark.parametrize("at", [0, -1])
def test_an_error_in_any_batch_process_reaches_the_caller(
    index: MatchIndex, monkeypatch: pytest.MonkeyPatch, at: int
) -> None:
    # The first party is screened here, the last most likely in a forked process; either
    # way the error is raised to the caller, and the next batch runs as usual.
    parties = [Party(name=f"Party {i}") for i in range(40)]
    failing = parties[at]
    screen = MatchIndex.screen

    def fail(self: MatchIndex, party: Party, **options: object) -> object:
        if party is failing:
            raise ValueError("screening failed")
        return screen(self, party, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(MatchIndex, "screen", fail)
    with pytest.raises(ValueError, match="screening failed"):
        index.screen_many(parties, workers=2)
    monkeypatch.undo()
    assert index.screen_many(parties, workers=2) == [index.screen(p) for p in parties]


@pytest.mark.parametrize(("count", "workers"), [(1000, 2), (100, 2), (37, 3), (10, 2), (4, 2)])
def test_a_batch_is_cut_into_chunks_that_cover_it_in_order(count: int, workers: int) -> None:
    chunks = _chunks(count, workers)
    assert chunks[0][0] == 0 and chunks[-1][1] == count
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(chunks))
    sizes = [end - start for start, end in chunks]
    assert max(sizes) <= _CHUNK and min(sizes) >= 1
    # The last chunks are the smallest: the processes end close together.
    assert sizes[-1] == min(sizes)


def test_forked_processes_are_reaped_after_their_batch(index: MatchIndex) -> None:
    parties = PARTIES * 6
    first = index.screen_many(parties, workers=2)
    wait_workers()
    # No screening process of this one is left, not even as a zombie.
    assert not _UNREAPED
    assert not [pid for pid, state in _children() if state == "Z"]
    assert index.screen_many(parties, workers=2) == first
    assert index.screen_many(parties, workers=3) == first


def _children() -> list[tuple[int, str]]:
    """``(pid, state)`` of this process's children (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.append((int(stat.parent.name), fields[0]))
    return found


@pytest.mark.parametrize("workers", [1, 2])
def test_a_batch_leaves_the_collector_as_it_found_it(index: MatchIndex, workers: int) -> None:
    before = gc.get_threshold()
    seen: list[tuple[tuple[int, int, int], int]] = []
    screen = MatchIndex.screen

    def watching(self: MatchIndex, party: Party, **options: object) -> object:
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        return screen(self, party, **options)  # type: ignore[arg-type]

    MatchIndex.screen = watching  # type: ignore[method-assign]
    try:
        index.screen_many(PARTIES * 4, workers=workers)
    finally:
        MatchIndex.screen = screen  # type: ignore[method-assign]
    # During the batch (in this process): the objects alive at its start frozen, no full
    # collection; after it, the thresholds back and nothing frozen.
    assert seen and all(frozen > 0 and th[2] == _WORKER_FULL_GC_EVERY for th, frozen in seen)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
