"""The LINE link step on a phone and the officer's view of what was sent, in a real browser (Debian's
Chromium through Playwright) against the real app on a real TCP socket, LINE played on loopback. With
TAMBON_UPDATE_SCREENSHOTS=1 it writes docs/screenshots/notify_line_link.png and notify_officer.png for the README."""

from __future__ import annotations

import pytest

from tests.conftest import served
from tests.e2e.conftest import sarabun_ready
from tests.intake.conftest import office_app_factory, office_template  # noqa: F401 (fixtures)
from tests.notify.conftest import line_api, notify_config, sms_api, text_event, webhook  # noqa: F401 (fixtures)
from tests.notify.test_line import CITIZEN, drain, officer_does, submit

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_link_step_on_a_phone_and_the_officers_view(browser, shots, office_app_factory, line_api, sms_api):  # noqa: F811
    from playwright.sync_api import expect

    app = office_app_factory(**notify_config(line_api, sms_api))
    client = app.test_client()
    ticket = client.post("/api/v1/tickets", json={"service": "WELFARE"}).get_json()
    receipt = submit(client)
    webhook(client, text_event(CITIZEN, receipt["line_link_code"]))
    officer_does(app, "acknowledge", receipt["tracking_code"])
    officer_does(app, "answer", receipt["tracking_code"], text="เปลี่ยนหลอดไฟถนนหน้าบ้านเลขที่ 12 แล้ว")
    drain(app)
    with served(app) as url:
        phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                    locale="th-TH")
        page = phone.new_page()
        page.goto(f"{url}/t/{ticket['id']}")
        box = page.locator("#notify-reach")
        expect(box).to_be_visible()
        assert sarabun_ready(page)
        code = page.locator("#line-link-code").inner_text()
        assert len(code) == 6 and code.isdigit()
        qr = page.locator(".notify-qr svg").bounding_box()
        assert qr is not None and qr["width"] >= 150  # big enough to scan from another phone
        send = page.locator("#line-send-code")
        assert send.get_attribute("href") == f"https://line.me/R/oaMessage/%40tambon-oa/?{code}"
        assert page.evaluate("getComputedStyle(document.querySelector('#notify-reach')).borderTopColor") \
            == "rgb(6, 199, 85)"  # the stylesheet loaded under the page's CSP
        box.scroll_into_view_if_needed()
        box.screenshot(path=str(shots / "notify_line_link.png"))
        phone.close()

        desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
        page = desk.new_page()
        page.goto(f"{url}/login")
        page.fill("input[name=username]", "officer1")
        page.fill("input[name=password]", "demo-password")
        page.click("button[type=submit]")
        page.goto(f"{url}/office/complaints/{receipt['tracking_code']}")
        staff = page.locator("#notify-staff")
        expect(staff).to_be_visible()
        text = staff.inner_text()
        assert "LINE — ติดต่อได้" in text and text.count("ส่งแล้ว") == 3 and CITIZEN not in page.content()
        staff.screenshot(path=str(shots / "notify_officer.png"))
        desk.close()
