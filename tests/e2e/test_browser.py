"""The analyst web UI in a real headless Chromium (Selenium + Debian's chromium-driver)
against a real `entityscreen serve` on 127.0.0.1: sign in, screen "Hikvision" and see
the Entity List hit, decide an alert; screenshots go to test-artifacts/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
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
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        parties = home.parent / "parties.csv"
        parties.write_text("id,name\nC1,Oriental Engineers\nC2,Dart Aviation\n", encoding="utf-8")
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
    table = browser.find_element(By.ID, "alerts")
    rows = table.find_elements(By.CSS_SELECTOR, "tr[id^=alert-]")
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
    assert browser.find_element(By.ID, str(alert_id)).is_displayed()
    browser.save_screenshot(str(ARTIFACTS / "ui-alerts-decided.png"))

    for page, text in (
        ("/ui/entities/us_csl:EL:28e6392023655ca2", "License requirement".lower()),
        ("/ui/changes", "list changes"),
        ("/ui/about", "about the matcher"),
    ):
        browser.get(base + page)
        assert text in browser.page_source.lower(), page
        browser.save_screenshot(str(ARTIFACTS / f"ui-{page.split('/')[2]}.png"))

    # Every page fits its Content-Security-Policy: the browser refused nothing.
    console = [entry["message"] for entry in browser.get_log("browser")]
    assert not [m for m in console if "Content Security Policy" in m], console

    # Log out (a form with the CSRF token): the session is gone, the pages ask for a key.
    _submit(browser, browser.find_element(By.ID, "logout"))
    assert "/ui/login" in browser.current_url
    browser.get(f"{base}/ui/alerts")
    assert "/ui/login" in browser.current_url
