"""The OpenSanctions FtM adapter on the real samples in ../shared/data/opensanctions_ftm_samples.

``zala/`` is a sanctions cluster around Zala Aero (91 entities, 14 targets), ``t1/`` six
EU-sanctioned targets and one Address, ``t2/`` four versioned delta files and the
``delta.json`` index that lists them. Each real file is parsed once per module.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.model import Entry, Identifier, NameKind, Schema
from entityscreen.sources.base import Parsed, head_bytes
from entityscreen.sources.ftm import (
    FORMATS,
    FTM_DELTA,
    FTM_JSON,
    DeltaOp,
    iter_delta_ops,
    iter_ownership,
)

#: The t2 version folders in publication order, with the operations each file holds.
DELTA_VERSIONS: dict[str, Counter[str]] = {
    "20240527194702-wnk": Counter(ADD=2),
    "20240528014702-pfh": Counter(ADD=1, MOD=1),
    "20240528074703-npf": Counter(DEL=1),
    "20240528134729-3iv": Counter(ADD=1),
}


@pytest.fixture(scope="module")
def samples(shared_data: Path) -> Path:
    return shared_data / "opensanctions_ftm_samples"


@pytest.fixture(scope="module")
def zala(samples: Path) -> Parsed:
    return FTM_JSON.parse(samples / "zala" / "entities.ftm.json")


@pytest.fixture(scope="module")
def t1(samples: Path) -> Parsed:
    return FTM_JSON.parse(samples / "t1" / "entities.ftm.json")


@pytest.fixture(scope="module")
def deltas(samples: Path) -> dict[str, Parsed]:
    return {v: FTM_DELTA.parse(samples / "t2" / v / "entities.delta.json") for v in DELTA_VERSIONS}


@pytest.fixture(scope="module")
def delta_ops(samples: Path) -> dict[str, list[DeltaOp]]:
    return {
        v: list(iter_delta_ops(samples / "t2" / v / "entities.delta.json")) for v in DELTA_VERSIONS
    }


def count_targets(path: Path) -> tuple[int, int]:
    """(lines, entities flagged as targets), read with plain json, not the adapter."""
    objects = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return len(objects), sum(1 for o in objects if o.get("target") is True)


def entry(parsed: Parsed, native_id: str) -> Entry:
    return next(e for e in parsed.entries if e.id == f"opensanctions:{native_id}")


def test_zala_entries_are_its_targets(samples: Path, zala: Parsed) -> None:
    lines, targets = count_targets(samples / "zala" / "entities.ftm.json")
    assert (lines, targets) == (91, 14)
    assert len(zala.entries) == targets
    assert len({e.id for e in zala.entries}) == targets
    assert Counter(e.schema for e in zala.entries) == {
        Schema.ORGANIZATION: 8,
        Schema.PERSON: 6,
    }
    assert zala.warnings == []
    assert zala.published is None


def test_t1_entries_are_its_targets(samples: Path, t1: Parsed) -> None:
    lines, targets = count_targets(samples / "t1" / "entities.ftm.json")
    assert (lines, targets) == (7, 6)
    assert len(t1.entries) == targets
    assert all(e.list == "eu_fsf" for e in t1.entries)


def test_t1_inter_tobacco_field_by_field(t1: Parsed) -> None:
    e = entry(t1, "NK-2GdmHtZTeNXjNVrBGEXZNj")
    assert e.source == "opensanctions"
    assert e.list == "eu_fsf"
    assert e.schema is Schema.ORGANIZATION
    assert e.primary_name == "RAB „Inter Tobacco“"
    names = {n.value for n in e.names}
    assert len(e.names) == 12
    assert {
        "LLC “Inter Tobacco”",
        "Общество с ограниченной ответственностью “Интер Тобако”",
        "Таварыства з абмежаванай адказнасцю “Інтэр Табак”",
        "Εταιρία περιορισμένης ευθύνης “Inter Tobacco”",
        "„Inter Tobacco“, společnost s ručením omezeným",
    } <= names
    assert [n.kind for n in e.names].count(NameKind.PRIMARY) == 1
    assert e.countries == ("BY",)
    assert e.identifiers == (Identifier(type="Registration Number", value="808000714"),)
    assert e.remarks == "Belarus (Minsk Free Economic Zone)"
    # Its addressEntity is not among the seven lines of t1: no address.
    assert e.addresses == ()
    assert e.legal.start_date == "2022-06-03"
    assert e.legal.last_update == "2023-07-26"
    assert "ofac-32733" in e.properties["referents"]
    assert e.properties["datasets"] == ("eu_fsf",)


def test_t1_person_with_tax_number_and_nationality(t1: Parsed) -> None:
    e = entry(t1, "NK-2Ka3UvopqbpZmVDFjWd4LA")
    assert e.schema is Schema.PERSON
    assert e.primary_name == "Vitaly Yurievich KUZMENKO"
    assert e.birth_dates == ("1971-01-22",)
    assert e.nationalities == ("RU",)
    assert e.identifiers == (Identifier(type="Tax ID No.", value="366510784303"),)
    assert e.title == "General Director of JSC 163 Armor Repair Plant"


def test_zala_llc_cst_is_enriched_from_helpers(zala: Parsed) -> None:
    e = entry(zala, "NK-abdzbEBkqyT29GyREbiURZ")
    assert e.primary_name == "LLC CST"
    assert e.schema is Schema.ORGANIZATION
    assert e.countries == ("RU",)
    # Address entities named by addressEntity carry their parts.
    po_box = next(a for a in e.addresses if a.postal_code == "426011")
    assert po_box.full == "P.O. Box 9050, UR, Izhevsk, Russian Federation, 426011"
    assert po_box.country == "RU"
    # The trade.gov CSL Sanction gives the Entity List facts.
    assert e.legal.federal_register == "88 FR 76128"
    assert e.legal.license_policy is not None
    assert e.legal.license_policy.startswith("Policy of denial for all items subject to the EAR")
    assert e.legal.license_requirement == (
        "For all items subject to the EAR. "
        "(See §§ 734.9(g)3, 746.8(a)(3), and 744.21(b) of the EAR."
    )
    assert e.legal.end_date is None
    assert {"US-BIS-EL", "EU-UKR", "RUSSIA-EO14024"} <= set(e.programs)
    assert "Office of Foreign Assets Control" in e.properties["authorities"]
    assert {"ZALA", "CST"} <= {n.value for n in e.names if n.kind is NameKind.WEAK}


def test_zala_passport_property_and_numberless_passport_entity(zala: Parsed) -> None:
    lavrentiy = entry(zala, "NK-hUAjuiA3vTKXF6v2X6MYnS")
    assert Identifier(type="Passport", value="089132114") in lavrentiy.identifiers
    # The only Passport entity (holder NK-aU5y...) has no number: no identifier from it.
    zakharov = entry(zala, "NK-aU5ybkbRFJucf8YMwsJvDw")
    assert not [i for i in zakharov.identifiers if i.type == "Passport"]


def test_zala_non_target_companies_are_not_entries(zala: Parsed) -> None:
    ids = {e.id for e in zala.entries}
    for native in ("ru-inn-5920040846", "NK-56Edov9bas9puzaChH5pBy", "NK-9Xa4Kg7Y7nfccE7VcZt6Q6"):
        assert f"opensanctions:{native}" not in ids


def test_zala_ownership(samples: Path) -> None:
    edges = list(iter_ownership(samples / "zala" / "entities.ftm.json"))
    assert len(edges) == 14  # one per Ownership entity
    assert (
        "opensanctions:NK-nR5AXM9AVPq4pQaSPSaVam",
        "opensanctions:NK-abdzbEBkqyT29GyREbiURZ",
        49.0,
        "2016-03-29",
    ) in edges
    assert sum(1 for edge in edges if edge[2] is None) == 4  # no percentage given


def test_real_files_sniff(samples: Path) -> None:
    def sniffed(path: Path) -> list[str]:
        return [f.name for f in FORMATS if f.sniff(path, head_bytes(path))]

    assert sniffed(samples / "zala" / "entities.ftm.json") == ["ftm-json"]
    assert sniffed(samples / "t1" / "entities.ftm.json") == ["ftm-json"]
    for version in DELTA_VERSIONS:
        assert sniffed(samples / "t2" / version / "entities.delta.json") == ["ftm-delta"]
    assert sniffed(samples / "t2" / "delta.json") == []


def test_delta_index_is_refused(samples: Path) -> None:
    for fmt in FORMATS:
        with pytest.raises(SourceError, match="delta index"):
            fmt.parse(samples / "t2" / "delta.json")


def test_poltergeist_blank_name_falls_back_to_caption(deltas: dict[str, Parsed]) -> None:
    e = entry(deltas["20240528014702-pfh"], "NK-500Poltergeist")
    assert e.primary_name == "AL-QAIDA IN IRAQ"  # its only ``name`` value is ""


def test_delta_files_op_counts(
    deltas: dict[str, Parsed], delta_ops: dict[str, list[DeltaOp]]
) -> None:
    for version, expected in DELTA_VERSIONS.items():
        assert Counter(op.op for op in delta_ops[version]) == expected, version
        parsed = deltas[version]
        assert parsed.delta is True
        assert parsed.published == f"{version[:4]}-{version[4:6]}-{version[6:8]}"
        assert len(parsed.entries) == expected["ADD"] + expected["MOD"]
        assert len(parsed.deleted) == expected["DEL"]


def test_deltas_applied_in_order_are_consistent(
    deltas: dict[str, Parsed], delta_ops: dict[str, list[DeltaOp]]
) -> None:
    """ADD only new ids, MOD and DEL only known ones; the poltergeist comes and goes."""
    state: dict[str, Entry] = {}
    for version, parsed in deltas.items():
        for op in delta_ops[version]:
            known = f"opensanctions:{op.entity.id}" in state
            assert known == (op.op != "ADD"), (version, op.op, op.entity.id)
        for entry_id in parsed.deleted:
            del state[entry_id]
        state.update((e.id, e) for e in parsed.entries)
    assert sorted(state) == [
        "opensanctions:NK-2T3S8Hu29ktYnKSTgQp2wL",
        "opensanctions:NK-2sJaJRaPJcWUfMbHjTtWcL",
        "opensanctions:Q4365364",
    ]
    assert state["opensanctions:Q4365364"].primary_name == "Vladimir Nikolaevich PLOTNIKOV"
    # Added as "AL-QAIDA IN IRAQ", renamed by the MOD of 20240528014702-pfh.
    assert state["opensanctions:NK-2T3S8Hu29ktYnKSTgQp2wL"].primary_name == "Foobar Foobargroup"
