"""`tambon complaints …`: digest (printed, and e-mailed through a real SMTP socket), purge, holidays,
posters; the demo hook."""

from __future__ import annotations

import socketserver
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from intake import complaints
from intake.models import Complaint, ComplaintAttachment, ComplaintEvent, Holiday
from intake.uploads import check_file
from tests.conftest import at
from tests.intake.conftest import NO_LIMIT, body, db, user


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to receive a message: the notifier talks to a real socket."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        message = {"rcpt": []}
        while True:
            line = self.rfile.readline().decode()
            if not line:
                return
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250 test\r\n")
            elif verb == "MAIL":
                self.wfile.write(b"250 OK\r\n")
            elif verb == "RCPT":
                message["rcpt"].append(line.split(":", 1)[1].strip().strip("<>"))
                self.wfile.write(b"250 OK\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                message["data"] = b"".join(data)
                self.server.messages.append(dict(message))
                message = {"rcpt": []}
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _overdue_history(app):
    with db(app) as s:
        officer, executive = user(s, "officer1"), user(s, "executive")
        late = complaints.submit(s, body(subject="ขยะตกค้าง"), now=at("2026-11-02 09:00")).tracking_code
        complaints.acknowledge(s, late, officer, now=at("2026-11-02 10:00"))
        complaints.assign(s, late, officer, division="สำนักปลัด", assignee_id=officer.id,
                          settings=app.extensions["intake.settings"], now=at("2026-11-02 11:00"))
        secret = complaints.submit(s, body(type="corruption", subject="เรียกรับเงิน"),
                                   now=at("2026-11-03 09:00")).tracking_code
        nearly = complaints.submit(s, body(subject="ท่อระบายน้ำตัน"), now=at("2026-11-08 09:00")).tracking_code
        complaints.acknowledge(s, nearly, executive, now=at("2026-11-09 09:00"))
    return late, secret, nearly


def test_digest_prints_per_officer_and_executive(intake_app):
    late, secret, nearly = _overdue_history(intake_app)
    result = intake_app.test_cli_runner().invoke(args=["complaints", "digest", "--as-of", "2026-11-20"])
    assert result.exit_code == 0, result.output
    out = result.output
    officer_part = out.split("เจ้าหน้าที่รับเรื่องร้องเรียน")[1].split("สรุปเรื่องร้องเรียนประจำวัน")[0]
    executive_part = out.split("— ปลัด อบต.")[1].split("สรุปเรื่องร้องเรียนประจำวัน")[0]
    assert late in officer_part and secret not in officer_part
    assert late in executive_part and secret in executive_part and "(เรื่องลับ)" in executive_part
    assert "เรียกรับเงิน" not in out  # confidential subjects never printed or mailed
    assert nearly in executive_part.split("ใกล้ครบกำหนด")[1]  # due 23 Nov: within 2 working days of 20 Nov
    assert "SMTP" in result.output


def test_digest_is_emailed_when_smtp_is_configured(office_app_factory, smtp_server):
    app = office_app_factory(COMPLAINT_RATE_LIMIT=NO_LIMIT, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.server_address[1],
                      SMTP_STARTTLS=False, SMTP_FROM="desk@tambon.example",
                      COMPLAINT_DIGEST_EMAILS="officer1=officer1@tambon.example,executive=exec@tambon.example")
    _overdue_history(app)
    result = app.test_cli_runner().invoke(args=["complaints", "digest", "--as-of", "2026-11-20", "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(m["rcpt"][0] for m in smtp_server.messages) == ["exec@tambon.example", "officer1@tambon.example"]
    assert all(b"Subject:" in m["data"] for m in smtp_server.messages)


def test_citizen_gets_an_email_notice_on_status_change(office_app_factory, smtp_server):
    app = office_app_factory(COMPLAINT_RATE_LIMIT=NO_LIMIT, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.server_address[1],
                      SMTP_STARTTLS=False)
    client = app.test_client()
    r = client.post("/api/v1/complaints", json=body(contact={"email": "citizen@example.com"}, notify=True))
    assert r.status_code == 201
    assert smtp_server.messages == []  # no mail for the receipt itself: the citizen has the page already
    with app.test_request_context():
        from tambon.db import get_session

        s = get_session()
        complaints.acknowledge(s, r.json["tracking_code"], user(s, "officer1"))
        assert smtp_server.messages == []  # written to the notice outbox (notify/), sent by its worker
        import notify

        assert notify.drain_once() == 1
    assert [m["rcpt"] for m in smtp_server.messages] == [["citizen@example.com"]]
    assert r.json["pin"].encode() not in smtp_server.messages[0]["data"]  # the PIN never travels by mail


def test_purge_personal_data(intake_app):
    import io

    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, "PNG")
    with db(intake_app) as s:
        officer = user(s, "officer1")
        photo = check_file("a.png", buf.getvalue(), max_bytes=10**6)
        old = complaints.submit(s, body(contact={"name": "ผู้ร้องเก่า", "phone": "0800000000"}), files=[photo],
                                now=at("2024-01-10 09:00")).tracking_code
        complaints.acknowledge(s, old, officer, now=at("2024-01-10 10:00"))
        complaints.answer(s, old, officer, text="เรียบร้อย", close=True, now=at("2024-01-12 10:00"))
        still_open = complaints.submit(s, body(subject="ยังไม่เสร็จ", contact={"name": "ผู้ร้องค้าง"}),
                                       now=at("2024-01-10 09:00")).tracking_code
    runner = intake_app.test_cli_runner()
    dry = runner.invoke(args=["complaints", "purge-personal-data", "--older-than-days", "365", "--dry-run"])
    assert dry.exit_code == 0 and old in dry.output and still_open not in dry.output
    done = runner.invoke(args=["complaints", "purge-personal-data", "--older-than-days", "365"])
    assert done.exit_code == 0 and old in done.output
    with db(intake_app) as s:
        c = complaints.find(s, old)
        assert (c.contact_name, c.contact_phone, c.anonymous) == (None, None, True)
        assert c.personal_data_purged_at is not None and c.status == "closed"  # the case stays for statistics
        assert s.scalar(select(func.count()).select_from(ComplaintAttachment)) == 0
        assert s.scalar(select(ComplaintEvent.type).where(ComplaintEvent.complaint_id == c.id)
                        .order_by(ComplaintEvent.id.desc()).limit(1)) == "purged"
        assert complaints.find(s, still_open).contact_name == "ผู้ร้องค้าง"
    again = runner.invoke(args=["complaints", "purge-personal-data", "--older-than-days", "365"])
    assert again.exit_code == 0 and "0" in again.output
    bad = runner.invoke(args=["complaints", "purge-personal-data", "--older-than-days", "0"])
    assert bad.exit_code == 2


def test_holiday_commands(intake_app):
    runner = intake_app.test_cli_runner()
    assert runner.invoke(args=["complaints", "holiday", "add", "2026-03-03", "วันมาฆบูชา"]).exit_code == 0
    listed = runner.invoke(args=["complaints", "holiday", "list", "--year", "2026"])
    assert "2026-03-03  วันมาฆบูชา" in listed.output and "2026-12-07  ชดเชยวันพ่อแห่งชาติ" in listed.output
    assert runner.invoke(args=["complaints", "holiday", "add", "3/3/2569", "x"]).exit_code == 2
    assert runner.invoke(args=["complaints", "holiday", "remove", "2026-03-04"]).exit_code == 2
    assert runner.invoke(args=["complaints", "holiday", "remove", "2026-03-03"]).exit_code == 0
    with db(intake_app) as s:
        assert s.scalar(select(func.count()).select_from(Holiday)) == 0


def test_poster_command(intake_app, tmp_path):
    from PIL import Image

    runner = intake_app.test_cli_runner()
    out = tmp_path / "counter.png"
    r = runner.invoke(args=["complaints", "poster", "--src", "counter", "--size", "A5", "--base-url",
                            "https://tambon.example", "--out", str(out)])
    assert r.exit_code == 0, r.output
    with Image.open(out) as img:
        assert img.size == (874, 1240)  # A5 at 150 dpi
    pdf = tmp_path / "board.pdf"
    r = runner.invoke(args=["complaints", "poster", "--src", "notice_board", "--base-url", "https://t.example",
                            "--out", str(pdf)])
    assert r.exit_code == 0 and pdf.read_bytes()[:5] == b"%PDF-"
    assert runner.invoke(args=["complaints", "poster", "--src", "nowhere", "--out", str(pdf)]).exit_code == 2


def test_poster_qr_decodes_to_the_form_with_its_source(intake_app):
    """The QR matrix on the poster is the one for the form URL with ?src= (compared module by module)."""
    from intake.posters import qr_image

    url = "https://tambon.example/complaints/new?src=kiosk"
    a, b = qr_image(url), qr_image(url)
    assert a.tobytes() == b.tobytes() and a.tobytes() != qr_image(url.replace("kiosk", "counter")).tobytes()


def test_demo_hook_is_idempotent(intake_app):
    from kiosk.demo import load_demo
    from tambon.thaidate import utcnow

    with intake_app.test_request_context():
        from tambon.db import get_session

        s = get_session()
        load_demo(s)
        for hook in intake_app.extensions["tambon.demo_hooks"]:
            hook(s)
        first = s.scalar(select(func.count()).select_from(Complaint))
        for hook in intake_app.extensions["tambon.demo_hooks"]:
            hook(s)
        assert s.scalar(select(func.count()).select_from(Complaint)) == first == 6
        statuses = set(s.scalars(select(Complaint.status)))
        assert {"closed", "assigned", "received"} <= statuses
        assert s.scalar(select(func.count()).select_from(Complaint).where(
            Complaint.due_at < utcnow() - timedelta(days=1), Complaint.status.in_(("assigned",)))) == 1
