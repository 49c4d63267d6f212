"""Section 889 and embargo flags."""

from __future__ import annotations

from datetime import date

import pytest

from entityscreen.exportcontrol.flags import (
    embargo_flags,
    load_destinations,
    match_covered_company,
    normalize_words,
    section889_flags,
)
from entityscreen.exportcontrol.ownership import OwnershipGraph

DAY = date(2024, 1, 1)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Huawei Technologies Co., Ltd.", "huawei"),
        ("HUAWEI DEVICE CO., LTD.", "huawei"),
        ("华为技术有限公司", "huawei"),
        ("ZTE Corporation", "zte"),
        ("Zhongxing Telecommunication Equipment Corporation", "zte"),
        ("Hytera Communications Corporation Limited", "hytera"),
        ("Hangzhou Hikvision Digital Technology Co., Ltd.", "hikvision"),
        ("HIK-VISION", "hikvision"),
        ("Hua Wei Trading", "huawei"),  # spelled apart: compact match, flagged for review
        ("Zhejiang Dahua Technology Co., Ltd.", "dahua"),
        ("Dahua Technology", "dahua"),
        ("浙江大华技术股份有限公司", "dahua"),
    ],
)
def test_covered_company_names(name: str, key: str) -> None:
    found = match_covered_company(name)
    assert found is not None
    assert found[0].key == key


@pytest.mark.parametrize(
    "name", ["Dahua Bank", "Zhang Dahua", "Hualong Weiye", "Hikari Vision Ltd", "Acme Corp"]
)
def test_names_that_are_not_covered(name: str) -> None:
    assert match_covered_company(name) is None


def test_section889_by_name() -> None:
    (flag,) = section889_flags(
        ["Hangzhou Hikvision Digital Technology Co., Ltd.", "Hikvision"], as_of=DAY
    )
    assert flag.code == "NDAA889"
    assert flag.id == "hikvision"
    assert flag.basis == "name"
    assert flag.citations == ("Pub. L. 115-232, § 889", "FAR 52.204-25")
    assert section889_flags(["Huawei"], as_of=date(2019, 8, 12)) == []


def test_section889_subsidiary_via_ownership() -> None:
    graph = OwnershipGraph(
        [
            ("HW", "HOLD", 100, None, None),
            ("HOLD", "SUB", 51, None, None),
            ("X", "SUB", 49, None, None),
        ],
        names={
            "HW": "Huawei Technologies Co., Ltd.",
            "HOLD": "Bayan Holdings",
            "SUB": "Acme Telecom",
        },
    )
    flags = section889_flags(["Acme Telecom"], as_of=DAY, target_id="SUB", graph=graph)
    (flag,) = flags
    assert flag.basis == "ownership"
    assert flag.id == "affiliate"  # via a holding company: the direct owner is not named
    assert flag.reason.startswith(
        "owned 51% by covered companies: Acme Telecom: owned 51% (via Bayan Holdings 51%"
    )
    direct = OwnershipGraph([("HW", "SUB", 60, None, None)], names={"HW": "ZTE Corporation"})
    (flag,) = section889_flags(["Acme"], as_of=DAY, target_id="SUB", graph=direct)
    assert flag.id == "affiliate:zte"


def test_section889_minority_stake_is_not_flagged() -> None:
    graph = OwnershipGraph([("HW", "SUB", 20, None, None)], names={"HW": "Huawei"})
    assert section889_flags(["Acme"], as_of=DAY, target_id="SUB", graph=graph) == []


def test_section889_unknown_share_is_flagged_as_possible() -> None:
    graph = OwnershipGraph([("HW", "SUB", None, None, None)], names={"HW": "Huawei"})
    (flag,) = section889_flags(["Acme"], as_of=DAY, target_id="SUB", graph=graph)
    assert flag.reason.startswith("owned in an unknown share by covered companies")


def test_embargo_by_country() -> None:
    (flag,) = embargo_flags("IR", None, as_of=DAY)
    assert (flag.code, flag.id, flag.basis) == ("EMBARGO", "iran", "country")
    assert "BIS: 15 CFR 746.7" in flag.citations
    assert [f.id for f in embargo_flags("KP", None, as_of=DAY)] == ["north_korea"]
    assert [f.id for f in embargo_flags("Cuba", None, as_of=DAY)] == ["cuba"]
    assert embargo_flags("CN", "Beijing", as_of=DAY) == []
    assert embargo_flags(None, None, as_of=DAY) == []


def test_crimea_address_with_country_ua() -> None:
    (flag,) = embargo_flags("UA", "ul. Lenina 5, Sevastopol, 299011", as_of=DAY)
    assert (flag.id, flag.basis) == ("crimea", "address")
    assert flag.reason == "address mentions 'sevastopol' (country UA)"
    assert flag.citations == ("OFAC: EO 13685; 31 CFR part 589", "BIS: 15 CFR 746.6(a)(1)")


@pytest.mark.parametrize(
    ("country", "address", "key"),
    [
        ("RU", "Republic of Crimea, Simferopol", "crimea"),
        ("RU", "Республика Крым, г. Симферополь", "crimea"),
        ("UA", "м. Севастополь", "crimea"),
        ("UA", "Donetsk, Donetska oblast", "dnr"),
        ("UA", "г. Донецк", "dnr"),
        ("UA", "м. Донецьк", "dnr"),
        (None, "Donetsk People's Republic", "dnr"),
        ("UA", "Luhans'k", "lnr"),
        ("RU", "Lugansk", "lnr"),
        ("UA", "Луганськ", "lnr"),
        (None, "г. Луганск, ЛНР", "lnr"),
    ],
)
def test_region_names(country: str | None, address: str, key: str) -> None:
    assert [f.id for f in embargo_flags(country, address, as_of=DAY)] == [key]


@pytest.mark.parametrize(
    "address",
    ["Donetsk, Rostov Oblast", "Krymsk, Krasnodar Krai", "Kyiv", "Kharkiv", "DPR Korea Street"],
)
def test_places_that_are_not_covered(address: str) -> None:
    assert embargo_flags("RU", address, as_of=DAY) == []


def test_regions_respect_dates() -> None:
    assert embargo_flags("UA", "Donetsk", as_of=date(2022, 2, 20)) == []
    assert [f.id for f in embargo_flags("UA", "Donetsk", as_of=date(2022, 2, 21))] == ["dnr"]
    assert embargo_flags("UA", "Sevastopol", as_of=date(2014, 12, 18)) == []
    (crimea,) = embargo_flags("UA", "Sevastopol", as_of=date(2015, 1, 1))
    assert crimea.citations == ("OFAC: EO 13685; 31 CFR part 589",)


def test_syria_after_the_ofac_program_ended() -> None:
    (flag,) = embargo_flags("SY", None, as_of=date(2025, 8, 1))
    assert flag.citations == ("BIS: 15 CFR 746.9",)


def test_destinations_data() -> None:
    keys = [d.key for d in load_destinations()]
    assert keys == ["cuba", "iran", "north_korea", "syria", "crimea", "dnr", "lnr"]
    assert all(d.regimes for d in load_destinations())


def test_normalize_words() -> None:
    assert normalize_words("Hik-Vision Co., Ltd.") == ["hik", "vision", "co", "ltd"]
    assert normalize_words("Luhans’k") == ["luhansk"]
    assert normalize_words("Société Générale") == ["societe", "generale"]
