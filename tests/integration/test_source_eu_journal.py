"""EU Official Journal consolidated CSVs on the real folder (parsed once), and both new
sources through `lists update --mirror` and `screen` with their meaning."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from entityscreen.exportcontrol.lists import get_list
from entityscreen.model import Entry, NameKind, Party, Schema
from entityscreen.service import Screener
from entityscreen.settings import Settings
from entityscreen.sources.base import Parsed
from entityscreen.sources.eu_journal import EU_JOURNAL_CSV

pytestmark = pytest.mark.slow

RELATIVE = Path("eu_journal_sanctions_consolidated")


@pytest.fixture(scope="module")
def parsed(shared_data: Path) -> Parsed:
    return EU_JOURNAL_CSV.parse(shared_data / RELATIVE)


@pytest.fixture(scope="module")
def entries(parsed: Parsed) -> dict[str, Entry]:
    return {e.id: e for e in parsed.entries}


def test_counts_and_published(parsed: Parsed, entries: dict[str, Entry]) -> None:
    assert len(parsed.files) == 45
    assert len(entries) == len(parsed.entries) == 8_015
    # 8,017 rows: two designations without a recordId are printed under two measures.
    assert sum(int(e.properties.get("eu_rows", ("1",))[0]) for e in parsed.entries) == 8_017
    assert Counter(e.list for e in parsed.entries) == {"EU": 7_094, "EU-833-IV": 921}
    assert Counter(e.schema for e in parsed.entries) == {
        Schema.PERSON: 4_498,
        Schema.ORGANIZATION: 2_780,
        Schema.VESSEL: 708,
        Schema.UNKNOWN: 29,
    }
    annex_iv = [e for e in parsed.entries if e.list == "EU-833-IV"]
    assert {e.legal.action for e in annex_iv} == {"Export control"}
    assert parsed.published == "2026-07-30"
    assert parsed.published_basis is not None
    assert parsed.warnings == []


def test_annex_iv_first_and_last(entries: dict[str, Entry]) -> None:
    sirius = entries["eu_journal:32014R0833:IV:1"]
    assert sirius.primary_name == "JSC Sirius"
    assert "JSC Concern Sirius" in [n.value for n in sirius.names]
    assert sirius.programs == ("EU-RUS", "Regulation 833/2014, Annex IV")
    assert sirius.legal.start_date == "2014-09-12"
    assert sirius.countries == ("RU",)
    tab = entries["eu_journal:32014R0833:IV:921"]
    assert tab.primary_name == "TAB Corporation (Thailand) Co. Ltd"
    assert tab.legal.start_date == "2026-04-24"
    assert tab.countries == ("TH",)


def test_names_and_dates_as_printed(parsed: Parsed) -> None:
    kinds = Counter(n.kind for e in parsed.entries for n in e.names)
    assert kinds[NameKind.WEAK] == 198
    assert kinds[NameKind.FKA] == 62
    with_dob = [e for e in parsed.entries if e.schema is Schema.PERSON and e.birth_dates]
    assert len(with_dob) == 3_771
    assert all(d[:1].isdigit() or d.startswith("circa ") for e in with_dob for d in e.birth_dates)


def test_mirror_update_and_screen(shared_data: Path, tmp_path: Path) -> None:
    with Screener.open(settings=Settings(home=tmp_path)) as screener:
        results = screener.update_lists(mirror=shared_data, sources=["uk_sanctions", "eu_journal"])
        assert [(r.source, r.status) for r in results] == [
            ("uk_sanctions", "imported"),
            ("eu_journal", "imported"),
        ]
        counts = {(r.source, r.list): r.entries for r in screener.list_status()}
        assert counts == {
            ("uk_sanctions", "UK"): 6_046,
            ("eu_journal", "EU"): 7_094,
            ("eu_journal", "EU-833-IV"): 921,
        }
        hits = screener.screen(Party(name="Dmitry Konstantinovich Kiselyov")).hits
        # On both lists: one hit per list, each with its own meaning.
        assert {h.match.list for h in hits} >= {"UK", "EU"}
        hit = next(h for h in hits if h.match.list == "UK")
        assert hit.match.entry_id == "uk_sanctions:RUS0001"
        assert get_list("UK").consequence is not None
        assert get_list("UK").consequence in hit.legal.verdict
        hit = screener.screen(Party(name="JSC Sirius", country="RU")).hits[0]
        assert hit.match.list == "EU-833-IV"
        assert "export-control end user" in hit.legal.verdict
        again = screener.update_lists(mirror=shared_data, sources=["uk_sanctions", "eu_journal"])
        assert {r.status for r in again} == {"unchanged"}
