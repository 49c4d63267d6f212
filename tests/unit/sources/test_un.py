"""UN Security Council Consolidated List XML on a small fixture, and hostile XML."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

from entityscreen.errors import SourceError
from entityscreen.model import Address, Entry, Identifier, LegalFacts, Name, NameKind, Schema
from entityscreen.sources.base import Parsed
from entityscreen.sources.un import FORMATS, UN_XML, make_parser

MINIMAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-01-02T00:00:00Z"><INDIVIDUALS/><ENTITIES/>
</CONSOLIDATED_LIST>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST dateGenerated="2026-01-02"><ENTITIES><ENTITY>
<FIRST_NAME>&e;</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>
</ENTITY></ENTITIES></CONSOLIDATED_LIST>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CONSOLIDATED_LIST dateGenerated="2026-01-02"><ENTITIES><ENTITY>
<FIRST_NAME>&lol9;</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>
</ENTITY></ENTITIES></CONSOLIDATED_LIST>
"""


@pytest.fixture(scope="module")
def parsed(fixtures: Path) -> Parsed:
    return UN_XML.parse(fixtures / "un" / "consolidated.xml")


@pytest.fixture(scope="module")
def individual(parsed: Parsed) -> Entry:
    return parsed.entries[0]


@pytest.fixture(scope="module")
def entity(parsed: Parsed) -> Entry:
    return parsed.entries[1]


def parse_bytes(tmp_path: Path, payload: bytes, name: str = "consolidated.xml") -> Parsed:
    path = tmp_path / name
    path.write_bytes(payload)
    return UN_XML.parse(path)


def assert_source_error(tmp_path: Path, payload: bytes) -> SourceError:
    """Parsing ``payload`` raises a SourceError that names the file, and nothing else."""
    with pytest.raises(SourceError) as info:
        parse_bytes(tmp_path, payload, "hostile.xml")
    assert "hostile.xml" in str(info.value)
    return info.value


# --- the fixture --------------------------------------------------------------------------


def test_file_facts(parsed: Parsed, fixtures: Path) -> None:
    assert parsed.source == "un_sc"
    assert parsed.format == "un-xml"
    assert parsed.published == "2026-02-27"
    assert parsed.files == (fixtures / "un" / "consolidated.xml",)
    assert parsed.warnings == []
    assert [(e.id, e.schema) for e in parsed.entries] == [
        ("un_sc:QDi.999", Schema.PERSON),
        ("un_sc:KPe.999", Schema.ORGANIZATION),
    ]
    assert {e.list for e in parsed.entries} == {"UN"}


def test_individual_names(individual: Entry) -> None:
    assert individual.names == (
        Name("ABDUL TEST AL-EXAMPLE"),
        Name("عبد الاختبار", NameKind.ORIGINAL_SCRIPT),
        Name("Abu Test", NameKind.AKA),
        Name("Al-Shaykh", NameKind.WEAK),
    )


def test_individual_facts(individual: Entry) -> None:
    assert individual.programs == ("Al-Qaida",)
    assert individual.legal == LegalFacts(start_date="2001-10-06", last_update="2019-03-05")
    assert individual.title == "Dr.; Haji"
    assert individual.remarks == (
        "Test individual. Review pursuant to resolution 1822 (2008) was concluded on 21 Jun. 2010."
    )
    assert individual.birth_dates == ("1960-01-12", "circa 1958", "1955 to 1957", "1962-05-01")
    assert individual.birth_places == ("Tikrit, Salah al-Din, Iraq", "Mosul, Iraq")
    assert individual.nationalities == ("IQ", "SY")
    assert individual.countries == ("IQ", "SY")
    assert individual.addresses == (
        Address(
            full="12 Example Street, Baghdad, Baghdad Governorate, 10001, Iraq (as of 2019)",
            street="12 Example Street",
            city="Baghdad",
            state="Baghdad Governorate",
            postal_code="10001",
            country="IQ",
        ),
    )
    assert individual.identifiers == (
        Identifier("Passport", "A1234567", "IQ", issued="2005-02-01"),
        Identifier("Jordanian national number", "9681029476", "JO"),
    )
    assert individual.properties == {
        "gender": ("Male",),
        "designation": ("Financier",),
        "document_notes": ("Passport: Syrian passport number unknown, expired 2009",),
    }


def test_entity(entity: Entry) -> None:
    assert entity.names == (
        Name("EXAMPLE TRADING COMPANY"),
        Name("조선시험무역회사", NameKind.ORIGINAL_SCRIPT),
        Name("ETC", NameKind.AKA),
        Name("Old Example Trading", NameKind.FKA),
    )
    assert entity.addresses == (
        Address(
            full="Potonggang District, Pyongyang, Democratic People's Republic of Korea",
            street="Potonggang District",
            city="Pyongyang",
            country="KP",
        ),
    )
    assert entity.countries == ("KP",)
    assert entity.programs == ("DPRK",)
    assert entity.legal == LegalFacts(start_date="2016-03-02")
    assert entity.birth_dates == ()
    assert entity.properties == {}


def test_entries_round_trip_through_dict(parsed: Parsed) -> None:
    for entry in parsed.entries:
        assert Entry.from_dict(entry.to_dict()) == entry


def test_reference_number_falls_back_to_dataid(tmp_path: Path) -> None:
    result = parse_bytes(
        tmp_path,
        b"""<CONSOLIDATED_LIST><ENTITIES>
        <ENTITY><DATAID>42</DATAID><FIRST_NAME>NO REF</FIRST_NAME></ENTITY>
        <ENTITY><DATAID>43</DATAID><REFERENCE_NUMBER> </REFERENCE_NUMBER></ENTITY>
        </ENTITIES></CONSOLIDATED_LIST>""",
    )
    assert [e.id for e in result.entries] == ["un_sc:42"]
    assert result.published is None
    assert result.warnings == ["line 3: ENTITY without a name or reference; skipped"]


def test_duplicate_reference_is_skipped_with_a_warning(tmp_path: Path) -> None:
    entity = b"<ENTITY><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></ENTITY>"
    result = parse_bytes(
        tmp_path, b"<CONSOLIDATED_LIST><ENTITIES>" + entity * 2 + b"</ENTITIES></CONSOLIDATED_LIST>"
    )
    assert len(result.entries) == 1
    assert result.warnings == ["line 1: duplicate un_sc:X.1; skipped"]


def test_namespaced_document_is_read(tmp_path: Path) -> None:
    result = parse_bytes(
        tmp_path,
        b'<CONSOLIDATED_LIST xmlns="urn:x"><ENTITIES><ENTITY><FIRST_NAME>NS CO</FIRST_NAME>'
        b"<REFERENCE_NUMBER>X.2</REFERENCE_NUMBER></ENTITY></ENTITIES></CONSOLIDATED_LIST>",
    )
    assert [e.primary_name for e in result.entries] == ["NS CO"]


def test_sniff(fixtures: Path, tmp_path: Path) -> None:
    head = (fixtures / "un" / "consolidated.xml").read_bytes()[:4096]
    assert UN_XML.sniff(tmp_path / "x.xml", head)
    assert not UN_XML.sniff(tmp_path / "x.xml", b"<?xml version='1.0'?><sdnList>")
    assert not UN_XML.sniff(tmp_path, b"")
    assert FORMATS == [UN_XML]


# --- hostile and malformed input ------------------------------------------------------------


def test_external_entity_is_refused(tmp_path: Path) -> None:
    error = assert_source_error(tmp_path, XXE)
    assert "XML declares entities/DTD; refused (XXE / entity expansion)" in str(error)


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    started = time.monotonic()
    error = assert_source_error(tmp_path, BILLION_LAUGHS)
    assert time.monotonic() - started < 1.0
    assert "refused" in str(error)


def test_parser_itself_does_not_expand_entities() -> None:
    """Defence in depth: even past the DOCTYPE check, the parser expands nothing."""
    started = time.monotonic()
    try:
        root = etree.fromstring(BILLION_LAUGHS, make_parser())
    except etree.XMLSyntaxError as exc:  # libxml2's own amplification guard may fire first
        assert "amplification" in str(exc)
    else:
        assert len(etree.tostring(root)) < 10_000
    assert time.monotonic() - started < 1.0
    xxe_root = etree.fromstring(XXE, make_parser())
    assert b"root:" not in etree.tostring(xxe_root)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(
            b'<!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://example.invalid/x.dtd">'
            + MINIMAL.split(b"\n", 1)[1],
            id="external-dtd",
        ),
        pytest.param(
            (
                '<?xml version="1.0" encoding="UTF-16"?>\n'
                '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
                "<CONSOLIDATED_LIST><ENTITIES/></CONSOLIDATED_LIST>"
            ).encode("utf-16"),
            id="utf16-xxe",
        ),
        pytest.param(
            b'<?xml version="1.0"?>\n<!-- c --><!DOCTYPE x [<!ENTITY a "b">]><CONSOLIDATED_LIST/>',
            id="internal-entity-after-comment",
        ),
    ],
)
def test_any_dtd_is_refused(tmp_path: Path, payload: bytes) -> None:
    error = assert_source_error(tmp_path, payload)
    assert "refused" in str(error)


def test_malformed_xml_reports_the_line(tmp_path: Path) -> None:
    payload = b"<CONSOLIDATED_LIST>\n<ENTITIES>\n<ENTITY>\n</ENTITIES>\n</CONSOLIDATED_LIST>\n"
    error = assert_source_error(tmp_path, payload)
    assert "malformed XML" in str(error)
    assert error.line == 4


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(MINIMAL[: len(MINIMAL) // 2], id="truncated"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\x00\x01\x02\x03\xff\xfe" * 500, id="binary"),
        pytest.param(b"not xml at all", id="text"),
        pytest.param(b"\x1f\x8b\x08\x00garbage", id="broken-gzip"),
        pytest.param(b"<?xml version='1.0'?><sdnList></sdnList>", id="other-root"),
    ],
)
def test_garbage_is_a_source_error(tmp_path: Path, payload: bytes) -> None:
    assert_source_error(tmp_path, payload)
