"""UN Security Council Consolidated List adapter on the real XML (parsed once)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from entityscreen.model import Address, Entry, LegalFacts, Name, NameKind, Schema
from entityscreen.sources.base import Parsed
from entityscreen.sources.un import UN_XML

pytestmark = pytest.mark.slow

RELATIVE = Path("un_sc_consolidated_2026-02-27") / "UN_consolidated.xml"


@pytest.fixture(scope="module")
def path(shared_data: Path) -> Path:
    return shared_data / RELATIVE


@pytest.fixture(scope="module")
def parsed(path: Path) -> Parsed:
    return UN_XML.parse(path)


@pytest.fixture(scope="module")
def entries(parsed: Parsed) -> dict[str, Entry]:
    return {e.id: e for e in parsed.entries}


def test_counts_and_published(parsed: Parsed, path: Path) -> None:
    assert Counter(e.schema for e in parsed.entries) == {
        Schema.PERSON: 730,
        Schema.ORGANIZATION: 273,
    }
    assert len({e.id for e in parsed.entries}) == 1_003
    assert parsed.published == "2026-02-27"
    assert parsed.files == (path,)
    assert parsed.warnings == []
    assert {e.list for e in parsed.entries} == {"UN"}
    assert UN_XML.sniff(path, path.read_bytes()[:4096])


def test_eric_badege(entries: dict[str, Entry]) -> None:
    badege = entries["un_sc:CDi.001"]
    assert badege == Entry(
        id="un_sc:CDi.001",
        source="un_sc",
        list="UN",
        schema=Schema.PERSON,
        names=(Name("ERIC BADEGE"),),
        addresses=(Address(full="Rwanda (as of early 2016)", country="RW"),),
        countries=("RW", "CD"),
        birth_dates=("1971",),
        nationalities=("CD",),
        programs=("DRC",),
        legal=LegalFacts(start_date="2012-12-31", last_update="2016-10-13"),
        remarks=(
            "He fled to Rwanda in March 2013 and is still living there as of early 2016. "
            "INTERPOL-UN Security Council Special Notice web link:"
            "https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals"
        ),
        properties={"gender": ("Male",)},
    )


def test_reference_numbers_are_stripped(entries: dict[str, Entry]) -> None:
    # Several DPRK entity references are published with a trailing space ("KPe.023 ").
    assert "un_sc:KPe.023" in entries
    assert all(i == i.strip() for i in entries)


def test_original_script_names(parsed: Parsed) -> None:
    with_script = [
        e for e in parsed.entries if any(n.kind is NameKind.ORIGINAL_SCRIPT for n in e.names)
    ]
    assert len(with_script) == 378  # 336 individuals + 42 entities
    assert any(
        any(
            n.kind is NameKind.ORIGINAL_SCRIPT and any("\u0600" <= c <= "\u06ff" for c in n.value)
            for n in e.names
        )
        for e in with_script
    )


def test_aliases_match_the_xml(parsed: Parsed, entries: dict[str, Entry], path: Path) -> None:
    """Every non-blank ALIAS_NAME is an alias of its entry, of the kind its QUALITY says."""
    root = etree.parse(str(path)).getroot()
    kinds = {
        "Good": NameKind.AKA,
        "a.k.a.": NameKind.AKA,
        "Low": NameKind.WEAK,
        "f.k.a.": NameKind.FKA,
    }
    expected = 0
    for record in root.iterfind("*/*"):
        entry = entries[f"un_sc:{record.findtext('REFERENCE_NUMBER').strip()}"]
        for alias in record.iterfind("*/ALIAS_NAME/.."):
            name = " ".join((alias.findtext("ALIAS_NAME") or "").split())
            if name:
                expected += 1
                assert Name(name, kinds[alias.findtext("QUALITY")]) in entry.names
    assert expected == 2_752
    aliases = Counter(n.kind for e in parsed.entries for n in e.names)
    # 2,752 ALIAS_NAMEs, ten of them exact repeats within their entry.
    assert aliases[NameKind.AKA] + aliases[NameKind.WEAK] + aliases[NameKind.FKA] == 2_742
    assert aliases[NameKind.WEAK] == 615


def test_documents_and_dates(parsed: Parsed) -> None:
    identifiers = [i for e in parsed.entries for i in e.identifiers]
    assert len(identifiers) > 400
    assert Counter(i.type for i in identifiers)["Passport"] > 200
    assert sum(1 for i in identifiers if i.country) > 250
    dates = [d for e in parsed.entries for d in e.birth_dates]
    assert any(d.startswith("circa ") for d in dates)
    assert any(" to " in d for d in dates)
    assert all(e.legal.start_date for e in parsed.entries)
