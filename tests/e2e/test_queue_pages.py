"""The kiosk and the counter console in a real browser (Debian's Chromium through Playwright) against the
real app served over a real TCP socket. With TAMBON_UPDATE_SCREENSHOTS=1 it writes the README screenshots."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tambon.db import get_session
from tests.e2e.conftest import sarabun_ready

pytestmark = pytest.mark.browser

KIOSK_VIEWPORT = {"width": 1280, "height": 900}  # a common 19–22" touchscreen kiosk, landscape




def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not visible"
    return box


def _ticket(app, label: str):
    from kiosk.models import Ticket

    with app.app_context():
        session = get_session()
        ticket = session.scalar(select(Ticket).where(Ticket.label == label))
        session.expunge_all()
        return ticket


def test_kiosk_then_counter(browser, app, live_server, shots):
    from playwright.sync_api import expect  # (waits without eval: the CSP forbids it)

    context = browser.new_context(viewport=KIOSK_VIEWPORT, has_touch=True, locale="th-TH")
    page = context.new_page()
    page.goto(f"{live_server}/kiosk")

    # Thai is drawn with the bundled Sarabun, not as boxes of a missing font.
    assert sarabun_ready(page)
    assert "Sarabun" in page.evaluate("getComputedStyle(document.querySelector('.service-btn')).fontFamily")
    assert page.locator("h1").inner_text() == "กรุณาเลือกบริการ"
    buttons = page.locator(".service-btn")
    assert buttons.count() == 4
    assert "ชำระภาษี" in buttons.first.inner_text()

    # Touch targets an elderly citizen can hit: big buttons, none hidden below the fold.
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        assert box["height"] >= 120 and box["width"] >= 300, box
        assert box["y"] + box["height"] <= KIOSK_VIEWPORT["height"], f"service button {i} is below the fold"
    prio = _box(page, "#priority")
    assert prio["height"] >= 80 and prio["width"] >= 600
    page.screenshot(path=str(shots / "kiosk.png"))

    # Priority lane, then the service: the number is shown, big.
    page.tap("#priority")
    assert page.get_attribute("#priority", "aria-pressed") == "true"
    page.tap(".service-btn[data-service=TAX]")
    page.wait_for_selector("#result:not(.hidden)")
    assert page.inner_text("#r-number") == "A001"
    assert page.inner_text("#r-service") == "ชำระภาษี"
    assert page.inner_text("#r-ahead") == "0"
    number_box = _box(page, "#r-number")
    assert number_box["height"] >= 100
    assert _box(page, "#r-done")["height"] >= 60
    page.screenshot(path=str(shots / "kiosk_ticket.png"))
    ticket = _ticket(app, "A001")
    assert ticket.priority is True and ticket.status == "waiting"

    # Done resets the kiosk for the next citizen (priority off again); a normal ticket follows.
    page.tap("#r-done")
    page.wait_for_selector("#result", state="hidden")
    assert page.get_attribute("#priority", "aria-pressed") == "false"
    page.tap(".service-btn[data-service=TAX]")
    page.wait_for_selector("#result:not(.hidden)")
    assert page.inner_text("#r-number") == "A002"
    assert page.inner_text("#r-ahead") == "1"  # the priority ticket goes first
    assert _ticket(app, "A002").priority is False
    context.close()

    # The counter clerk logs in, calls the next citizen (the priority ticket), and completes it.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="th-TH")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "counter1")
    page.fill("input[name=password]", "demo-password")
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server}/counter/1")
    assert sarabun_ready(page)
    page.wait_for_selector("#waiting tr")  # the waiting list has loaded
    expect(page.locator("[data-count=waiting]")).to_have_text("2")
    page.get_by_role("button", name="เรียกคิวถัดไป").click()
    expect(page.locator("#cur-number")).to_have_text("A001")
    expect(page.locator("[data-count=waiting]")).to_have_text("1")  # today's counts follow the call
    assert _ticket(app, "A001").status == "called"
    expect(page.locator("#waiting tr")).to_have_count(1)  # only A002 waits
    # Staff read Thai words, not the API's codes.
    expect(page.locator("#cur-info")).to_have_text("ชำระภาษี · เรียกแล้ว · ★")
    expect(page.locator("#waiting tr td").nth(1)).to_have_text("ชำระภาษี")
    expect(page.locator("#waiting tr td").nth(2)).to_have_text("รอเรียก")
    for action in ("เรียกคิวถัดไป", "เสร็จสิ้น", "เรียกซ้ำ", "ไม่มาตามเรียก"):
        assert page.get_by_role("button", name=action).bounding_box()["height"] >= 44  # touch-sized

    page.get_by_role("button", name="เสร็จสิ้น").click()
    page.get_by_role("button", name="ยืนยัน").click()  # finishing a ticket asks first
    expect(page.locator("#cur-number")).to_have_text("—")
    expect(page.locator("[data-count=completed]")).to_have_text("1")
    done = _ticket(app, "A001")
    assert done.status == "completed" and done.finished_at is not None
    assert _ticket(app, "A002").status == "waiting"
    context.close()
