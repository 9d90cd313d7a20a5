"""Thai first: every UI string has a Thai translation; English on request."""

import pytest

from tambon import i18n


@pytest.mark.parametrize("package", i18n.PACKAGES)
def test_every_message_is_translated_to_thai(package):
    assert i18n.untranslated(package) == []


def test_pages_default_to_thai_and_switch_to_english(client, demo):
    thai = client.get("/kiosk").get_data(as_text=True)
    assert 'lang="th"' in thai and "กรุณาเลือกบริการ" in thai and "ชำระภาษี" in thai
    english = client.get("/kiosk?lang=en")
    assert "Please choose a service" in english.get_data(as_text=True)
    assert "lang=en" in english.headers.get("Set-Cookie", "")
    assert "Please choose a service" in client.get("/kiosk").get_data(as_text=True)  # remembered


def test_every_page_serves_the_bundled_thai_font(client, demo):
    css = client.get("/static/css/base.css").get_data(as_text=True)
    assert "@font-face" in css and "Sarabun-Regular.ttf" in css
    font = client.get("/static/fonts/Sarabun-Regular.ttf")
    assert font.status_code == 200 and font.data[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true")
    for page in ("/", "/kiosk", "/login"):
        assert "css/base.css" in client.get(page).get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
