"""LINE end to end on loopback: the one-time link code in the answers and pages, the real webhook with
real HMAC signatures, replies with the reply token, pushes with X-Line-Retry-Key, retries, 429 back-off,
unfollow and "ยกเลิก", the queue's "อีก N คิว" and "ถึงคิวของท่านแล้ว", and the refusals."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

import notify
from intake import complaints
from notify.models import LinkStatus, Notice, NoticeStatus, NotifyLink
from tambon.db import get_session
from tambon.thaidate import utcnow
from tests.conftest import login
from tests.intake.conftest import body, db, user
from tests.notify.conftest import (
    SECRET,
    follow_event,
    notify_config,
    text_event,
    unfollow_event,
    webhook,
)

CITIZEN = "U" + "a1" * 16


def submit(client, **overrides) -> dict:
    r = client.post("/api/v1/complaints", json=body(**overrides))
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def drain(app, now=None) -> int:
    with app.app_context():
        return notify.drain_once(now)


def notices(app) -> list[Notice]:
    with db(app) as session:
        return list(session.scalars(select(Notice).order_by(Notice.id)).all())


def counts(app) -> tuple[int, int, int]:
    """(links, active links, notices)"""
    with db(app) as session:
        return (session.scalar(select(func.count()).select_from(NotifyLink)),
                session.scalar(select(func.count()).select_from(NotifyLink)
                               .where(NotifyLink.status == LinkStatus.ACTIVE)),
                session.scalar(select(func.count()).select_from(Notice)))


def officer_does(app, action, code, **kw):
    with db(app) as session:
        getattr(complaints, action)(session, code, user(session, "officer1"), **kw)


def linked(app, client, line_api, **overrides) -> dict:
    receipt = submit(client, **overrides)
    assert webhook(client, follow_event(CITIZEN), text_event(CITIZEN, receipt["line_link_code"])).status_code == 200
    drain(app)
    return receipt


def test_link_flow_end_to_end(napp, line_api):
    client = napp.test_client()
    receipt = submit(client)
    code = receipt["line_link_code"]
    assert re.fullmatch(r"\d{6}", code)

    # the citizen adds the OA (follow → a greeting) and sends the code, with Thai digits and a space
    thai = code.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    r = webhook(client, follow_event(CITIZEN), text_event(CITIZEN, f"{thai[:3]} {thai[3:]}"))
    assert r.status_code == 200
    assert line_api.requests == []  # the webhook answered without calling LINE: replies go via the outbox
    assert drain(napp) == 2
    greeting, confirmation = line_api.replies
    assert "ส่งรหัส 6 หลัก" in greeting["text"]
    assert receipt["tracking_code"] in confirmation["text"] and "ได้รับเรื่องของท่านแล้ว" in confirmation["text"]
    assert line_api.pushes == []  # replies are free: no push for them

    # later changes are pushed, each with its own retry key
    officer_does(napp, "acknowledge", receipt["tracking_code"])
    officer_does(napp, "answer", receipt["tracking_code"], text="เปลี่ยนหลอดไฟถนนแล้ว")
    assert drain(napp) == 2
    ack, answered = line_api.pushes
    assert ack["to"] == CITIZEN == answered["to"]
    assert "รับเรื่องไว้พิจารณาแล้ว" in ack["text"]
    assert "เปลี่ยนหลอดไฟถนนแล้ว" in answered["text"]
    assert "https://desk.tambon.example/c/" + receipt["tracking_code"] in answered["text"]
    assert receipt["pin"] not in answered["text"]
    assert ack["retry_key"] and ack["retry_key"] != answered["retry_key"]
    assert all(n.status == NoticeStatus.SENT for n in notices(napp))

    # the officer sees how the citizen is reachable and what was sent
    staff = napp.test_client()
    login(staff, "officer1")
    page = staff.get(f"/office/complaints/{receipt['tracking_code']}").get_data(as_text=True)
    assert "การแจ้งผลให้ผู้ร้อง" in page and "LINE — <b>ติดต่อได้</b>" in page
    assert page.count("ส่งแล้ว") == 3 and CITIZEN not in page

    # nothing is sent twice, however often the worker runs
    assert drain(napp, utcnow() + timedelta(days=1)) == 0
    assert len(line_api.pushes) == 2 and len(line_api.replies) == 2


def test_pages_show_the_link_step_only_when_line_is_configured(office_app_factory, line_api):
    on = office_app_factory(**notify_config(line_api))
    client = on.test_client()
    receipt = submit(client)
    r = client.post(f"/c/{receipt['tracking_code']}", data={
        "pin": receipt["pin"], "csrf_token": _csrf(client, f"/c/{receipt['tracking_code']}")})
    page = r.get_data(as_text=True)
    assert "รับแจ้งผลทาง LINE" in page and receipt["line_link_code"] in page
    assert "https://line.me/R/ti/p/%40tambon-oa" in page and "<svg" in page
    assert f"https://line.me/R/oaMessage/%40tambon-oa/?{receipt['line_link_code']}" in page
    # without the PIN the status page does not offer the link (it would let anyone follow the answer)
    assert "รับแจ้งผลทาง LINE" not in client.get(f"/c/{receipt['tracking_code']}").get_data(as_text=True)

    off = office_app_factory(**notify_config())
    client = off.test_client()
    receipt = submit(client)
    assert "line_link_code" not in receipt
    assert client.post("/line/webhook", data=b"{}", headers={"X-Line-Signature": "x"}).status_code == 404


def _csrf(client, path):
    from tests.conftest import csrf_from

    return csrf_from(client.get(path).get_data(as_text=True))


def test_forged_or_unsigned_webhook_is_refused_and_nothing_stored(napp, line_api):
    client = napp.test_client()
    receipt = submit(client)
    before = counts(napp)
    forged = webhook(client, text_event(CITIZEN, receipt["line_link_code"]), secret="not-the-channel-secret")
    assert forged.status_code == 400
    assert "X-Line-Signature" in forged.get_data(as_text=True)
    unsigned = client.post("/line/webhook", data=b'{"events": []}', headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 400
    assert counts(napp) == before
    assert drain(napp) == 0 and line_api.requests == []


def test_unknown_expired_and_reused_codes_are_refused(napp, line_api):
    client = napp.test_client()
    first = submit(client)
    second = submit(client, subject="ถนนเป็นหลุม", details="ถนนหน้าโรงเรียนเป็นหลุมลึก รถจักรยานยนต์ล้ม")
    assert webhook(client, text_event(CITIZEN, first["line_link_code"])).status_code == 200
    before = counts(napp)
    stranger = "U" + "b2" * 16
    unknown = "000000" if first["line_link_code"] != "000000" else "000001"
    webhook(client, text_event(stranger, first["line_link_code"]))  # used by someone else already
    webhook(client, text_event(stranger, unknown))
    with db(napp) as session:  # the second complaint's code runs out
        session.execute(NotifyLink.__table__.update().where(NotifyLink.link_code == second["line_link_code"])
                        .values(code_expires_at=utcnow() - timedelta(minutes=1)))
        session.commit()
    webhook(client, text_event(stranger, second["line_link_code"]))
    drain(napp)
    texts = [r["text"] for r in line_api.replies]
    assert any("ใช้ไปแล้ว" in t for t in texts)
    assert any("ไม่พบรหัสนี้" in t for t in texts)
    assert any("หมดอายุ" in t for t in texts)
    links_after, active_after, _ = counts(napp)
    assert (links_after, active_after) == before[:2]  # no link was made or changed for the stranger
    with db(napp) as session:
        assert session.scalar(select(func.count()).select_from(NotifyLink)
                              .where(NotifyLink.address == stranger)) == 0
        stored = session.scalars(select(Notice.sender_hash).where(Notice.kind == "reply.bad_code")).all()
    assert stored and stranger not in stored  # only a keyed hash, to count tries


def test_a_guesser_is_stopped_after_ten_bad_codes(napp, line_api):
    client = napp.test_client()
    receipt = submit(client)
    guesses = [f"{n:06d}" for n in range(12) if f"{n:06d}" != receipt["line_link_code"]][:11]
    webhook(client, *[text_event("U" + "c3" * 16, g) for g in guesses])
    webhook(client, text_event("U" + "c3" * 16, receipt["line_link_code"]))
    drain(napp)
    assert "หลายครั้ง" in line_api.replies[-1]["text"]
    assert counts(napp)[1] == 0  # the right code, sent after ten wrong ones within the hour, did not bind


def test_retries_keep_the_same_retry_key_and_429_backs_off(napp, line_api):
    client = napp.test_client()
    receipt = linked(napp, client, line_api)
    officer_does(napp, "acknowledge", receipt["tracking_code"])
    officer_does(napp, "progress", receipt["tracking_code"], note="ออกสำรวจพื้นที่แล้ว")
    line_api.script = [(500, {}), (429, {"Retry-After": "120"})]
    now = utcnow()
    # 500: that notice is retried after the back-off, and the channel's other notice waits as long
    assert drain(napp, now) == 1
    assert drain(napp, now + timedelta(seconds=5)) == 1  # the same notice again: 429, Retry-After 120 s
    waiting = [n for n in notices(napp) if n.status == NoticeStatus.WAITING]
    assert len(waiting) == 2
    # the 429 holds every LINE notice for at least Retry-After: nothing is tried before then
    assert all(n.next_attempt_at >= now + timedelta(seconds=125) for n in waiting)
    assert drain(napp, now + timedelta(seconds=60)) == 0
    assert drain(napp, now + timedelta(seconds=200)) == 2
    pushes = [r for r in line_api.requests if r["path"] == "/v2/bot/message/push"]
    keys = [r["headers"]["x-line-retry-key"] for r in pushes]
    assert len(keys) == 4 and keys[0] == keys[1] == keys[2] and keys[3] != keys[0]
    assert [r["status"] for r in pushes] == [500, 429, 200, 200]
    assert len(line_api.pushes) == 2  # each message once


def test_a_dead_line_service_never_slows_a_request(office_app_factory):
    import socket

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there
    app = office_app_factory(**notify_config(None, None, LINE_CHANNEL_SECRET=SECRET,
                                             LINE_CHANNEL_ACCESS_TOKEN="test-access-token",
                                             LINE_API_BASE_URL=f"http://127.0.0.1:{port}"))
    client = app.test_client()
    receipt = submit(client)
    assert webhook(client, text_event(CITIZEN, receipt["line_link_code"])).status_code == 200
    officer_does(app, "acknowledge", receipt["tracking_code"])  # commits at once: the notice only waits
    assert drain(app) == 1  # the reply failed: it and the push wait for LINE to come back
    assert {n.status for n in notices(app)} == {NoticeStatus.WAITING}
    assert "unreachable" in notices(app)[0].last_error


def test_unfollow_and_cancel_stop_notices(napp, line_api):
    client = napp.test_client()
    receipt = linked(napp, client, line_api)
    webhook(client, unfollow_event(CITIZEN))
    officer_does(napp, "acknowledge", receipt["tracking_code"])
    drain(napp)
    assert line_api.pushes == []
    with db(napp) as session:
        link = session.scalar(select(NotifyLink).where(NotifyLink.address == CITIZEN))
        assert link.status == LinkStatus.STOPPED and link.stop_reason == "unfollowed"

    other = submit(client, subject="น้ำประปาไม่ไหล", details="น้ำประปาไม่ไหลมาสองวันแล้ว หมู่ 3")
    webhook(client, text_event(CITIZEN, other["line_link_code"]))
    # a notice already waiting when the citizen cancels is not sent either
    officer_does(napp, "acknowledge", other["tracking_code"])
    webhook(client, text_event(CITIZEN, "ยกเลิก"))
    drain(napp)
    assert line_api.pushes == []
    assert "หยุดส่งการแจ้งเตือน" in line_api.replies[-1]["text"]
    skipped = [n for n in notices(napp) if n.kind == "complaint.acknowledged"]
    assert {n.status for n in skipped} == {NoticeStatus.SKIPPED}


def test_confidential_complaints_say_only_that_there_is_progress(napp, line_api):
    client = napp.test_client()
    receipt = linked(napp, client, line_api, type="staff_conduct", subject="เจ้าหน้าที่พูดจาไม่สุภาพ",
                     details="เจ้าหน้าที่ช่องชำระภาษีพูดจาไม่สุภาพกับผู้สูงอายุ")
    with db(napp) as session:  # confidential cases are routed by the executive to one officer
        officer, executive = user(session, "officer1"), user(session, "executive")
        complaints.acknowledge(session, receipt["tracking_code"], executive)
        complaints.assign(session, receipt["tracking_code"], executive, division="สำนักปลัด", assignee_id=officer.id)
        complaints.answer(session, receipt["tracking_code"], officer, text="ตักเตือนเจ้าหน้าที่และอบรมการให้บริการแล้ว")
    drain(napp)
    assert len(line_api.pushes) == 2  # acknowledged, answered (an assignment is not a citizen's notice)
    for push in line_api.pushes:
        assert "มีความคืบหน้า — ดูที่ลิงก์" in push["text"] and "+ PIN" in push["text"]
        assert "ตักเตือน" not in push["text"] and "สุภาพ" not in push["text"]


def test_queue_near_and_called_notices(napp, line_api):
    from kiosk import queue
    from kiosk.models import Counter

    client = napp.test_client()
    issued = [client.post("/api/v1/tickets", json={"service": "WELFARE"}).get_json() for _ in range(6)]
    mine = issued[-1]
    status = client.get(f"/api/v1/tickets/{mine['id']}").get_json()
    assert status["waiting_ahead"] == 5 and re.fullmatch(r"\d{6}", status["line_link_code"])
    assert client.get(f"/api/v1/tickets/{mine['id']}").get_json()["line_link_code"] == status["line_link_code"]
    phone = client.get(f"/t/{mine['id']}").get_data(as_text=True)
    assert "รับแจ้งผลทาง LINE" in phone and status["line_link_code"] in phone
    webhook(client, text_event(CITIZEN, status["line_link_code"]))
    drain(napp)
    assert mine["number"] in line_api.replies[-1]["text"]
    with napp.app_context():
        session = get_session()
        counter = session.scalar(select(Counter.id).where(Counter.name == "ช่อง 2"))

    def serve_next():
        with napp.app_context():
            session = get_session()
            queue.call_next(session, counter)
            queue.complete(session, counter)

    serve_next()  # 4 ahead: nothing yet
    drain(napp)
    assert line_api.pushes == []
    serve_next()  # 3 ahead
    drain(napp)
    [near] = line_api.pushes
    assert near["text"] == f"บัตรคิว {mine['number']}: อีก 3 คิวจะถึงคิวของท่าน"
    for _ in range(3):
        serve_next()
    drain(napp)
    assert len(line_api.pushes) == 1  # "near" is said once
    with napp.app_context():
        queue.call_next(get_session(), counter)
    drain(napp)
    assert line_api.pushes[-1]["text"] == f"ถึงคิวของท่านแล้ว ช่อง 2 (บัตรคิว {mine['number']})"
    # a finished ticket no longer offers a code
    assert client.get(f"/api/v1/tickets/{mine['id']}").get_json()["line_link_code"] is None


def test_webhook_redelivery_adds_nothing(napp, line_api):
    client = napp.test_client()
    receipt = submit(client)
    event = text_event(CITIZEN, receipt["line_link_code"])
    assert webhook(client, event).status_code == 200
    event["deliveryContext"] = {"isRedelivery": True}
    assert webhook(client, event).status_code == 200
    drain(napp)
    assert len(line_api.replies) == 1 and "ได้รับเรื่องของท่านแล้ว" in line_api.replies[0]["text"]
    assert SECRET not in str(notices(napp)[0].text)
