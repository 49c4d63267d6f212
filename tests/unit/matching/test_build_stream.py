"""A one-process index build reads its entries a chunk at a time (issue #13, item 6): from
a one-shot iterator, with the same state as the forked build from a list, and name
analyses kept only up to ``MAX_KEPT_ANALYSES`` names."""

from __future__ import annotations

import gc
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from entityscreen.matching import MatchIndex, build, postings
from entityscreen.model import Entry, Name, Party, Schema
from entityscreen.sources import parse_file


def _entries(count: int) -> list[Entry]:
    return [
        Entry(
            id=f"e{i}",
            source="t",
            list="T",
            schema=Schema.ORGANIZATION,
            names=(Name(f"Company Number {i} Zorgon{i % 97} Ltd"),),
            countries=("DE",),
        )
        for i in range(count)
    ]


def test_a_build_from_an_iterator_equals_the_forked_build_from_a_list() -> None:
    entries = _entries(build.BUILD_CHUNK + 300)
    streamed = build.build_state(iter(entries))
    forked = build.build_state(entries, workers=2)
    for key, value in forked.items():
        if key == "analyses":
            continue
        other = streamed[key]
        same = (other == value).all() if hasattr(value, "shape") else other == value
        assert same, key


def test_analyses_are_kept_up_to_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "MAX_KEPT_ANALYSES", 10)
    entries = _entries(build.BUILD_CHUNK + 5)
    state = build.build_state(iter(entries))
    # The first chunk started under the cap; the second did not.
    assert sorted(state["analyses"]) == list(range(build.BUILD_CHUNK))
    # A name whose analysis was not kept is analysed when first needed.
    index = MatchIndex(state)
    last = entries[-1]
    assert index.screen(Party(name=last.primary_name))[0].entry_id == last.id


def _people(count: int) -> list[Entry]:
    first = ["Ivan", "Maria", "Chen", "Ahmad", "Olga", "Pedro", "Yusuf", "Hana", "Karl", "Aiko"]
    return [
        Entry(
            id=f"p{i}",
            source="t",
            list="T",
            schema=Schema.PERSON,
            names=(
                Name(f"{first[i % 10]} Zorgon{i} Varkel{i % 311}"),
                Name(f"Varkel{i % 311} {first[(i + 3) % 10]} Quin{i}"),
            ),
            countries=("DE",),
        )
        for i in range(count)
    ]


def test_key_pairs_spilled_to_disk_give_the_same_state(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Issue #13, item 6: a large list's key pairs go to temporary files, not memory.
    entries = _people(3000)
    in_memory = build.build_state(iter(entries))
    monkeypatch.setattr(postings, "SPILL_PAIRS", 5000)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    spilled_pairs: list[postings.SpilledPairs] = []
    real = postings.SpilledPairs.postings

    def watched(self: postings.SpilledPairs) -> postings.Postings:
        spilled_pairs.append(self)
        return real(self)

    monkeypatch.setattr(postings.SpilledPairs, "postings", watched)
    spilled = build.build_state(iter(entries))
    assert spilled_pairs[0].spilled > 0.9 * spilled_pairs[0].count
    assert list(tmp_path.iterdir()) == []  # the scratch files are gone
    for key, value in in_memory.items():
        other = spilled[key]
        if hasattr(value, "shape"):
            assert other.dtype == value.dtype and (other == value).all(), key
        else:
            assert other == value, key


def test_the_build_holds_no_more_than_a_bounded_share_of_its_key_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Issue #13, item 6: the build held every (key hash, name id) pair, 12 bytes each,
    # until it sorted them: most of a 40 MB list's 10x peak. Now at most SPILL_PAIRS of
    # them wait in memory, and the postings are made one bucket (a sixteenth) at a time.
    monkeypatch.setattr(postings, "SPILL_PAIRS", 20_000)
    entries = _people(12_000)
    build.build_state(entries[:10])  # word lists loaded once, not counted
    gc.collect()
    tracemalloc.start()
    try:
        state = build.build_state(iter(entries))
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    pairs = int(state["key_offsets"][-1])  # after de-duplication: a lower bound
    assert pairs > 800_000
    # Before: peak - kept was about 13 bytes a pair (all pairs held beside the postings);
    # now about 2 (a bucket, the pairs waiting, the chunk being keyed).
    assert peak - kept < 6 * pairs, f"{peak - kept:,} bytes above the result, {pairs:,} pairs"


def _reference_postings(entries: list[Entry]) -> postings.Postings:
    """The postings the plain way: every pair of every name in memory, sorted at once."""
    hashes, ids, names = [], [], 0
    for start in range(0, len(entries), build.BUILD_CHUNK):
        chunk = build._index_chunk(entries[start : start + build.BUILD_CHUNK], start, False)
        hashes.append(chunk.hashes)
        ids.append(chunk.ids + np.int32(names))
        names += len(chunk.names)
    h, i = np.concatenate(hashes), np.concatenate(ids)
    pairs = np.unique(np.stack([h, i.astype(np.uint64)]), axis=1)  # sorted by (hash, id)
    unique, first = np.unique(pairs[0], return_index=True)
    offsets = np.append(first, pairs.shape[1]).astype(np.int64)
    return unique, offsets, pairs[1].astype(np.int32)


@pytest.mark.slow
def test_real_lists_index_the_same_spilled_or_not(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CSL and the UN list: the spilled build's postings equal every pair sorted at once.
    entries: list[Entry] = []
    for rel in ("us_csl_2022-05/consolidated.csv.gz", "un_sc_consolidated_2026-02-27/"):
        path = shared_data / rel
        entries.extend(parse_file(path / "UN_consolidated.xml" if path.is_dir() else path).entries)
    monkeypatch.setattr(postings, "SPILL_PAIRS", 100_000)
    state = build.build_state(iter(entries), keep_analyses=False)
    unique, offsets, posted = _reference_postings(entries)
    assert len(posted) > 1_000_000
    assert (state["key_hashes"] == unique).all()
    assert (state["key_offsets"] == offsets).all()
    assert state["postings"].dtype == np.int32 and (state["postings"] == posted).all()
