"""The nsfreg adapter on the real set in shared/data (skipped when absent): every list's
count and snapshot date, concrete Entity List entries, and `lists update --mirror`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from entityscreen.model import Entry, Party, Schema
from entityscreen.service import Screener
from entityscreen.settings import Settings
from entityscreen.sources.base import Parsed
from entityscreen.sources.manifest import Manifest, load_manifest
from entityscreen.sources.nsfreg import LISTS, NSFREG_JSON

#: Measured on the 2026-07 set: file rows -> entries (rows of one name merge), the date.
EXPECTED = {
    "bis-entity-list": (3409, 3255, "2026-07-09"),
    "bis-meu": (70, 70, "2026-07-09"),
    "bis-dpl": (564, 465, "2026-04-14"),
    "ofac-nscmic": (68, 68, "2026-07-09"),
    "ofac-eo14032": (59, 59, "2021-06-03"),
    "dow-1260h": (80, 80, "2026-06-10"),
    "dow-1286": (134, 134, "2024-09-30"),
    "dhs-uflpa": (148, 145, "2026-07-09"),
    "fcc-covered": (15, 15, "2026-07-09"),
    "state-debarred-statutory": (779, 775, "2025-08-25"),
    "state-debarred-admin": (8, 8, "2023-06-01"),
    "state-nonproliferation": (528, 528, "2025-05-01"),
    "cbp-wro": (67, 60, "2026-06-23"),
}


@pytest.fixture(scope="module")
def folder(shared_data: Path) -> Path:
    return shared_data / "nsfreg_us_restricted_lists_2026-07"


@pytest.fixture(scope="module")
def parsed(folder: Path) -> dict[str, Parsed]:
    return {list_id: NSFREG_JSON.parse(folder / spec.file) for list_id, spec in LISTS.items()}


def rows_of(entry: Entry) -> int:
    return int(entry.properties.get("nsfreg_rows", ("1",))[0])


def test_every_list_counts_and_dates(parsed: dict[str, Parsed]) -> None:
    measured = {
        list_id: (sum(rows_of(e) for e in p.entries), len(p.entries), p.published)
        for list_id, p in parsed.items()
    }
    assert measured == EXPECTED
    for list_id, p in parsed.items():
        assert p.warnings == [], list_id
        assert p.source == LISTS[list_id].source
        assert {e.list for e in p.entries} == {LISTS[list_id].code}
        assert p.published_basis and "lists.json" in p.published_basis
        assert len({e.id for e in p.entries}) == len(p.entries)


def test_entity_list_entries(parsed: dict[str, Parsed]) -> None:
    el = {e.primary_name: e for e in parsed["bis-entity-list"].entries}
    huawei = el["Huawei Technologies Co., Ltd."]
    # The eCFR text cites the page of the entry (22963) of the rule starting at 84 FR 22961.
    assert huawei.legal.federal_register == "84 FR 22963, 5/21/19"
    assert huawei.legal.start_date == "2019-05-21"
    assert huawei.countries == ("CN",)
    assert "Huawei Marine" in [n.value for n in huawei.names]
    assert huawei.addresses[0].full.startswith("Bantian Huawei Base, Longgang District")
    hikvision = el["Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert hikvision.legal.federal_register == (
        "84 FR 54004, 10/9/19; 85 FR 34505, 6/5/20; 85 FR 44161, 7/22/20"
    )
    assert hikvision.legal.start_date == "2019-10-09"
    assert [n.value for n in hikvision.names] == [hikvision.primary_name, "Hikvision"]
    veteran = el["Veteran Avia LLC"]
    assert (veteran.countries, rows_of(veteran)) == (("AM", "GR", "PK", "GB"), 4)
    # Measured: 3,409 rows -> 3,255 entries; 114 of them span several countries.
    assert sum(1 for e in el.values() if len(e.countries) > 1) == 114
    assert sum(1 for e in parsed["bis-entity-list"].entries if e.primary_name == "Address 01") == 2


def test_no_parse_artifact_becomes_a_name(parsed: dict[str, Parsed]) -> None:
    artifact = re.compile(
        r"a\.k\.a|f\.k\.a|the following \w+ alias|\(See\b|;\s*and\b|^and\s|^[-—]|;$", re.I
    )
    bad = [
        (list_id, name.value)
        for list_id, p in parsed.items()
        for e in p.entries
        for name in e.names
        if artifact.search(name.value)
    ]
    assert bad == []
    addresses = [
        a.full
        for e in parsed["bis-entity-list"].entries
        for a in e.addresses
        if re.match(r"(the following|a\.k\.a|address:|and )", a.full, re.I)
    ]
    assert addresses == []


def test_other_lists_concrete_entries(parsed: dict[str, Parsed]) -> None:
    dpl = {e.primary_name: e for e in parsed["bis-dpl"].entries}
    assert dpl["ADT ANALOG AND DIGITAL TECHNIK"].legal.start_date == "1981-09-10"
    persons = [e for e in parsed["state-debarred-statutory"].entries if e.schema is Schema.PERSON]
    assert len(persons) == 479  # every entry with a "Date of birth" note
    meu = parsed["bis-meu"].entries
    assert all(e.schema is Schema.ORGANIZATION for e in meu)
    fcc = {e.primary_name: e for e in parsed["fcc-covered"].entries}
    assert fcc["Huawei Technologies Company"].legal.start_date == "2021-03-12"


def test_mirror_update_imports_the_set_and_screening_shows_the_el_hit(
    shared_data: Path, tmp_path: Path
) -> None:
    full = load_manifest()
    manifest = Manifest(sources=[s for s in full.sources if s.id.startswith("us_nsfreg_")])
    assert len(manifest.sources) == len(LISTS)
    from entityscreen.store import SqliteStore

    settings = Settings(home=tmp_path)
    with Screener(SqliteStore.open(settings.store_path), settings, manifest=manifest) as s:
        results = s.update_lists(mirror=shared_data)
        assert [r.status for r in results] == ["imported"] * len(LISTS), [
            r.message for r in results if not r.ok
        ]
        status = {r.list: r.entries for r in s.list_status()}
        assert status == {LISTS[k].code: v[1] for k, v in EXPECTED.items()}
        dates = {snap.source: snap.published for snap in s.snapshots()}
        assert dates["us_nsfreg_el"] == "2026-07-09"
        assert dates["us_nsfreg_dtc_admin"] == "2023-06-01"
        result = s.screen(Party(name="Hikvision"))
        el_hits = [h for h in result.hits if h.match.list == "EL"]
        assert el_hits and el_hits[0].match.source == "us_nsfreg_el"
        assert el_hits[0].legal.verdict.startswith("Entity List since 2019-10-09")
        # The other lists' meaning reaches the hit too (1260H lists Hikvision with its alias).
        assert "1260H" in {h.match.list for h in result.hits}
        again = s.update_lists(mirror=shared_data)
        assert {r.status for r in again} == {"unchanged"}
