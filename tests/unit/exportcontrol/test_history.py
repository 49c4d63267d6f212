"""Listing history: first listed from citations (effective dates), disagreements with the
list's start_date, and Denied Persons List orders (type, first order, expiry). Entries
are built inline from values the real files print (CSL 2022, eCFR 2026, dpl.txt 2023)."""

from __future__ import annotations

from datetime import date

from entityscreen.exportcontrol import legal_facts, listing_status
from entityscreen.exportcontrol.federal_register import parse_citations
from entityscreen.exportcontrol.history import is_temporary_denial, listing_history
from entityscreen.model import Entry, LegalFacts, Name, Schema

MAHAN_FR = (
    "73 F.R. 15130 3/21/08, 73 F.R. 43208 7/24/08, 73 F.R. 57052 10/1/2008, "
    "85 F.R. 34405 6/4/2020, 86 F.R. 28540 5/27/2021, 86 F.R. 66276 11/22/2021"
)


def entry(list_code: str, legal: LegalFacts, *, remarks: str | None = None) -> Entry:
    return Entry(
        id=f"test:{list_code}:1",
        source="test",
        list=list_code,
        schema=Schema.ORGANIZATION,
        names=(Name("Test Party"),),
        legal=legal,
        remarks=remarks,
    )


def history(e: Entry, *, citations_rule: bool = True):  # type: ignore[no-untyped-def]
    cited = parse_citations(e.legal.federal_register).citations
    return listing_history(e, cited, citations_rule=citations_rule)


def test_huawei_effective_before_publication() -> None:
    # CSL 2022: start_date is the publication date of 84 FR 22961.
    huawei = entry(
        "EL",
        LegalFacts(
            federal_register="84 FR 22961, 85 FR 29852, 85 FR 36720, 85 FR 51603",
            start_date="2019-05-21",
        ),
    )
    found = history(huawei)
    assert found.first_listed is not None
    assert found.first_listed.date == date(2019, 5, 16)
    assert found.first_listed.published == date(2019, 5, 21)
    assert found.first_listed.basis == "earliest Federal Register citation"
    assert found.notes == (
        "the list's start date 2019-05-21 is the publication date of 84 FR 22961, which took "
        "effect 2019-05-16",
    )
    # Dated events first (oldest first), then the undated citations.
    assert [e.citation.label for e in found.events][:1] == ["84 FR 22961"]
    assert [e.effective for e in found.events][1:] == [None, None, None]
    assert listing_status(huawei, date(2019, 5, 15)).listed is False
    on_17 = listing_status(huawei, date(2019, 5, 17))
    assert on_17.listed is True
    assert on_17.evidence == (
        "entry's own earliest Federal Register date 2019-05-16 "
        "(84 FR 22961: published 2019-05-21, effective 2019-05-16)"
    )


def test_netposa_start_date_not_backed_by_citations() -> None:
    # The Entity List cites 85 FR 34505 of 2020-06-05; the CSL's start_date says 2019-10-09.
    netposa = entry(
        "EL",
        LegalFacts(
            federal_register="85 FR 34505, 6/5/20.\n85 FR 44159, 7/22/20", start_date="2019-10-09"
        ),
    )
    summary = legal_facts(netposa)
    assert summary.first_listed is not None
    assert summary.first_listed.date == date(2020, 6, 5)
    assert summary.first_listed.cited == "85 FR 34505 (rule 85 FR 34503)"
    assert summary.history is not None
    assert summary.history.notes == (
        "the list's start date 2019-10-09 is not backed by its Federal Register citations: "
        "first listed 2020-06-05 (85 FR 34505 (rule 85 FR 34503))",
    )
    assert "Note: the list's start date 2019-10-09 is not backed" in summary.verdict
    assert listing_status(netposa, date(2020, 1, 1)).listed is False


def test_start_date_backed_by_a_citation_counts() -> None:
    # CSL 2022's own NetPosa row cites 84 FR 54004 too: its start date is backed.
    cited = "84 FR 54004; 85 FR 34505; 85 FR 44159"
    csl_row = entry("EL", LegalFacts(federal_register=cited, start_date="2019-10-09"))
    found = history(csl_row)
    assert found.first_listed is not None
    assert (found.first_listed.date, found.first_listed.basis) == (date(2019, 10, 9), "start date")
    assert found.notes == ()
    # An undated citation of the start's year backs it too (no rule known for 87 FR 20299).
    backed = entry("EL", LegalFacts(federal_register="87 FR 20299", start_date="2022-04-07"))
    first = history(backed).first_listed
    assert first is not None and first.date == date(2022, 4, 7)


def test_other_lists_take_the_earlier_date() -> None:
    # A measure takes effect before its notice is published: the start date stands.
    isn = entry(
        "ISN", LegalFacts(federal_register="Vol. 88, No. 151, 08/08/2023", start_date="2023-07-19")
    )
    found = history(isn, citations_rule=False)
    assert found.first_listed is not None
    assert found.first_listed.date == date(2023, 7, 19)
    assert found.first_listed.basis == "start date"
    assert found.notes == ()


def test_mahan_airways_temporary_denial_order() -> None:
    # CSL 2022: Effective_Date is the latest renewal; the first order is of 2008.
    mahan = entry(
        "DPL",
        LegalFacts(
            federal_register=MAHAN_FR,
            start_date="2021-11-17",
            end_date="2022-05-16",
            standard_order="Y",
        ),
        remarks="EFFECTIVE & EXPIRATION DATE CORRECTED & F.R. NOTICE UPDATED, TDO RENEWAL",
    )
    in_2020 = legal_facts(mahan, on=date(2020, 1, 1))
    assert in_2020.order is not None
    assert in_2020.order.kind == "temporary denial order"
    assert in_2020.order.first_order == date(2008, 3, 21)
    assert in_2020.order.current_from == date(2021, 11, 17)
    assert in_2020.order.orders == 6
    assert in_2020.verdict == (
        "Denied Persons List: export privileges denied under a temporary denial order "
        "(standard terms), in force until 2022-05-16; first order 2008-03-21 (73 FR 15130), "
        "6 Federal Register notices, current order from 2021-11-17."
    )
    status = listing_status(mahan, date(2020, 1, 1))
    assert (status.listed, status.start) == (True, date(2008, 3, 21))
    later = legal_facts(mahan, on=date(2022, 5, 17))
    assert later.verdict.startswith(
        "Denied Persons List: temporary denial order (standard terms), expired on 2022-05-16;"
    )
    assert later.verdict.endswith("export privileges no longer denied.")
    assert later.to_dict()["expired"] is True
    assert legal_facts(mahan).to_dict()["expired"] is None  # no day, no judgement


def test_denial_order_type() -> None:
    # dpl.txt puts "TDO RENEWAL" in Action; a standard order says nothing of the kind.
    tdo = entry("DPL", LegalFacts(action="F.R. NOTICE ADDED, TDO RENEWAL ADDED"))
    assert is_temporary_denial(tdo)
    assert not is_temporary_denial(entry("DPL", LegalFacts(action="50 YEAR DENIAL")))
    standard = legal_facts(
        entry(
            "DPL",
            LegalFacts(
                federal_register="87 F.R. 52741 8/29/2022",
                start_date="2022-08-24",
                end_date="2026-01-14",
                standard_order="Y",
                action="F.R. NOTICE ADDED",
            ),
        ),
        on=date(2026, 7, 1),
    )
    assert standard.order is not None and standard.order.kind == "denial order"
    assert standard.verdict == (
        "Denied Persons List: denial order (standard terms), expired on 2026-01-14; first "
        "order 2022-08-24 (87 FR 52741); export privileges no longer denied."
    )
