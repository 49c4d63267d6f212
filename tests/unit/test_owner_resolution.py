"""The strict owner bar (issue #12): which name matches say an owner *is* a listed party.

Invented listed parties, indexed by the real matcher; owners written as KYC and ERP
exports write them must resolve, and weak evidence (a typo, an acronym, one word, a
listing with a word the owner's name lacks, another legal form) must not.
"""

from __future__ import annotations

import pytest

from entityscreen.matching import MatchIndex
from entityscreen.model import Entry, Name, NameKind, Party, Schema
from entityscreen.service.owner_resolution import (
    OWNER_MATCH_THRESHOLD,
    identifier_value,
    strict_owner_match,
)

ENTRIES = [
    Entry(
        id="el:1",
        source="t",
        list="EL",
        schema=Schema.ORGANIZATION,
        names=(Name("Quorvane Photonics Co., Ltd."),),
        countries=("CN",),
    ),
    Entry(
        id="el:2",
        source="t",
        list="EL",
        schema=Schema.ORGANIZATION,
        names=(Name("Quorvane Photonics (UK) Co., Ltd."),),
        countries=("GB",),
    ),
    Entry(
        id="sdn:3",
        source="t",
        list="SDN",
        schema=Schema.ORGANIZATION,
        names=(Name("Velmora Shipping Joint Stock Company"),),
        countries=("RU",),
    ),
    Entry(
        id="sdn:4",
        source="t",
        list="SDN",
        schema=Schema.ORGANIZATION,
        names=(Name("BRASKOVIC GROUP"), Name("APT 38", NameKind.AKA), Name("APT", NameKind.AKA)),
    ),
    Entry(
        id="sdn:5",
        source="t",
        list="SDN",
        schema=Schema.ORGANIZATION,
        names=(Name("Zentrix Holding Limited"), Name("Zentrix", NameKind.AKA)),
    ),
]


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(ENTRIES)


def strict(index: MatchIndex, name: str) -> set[str]:
    found = index.screen(Party(name=name), threshold=OWNER_MATCH_THRESHOLD, limit=50)
    return {m.entry_id for m in found if strict_owner_match(m)}


@pytest.mark.parametrize(
    ("owner", "entries"),
    [
        ("Quorvane Photonics Co., Ltd.", {"el:1"}),
        ("QUORVANE PHOTONICS COMPANY LIMITED", {"el:1"}),  # legal forms compared as forms
        ("Quorvane Photonics Co Ltd", {"el:1"}),
        ("Velmora Shipping JSC", {"sdn:3"}),
        ("Zentrix Holding Ltd", {"sdn:5"}),
    ],
)
def test_listed_names_as_exports_write_them_resolve(
    index: MatchIndex, owner: str, entries: set[str]
) -> None:
    assert strict(index, owner) == entries


@pytest.mark.parametrize(
    "owner",
    [
        "Acme Photonics Trading Ltd",  # initials of ordinary words are no acronym
        "Quorvana Photonics Co., Ltd.",  # a typo is weak evidence for an owner
        "Velmora Shipping GmbH",  # another legal form
        "Velmora Shipping PJSC",  # a PJSC is not the listed JSC
        "Zentrix",  # one word
        "Quorvane Optics Co., Ltd.",  # a distinctive word differs
        "Braskovic Trading",  # one word in common
    ],
)
def test_weak_evidence_does_not_resolve(index: MatchIndex, owner: str) -> None:
    assert strict(index, owner) == set()


def test_a_listing_with_a_word_the_owner_lacks_is_another_listing(index: MatchIndex) -> None:
    # The screening matcher finds the UK listing too; the owner bar does not take it.
    loose = {m.entry_id for m in index.screen(Party(name="Quorvane Photonics Co., Ltd."))}
    assert "el:2" in loose
    assert strict(index, "Quorvane Photonics Co., Ltd.") == {"el:1"}


def test_identifier_values() -> None:
    assert identifier_value("ogrn:1027700132195") == "1027700132195"
    assert identifier_value("LEI: 5493001KJTIIGC8Y1R12") == "5493001KJTIIGC8Y1R12"
    assert identifier_value("5493001KJTIIGC8Y1R12") == "5493001KJTIIGC8Y1R12"  # check digits
    assert identifier_value("5493001KJTIIGC8Y1R13") is None
    assert identifier_value("C-17") is None and identifier_value("1027700132195") is None
    assert identifier_value("reg:12") is None  # too short to be evidence
