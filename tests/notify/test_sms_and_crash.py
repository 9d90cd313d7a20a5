"""SMS through a ThaiBulkSMS v2 gateway played on loopback (its documented request and answers), the
opt-in with PDPA consent, Thai mobile numbers, the monthly cap — and the crash window: a worker SIGKILLed
after the provider took the message and before the outbox recorded it.

The one unavoidable window, as the outbox handles it (notify/outbox.py):
- LINE push: sent again with the same X-Line-Retry-Key; LINE answers 409 — the citizen gets it once.
- SMS (no idempotency key at the gateway): marked 'interrupted' and never resent — at most once; the
  officer sees "ไม่ทราบผล" for that one message."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from notify.links import thai_mobile
from notify.models import Channel, LinkStatus, NoticeStatus, NotifyLink
from tambon.errors import Invalid
from tambon.thaidate import utcnow
from tests.conftest import csrf_from, login
from tests.intake.conftest import db
from tests.notify.conftest import notify_config, text_event, webhook
from tests.notify.test_line import CITIZEN, counts, drain, notices, officer_does, submit

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", ["0812345678", "081-234-5678", "+66 81 234 5678", "66812345678", "๐๘๑๒๓๔๕๖๗๘",
                                 "0612345678", "0998765432"])
def test_thai_mobile_numbers_are_accepted(raw):
    assert thai_mobile(raw) in ("66812345678", "66612345678", "66998765432")


@pytest.mark.parametrize("raw", ["021234567", "0212345678", "0512345678", "+1 415 555 0100", "081234567",
                                 "08123456789", "08l2345678", "", None, "+44 7911 123456"])
def test_other_numbers_are_refused(raw):
    with pytest.raises(Invalid) as err:
        thai_mobile(raw)
    assert "มือถือ" in err.value.message_th and "Thai mobile" in err.value.message_en


def _opt_in(client, page: str, **fields):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post("/notify/sms", data={"csrf_token": token, **fields})


def test_complaint_sms_opt_in_needs_pin_consent_and_a_thai_mobile(napp, sms_api):
    client = napp.test_client()
    receipt = submit(client)
    code = receipt["tracking_code"]
    page = f"/c/{code}"
    before = counts(napp)
    base = {"subject": "complaint", "ref": code, "pin": receipt["pin"], "consent": "1"}
    assert _opt_in(client, page, **base, phone="02-123-4567").status_code == 422
    assert _opt_in(client, page, **(base | {"consent": ""}), phone="081-234-5678").status_code == 422
    assert _opt_in(client, page, **(base | {"pin": "000000" if receipt["pin"] != "000000" else "111111"}),
                   phone="081-234-5678").status_code == 403
    assert counts(napp) == before  # refused: nothing stored
    ok = _opt_in(client, page, **base, phone="081-234-5678")
    assert ok.status_code == 200 and "081-xxx-5678" in ok.get_data(as_text=True)
    drain(napp)
    [confirm] = sms_api.messages
    assert confirm["to"] == "66812345678" and confirm["sender"] == "TAMBON" and code in confirm["text"]
    assert sms_api.requests[0]["form"]["force"] == "standard"
    officer_does(napp, "acknowledge", code)
    officer_does(napp, "answer", code, text="ซ่อมไฟถนนเรียบร้อยแล้ว")
    drain(napp)
    ack, answered = sms_api.messages[1:]
    assert "รับเรื่องไว้พิจารณาแล้ว" in ack["text"]
    assert "อ่านคำตอบที่" in answered["text"] and "ซ่อมไฟ" not in answered["text"]  # SMS: a prompt, short
    with db(napp) as session:
        link = session.scalar(select(NotifyLink).where(NotifyLink.channel == Channel.SMS))
        assert "ยินยอม" in link.consent_text
    staff = napp.test_client()
    login(staff, "officer1")
    detail = staff.get(f"/office/complaints/{code}").get_data(as_text=True)
    assert "SMS 081-xxx-5678" in detail and "0812345678" not in detail


def test_sms_retries_after_500_and_429_and_respects_the_monthly_cap(office_app_factory, sms_api):
    app = office_app_factory(**notify_config(None, sms_api, SMS_MONTHLY_CAP=2))
    client = app.test_client()
    receipt = submit(client)
    page = f"/c/{receipt['tracking_code']}"
    assert _opt_in(client, page, subject="complaint", ref=receipt["tracking_code"], pin=receipt["pin"], consent="1",
                   phone="0812345678").status_code == 200
    sms_api.script = [(500, {}), (429, {"Retry-After": "30"})]
    now = utcnow()
    assert drain(app, now) == 1 and drain(app, now + timedelta(seconds=5)) == 1
    [waiting] = notices(app)
    assert waiting.status == NoticeStatus.WAITING and waiting.next_attempt_at >= now + timedelta(seconds=35)
    assert drain(app, now + timedelta(seconds=60)) == 1
    assert len(sms_api.messages) == 1 and notices(app)[0].status == NoticeStatus.SENT
    officer_does(app, "acknowledge", receipt["tracking_code"])
    officer_does(app, "progress", receipt["tracking_code"], note="ออกสำรวจแล้ว")
    drain(app, now + timedelta(seconds=61))
    assert len(sms_api.messages) == 2  # the cap is 2 a month
    last = notices(app)[-1]
    assert last.status == NoticeStatus.SKIPPED and "cap" in last.last_error


def test_ticket_sms_opt_in_and_call(napp, sms_api):
    client = napp.test_client()
    ticket = client.post("/api/v1/tickets", json={"service": "TAX"}).get_json()
    page = f"/t/{ticket['id']}"
    assert "รับแจ้งทาง SMS" in client.get(page).get_data(as_text=True)
    assert _opt_in(client, page, subject="ticket", ref="A001", consent="1", phone="0812345678").status_code == 404
    assert _opt_in(client, page, subject="ticket", ref=ticket["id"], consent="1", phone="0812345678").status_code == 200
    from kiosk import queue
    from kiosk.models import Counter
    from tambon.db import get_session

    with napp.app_context():
        session = get_session()
        queue.call_next(session, session.scalar(select(Counter.id).where(Counter.name == "ช่อง 1")))
    drain(napp)
    assert [m["text"] for m in sms_api.messages] == [f"ถึงคิวของท่านแล้ว ช่อง 1 (บัตรคิว {ticket['number']})"]


# --- the crash window -----------------------------------------------------------------------------------------

WORKER = textwrap.dedent("""
    import json, sys
    from tambon import create_app
    import notify
    app = create_app(json.loads(sys.argv[1]))
    with app.app_context():
        notify.drain_once()
    print("finished without being killed")
""")


def _worker_killed_on_first_request(app, fake, tmp_path):
    config = {k: v for k, v in app.config.items() if k.startswith(("LINE_", "SMS_", "NOTIFY_", "COMPLAINT_"))
              or k in ("DATABASE_URL", "PUBLIC_BASE_URL")}
    config.update(INSTANCE_PATH=str(tmp_path / "worker-instance"), TESTING=True, SECRET_KEY="x", PRINTER_URL="none")
    proc: list[subprocess.Popen] = []

    def kill_before_the_answer(_record):
        # The provider has taken the message; its answer never reaches the worker.
        if proc:
            os.kill(proc[0].pid, signal.SIGKILL)
            fake.on_request = None

    fake.on_request = kill_before_the_answer
    proc.append(subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(config)], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    out, err = proc[0].communicate(timeout=120)
    assert proc[0].returncode == -signal.SIGKILL, (out, err)
    return proc[0].pid


def test_line_push_killed_between_send_and_record_is_delivered_once(napp, line_api, tmp_path):
    client = napp.test_client()
    receipt = submit(client)
    webhook(client, text_event(CITIZEN, receipt["line_link_code"]))
    drain(napp)  # the reply
    officer_does(napp, "acknowledge", receipt["tracking_code"])
    pid = _worker_killed_on_first_request(napp, line_api, tmp_path)
    assert len(line_api.pushes) == 1
    [stuck] = [n for n in notices(napp) if n.kind == "complaint.acknowledged"]
    assert stuck.status == NoticeStatus.SENDING and stuck.claimed_by.endswith(f":{pid}")

    assert drain(napp) == 1  # the dead worker's notice is tried again, with the same retry key
    first, again = [r for r in line_api.requests if r["path"] == "/v2/bot/message/push"]
    assert first["headers"]["x-line-retry-key"] == again["headers"]["x-line-retry-key"]
    assert again["status"] == 409  # LINE: "already accepted"
    assert len(line_api.pushes) == 1  # the citizen got it once
    [done] = [n for n in notices(napp) if n.kind == "complaint.acknowledged"]
    assert done.status == NoticeStatus.SENT and done.provider_ref


def test_sms_killed_between_send_and_record_is_never_resent(napp, sms_api, tmp_path):
    client = napp.test_client()
    receipt = submit(client)
    _opt_in(client, f"/c/{receipt['tracking_code']}", subject="complaint", ref=receipt["tracking_code"],
            pin=receipt["pin"], consent="1", phone="0812345678")
    drain(napp)
    officer_does(napp, "acknowledge", receipt["tracking_code"])
    _worker_killed_on_first_request(napp, sms_api, tmp_path)
    assert len(sms_api.messages) == 2
    drain(napp)
    drain(napp, utcnow() + timedelta(hours=2))
    assert len(sms_api.messages) == 2  # not sent a second time
    [n] = [n for n in notices(napp) if n.kind == "complaint.acknowledged"]
    assert n.status == NoticeStatus.INTERRUPTED and "not resent" in n.last_error
    staff = napp.test_client()
    login(staff, "officer1")
    assert "ไม่ทราบผล" in staff.get(f"/office/complaints/{receipt['tracking_code']}").get_data(as_text=True)


def test_links_hold_no_personal_data_of_an_unlinked_code(napp):
    client = napp.test_client()
    submit(client)
    with db(napp) as session:
        assert session.scalar(select(func.count()).select_from(NotifyLink).where(
            NotifyLink.status == LinkStatus.PENDING, NotifyLink.address.is_not(None))) == 0
