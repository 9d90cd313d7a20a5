"""Real Chromium on a real server: the phone form, the status page with the answer, the officer's inbox.
Screenshots go to the test's tmp dir; with TAMBON_UPDATE_SCREENSHOTS=1 also to docs/screenshots/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from intake import complaints
from tests.conftest import served
from tests.intake.conftest import db, user

CHROMIUM = "/usr/bin/chromium"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (/usr/bin/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def live(intake_app):
    with intake_app.test_request_context():
        from tambon.db import get_session

        for hook in intake_app.extensions["tambon.demo_hooks"]:
            hook(get_session())
    with served(intake_app) as url:
        yield url


def _save(page, tmp_path, name):
    out = tmp_path / name
    page.screenshot(path=str(out), full_page=True)
    if os.environ.get("TAMBON_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(out, DOCS / name)
    return out


def test_phone_form_submit_status_and_inbox(browser, live, intake_app, tmp_path):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True,
                                has_touch=True, locale="th-TH")
    page = phone.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))  # JavaScript errors
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.goto(f"{live}/complaints/new?src=counter")
    assert page.evaluate("document.fonts.check('16px Sarabun')")  # Thai is drawn with the bundled font
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    _save(page, tmp_path, "complaint_form.png")
    page.check("input[name=type][value=complaint]")
    page.fill("input[name=subject]", "ท่อระบายน้ำอุดตันหน้าตลาด")
    page.fill("textarea[name=details]", "ท่อระบายน้ำหน้าตลาดสดอุดตัน ฝนตกแล้วน้ำท่วมขังทุกครั้ง")
    page.fill("input[name=place]", "หน้าตลาดสด หมู่ 1")
    page.check("input[name=anonymous]")
    page.check("input[name=consent]")
    page.click("button[type=submit]")
    code = page.inner_text("#tracking-code").strip()
    pin = page.inner_text("#pin").strip()
    assert code.startswith("TB-") and len(pin) == 6
    with db(intake_app) as s:
        officer = user(s, "officer1")
        assert complaints.find(s, code).source == "counter"
        complaints.acknowledge(s, code, officer, note="รับเรื่องแล้ว จะส่งกองช่างตรวจสอบ")
        complaints.assign(s, code, officer, division="กองช่าง", settings=intake_app.extensions["intake.settings"])
        complaints.progress(s, code, officer, note="กองช่างนัดล้างท่อวันพฤหัสบดีนี้")
        complaints.answer(s, code, officer, text="ล้างท่อระบายน้ำเรียบร้อยแล้ว หากยังมีน้ำขังโปรดแจ้งอีกครั้ง")
    page.goto(f"{live}/c/{code}")
    page.fill("input[name=pin]", pin)
    page.click("form.card button[type=submit]")
    assert "ล้างท่อระบายน้ำเรียบร้อยแล้ว" in page.inner_text("#answer")
    _save(page, tmp_path, "complaint_status.png")
    assert not errors, errors

    desk = browser.new_context(viewport={"width": 1280, "height": 800}, locale="th-TH")
    office = desk.new_page()
    office.goto(f"{live}/login?next=/office/complaints")
    office.fill("input[name=username]", "officer1")
    office.fill("input[name=password]", "demo-password")
    office.click("button[type=submit]")
    office.wait_for_url("**/office/complaints")
    text = office.inner_text("table.inbox")
    assert "ขยะไม่ได้รับการจัดเก็บ" in text and code not in text  # answered: no longer in the open list
    assert office.locator("tr.row-overdue").count() >= 1
    _save(office, tmp_path, "inbox.png")
    phone.close()
    desk.close()
