"""The SMS consent promises "ยกเลิกได้ทุกเมื่อที่สำนักงาน": an officer who may act on the case stops every
notice to the citizen from the case page; staff who may not see the case cannot; nothing goes out after."""

from __future__ import annotations

import re

from sqlalchemy import select

from intake import complaints
from intake.models import ComplaintEvent
from notify.models import LinkStatus, NoticeStatus, NotifyLink
from tests.intake.conftest import db, staff_client
from tests.notify.test_line import CITIZEN, drain, linked, notices, officer_does, submit


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_an_officer_who_can_act_stops_notices_and_nothing_is_sent_afterwards(napp, line_api, sms_api):
    client = napp.test_client()
    receipt = linked(napp, client, line_api)
    code = receipt["tracking_code"]
    # the same citizen also opted in to SMS at the counter
    r = client.post("/notify/sms", data={"csrf_token": _csrf(client.get(f"/c/{code}").get_data(as_text=True)),
                                         "subject": "complaint", "ref": code, "pin": receipt["pin"],
                                         "phone": "081-234-5678", "consent": "1"})
    assert r.status_code == 200, r.get_data(as_text=True)[-400:]
    drain(napp)
    assert len(sms_api.messages) == 1
    officer_does(napp, "acknowledge", code)  # a notice now waits in the outbox: it must not go either

    officer = staff_client(napp, "officer1")
    page = officer.get(f"/office/complaints/{code}").get_data(as_text=True)
    assert 'id="notify-stop"' in page
    r = officer.post(f"/office/complaints/{code}/notices/stop", data={"csrf_token": _csrf(page)})
    assert r.status_code == 302

    drain(napp)
    officer_does(napp, "answer", code, text="ซ่อมไฟถนนแล้ว")
    drain(napp)
    assert line_api.pushes == [] and len(sms_api.messages) == 1
    with db(napp) as session:
        c = complaints.find(session, code)
        links = session.scalars(select(NotifyLink).where(NotifyLink.subject_id == c.id)).all()
        assert {(link.status, link.stop_reason) for link in links} == {(LinkStatus.STOPPED, "staff")}
        [step] = session.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id,
                                                              ComplaintEvent.type == "notices_stopped")).all()
        assert not step.public and "LINE" in step.text and "SMS" in step.text
        assert CITIZEN not in step.text and "812345678" not in step.text and "5678" not in step.text
    acknowledged = [n for n in notices(napp) if n.kind == "complaint.acknowledged"]
    assert {n.status for n in acknowledged} == {NoticeStatus.SKIPPED}
    page = officer.get(f"/office/complaints/{code}").get_data(as_text=True)
    assert "เจ้าหน้าที่หยุดตามคำขอของผู้ร้อง" in page and "หยุดส่งการแจ้งผลให้ผู้ร้อง" in page
    assert 'id="notify-stop"' not in page  # nothing left to stop


def test_staff_who_may_not_see_the_case_cannot_stop_its_notices(napp, line_api):
    client = napp.test_client()
    # a staff-conduct complaint: the executive's, not an officer's (intake.access)
    receipt = linked(napp, client, line_api, type="staff_conduct", subject="เจ้าหน้าที่พูดจาไม่สุภาพ")
    code = receipt["tracking_code"]
    officer = staff_client(napp, "officer1")
    token = _csrf(officer.get("/office/complaints").get_data(as_text=True))
    assert officer.post(f"/office/complaints/{code}/notices/stop", data={"csrf_token": token}).status_code == 404
    counter = staff_client(napp, "counter1")
    token = _csrf(counter.get("/").get_data(as_text=True))
    general = submit(client, subject="น้ำประปาไม่ไหล", details="น้ำประปาไม่ไหลมาสองวันแล้ว หมู่ 3")
    assert counter.post(f"/office/complaints/{general['tracking_code']}/notices/stop",
                        data={"csrf_token": token}).status_code in (403, 404)

    executive = staff_client(napp, "executive")
    page = executive.get(f"/office/complaints/{code}").get_data(as_text=True)
    assert 'id="notify-stop"' in page
    with db(napp) as session:
        c = complaints.find(session, code)
        assert session.scalar(select(NotifyLink.status).where(NotifyLink.subject_id == c.id,
                                                              NotifyLink.address == CITIZEN)) == LinkStatus.ACTIVE
        assert session.scalar(select(ComplaintEvent.id).where(ComplaintEvent.type == "notices_stopped")) is None
    # and the notices still go out
    with db(napp) as session:
        from tests.intake.conftest import user

        complaints.acknowledge(session, code, user(session, "executive"))
    drain(napp)
    assert len(line_api.pushes) == 1


def test_who_may_stop_is_exactly_who_may_act_on_the_case(napp, line_api):
    """Every account of the office against a general case, a staff-conduct case and a general case naming
    staff1: the stop button works for exactly those intake.access.can_act allows, and a refusal changes
    nothing (the case's pending LINE code stays usable)."""
    from intake import access
    from tests.intake.conftest import user

    client = napp.test_client()
    usernames = ["admin", "counter1", "officer1", "officer2", "staff1", "executive"]
    clients = {name: staff_client(napp, name) for name in usernames}
    tokens = {name: _csrf(c.get("/").get_data(as_text=True)) for name, c in clients.items()}
    kinds = {"general": {}, "staff_conduct": {"type": "staff_conduct", "subject": "เจ้าหน้าที่พูดจาไม่สุภาพ"},
             "names_staff1": {}}
    for kind, fields in kinds.items():
        for name in usernames:
            code = submit(client, **fields)["tracking_code"]
            with db(napp) as session:
                if kind == "names_staff1":
                    complaints.set_named_staff(session, code, user(session, "executive"),
                                               named_user_id=user(session, "staff1").id)
                c = complaints.find(session, code)
                allowed = access.can_act(user(session, name), c, session)
            r = clients[name].post(f"/office/complaints/{code}/notices/stop", data={"csrf_token": tokens[name]})
            assert (r.status_code == 302) == allowed, (kind, name, r.status_code)
            assert allowed or r.status_code in (403, 404)
            with db(napp) as session:
                c = complaints.find(session, code)
                status = session.scalar(select(NotifyLink.status).where(NotifyLink.subject_kind == "complaint",
                                                                  NotifyLink.subject_id == c.id))
            assert status == (LinkStatus.STOPPED if allowed else LinkStatus.PENDING), (kind, name)
