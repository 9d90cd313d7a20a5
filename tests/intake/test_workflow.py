"""The whole workflow as domain functions, its illegal transitions, the append-only event log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from intake import complaints
from intake.models import Complaint, ComplaintEvent
from intake.settings import IntakeSettings
from tambon.errors import Conflict, Invalid, NotFound
from tests.conftest import at
from tests.intake.conftest import body, user

S = IntakeSettings()


def events_of(session, code):
    c = session.scalar(select(Complaint).where(Complaint.tracking_code == code))
    return session.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id)
                           .order_by(ComplaintEvent.id)).all()


def test_full_workflow_records_who_and_when(isession):
    officer, executive = user(isession, "officer1"), user(isession, "executive")
    r = complaints.submit(isession, body(contact={"name": "สมหญิง", "phone": "081-234-5678"}),
                          now=at("2026-11-23 09:00"))
    assert r.status == "received" and len(r.pin) == 6 and r.tracking_code.startswith("TB-")
    code = r.tracking_code
    complaints.acknowledge(isession, code, officer, note="รับเรื่องแล้วค่ะ", now=at("2026-11-23 10:00"))
    complaints.assign(isession, code, executive, division="กองช่าง", assignee_id=officer.id, settings=S,
                      now=at("2026-11-23 11:00"))
    complaints.progress(isession, code, officer, note="ออกสำรวจพื้นที่แล้ว", now=at("2026-11-24 09:00"))
    complaints.add_note(isession, code, officer, note="ผู้ร้องเป็นญาตินายก ระวังเรื่องผลประโยชน์ทับซ้อน",
                        now=at("2026-11-24 09:05"))
    complaints.answer(isession, code, officer, text="เปลี่ยนหลอดไฟแล้ว", now=at("2026-11-26 15:00"))
    complaints.close(isession, code, officer, now=at("2026-11-27 08:00"))
    c = complaints.find(isession, code)
    assert c.status == "closed" and c.division == "กองช่าง" and c.assigned_user_id == officer.id
    assert c.acknowledged_at == at("2026-11-23 10:00") and c.answered_at == at("2026-11-26 15:00")
    evs = events_of(isession, code)
    assert [e.type for e in evs] == ["submitted", "acknowledged", "assigned", "progress", "note", "answered",
                                     "closed"]
    assert [e.user_id for e in evs] == [None, officer.id, executive.id, officer.id, officer.id, officer.id,
                                        officer.id]
    assert evs[0].actor == "citizen" and all(e.actor == "staff" for e in evs[1:])
    assert [e.at for e in evs][1] == at("2026-11-23 10:00")
    note = next(e for e in evs if e.type == "note")
    assert note.public is False
    # the public side: status history without the internal note, the answer only with the PIN
    public = complaints.public_status(isession, code)
    assert "answer" not in public
    assert [h["event"] for h in public["history"]] == ["submitted", "acknowledged", "assigned", "progress",
                                                       "answered", "closed"]
    assert "ญาตินายก" not in str(public)
    with_pin = complaints.public_status(isession, code, pin=r.pin)
    assert with_pin["answer"]["text"] == "เปลี่ยนหลอดไฟแล้ว" and with_pin["can_reopen"] is True
    assert "ญาตินายก" not in str(with_pin)


def test_citizen_reopens_not_solved_with_a_new_deadline(isession):
    officer = user(isession, "officer1")
    r = complaints.submit(isession, body(), now=at("2026-11-23 09:00"))
    complaints.acknowledge(isession, r.tracking_code, officer, now=at("2026-11-23 09:30"))
    complaints.answer(isession, r.tracking_code, officer, text="แก้ไขแล้ว", close=True, now=at("2026-11-25 10:00"))
    with pytest.raises(Exception) as wrong:
        complaints.reopen(isession, r.tracking_code, "000000" if r.pin != "000000" else "111111",
                          reason="ยังดับอยู่", settings=S, now=at("2026-11-26 10:00"))
    assert wrong.value.status == 403
    c = complaints.reopen(isession, r.tracking_code, r.pin, reason="ไฟยังดับอยู่เหมือนเดิม", settings=S,
                          now=at("2026-11-26 10:00"))
    assert c.status == "reopened" and c.reopen_count == 1 and c.closed_at is None
    # 26 Nov 2026 (Thu) + 15 days = 11 Dec (Fri), a working day
    assert c.due_at == at("2026-12-11 23:59").replace(second=59)
    ev = events_of(isession, r.tracking_code)[-1]
    assert ev.type == "reopened" and ev.actor == "citizen" and ev.user_id is None
    # worked on again, answered again
    complaints.progress(isession, r.tracking_code, officer, note="ส่งช่างไปตรวจซ้ำ", now=at("2026-11-27 09:00"))
    complaints.answer(isession, r.tracking_code, officer, text="เปลี่ยนสายไฟแล้ว", now=at("2026-11-30 09:00"))
    assert complaints.find(isession, r.tracking_code).reopen_count == 1


ILLEGAL = [
    # (how far to go first, the illegal action)
    ([], "assign"), ([], "progress"), ([], "answer"), ([], "close"),
    (["acknowledge"], "acknowledge"), (["acknowledge"], "close"),
    (["acknowledge", "answer"], "answer"), (["acknowledge", "answer"], "reject"),
    (["acknowledge", "answer"], "forward"), (["acknowledge", "answer"], "progress"),
    (["acknowledge", "answer", "close"], "close"), (["acknowledge", "answer", "close"], "assign"),
    (["reject"], "acknowledge"), (["reject"], "answer"), (["reject"], "reject"),
    (["forward"], "progress"), (["forward"], "close"),
]


def _do(session, action, code, officer):
    return {
        "acknowledge": lambda: complaints.acknowledge(session, code, officer),
        "assign": lambda: complaints.assign(session, code, officer, division="สำนักปลัด", settings=S),
        "progress": lambda: complaints.progress(session, code, officer, note="กำลังดำเนินการ"),
        "answer": lambda: complaints.answer(session, code, officer, text="คำตอบ"),
        "close": lambda: complaints.close(session, code, officer),
        "reject": lambda: complaints.reject(session, code, officer, reason="ไม่อยู่ในอำนาจหน้าที่"),
        "forward": lambda: complaints.forward(session, code, officer, agency="การไฟฟ้าส่วนภูมิภาค"),
    }[action]()


@pytest.mark.parametrize(("steps", "action"), ILLEGAL)
def test_illegal_transitions_are_409_and_change_nothing(isession, steps, action):
    officer = user(isession, "officer1")
    r = complaints.submit(isession, body(subject=f"เรื่อง {action} {'-'.join(steps)}"))
    for step in steps:
        _do(isession, step, r.tracking_code, officer)
    before = complaints.find(isession, r.tracking_code).status
    n_events = len(events_of(isession, r.tracking_code))
    with pytest.raises(Conflict) as err:
        _do(isession, action, r.tracking_code, officer)
    assert err.value.status == 409 and err.value.code == "illegal_transition"
    assert "จึง" in err.value.message_th  # explained in Thai
    isession.expire_all()
    assert complaints.find(isession, r.tracking_code).status == before
    assert len(events_of(isession, r.tracking_code)) == n_events


def test_reopen_only_after_an_answer(isession):
    r = complaints.submit(isession, body())
    with pytest.raises(Conflict):
        complaints.reopen(isession, r.tracking_code, r.pin, reason="ยังไม่แก้", settings=S)


def test_reject_and_forward_are_final_and_public(isession):
    officer = user(isession, "officer1")
    a = complaints.submit(isession, body(subject="ถนนของกรมทางหลวงชำรุด"))
    complaints.forward(isession, a.tracking_code, officer, agency="แขวงทางหลวงชนบท")
    b = complaints.submit(isession, body(subject="ข้อความไม่มีสาระ"))
    complaints.reject(isession, b.tracking_code, officer, reason="ข้อมูลไม่เพียงพอที่จะดำเนินการ")
    pa = complaints.public_status(isession, a.tracking_code)
    assert pa["status"] == "forwarded" and pa["history"][-1]["agency"] == "แขวงทางหลวงชนบท"
    pb = complaints.public_status(isession, b.tracking_code)
    assert pb["history"][-1]["note"] == "ข้อมูลไม่เพียงพอที่จะดำเนินการ"
    assert complaints.find(isession, b.tracking_code).acknowledged_at is not None  # a final answer responds


def test_validation_explained_in_thai(isession):
    cases = [
        (body(consent=False), "consent_required"), (body(type="spam"), "bad_type"),
        (body(subject=""), "missing_subject"), (body(details="สั้น"), "short_details"),
        (body(subject="x" * 201), "long_subject"), (body(occurred_on="2999-01-01"), "future_occurred_on"),
        (body(occurred_on="31/12/2568"), "bad_occurred_on"), (body(anonymous=True, contact={"name": "ก"}),
                                                              "anonymous_with_contact"),
        (body(contact={"email": "not-an-email"}), "bad_email"), (body(contact={"phone": "abc"}), "bad_phone"),
        (body(channel="walk_in"), "bad_channel"), (body(website="http://spam.example"), "honeypot"),
        (body(contact="สมชาย"), "bad_contact"), (body(subject=12), "bad_subject"),
    ]
    for data, code in cases:
        with pytest.raises(Invalid) as err:
            complaints.submit(isession, data)
        assert err.value.code == code, (data, err.value.code)
        assert err.value.message_th and any("\u0e00" <= ch <= "\u0e7f" for ch in err.value.message_th)
    assert isession.scalar(select(Complaint.id)) is None  # nothing stored


def test_the_same_text_within_24_hours_is_kept_and_marked_as_a_probable_duplicate(isession):
    first = complaints.submit(isession, body(), now=at("2026-11-23 09:00"))
    second = complaints.submit(isession, body(details="  ไฟถนนหน้าบ้านเลขที่ 12   ดับมาสามวันแล้ว "),
                               now=at("2026-11-23 15:00"))
    assert second.tracking_code != first.tracking_code
    assert complaints.find(isession, second.tracking_code).duplicate_of_id == first.complaint_id
    later = complaints.submit(isession, body(), now=at("2026-11-24 15:01"))  # a day after both: a new case
    assert complaints.find(isession, later.tracking_code).duplicate_of_id is None


def test_unknown_code_is_404(isession):
    with pytest.raises(NotFound):
        complaints.public_status(isession, "TB-AAAA-AAAA")
    with pytest.raises(NotFound):
        complaints.public_status(isession, "'; DROP TABLE complaints; --")


def test_codes_are_normalised_and_unguessable(isession):
    from intake.codes import ALPHABET, normalize_code

    r = complaints.submit(isession, body())
    messy = " " + r.tracking_code.lower().replace("-", " ") + " "
    assert complaints.public_status(isession, messy)["tracking_code"] == r.tracking_code
    assert normalize_code("TB-0000-0000") is None  # 0 is not in the alphabet (looks like O)
    assert not set("01ILOSZB25") & set(ALPHABET)
    seen = {complaints.submit(isession, body(subject=f"เรื่องที่ {i}")).tracking_code for i in range(30)}
    assert len(seen) == 30


def test_wrong_pins_lock_out_the_guesser_only_with_a_growing_wait(isession):
    """Finding 6: ten wrong PINs from one address used to lock the citizen out of their answer for an hour."""
    from intake.complaints import PIN_FREE_TRIES, pin_lock_for

    r = complaints.submit(isession, body(), now=at("2026-11-23 09:00"))
    wrong = "123456" if r.pin != "123456" else "654321"
    now = at("2026-11-23 10:00")
    for _ in range(PIN_FREE_TRIES):
        with pytest.raises(Exception) as err:
            complaints.public_status(isession, r.tracking_code, pin=wrong, client="stranger", now=now)
        assert err.value.status == 403
    with pytest.raises(Exception) as err:  # the stranger now waits, even with the right PIN
        complaints.public_status(isession, r.tracking_code, pin=r.pin, client="stranger", now=now)
    assert err.value.status == 429 and err.value.code == "pin_locked"
    # the citizen, from their own address, reads the answer all the same
    assert "answer" in complaints.public_status(isession, r.tracking_code, pin=r.pin, client="citizen", now=now)
    # the wait grows with each further wrong PIN, up to an hour
    assert [pin_lock_for(n) for n in range(PIN_FREE_TRIES)] == [None] * PIN_FREE_TRIES
    waits = [pin_lock_for(n) for n in range(PIN_FREE_TRIES, PIN_FREE_TRIES + 10)]
    assert waits == sorted(waits) and waits[0] < waits[3] and max(waits) == timedelta(hours=1)
    later = now + waits[0] + timedelta(seconds=1)
    with pytest.raises(Exception) as err:  # one more wrong PIN after the first wait: a longer one
        complaints.public_status(isession, r.tracking_code, pin=wrong, client="stranger", now=later)
    assert err.value.status == 403
    with pytest.raises(Exception) as err:
        complaints.public_status(isession, r.tracking_code, pin=r.pin, client="stranger",
                                 now=later + waits[0] + timedelta(seconds=1))
    assert err.value.status == 429
    assert "answer" in complaints.public_status(isession, r.tracking_code, pin=r.pin, client="stranger",
                                                now=later + waits[1] + timedelta(seconds=1))


def test_complaint_events_are_append_only(intake_app, isession):
    complaints.submit(isession, body())
    isession.commit()
    engine = intake_app.extensions["tambon.engine"]
    for statement in ("UPDATE complaint_events SET text = 'forged'", "DELETE FROM complaint_events"):
        with engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement))
            conn.commit()
    for statement in ("UPDATE complaint_access_log SET what = 'x'", "DELETE FROM complaint_access_log"):
        with engine.connect() as conn:
            conn.execute(text(statement))  # no rows yet: nothing to refuse, but the trigger exists:
            trig = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type='trigger' AND "
                                     "tbl_name='complaint_access_log'")).scalar()
            assert trig == 2


def test_assignment_rules(isession):
    officer, executive, staff1 = (user(isession, n) for n in ("officer1", "executive", "staff1"))
    r = complaints.submit(isession, body(type="staff_conduct", subject="เจ้าหน้าที่ไม่สุภาพ"))
    complaints.acknowledge(isession, r.tracking_code, executive)
    complaints.set_named_staff(isession, r.tracking_code, executive, named_user_id=staff1.id)
    with pytest.raises(Conflict) as err:
        complaints.assign(isession, r.tracking_code, executive, division="สำนักปลัด", assignee_id=staff1.id,
                          settings=S)
    assert err.value.code == "assignee_named" and "ถูกร้องเรียน" in err.value.message_th
    with pytest.raises(Invalid):
        complaints.assign(isession, r.tracking_code, executive, division="กองที่ไม่มีอยู่จริง", settings=S)
    with pytest.raises(NotFound):  # an officer not assigned cannot even see it
        complaints.assign(isession, r.tracking_code, officer, division="สำนักปลัด", settings=S)
    complaints.assign(isession, r.tracking_code, executive, division="สำนักปลัด", assignee_id=officer.id,
                      settings=S)
    with pytest.raises(Exception) as err:  # the assigned officer may work on it but not re-route it
        complaints.assign(isession, r.tracking_code, officer, division="กองคลัง", settings=S)
    assert err.value.status == 403
    complaints.progress(isession, r.tracking_code, officer, note="สอบข้อเท็จจริงแล้ว")


def test_reopen_without_a_reason_is_refused_in_both_languages(isession):
    """The API and the form pass the reason straight from the request: it may be missing."""
    officer = user(isession, "officer1")
    r = complaints.submit(isession, body())
    complaints.acknowledge(isession, r.tracking_code, officer)
    complaints.answer(isession, r.tracking_code, officer, text="แก้ไขแล้ว", close=True)
    with pytest.raises(Invalid) as err:
        complaints.reopen(isession, r.tracking_code, r.pin, reason=None, settings=S)
    assert err.value.code == "missing_reason" and err.value.message_th and err.value.message_en
    assert complaints.find(isession, r.tracking_code).status == "closed"
