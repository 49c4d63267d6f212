"""Rule windows from data/rules.yml, applied by date."""

from __future__ import annotations

from datetime import date

import pytest

from entityscreen.exportcontrol.rules import (
    Rule,
    Suspension,
    get_rule,
    load_program_codes,
    load_rules,
)


def test_packaged_rules() -> None:
    rules = load_rules()
    assert set(rules) == {"ofac_50", "bis_affiliates", "ndaa_889_affiliates"}
    bis = rules["bis_affiliates"]
    assert bis.citation == "90 FR 47201"
    assert bis.effective_from == date(2025, 9, 29)
    assert bis.suspensions == (
        Suspension(
            date(2025, 11, 10),
            date(2026, 11, 9),
            "Federal Register Vol. 90, No. 216 (2025-11-12)",
            verified=False,
        ),
    )
    assert bis.owner_lists == {"EL", "MEU", "SDN-744.8"}
    assert rules["ofac_50"].owner_lists == {"SDN"}
    assert all(rule.threshold == 50 for rule in rules.values())


@pytest.mark.parametrize(
    ("as_of", "in_force", "reason"),
    [
        (
            date(2025, 9, 28),
            False,
            "not yet in force on 2025-09-28 (effective 2025-09-29, 90 FR 47201)",
        ),
        (date(2025, 10, 15), True, "in force since 2025-09-29 (90 FR 47201)"),
        (
            date(2025, 12, 1),
            False,
            "suspended from 2025-11-10 to 2026-11-09 (Federal Register Vol. 90, No. 216 "
            "(2025-11-12))",
        ),
        (
            date(2026, 11, 10),
            True,
            "in force again since 2026-11-10 after its suspension from 2025-11-10 to "
            "2026-11-09 (90 FR 47201)",
        ),
    ],
)
def test_affiliates_rule_status(as_of: date, in_force: bool, reason: str) -> None:
    status = get_rule("bis_affiliates").status(as_of)
    assert (status.in_force, status.reason) == (in_force, reason)


def test_an_extension_is_a_data_change() -> None:
    rule = get_rule("bis_affiliates")
    extended = Rule(
        **{
            **{name: getattr(rule, name) for name in Rule.__dataclass_fields__},
            "suspensions": (Suspension(date(2025, 11, 10), None),),
        }
    )
    status = extended.status(date(2030, 1, 1))
    assert not status.in_force
    assert status.reason == "suspended from 2025-11-10 until further notice"


def test_effective_to() -> None:
    rule = Rule(
        "r",
        "R",
        "X",
        "cite",
        True,
        50,
        frozenset({"SDN"}),
        "x",
        date(2020, 1, 1),
        date(2020, 12, 31),
    )
    assert rule.status(date(2020, 12, 31)).in_force
    assert not rule.status(date(2021, 1, 1)).in_force


def test_unknown_rule() -> None:
    with pytest.raises(KeyError, match="unknown rule 'nope'; known: bis_affiliates"):
        get_rule("nope")


def test_program_codes() -> None:
    (code,) = load_program_codes()
    assert (code.code, code.list) == ("SDN-744.8", "SDN")
    assert "NPWMD" in code.programs


def test_to_dict() -> None:
    data = get_rule("bis_affiliates").to_dict()
    assert data["suspensions"] == [
        {
            "from": "2025-11-10",
            "to": "2026-11-09",
            "citation": "Federal Register Vol. 90, No. 216 (2025-11-12)",
        }
    ]
