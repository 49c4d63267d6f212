"""OFAC legacy CSV adapters on the real files in ../shared/data (each parsed once)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from entityscreen.model import Address, Entry, Identifier, Name, NameKind, Schema
from entityscreen.sources.base import Parsed
from entityscreen.sources.ofac import CONS_CSV, SDN_CSV

pytestmark = pytest.mark.slow

KINDS = {"aka": NameKind.AKA, "fka": NameKind.FKA, "nka": NameKind.NKA}


@pytest.fixture(scope="module")
def sdn_2023(shared_data: Path) -> Parsed:
    return SDN_CSV.parse(shared_data / "ofac_sdn_2023-12-28")


@pytest.fixture(scope="module")
def sdn_2024(shared_data: Path) -> Parsed:
    return SDN_CSV.parse(shared_data / "ofac_sdn_2024-05-03" / "sdn.csv")


@pytest.fixture(scope="module")
def cons(shared_data: Path) -> Parsed:
    return CONS_CSV.parse(shared_data / "ofac_consolidated_nonsdn")


def by_id(parsed: Parsed) -> dict[str, Entry]:
    return {e.id: e for e in parsed.entries}


def raw_rows(path: Path) -> list[list[str]]:
    """The file's rows read with nothing but the csv module (an independent reading)."""
    text = path.read_bytes().decode("cp1252").rstrip("\x1a\r\n")
    return list(csv.reader(io.StringIO(text, newline="")))


def alias_count(parsed: Parsed) -> int:
    return sum(len(e.names) - 1 for e in parsed.entries)


# --- SDN 2023-12-28: the full set -----------------------------------------------------------


def test_sdn_2023_counts_and_files(sdn_2023: Parsed, shared_data: Path) -> None:
    directory = shared_data / "ofac_sdn_2023-12-28"
    assert len(sdn_2023.entries) == 13_821
    assert len({e.id for e in sdn_2023.entries}) == 13_821
    assert sdn_2023.files == tuple(
        directory / n for n in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
    )
    assert sdn_2023.published is None
    assert Counter(e.schema for e in sdn_2023.entries) == {
        Schema.PERSON: 6_646,
        Schema.ORGANIZATION: 6_033,
        Schema.VESSEL: 764,
        Schema.AIRCRAFT: 378,
    }


def test_sdn_2023_comments_for_absent_entries_are_warnings(sdn_2023: Parsed) -> None:
    assert sdn_2023.warnings == [
        f"sdn_comments.csv line {line}: ent_num {n} is not in the primary file; ignored"
        for line, n in ((1, 12300), (2, 15599), (3, 15600))
    ]


def test_sdn_2023_every_alt_row_is_an_alias(sdn_2023: Parsed, shared_data: Path) -> None:
    alt = raw_rows(shared_data / "ofac_sdn_2023-12-28" / "alt.csv")
    assert len(alt) == 17_091
    entries = by_id(sdn_2023)
    for ent_num, _alt_num, alt_type, alt_name, _remarks in alt:
        names = entries[f"us_ofac_sdn:{ent_num}"].names
        assert Name(" ".join(alt_name.split()), KINDS[alt_type]) in names
    # 17,091 alt.csv rows + 3,391 a.k.a.s found only in remarks.
    assert alias_count(sdn_2023) == 17_091 + 3_391


def test_sdn_2023_every_non_empty_address_row_is_kept(sdn_2023: Parsed, shared_data: Path) -> None:
    add = raw_rows(shared_data / "ofac_sdn_2023-12-28" / "add.csv")
    assert len(add) == 18_990
    non_empty = [r for r in add if any(c.strip() != "-0-" for c in r[2:])]
    assert sum(len(e.addresses) for e in sdn_2023.entries) == len(non_empty)


def test_banco_nacional_de_cuba(sdn_2023: Parsed) -> None:
    bank = by_id(sdn_2023)["us_ofac_sdn:306"]
    assert bank.primary_name == "BANCO NACIONAL DE CUBA"
    assert bank.schema is Schema.ORGANIZATION
    assert bank.list == "SDN"
    assert bank.programs == ("CUBA",)
    assert Name("NATIONAL BANK OF CUBA", NameKind.AKA) in bank.names
    assert Name("BNC", NameKind.AKA) in bank.names
    assert (
        Address(
            full="Zweierstrasse 35, Zurich CH-8022, Switzerland",
            street="Zweierstrasse 35",
            city="Zurich CH-8022",
            country="CH",
        )
        in bank.addresses
    )
    assert bank.countries == ("CH", "ES", "JP", "PA")


def test_individual_with_remarks_fields(sdn_2023: Parsed) -> None:
    # sdn.csv 19689: "DOB 27 Oct 1971; POB Bahawalnagar, Pakistan; alt. POB Lahore, Punjab
    # Province, Pakistan; nationality Pakistan; Passport ZG4109521 (Pakistan) issued 07 Jun
    # 2008 expires 06 Jun 2013; National ID No. ...; Linked To: LASHKAR E-TAYYIBA."
    person = by_id(sdn_2023)["us_ofac_sdn:19689"]
    assert person.primary_name == "QAMAR, Naveed"
    assert person.schema is Schema.PERSON
    assert person.programs == ("SDGT",)
    assert person.birth_dates == ("1971-10-27",)
    assert person.birth_places == ("Bahawalnagar, Pakistan", "Lahore, Punjab Province, Pakistan")
    assert person.nationalities == ("PK",)
    assert person.identifiers == (
        Identifier("Passport", "ZG4109521", "PK", issued="2008-06-07", expires="2013-06-06"),
        Identifier("National ID No.", "4220149109527", "PK"),
        Identifier("National ID No.", "35171469484", "PK"),
    )
    assert person.linked_to == ("LASHKAR E-TAYYIBA",)
    assert Name("KHAN, Naveed Qamar", NameKind.AKA) in person.names
    assert person.addresses[0].country == "PK"


def test_remarks_continue_in_sdn_comments(sdn_2023: Parsed) -> None:
    # sdn.csv cuts 17018's remarks at 1,000 characters inside "Listing Date (EO 14024
    # Directive 3)"; sdn_comments.csv continues with ": 24 Feb 2022; ...".
    sberbank = by_id(sdn_2023)["us_ofac_sdn:17018"]
    assert sberbank.remarks is not None
    assert len(sberbank.remarks) > 1_000
    assert "Listing Date (EO 14024 Directive 3): 24 Feb 2022" in sberbank.remarks
    assert Identifier("Tax ID No.", "7707083893", "RU") in sberbank.identifiers
    lazarus = by_id(sdn_2023)["us_ofac_sdn:28263"]
    assert Name("snowsjohn", NameKind.AKA) in lazarus.names  # a.k.a. split across the files
    assert lazarus.linked_to == ("LAZARUS GROUP",)


def test_linked_names_ending_in_a_period_are_kept_when_listed(sdn_2023: Parsed) -> None:
    primaries = {e.primary_name for e in sdn_2023.entries}
    linked = [name for e in sdn_2023.entries for name in e.linked_to]
    assert len(linked) == 5_966
    dotted = [name for name in linked if name.endswith(".")]
    assert dotted
    assert all(name in primaries for name in dotted if name.endswith(("S.A.", "LTD.")))


# --- SDN 2024-05-03: primary file only --------------------------------------------------------


def test_sdn_2024_counts(sdn_2024: Parsed, shared_data: Path) -> None:
    assert len(sdn_2024.entries) == 14_965
    assert sdn_2024.files == (shared_data / "ofac_sdn_2024-05-03" / "sdn.csv",)
    assert sdn_2024.warnings == []
    # No alt.csv: every alias comes from the remarks' a.k.a. items.
    assert alias_count(sdn_2024) == 3_663


def test_snapshots_differ_by_removed_and_added_entries(sdn_2023: Parsed, sdn_2024: Parsed) -> None:
    """2023-12-28 -> 2024-05-03: 112 ent_nums removed, 1,256 added (13,821 - 112 + 1,256
    = 14,965). The store's diff test compares its own result with these sizes."""
    old = {e.id for e in sdn_2023.entries}
    new = {e.id for e in sdn_2024.entries}
    removed, added = old - new, new - old
    assert (len(removed), len(added)) == (112, 1_256)
    assert len(old) - len(removed) + len(added) == len(new)
    assert "us_ofac_sdn:10610" in removed


# --- consolidated (non-SDN) list ------------------------------------------------------------


def test_cons_counts_and_lists(cons: Parsed, shared_data: Path) -> None:
    directory = shared_data / "ofac_consolidated_nonsdn"
    assert len(cons.entries) == 442
    assert cons.files == tuple(
        directory / n
        for n in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")
    )
    assert cons.warnings == []
    assert Counter(e.list for e in cons.entries) == {
        "SSI": 286,
        "PLC": 78,
        "CMIC": 68,
        "MBS": 9,
        "CAP": 1,
    }
    assert all(e.id.startswith("us_ofac_cons:") for e in cons.entries)


def test_cons_aliases_match_cons_alt(cons: Parsed, shared_data: Path) -> None:
    alt = raw_rows(shared_data / "ofac_consolidated_nonsdn" / "cons_alt.csv")
    assert len(alt) == 1_073
    entries = by_id(cons)
    for ent_num, _alt_num, alt_type, alt_name, _remarks in alt:
        assert (
            Name(" ".join(alt_name.split()), KINDS[alt_type])
            in entries[f"us_ofac_cons:{ent_num}"].names
        )
    assert alias_count(cons) == 1_073 + 72  # + a.k.a.s found only in remarks


def test_cons_entries(cons: Parsed) -> None:
    entries = by_id(cons)
    plc = entries["us_ofac_cons:9647"]
    assert (plc.list, plc.programs, plc.schema) == ("PLC", ("SDGT", "NS-PLC"), Schema.PERSON)
    assert plc.birth_dates == ("1945",)
    assert plc.nationalities == ("PS",)
    assert plc.linked_to == ("HAMAS",)
    bank = entries["us_ofac_cons:17014"]  # remarks continue in cons_comments.csv
    assert bank.list == "SSI"
    assert bank.properties["lists"] == ("SSI", "MBS")
    assert Identifier("Registration Number", "1027700342890", "RU") in bank.identifiers
    assert entries["us_ofac_cons:15268"].list == "CAP"
    assert entries["us_ofac_cons:31695"].list == "MBS"


def test_sniffing_real_files(shared_data: Path) -> None:
    sdn_dir = shared_data / "ofac_sdn_2023-12-28"
    cons_dir = shared_data / "ofac_consolidated_nonsdn"
    assert SDN_CSV.sniff(sdn_dir, b"")
    assert not CONS_CSV.sniff(sdn_dir, b"")
    assert CONS_CSV.sniff(cons_dir, b"")
    assert not SDN_CSV.sniff(cons_dir, b"")
    head = (sdn_dir / "sdn.csv").read_bytes()[:4096]
    assert SDN_CSV.sniff(Path("renamed.csv"), head)
