"""The pure conversions behind the yente-compatible API (entityscreen/service/yente.py;
issue #14, item 3): queries normalised as yente echoes them, entries as FtM entities."""

from __future__ import annotations

from datetime import date

import pytest

from entityscreen.errors import InputError
from entityscreen.model import Entry, Identifier, Name, NameKind, Schema
from entityscreen.service.yente import (
    Seen,
    candidate_ids,
    entity_dict,
    ftm_schema,
    ftm_time,
    normalise_example,
    party_from_example,
    yente_id,
)

SDN = Entry(
    id="us_ofac_sdn:7001",
    source="us_ofac_sdn",
    list="SDN",
    schema=Schema.PERSON,
    names=(Name("TESTOV, Ivan Petrovich"), Name("Ivan Testov", NameKind.AKA),
           Name("The Tester", NameKind.WEAK)),
    countries=("IR",),
    identifiers=(Identifier("Passport", "A1234567"), Identifier("National ID No.", "00123")),
    birth_dates=("1960-01-12",),
    programs=("IRAN", "SDGT"),
)


def test_query_echoed_normalised() -> None:
    props = normalise_example(
        "Person",
        {"name": "  Vladimir Putin ", "country": "Russia", "nationality": ["RU", "ru"],
         "birthDate": ["1952-10-07T00:00:00"], "notes": [None, {"x": 1}, 5]},
    )
    assert props == {"name": ["Vladimir Putin"], "country": ["ru"],
                     "nationality": ["ru"], "birthDate": ["1952-10-07"], "notes": ["5"]}
    with pytest.raises(InputError, match="unknown country 'Narnia'"):
        normalise_example("Person", {"name": ["X"], "country": ["Narnia"]})


def test_schema_as_ftm_spells_it() -> None:
    assert ftm_schema("person") == "Person" and ftm_schema("PublicBody") == "PublicBody"
    with pytest.raises(InputError, match=r"^Cannot parse example entity: unknown schema 'xxx'"):
        ftm_schema("xxx")


def test_party_from_example() -> None:
    party = party_from_example(
        "Company",
        {"name": ["Acme", "Acme Ltd"], "jurisdiction": ["cn"], "registrationNumber": ["91"]},
        "my-id",
    )
    assert (party.name, party.aliases, party.country, party.id) == (
        "Acme", ("Acme Ltd",), "cn", "my-id"
    )
    assert party.schema == Schema.ORGANIZATION and party.identifiers == ("91",)
    with pytest.raises(InputError, match="needs a 'name'"):
        party_from_example("Person", {"country": ["ru"]}, None)


def test_entry_as_ftm_entity() -> None:
    seen = Seen(ftm_time(date(2024, 5, 3)), ftm_time("2024-06-01T10:00:00+00:00"), None)
    data = entity_dict(SDN, seen=seen)
    assert data["id"] == "us_ofac_sdn:7001" and data["schema"] == "Person"
    assert data["datasets"] == ["us_ofac_sdn"] and data["target"] is True
    props = data["properties"]
    assert props["name"] == ["TESTOV, Ivan Petrovich"] and props["alias"] == ["Ivan Testov"]
    assert props["weakAlias"] == ["The Tester"] and props["country"] == ["ir"]
    assert props["passportNumber"] == ["A1234567"] and props["idNumber"] == ["00123"]
    assert props["programId"] == ["IRAN", "SDGT"] and props["topics"] == ["sanction"]
    assert (data["first_seen"], data["last_seen"]) == ("2024-05-03T00:00:00",
                                                       "2024-06-01T10:00:00")


def test_copies_merge_into_datasets_and_referents() -> None:
    copy = Entry(id="us_csl:SDN:7001", source="us_csl", list="SDN", schema=Schema.PERSON,
                 names=(Name("TESTOV, Ivan Petrovich"),))
    data = entity_dict(SDN, copies=[copy])
    assert data["datasets"] == ["us_ofac_sdn", "us_trade_csl"]
    assert data["referents"] == ["us_csl:SDN:7001"]


def test_opensanctions_ids() -> None:
    assert yente_id("opensanctions:Q7747") == "Q7747"
    assert yente_id("us_ofac_sdn:1") == "us_ofac_sdn:1"
    assert candidate_ids("Q7747") == ["Q7747", "opensanctions:Q7747"]
    assert candidate_ids("us_ofac_sdn:1") == ["us_ofac_sdn:1"]
