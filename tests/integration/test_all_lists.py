"""Issue #10's "Done means", with every list of ../shared/data loaded as ``scripts/run.sh``
loads it (``lists update --mirror``): dates and ages of every list, verdicts from the 2026
lists, dates as the law reads them, one hit per listing in the CLI, JSON, batch, API and
web UI, delisting from the authoritative source. Assertions are about which entries come
back and what they mean, not about scores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from entityscreen.api import create_app
from entityscreen.batch.io import InputRow
from entityscreen.cli import app
from entityscreen.model import Party
from entityscreen.results import ScreeningResult, batch_rows
from entityscreen.service import Screener

#: Every source the mirror holds (scripts/run.sh loads them all).
SOURCES = {
    "us_csl",
    "us_ofac_sdn",
    "us_ofac_cons",
    "us_bis_dpl",
    "un_sc",
    "uk_sanctions",
    "eu_journal",
    "opensanctions:eu_fsf",
    "opensanctions:zala",
    *(
        f"us_nsfreg_{code}"
        for code in (
            *("el", "meu", "dpl", "cmic", "eo14032", "1260h", "1286"),
            *("uflpa", "fcc", "dtc", "dtc_admin", "isn", "cbp_wro"),
        )
    ),
}


@pytest.fixture(scope="module")
def home(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("all") / "home"
    with Screener.open(path) as s:
        results = s.update_lists(mirror=shared_data)
        failed = [(r.source, r.message) for r in results if r.status == "failed"]
        assert not failed
    return path


@pytest.fixture(scope="module")
def screener(home: Path) -> Iterator[Screener]:
    with Screener.open(home) as s:
        yield s


def _listings(result: ScreeningResult) -> list[str]:
    """The entry of every hit and of every copy merged into it."""
    return [
        entry
        for hit in (*result.hits, *result.not_listed)
        for entry in (hit.match.entry_id, *(c.entry_id for c in hit.copies))
    ]


def test_every_list_is_loaded_with_its_date_and_age(screener: Screener) -> None:
    rows = screener.list_status()
    assert {r.source for r in rows} == SOURCES
    for r in rows:
        assert r.age is not None and r.age.basis, r.source
    by_source = {r.source: r.age for r in rows if r.age is not None}
    assert by_source["us_nsfreg_el"].date == date(2026, 7, 9)
    assert by_source["us_csl"].date == date(2022, 4, 21)
    assert by_source["us_csl"].basis.startswith("inferred: newest start_date")
    assert by_source["un_sc"].basis == "stated in the file"
    shown = CliRunner().invoke(
        app, ["lists"], env={"ENTITYSCREEN_HOME": str(screener.settings.home)}
    )
    assert shown.exit_code == 0, shown.output
    # the date column is never cut on an 80-column terminal
    assert "2026-07-09" in shown.output and "2022-04-21" in shown.output
    assert "…" not in shown.output


def test_hikvision_answers_from_the_2026_entity_list_with_its_date(screener: Screener) -> None:
    result = screener.screen(Party(name="Hikvision"))
    [el] = [h for h in result.hits if h.match.list == "EL"]
    assert el.match.source == "us_nsfreg_el"
    assert [c.source for c in el.copies] == ["us_csl"]
    assert el.snapshot is not None and el.snapshot[1] == "2026-07-09"
    assert el.legal.verdict.startswith("Entity List since 2019-10-09")
    [age] = [a for a in result.ages if a.source == "us_nsfreg_el"]
    assert age.date == date(2026, 7, 9) and age.stale
    # OFAC's NS-CMIC entry, the CSL's row of it and the nsfreg copy of the list (no
    # OFAC numbers) are one listing, not a live hit plus a "delisted" one.
    [cmic] = [h for h in result.hits if h.match.list == "CMIC"]
    assert {cmic.match.source, *(c.source for c in cmic.copies)} == {
        "us_nsfreg_cmic",
        "us_ofac_cons",
        "us_csl",
    }
    assert not cmic.delisted and not result.not_listed
    listings = _listings(result)
    assert len(listings) == len(set(listings))


def test_huawei_listed_from_the_effective_date_with_everything_loaded(
    screener: Screener,
) -> None:
    party = Party(name="Huawei Technologies Co., Ltd.")
    after = screener.screen(party, lists=["EL"], as_of=date(2019, 5, 17))
    [hit] = [h for h in after.hits if h.match.listed_name == "Huawei Technologies Co., Ltd."]
    assert hit.listing is not None and hit.listing.listed is True
    assert "effective 2019-05-16" in hit.listing.evidence
    before = screener.screen(party, lists=["EL"], as_of=date(2019, 5, 15))
    assert not before.hits
    names = {h.match.listed_name for h in before.not_listed}
    assert "Huawei Technologies Co., Ltd." in names


def test_mahan_airways_is_under_a_denial_order_on_2020_01_01(screener: Screener) -> None:
    result = screener.screen(Party(name="Mahan Airways"), as_of=date(2020, 1, 1))
    [hit] = [h for h in result.hits if h.match.list == "DPL"]
    assert hit.listing is not None and hit.listing.listed is True
    assert "2008-03-21" in hit.listing.evidence
    assert "denial order" in hit.legal.verdict
    # the three DPL copies (BIS 2023, nsfreg 2026, CSL 2022) are one hit
    assert {hit.match.source, *(c.source for c in hit.copies)} == {
        "us_bis_dpl",
        "us_nsfreg_dpl",
        "us_csl",
    }


def test_netposa_first_listed_2020_06_05_and_the_csl_disagreement_shown(
    screener: Screener,
) -> None:
    result = screener.screen(Party(name="NetPosa"))
    [el] = [h for h in result.hits if h.match.list == "EL"]
    assert el.match.source == "us_nsfreg_el"
    assert el.legal.verdict.startswith("Entity List since 2020-06-05")
    [csl] = el.copies
    assert "start date: us_nsfreg_el has 2020-06-05; us_csl has 2019-10-09" in csl.differences
    assert not result.not_listed  # the CMIC listing is live, merged across its two sources


def test_zidco_is_delisted_as_of_2024_05_04(screener: Screener) -> None:
    result = screener.screen(Party(name="ZIDCO Holdings"), as_of=date(2024, 5, 4))
    assert not [h for h in result.hits if "ZIDCO" in h.match.listed_name.upper()]
    [gone] = [h for h in result.not_listed if "ZIDCO" in h.match.listed_name.upper()]
    assert gone.listing is not None and gone.listing.listed is False


def test_batch_rows_name_each_listing_once(screener: Screener) -> None:
    parties = [Party(name=n) for n in ("Hikvision", "NetPosa", "Rosneft Trading S.A.")]
    rows = list(screener.screen_rows([InputRow(i, str(i), p) for i, p in enumerate(parties)]))
    for row, result in rows:
        assert result is not None
        out = batch_rows(row, result)
        entries = [r["entry_id"] for r in out if r["entry_id"]]
        assert len(entries) == len(set(entries)), row.party.name
        assert "us_nsfreg_el (EL) snapshot" in out[0]["list_dates"]
        assert "us_csl" in out[0]["stale_lists"]


@pytest.fixture(scope="module")
def client(home: Path) -> Iterator[tuple[TestClient, str]]:
    with Screener.open(home) as s:
        key = s.create_key("e2e", "analyst", actor=s.operator)[1]
    with TestClient(create_app(home)) as c:
        yield c, key


def test_api_json_names_each_listing_once_and_each_lists_date(
    client: tuple[TestClient, str],
) -> None:
    c, key = client
    body = {"party": {"name": "Hikvision"}}
    response = c.post("/screen", json=body, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    [result] = response.json()["results"]
    hits: list[dict[str, Any]] = result["matches"]
    entries = [h["entry_id"] for h in hits] + [a["entry_id"] for h in hits for a in h["also_in"]]
    assert len(entries) == len(set(entries))
    used = {u["source"]: u for u in result["lists_used"]}
    assert used["us_nsfreg_el"]["date"] == "2026-07-09" and used["us_nsfreg_el"]["stale"]
    assert any(w.startswith("us_csl is ") for w in result["warnings"])
    json.dumps(result)


def test_web_result_and_lists_page_show_dates_ages_and_stale_warnings(
    client: tuple[TestClient, str],
) -> None:
    c, key = client
    assert c.post("/ui/login", data={"key": key}, follow_redirects=False).status_code == 303
    page = c.get("/ui/", params={"name": "Hikvision"}).text
    assert 'id="lists-used"' in page
    assert "us_nsfreg_el" in page and "2026-07-09" in page and "STALE" in page
    assert "Stale list" in page and "older than the 7-day limit" in page
    # one row per listing: the CSL copy is named under the eCFR hit, not as its own row
    hits_table = page.split('id="hits"')[1].split("</table>")[0]
    assert hits_table.count("/ui/entities/us_nsfreg_el:") == 1
    assert "/ui/entities/us_csl:EL:" not in hits_table and "also us_csl EL" in hits_table
    lists = c.get("/ui/lists").text
    assert 'id="lists"' in lists
    assert "inferred: newest start_date in the file" in lists  # the CSL's date basis
    assert "stated in the file" in lists and "2022-04-21" in lists and "days" in lists
