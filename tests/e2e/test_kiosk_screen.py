"""The touchscreen kiosk in Debian's Chromium against the real app on a TCP socket: waiting counts follow
the queue, a service closed after the page loaded is refused in both languages and the screen resets for
the next citizen, a priority ticket says so, and a portrait screen is used to its full height."""

from __future__ import annotations

from datetime import time

import pytest

from kiosk import queue, setup
from kiosk.demo import DEMO_SERVICES
from tambon.db import get_session

pytestmark = pytest.mark.browser

PORTRAIT = {"width": 1080, "height": 1920}  # a floor-standing 32" kiosk, turned upright


def test_counts_refresh_and_a_closed_service_is_refused_in_both_languages(browser, app, live_server):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, has_touch=True, locale="th-TH")
    page = context.new_page()
    page.clock.install()  # the kiosk's timers (re-read, reset) run only when the test moves the clock
    page.goto(f"{live_server}/kiosk")
    tax = page.locator("[data-waiting=TAX]")
    expect(tax).to_have_text("0")

    # Tickets taken elsewhere (another kiosk, a phone) show here within one refresh.
    with app.app_context():
        queue.issue_ticket(get_session(), "TAX")
        queue.issue_ticket(get_session(), "TAX")
    page.clock.run_for(10_000)
    expect(tax).to_have_text("2")

    # WELFARE is switched off after the page loaded; a citizen (priority lane on) taps it before the next
    # refresh. The refusal is in Thai and English, and the button is closed at once.
    welfare = next(s for s in DEMO_SERVICES if s["code"] == "WELFARE")
    with app.app_context():
        setup.upsert_service(get_session(), **{**welfare, "active": False})
    page.tap("#priority")
    welfare_button = page.locator(".service-btn[data-service=WELFARE]")
    expect(welfare_button).to_be_enabled()
    welfare_button.tap()
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(page.locator("#error-th")).to_contain_text("ขึ้นทะเบียนผู้สูงอายุ/ผู้พิการ ปิดให้บริการ")
    expect(page.locator("#error-en")).to_contain_text("Elderly / disability allowance registration is not offered now")
    expect(welfare_button).to_be_disabled()
    expect(welfare_button.locator(".svc-closed")).to_be_visible()
    expect(page.locator("#result")).to_be_hidden()

    # Nobody touches it: the screen resets for the next citizen (no message left, priority lane off).
    page.clock.run_for(10_000)
    expect(error).to_be_hidden()
    expect(page.locator("#priority")).to_have_attribute("aria-pressed", "false")

    # A priority ticket says "priority" on the result screen; a regular one does not.
    page.tap("#priority")
    page.tap(".service-btn[data-service=TAX]")
    expect(page.locator("#result")).to_be_visible()
    expect(page.locator("#r-number")).to_have_text("A003")
    expect(page.locator("#r-priority")).to_be_visible()
    expect(page.locator("#r-priority")).to_contain_text("ลำดับพิเศษ")
    page.tap("#r-done")
    page.tap(".service-btn[data-service=TAX]")
    expect(page.locator("#r-number")).to_have_text("A004")
    expect(page.locator("#r-priority")).to_be_hidden()
    page.tap("#r-done")

    # A service opened since the page loaded gets its button at the next refresh, between citizens.
    with app.app_context():
        setup.create_service(get_session(), code="SIGN", prefix="S", name_th="ภาษีป้าย", name_en="Signboard tax",
                             opens_at=time(0, 0), closes_at=time(23, 59), open_days="1234567", position=9)
    with page.expect_navigation():
        page.clock.run_for(10_000)
    expect(page.locator(".service-btn[data-service=SIGN]")).to_be_enabled()
    context.close()


def test_portrait_screen_uses_its_full_height(browser, live_server, shots):
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PORTRAIT, has_touch=True, locale="th-TH")
    page = context.new_page()
    page.goto(f"{live_server}/kiosk")
    buttons = page.locator(".service-btn")
    expect(buttons).to_have_count(4)
    page.evaluate("document.fonts.ready")
    boxes = [buttons.nth(i).bounding_box() for i in range(4)]
    top = page.locator(".services").bounding_box()["y"]
    bottom = boxes[-1]["y"] + boxes[-1]["height"]
    # One column, each button full width, together filling the screen from below the priority lane to
    # (nearly) its foot, and nothing below the fold.
    assert len({round(b["x"]) for b in boxes}) == 1
    assert all(b["width"] >= 0.8 * PORTRAIT["width"] for b in boxes)
    assert bottom <= PORTRAIT["height"]
    assert bottom >= PORTRAIT["height"] - 80, f"the services end at {bottom} of {PORTRAIT['height']}"
    assert bottom - top >= 0.6 * PORTRAIT["height"]
    page.screenshot(path=str(shots / "kiosk-portrait.png"))
    context.close()
