"""Complaint forms in Debian's Chromium: the clerk's entry form preselects no type (never the confidential
"staff conduct"), and a citizen refused by the rate limit gets the form back, in Thai and English, with
everything typed still in it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intake.models import Complaint
from tambon.db import get_session
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def app(app_factory):
    return app_factory(COMPLAINT_RATE_LIMIT="1 per minute")


def _complaints(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(c.type, c.subject) for c in get_session().scalars(select(Complaint).order_by(Complaint.id))]


def test_staff_entry_preselects_no_type(browser, app, live_server):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    log_in(page, live_server, "counter1")
    page.goto(f"{live_server}/office/complaints/new")
    kind = page.locator("select[name=type]")
    assert kind.input_value() == ""
    assert kind.evaluate("el => el.options[el.selectedIndex].text") == "— เลือกประเภทเรื่อง —"
    page.select_option("select[name=channel]", "phone")
    page.fill("input[name=subject]", "ถนนเป็นหลุม")
    page.fill("textarea[name=details]", "ถนนหน้าวัดเป็นหลุมลึก รถจักรยานยนต์ล้มแล้วสองคัน")
    page.check("input[name=consent]")
    # Saving without a type is stopped: the clerk has to choose one.
    page.click("main form button[type=submit]")
    assert kind.evaluate("el => el.validity.valueMissing") is True
    assert _complaints(app) == []
    page.select_option("select[name=type]", "complaint")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert _complaints(app) == [("complaint", "ถนนเป็นหลุม")]
    page.close()


def _fill(page, subject: str) -> None:
    page.check("input[name=type][value=complaint]")
    page.fill("input[name=subject]", subject)
    page.fill("textarea[name=details]", "ไฟถนนหน้าโรงเรียนดับทั้งซอยมาหนึ่งสัปดาห์แล้ว กลางคืนมืดมาก")
    page.fill("input[name=place]", "ซอย 3 หมู่ 2")
    page.fill("input[name=contact_name]", "สมศรี ใจดี")
    page.fill("input[name=contact_phone]", "0812345678")
    page.check("input[name=consent]")


def test_rate_limited_citizen_keeps_what_was_typed(browser, app, live_server):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="th-TH")
    page = context.new_page()
    page.goto(f"{live_server}/complaints/new")
    _fill(page, "ไฟถนนดับ")
    page.click("main form button[type=submit]")
    expect(page.locator("#tracking-code")).to_be_visible()

    page.goto(f"{live_server}/complaints/new")
    _fill(page, "ไฟถนนดับอีกซอย")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("main form button[type=submit]")
    response = answer.value
    assert response.status == 429 and int(response.headers["retry-after"]) > 0
    alert = page.locator(".alert[role=alert]")
    expect(alert).to_contain_text("ส่งเรื่องจากเครื่องนี้ถี่เกินไป")
    expect(alert).to_contain_text("Too many complaints from this device")
    # Everything typed is still there, ready to send again.
    expect(page.locator("input[name=type][value=complaint]")).to_be_checked()
    expect(page.locator("input[name=subject]")).to_have_value("ไฟถนนดับอีกซอย")
    expect(page.locator("textarea[name=details]")).to_have_value(
        "ไฟถนนหน้าโรงเรียนดับทั้งซอยมาหนึ่งสัปดาห์แล้ว กลางคืนมืดมาก")
    expect(page.locator("input[name=place]")).to_have_value("ซอย 3 หมู่ 2")
    expect(page.locator("input[name=contact_name]")).to_have_value("สมศรี ใจดี")
    expect(page.locator("input[name=contact_phone]")).to_have_value("0812345678")
    expect(page.locator("input[name=consent]")).to_be_checked()
    assert page.evaluate("document.fonts.check('16px Sarabun')")
    assert _complaints(app) == [("complaint", "ไฟถนนดับ")]
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Complaint)) == 1
    context.close()
