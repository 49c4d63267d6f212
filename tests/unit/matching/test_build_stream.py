"""A one-process index build reads its entries a chunk at a time (issue #13, item 6): from
a one-shot iterator, with the same state as the forked build from a list, and name
analyses kept only up to ``MAX_KEPT_ANALYSES`` names."""

from __future__ import annotations

import pytest

from entityscreen.matching import MatchIndex, build
from entityscreen.model import Entry, Name, Party, Schema


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
