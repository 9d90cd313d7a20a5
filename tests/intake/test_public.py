"""The citizen's side over HTTP: the JSON contract, the form, privacy of the status page, XSS, uploads,
protection without CAPTCHA (honeypot, duplicates, rate limits, size limits)."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image

from intake import complaints
from tests.intake.conftest import body, db, page_csrf, staff_client, user

XSS = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert("


def form_post(client, data: dict, files=None, **kw):
    token = page_csrf(client)
    payload = {"csrf_token": token, "consent": "1", **data}
    if files:
        payload["files"] = files
    return client.post("/complaints/new", data=payload, content_type="multipart/form-data", **kw)


def text_of(response) -> str:
    """The response as text; JSON decoded, so Thai is compared as Thai and not as \\u escapes."""
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data(as_text=True)


def receipt(html: str) -> tuple[str, str]:
    return (re.search(r'id="tracking-code">([^<]+)<', html).group(1), re.search(r'id="pin">([^<]+)<', html).group(1))


def image_bytes(fmt="JPEG", size=(60, 40), exif=False) -> bytes:
    out = io.BytesIO()
    img = Image.new("RGB", size, "blue")
    if exif:
        ex = Image.Exif()
        ex[0x010F] = "SecretPhoneMaker"  # Make
        img.save(out, fmt, exif=ex)
    else:
        img.save(out, fmt)
    return out.getvalue()


# --- the JSON contract ----------------------------------------------------------------------------------

def test_api_create_and_read_as_the_contract_says(iclient):
    r = iclient.post("/api/v1/complaints", json=body(place="หมู่ 3", occurred_on="2026-11-01",
                                                     contact={"name": "สมชาย", "phone": "0812345678",
                                                              "email": "somchai@example.com", "line_id": "somchai"}))
    assert r.status_code == 201
    assert set(r.json) == {"tracking_code", "pin", "status", "due_at", "status_url"}
    assert r.json["status"] == "received" and re.fullmatch(r"TB-[A-Z0-9]{4}-[A-Z0-9]{4}", r.json["tracking_code"])
    assert re.fullmatch(r"\d{6}", r.json["pin"]) and r.json["due_at"].endswith("+07:00")
    assert r.json["status_url"].endswith(f"/c/{r.json['tracking_code']}")
    got = iclient.get(f"/api/v1/complaints/{r.json['tracking_code']}")
    assert got.status_code == 200 and got.json["type"] == "complaint" and got.json["status"] == "received"
    assert "answer" not in got.json and got.json["history"][0]["status"] == "received"
    url = f"/api/v1/complaints/{r.json['tracking_code']}"
    assert iclient.get(url, headers={"X-Complaint-PIN": r.json["pin"]}).json["answer"]
    bad = iclient.get(url, headers={"X-Complaint-PIN": "000000" if r.json["pin"] != "000000" else "111111"})
    assert bad.status_code == 403 and bad.json["error"]["message_th"]
    assert iclient.get("/api/v1/complaints/TB-AAAA-AAAA").status_code == 404
    assert iclient.post("/api/v1/complaints", data="type=complaint").status_code == 415
    missing = iclient.post("/api/v1/complaints", json=body(consent=False))
    assert missing.status_code == 422 and missing.json["error"]["code"] == "consent_required"
    assert "PDPA" in missing.json["error"]["message_th"]


def test_staff_channels_need_a_token(intake_app, iclient):
    from tests.conftest import bearer

    r = iclient.post("/api/v1/complaints", json=body(channel="phone"))
    assert r.status_code == 422 and r.json["error"]["code"] == "bad_channel"
    r = iclient.post("/api/v1/complaints", json=body(channel="phone"), headers=bearer(intake_app, "counter1"))
    assert r.status_code == 201
    r = iclient.post("/api/v1/complaints", json=body(subject="อีกเรื่อง"), headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401


def test_openapi_describes_the_complaint_routes(iclient):
    doc = iclient.get("/api/v1/openapi.json").json
    for path in ("/api/v1/complaints", "/api/v1/complaints/{tracking_code}",
                 "/api/v1/complaints/{tracking_code}/reopen"):
        assert path in doc["paths"]
    assert doc["components"]["schemas"]["ComplaintReceipt"]["required"] == ["tracking_code", "pin", "status",
                                                                           "due_at", "status_url"]


# --- the form ----------------------------------------------------------------------------------------------

def test_form_submit_records_the_qr_source_and_shows_code_and_pin(intake_app, iclient):
    page = iclient.get("/complaints/new?src=notice_board").get_data(as_text=True)
    assert 'name="src" value="notice_board"' in page and "ประกาศความเป็นส่วนตัว" in page
    r = form_post(iclient, {"type": "suggestion", "subject": "ขอเพิ่มไฟทาง", "details": "ขอให้ติดไฟทางซอย 4 เพิ่มเติม",
                            "src": "notice_board"})
    assert r.status_code == 200
    code, pin = receipt(r.get_data(as_text=True))
    with db(intake_app) as s:
        c = complaints.find(s, code)
        assert (c.source, c.channel, c.type) == ("notice_board", "web", "suggestion")
        assert complaints.public_status(s, code, pin=pin)["answer"]["subject"] == "ขอเพิ่มไฟทาง"


def test_every_rejection_is_explained_in_thai_on_the_form(iclient):
    r = form_post(iclient, {"type": "complaint", "subject": "ถนน", "details": "สั้น"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "รายละเอียดสั้นเกินไป" in html and 'value="ถนน"' in html  # values kept
    r = form_post(iclient, {"type": "complaint", "subject": "ถนนพัง", "details": "ถนนเป็นหลุมลึกมาก",
                            "website": "http://bot.example"})
    assert r.status_code == 422 and "อัตโนมัติ" in r.get_data(as_text=True)
    token = page_csrf(iclient)
    r = iclient.post("/complaints/new", data={"csrf_token": token, "type": "complaint", "subject": "ถนนพัง",
                                              "details": "ถนนเป็นหลุมลึกมาก"})
    assert r.status_code == 422 and "ความยินยอม" in r.get_data(as_text=True)


def test_a_second_submission_of_the_same_text_is_kept_and_never_shows_the_first_code(intake_app, iclient):
    """Finding 7: someone else's text again (other case and spacing, another address) used to answer 409 with
    *their* tracking code and drop the second person's complaint and contact details."""
    first = iclient.post("/api/v1/complaints", json=body(contact={"name": "ผู้ร้องคนแรก"}),
                         environ_base={"REMOTE_ADDR": "203.0.113.1"})
    assert first.status_code == 201
    first_code = first.json["tracking_code"]
    again = iclient.post("/api/v1/complaints", environ_base={"REMOTE_ADDR": "198.51.100.2"}, json=body(
        subject=body()["subject"].upper() + "  ", details="  " + body()["details"].replace(" ", "   "),
        contact={"name": "ผู้ร้องคนที่สอง", "phone": "0899999999"}))
    assert again.status_code == 201, again.get_data(as_text=True)
    assert again.json["tracking_code"] != first_code and first_code not in again.get_data(as_text=True)
    r = form_post(iclient, {"type": "complaint", "subject": body()["subject"], "details": body()["details"],
                            "contact_name": "ผู้ร้องคนที่สาม"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and first_code not in page
    third_code, _pin = receipt(page)
    with db(intake_app) as s:
        original = complaints.find(s, first_code)
        second, third = complaints.find(s, again.json["tracking_code"]), complaints.find(s, third_code)
        assert original.duplicate_of_id is None
        assert second.duplicate_of_id == third.duplicate_of_id == original.id  # marked for the officer
        assert (second.contact_name, second.contact_phone) == ("ผู้ร้องคนที่สอง", "0899999999")  # nothing dropped
        assert third.contact_name == "ผู้ร้องคนที่สาม"
    officer = staff_client(intake_app, "officer1")
    detail = officer.get(f"/office/complaints/{again.json['tracking_code']}").get_data(as_text=True)
    assert 'id="probable-duplicate"' in detail and first_code in detail


# --- privacy of the status page ----------------------------------------------------------------------------

def test_status_page_and_api_never_show_personal_data(intake_app, iclient):
    secrets_ = {"name": "นางสาวลับเฉพาะ", "phone": "0891234567", "email": "secret.person@example.com",
                "line_id": "secretline"}
    r = iclient.post("/api/v1/complaints", json=body(
        subject="หัวเรื่องส่วนตัวมาก", details="รายละเอียดมีบ้านเลขที่ 99/9 ของผู้ร้อง", place="บ้านเลขที่ 99/9",
        contact=secrets_, named_staff="นายเจ้าหน้าที่ถูกร้อง"))
    code, pin = r.json["tracking_code"], r.json["pin"]
    with db(intake_app) as s:
        officer = user(s, "officer1")
        complaints.acknowledge(s, code, officer)
        complaints.add_note(s, code, officer, note="บันทึกภายในห้ามเผยแพร่")
        complaints.answer(s, code, officer, text="คำตอบถึงผู้ร้อง")
    never = [*secrets_.values(), "99/9", "รายละเอียดมีบ้านเลขที่", "นายเจ้าหน้าที่ถูกร้อง", "บันทึกภายในห้ามเผยแพร่",
             "เจ้าหน้าที่รับเรื่องร้องเรียน", "officer1"]
    with db(intake_app) as s:
        open311_id = complaints.find(s, code).open311_id
    without_pin = [text_of(iclient.get(f"/c/{code}")), text_of(iclient.get(f"/api/v1/complaints/{code}")),
                   text_of(iclient.get(f"/open311/v2/requests/{open311_id}.json")),
                   text_of(iclient.get(f"/open311/v2/requests/{open311_id}.xml")),
                   text_of(iclient.get("/open311/v2/requests.json"))]
    assert open311_id in without_pin[-1] and "รับเรื่อง" in without_pin[0]  # the checks below look at real text
    token = page_csrf(iclient)
    with_pin = [text_of(iclient.post(f"/c/{code}", data={"csrf_token": token, "pin": pin})),
                text_of(iclient.get(f"/api/v1/complaints/{code}", headers={"X-Complaint-PIN": pin}))]
    for text in without_pin + with_pin:
        for item in never:
            assert item not in text, item
    for text in without_pin:
        assert "หัวเรื่องส่วนตัวมาก" not in text and "คำตอบถึงผู้ร้อง" not in text
    for text in with_pin:
        assert "คำตอบถึงผู้ร้อง" in text
    assert "noindex" in iclient.get(f"/c/{code}").headers["X-Robots-Tag"]


# --- XSS -----------------------------------------------------------------------------------------------------

def test_xss_in_every_text_field_is_escaped_on_every_page(intake_app, iclient):
    r = form_post(iclient, {"type": "complaint", "subject": "S" + XSS, "details": "D" + XSS, "place": "P" + XSS,
                            "named_staff": "N" + XSS, "contact_name": "C" + XSS})
    assert r.status_code == 200, r.get_data(as_text=True)[-500:]
    code, pin = receipt(r.get_data(as_text=True))
    with db(intake_app) as s:
        officer = user(s, "officer1")
        complaints.acknowledge(s, code, officer, note="A" + XSS)
        complaints.progress(s, code, officer, note="G" + XSS)
        complaints.add_note(s, code, officer, note="I" + XSS)
        complaints.answer(s, code, officer, text="R" + XSS)
    token = page_csrf(iclient)
    iclient.post(f"/c/{code}/reopen", data={"csrf_token": token, "pin": pin, "reason": "O" + XSS})
    with db(intake_app) as s:
        complaints.reject(s, code, user(s, "officer1"), reason="J" + XSS)
    # the form echoing a rejected submission back
    echoed = form_post(iclient, {"type": "complaint", "subject": "E" + XSS, "details": "short"})
    officer = staff_client(intake_app, "officer1")
    executive = staff_client(intake_app, "executive")
    pages = {
        "form echo": echoed,
        "status": iclient.get(f"/c/{code}"),
        "status+pin": iclient.post(f"/c/{code}", data={"csrf_token": token, "pin": pin}),
        "inbox": officer.get("/office/complaints?view=all"),
        "detail": officer.get(f"/office/complaints/{code}"),
        "contact": officer.get(f"/office/complaints/{code}/contact"),
        "exec detail": executive.get(f"/office/complaints/{code}"),
        "stats": iclient.get("/complaints/stats"),
        "track": iclient.get("/complaints/track?code=" + XSS),
    }
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, name
    detail = pages["detail"].get_data(as_text=True)
    for prefix in "SDPNAGIRJ":
        assert prefix + ESCAPED in detail or prefix + "&lt;script&gt;" in detail, prefix
    assert "C" + ESCAPED in pages["contact"].get_data(as_text=True)
    assert "S" + ESCAPED in pages["status+pin"].get_data(as_text=True)
    assert "script-src 'self'" in pages["status"].headers["Content-Security-Policy"]


# --- uploads -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "data", "code"), [
    ("photo.jpg", b"<html><script>alert(1)</script></html>", "bad_file_type"),
    ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "bad_file_type"),
    ("photo.jpg", image_bytes("PNG"), "extension_mismatch"),
    ("scan.pdf", image_bytes("JPEG"), "extension_mismatch"),
    ("photo.png", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "extension_mismatch"),
    ("anim.gif", image_bytes("GIF"), "bad_file_type"),
    ("broken.pdf", b"%PDF-1.4 truncated", "bad_pdf"),
])
def test_uploads_with_a_lying_name_or_bad_content_are_refused(intake_app, iclient, name, data, code):
    r = form_post(iclient, {"type": "complaint", "subject": f"แนบ {name}", "details": "แนบไฟล์ประกอบการร้องเรียน"},
                  files=[(io.BytesIO(data), name)])
    html = r.get_data(as_text=True)
    assert r.status_code == 422, html[-400:]
    assert name in html and "alert" in html  # the Thai explanation is on the page
    with db(intake_app) as s:
        from sqlalchemy import func, select

        assert s.scalar(select(func.count()).select_from(complaints.Complaint)) == 0


def test_good_uploads_are_stored_cleaned_and_limited(intake_app, iclient):
    jpeg = image_bytes("JPEG", exif=True)
    assert b"SecretPhoneMaker" in jpeg
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    r = form_post(iclient, {"type": "complaint", "subject": "มีรูปประกอบ", "details": "แนบรูปถ่ายและเอกสาร"},
                  files=[(io.BytesIO(jpeg), "IMG_0001.JPG"), (io.BytesIO(pdf), "หนังสือ.pdf")])
    assert r.status_code == 200, r.get_data(as_text=True)[-400:]
    code, _pin = receipt(r.get_data(as_text=True))
    with db(intake_app) as s:
        from sqlalchemy import select

        from intake.models import ComplaintAttachment
        rows = s.scalars(select(ComplaintAttachment).order_by(ComplaintAttachment.id)).all()
        assert [(f.content_type, f.filename) for f in rows] == [("image/jpeg", "IMG_0001.jpg"),
                                                                 ("application/pdf", "หนังสือ.pdf")]
        assert b"SecretPhoneMaker" not in rows[0].data  # EXIF (and GPS) dropped by re-encoding
    too_many = form_post(iclient, {"type": "complaint", "subject": "หลายไฟล์", "details": "แนบไฟล์หลายไฟล์"},
                         files=[(io.BytesIO(jpeg), f"{i}.jpg") for i in range(4)])
    assert too_many.status_code == 422 and "ไม่เกิน 3 ไฟล์" in too_many.get_data(as_text=True)


def test_size_limits_answer_413_in_thai_and_english(office_app_factory):
    from tests.intake.conftest import NO_LIMIT

    app = office_app_factory(COMPLAINT_RATE_LIMIT=NO_LIMIT, COMPLAINT_MAX_FILE_BYTES=2000, MAX_CONTENT_LENGTH=200_000)
    client = app.test_client()
    r = form_post(client, {"type": "complaint", "subject": "รูปใหญ่", "details": "แนบรูปใหญ่เกินกำหนด"},
                  files=[(io.BytesIO(image_bytes("PNG", size=(300, 300)) + b"\0" * 3000), "big.png")])
    html = r.get_data(as_text=True)
    assert r.status_code == 413 and "ใหญ่เกิน" in html and "larger than" in html
    r = form_post(client, {"type": "complaint", "subject": "ไฟล์ใหญ่มาก", "details": "ใหญ่กว่าที่ระบบรับ"},
                  files=[(io.BytesIO(b"\0" * 300_000), "huge.jpg")])
    assert r.status_code == 413 and "ขนาดใหญ่เกินกำหนด" in r.get_data(as_text=True)
    api = client.post("/api/v1/complaints", data=b"{" + b" " * 300_000 + b"}", content_type="application/json")
    assert api.status_code == 413 and api.json["error"]["message_en"]


# --- rate limits -----------------------------------------------------------------------------------------------

def test_rate_limits_hold_per_address_across_form_and_api(office_app_factory):
    app = office_app_factory(COMPLAINT_RATE_LIMIT="3 per minute", COMPLAINT_PIN_RATE_LIMIT="4 per minute")
    client = app.test_client()
    a = {"REMOTE_ADDR": "203.0.113.7"}
    codes = []
    for i in range(2):
        r = client.post("/api/v1/complaints", json=body(subject=f"เรื่องที่ {i}"), environ_base=a)
        assert r.status_code == 201
        codes.append(r.json)
    r = form_post(client, {"type": "complaint", "subject": "เรื่องที่ 3", "details": "รายละเอียดเรื่องที่สาม"},
                  environ_base=a)
    assert r.status_code == 200
    blocked = client.post("/api/v1/complaints", json=body(subject="เรื่องที่ 4"), environ_base=a)
    assert blocked.status_code == 429 and "ถี่เกินไป" in blocked.json["error"]["message_th"]
    blocked_form = form_post(client, {"type": "complaint", "subject": "เรื่องที่ 5", "details": "รายละเอียดที่ห้า"},
                             environ_base=a)
    assert blocked_form.status_code == 429 and "ถี่เกินไป" in blocked_form.get_data(as_text=True)
    other = client.post("/api/v1/complaints", json=body(subject="จากที่อื่น"), environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert other.status_code == 201  # per address
    from tests.conftest import bearer

    bot = bearer(app, "counter1")  # a LINE bot with a token sends for many citizens from one address
    assert all(client.post("/api/v1/complaints", json=body(subject=f"จากบอท {i}", channel="line"), headers=bot,
                           environ_base=a).status_code == 201 for i in range(4))
    forged = client.post("/api/v1/complaints", json=body(subject="โทเคนปลอม"),
                         headers={"Authorization": "Bearer forged"}, environ_base=a)
    assert forged.status_code == 401
    # PIN guessing is limited too; reading the status without a PIN is not
    code = codes[0]["tracking_code"]
    statuses = [client.get(f"/api/v1/complaints/{code}", headers={"X-Complaint-PIN": f"12345{i}"},
                           environ_base=a).status_code for i in range(5)]
    assert statuses[:4] == [403 if codes[0]["pin"] != f"12345{i}" else 200 for i in range(4)]
    assert statuses[4] == 429
    assert all(client.get(f"/api/v1/complaints/{code}", environ_base=a).status_code == 200 for _ in range(6))
