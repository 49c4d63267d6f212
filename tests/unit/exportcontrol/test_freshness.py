"""Snapshot dates (stated, given, inferred, none) and list staleness."""

from __future__ import annotations

from datetime import date

import pytest

from entityscreen.exportcontrol.freshness import (
    IMPORT_DAY,
    STATED,
    age_limit,
    date_snapshot,
    snapshot_age,
)
from entityscreen.model import Snapshot

INFERRED = "inferred: newest start_date in the file (DPL entry)"


def snap(published: str | None, basis: str | None = None) -> Snapshot:
    return Snapshot(
        id=3,
        source="us_csl",
        fetched_at="2026-12-02T09:00:00+00:00",
        sha256="ab" * 32,
        entry_count=10,
        published=published,
        published_basis=basis,
    )


def test_date_snapshot_says_how_it_was_found() -> None:
    assert date_snapshot(snap("2023-12-28")) == (date(2023, 12, 28), STATED)
    assert date_snapshot(snap("2022-04-21", INFERRED)) == (date(2022, 4, 21), INFERRED)
    # No date: the import day stands in, and says so; never silently.
    assert date_snapshot(snap(None)) == (date(2026, 12, 2), IMPORT_DAY)
    assert date_snapshot(snap("not a date")) == (date(2026, 12, 2), IMPORT_DAY)


def test_age_and_staleness() -> None:
    age = snapshot_age(
        snap("2022-04-21", INFERRED), ["SDN", "EL", "EL"], today=date(2026, 12, 3), limits={}
    )
    assert (age.lists, age.age_days, age.max_age_days, age.stale) == (
        ("EL", "SDN"),
        1687,
        7,
        True,
    )
    assert age.label == "us_csl (EL, SDN) snapshot 3 of 2022-04-21"
    assert age.warning == (
        "us_csl is 1,687 days old (snapshot of 2022-04-21, inferred: newest start_date in the "
        "file (DPL entry)), older than the 7-day limit: update it"
    )
    data = age.to_dict()
    assert (data["date"], data["date_basis"], data["stale"]) == ("2022-04-21", INFERRED, True)
    fresh = snapshot_age(snap("2026-11-26"), ["EL"], today=date(2026, 12, 3), limits={})
    assert (fresh.age_days, fresh.stale, fresh.warning) == (7, False, None)


def test_age_limits_per_list() -> None:
    limits = {"UN": 30, "EL": 3}
    assert age_limit(["UN"], limits) == 30
    assert age_limit(["UN", "EL"], limits) == 3  # the strictest list of the snapshot
    assert age_limit(["SDN"], limits, default=10) == 10
    assert age_limit([], limits) == 7
    un = snapshot_age(snap("2026-11-10"), ["UN"], today=date(2026, 12, 3), limits=limits)
    assert (un.age_days, un.stale) == (23, False)


@pytest.mark.parametrize("published", ["2026-12-04", "2026-12-03"])
def test_no_negative_age(published: str) -> None:
    age = snapshot_age(snap(published), ["EL"], today=date(2026, 12, 3), limits={})
    assert age.age_days == 0
