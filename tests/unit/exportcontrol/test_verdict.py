"""One verdict per party (issue #14, item 1): the most severe consequence found with
strong evidence, weak hits as REVIEW, expired denial orders and Country Groups left out."""

from __future__ import annotations

from datetime import date

from entityscreen.exportcontrol.flags_base import Flag
from entityscreen.exportcontrol.verdict import HitFact, Level, party_verdict

TODAY = date(2026, 12, 3)


def flag(code: str, *, alerts: bool = True) -> Flag:
    return Flag(code, "x", f"{code} title", f"{code} reason", ("cite",), "name", alerts=alerts)


def test_nothing_is_clear() -> None:
    verdict = party_verdict([], on=TODAY)
    assert verdict.level is Level.CLEAR and verdict.label == "CLEAR" and not verdict.basis


def test_the_most_severe_strong_hit_decides_and_the_rest_are_counted() -> None:
    hits = [
        HitFact("CMIC", "ACME TECH", 0.99),
        HitFact("EL", "Acme Technology Co., Ltd.", 1.0),
        HitFact("SDN", "ACME TECHNOLOGIES", 0.95),
    ]
    verdict = party_verdict(hits, on=TODAY)
    assert verdict.label == "BLOCKED"
    assert verdict.reason.startswith("Specially Designated Nationals")
    assert "(and 2 more)" in verdict.reason and len(verdict.basis) == 3


def test_weak_hits_alone_are_review_and_are_named_beside_a_stronger_verdict() -> None:
    weak = HitFact("SDN", "ACME TRADING", 0.78)
    assert party_verdict([weak], on=TODAY).label == "REVIEW"
    verdict = party_verdict([weak, HitFact("EL", "Acme Optics", 0.97)], on=TODAY)
    assert verdict.label == "LICENSE REQUIRED"
    assert "to review: possible Specially Designated Nationals" in verdict.reason


def test_an_expired_denial_order_denies_nothing() -> None:
    expired = HitFact("DPL", "JOHN DOE", 1.0, end_date=date(2020, 1, 1))
    assert party_verdict([expired], on=TODAY).label == "CLEAR"
    active = HitFact("DPL", "JOHN DOE", 1.0, end_date=date(2030, 1, 1))
    assert party_verdict([active], on=TODAY).label == "DENIED"


def test_flags_count_by_what_they_mean_and_country_groups_do_not() -> None:
    assert party_verdict([], flags=[flag("EMBARGO")], on=TODAY).label == "LICENSE REQUIRED"
    assert party_verdict([], flags=[flag("RU_BY")], on=TODAY).label == "LICENSE REQUIRED"
    assert party_verdict([], flags=[flag("NDAA889")], on=TODAY).label == "RESTRICTED"
    group = flag("COUNTRY_GROUP", alerts=False)
    assert party_verdict([], flags=[group], on=TODAY).label == "CLEAR"
