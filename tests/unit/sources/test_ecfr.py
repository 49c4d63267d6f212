"""Unit tests of the eCFR part-744 reader on tests/fixtures/ecfr/ (written by us in the
versioner's documented XML layout; no real eCFR file has been read here).

The fixture's Supplement No. 4 table holds three entities: Veteran Avia LLC under Armenia
and again under Pakistan ("(See alternate address under ...)"), Hikvision spanning three
rows (a citation-only row and a "CHINA, PEOPLE'S REPUBLIC OF—Continued" row), and Huawei
in a blank country cell that continues China.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.model import NameKind
from entityscreen.sources import detect_format
from entityscreen.sources.base import Parsed, head_bytes, stable_id
from entityscreen.sources.ecfr import ECFR_XML, country_name, split_entity

FIXTURE = "title-15-part-744_2026-07-09.xml"


@pytest.fixture(scope="module")
def parsed(fixtures: Path) -> Parsed:
    return ECFR_XML.parse(fixtures / "ecfr" / FIXTURE)


def by_name(parsed: Parsed, name: str):  # type: ignore[no-untyped-def]
    return next(e for e in parsed.entries if e.names[0].value == name)


def test_sniffed_and_dated_from_the_url_date(fixtures: Path, parsed: Parsed) -> None:
    path = fixtures / "ecfr" / FIXTURE
    assert detect_format(path) is ECFR_XML
    assert ECFR_XML.sniff(path, head_bytes(path))
    assert parsed.source == "us_ecfr_el" and parsed.format == "ecfr-xml"
    assert parsed.published == "2026-07-09"
    assert parsed.published_basis is not None and "file name" in parsed.published_basis
    assert parsed.warnings == []


def test_three_entities_with_ids_of_the_nsfreg_scheme(parsed: Parsed) -> None:
    assert [e.names[0].value for e in parsed.entries] == [
        "Veteran Avia LLC",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "Huawei Technologies Co., Ltd. (Huawei)",
    ]
    for entry in parsed.entries:
        assert entry.list == "EL"
        assert entry.id == f"us_ecfr_el:{stable_id('EL', entry.names[0].value)}"


def test_entity_under_two_countries_is_one_entry(parsed: Parsed) -> None:
    avia = by_name(parsed, "Veteran Avia LLC")
    assert avia.countries == ("AM", "PK")
    assert [(a.full, a.country) for a in avia.addresses] == [
        ("64, Baghramyam Avenue, Apt 16, Yerevan 0033, Armenia", "AM"),
        ("Room No. 1, ALC Building, PIA Cargo Complex Jiap, Karachi, Pakistan", "PK"),
    ]
    assert [(n.value, n.kind) for n in avia.names[1:]] == [("Veteran Airline", NameKind.AKA)]
    assert avia.properties["see_also"] == (
        "See alternate address under Pakistan",
        "See alternate address under Armenia",
    )
    assert avia.properties["ecfr_rows"] == ("2",)
    assert avia.legal.license_policy == "Presumption of denial."
    assert avia.legal.start_date == "2014-08-01"


def test_multi_row_entity_and_continued_country(parsed: Parsed) -> None:
    hik = by_name(parsed, "Hangzhou Hikvision Digital Technology Co., Ltd.")
    assert hik.countries == ("CN",)
    assert hik.legal.federal_register == (
        "84 FR 54004, 10/9/19; 85 FR 34505, 6/5/20; 85 FR 44161, 7/22/20"
    )
    assert hik.properties["ecfr_rows"] == ("3",)
    assert [a.full for a in hik.addresses] == [
        "No. 555 Qianmo Road, Binjiang District, Hangzhou 310052, China",
        "700 Dongliu Road, Binjiang District, Hanzhou, China",
    ]
    assert hik.legal.license_policy is not None and "1A004.c" in hik.legal.license_policy
    huawei = by_name(parsed, "Huawei Technologies Co., Ltd. (Huawei)")
    assert huawei.countries == ("CN",)  # blank country cell: still China
    assert [a.full for a in huawei.addresses] == [
        "Bantian Huawei Base, Longgang District, Shenzhen, 518129, China"
    ]
    assert huawei.legal.federal_register == "84 FR 22963, 5/21/19; 84 FR 43495, 8/21/19"
    assert huawei.legal.license_requirement == (
        "For all items subject to the EAR. (See §§ 734.9(e) and 744.11 of the EAR)"
    )


def test_html_table_markup_and_date_attribute(tmp_path: Path) -> None:
    path = tmp_path / "part744.xml"
    path.write_text(
        '<DIV5 N="744" TYPE="PART" date="2025-10-09"><HEAD>PART 744</HEAD>'
        '<DIV9 N="Supplement No. 4 to Part 744" TYPE="APPENDIX">'
        "<HEAD>Supplement No. 4 to Part 744—Entity List</HEAD>"
        '<div class="gpotbl_div"><table class="gpotbl_table"><tr>'
        "<th>Country</th><th>Entity</th><th>License requirement</th>"
        "<th>License review policy</th><th>Federal Register citation</th></tr>"
        "<tr><td>IRAN</td><td>Sabanican Company (a.k.a. Sabanican Pad Co.), Unit #23, "
        "No. 193 West Sarve Boulevard, Tehran, Iran.</td><td>For all items subject to the "
        "EAR.</td><td>Presumption of denial.</td><td>73 FR 54506, 9/22/08.</td></tr>"
        "<tr><td></td><td>and a second line of its address, Tehran, Iran.</td>"
        "<td></td><td></td><td></td></tr>"
        "</table></div></DIV9></DIV5>",
        encoding="utf-8",
    )
    result = ECFR_XML.parse(path)
    assert result.published == "2025-10-09" and result.published_basis is None
    [entry] = result.entries
    assert [n.value for n in entry.names] == ["Sabanican Company", "Sabanican Pad Co."]
    assert entry.countries == ("IR",)
    assert entry.properties["ecfr_rows"] == ("2",)
    assert any("second line" in a.full for a in entry.addresses)


def test_split_entity_and_country_names() -> None:
    name, aliases, address = split_entity(
        "Beijing Institute of Technology, a.k.a., the following two aliases:\n"
        "—BIT; and\n—Beijing Polytechnic University.\n"
        "5 South Zhongguancun Street, Haidian District, Beijing, China."
    )
    assert name == "Beijing Institute of Technology"
    assert aliases == ["BIT; and", "Beijing Polytechnic University"]
    assert address == "5 South Zhongguancun Street, Haidian District, Beijing, China."
    assert split_entity("Brian Douglas Woodford (See alternate address under Singapore)") == (
        "Brian Douglas Woodford",
        [],
        "(See alternate address under Singapore)",
    )
    assert country_name("CHINA, PEOPLE'S REPUBLIC OF") == "China"
    assert country_name("MOLDOVA, REPUBLIC OF") == "REPUBLIC OF MOLDOVA"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('<DIV5 N="744" TYPE="PART"><DIV9 N="Supplement No. 4 to Part 744">', "malformed XML"),
        ('<DIV5 N="744" TYPE="PART"><HEAD>PART 744</HEAD></DIV5>', "no Supplement No. 4"),
        (
            '<!DOCTYPE x [<!ENTITY a "b">]><DIV5 N="744"><HEAD>&a;</HEAD></DIV5>',
            "refused",
        ),
        (
            '<DIV5 N="744"><DIV9 N="Supplement No. 4 to Part 744"><P>none</P></DIV9></DIV5>',
            "no table",
        ),
    ],
)
def test_bad_xml_is_one_line_source_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=message) as info:
        ECFR_XML.parse(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_sniff_wants_an_ecfr_div_root(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "x.xml"
    html = b'<html><body><div N="744">Part 744</div></body></html>'
    assert not ECFR_XML.sniff(path, html)
    assert not ECFR_XML.sniff(path, b'<?xml version="1.0"?><DIV5 N="746" TYPE="PART">')
    assert ECFR_XML.sniff(path, b'<?xml version="1.0"?>\n<DIV5 N="744" TYPE="PART">')
    un = next((fixtures / "un").glob("*.xml"))
    assert detect_format(un).name == "un-xml"
