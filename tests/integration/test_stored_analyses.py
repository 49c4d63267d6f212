"""Every name of the real UN and OFAC SDN lists round-trips through the saved index's
stored analyses (format 7): an index built from the list (in forked workers for the SDN,
as ``lists update`` builds), saved and loaded, decodes each name to what ``analyze_name``
gives (same classes, same values), and screens as the built index."""

from __future__ import annotations

from pathlib import Path

import pytest

from entityscreen.matching import MatchIndex
from entityscreen.matching.scorer import person_hint
from entityscreen.model import Entry, Party
from entityscreen.names import analyze_name
from entityscreen.sources.ofac import SDN_CSV
from entityscreen.sources.un import UN_XML
from tests.unit.matching.test_stored import same_analysis

pytestmark = pytest.mark.slow

LISTS = {
    "un": (Path("un_sc_consolidated_2026-02-27") / "UN_consolidated.xml", UN_XML),
    "sdn": (Path("ofac_sdn_2024-05-03") / "sdn.csv", SDN_CSV),
}


def _entries(shared_data: Path, which: str) -> list[Entry]:
    relative, source = LISTS[which]
    path = shared_data / relative
    if not path.exists():
        pytest.skip(f"{relative} not found in {shared_data}")
    return list(source.parse(path).entries)


@pytest.mark.parametrize("which", sorted(LISTS))
def test_every_listed_name_round_trips(shared_data: Path, tmp_path: Path, which: str) -> None:
    entries = _entries(shared_data, which)
    built = MatchIndex.build(entries, keep_analyses=False, workers=2)
    built.save(tmp_path / "i.idx")
    loaded = MatchIndex.load(tmp_path / "i.idx")
    assert loaded.stored == built.stored
    data, starts = loaded.stored.buffers()
    assert loaded.name_count > 1_000 and len(data) > 0
    for name_id in range(loaded.name_count):
        text = loaded.name_texts[name_id]
        assert starts[name_id + 1] > starts[name_id], text  # every name is stored
        schema = loaded.entry_schemas[int(loaded.name_entry[name_id])]
        expected = analyze_name(text, person=person_hint(schema))
        same_analysis(loaded.analysis(name_id), expected, text)
    for entry in entries[:: max(1, len(entries) // 40)]:
        party = Party(name=entry.names[0].value, schema=entry.schema)
        assert loaded.screen(party) == built.screen(party), party.name
