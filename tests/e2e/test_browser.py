"""The analyst web UI in a real headless Chromium (Selenium + Debian's chromium-driver)
against a real `entityscreen serve` on 127.0.0.1: sign in, screen "Hikvision" and see
the Entity List hit, decide an alert, page and search the alert queue, open every page
and Swagger UI at /docs; a screenshot of every page goes to test-artifacts/ (git-ignored:
kept by the run, never committed). Every page must fit its Content-Security-Policy."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from entityscreen.service import Screener

from ._server import live_server

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Iterator[tuple[str, str]]:
    home = tmp_path_factory.mktemp("ui") / "home"
    with Screener.open(home) as s:
        # An older snapshot without two of today's entries, so that the list changes
        # page has a diff and a chart to show.
        lines = (fixtures / "csl" / "consolidated.csv").read_text(encoding="utf-8").splitlines()
        older = home.parent / "older.csv"
        older.write_text(
            "\n".join(line for line in lines if "ROSNEFT" not in line and "I. ASH" not in line),
            encoding="utf-8",
        )
        assert s.import_path(older, published=date(2023, 1, 2)).ok
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        parties = home.parent / "parties.csv"
        # Enough customers hitting the lists for two pages of the alert queue.
        rows = ["C1,Oriental Engineers", "C2,Dart Aviation"]
        rows += [f"R{i:02d},Rosneft Trade Ltd" for i in range(1, 31)]
        parties.write_text("id,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
        s.import_parties(parties)
        s.monitor()
        key = s.create_key("ui-analyst", "analyst", actor=s.operator)[1]
    with live_server(home) as base:
        yield base, key


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP reports
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    # A click that submits a form returns before the next page has loaded; on a busy CI
    # machine a find_element straight after it raced the navigation. Every lookup now
    # waits up to 20 s for its element, and each submit waits for the old page to go.
    driver.implicitly_wait(20)
    try:
        yield driver
    finally:
        driver.quit()


def _submit(browser: object, button: object) -> None:
    """Click a submit button and wait until the browser has left the page it was on."""
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    assert isinstance(browser, WebDriver) and isinstance(button, WebElement)
    page = browser.find_element("tag name", "html")
    button.click()
    WebDriverWait(browser, 20).until(expected_conditions.staleness_of(page))


def test_search_and_decide_in_a_browser(server: tuple[str, str], browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    base, key = server
    ARTIFACTS.mkdir(exist_ok=True)
    browser.get(f"{base}/ui/")
    assert "/ui/login" in browser.current_url  # no cookie yet: asked for a key
    browser.save_screenshot(str(ARTIFACTS / "ui-login.png"))
    browser.find_element(By.ID, "key").send_keys(key)
    _submit(browser, browser.find_element(By.ID, "login"))

    # The stylesheet is a file the Content-Security-Policy allows (no inline styles).
    header = browser.find_element(By.TAG_NAME, "header")
    assert header.value_of_css_property("background-color") == "rgba(31, 59, 115, 1)"
    browser.find_element(By.ID, "name").send_keys("Hikvision")
    _submit(browser, browser.find_element(By.ID, "screen"))
    summary = browser.find_element(By.ID, "summary").text
    assert "match(es)" in summary and "Hikvision" in summary
    hits = browser.find_element(By.ID, "hits").text
    assert "Hangzhou Hikvision Digital Technology" in hits
    assert "Entity List since 2019-10-09 (84 FR 54002)" in hits
    assert "Section 889" in browser.page_source
    browser.save_screenshot(str(ARTIFACTS / "ui-search-hikvision.png"))

    browser.get(f"{base}/ui/alerts")
    # Grouped by party under the customer's own name, with its verdict; paged.
    groups = browser.find_elements(By.CSS_SELECTOR, "section.party")
    assert len(groups) == 25 and "page 1 of 2" in browser.find_element(By.ID, "totals").text
    first_group = groups[0].text
    assert first_group.startswith("Dart Aviation") and "LICENSE REQUIRED" in first_group
    browser.save_screenshot(str(ARTIFACTS / "ui-alerts.png"))
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "nav#pages a[rel=next]"))
    assert "page 2 of 2" in browser.find_element(By.ID, "totals").text
    browser.save_screenshot(str(ARTIFACTS / "ui-alerts-page-2.png"))
    browser.get(f"{base}/ui/alerts")
    browser.find_element(By.ID, "q").send_keys("oriental")
    _submit(browser, browser.find_element(By.ID, "filter"))
    [group] = browser.find_elements(By.CSS_SELECTOR, "section.party")
    assert group.find_element(By.TAG_NAME, "h2").text.startswith("Oriental Engineers")
    browser.save_screenshot(str(ARTIFACTS / "ui-alerts-search.png"))
    rows = group.find_elements(By.CSS_SELECTOR, "tr[id^=alert-]")
    assert rows, "the monitor run raised alerts"
    first = rows[0]
    alert_id = first.get_attribute("id")
    first.find_element(By.NAME, "reason").send_keys("different company: checked address")
    _submit(browser, first.find_element(By.CSS_SELECTOR, "button[value=false-positive]"))
    assert "/ui/alerts" in browser.current_url
    remaining = [
        r.get_attribute("id") for r in browser.find_elements(By.CSS_SELECTOR, "tr[id^=alert-]")
    ]
    assert alert_id not in remaining
    browser.get(f"{base}/ui/alerts?status=false-positive")
    assert "Oriental Engineers" in browser.find_element(By.CSS_SELECTOR, "section.party h2").text
    assert browser.find_element(By.ID, str(alert_id)).is_displayed()
    browser.save_screenshot(str(ARTIFACTS / "ui-alerts-decided.png"))

    for page, text, shot in (
        ("/ui/entities/us_csl:EL:28e6392023655ca2", "license requirement", "ui-entity"),
        ("/ui/changes", "additions and removals per snapshot", "ui-changes"),
        ("/ui/lists", "loaded lists", "ui-lists"),
        ("/ui/about", "about the matcher", "ui-about"),
        ("/ui/?name=Nothing+Like+A+Listed+Name", "no match", "ui-search-clear"),
    ):
        browser.get(base + page)
        assert text in browser.page_source.lower(), page
        browser.save_screenshot(str(ARTIFACTS / f"{shot}.png"))

    # /docs: Swagger UI from this server (no CDN) renders the API's operations.
    browser.get(f"{base}/docs")
    assert browser.find_elements(By.CSS_SELECTOR, ".opblock"), "Swagger UI did not render"
    assert "/screen" in browser.find_element(By.ID, "swagger-ui").text
    browser.save_screenshot(str(ARTIFACTS / "api-docs.png"))
    browser.get(f"{base}/")
    assert browser.current_url.rstrip("/").endswith("/ui")  # signed in: the search page
    browser.get(f"{base}/ui/")

    # Every page fits its Content-Security-Policy: the browser refused nothing.
    console = [entry["message"] for entry in browser.get_log("browser")]
    assert not [m for m in console if "Content Security Policy" in m], console

    # Log out (a form with the CSRF token): the session is gone, the pages ask for a key.
    _submit(browser, browser.find_element(By.ID, "logout"))
    assert "/ui/login" in browser.current_url
    browser.get(f"{base}/ui/alerts")
    assert "/ui/login" in browser.current_url
