"""Listing keys, authority and reconciliation across sources (exportcontrol.listings)."""

from __future__ import annotations

from datetime import date

from entityscreen.exportcontrol.listings import (
    SourceState,
    choose_authority,
    compare_entries,
    is_newer,
    listing_keys,
    name_key,
    name_listing_keys,
    numbered_source,
    reconcile_entries,
)
from entityscreen.model import Entry, LegalFacts, Name, NameKind, Schema


def _entry(
    entry_id: str,
    name: str,
    *,
    lst: str = "EL",
    countries: tuple[str, ...] = ("CN",),
    aliases: tuple[str, ...] = (),
    **legal: str,
) -> Entry:
    source = entry_id.split(":")[0]
    names = (Name(name), *(Name(a, NameKind.AKA) for a in aliases))
    return Entry(
        entry_id,
        source,
        lst,
        Schema.ORGANIZATION,
        names,
        countries=countries,
        legal=LegalFacts(**legal),
    )


def test_name_key_folds_the_csl_question_mark_apostrophe() -> None:
    assert (
        name_key("Xi?an Huawei Technologies Co., Ltd.")
        == name_key("Xi'an Huawei Technologies Co., Ltd.")
        == "xian huawei technologies co ltd"
    )


def test_ofac_number_is_the_key_in_ofac_files_and_in_the_csl() -> None:
    csl = _entry("us_csl:SDN:21325", "AL-BANNA, Ibrahim", lst="SDN")
    ofac = _entry("us_ofac_sdn:21325", "AL-BANNA, Ibrahim", lst="SDN")
    other = _entry("us_ofac_sdn:21326", "AL-BANNA, Ibrahim", lst="SDN")
    assert listing_keys(csl) == listing_keys(ofac) == frozenset({"ofac:21325"})
    assert not listing_keys(csl) & listing_keys(other)


def test_entity_list_key_is_name_and_country_not_citation() -> None:
    csl = _entry("us_csl:EL:a1", "NetPosa", federal_register="84 FR 54002")
    ecfr = _entry("nsfreg:EL:b2", "NetPosa", federal_register="85 FR 34505, 6/5/20.")
    elsewhere = _entry("nsfreg:EL:b3", "NetPosa", countries=("RU",))
    assert listing_keys(csl) == listing_keys(ecfr) == frozenset({"EL:netposa|CN"})
    assert not listing_keys(csl) & listing_keys(elsewhere)
    [diff] = compare_entries(csl, ecfr)
    assert (diff.field, diff.left, diff.right) == ("citations", "84 FR 54002", "85 FR 34505")
    assert diff.describe("us_csl", "nsfreg") == (
        "citations: only us_csl cites 84 FR 54002; only nsfreg cites 85 FR 34505"
    )


def test_parenthesised_abbreviation_and_country_loosen_the_key() -> None:
    csl = _entry("us_csl:EL:a", "Huawei Technologies Co., Ltd. (Huawei)")
    ecfr = _entry("nsfreg:EL:b", "Huawei Technologies Co., Ltd.", countries=("HK",))
    assert "EL:huawei technologies co ltd|CN" in listing_keys(csl)
    assert not listing_keys(csl) & listing_keys(ecfr)
    assert listing_keys(csl, any_country=True) & listing_keys(ecfr, any_country=True)


def test_license_text_differing_only_in_spacing_and_periods_is_the_same() -> None:
    a = _entry(
        "us_csl:EL:a",
        "X",
        license_requirement="For all items subject to the EAR.  (See §744.11 of the EAR)",
    )
    b = _entry(
        "nsfreg:EL:b",
        "X",
        license_requirement="For all items subject to the EAR. (See § 744.11 of the EAR).",
    )
    c = _entry(
        "nsfreg:EL:c",
        "X",
        license_requirement="For all items subject to the EAR other than EAR99.",
    )
    assert compare_entries(a, b) == []
    assert [d.field for d in compare_entries(a, c)] == ["license requirement"]


def test_authority_is_the_newest_dated_snapshot_and_the_publisher_on_a_tie() -> None:
    csl = SourceState("us_csl", 1, date(2022, 4, 21), frozenset({"EL", "SDN"}))
    undated = SourceState("us_csl", 4, None, frozenset({"EL", "SDN"}))
    ofac = SourceState("us_ofac_sdn", 3, date(2024, 5, 3), frozenset({"SDN"}))
    tie = SourceState("us_ofac_sdn", 5, date(2022, 4, 21), frozenset({"SDN"}))
    assert choose_authority("SDN", [csl, ofac]) == ofac
    assert choose_authority("SDN", [csl, tie]) == tie
    assert choose_authority("SDN", [undated, tie]) == tie
    assert choose_authority("EL", [csl, ofac]) == csl
    assert choose_authority("DPL", [csl, ofac]) is None
    assert is_newer(ofac, csl) and is_newer(ofac, undated) and not is_newer(undated, ofac)


def test_reconcile_counts_added_removed_and_differing() -> None:
    old = SourceState("us_csl", 1, date(2022, 4, 21), frozenset({"EL"}))
    new = SourceState("nsfreg", 2, date(2026, 7, 9), frozenset({"EL"}))
    left = [
        _entry("us_csl:EL:1", "NetPosa", federal_register="84 FR 54002"),
        _entry("us_csl:EL:2", "Gone Trading LLC", countries=("AE",)),
        _entry("us_csl:EL:3", "Old Name Co.", federal_register="80 FR 100"),
        _entry("us_csl:EL:4", "Same Co.", federal_register="81 FR 200"),
    ]
    right = [
        _entry("nsfreg:EL:1", "NetPosa", federal_register="85 FR 34505, 6/5/20."),
        _entry(
            "nsfreg:EL:3", "New Name Co.", aliases=("Old Name Co.",), federal_register="80 FR 100"
        ),
        _entry("nsfreg:EL:4", "Same Co.", federal_register="81 FR 200, 1/2/16"),
        _entry("nsfreg:EL:5", "Added Co.", countries=("RU",)),
    ]
    result = reconcile_entries("EL", old, left, new, right)
    assert result.counts() == {
        "left": 4,
        "right": 4,
        "removed": 1,
        "added": 1,
        "same_listing": 3,
        "differing": 1,
    }
    assert [e.id for e in result.only_left] == ["us_csl:EL:2"]
    assert [e.id for e in result.only_right] == ["nsfreg:EL:5"]
    assert [(p.left.id, p.right.id) for p in result.differing] == [("us_csl:EL:1", "nsfreg:EL:1")]


def test_license_requirement_cross_references_only_one_side_prints_are_no_difference() -> None:
    def requirement(text: str) -> Entry:
        return _entry("x:EL:1", "X", license_requirement=text)

    base = requirement("For all items subject to the EAR")
    same = [
        "All Items Subject to the EAR. (See §744.2 (d) of the EAR)",
        "For all items subject to the EAR. (See § 744.11 of the EAR) 4",
    ]
    for text in same:
        assert compare_entries(base, requirement(text)) == [], text
    russia = requirement(
        "All items subject to the EAR. (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR)"
    )
    food = requirement(
        "All items subject to the EAR except for food or medicine designated as EAR99. "
        "(See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR)"
    )
    fdp = requirement("For all items subject to the EAR. (See §§ 734.9(e) and 744.11 of the EAR)")
    plain = requirement("For all items subject to the EAR. (See §744.11 of the EAR)")
    # A real exception, and a different set of sections (the FDP rule), are differences.
    assert [d.field for d in compare_entries(russia, food)] == ["license requirement"]
    assert [d.field for d in compare_entries(plain, fdp)] == ["license requirement"]


def test_citations_of_one_rule_on_different_pages_are_no_difference() -> None:
    csl = _entry("us_csl:EL:1", "X", federal_register="80 FR 80643; 80 FR 80646")
    ecfr = _entry("nsfreg:EL:1", "X", federal_register="80 FR 80646, 12/28/15")
    assert compare_entries(csl, ecfr) == []
    # 84 FR 22961 is the Huawei rule; 84 FR 22963 a page of it (fr_rules.yml).
    huawei_csl = _entry("us_csl:EL:2", "X", federal_register="84 FR 22961")
    huawei_ecfr = _entry("nsfreg:EL:2", "X", federal_register="84 FR 22963, 5/21/19")
    assert compare_entries(huawei_csl, huawei_ecfr) == []
    # NetPosa: the CSL cites the Hikvision rule of 2019, the eCFR the rule of 2020.
    netposa_csl = _entry("us_csl:EL:3", "NetPosa", federal_register="84 FR 54004")
    netposa_ecfr = _entry("nsfreg:EL:3", "NetPosa", federal_register="85 FR 34505, 6/5/20")
    [diff] = compare_entries(netposa_csl, netposa_ecfr)
    assert diff.describe("us_csl", "nsfreg") == (
        "citations: only us_csl cites 84 FR 54004; only nsfreg cites 85 FR 34505"
    )


def test_ofac_entry_is_found_by_name_in_a_copy_without_ofac_numbers() -> None:
    ofac = _entry("us_ofac_cons:32000", "NETPOSA TECHNOLOGIES LIMITED", lst="CMIC")
    copy = _entry("us_nsfreg_cmic:abc", "NetPosa Technologies, Ltd.", lst="CMIC", countries=())
    assert name_key("NETPOSA TECHNOLOGIES LIMITED") == name_key("NetPosa Technologies, Ltd.")
    assert listing_keys(ofac) == frozenset({"ofac:32000"})
    assert name_listing_keys(ofac, any_country=True) & listing_keys(copy, any_country=True)
    assert numbered_source("us_ofac_cons", "CMIC") and numbered_source("us_csl", "SDN")
    assert not numbered_source("us_nsfreg_cmic", "CMIC") and not numbered_source("us_csl", "EL")
