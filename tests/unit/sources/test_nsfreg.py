"""Unit tests of the nsfreg adapter on tests/fixtures/nsfreg/.

The fixture files are the set's own layout with a few real entities each: 22 rows of the
Entity List (Veteran Avia under four countries, "Address 01" in China and in Turkey, names
with "(a.k.a." and "(See ...)" inside, aliases carrying addresses), one DPL row, three
nonproliferation rows, three debarred parties, a UFLPA, a 1286, a CMIC entry and four CBP
rows; ``lists.json`` keeps the real ``snapshot`` texts of those eight lists.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from entityscreen.errors import SourceError
from entityscreen.exportcontrol.legal import legal_facts
from entityscreen.exportcontrol.lists import ListKind, get_list
from entityscreen.model import Entry, NameKind, Schema
from entityscreen.sources import detect_format
from entityscreen.sources.base import MAX_FIELD_CHARS, Parsed, head_bytes, stable_id
from entityscreen.sources.nsfreg import (
    LISTS,
    NSFREG_JSON,
    build_entry,
    clean_aliases,
    find_published,
    split_addresses,
)


@pytest.fixture(scope="module")
def folder(fixtures: Path) -> Path:
    return fixtures / "nsfreg"


def parse(folder: Path, name: str) -> Parsed:
    return NSFREG_JSON.parse(folder / name)


def by_name(parsed: Parsed) -> dict[str, Entry]:
    return {e.primary_name: e for e in parsed.entries}


def names(entry: Entry) -> list[str]:
    return [n.value for n in entry.names]


@pytest.fixture(scope="module")
def el(folder: Path) -> Parsed:
    return parse(folder, "bis_entity_list.json")


# --- sniffing -------------------------------------------------------------------------------


def test_sniff_claims_list_files_and_a_single_list_folder(folder: Path, tmp_path: Path) -> None:
    path = folder / "bis_entity_list.json"
    assert NSFREG_JSON.sniff(path, head_bytes(path))
    assert detect_format(path).name == "nsfreg-json"
    assert not NSFREG_JSON.sniff(folder / "lists.json", head_bytes(folder / "lists.json"))
    assert not NSFREG_JSON.sniff(tmp_path / "x.json", b'{"results": [{"name": "A"}]}')
    # A folder as `lists update` downloads it: one list file and lists.json.
    shutil.copy(folder / "dhs_uflpa.json", tmp_path)
    shutil.copy(folder / "lists.json", tmp_path)
    assert NSFREG_JSON.sniff(tmp_path, b"")
    parsed = NSFREG_JSON.parse(tmp_path)
    assert parsed.source == "us_nsfreg_uflpa"
    assert parsed.files == (tmp_path / "dhs_uflpa.json",)
    # Two list files: which one is meant is not clear, so the folder is not claimed.
    assert not NSFREG_JSON.sniff(folder, b"")
    with pytest.raises(SourceError, match="no single nsfreg list file"):
        NSFREG_JSON.parse(folder)


# --- the Entity List ------------------------------------------------------------------------


def test_entity_list_rows_merge_into_one_entry_per_listing(el: Parsed) -> None:
    assert el.source == "us_nsfreg_el"
    assert {e.list for e in el.entries} == {"EL"}
    assert len(el.entries) == 15  # 22 rows: Veteran Avia 4, Southeast 3, Zvezdochka 2, Woodford 2
    veteran = by_name(el)["Veteran Avia LLC"]
    assert veteran.countries == ("AM", "GR", "PK", "GB")
    assert veteran.properties["nsfreg_rows"] == ("4",)
    assert veteran.legal.federal_register == "79 FR 44683, 8/1/14; 79 FR 56003, 9/18/14"
    assert veteran.legal.start_date == "2014-08-01"  # the earliest citation
    assert veteran.addresses[2].full == "24, A. Koumbi Street, Markopoulo 190 03, Attika, Greece"
    assert veteran.addresses[2].country == "GR"
    see_also = veteran.properties["see_also"]
    assert "See also addresses under Armenia, Greece, and Pakistan" in see_also
    assert veteran.schema is Schema.UNKNOWN  # the Entity List lists persons too


def test_ids_come_from_list_and_name_except_for_address_entries(el: Parsed) -> None:
    hikvision = by_name(el)["Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert hikvision.id == "us_nsfreg_el:" + stable_id("EL", hikvision.primary_name)
    # A re-publication that changes only case and punctuation keeps the id.
    raw = {"name": "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD", "aliases": []}
    respelled = build_entry({**raw, "country": "China"}, LISTS["bis-entity-list"])
    assert respelled is not None and respelled.id == hikvision.id
    # "Address 01" exists in China and in Turkey: two listings, two ids.
    addresses = [e for e in el.entries if e.primary_name == "Address 01"]
    assert [e.countries for e in addresses] == [("CN",), ("TR",)]
    assert addresses[0].id != addresses[1].id
    assert "listed_address" in addresses[0].properties


def test_citations_dates_and_license_requirement(el: Parsed) -> None:
    entries = by_name(el)
    huawei = entries["Huawei Technologies Co., Ltd."]
    assert huawei.legal.federal_register == "84 FR 22963, 5/21/19"
    assert huawei.legal.start_date == "2019-05-21"  # publication date of the rule
    hikvision = entries["Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert hikvision.legal.federal_register == (
        "84 FR 54004, 10/9/19; 85 FR 34505, 6/5/20; 85 FR 44161, 7/22/20"
    )
    assert hikvision.legal.start_date == "2019-10-09"
    assert hikvision.legal.license_requirement == (
        "For all items subject to the EAR. (See § 744.11 of the EAR)"
    )
    summary = legal_facts(hikvision)
    assert [c.label for c in summary.citations] == ["84 FR 54004", "85 FR 34505", "85 FR 44161"]
    assert summary.verdict.startswith("Entity List since 2019-10-09")
    assert "a license is required for all items subject to the EAR" in summary.verdict
    assert hikvision.source_url and "ecfr.gov" in hikvision.source_url


def test_names_lose_the_federal_register_wording(el: Parsed) -> None:
    entries = by_name(el)
    assert names(entries["Rosneft"]) == ["Rosneft", "Open Joint-Stock Company Rosneft Oil Company"]
    # "Sabanican Company (a.k.a." with the alias continued in the address field.
    sabanican = entries["Sabanican Company"]
    assert names(sabanican) == ["Sabanican Company", "Sabanican Pad Co."]
    assert sabanican.addresses[0].full.startswith("Unit #23, Eighth Floor")
    woodford = entries["Brian Douglas Woodford"]
    assert names(woodford) == ["Brian Douglas Woodford"]
    assert woodford.countries == ("SG", "GB")
    cssc = entries["China State Shipbuilding Corporation, Limited (CSSC) 12th Research Institute"]
    assert names(cssc)[2:] == [
        "Thermal Processing Technology Research Institute",
        "Hot Working Technology Research Institute",
    ]
    assert "Xinjiang Leon Telecom and Technology" in names(entries["Leon Technology Co., Ltd."])
    zvezdochka = names(entries["OAO Ship Repair Center 'Zvezdochka'"])
    assert "Joint Stock Company Ship Repair Center 'Zvezdochka'" in zvezdochka
    assert "'" not in zvezdochka


def test_aliases_carrying_addresses_and_scope_text(el: Parsed) -> None:
    entries = by_name(el)
    magtech = entries["Magtech"]
    assert names(magtech) == ["Magtech", "M.A.G. Tech"]
    assert [a.full for a in magtech.addresses] == [
        "5762 Royalmount Ave, Montreal, QC, H4P 1K5, Canada",
        "5440 Queen Mart St, Office 103, Montreal, Canada",
    ]
    southeast = entries["Southeast Trading Oy"]
    assert names(southeast) == ["Southeast Trading Oy", "Southeast Trading LTD"]
    assert "Bucharest, Romania" in [a.full for a in southeast.addresses]
    paec = entries["Pakistan Atomic Energy Commission (PAEC)"]
    assert "National Development Complex (NDC)" in names(paec)
    assert not any("following" in n or "reactors" in n for n in names(paec))
    assert paec.remarks and paec.remarks.startswith("Nuclear reactors (including power plants)")
    assert "House #453 St., #16 Sector, Islamabad, Pakistan" in [a.full for a in paec.addresses]


def test_address_artifacts_are_dropped() -> None:
    assert split_addresses(
        "the following one alias: 17 Garegin Nzhdehi Street, Yerevan, 0026, Armenia."
    ) == (["17 Garegin Nzhdehi Street, Yerevan, 0026, Armenia"], [])
    assert split_addresses(
        "Address: Let. A. Galernaya, 5, St. Petersburg 190000, Russia Alt Address: Ul. "
        "Pochtamtskaya, 3-5, St. Petersburg; and 125 A. Profsoyuznaya Street, Moscow"
    )[0] == [
        "Let. A. Galernaya, 5, St. Petersburg 190000, Russia",
        "Ul. Pochtamtskaya, 3-5, St. Petersburg",
        "125 A. Profsoyuznaya Street, Moscow",
    ]
    see = "Shahreno, Kabul, Afghanistan. (See alternate address in Pakistan)."
    assert split_addresses(see) == (
        ["Shahreno, Kabul, Afghanistan"],
        ["See alternate address in Pakistan"],
    )


def test_alias_cleanup_rules() -> None:
    found, addresses, remarks = clean_aliases(
        [
            "HPSTAR; and",
            "IRGC Air Force; IRGCAF",
            "Engineering Research Laboratories (ERL);—Institute of Industrial Control Systems",
            "Resort X (f.k.a., Sanatori X)",
            "Southwest Institute; (all of preceding located in or near Mianyang)",
            "“Lazurnaya”",
        ]
    )
    assert [(n.value, n.kind) for n in found] == [
        ("HPSTAR", NameKind.AKA),
        ("IRGC Air Force", NameKind.AKA),
        ("IRGCAF", NameKind.AKA),
        ("Engineering Research Laboratories (ERL)", NameKind.AKA),
        ("Institute of Industrial Control Systems", NameKind.AKA),
        ("Resort X", NameKind.AKA),
        ("Sanatori X", NameKind.FKA),
        ("Southwest Institute", NameKind.AKA),
        ("Lazurnaya", NameKind.AKA),
    ]
    assert addresses == []
    assert remarks == ["all of preceding located in or near Mianyang"]


# --- the other lists ------------------------------------------------------------------------


def test_each_list_gets_its_code_source_and_snapshot_date(folder: Path) -> None:
    expected = {
        "bis_dpl.json": ("us_nsfreg_dpl", "DPL", "2026-04-14", 1),
        "state_nonproliferation.json": ("us_nsfreg_isn", "ISN", "2025-05-01", 3),
        "state_debarred_statutory.json": ("us_nsfreg_dtc", "DTC", "2025-08-25", 3),
        "dhs_uflpa.json": ("us_nsfreg_uflpa", "UFLPA", "2026-07-09", 1),
        "dow_1286.json": ("us_nsfreg_1286", "1286", "2024-09-30", 1),
        "ofac_nscmic.json": ("us_nsfreg_cmic", "CMIC", "2026-07-09", 1),
        "cbp_wro.json": ("us_nsfreg_cbp_wro", "WRO", "2026-06-23", 2),
    }
    for name, (source, code, published, count) in expected.items():
        parsed = parse(folder, name)
        assert (parsed.source, parsed.published, len(parsed.entries)) == (source, published, count)
        assert {e.list for e in parsed.entries} == {code}
        assert parsed.published_basis and parsed.published_basis.startswith(("stated", "inferred"))
    assert parse(folder, "dow_1286.json").published_basis == (
        "inferred: lists.json says 'FY24 Section 1286 List (public release, version 2)', no date; "
        "end of US FY2024 -> 2024-09-30"
    )


def test_dpl_isn_and_debarred_legal_facts(folder: Path) -> None:
    dpl = parse(folder, "bis_dpl.json").entries[0]
    assert (dpl.legal.start_date, dpl.legal.standard_order) == ("1981-09-10", "Y")
    assert dpl.countries == ("DE",)
    isn = by_name(parse(folder, "state_nonproliferation.json"))
    assert isn["Hizballah"].legal.end_date == "2009-04-17"  # its one measure expired
    assert isn["Minsk Wheel Tractor Plant"].legal.end_date is None  # status: Active
    assert isn["Minsk Wheel Tractor Plant"].programs == ("Executive Order 13382",)
    dtc = by_name(parse(folder, "state_debarred_statutory.json"))
    assert dtc["Acety, Edwin"].schema is Schema.PERSON
    assert dtc["Acety, Edwin"].birth_dates == ("1975-11",)
    assert names(dtc["Ahmed, Tariq"]) == ["Ahmed, Tariq", "Tariq Amin", "Tariq Ahmad Amin"]
    assert dtc["A & C International Trade, Inc."].legal.federal_register == "67 FR 10033"


def test_organisation_lists_dates_identifiers_and_vessels(folder: Path) -> None:
    uflpa = parse(folder, "dhs_uflpa.json").entries[0]
    assert (uflpa.schema, uflpa.legal.start_date) == (Schema.ORGANIZATION, "2022-06-21")
    cmic = parse(folder, "ofac_nscmic.json").entries[0]
    assert cmic.programs == ("CMIC-EO13959",)
    assert [(i.type, i.value, i.country) for i in cmic.identifiers] == [
        ("USCC", "91330000733796106P", "CN")
    ]
    wro = by_name(parse(folder, "cbp_wro.json"))
    yunnan = wro["Yunnan Machinery"]
    assert yunnan.properties["nsfreg_rows"] == ("2",)
    assert (yunnan.legal.start_date, yunnan.legal.action) == ("1991-11-14", "Active")
    vessel = wro["Fishing Vessel: Da Wang"]
    assert (vessel.schema, vessel.countries) == (Schema.VESSEL, ())
    assert vessel.properties["country_raw"] == ("Fishing Vessels",)


def test_new_list_codes_have_a_meaning() -> None:
    for spec in LISTS.values():
        info = get_list(spec.code)
        assert info.name != spec.code, spec.code  # described in lists.yml
    assert get_list("DTC").kind is ListKind.OTHER
    wro = get_list("WRO")
    assert wro.authority == "CBP" and wro.consequence and "forced labor" in wro.consequence


def test_new_code_verdict_states_the_consequence(folder: Path) -> None:
    uflpa = parse(folder, "dhs_uflpa.json").entries[0]
    verdict = legal_facts(uflpa).verdict
    assert verdict.startswith("Uyghur Forced Labor Prevention Act Entity List")
    assert "since 2022-06-21" in verdict
    assert "presumed made with forced labor" in verdict


# --- snapshot dates -------------------------------------------------------------------------


def test_find_published_rules() -> None:
    assert find_published("BIS export of April 14, 2026", "2026-07-09", []) == (
        "2026-04-14",
        "stated in lists.json: 'BIS export of April 14, 2026' -> 2026-04-14",
    )
    assert find_published("eCFR text as downloaded July 2026", "2026-07-09", [])[0] == "2026-07-09"
    assert find_published("table of May 2025", "2026-07-09", ["2025-05-20", "2025-06-01"]) == (
        "2025-05-20",
        "stated in lists.json: 'table of May 2025' -> 2025-05-20 (newest entry date of that month)",
    )
    assert find_published("table of May 2025", None, [])[0] == "2025-05-01"
    assert find_published("FY2023 list", None, [])[0] == "2023-09-30"
    assert find_published("static document", "2026-07-09", []) == (
        None,
        "stated in lists.json: 'static document': no date in it",
    )


def test_without_lists_json_the_date_is_unknown(folder: Path, tmp_path: Path) -> None:
    shutil.copy(folder / "dow_1286.json", tmp_path)
    parsed = NSFREG_JSON.parse(tmp_path / "dow_1286.json")
    assert (parsed.published, parsed.published_basis) == (None, None)
    assert parsed.warnings == ["no lists.json beside the file: snapshot date unknown"]
    assert all(e.source_url is None for e in parsed.entries)  # the URL is in lists.json


# --- bad input ------------------------------------------------------------------------------


def _write(tmp_path: Path, data: Any, *, name: str = "bis_meu.json") -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _meu(*entities: Any) -> dict[str, Any]:
    return {
        "list_id": "bis-meu",
        "source_file": "x",
        "extracted": "2026-07-09",
        "count": len(entities),
        "entities": list(entities),
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"list_id": "bis-meu", "entities": [', "invalid JSON"),
        ("[1, 2]", "not an nsfreg list file"),
        ({"list_id": "bis-meu", "entities": {}}, "not an nsfreg list file"),
        (_meu() | {"list_id": "nsa-list"}, "unknown nsfreg list_id 'nsa-list'"),
        (_meu("A Co."), "entity 1: not a JSON object"),
        (_meu({"name": 42}), "entity 1: 'name' is int, not text"),
        (_meu({"name": "A", "aliases": "B"}), "entity 1: 'aliases' is not a list of text"),
        (_meu({"name": "A", "address": "x" * (MAX_FIELD_CHARS + 1)}), "longer than"),
        ("[" * 100_000 + "]" * 100_000, "invalid JSON"),
        (b"\x00\x01binary", "binary data"),
        ("", "file is empty"),
    ],
)
def test_malformed_files_raise_one_line_source_errors(
    tmp_path: Path, data: Any, message: str
) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(SourceError, match=message) as info:
        NSFREG_JSON.parse(path)
    assert "\n" not in str(info.value)
    assert str(path) in str(info.value)


def test_malformed_lists_json_is_an_error_naming_it(tmp_path: Path) -> None:
    _write(tmp_path, {"generated": "2026-07-09", "lists": "all"}, name="lists.json")
    path = _write(tmp_path, _meu({"name": "A Co.", "aliases": []}))
    with pytest.raises(SourceError, match=r"lists\.json: not an nsfreg lists\.json"):
        NSFREG_JSON.parse(path)


def test_nameless_entities_and_a_wrong_count_are_warnings(tmp_path: Path) -> None:
    data = _meu({"name": "A Co.", "aliases": None}, {"name": "  ", "aliases": []})
    data["count"] = 5
    parsed = NSFREG_JSON.parse(_write(tmp_path, data))
    assert [e.primary_name for e in parsed.entries] == ["A Co."]
    assert parsed.warnings[:2] == [
        "entity 2: no name; skipped",
        "'count' says 5, the file holds 2 entities",
    ]
