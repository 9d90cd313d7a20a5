"""The counter console in Debian's Chromium against the real app on a TCP socket: what the clerk sees is
true (success is not shown as an error, an expired login says so), irreversible steps ask first, buttons
only work when their step makes sense, and the waiting list is this counter's, a page at a time."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk import queue, setup
from tambon.db import get_session
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser

TICKET_BUTTONS = ("เรียกซ้ำ", "ผู้รับบริการมาถึงแล้ว", "เสร็จสิ้น", "ไม่มาตามเรียก", "พักคิว", "พิมพ์บัตรคิวซ้ำ")


@pytest.fixture
def app(app_factory, tmp_path):
    # A spool-file printer, so "reprint" has somewhere to go.
    return app_factory(PRINTER_URL=f"file://{tmp_path / 'spool'}")


@pytest.fixture
def tax_desk(app, office):
    """A counter with an English name unlike its Thai one, serving TAX only; 17 TAX and 2 WELFARE tickets."""
    counter = setup.upsert_counter(office, name="ช่องภาษี", name_en="Tax desk", service_codes=["TAX"])
    for _ in range(17):
        queue.issue_ticket(office, "TAX")
    queue.issue_ticket(office, "WELFARE")
    queue.issue_ticket(office, "WELFARE")
    return counter.id


def _ticket(app, label: str):
    from kiosk.models import Service, Ticket

    with app.app_context():
        session = get_session()
        row = session.execute(select(Ticket.status, Service.code).join(Service, Service.id == Ticket.service_id)
                              .where(Ticket.label == label)).one()
        return row.status, row.code


def test_counter_console(browser, app, live_server, tax_desk, shots):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The console re-reads every 5 s; a paused clock keeps that from racing the steps below (fetch still runs).
    page.clock.install()
    log_in(page, live_server, "counter1")
    # The counter list names each counter's services in Thai, not by code.
    page.goto(f"{live_server}/counter")
    desk = page.get_by_role("link", name="ช่องภาษี")
    expect(desk).to_contain_text("(ชำระภาษี)")
    expect(page.get_by_role("link", name="ช่อง 1")).to_contain_text("(ชำระภาษี, ร้องเรียน/สอบถาม)")
    assert "TAX" not in page.inner_text("main")
    desk.click()
    page.wait_for_url(f"**/counter/{tax_desk}")
    button = lambda name: page.get_by_role("button", name=name, exact=True)  # noqa: E731
    rows, msg, note = page.locator("#waiting tr"), page.locator("#msg"), page.locator("#note")

    # Only this counter's service (TAX), 15 to a page; the WELFARE tickets belong to other counters.
    expect(rows).to_have_count(15)
    expect(page.locator("#page-info")).to_have_text("1–15 จาก 17")
    expect(rows.first.locator("td").first).to_have_text("A001")
    assert "B00" not in page.inner_text("#waiting")
    assert set(page.locator("#waiting tr td:nth-child(2)").all_inner_texts()) == {"ชำระภาษี"}
    expect(page.locator("#page-prev")).to_be_disabled()
    page.click("#page-next")
    expect(rows).to_have_count(2)
    expect(page.locator("#page-info")).to_have_text("16–17 จาก 17")
    expect(rows.nth(1).locator("td").first).to_have_text("A017")
    expect(page.locator("#page-next")).to_be_disabled()
    page.click("#page-prev")
    expect(rows).to_have_count(15)

    # No ticket at the counter: only "call" works.
    expect(button("เรียกคิวถัดไป")).to_be_enabled()
    for name in TICKET_BUTTONS:
        expect(button(name)).to_be_disabled()
    expect(button("โอน")).to_be_disabled()

    button("เรียกคิวถัดไป").click()
    expect(page.locator("#cur-number")).to_have_text("A001")
    for name in TICKET_BUTTONS:
        expect(button(name)).to_be_enabled()
    expect(button("เรียกคิวถัดไป")).to_be_disabled()  # the counter must finish A001 first
    expect(rows.first.get_by_role("button")).to_be_disabled()

    # A reprint went well: said in the green status line, not in the red error box.
    button("พิมพ์บัตรคิวซ้ำ").click()
    expect(note).to_contain_text("ส่งพิมพ์ซ้ำแล้ว")
    expect(note).to_have_class("notice ok")
    expect(note).to_have_attribute("role", "status")
    expect(msg).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.getElementById('note')).backgroundColor") == "rgb(230, 244, 234)"
    page.screenshot(path=str(shots / "counter.png"))

    # No-show asks first; "cancel" leaves the ticket as it was.
    dialog = page.locator("#confirm")
    button("ไม่มาตามเรียก").click()
    expect(dialog).to_be_visible()
    expect(page.locator("#confirm-text")).to_contain_text("A001")
    button("ยกเลิก").click()
    expect(dialog).to_be_hidden()
    assert _ticket(app, "A001") == ("called", "TAX")
    button("ไม่มาตามเรียก").click()
    button("ยืนยัน").click()
    expect(page.locator("#cur-number")).to_have_text("—")
    assert _ticket(app, "A001") == ("no_show", "TAX")
    expect(page.locator("#page-info")).to_have_text("1–15 จาก 16")

    # Transfer asks, naming the ticket and where it goes.
    button("เรียกคิวถัดไป").click()
    expect(page.locator("#cur-number")).to_have_text("A002")
    page.select_option("#transfer select", "WELFARE")
    button("โอน").click()
    expect(page.locator("#confirm-text")).to_contain_text("A002")
    expect(page.locator("#confirm-text")).to_contain_text("ขึ้นทะเบียนผู้สูงอายุ/ผู้พิการ")
    button("ยกเลิก").click()
    assert _ticket(app, "A002") == ("called", "TAX")
    button("โอน").click()
    button("ยืนยัน").click()
    expect(page.locator("#cur-number")).to_have_text("—")
    assert _ticket(app, "A002") == ("waiting", "WELFARE")

    # Complete asks too.
    button("เรียกคิวถัดไป").click()
    expect(page.locator("#cur-number")).to_have_text("A003")
    button("เสร็จสิ้น").click()
    expect(page.locator("#confirm-text")).to_contain_text("A003")
    button("ยกเลิก").click()
    assert _ticket(app, "A003") == ("called", "TAX")
    button("เสร็จสิ้น").click()
    button("ยืนยัน").click()
    expect(page.locator("#cur-number")).to_have_text("—")
    assert _ticket(app, "A003") == ("completed", "TAX")

    # Another clerk calls at this counter behind the page's back: the Thai error names the counter in Thai.
    with app.app_context():
        queue.call_next(get_session(), tax_desk)
    button("เรียกคิวถัดไป").click()
    expect(msg).to_be_visible()
    expect(msg).to_contain_text("ช่องภาษี ยังมีคิวที่เรียก")
    assert "Tax desk" not in msg.inner_text()
    expect(note).to_be_hidden()
    expect(page.locator("#cur-number")).to_have_text("A004")  # the page caught up

    # The login ends (cookies gone): the console says so and links to the login page, coming back here.
    context.clear_cookies()
    button("เรียกซ้ำ").click()
    expect(msg).to_contain_text("หมดเวลาการเข้าสู่ระบบ")
    assert "โทเคน" not in msg.inner_text()
    for name in TICKET_BUTTONS:
        expect(button(name)).to_be_disabled()
    link = page.locator("#login-again")
    expect(link).to_have_text("เข้าสู่ระบบอีกครั้ง")
    link.click()
    page.wait_for_url("**/login**")
    page.fill("input[name=username]", "counter1")
    page.fill("input[name=password]", "demo-password")
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.url.endswith(f"/counter/{tax_desk}")
    assert _ticket(app, "A004") == ("called", "TAX")  # nothing was done while logged out

    # In English the error names the counter in English: A004 is finished elsewhere, then "recall" here.
    page.goto(f"{live_server}/counter/{tax_desk}?lang=en")
    expect(page.locator("#cur-number")).to_have_text("A004")
    with app.app_context():
        queue.complete(get_session(), tax_desk)
    page.get_by_role("button", name="Recall", exact=True).click()
    expect(msg).to_have_text("Tax desk has no ticket called")
    assert errors == []
    context.close()
