"""End to end in Debian's headless Chromium: a counter calls next, the TV shows the number and plays the
call, the citizen's phone page shows "called". Screenshots go to docs/screenshots/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import requests

from display import settings
from kiosk import queue
from tests.conftest import bearer

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("TAMBON_CHROMIUM", "/usr/bin/chromium")
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def shots(tmp_path):
    """docs/screenshots when TAMBON_UPDATE_SCREENSHOTS=1 (or when missing), else a temporary folder, so an
    ordinary test run does not rewrite tracked files."""
    if os.environ.get("TAMBON_UPDATE_SCREENSHOTS") == "1" or not (DOCS_SHOTS / "display.png").exists():
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        return DOCS_SHOTS
    return tmp_path


@pytest.fixture
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (make browser-deps installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright Python package not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


def test_call_next_shows_on_the_tv_and_the_phone(app, office, live_server, browser, shots):
    settings.set_ticker(office, "ร้องเรียนการให้บริการได้ที่ตู้รับเรื่อง โทร 0-7531-2345 หรือเว็บไซต์ อบต. "
                                "(ไม่ต้องระบุชื่อก็ได้)")
    issued = [queue.issue_ticket(office, code) for code in ("TAX", "TAX", "WELFARE", "BUILD", "TAX")]
    headers = bearer(app, "counter1")
    # Counter 2 is already serving someone, so the board has a history.
    requests.post(f"{live_server}/api/v1/counters/2/next", headers=headers, timeout=10).raise_for_status()

    tv = browser.new_page(viewport={"width": 1920, "height": 1080})
    errors: list[str] = []
    tv.on("pageerror", lambda exc: errors.append(str(exc)))
    tv.goto(f"{live_server}/display?name=TV-e2e")
    tv.wait_for_selector('.counter-card[data-counter="2"] .cc-number:text("B001")')
    # A tap enables sound (browsers block autoplay until then).
    tv.click("#enable-sound")
    tv.wait_for_function("() => window.TambonDisplay.sound.enabled === true")

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.goto(f"{live_server}/t/{issued[0].public_id}")
    phone.wait_for_selector("#p-live-on:visible")
    assert phone.inner_text("#p-position") == "1"

    called = requests.post(f"{live_server}/api/v1/counters/1/next", headers=headers, timeout=10)
    assert called.json()["ticket"]["number"] == "A001"

    tv.wait_for_selector('.counter-card[data-counter="1"] .cc-number:text("A001")', timeout=10000)
    tv.wait_for_selector("#call-banner:visible")
    assert tv.inner_text("#cb-number") == "A001"
    phone.wait_for_selector('#p-status[data-status="called"]', timeout=10000)
    assert phone.is_visible("#p-called")
    assert "ช่อง 1" in phone.inner_text("#p-called")
    assert phone.evaluate("window.TambonPhone.vibrations") == 1

    # The call is played through to the end: chime, then the server's Thai voice WAV, then the next one.
    tv.wait_for_function("() => window.TambonDisplay.played >= 1", timeout=30000)
    assert tv.evaluate("() => window.TambonDisplay.lastVia") == "clip", "the server's WAV played to its end"
    assert tv.evaluate("window.TambonDisplay.resyncs || 0") == 0
    tv.wait_for_selector("#call-banner", state="hidden", timeout=10000)
    assert "พ.ศ. 25" in tv.inner_text("#clock-date")
    assert tv.inner_text("#recent li:first-child .rc-number") == "A001"
    tv.screenshot(path=str(shots / "display.png"))
    phone.screenshot(path=str(shots / "phone.png"), full_page=True)
    assert errors == []


def test_tv_layouts_fit_smaller_and_portrait_screens(app, office, live_server, browser, shots):
    for code in ("TAX", "WELFARE", "BUILD"):
        queue.issue_ticket(office, code)
    for counter in (1, 2, 3):
        queue.call_next(office, counter)
    for name, size in (("display-1366x768", (1366, 768)), ("display-portrait", (1080, 1920))):
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        page.goto(f"{live_server}/display?lang=th")
        page.wait_for_selector('.counter-card[data-counter="3"] .cc-number:text("C001")')
        # Nothing spills off the screen: the page never scrolls and every card is inside the viewport.
        overflow = page.evaluate("""() => {
            const out = [];
            for (const el of document.querySelectorAll('.counter-card, .recent, .waiting, .tv-head')) {
                const r = el.getBoundingClientRect();
                if (r.right > innerWidth + 1 || r.bottom > innerHeight + 1) out.push(el.className);
            }
            return out;
        }""")
        assert overflow == [], f"{name}: {overflow}"
        page.screenshot(path=str(shots / f"{name}.png"))
        page.close()


def test_tv_goes_offline_when_the_server_restarts_and_comes_back(app, office, workers, browser):
    """A real `tambon serve` process is stopped and started again on the same port."""
    server = workers(1)
    url = server.urls[0]
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{url}/display")
    page.wait_for_selector(".counter-card")
    assert page.is_hidden("#offline")
    server.stop(crash=True)
    # The page shows the offline mark and no longer presents the numbers as current.
    page.wait_for_selector("#offline:visible", timeout=15000)
    assert page.evaluate("() => document.body.classList.contains('stale')")
    assert page.locator(".cc-stale").count() == 3
    queue.issue_ticket(office, "TAX")
    queue.call_next(office, 1)   # happens while the TV is offline
    server.restart()
    # Reconnected with back-off: a fresh snapshot, no offline mark, the call made meanwhile is shown.
    page.wait_for_selector("#offline", state="hidden", timeout=40000)
    page.wait_for_selector('.counter-card[data-counter="1"] .cc-number:text("A001")', timeout=10000)
    assert not page.evaluate("() => document.body.classList.contains('stale')")
