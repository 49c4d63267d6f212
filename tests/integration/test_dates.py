"""Dates as the law reads them, and snapshot dates with staleness, on the real files
(issue #10): Huawei's effective date, Mahan Airways' denial order since 2008, an expired
DPL order, NetPosa's first listing, the 2022 CSL's inferred date and every list's age."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from entityscreen.exportcontrol import legal_facts, listing_status
from entityscreen.model import Entry, Party
from entityscreen.service import Screener
from entityscreen.service.serialize import list_status_to_dict
from entityscreen.sources import parse_file

#: The day the tests screen on: the 2022 CSL (dated 2022-04-21) is 1,687 days old then.
TODAY = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
CSL_DATE = date(2022, 4, 21)


@pytest.fixture(scope="module")
def csl(shared_data: Path) -> Path:
    return shared_data / "us_csl_2022-05" / "consolidated.csv.gz"


@pytest.fixture(scope="module")
def csl_entries(csl: Path) -> dict[tuple[str, str], Entry]:
    return {(e.list, e.primary_name): e for e in parse_file(csl).entries}


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory, csl: Path) -> Iterator[Screener]:
    home = tmp_path_factory.mktemp("dates") / "home"
    with Screener.open(home, clock=lambda: TODAY) as s:
        result = s.import_path(csl)
        assert result.ok, result.message
        yield s


def test_csl_2022_snapshot_is_dated_by_inference(screener: Screener) -> None:
    rows = {r.list: r for r in screener.list_status()}
    el = rows["EL"]
    assert el.snapshot.published == CSL_DATE.isoformat()
    assert el.snapshot.published_basis == (
        "inferred: newest start_date in the file (DPL entry); the file states no date and is "
        "at least this new"
    )
    assert el.age is not None
    assert (el.age.date, el.age.age_days, el.age.max_age_days, el.age.stale) == (
        CSL_DATE,
        (TODAY.date() - CSL_DATE).days,
        7,
        True,
    )
    data = list_status_to_dict(el)
    assert (data["date"], data["age_days"], data["stale"]) == ("2022-04-21", 1687, True)
    # Every list of the snapshot is shown with the same date and age.
    assert {r.age.age_days for r in rows.values() if r.age} == {1687}
    assert len(rows) == 13


def test_published_given_by_the_user_wins_over_inference(tmp_path: Path, shared_data: Path) -> None:
    with Screener.open(tmp_path / "home", clock=lambda: TODAY) as s:
        result = s.import_path(
            shared_data / "us_csl_2022-05" / "consolidated.csv.gz", published=date(2022, 5, 5)
        )
        assert result.snapshot is not None
        assert (result.snapshot.published, result.snapshot.published_basis) == (
            "2022-05-05",
            "given by the user (--published)",
        )
        assert "dated 2022-05-05 (given by the user (--published))" in result.message
        # The date in a mirror's folder name (ofac_sdn_2023-12-28/) dates the OFAC file.
        sdn = s.import_path(shared_data / "ofac_sdn_2023-12-28")
        assert sdn.snapshot is not None
        assert sdn.snapshot.published == "2023-12-28"
        assert (sdn.snapshot.published_basis or "").startswith("from the file's name")


def test_huawei_listed_from_the_effective_date(csl_entries: dict[tuple[str, str], Entry]) -> None:
    huawei = csl_entries[("EL", "Huawei Technologies Co., Ltd. (Huawei)")]
    assert huawei.legal.start_date == "2019-05-21"  # the CSL's: the publication date
    on_17 = listing_status(huawei, date(2019, 5, 17))
    assert on_17.listed is True
    assert on_17.evidence == (
        "entry's own earliest Federal Register date 2019-05-16 "
        "(84 FR 22961: published 2019-05-21, effective 2019-05-16)"
    )
    assert listing_status(huawei, date(2019, 5, 15)).listed is False


def test_huawei_screen_as_of_through_the_service(screener: Screener) -> None:
    party = Party(name="Huawei Technologies Co., Ltd.")
    listed = screener.screen(party, lists=["EL"], as_of=date(2019, 5, 17), limit=5)
    names = {h.match.listed_name for h in listed.hits}
    assert "Huawei Technologies Co., Ltd. (Huawei)" in names
    data = listed.to_dict()
    assert data["lists_used"][0]["date"] == "2022-04-21"
    assert data["lists_used"][0]["lists"] == ["EL"]
    assert data["warnings"] == [
        "us_csl is 1,687 days old (snapshot of 2022-04-21, inferred: newest start_date in the "
        "file (DPL entry); the file states no date and is at least this new), older than the "
        "7-day limit: update it"
    ]
    before = screener.screen(party, lists=["EL"], as_of=date(2019, 5, 15), limit=5)
    assert "Huawei Technologies Co., Ltd. (Huawei)" not in {
        h.match.listed_name for h in before.hits
    }
    assert "Huawei Technologies Co., Ltd. (Huawei)" in {
        h.match.listed_name for h in before.not_listed
    }
    record = before.audit_record()
    assert record["snapshot_dates"]["us_csl"]["date"] == "2022-04-21"
    assert record["stale"] == ["us_csl"]


def test_mahan_airways_under_a_denial_order_since_2008(
    csl_entries: dict[tuple[str, str], Entry], shared_data: Path
) -> None:
    mahan = csl_entries[("DPL", "MAHAN AIRWAYS")]
    assert mahan.legal.start_date == "2021-11-17"  # the CSL's: the latest renewal
    status = listing_status(mahan, date(2020, 1, 1))
    assert (status.listed, status.start) == (True, date(2008, 3, 21))
    summary = legal_facts(mahan, on=date(2020, 1, 1))
    assert summary.order is not None
    assert (summary.order.kind, summary.order.first_order) == (
        "temporary denial order",
        date(2008, 3, 21),
    )
    assert summary.verdict.startswith(
        "Denied Persons List: export privileges denied under a temporary denial order "
        "(standard terms), in force until 2022-05-16; first order 2008-03-21 (73 FR 15130), "
        "29 Federal Register notices, current order from 2021-11-17."
    )
    # BIS's own dpl.txt of 2023: the same first order, the Action column names the TDO.
    dpl = {
        e.primary_name: e for e in parse_file(shared_data / "bis_dpl_2023-11" / "dpl.txt").entries
    }
    own = legal_facts(dpl["MAHAN AIRWAYS"], on=date(2020, 1, 1))
    assert own.order is not None and own.order.kind == "temporary denial order"
    assert own.order.first_order == date(2008, 3, 21)
    assert listing_status(dpl["MAHAN AIRWAYS"], date(2020, 1, 1)).listed is True


def test_expired_dpl_order_reads_as_expired(csl_entries: dict[tuple[str, str], Entry]) -> None:
    karpenko = csl_entries[("DPL", "DMITRII KARPENKO")]
    summary = legal_facts(karpenko, on=TODAY.date())
    assert summary.order is not None and summary.order.expires == date(2022, 4, 28)
    assert "expired on 2022-04-28" in summary.verdict
    assert summary.verdict.endswith("export privileges no longer denied.")
    assert "expired" not in legal_facts(karpenko, on=date(2022, 4, 28)).verdict


def test_netposa_first_listed_from_the_entity_lists_own_citation(
    csl_entries: dict[tuple[str, str], Entry], shared_data: Path
) -> None:
    csl_netposa = csl_entries[("EL", "NetPosa")]
    assert csl_netposa.legal.start_date == "2019-10-09"
    el = shared_data / "nsfreg_us_restricted_lists_2026-07" / "bis_entity_list.json"
    ecfr = next(e for e in parse_file(el).entries if e.primary_name == "NetPosa")
    own = legal_facts(ecfr)
    assert own.first_listed is not None
    assert own.first_listed.date == date(2020, 6, 5)
    assert own.first_listed.cited == "85 FR 34505 (rule 85 FR 34503)"
    assert listing_status(ecfr, date(2020, 1, 1)).listed is False
    # The CSL's start_date against the Entity List's own citations: the disagreement shows.
    checked = legal_facts(
        Entry.from_dict(
            {**ecfr.to_dict(), "legal": {**ecfr.to_dict()["legal"], "start_date": "2019-10-09"}}
        )
    )
    assert checked.first_listed is not None and checked.first_listed.date == date(2020, 6, 5)
    assert checked.history is not None
    assert checked.history.notes == (
        "the list's start date 2019-10-09 is not backed by its Federal Register citations: "
        "first listed 2020-06-05 (85 FR 34505 (rule 85 FR 34503))",
    )


def test_batch_columns_and_json_name_each_lists_date(screener: Screener) -> None:
    from entityscreen.batch.io import InputRow
    from entityscreen.results import BATCH_EXTRA_COLUMNS, batch_rows

    assert BATCH_EXTRA_COLUMNS[-2:] == ("list_dates", "stale_lists")
    party = Party(name="Hangzhou Hikvision Digital Technology Co., Ltd.")
    [(row, result)] = list(screener.screen_rows([InputRow(1, "1", party)], lists=["EL"]))
    assert result is not None
    [first, *_] = batch_rows(row, result)
    assert first["list_dates"].startswith("us_csl (EL) snapshot 1 of 2022-04-21 (inferred:")
    assert first["stale_lists"] == "us_csl: 1687 days old (limit 7)"
    json.dumps(result.to_dict())  # JSON-ready


def test_cli_lists_and_screen_show_dates_and_ages(screener: Screener) -> None:
    from typer.testing import CliRunner

    from entityscreen.cli import app

    env = {"ENTITYSCREEN_HOME": str(screener.settings.home)}
    shown = CliRunner().invoke(app, ["lists"], env=env)
    assert shown.exit_code == 0, shown.output
    # The real clock runs here: the age is at least the 1,687 days of TODAY.
    assert "2022-04-21" in shown.output and "STALE" in shown.output
    assert (
        "us_csl snapshot 1: 2022-04-21, inferred: newest start_date in the file (DPL entry)"
        in shown.output
    )
    listed = CliRunner().invoke(app, ["lists", "--json"], env=env)
    rows = json.loads(listed.output)
    assert {r["date"] for r in rows} == {"2022-04-21"} and all(r["stale"] for r in rows)
    screened = CliRunner().invoke(
        app,
        ["screen", "Huawei Technologies Co., Ltd.", "--lists", "EL", "--as-of", "2019-05-17"],
        env=env,
    )
    assert screened.exit_code == 0, screened.output
    assert "84 FR 22961: published 2019-05-21, effective 2019-05-16" in screened.output
    assert "list us_csl (EL) snapshot 1 of 2022-04-21, inferred:" in screened.output
    assert "STALE us_csl is" in screened.output
