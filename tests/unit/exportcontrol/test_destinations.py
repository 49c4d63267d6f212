"""Country controls (issue #12): Russia/Belarus 15 CFR 746.8 and Country Groups D:5,
E:1, E:2 from data/country_controls.yml."""

from __future__ import annotations

from datetime import date

import pytest

from entityscreen.exportcontrol.destinations import (
    Place,
    country_control_flags,
    load_country_controls,
)
from entityscreen.exportcontrol.flags import (
    load_section889,
    match_covered_company,
    match_known_affiliate,
    section889_flags,
)

TODAY = date(2026, 12, 3)


def ids(flags: list) -> set[str]:  # type: ignore[type-arg]
    return {f.id for f in flags}


def test_every_control_cites_its_text_and_says_what_applies() -> None:
    controls = {c.key: c for c in load_country_controls()}
    assert set(controls) == {
        "ru_by_746_8",
        "country_group_d5",
        "country_group_e1",
        "country_group_e2",
    }
    for control in controls.values():
        assert control.citation.startswith("15 CFR")
        assert control.applies and all("(15 CFR" in a for a in control.applies)
    assert set(controls["ru_by_746_8"].members) == {"RU", "BY"}
    assert {"CN", "RU", "BY", "VE", "IR", "KP"} <= set(controls["country_group_d5"].members)
    assert set(controls["country_group_e2"].members) == {"CU"}


@pytest.mark.parametrize(
    ("country", "day", "expected"),
    [
        ("RU", date(2022, 2, 23), {"country_group_d5:RU"}),
        ("RU", date(2022, 2, 24), {"ru_by_746_8:RU", "country_group_d5:RU"}),
        ("BY", date(2022, 3, 1), {"country_group_d5:BY"}),
        ("BY", date(2022, 3, 2), {"ru_by_746_8:BY", "country_group_d5:BY"}),
        ("IR", TODAY, {"country_group_d5:IR", "country_group_e1:IR"}),
        ("CU", TODAY, {"country_group_d5:CU", "country_group_e2:CU"}),
        ("DE", TODAY, set()),
        ("KH", date(2021, 12, 8), set()),
    ],
)
def test_membership_is_read_on_the_date(country: str, day: date, expected: set[str]) -> None:
    flags = country_control_flags([Place(country, "country", f"country {country!r}")], as_of=day)
    assert ids(flags) == expected


def test_one_flag_per_control_and_country_naming_every_place() -> None:
    places = [
        Place("RU", "country", "country 'Russia'"),
        Place("RU", "listed address", "listed entry 'JSC X' (SDN), address in RU"),
        Place("ru", "listed address", "listed entry 'JSC X' (SDN), address in RU"),
    ]
    [ru_by] = [f for f in country_control_flags(places, as_of=TODAY) if f.code == "RU_BY"]
    assert ru_by.basis == "country"
    assert "country 'Russia'" in ru_by.reason and ru_by.reason.count("JSC X") == 1
    # Every membership we carry is marked unverified until checked against the eCFR.
    assert ru_by.verified is False and "verified" in ru_by.to_dict()
    # 746.8 calls for an analyst; a Country Group membership alone informs.
    assert ru_by.alerts is True
    groups = [f for f in country_control_flags(places, as_of=TODAY) if f.code != "RU_BY"]
    assert groups and not any(f.alerts for f in groups)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("EZVIZ Inc.", "ezviz"),
        ("Hangzhou Microimage Software Co., Ltd.", "hikmicro"),
        ("Lorex Technology Inc", "lorex"),
        ("Sepura Limited", "sepura"),
        ("海思半导体有限公司", "hisilicon"),
        ("Sanechips Technology Co., Ltd.", "sanechips"),
    ],
)
def test_known_affiliates_are_recognised_by_name(name: str, key: str) -> None:
    found = match_known_affiliate(name, as_of=TODAY)
    assert found is not None and found[0].key == key
    [flag] = section889_flags([name], as_of=TODAY)
    assert flag.id.endswith(f":{key}") and flag.basis == "name" and not flag.verified


@pytest.mark.parametrize(
    "name", ["Acme Lorexa Ltd", "Imouto Books", "Huacheng Trading Co", "Teltron GmbH"]
)
def test_names_near_an_affiliate_are_not_flagged(name: str) -> None:
    assert match_known_affiliate(name, as_of=TODAY) is None
    assert section889_flags([name], as_of=TODAY) == []


def test_a_covered_company_named_with_its_affiliate_is_flagged_once() -> None:
    flags = section889_flags(["Hikvision EZVIZ Co"], as_of=TODAY)
    assert [f.id for f in flags] == ["hikvision"]
    assert section889_flags(["EZVIZ"], as_of=date(2019, 8, 12)) == []


def test_every_recognised_string_of_the_data_passes_the_quick_rejection() -> None:
    """Names are first checked against all covered companies and affiliates at once (a
    batch's names almost never match any): no word set, compact or native string of the
    data may be rejected there, each still finds its company or affiliate."""
    data = load_section889()
    for known, find in (
        *((c, match_covered_company) for c in data.companies),
        *((a, lambda n: match_known_affiliate(n, as_of=TODAY)) for a in data.affiliates),
    ):
        names = [" ".join(sorted(t)) for t in known.token_sets]
        names += [f"x {c} y".upper() for c in known.compact] + [f"甲{n}乙" for n in known.native]
        for name in names:
            found = find(name)
            assert found is not None and found[0].key == known.key, (known.key, name)
