"""The rule window a finding rests on, and what an affiliate inherits (issue #12)."""

from __future__ import annotations

from datetime import date

from entityscreen.exportcontrol.affiliates import affiliate_terms, rule_window
from entityscreen.exportcontrol.legal import legal_facts
from entityscreen.exportcontrol.ownership import OwnershipGraph, aggregate_ownership
from entityscreen.exportcontrol.rules import get_rule
from entityscreen.model import Entry, LegalFacts, Name, Schema

BIS = get_rule("bis_affiliates")
OFAC = get_rule("ofac_50")


def el_entry(entry_id: str, requirement: str | None, policy: str | None) -> Entry:
    return Entry(
        id=entry_id,
        source="t",
        list="EL",
        schema=Schema.ORGANIZATION,
        names=(Name("Quorvane Photonics Co., Ltd."),),
        legal=LegalFacts(license_requirement=requirement, license_policy=policy),
    )


def test_after_the_suspension_the_window_assumes_it_was_not_extended() -> None:
    window = rule_window(BIS, date(2026, 12, 3))
    assert window.in_force_from == date(2026, 11, 10) and window.in_force_to is None
    texts = {a["text"]: a["verified"] for a in window.assumptions}
    assert texts["suspension 2025-11-10..2026-11-09 not extended; verify"] is False
    assert any("citation" in t and "unverified" in t for t in texts)
    assert window.verified is False
    assert window.to_dict()["verified"] is False


def test_during_and_before_the_suspension() -> None:
    during = rule_window(BIS, date(2026, 6, 1))
    assert during.in_force_from is None
    assert any("in force on 2026-06-01" in a["text"] for a in during.assumptions)
    before = rule_window(BIS, date(2025, 10, 1))
    assert (before.in_force_from, before.in_force_to) == (date(2025, 9, 29), date(2025, 11, 9))
    assert not any("not extended" in a["text"] for a in before.assumptions)


def test_ofac_window_assumes_nothing() -> None:
    window = rule_window(OFAC, date(2026, 12, 3))
    assert window.assumptions == () and window.verified
    assert window.in_force_from == date(2014, 8, 13)


def test_summary_states_the_assumption() -> None:
    graph = OwnershipGraph([("A", "T", 60, None, None)], names={"A": "A Co", "T": "T Ltd"})
    finding = aggregate_ownership(
        graph, "T", listed={"A": {"EL"}}, rule=BIS, as_of=date(2026, 12, 3)
    )
    assert finding is not None and finding.applies
    assert "not extended; verify" in finding.summary
    assert finding.to_dict()["window"]["in_force_from"] == "2026-11-10"


def test_affiliate_inherits_the_owners_own_terms() -> None:
    legal = legal_facts(
        el_entry("el:1", "For all items subject to the EAR.", "Presumption of denial.")
    )
    terms = affiliate_terms(BIS, [("Quorvane Photonics Co., Ltd.", "EL", legal)])
    assert terms is not None
    [item] = terms.terms
    assert item.requirement == "For all items subject to the EAR."
    assert item.policy == "Presumption of denial."
    assert "license exceptions" in item.license_exceptions.lower()
    assert item.verified is False and terms.verified is False
    assert terms.several_owners is None  # one owner
    data = terms.to_dict()
    assert data["terms"][0]["entry_id"] == "el:1" and data["citation"].startswith("90 FR 47201")


def test_an_entry_without_terms_gets_the_lists_and_several_owners_combine() -> None:
    bare = legal_facts(el_entry("el:2", None, None))
    full = legal_facts(el_entry("el:3", "For all items subject to the EAR.", "Case-by-case."))
    terms = affiliate_terms(BIS, [("Owner One", "EL", bare), ("Owner Two", "EL", full)])
    assert terms is not None
    first, second = terms.terms
    assert "see the owner's Entity List entry" in first.requirement
    assert second.policy == "Case-by-case."
    assert terms.several_owners and "most restrictive" in terms.several_owners
    assert terms.several_owners_verified is False
    assert any(line.startswith("several owners:") for line in terms.lines())


def test_sdn_744_8_owner_and_ofac_blocking() -> None:
    sdn = Entry(id="sdn:9", source="t", list="SDN", schema=Schema.ORGANIZATION, names=(Name("N"),))
    terms = affiliate_terms(BIS, [("N", "SDN-744.8", legal_facts(sdn))])
    assert terms is not None
    assert terms.terms[0].requirement.startswith("License required for all items")
    ofac = affiliate_terms(OFAC, [("N", "SDN", legal_facts(sdn))])
    assert ofac is not None and "blocked" in ofac.inherits and ofac.verified
    assert ofac.terms == ()
