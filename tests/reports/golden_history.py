"""A fixed history for the assessor's tests and the golden files: 11 tickets and 16 complaints across the end
of fiscal 2569 (30 Sep 2026) and the substitute holiday of Monday 7 Dec 2026 (Father's Day, 5 Dec, fell on a
Saturday), built through the kiosk's and the intake's own domain functions at explicit times.

Tickets (services TAX=A, WELFARE=B, BUILD=C, HELP=D; counters 1: TAX/HELP, 2: WELFARE/HELP, 3: BUILD/TAX/WELFARE)
  fiscal 2569 Q4:  29 Sep 09:00 A (wait 5, served) · 30 Sep 23:40 B (wait 10, served after midnight)
  fiscal 2570 Q1:  1 Oct 08:30 A (10, rated 5) · 1 Oct 08:35 A (15) · 2 Oct 10:00 B (no-show)
                   16 Nov 13:00 D (5, rated 4) · 16 Nov 13:10 C (cancelled)
                   7 Dec 08:43 A (wait 17 min: the longest) · 7 Dec 08:50 A (20) · 8 Dec 10:00 B (1) · 8 Dec 10:05 A (open)
Complaints: 16 = 5 general + 2 staff conduct + 1 corruption (8 complaints) + 4 questions + 3 praise +
  1 suggestion (8 feedback); one general complaint in fiscal 2569 (15 Sep 2026), the rest in fiscal 2570 Q1.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tests.conftest import at

AS_OF = "2026-12-09 10:00"  # the day the documents are made (Wednesday; 10 Dec is Constitution Day)


def build(session) -> dict:
    from intake import complaints
    from kiosk import queue
    from kiosk.demo import load_demo
    from tambon.auth.models import User

    load_demo(session)
    uid = dict(session.execute(select(User.username, User.id)).all())
    c1 = uid["counter1"]

    def served(service: str, issued: str, called: str, done: str | None, counter: int, *, rate: int | None = None):
        t = queue.issue_ticket(session, service, now=at(issued))
        row = queue.call_next(session, counter, user_id=c1, now=at(called))
        assert row is not None and row.id == t.id
        if done:
            queue.complete(session, counter, user_id=c1, now=at(done))
        if rate:
            queue.rate_ticket(session, t.public_id, rate, now=at(done or called))
        return t

    served("TAX", "2026-09-29 09:00", "2026-09-29 09:05", "2026-09-29 09:15", 1)
    served("WELFARE", "2026-09-30 23:40", "2026-09-30 23:50", "2026-10-01 00:05", 2)
    served("TAX", "2026-10-01 08:30", "2026-10-01 08:40", "2026-10-01 08:48", 1, rate=5)
    served("TAX", "2026-10-01 08:35", "2026-10-01 08:50", "2026-10-01 09:00", 1)
    queue.issue_ticket(session, "WELFARE", now=at("2026-10-02 10:00"))
    queue.call_next(session, 2, user_id=c1, now=at("2026-10-02 10:02"))
    queue.no_show(session, 2, user_id=c1, now=at("2026-10-02 10:04"))
    served("HELP", "2026-11-16 13:00", "2026-11-16 13:05", "2026-11-16 13:20", 2, rate=4)
    build_ticket = queue.issue_ticket(session, "BUILD", now=at("2026-11-16 13:10"))
    queue.cancel(session, build_ticket.public_id, user_id=c1, now=at("2026-11-16 13:20"))
    served("TAX", "2026-12-07 08:43", "2026-12-07 09:00", "2026-12-07 09:05", 1)
    served("TAX", "2026-12-07 08:50", "2026-12-07 09:10", "2026-12-07 09:20", 1)
    served("WELFARE", "2026-12-08 10:00", "2026-12-08 10:01", "2026-12-08 10:10", 2)
    queue.issue_ticket(session, "TAX", now=at("2026-12-08 10:05"))

    officer = session.get(User, uid["officer1"])
    executive = session.get(User, uid["executive"])

    def submit(kind: str, subject: str, when: str, channel: str = "web", staff: bool = False) -> str:
        data = {"type": kind, "subject": subject, "details": f"รายละเอียด {subject}", "anonymous": True,
                "consent": True, "channel": channel}
        return complaints.submit(session, data, staff_user=officer if staff else None, now=at(when)).tracking_code

    def answered(code: str, ack: str, done: str, *, close: bool = False):
        complaints.acknowledge(session, code, officer, now=at(ack))
        complaints.answer(session, code, officer, text="ดำเนินการแล้ว", close=close, now=at(done))

    codes: dict[str, str] = {}
    codes["old"] = submit("complaint", "ไฟถนนดับ ก.ย.", "2026-09-15 10:00")  # fiscal 2569
    answered(codes["old"], "2026-09-15 13:00", "2026-09-18 10:00", close=True)
    codes["g1"] = submit("complaint", "ถนนชำรุด", "2026-10-05 09:00")
    answered(codes["g1"], "2026-10-05 11:00", "2026-10-09 10:00", close=True)
    codes["g2"] = submit("complaint", "ขยะไม่เก็บ", "2026-10-20 09:00", "open311")
    answered(codes["g2"], "2026-10-20 10:00", "2026-10-26 10:00")
    codes["g3"] = submit("complaint", "น้ำประปาไม่ไหล", "2026-11-02 09:00", "phone", staff=True)
    answered(codes["g3"], "2026-11-02 10:00", "2026-11-06 10:00")
    codes["g4"] = submit("complaint", "ท่อระบายน้ำอุดตัน", "2026-12-04 16:00")  # due across the 7 Dec holiday
    complaints.acknowledge(session, codes["g4"], officer, now=at("2026-12-08 09:00"))
    codes["s1"] = submit("staff_conduct", "พูดจาไม่สุภาพ", "2026-10-12 10:00")
    complaints.acknowledge(session, codes["s1"], executive, now=at("2026-10-12 11:00"))
    complaints.answer(session, codes["s1"], executive, text="ตักเตือนแล้ว", now=at("2026-10-19 10:00"))
    codes["s2"] = submit("staff_conduct", "ให้บริการไม่เป็นธรรม", "2026-11-03 10:00", "open311")  # left open: overdue
    codes["c1"] = submit("corruption", "เรียกรับเงิน", "2026-11-10 09:00")
    complaints.acknowledge(session, codes["c1"], executive, now=at("2026-11-10 10:00"))
    complaints.answer(session, codes["c1"], executive, text="ตรวจสอบแล้ว", now=at("2026-11-20 10:00"))
    for n, (when, channel) in enumerate((("2026-10-06 10:00", "web"), ("2026-10-21 14:00", "open311"),
                                         ("2026-11-17 09:00", "phone"), ("2026-12-08 11:00", "web"))):
        codes[f"q{n}"] = submit("question", f"สอบถามเรื่องที่ {n}", when, channel, staff=channel == "phone")
    answered(codes["q0"], "2026-10-06 11:00", "2026-10-07 10:00", close=True)
    for n, when in enumerate(("2026-10-07 15:00", "2026-11-18 15:00", "2026-12-01 15:00")):
        codes[f"p{n}"] = submit("praise", f"ชมเชยเจ้าหน้าที่ {n}", when)
    codes["sg"] = submit("suggestion", "ควรเพิ่มที่นั่งรอ", "2026-11-25 10:00", "open311")
    return codes


def as_of() -> datetime:
    return at(AS_OF)
