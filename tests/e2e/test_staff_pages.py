"""The staff accounts page and the login landing in a real browser (Debian's Chromium through Playwright)
against the app served on a real TCP socket: what admin and the executive meet (issue 19 item 3, issue 20)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo-password")
    page.click("button[type=submit]")


@pytest.mark.parametrize("username, landing, heading", [
    ("officer1", "/office/complaints", "h1"), ("executive", "/office/complaints", "h1"),
    ("counter1", "/counter", "h1"), ("admin", "/admin/", "h1"),
])
def test_each_role_lands_on_its_own_page(browser, live_server, username, landing, heading):
    page = browser.new_page()
    try:
        response_codes = []
        page.on("response", lambda r: response_codes.append((r.url, r.status)))
        _login(page, live_server, username)
        page.wait_for_url(f"{live_server}{landing}")
        assert all(status < 400 for url, status in response_codes if url.startswith(live_server + landing))
        assert page.locator(heading).first.is_visible()
    finally:
        page.close()


def test_admin_adds_counter_staff_and_cannot_grant_confidential_roles(browser, live_server, shots):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        _login(page, live_server, "admin")
        page.wait_for_url(f"{live_server}/admin/")
        page.goto(f"{live_server}/admin/users/new")
        role = page.locator("select#role")
        # least privilege by default, Thai labels, and nothing that opens confidential complaints
        expect(role).to_have_value("counter")
        labels = role.locator("option").all_inner_texts()
        assert labels == ["เจ้าหน้าที่ช่องบริการ", "ผู้ดูแลระบบ"]
        page.fill("input[name=username]", "clerk2")
        page.fill("input[name=display_name]", "นางสาวใจดี มีสุข")
        page.fill("input[name=password]", "long-password-1")
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server}/admin/users")
        row = page.locator("tr[data-username=clerk2]")
        expect(row.locator("td.role")).to_have_text("เจ้าหน้าที่ช่องบริการ")
        roles_shown = page.locator("#users td.role").all_inner_texts()
        assert roles_shown and not {"officer", "executive", "admin", "counter", "oversight"} & set(roles_shown)
        # admin gets no edit link on an officer's account, and deactivates a counter account
        expect(page.locator("tr[data-username=officer1] a", has_text="แก้ไข")).to_have_count(0)
        row.locator("button", has_text="ระงับบัญชี").click()
        expect(page.locator("tr[data-username=clerk2]")).to_contain_text("ระงับแล้ว")
        page.screenshot(path=str(shots / "staff_accounts.png"), full_page=True)
    finally:
        page.close()


def test_the_executive_grants_an_officer_role(browser, live_server):
    from playwright.sync_api import expect

    page = browser.new_page()
    try:
        _login(page, live_server, "executive")
        page.wait_for_url(f"{live_server}/office/complaints")
        page.goto(f"{live_server}/admin/users/new")
        labels = page.locator("select#role option").all_inner_texts()
        assert "เจ้าหน้าที่รับเรื่องร้องเรียน" in labels and "ผู้บริหาร (นายก/ปลัด)" in labels
        assert not any("ผู้ตรวจสอบ" in label for label in labels)  # not the one who oversees them
        page.fill("input[name=username]", "officer9")
        page.select_option("select#role", "officer")
        page.fill("input[name=password]", "long-password-1")
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server}/admin/users")
        expect(page.locator("#account-log")).to_contain_text("officer9")
        expect(page.locator("#account-log tr", has_text="officer9")).to_contain_text("ปลัด อบต.")
    finally:
        page.close()
