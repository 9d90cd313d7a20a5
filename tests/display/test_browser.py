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


LONG_TH = ("งานขอรับเงินอุดหนุนเบี้ยยังชีพผู้สูงอายุและผู้พิการ ขึ้นทะเบียนรับเงินสงเคราะห์เพื่อการยังชีพ"
           "และยื่นคำร้องขอเปลี่ยนแปลงข้อมูลการรับเงินผ่านบัญชีธนาคารของผู้มีสิทธิ์ในเขตองค์การบริหารส่วนตำบล")


def _long(text: str, size: int) -> str:
    return (text * (size // len(text) + 1))[:size]


def test_long_names_stay_inside_the_cards_and_the_waiting_panel(app, office, live_server, browser, shots):
    """200-character service names and 100-character counter names (the longest the forms accept) wrap
    and stop at two lines: nothing sticks out of a card, the waiting panel or the screen."""
    from kiosk import setup
    from kiosk.models import Counter, Service

    for service in office.query(Service).all():
        setup.upsert_service(office, code=service.code, prefix=service.prefix, name_th=_long(LONG_TH, 200),
                             name_en=_long("Registration for the elderly and disability allowance ", 200),
                             opens_at=service.opens_at, closes_at=service.closes_at, open_days=service.open_days,
                             position=service.position)
    for counter in office.query(Counter).all():
        counter.name = _long(f"ช่อง {counter.id} " + LONG_TH, 100)
        counter.name_en = "Counter" * 14 + str(counter.id)  # one 99-letter word: must break inside it
    office.commit()
    for code in ("TAX", "WELFARE", "BUILD", "TAX"):
        queue.issue_ticket(office, code)
    for counter in (1, 2, 3):
        queue.call_next(office, counter)

    checks = """() => {
        const out = [];
        const inside = (el, box) => {
            const r = el.getBoundingClientRect();
            return r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        };
        for (const el of document.querySelectorAll('.cc-name, .cc-number, .cc-service, .ws-name, .ws-count, .rc-counter')) {
            const style = getComputedStyle(el);
            const ellipsis = style.textOverflow === 'ellipsis' && style.overflowX === 'hidden';  // cut with "…" on purpose
            if (!ellipsis && el.scrollWidth > el.clientWidth + 1) out.push(['wider than its box', el.className, el.scrollWidth, el.clientWidth]);
            if (!inside(el, el.parentElement.getBoundingClientRect())) out.push(['outside its row or card', el.className]);
        }
        for (const card of document.querySelectorAll('.counter-card')) {
            const box = card.getBoundingClientRect();
            for (const el of card.children) if (!inside(el, box)) out.push(['outside its card', el.className]);
            if (card.scrollHeight > card.clientHeight + 1) out.push(['card content taller than the card', card.scrollHeight, card.clientHeight]);
            if (!inside(card, document.getElementById('counters').getBoundingClientRect())) out.push(['card outside the grid']);
        }
        const panel = document.querySelector('.waiting').getBoundingClientRect();
        for (const li of document.querySelectorAll('#waiting li')) if (!inside(li, panel)) out.push(['outside the waiting panel', li.textContent.slice(0, 20)]);
        for (const el of document.querySelectorAll('.counter-card, .recent, .waiting, .tv-head, .serving'))
            if (!inside(el, {left: 0, top: 0, right: innerWidth, bottom: innerHeight})) out.push(['off screen', el.className]);
        for (const name of document.querySelectorAll('.cc-name, .ws-name')) {
            const lines = Math.round(name.getBoundingClientRect().height / parseFloat(getComputedStyle(name).lineHeight));
            if (lines > 2) out.push(['more than two lines', name.className, lines]);
        }
        return out;
    }"""
    for lang, size in (("th", (1920, 1080)), ("th", (1366, 768)), ("en", (1366, 768)), ("th", (1080, 1920))):
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        page.goto(f"{live_server}/display?lang={lang}")
        page.wait_for_selector('.counter-card[data-counter="3"] .cc-number:text("C001")')
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        assert page.locator(".ws-name").count() == 4
        assert page.inner_text('.counter-card[data-counter="1"] .cc-number') == "A001"
        problems = page.evaluate(checks)
        assert problems == [], f"{lang} {size}: {problems}"
        if size == (1920, 1080):
            page.screenshot(path=str(shots / "display-long-names.png"))
        page.close()


def test_a_burst_of_calls_is_announced_without_counters_that_moved_on(app, office, live_server, browser):
    """Counter 1 calls A001, then moves on to A002 and A003 at once; counter 3 calls C001 and finishes it at
    once; counter 2 calls B001. The TV announces A001 (already playing), A003 and B001 — never A002 or C001
    late — and each banner lasts exactly its own announcement."""
    for code in ("TAX", "TAX", "TAX", "WELFARE", "BUILD"):
        queue.issue_ticket(office, code)
    tv = browser.new_page(viewport={"width": 1366, "height": 768})
    tv.goto(f"{live_server}/display")
    tv.wait_for_selector(".counter-card")
    tv.click("#enable-sound")
    tv.wait_for_function("() => window.TambonDisplay.sound.enabled === true")
    headers = bearer(app, "counter1")

    def post(counter: int, action: str) -> None:
        requests.post(f"{live_server}/api/v1/counters/{counter}/{action}", headers=headers,
                      timeout=10).raise_for_status()

    post(1, "next")  # A001
    tv.wait_for_function("() => window.TambonDisplay.sound.log.some(e => e.event === 'show')")
    # While A001 is being announced (chime and voice: several seconds) the rest arrive.
    post(1, "complete")
    post(1, "next")      # A002
    post(1, "complete")
    post(1, "next")      # A003: counter 1 moved on from A002
    post(3, "next")      # C001
    post(3, "no-show")   # ... and counter 3 is done with it
    post(2, "next")      # B001
    tv.wait_for_function("() => window.TambonDisplay.announced >= 5 && !window.TambonDisplay.sound.busy"
                         " && window.TambonDisplay.sound.queue.length === 0", timeout=60000)
    log = tv.evaluate("() => window.TambonDisplay.sound.log")
    shown = [e["number"] for e in log if e["event"] == "show"]
    skipped = {e["number"]: e["reason"] for e in log if e["event"] == "skip"}
    assert shown == ["A001", "A003", "B001"], log
    assert skipped == {"A002": "superseded", "C001": "moved on"}, log
    # Each banner: shown, its audio ends, hidden — nothing in between, nothing held after the audio.
    events = [e["event"] for e in log if e["event"] != "skip"]
    assert events == ["show", "ended", "hide"] * 3, log
    assert tv.evaluate("() => window.TambonDisplay.lastVia") == "clip"
    assert tv.is_hidden("#call-banner")
    assert tv.inner_text("#recent li:first-child .rc-counter") == "ช่อง 2"


def test_the_admin_records_a_word_and_previews_it(app, office, live_server, browser, shots, tmp_path):
    """On /display/voice-pack the admin uploads a WAV for one word, hears it in the page's player (it loads
    and has the recording's length) and a file that is no sound gets the Thai + English reason."""
    from tests.display.test_voice import _recording

    good = tmp_path / "bee.wav"
    good.write_bytes(_recording(seconds=0.9))
    bad = tmp_path / "notes.wav"
    bad.write_bytes(b"this is a text file with a .wav name\n" * 20)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "demo-password")
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server}/display/voice-pack")
    row = page.locator('tr[data-word="letter_B"]')
    assert "เสียงสังเคราะห์" in row.inner_text()
    row.locator("input[type=file]").set_input_files(str(good))
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".flash.ok")
    row = page.locator('tr[data-word="letter_B"]')
    assert "เสียงที่สำนักงานบันทึก" in row.inner_text()
    duration = row.locator("audio").evaluate("""(audio) => new Promise((resolve, reject) => {
        audio.onloadedmetadata = () => resolve(audio.duration);
        audio.onerror = () => reject(new Error('preview did not load'));
        audio.preload = 'metadata'; audio.load();
    })""")
    assert 0.7 < duration < 1.0  # the recording, trimmed a little, not the generated บี (0.4 s)
    page.screenshot(path=str(shots / "voice-pack.png"))

    page.locator('tr[data-word="digit_4"] input[type=file]').set_input_files(str(bad))
    response = None
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.locator('tr[data-word="digit_4"] button[type=submit]').click()
    response = info.value
    assert response.status == 422
    assert "ไม่ใช่เสียง" in page.inner_text("#voice-error") and "not a readable" in page.inner_text("#voice-error")
    assert "เสียงสังเคราะห์" in page.locator('tr[data-word="digit_4"]').inner_text()
