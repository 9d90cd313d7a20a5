"""Demo complaints for `tambon demo` (idempotent): a few cases in every state, one confidential."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from intake import complaints
from intake.models import Complaint
from tambon.auth.models import User
from tambon.db import write_transaction
from tambon.thaidate import utcnow

DEMO_SOURCE_MARK = "demo"


DEMO_OVERSIGHT = "oversight1"


def load_demo(session: Session) -> None:
    if session.scalar(select(User.id).where(User.username == DEMO_OVERSIGHT)) is None:
        # The oversight route for complaints naming the executive (docs/COMPLAINTS.md); same demo password.
        from kiosk.demo import DEMO_PASSWORD
        from tambon.auth import service
        from tambon.auth.policy import CLI

        service.add_user(session, DEMO_OVERSIGHT, DEMO_PASSWORD, "oversight", "ผู้ตรวจสอบ (ตัวอย่าง)", actor=CLI)
    if session.scalar(select(func.count()).select_from(Complaint).where(Complaint.source == DEMO_SOURCE_MARK)):
        return
    settings = current_app.extensions["intake.settings"]
    officer = session.scalar(select(User).where(User.username == "officer1"))
    executive = session.scalar(select(User).where(User.username == "executive"))
    counter = session.scalar(select(User).where(User.username == "counter1"))
    if officer is None or executive is None:
        return
    now = utcnow()

    def add(days_ago: float, data: dict, staff: User | None = None):
        data = {"consent": True, **data}
        result = complaints.submit(session, data, staff_user=staff, settings=settings,
                                   now=now - timedelta(days=days_ago))
        with write_transaction(session):  # marks demo rows (idempotency); not a real QR place
            session.execute(update(Complaint).where(Complaint.tracking_code == result.tracking_code)
                            .values(source=DEMO_SOURCE_MARK))
        return result.tracking_code

    a = add(20, {"type": "complaint", "subject": "ไฟถนนดับหน้าวัดทุ่งมะพร้าว",
                 "details": "ไฟส่องสว่างริมถนนหน้าวัดดับมาหนึ่งสัปดาห์ กลางคืนมืดมาก อันตรายต่อผู้สัญจร",
                 "place": "ถนนหน้าวัดทุ่งมะพร้าว หมู่ 3", "contact": {"name": "สมชาย ใจดี", "phone": "0812345678"}})
    complaints.acknowledge(session, a, officer, now=now - timedelta(days=19, hours=22))
    complaints.assign(session, a, officer, division="กองช่าง", settings=settings, now=now - timedelta(days=19))
    complaints.progress(session, a, officer, note="กองช่างออกสำรวจแล้ว รอเปลี่ยนหลอดไฟ", now=now - timedelta(days=15))
    complaints.answer(session, a, officer, text="เปลี่ยนหลอดไฟเรียบร้อยแล้ว ขอบคุณที่แจ้งเรื่อง", close=True,
                      now=now - timedelta(days=10))
    b = add(22, {"type": "complaint", "subject": "ขยะไม่ได้รับการจัดเก็บ",
                 "details": "รถเก็บขยะไม่มาเก็บขยะในซอย 5 หมู่ 2 มาสองสัปดาห์แล้ว", "anonymous": True})
    complaints.acknowledge(session, b, officer, now=now - timedelta(days=21))
    complaints.assign(session, b, officer, division="กองสาธารณสุขและสิ่งแวดล้อม", settings=settings,
                      now=now - timedelta(days=21))
    add(1, {"type": "question", "subject": "ขอทราบกำหนดชำระภาษีที่ดินและสิ่งปลูกสร้าง",
            "details": "อยากทราบว่าปีนี้ต้องชำระภาษีที่ดินภายในวันที่เท่าไร และชำระออนไลน์ได้หรือไม่",
            "channel": "phone", "contact": {"name": "นางสาวมาลี", "phone": "0899999999"}}, staff=counter)
    add(0.2, {"type": "praise", "subject": "ชมเจ้าหน้าที่ช่อง 1",
              "details": "เจ้าหน้าที่ช่อง 1 ให้บริการสุภาพ รวดเร็ว อธิบายขั้นตอนชัดเจน ขอบคุณค่ะ", "anonymous": True})
    d = add(3, {"type": "staff_conduct", "subject": "เจ้าหน้าที่พูดจาไม่สุภาพและให้รอนานกว่าคนอื่น",
                "details": "วันที่ไปติดต่อขอเบี้ยผู้สูงอายุ เจ้าหน้าที่ให้คนรู้จักลัดคิวและพูดจาไม่สุภาพกับแม่",
                "named_staff": "เจ้าหน้าที่ช่อง 1", "anonymous": True})
    complaints.acknowledge(session, d, executive, now=now - timedelta(days=2, hours=20))
    if counter is not None:
        complaints.set_named_staff(session, d, executive, named_user_id=counter.id, now=now - timedelta(days=2))
    complaints.assign(session, d, executive, division="สำนักปลัด", assignee_id=officer.id, settings=settings,
                      now=now - timedelta(days=2))
    add(0.5, {"type": "suggestion", "subject": "ขอให้มีที่จอดรถสำหรับผู้พิการ",
              "details": "เสนอให้ทำที่จอดรถสำหรับผู้พิการใกล้ทางลาดหน้าอาคารสำนักงาน", "anonymous": True})
