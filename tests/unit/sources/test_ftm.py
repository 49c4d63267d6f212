"""OpenSanctions FtM adapter on small hand-written fixtures (tests/fixtures/ftm/).

``entities.ftm.json`` holds two targets (a Person and a Company) and the helper entities
that enrich them (Address, Sanction, Passport), two Ownerships, a non-target Company and
a Family link. The delta in ``20240527194702-wnk/`` adds, modifies and deletes.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from entityscreen.errors import SourceError
from entityscreen.model import Address, Entry, Identifier, Name, NameKind, Schema
from entityscreen.sources import ftm_read
from entityscreen.sources.base import Parsed
from entityscreen.sources.ftm import (
    FORMATS,
    FTM_DELTA,
    FTM_JSON,
    iter_delta_ops,
    iter_ownership,
    normalize_country,
    parse_percent,
    parse_version_date,
    scan_top_keys,
    select_list,
)


@pytest.fixture(scope="module")
def ftm_dir(fixtures: Path) -> Path:
    return fixtures / "ftm"


@pytest.fixture(scope="module")
def parsed(ftm_dir: Path) -> Parsed:
    return FTM_JSON.parse(ftm_dir / "entities.ftm.json")


@pytest.fixture(scope="module")
def delta(ftm_dir: Path) -> Parsed:
    return FTM_DELTA.parse(ftm_dir / "20240527194702-wnk" / "entities.delta.json")


def by_id(entries: list[Entry]) -> dict[str, Entry]:
    return {e.id: e for e in entries}


def write_lines(path: Path, *objects: Any) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    return path


def entity(entity_id: str, schema: str = "Person", **extra: Any) -> dict[str, Any]:
    return {"id": entity_id, "schema": schema, "properties": {"name": [entity_id]}, **extra}


# --- entities file ------------------------------------------------------------------------


def test_only_targets_become_entries(parsed: Parsed) -> None:
    assert [e.id for e in parsed.entries] == ["opensanctions:p-ivanov", "opensanctions:c-acme"]
    assert parsed.source == "opensanctions"
    assert parsed.format == "ftm-json"
    assert parsed.delta is False
    assert parsed.deleted == ()
    assert parsed.published is None  # no version folder
    assert parsed.warnings == []


def test_person_field_by_field(parsed: Parsed) -> None:
    e = by_id(parsed.entries)["opensanctions:p-ivanov"]
    assert e.source == "opensanctions"
    assert e.list == "eu_fsf"  # first of the sorted datasets
    assert e.schema is Schema.PERSON
    assert e.names == (
        Name("Ivan IVANOV", NameKind.PRIMARY),  # the caption, although listed second
        Name("Иван ИВАНОВ", NameKind.AKA),
        Name("Vanya", NameKind.AKA),
        Name("The Hammer", NameKind.WEAK),
    )
    assert e.countries == ("BY", "RU")  # "suhh" (USSR) dropped
    assert e.nationalities == ("BY",)
    assert e.birth_dates == ("1970-01-22",)
    assert e.birth_places == ("Minsk",)
    assert e.addresses == (
        Address(full="1 Main Street, Minsk, Belarus", city="Minsk", country="BY"),
        Address(full="2 Side Road, Moscow"),  # the upper-case copy of addr-1 is dropped
    )
    assert e.identifiers == (
        Identifier(type="Tax ID No.", value="123456789"),
        Identifier(
            type="Passport",
            value="MP1234567",
            country="BY",
            issued="2015-05-01",
            expires="2025-05-01",
        ),
    )
    assert e.programs == ("EU-BLR", "Belarus regime")
    assert e.title == "Director of Acme"
    assert e.remarks == "First note.\nSecond note."
    assert e.source_url == "https://example.eu/ivanov"  # from the Sanction
    assert e.properties == {
        "datasets": ("eu_fsf", "gb_hmt_sanctions"),
        "referents": ("eu-fsf-2", "ofac-1"),
        "topics": ("sanction",),
        "gender": ("male",),
        "authorities": ("Council of the European Union",),
    }


def test_person_legal_facts(parsed: Parsed) -> None:
    legal = by_id(parsed.entries)["opensanctions:p-ivanov"].legal
    assert legal.start_date == "2022-02-28"  # listingDate beats createdAt and startDate
    assert legal.end_date == "2025-01-01"  # its only sanction has ended
    assert legal.last_update == "2023-07-26"
    assert legal.license_requirement is None


def test_company_field_by_field(parsed: Parsed) -> None:
    e = by_id(parsed.entries)["opensanctions:c-acme"]
    assert e.schema is Schema.ORGANIZATION
    assert e.list == "us_trade_csl"  # ext_ru_egrul is an enrichment, not a list
    assert e.names == (
        Name("ACME LLC", NameKind.PRIMARY),
        Name("Acme Limited Liability Company", NameKind.AKA),
        Name("Acme", NameKind.AKA),
        Name("Old Acme", NameKind.FKA),
        Name("AC", NameKind.WEAK),
    )
    assert e.countries == ("RU",)  # "zz" (global) dropped
    assert e.identifiers == (
        Identifier(type="Registration Number", value="1027700000000"),
        Identifier(type="INN", value="7700000000", country="RU"),
    )
    assert e.programs == (
        "US-BIS-EL",
        "UA-SA1644",
        "GB-RUS",
        "Entity List (EL) - Bureau of Industry and Security",
    )
    assert e.source_url == "https://example.com/acme"


def test_company_gets_entity_list_facts_from_csl_sanction(parsed: Parsed) -> None:
    legal = by_id(parsed.entries)["opensanctions:c-acme"].legal
    assert legal.license_requirement == "For all items subject to the EAR."
    assert legal.license_policy == "Presumption of denial."
    assert legal.federal_register == "88 FR 76128"
    assert legal.start_date == "2023-11-02"
    assert legal.end_date is None  # one of its three sanctions is still open
    assert legal.last_update == "2024-01-02"


def test_entries_round_trip(parsed: Parsed) -> None:
    for e in parsed.entries:
        assert Entry.from_dict(json.loads(e.canonical_json())) == e


def test_iter_ownership(ftm_dir: Path) -> None:
    assert list(iter_ownership(ftm_dir / "entities.ftm.json")) == [
        ("opensanctions:p-ivanov", "opensanctions:c-acme", 51.0, "2015-11-25"),
        ("opensanctions:c-acme", "opensanctions:c-helper", None, None),
    ]


def test_iter_ownership_reads_delta_upserts(tmp_path: Path) -> None:
    props = {"owner": ["a"], "asset": ["b"], "percentage": ["25%"]}
    path = write_lines(
        tmp_path / "entities.delta.json",
        {"op": "MOD", "entity": {"id": "o", "schema": "Ownership", "properties": props}},
        {"op": "DEL", "entity": {"id": "o"}},
    )
    assert list(iter_ownership(path)) == [("opensanctions:a", "opensanctions:b", 25.0, None)]


def test_no_target_flag_falls_back_to_schema(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "entities.ftm.json",
        entity("v1", "Vessel"),
        entity("a1", "Airplane"),
        entity("l1", "LegalEntity"),
        entity("x1", "Address"),
        entity("s1", "Security"),
        entity("t1", "Security", target=True),
    )
    entries = FTM_JSON.parse(path).entries
    assert [(e.id, e.schema) for e in entries] == [
        ("opensanctions:v1", Schema.VESSEL),
        ("opensanctions:a1", Schema.AIRCRAFT),
        ("opensanctions:l1", Schema.ORGANIZATION),
        ("opensanctions:t1", Schema.UNKNOWN),
    ]


def test_caption_is_the_name_of_last_resort(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "entities.ftm.json",
        {"id": "c", "schema": "Company", "caption": "Only Caption", "properties": {}},
        {"id": "n", "schema": "Company", "properties": {"alias": ["Alias Only"]}},
        {"id": "none", "schema": "Company", "properties": {}},
    )
    parsed = FTM_JSON.parse(path)
    assert [e.names for e in parsed.entries] == [
        (Name("Only Caption"),),
        (Name("Alias Only", NameKind.AKA),),
    ]
    assert parsed.warnings == ["line 3: entity none has no name; skipped"]


def test_gzip_and_bom_and_blank_lines(tmp_path: Path, ftm_dir: Path) -> None:
    raw = (ftm_dir / "entities.ftm.json").read_bytes()
    path = tmp_path / "entities.ftm.json.gz"
    path.write_bytes(gzip.compress(b"\xef\xbb\xbf\n\n" + raw.replace(b"\n", b"\r\n")))
    assert [e.id for e in FTM_JSON.parse(path).entries] == [
        "opensanctions:p-ivanov",
        "opensanctions:c-acme",
    ]


def test_published_from_version_folder(tmp_path: Path) -> None:
    folder = tmp_path / "20240601000000-abc"
    folder.mkdir()
    path = write_lines(folder / "entities.ftm.json", entity("p"))
    assert FTM_JSON.parse(path).published == "2024-06-01"


# --- delta file ---------------------------------------------------------------------------


def test_delta_upserts_and_deletes(delta: Parsed) -> None:
    assert delta.delta is True
    assert delta.format == "ftm-delta"
    assert delta.published == "2024-05-27"
    assert [e.id for e in delta.entries] == ["opensanctions:p-new", "opensanctions:c-acme"]
    # p-short-lived was added then deleted in the same file: a delete only.
    assert delta.deleted == ("opensanctions:p-ivanov", "opensanctions:p-short-lived")


def test_delta_entries_are_enriched_from_the_same_file(delta: Parsed) -> None:
    new = by_id(delta.entries)["opensanctions:p-new"]
    assert new.programs == ("EU-UKR",)
    assert new.legal.start_date == "2024-05-27"
    assert new.nationalities == ("RU",)
    # MOD entities are whole entities; only the helpers in this file enrich them.
    acme = by_id(delta.entries)["opensanctions:c-acme"]
    assert acme.names == (Name("ACME LLC"),)
    assert acme.programs == ()


def test_delta_ops_in_order(ftm_dir: Path) -> None:
    ops = list(iter_delta_ops(ftm_dir / "20240527194702-wnk" / "entities.delta.json"))
    assert [(o.op, o.entity.id) for o in ops] == [
        ("ADD", "p-new"),
        ("ADD", "sanction-new"),
        ("MOD", "c-acme"),
        ("DEL", "p-ivanov"),
        ("ADD", "p-short-lived"),
        ("DEL", "p-short-lived"),
    ]
    assert ops[3].entity.schema == ""


def test_delete_then_add_again_is_an_upsert(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "entities.delta.json",
        {"op": "DEL", "entity": {"id": "p"}},
        {"op": "ADD", "entity": entity("p", target=True)},
    )
    parsed = FTM_DELTA.parse(path)
    assert [e.id for e in parsed.entries] == ["opensanctions:p"]
    assert parsed.deleted == ()


# --- sniffing -----------------------------------------------------------------------------


def test_sniff_entities_and_delta(ftm_dir: Path) -> None:
    entities = ftm_dir / "entities.ftm.json"
    delta_path = ftm_dir / "20240527194702-wnk" / "entities.delta.json"
    assert FTM_JSON.sniff(entities, entities.read_bytes()[:4096])
    assert not FTM_DELTA.sniff(entities, entities.read_bytes()[:4096])
    assert FTM_DELTA.sniff(delta_path, delta_path.read_bytes()[:4096])
    assert not FTM_JSON.sniff(delta_path, delta_path.read_bytes()[:4096])


def test_sniff_a_first_line_longer_than_the_head(ftm_dir: Path) -> None:
    """A 4 KiB head often ends inside ``properties``: the keys read so far suffice."""
    line = json.dumps({"id": "x", "schema": "Company", "properties": {"name": ["A" * 9000]}})
    assert FTM_JSON.sniff(ftm_dir / "x.json", line.encode()[:4096])
    op = json.dumps({"op": "ADD", "entity": json.loads(line)})
    assert FTM_DELTA.sniff(ftm_dir / "x.json", op.encode()[:4096])


@pytest.mark.parametrize(
    "head",
    [
        b'{"versions": \n    {\n    "20240527134702-zbn":"https://x/entities.delta.json"',
        b'{"results": [{"name": "ACME", "type": "Entity"}]}\n',
        b"_id,source,entity_number,type,programs,name\n",
        b"\x00\x01\x02\x03binary",
        b"[1, 2, 3]\n",
        b"",
    ],
)
def test_sniff_rejects_other_files(ftm_dir: Path, head: bytes) -> None:
    for fmt in FORMATS:
        assert not fmt.sniff(ftm_dir / "file.json", head)


def test_sniff_never_claims_a_directory(ftm_dir: Path) -> None:
    head = (ftm_dir / "entities.ftm.json").read_bytes()[:4096]
    assert not FTM_JSON.sniff(ftm_dir, head)


def test_scan_top_keys() -> None:
    assert scan_top_keys('{"id": "a", "schema": "B", "properties": {"name": ["tru') == {
        "id",
        "schema",
        "properties",
    }
    assert scan_top_keys('  {"op":"DEL","entity":{"id":"x"}}') == {"op", "entity"}
    assert scan_top_keys('{"a": 1 "b": 2}') == {"a"}
    assert scan_top_keys("[" * 5000) == set()
    assert scan_top_keys('{"a": ' + "[" * 5000) == {"a"}


# --- malformed input ----------------------------------------------------------------------


GOOD = json.dumps(entity("ok")) + "\n"


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (GOOD + "{not json\n", 2, "malformed JSON"),
        (GOOD + "[1, 2]\n", 2, "not a JSON object"),
        (GOOD + '{"schema": "Person", "properties": {}}\n', 2, "without an id"),
        ('{"id": "x", "properties": {}}\n', 1, "without a schema"),
        ('{"id": "x", "schema": "Person", "properties": []}\n', 1, "properties is not an object"),
        ('{"id": "x", "schema": "Person", "properties": {"name": "A"}}\n', 1, "property name"),
        ('{"id": "x", "schema": "Person", "properties": {"name": [1]}}\n', 1, "property name"),
        ('{"id": "x", "schema": "Person", "properties": {}, "target": "yes"}\n', 1, "target"),
        ('{"id": "x", "schema": "Person", "properties": {}, "datasets": "eu"}\n', 1, "datasets"),
        (GOOD + "[" * 100_000 + "\n", 2, "malformed JSON"),
        (GOOD + GOOD, 2, "duplicate entity id ok (first on line 1)"),
        ('{"op": "ADD", "entity": {"id": "x"}}\n', 1, "import the file as ftm-delta"),
    ],
)
def test_malformed_entities_file(tmp_path: Path, content: str, line: int, message: str) -> None:
    path = tmp_path / "bad.ftm.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        FTM_JSON.parse(path)
    assert f"bad.ftm.json:{line}:" in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ('{"op": "UPSERT", "entity": {"id": "x"}}\n', 1, "unknown delta op 'UPSERT'"),
        ('{"op": "DEL", "entity": {"id": "x"}}\n{"entity": {"id": "y"}}\n', 2, "unknown delta"),
        ('{"op": "ADD", "entity": {"id": "x"}}\n', 1, "without a schema"),
        ('{"op": "ADD", "entity": "x"}\n', 1, "without an entity object"),
        ('{"op": "DEL", "entity": {}}\n', 1, "without an id"),
        (GOOD, 1, "import as ftm-json"),
    ],
)
def test_malformed_delta_file(tmp_path: Path, content: str, line: int, message: str) -> None:
    path = tmp_path / "bad.delta.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        FTM_DELTA.parse(path)
    assert f"bad.delta.json:{line}:" in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"\n  \n\t\n", "file is empty"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00", "binary data"),
        (b"\xff\xfe\x00{\x00}", "binary data"),
        (b'{"id": "\xe9t\xe9", "schema": "Person"}\n', "not UTF-8"),
        (b"\x1f\x8b\x08\x00garbage-after-gzip-magic", "corrupt or truncated"),
        (b'{"versions": {"20240527194702-wnk": "https://x/entities.delta.json"}}', "delta index"),
        (b'{"versions": \n {"v": "https://x"},\n "updated_at": "2024-05-28"}', "delta index"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "weird.json"
    path.write_bytes(content)
    for fmt in FORMATS:
        with pytest.raises(SourceError) as info:
            fmt.parse(path)
        assert "weird.json" in str(info.value)
        assert message in str(info.value)


def test_huge_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ftm_read, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "huge.ftm.json"
    path.write_text(GOOD + json.dumps(entity("x" * 2000)) + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"huge\.ftm\.json:2: line longer than 1000 bytes"):
        FTM_JSON.parse(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"missing\.json: cannot read file"):
        FTM_JSON.parse(tmp_path / "missing.json")


# --- values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("by", "BY"), ("RU", "RU"), (" gb ", "GB"), ("suhh", None), ("ge-ab", None), ("zz", None)],
)
def test_normalize_country(value: str, expected: str | None) -> None:
    assert normalize_country(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("49", 49.0), ("50.5", 50.5), ("51%", 51.0), ("12,5", 12.5), ("", None), ("n/a", None)],
)
def test_parse_percent(value: str, expected: float | None) -> None:
    assert parse_percent(value) == expected


def test_parse_percent_out_of_range() -> None:
    assert parse_percent("150") is None
    assert parse_percent("-1") is None


def test_select_list() -> None:
    assert select_list(["gb_hmt", "eu_fsf"]) == "eu_fsf"
    assert select_list(["ext_ru_egrul", "ua_nsdc"]) == "ua_nsdc"
    assert select_list(["ext_ru_egrul", "ann_graph_topics"]) == "ann_graph_topics"
    assert select_list([]) == "opensanctions"


def test_parse_version_date() -> None:
    assert parse_version_date(Path("t2/20240528134729-3iv/entities.delta.json")) == "2024-05-28"
    assert parse_version_date(Path("t2/latest/entities.delta.json")) is None
    assert parse_version_date(Path("20241399000000-x/entities.delta.json")) is None
