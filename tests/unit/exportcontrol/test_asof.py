"""As-of-date listing: each rule of entityscreen.exportcontrol.asof."""

from __future__ import annotations

from datetime import date

from entityscreen.exportcontrol.asof import Basis, listing_status
from entityscreen.model import Entry, LegalFacts, Name, Schema


def entry(legal: LegalFacts, list_code: str = "EL") -> Entry:
    return Entry(
        id=f"test:{list_code}:1",
        source="test",
        list=list_code,
        schema=Schema.ORGANIZATION,
        names=(Name("Hangzhou Hikvision Digital Technology Co., Ltd."),),
        legal=legal,
    )


HIKVISION = entry(LegalFacts(federal_register="84 FR 54002; 85 FR 44159", start_date="2019-10-09"))
SDN = entry(LegalFacts(), "SDN")
SDN_SNAPSHOTS = [(date(2023, 12, 28), True), (date(2024, 5, 3), False)]


def test_not_listed_the_day_before_its_start_date() -> None:
    status = listing_status(HIKVISION, date(2019, 10, 8))
    assert status.listed is False
    assert status.basis is Basis.ENTRY_DATES
    assert status.evidence == "entry's own start date 2019-10-09 (84 FR 54002): not yet listed"


def test_listed_on_its_start_date() -> None:
    status = listing_status(HIKVISION, date(2019, 10, 9))
    assert status.listed is True
    assert status.evidence == "entry's own start date 2019-10-09 (84 FR 54002)"
    assert status.start == date(2019, 10, 9)


def test_a_later_snapshot_cannot_prove_absence_before() -> None:
    status = listing_status(
        HIKVISION, date(2020, 1, 1), snapshot_presence=[(date(2018, 1, 1), False)]
    )
    assert status.listed is True
    status = listing_status(
        HIKVISION, date(2019, 10, 8), snapshot_presence=[(date(2022, 5, 6), True)]
    )
    assert status.listed is False


def test_absent_from_a_snapshot_after_the_start_means_removed() -> None:
    status = listing_status(
        HIKVISION,
        date(2023, 1, 1),
        snapshot_presence=[(date(2021, 1, 1), True), (date(2022, 6, 1), False)],
    )
    assert status.listed is False
    assert status.basis is Basis.SNAPSHOTS
    assert "removed by 2022-06-01" in status.evidence


def test_present_in_a_snapshot_before_the_stated_start_wins() -> None:
    status = listing_status(
        HIKVISION, date(2019, 6, 1), snapshot_presence=[(date(2019, 5, 1), True)]
    )
    assert status.listed is True
    assert status.basis is Basis.SNAPSHOTS
    assert "conflicts with the entry's own start date 2019-10-09" in status.evidence


def test_sdn_without_dates_present_then_absent() -> None:
    status = listing_status(SDN, date(2024, 1, 15), snapshot_presence=SDN_SNAPSHOTS)
    assert status.listed is True
    assert status.basis is Basis.SNAPSHOTS
    assert status.evidence == "present in snapshot of 2023-12-28, absent from 2024-05-03"
    assert status.snapshot == date(2023, 12, 28)
    status = listing_status(SDN, date(2024, 5, 4), snapshot_presence=SDN_SNAPSHOTS)
    assert status.listed is False
    assert status.evidence == "present in snapshot of 2023-12-28, absent from 2024-05-03"
    assert status.snapshot == date(2024, 5, 3)


def test_no_dates_and_no_earlier_snapshot_is_unknown() -> None:
    status = listing_status(SDN, date(2023, 1, 1), snapshot_presence=SDN_SNAPSHOTS)
    assert status.listed is None
    assert status.basis is Basis.NONE
    assert "no snapshot of its source was taken on or before 2023-01-01" in status.evidence
    assert "present in snapshot of 2023-12-28" in status.evidence
    assert listing_status(SDN, date(2023, 1, 1)).listed is None


def test_snapshot_order_does_not_matter() -> None:
    reversed_order = list(reversed(SDN_SNAPSHOTS))
    assert listing_status(SDN, date(2024, 5, 4), snapshot_presence=reversed_order).listed is False


def test_end_date_in_the_past() -> None:
    dpl = entry(
        LegalFacts(
            federal_register="87 F.R. 52741 8/29/2022",
            start_date="2022-08-23",
            end_date="2025-08-23",
        ),
        "DPL",
    )
    assert listing_status(dpl, date(2025, 8, 23)).listed is True
    status = listing_status(dpl, date(2025, 8, 24))
    assert status.listed is False
    assert status.evidence == "entry's own end date 2025-08-23"
    assert listing_status(dpl, date(2022, 8, 22)).listed is False


def test_start_from_earliest_citation_date() -> None:
    dpl = entry(LegalFacts(federal_register="67 F.R. 56530 9/4/02 67 F.R. 10890 3/11/02"), "DPL")
    status = listing_status(dpl, date(2002, 3, 10))
    assert status.listed is False
    assert status.evidence == (
        "entry's own earliest Federal Register date 2002-03-11 (67 FR 10890): not yet listed"
    )
    assert listing_status(dpl, date(2002, 3, 11)).listed is True


def test_to_dict() -> None:
    data = listing_status(HIKVISION, date(2019, 10, 9)).to_dict()
    assert data == {
        "entry_id": "test:EL:1",
        "as_of": "2019-10-09",
        "listed": True,
        "basis": "entry_dates",
        "evidence": "entry's own start date 2019-10-09 (84 FR 54002)",
        "start": "2019-10-09",
        "end": None,
        "snapshot": None,
    }
