"""The web UI's alert queue and list changes (issue #14, item 6): alerts grouped by party
under the customer's own name with the party's verdict, searchable and paged; every form
field labelled; list changes name the entries and the parties they hit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from entityscreen.api import create_app
from entityscreen.service import Screener
from entityscreen.service.alert_queue import PARTIES_PER_PAGE

ROSNEFTS = 28  # more parties than a page holds


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Iterator[TestClient]:
    home = tmp_path_factory.mktemp("queue") / "home"
    with Screener.open(home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        rows = [f"R{i:02d},Rosneft Trade Ltd" for i in range(1, ROSNEFTS + 1)]
        rows += ["O1,Oriental Engineers Pvt Ltd", "D1,Dart Aviation Technics SARL"]
        parties = home.parent / "parties.csv"
        parties.write_text("id,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
        s.import_parties(parties)
        s.monitor()
        key = s.create_key("ann", "analyst", actor=s.operator)[1]
    with TestClient(create_app(home)) as client:
        assert client.post("/ui/login", data={"key": key}, follow_redirects=False).is_redirect
        yield client


def _alert_ids(page: str) -> list[str]:
    return re.findall(r'<tr id="alert-(\d+)">', page)


def _party_names(page: str) -> list[str]:
    return [m.strip() for m in re.findall(r'<h2 class="party-name">([^<]+)<', page)]


def test_the_queue_is_paged_by_party_and_says_so(setup: TestClient) -> None:
    client = setup
    with Screener.open(client.app.state.screener.settings.home) as s:  # type: ignore[attr-defined]
        stored = {str(a.id) for a in s.alerts(status="open")}
        parties = {a.party_id for a in s.alerts(status="open")}
    assert len(parties) == ROSNEFTS + 2
    first = client.get("/ui/alerts").text
    assert len(_party_names(first)) == PARTIES_PER_PAGE
    assert f"{len(stored)} alert(s) of {len(parties)} parties" in first
    assert "page 1 of 2" in first
    assert 'href="/ui/alerts?status=open&amp;q=&amp;list=&amp;page=2"' in first
    second = client.get("/ui/alerts", params={"page": "2"}).text
    assert "page 2 of 2" in second
    assert len(_party_names(second)) == len(parties) - PARTIES_PER_PAGE
    shown = _alert_ids(first) + _alert_ids(second)
    assert sorted(shown) == sorted(stored)  # every alert once, none on both pages
    # Most severe verdict first: the parties with an Entity List hit (LICENSE REQUIRED)
    # come before the Rosneft parties (an SSI hit: RESTRICTED).
    assert _party_names(first)[:2] == ["Dart Aviation Technics SARL", "Oriental Engineers Pvt Ltd"]


def test_a_party_group_has_the_customers_name_and_its_verdict(setup: TestClient) -> None:
    client = setup
    page = client.get("/ui/alerts", params={"q": "dart"}).text
    assert _party_names(page) == ["Dart Aviation Technics SARL"]
    section = page[page.index('<section class="party"') : page.index("</section>")]
    # The customer's own name heads the group (the listed name is "Dart Aviation").
    assert "customer id D1" in section
    assert re.search(r"<strong>LICENSE REQUIRED</strong> — Entity List match", section)
    # Its name match and its embargo flag are one group: two rows under one heading.
    assert len(_alert_ids(section)) == 2 and "Embargoed destination" in section
    rosneft = client.get("/ui/alerts", params={"q": "R07"}).text
    assert _party_names(rosneft) == ["Rosneft Trade Ltd"]
    assert "customer Rosneft Trade Ltd" in rosneft and "ROSNEFT TRADE LIMITED" in rosneft
    assert "<strong>RESTRICTED</strong>" in rosneft


def test_the_queue_is_searchable_by_name_list_and_status(setup: TestClient) -> None:
    client = setup
    oriental = client.get("/ui/alerts", params={"q": "oriental engineers"}).text
    assert _party_names(oriental) == ["Oriental Engineers Pvt Ltd"]
    by_list = client.get("/ui/alerts", params={"list": "SSI"}).text
    assert f"of {ROSNEFTS} parties" in by_list and "Dart Aviation" not in by_list
    assert '<option value="SSI" selected>' in by_list
    none = client.get("/ui/alerts", params={"status": "escalated"}).text
    assert 'id="empty"' in none
    every = client.get("/ui/alerts", params={"status": ""}).text
    assert "Alerts (all)" in every and "page 1 of 2" in every


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "x"}, "page must be a whole number from 1, got &#39;x&#39;"),
        ({"page": "0"}, "page must be a whole number from 1, got &#39;0&#39;"),
        ({"status": "nope"}, "unknown status &#39;nope&#39;; use one of open"),
    ],
)
def test_bad_filters_get_a_one_line_error(
    setup: TestClient, params: dict[str, str], message: str
) -> None:
    page = setup.get("/ui/alerts", params=params)
    assert page.status_code == 200 and message in page.text
    assert "Traceback" not in page.text and _alert_ids(page.text) == []


def test_a_page_past_the_last_shows_the_last(setup: TestClient) -> None:
    page = setup.get("/ui/alerts", params={"page": "99"}).text
    assert "page 2 of 2" in page


def test_list_changes_name_the_entries_and_the_parties_they_hit(setup: TestClient) -> None:
    page = setup.get("/ui/changes").text
    table = page[page.index('<table class="changes-hits">') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", table, re.S)
    rosneft = next(r for r in rows if "us_csl:SSI:18300" in r)
    # The entry by its name (linked), its list, and each party hit by its own name.
    assert '<a href="/ui/entities/us_csl:SSI:18300">ROSNEFT TRADE LIMITED</a>' in rosneft
    assert "<td>SSI</td>" in rosneft
    # 28 parties: the first ten, and a link to all of them in the alert queue.
    assert rosneft.count("Rosneft Trade Ltd <span") == 10 and "(R07)" in rosneft
    link = re.search(r'<a href="([^"]+)">and 18 more \(28 in all\) in the alert queue</a>', rosneft)
    assert link is not None
    queue = setup.get(link.group(1).replace("&amp;", "&")).text
    assert f"{ROSNEFTS} alert(s) of {ROSNEFTS} parties" in queue
    dart = next(r for r in rows if ">Dart Aviation</a>" in r)
    assert "Dart Aviation Technics SARL <span" in dart and "(D1)" in dart


def test_a_decision_returns_to_the_page_it_was_made_on(setup: TestClient) -> None:
    client = setup
    page = client.get("/ui/alerts", params={"list": "SSI", "page": "2"}).text
    [first, *_] = _alert_ids(page)
    csrf = re.search(r'name="csrf" value="(\w+)"', page)
    back = re.search(r'name="back" value="([^"]+)"', page)
    assert csrf and back
    done = client.post(
        f"/ui/alerts/{first}/decide",
        data={
            "verdict": "escalate",
            "reason": "check",
            "csrf": csrf.group(1),
            "back": back.group(1).replace("&amp;", "&"),
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/ui/alerts?status=open&q=&list=SSI&page=2"
    # The field cannot send the browser anywhere but the queue.
    [second, *_] = _alert_ids(client.get("/ui/alerts").text)
    elsewhere = client.post(
        f"/ui/alerts/{second}/decide",
        data={
            "verdict": "escalate",
            "reason": "check",
            "csrf": csrf.group(1),
            "back": "https://example.org/?status=open",
        },
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == "/ui/alerts"


def test_every_form_field_has_a_label(setup: TestClient) -> None:
    client = setup
    pages = [client.get(p).text for p in ("/ui/", "/ui/alerts", "/ui/changes", "/ui/lists")]
    client.cookies.clear()
    pages.append(client.get("/ui/login").text)
    for page in pages:
        labels = set(re.findall(r'<label for="([^"]+)"', page))
        for field in re.findall(r"<(?:input|select)\b[^>]*>", page):
            if 'type="hidden"' in field:
                continue
            found = re.search(r'\bid="([^"]+)"', field)
            assert found and found.group(1) in labels, field
    search = pages[0]
    assert '<select name="schema" id="schema">' in search and 'name="as_of"' in search
