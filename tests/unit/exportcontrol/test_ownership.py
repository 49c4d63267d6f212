"""Ownership aggregation on small graphs of our own making."""

from __future__ import annotations

from datetime import date

import pytest

from entityscreen.exportcontrol.ownership import (
    OwnershipEdge,
    OwnershipGraph,
    aggregate_ownership,
    find_cycles,
    format_percent,
    listing_codes,
    read_edge,
)
from entityscreen.exportcontrol.rules import get_rule
from entityscreen.model import Entry, Name, Schema

DAY = date(2024, 1, 1)
OFAC = get_rule("ofac_50")
BIS = get_rule("bis_affiliates")


def test_chain_counts_the_intermediate_in_full() -> None:
    """A (SDN) owns 60% of B, B owns 60% of C: B is blocked, so C is owned 60% via B."""
    graph = OwnershipGraph([("A", "B", 60, None, None), ("B", "C", 60, None, None)])
    finding = aggregate_ownership(graph, "C", listed={"A": {"SDN"}}, rule=OFAC, as_of=DAY)
    assert finding is not None
    assert finding.total == 60
    assert finding.applies
    (path,) = finding.paths
    assert (path.owner_id, path.share, path.listed) == ("B", 60, ())
    assert [(p.owner_id, p.share, p.listed) for p in path.via] == [("A", 60, ("SDN",))]
    assert finding.summary.startswith(
        "C: owned 60% (via B 60% (itself owned 60% by A 60%)) by blocked persons (OFAC SDN): "
        "at or above 50%, OFAC 50 Percent Rule applies"
    )
    assert finding.problems == ()


def test_no_multiplication_through_a_party_that_does_not_count() -> None:
    graph = OwnershipGraph([("A", "B", 40, None, None), ("B", "C", 100, None, None)])
    finding = aggregate_ownership(graph, "C", listed={"A": {"SDN"}}, rule=OFAC, as_of=DAY)
    assert finding is not None
    assert finding.total == 0
    assert not finding.applies
    assert len(finding.notes) == 1
    assert finding.notes[0].startswith("A (SDN) is an indirect owner")


def test_aggregation_across_listed_owners() -> None:
    graph = OwnershipGraph(
        [("X", "T", 35, None, None), ("Y", "T", 25, None, None), ("Z", "T", 40, None, None)],
        names={"X": "X Corp", "Y": "Y Ltd", "T": "Target Co"},
    )
    finding = aggregate_ownership(
        graph, "T", listed={"X": {"EL"}, "Y": {"EL"}}, rule=BIS, as_of=date(2025, 10, 15)
    )
    assert finding is not None
    assert finding.total == 60
    assert finding.applies
    assert finding.listed_codes == {"EL"}
    assert finding.summary.startswith(
        "Target Co: owned 60% (via X Corp 35% + Y Ltd 25%) by parties on the Entity List: "
        "at or above 50%, BIS Affiliates rule applies"
    )


def test_below_the_threshold() -> None:
    graph = OwnershipGraph([("X", "T", 35, None, None), ("Y", "T", 14.5, None, None)])
    finding = aggregate_ownership(
        graph, "T", listed={"X": {"SDN"}, "Y": {"SDN"}}, rule=OFAC, as_of=DAY
    )
    assert finding is not None
    assert finding.total == 49.5
    assert not finding.applies
    assert finding.summary.endswith("below 50%, OFAC 50 Percent Rule does not apply.")


def test_only_the_rules_lists_count() -> None:
    graph = OwnershipGraph([("X", "T", 60, None, None)])
    assert aggregate_ownership(graph, "T", listed={"X": {"EL"}}, rule=OFAC, as_of=DAY) is None
    assert aggregate_ownership(graph, "T", listed={}, rule=OFAC, as_of=DAY) is None
    assert aggregate_ownership(graph, "nobody", listed={"X": {"SDN"}}, rule=OFAC, as_of=DAY) is None


def test_cycle_is_reported_and_does_not_loop() -> None:
    graph = OwnershipGraph(
        [
            ("A", "B", 60, None, None),
            ("B", "C", 50, None, None),
            ("C", "B", 30, None, None),
            ("C", "C", 5, None, None),
        ]
    )
    finding = aggregate_ownership(graph, "C", listed={"A": {"SDN"}}, rule=OFAC, as_of=DAY)
    assert finding is not None
    assert finding.total == 50
    assert finding.applies
    cycles = [p for p in finding.problems if p.startswith("ownership cycle")]
    assert cycles == [
        "ownership cycle: C -> B -> C (each party counted once)",
        "ownership cycle: C -> C (each party counted once)",
    ]


def test_cycle_of_unlisted_parties_terminates() -> None:
    graph = OwnershipGraph(
        [("B", "C", 60, None, None), ("C", "B", 60, None, None), ("A", "B", 30, None, None)]
    )
    finding = aggregate_ownership(graph, "C", listed={"A": {"SDN"}}, rule=OFAC, as_of=DAY)
    assert finding is not None
    assert finding.total == 0
    assert any(p.startswith("ownership cycle") for p in finding.problems)


def test_find_cycles_each_once() -> None:
    owners = {
        "C": {"B": OwnershipEdge("B", "C", 50)},
        "B": {"C": OwnershipEdge("C", "B", 50)},
    }
    assert find_cycles(owners, "C") == [["C", "B", "C"]]


def test_missing_percentage_is_unknown_not_zero() -> None:
    graph = OwnershipGraph([("X", "T", 30, None, None), ("Y", "T", None, None, None)])
    finding = aggregate_ownership(
        graph, "T", listed={"X": {"SDN"}, "Y": {"SDN"}}, rule=OFAC, as_of=DAY
    )
    assert finding is not None
    assert finding.total == 30
    assert finding.unknown_shares == ("Y",)
    assert finding.undetermined
    assert not finding.applies
    assert "share unknown: Y owns an unknown share of T; excluded from the total" in (
        finding.problems
    )
    assert "plus share unknown held by Y" in finding.summary
    assert "undetermined" in finding.summary


def test_missing_percentage_of_an_unlisted_owner_is_not_a_problem() -> None:
    graph = OwnershipGraph([("X", "T", 60, None, None), ("W", "T", None, None, None)])
    finding = aggregate_ownership(graph, "T", listed={"X": {"SDN"}}, rule=OFAC, as_of=DAY)
    assert finding is not None
    assert finding.problems == ()


def test_totals_over_100_are_reported_and_capped() -> None:
    graph = OwnershipGraph(
        [("X", "T", 80, None, None), ("Y", "T", 70, None, None), ("Z", "T", 10, None, None)]
    )
    finding = aggregate_ownership(
        graph, "T", listed={"X": {"SDN"}, "Y": {"SDN"}}, rule=OFAC, as_of=DAY
    )
    assert finding is not None
    assert finding.total == 100
    assert "shares in T add up to 160% (more than 100%: conflicting or double-counted data)" in (
        finding.problems
    )
    assert "listed ownership of T adds up to 150%: capped at 100%" in finding.problems


def test_edges_after_as_of_are_ignored() -> None:
    graph = OwnershipGraph(
        [
            OwnershipEdge("X", "T", 30, "registry", date(2020, 1, 1)),
            OwnershipEdge("Y", "T", 30, "registry", date(2024, 6, 1)),
        ]
    )
    listed = {"X": {"SDN"}, "Y": {"SDN"}}
    before = aggregate_ownership(graph, "T", listed=listed, rule=OFAC, as_of=DAY)
    after = aggregate_ownership(graph, "T", listed=listed, rule=OFAC, as_of=date(2024, 7, 1))
    assert before is not None and after is not None
    assert (before.total, after.total) == (30, 60)
    assert "Y -> T dated 2024-06-01, after 2024-01-01: ignored" in before.problems


def test_duplicate_edges_keep_the_latest() -> None:
    graph = OwnershipGraph(
        [
            ("X", "T", 30, "registry A", "2019-01-01"),
            ("X", "T", 55, "registry B", "2022-03-01"),
        ]
    )
    finding = aggregate_ownership(graph, "T", listed={"X": {"SDN"}}, rule=OFAC, as_of=DAY)
    assert finding is not None
    assert finding.total == 55
    assert finding.problems == (
        "2 edges for X -> T (30% from registry A of 2019-01-01, 55% from registry B of "
        "2022-03-01): the latest was used",
    )


@pytest.mark.parametrize(
    ("as_of", "in_force"),
    [
        (date(2025, 9, 28), False),
        (date(2025, 9, 29), True),
        (date(2025, 10, 15), True),
        (date(2025, 11, 10), False),
        (date(2025, 12, 1), False),
        (date(2026, 11, 9), False),
        (date(2026, 11, 10), True),
    ],
)
def test_affiliates_rule_window(as_of: date, in_force: bool) -> None:
    graph = OwnershipGraph([("X", "T", 35, None, None), ("Y", "T", 25, None, None)])
    finding = aggregate_ownership(
        graph, "T", listed={"X": {"EL"}, "Y": {"MEU"}}, rule=BIS, as_of=as_of
    )
    assert finding is not None
    assert finding.total == 60
    assert finding.reaches_threshold
    assert finding.in_force is in_force
    assert finding.applies is in_force


def test_suspended_summary_says_why() -> None:
    graph = OwnershipGraph([("X", "T", 60, None, None)])
    finding = aggregate_ownership(
        graph, "T", listed={"X": {"EL"}}, rule=BIS, as_of=date(2025, 12, 1)
    )
    assert finding is not None
    assert "does not apply on 2025-12-01 (suspended from 2025-11-10 to 2026-11-09" in (
        finding.summary
    )
    again = aggregate_ownership(
        graph, "T", listed={"X": {"EL"}}, rule=BIS, as_of=date(2026, 11, 10)
    )
    assert again is not None
    assert "in force again since 2026-11-10" in again.rule_status


def test_mixed_lists_are_named() -> None:
    graph = OwnershipGraph([("X", "T", 35, None, None), ("Y", "T", 25, None, None)])
    finding = aggregate_ownership(
        graph, "T", listed={"X": {"EL"}, "Y": {"MEU"}}, rule=BIS, as_of=date(2025, 10, 15)
    )
    assert finding is not None
    assert finding.summary.startswith(
        "T: owned 60% (via X 35% (Entity List) + Y 25% (Military End-User List)) by parties "
        "on the Entity List and parties on the Military End-User List"
    )


def test_to_dict() -> None:
    graph = OwnershipGraph([("A", "B", 60, None, None), ("B", "C", 60, None, None)])
    finding = aggregate_ownership(graph, "C", listed={"A": {"SDN"}}, rule=OFAC, as_of=DAY)
    assert finding is not None
    data = finding.to_dict()
    assert data["applies"] is True
    assert data["paths"][0]["via"][0]["owner_id"] == "A"
    assert data["rule"] == "ofac_50"


def test_listing_codes_from_programs() -> None:
    sdn = Entry(
        id="x",
        source="s",
        list="SDN",
        schema=Schema.ORGANIZATION,
        names=(Name("N"),),
        programs=("NPWMD", "IFSR"),
    )
    assert listing_codes(sdn) == {"SDN", "SDN-744.8"}
    el = Entry(id="y", source="s", list="EL", schema=Schema.ORGANIZATION, names=(Name("N"),))
    assert listing_codes(el) == {"EL"}


def test_sdn_under_744_8_counts_for_bis() -> None:
    graph = OwnershipGraph([("S", "T", 50, None, None)])
    finding = aggregate_ownership(
        graph, "T", listed={"S": {"SDN", "SDN-744.8"}}, rule=BIS, as_of=date(2025, 10, 1)
    )
    assert finding is not None
    assert finding.applies
    assert (
        aggregate_ownership(graph, "T", listed={"S": {"SDN"}}, rule=BIS, as_of=date(2025, 10, 1))
        is None
    )


def test_read_edge_and_format() -> None:
    assert read_edge(("a", "b", 50, "src", "2019")).date is None
    assert read_edge(("a", "b", 50, "src", "2019-05-01")).date == date(2019, 5, 1)
    assert read_edge(("a", "b", 50, "src", "garbage-xx")).date is None
    assert format_percent(35.0) == "35%"
    assert format_percent(100 / 3) == "33.33%"
