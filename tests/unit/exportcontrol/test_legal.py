"""Legal summaries and verdicts of entries built inline from real CSL values."""

from __future__ import annotations

from datetime import date

from entityscreen.exportcontrol.federal_register import parse_citations
from entityscreen.exportcontrol.legal import (
    choose_citation,
    find_first_listed,
    legal_facts,
    parse_entry_date,
    read_standard_order,
)
from entityscreen.exportcontrol.license import PolicyKind, RequirementKind
from entityscreen.model import Entry, LegalFacts, Name, Schema

POLICY_2019 = (
    "Case-by-case review for ECCNs 1A004.c, 1A004.d, 1A995, 1A999.a, 1D003, 2A983, 2D983, "
    "and 2E983, and for EAR99 items described in the Note to ECCN 1A995; case-by-case review "
    "for items necessary to detect, identify and treat infectious disease; and presumption of "
    "denial for all other items subject to the EAR."
)


def entry(list_code: str, legal: LegalFacts, *, programs: tuple[str, ...] = ()) -> Entry:
    return Entry(
        id=f"test:{list_code}:1",
        source="test",
        list=list_code,
        schema=Schema.ORGANIZATION,
        names=(Name("Test Party"),),
        programs=programs,
        legal=legal,
    )


HIKVISION = entry(
    "EL",
    LegalFacts(
        license_requirement="For all items subject to the EAR. (See §744.11 of the EAR)",
        license_policy=POLICY_2019,
        federal_register="84 FR 54002; 85 FR 44159",
        start_date="2019-10-09",
    ),
)


def test_entity_list_verdict_presumption_of_denial() -> None:
    summary = legal_facts(
        entry(
            "EL",
            LegalFacts(
                license_requirement="For all items subject to the EAR. (See §744.11 of the EAR)",
                license_policy="Presumption of denial.",
                federal_register="84 FR 54002",
                start_date="2019-10-09",
            ),
        )
    )
    assert summary.verdict == (
        "Entity List since 2019-10-09 (84 FR 54002): a license is required for all items "
        "subject to the EAR; review policy: presumption of denial."
    )


def test_entity_list_mixed_policy_summary() -> None:
    summary = legal_facts(HIKVISION)
    assert summary.list_code == "EL"
    assert summary.list_name == "Entity List"
    assert summary.requirement_kind is RequirementKind.ALL_ITEMS_SUBJECT_TO_EAR
    assert summary.policy_kind is PolicyKind.MIXED
    assert summary.policy_text == POLICY_2019
    assert summary.eccns[:2] == ("1A004.c", "1A004.d")
    assert [c.label for c in summary.citations] == ["84 FR 54002", "85 FR 44159"]
    assert summary.first_listed is not None
    assert summary.first_listed.date == date(2019, 10, 9)
    assert summary.first_listed.basis == "start date"
    assert summary.verdict == (
        "Entity List since 2019-10-09 (84 FR 54002): a license is required for all items "
        "subject to the EAR; review policy: mixed — case-by-case for ECCNs 1A004.c, 1A004.d, "
        "1A995, 1A999.a, 1D003, 2A983, 2D983, and 2E983, and for EAR99 items described in the "
        "Note to ECCN 1A995; case-by-case for items necessary to detect, identify and treat "
        "infectious disease; presumption of denial for all other items subject to the EAR."
    )


def test_entity_list_fdp_sentence() -> None:
    summary = legal_facts(
        entry(
            "EL",
            LegalFacts(
                license_requirement=(
                    "For all items subject to the EAR. (See §§734.9(g),3 746.8(a)(3), and "
                    "744.21(b) of the EAR.)"
                ),
                license_policy="Policy of denial. See §§ 746.8(b) and 744.21(e).",
                federal_register="87 FR 20299",
                start_date="2022-04-07",
            ),
        )
    )
    assert summary.verdict == (
        "Entity List since 2022-04-07 (87 FR 20299): a license is required for all items "
        "subject to the EAR; review policy: policy of denial. Foreign Direct Product rules: "
        "footnote 3, § 734.9(g): Russia/Belarus-Military End User FDP rule (footnote 3 "
        "entities)."
    )
    assert [m.footnote for m in summary.fdp_markers] == [3]


def test_meu_verdict() -> None:
    summary = legal_facts(
        entry(
            "MEU",
            LegalFacts(
                license_requirement=(
                    "For any item subject to the EAR listed in supplement no. 2 to part 744."
                ),
                license_policy=(
                    "The license application procedure and license review policy for entities "
                    "specified in supplement no. 2 to part 744 is specified in §744.21(d) and (e)."
                ),
                federal_register="85 FR 83799",
                start_date="2020-12-23",
            ),
        )
    )
    assert summary.verdict == (
        "Military End-User List since 2020-12-23 (85 FR 83799): a license is required for "
        "items subject to the EAR listed in supplement no. 2 to part 744; review policy: the "
        "license application procedure and license review policy for entities specified in "
        "supplement no. 2 to part 744 is specified in §744.21(d) and (e)."
    )


def test_uvl_verdict() -> None:
    summary = legal_facts(entry("UVL", LegalFacts()))
    assert summary.verdict.startswith("Unverified List: no license requirement of its own")
    assert "744.15" in summary.verdict


def test_dpl_verdict() -> None:
    summary = legal_facts(
        entry(
            "DPL",
            LegalFacts(
                federal_register="68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06 72 F.R. 4236 1/30/07",
                start_date="2003-06-19",
                end_date="2056-06-29",
                standard_order="Y",
            ),
        )
    )
    assert summary.verdict == (
        "Denied Persons List: export privileges denied under a denial order (standard terms), "
        "in force until 2056-06-29; first order 2003-06-19 (68 FR 38290), 3 Federal Register "
        "notices."
    )
    assert summary.standard_order is True
    assert summary.end_date == date(2056, 6, 29)


def test_dpl_without_end_or_order() -> None:
    summary = legal_facts(entry("DPL", LegalFacts(federal_register="87 F.R. 52741 8/29/2022")))
    assert summary.first_listed is not None
    assert summary.first_listed.basis == "earliest Federal Register citation"
    assert summary.verdict == (
        "Denied Persons List: export privileges denied under a denial order, no expiry "
        "stated; first order 2022-08-29 (87 FR 52741)."
    )


def test_sdn_verdict() -> None:
    summary = legal_facts(entry("SDN", LegalFacts(), programs=("IRAN", "SDGT")))
    assert summary.verdict == (
        "OFAC SDN (programs: IRAN, SDGT): blocked; US persons may not deal with this party "
        "without an OFAC license."
    )
    assert summary.programs == ("IRAN", "SDGT")
    assert summary.requirement is None
    assert summary.first_listed is None


def test_generic_verdicts() -> None:
    un = legal_facts(entry("UN", LegalFacts(start_date="2006-10-14"), programs=("DPRK",)))
    assert un.verdict == (
        "UN Security Council Consolidated List (UN Security Council) since 2006-10-14 "
        "(programs: DPRK): listed; the measures that apply depend on the list and its "
        "programs (see the source)."
    )
    unknown = legal_facts(entry("XYZ", LegalFacts()))
    assert unknown.verdict.startswith("XYZ: listed;")


def test_to_dict_is_json_ready() -> None:
    data = legal_facts(HIKVISION).to_dict()
    assert data["requirement"] == "all_items_subject_to_ear"
    assert data["policy"] == "mixed"
    assert data["first_listed"] == "2019-10-09"
    assert data["citations"][0]["text"] == "84 FR 54002"
    assert len(data["policy_parts"]) == 3


def test_first_listed_rules() -> None:
    citations = parse_citations("67 F.R. 56530 9/4/02 67 F.R. 10890 3/11/02").citations
    e = entry("DPL", LegalFacts())
    first = find_first_listed(e, citations)
    assert first is not None
    assert (first.date, first.citation.label if first.citation else None) == (
        date(2002, 3, 11),
        "67 FR 10890",
    )
    assert choose_citation(citations, date(1999, 1, 1)) is None
    assert parse_entry_date("2019") is None
    assert parse_entry_date("2019-10-09") == date(2019, 10, 9)
    assert read_standard_order("y") is True
    assert read_standard_order("N") is False
    assert read_standard_order(None) is None
