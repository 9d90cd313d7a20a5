"""The admin's services and counters pages in Debian's Chromium: "new" and "edit" are separate, so an
existing code is never overwritten by accident, editing keeps what was not touched, and open days are
ticked day names, never a string of digits."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from kiosk.models import Counter, Service
from tambon.db import get_session
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser


def _service(app, code: str) -> Service:
    with app.app_context():
        session = get_session()
        service = session.scalar(select(Service).where(Service.code == code))
        session.expunge_all()
        return service


def _counter(app, counter_id: int) -> tuple[str, str, list[str]]:
    with app.app_context():
        counter = get_session().get(Counter, counter_id)
        return counter.name, counter.name_en, [cs.service.code for cs in counter.services]


def test_services_new_and_edit(browser, app, live_server):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/admin/")

    # Days in words (the demo services are open every day), never "1234567".
    tax_row = page.locator("#services tr[data-service=TAX]")
    expect(tax_row.locator("td.days")).to_have_text("ทุกวัน")
    assert "1234567" not in page.inner_text("#services")

    # Edit changes only what the admin changed: the kiosk order and the hours stay.
    tax_row.get_by_role("link", name="แก้ไข").click()
    expect(page.locator("h1")).to_contain_text("TAX")
    expect(page.locator("input[name=svc-code]")).to_have_count(0)  # the code is not a field here
    for day in ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"):
        expect(page.get_by_label(day, exact=True)).to_be_checked()
    page.fill("input[name=svc-name_en]", "Tax and fees")
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึก").click()
    expect(page.locator(".flash.ok")).to_contain_text("TAX")
    tax = _service(app, "TAX")
    assert tax.name_en == "Tax and fees" and tax.name_th == "ชำระภาษี" and tax.prefix == "A"
    assert (tax.position, tax.opens_at, tax.closes_at, tax.open_days) == (1, time(0, 0), time(23, 59), "1234567")

    # Weekdays only: untick Saturday and Sunday.
    page.locator("#services tr[data-service=TAX]").get_by_role("link", name="แก้ไข").click()
    page.get_by_label("เสาร์", exact=True).uncheck()
    page.get_by_label("อาทิตย์", exact=True).uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึก").click()
    expect(page.locator("#services tr[data-service=TAX] td.days")).to_have_text("จันทร์–ศุกร์")
    assert _service(app, "TAX").open_days == "12345"

    # "New" with a code that exists, typed in lower case: refused in Thai and English, nothing overwritten,
    # what was typed kept, and a way to the existing service offered.
    page.get_by_role("link", name="เพิ่มบริการใหม่").click()
    page.fill("input[name=svc-code]", "tax")
    page.fill("input[name=svc-prefix]", "T")
    page.fill("input[name=svc-name_th]", "ภาษีป้าย")
    page.fill("input[name=svc-name_en]", "Signboard tax")
    page.get_by_role("button", name="บันทึก").click()
    error = page.locator("#form-error")
    expect(error).to_contain_text("มีบริการรหัส TAX อยู่แล้ว")
    expect(error).to_contain_text("A service with code TAX already exists")
    expect(page.locator("input[name=svc-name_th]")).to_have_value("ภาษีป้าย")
    tax = _service(app, "TAX")
    assert (tax.name_th, tax.name_en, tax.prefix, tax.open_days) == ("ชำระภาษี", "Tax and fees", "A", "12345")
    expect(error.get_by_role("link", name="ไปแก้ไขบริการที่มีอยู่")).to_have_attribute("href", "/admin/services/TAX/edit")

    # A new code is created, with the days picked by name.
    page.fill("input[name=svc-code]", "sign")
    for day in ("อังคาร", "พฤหัสบดี"):
        page.get_by_label(day, exact=True).uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึก").click()
    expect(page.locator("#services tr[data-service=SIGN] td.days")).to_have_text("จันทร์, พุธ, ศุกร์")
    sign = _service(app, "SIGN")
    assert (sign.prefix, sign.name_th, sign.open_days) == ("T", "ภาษีป้าย", "135")

    # No day at all is refused with a reason, not saved.
    page.locator("#services tr[data-service=SIGN]").get_by_role("link", name="แก้ไข").click()
    for day in ("จันทร์", "พุธ", "ศุกร์"):
        page.get_by_label(day, exact=True).uncheck()
    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator("#form-error")).to_contain_text("เลือกอย่างน้อยหนึ่งวัน")
    assert _service(app, "SIGN").open_days == "135"
    page.close()


def test_counters_new_and_edit(browser, app, live_server):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/admin/")
    expect(page.locator("#counters tr[data-counter='1']")).to_contain_text("ชำระภาษี, ร้องเรียน/สอบถาม")

    # Edit: only the English name changes; the services and their order stay.
    page.locator("#counters tr[data-counter='1']").get_by_role("link", name="แก้ไข").click()
    expect(page.locator("input[name=ctr-services]")).to_have_value("TAX, HELP")
    page.fill("input[name=ctr-name_en]", "Front desk")
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึก").click()
    assert _counter(app, 1) == ("ช่อง 1", "Front desk", ["TAX", "HELP"])

    # "New" with a name in use is refused; the existing counter is untouched.
    page.get_by_role("link", name="เพิ่มช่องบริการใหม่").click()
    page.fill("input[name=ctr-name]", "ช่อง 1")
    page.fill("input[name=ctr-services]", "BUILD")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator("#form-error")).to_contain_text("มีช่องบริการชื่อ ช่อง 1 อยู่แล้ว")
    assert _counter(app, 1) == ("ช่อง 1", "Front desk", ["TAX", "HELP"])

    page.fill("input[name=ctr-name]", "ช่อง 4")
    page.fill("input[name=ctr-services]", "build, tax")
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึก").click()
    expect(page.locator("#counters tr[data-counter='4']")).to_contain_text("ขออนุญาตก่อสร้าง, ชำระภาษี")
    assert _counter(app, 4) == ("ช่อง 4", "", ["BUILD", "TAX"])
    page.close()
