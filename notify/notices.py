"""What is sent, and when: each notice is a row of the outbox written in the transaction of the event
that causes it (``tambon.events.on_write``), so it exists exactly when the change committed.

The texts are Thai and short. A confidential complaint (staff conduct, corruption) never says more than
"มีความคืบหน้า — ดูที่ลิงก์ + PIN": a LINE chat or an SMS inbox may be read by someone else.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from notify.links import active_links, add_link, masked_phone
from notify.models import Channel, Notice, NoticeStatus, Subject
from notify.settings import NotifySettings
from tambon.db import core_connection
from tambon.pages import public_url

EXTENSION = "notify"
ANSWER_CHARS = 300  # of the public answer in a LINE message; the rest is on the status page

PURGE_TOPIC = "complaint.purged"
COMPLAINT_TOPICS = ("complaint.submitted", "complaint.acknowledged", "complaint.progress", "complaint.answered",
                    "complaint.closed", "complaint.rejected", "complaint.forwarded", "complaint.reopened")
CALL_TOPICS = ("ticket.called", "ticket.recalled")


def complaint_url(settings: NotifySettings, code: str) -> str:
    return public_url(f"/c/{code}")


# --- texts ----------------------------------------------------------------------------------------------

STATUS_LINES = {
    "complaint.acknowledged": "สำนักงานรับเรื่องไว้พิจารณาแล้ว",
    "complaint.progress": "มีความคืบหน้า",
    "complaint.closed": "ปิดเรื่องแล้ว",
    "complaint.rejected": "ไม่อาจรับพิจารณาได้ ดูเหตุผลได้ที่ลิงก์ (ใช้ PIN)",
    "complaint.forwarded": "ส่งต่อให้หน่วยงานที่รับผิดชอบแล้ว",
    "complaint.reopened": "เปิดพิจารณาใหม่แล้วตามที่ท่านแจ้งว่ายังไม่ได้รับการแก้ไข",
}


def complaint_text(settings: NotifySettings, topic: str, code: str, *, confidential: bool, channel: str,
                   answer: str | None) -> str:
    url = complaint_url(settings, code)
    if confidential:
        return f"เรื่อง {code} มีความคืบหน้า — ดูที่ลิงก์ {url} + PIN"
    if topic == "complaint.answered":
        if channel == Channel.LINE and answer:
            short = answer if len(answer) <= ANSWER_CHARS else answer[:ANSWER_CHARS].rstrip() + "…"
            return f"เรื่อง {code} สำนักงานตอบแล้ว:\n{short}\nรายละเอียด: {url}"
        return f"เรื่อง {code} สำนักงานตอบแล้ว อ่านคำตอบที่ {url} ด้วย PIN ของท่าน"
    return f"เรื่อง {code}: {STATUS_LINES.get(topic, 'มีความคืบหน้า')} {url}"


def received_text(settings: NotifySettings, code: str, channel: str) -> str:
    how = "LINE นี้" if channel == Channel.LINE else "SMS"
    return (f"ได้รับเรื่องของท่านแล้ว รหัสติดตาม {code} สำนักงานจะแจ้งความคืบหน้าทาง{how} "
            f"ดูสถานะ: {complaint_url(settings, code)}" + (" พิมพ์ ยกเลิก เพื่อหยุดรับแจ้ง" if channel == Channel.LINE
                                                         else ""))


def ticket_linked_text(number: str) -> str:
    return f"บัตรคิว {number}: จะแจ้งทาง LINE นี้เมื่อใกล้ถึงคิวและเมื่อถึงคิวของท่าน พิมพ์ ยกเลิก เพื่อหยุดรับแจ้ง"


def near_text(number: str, ahead: int) -> str:
    if ahead <= 0:
        return f"บัตรคิว {number}: ท่านเป็นคิวถัดไป กรุณาเตรียมตัวใกล้ช่องบริการ"
    return f"บัตรคิว {number}: อีก {ahead} คิวจะถึงคิวของท่าน"


def called_text(number: str, counter: str | None, recall: bool) -> str:
    where = f" {counter}" if counter else ""
    return f"ถึงคิวของท่านแล้ว{where} (บัตรคิว {number})" + (" — เรียกซ้ำ" if recall else "")


# --- writing notices ---------------------------------------------------------------------------------------

def enqueue(db, *, link_id: int | None, channel: str, kind: str, dedupe_key: str, text: str, now: datetime,
            subject_kind: str | None = None, subject_id: int | None = None, reply_token: str | None = None,
            sender_hash: str | None = None) -> int | None:
    """Insert one notice inside the caller's transaction; None if this link already has it (dedupe_key)."""
    conn = core_connection(db)
    if link_id is not None and conn.scalar(select(Notice.id).where(Notice.link_id == link_id,
                                                                   Notice.dedupe_key == dedupe_key)) is not None:
        return None
    return conn.execute(insert(Notice).values(
        link_id=link_id, subject_kind=subject_kind, subject_id=subject_id, channel=channel, kind=kind,
        dedupe_key=dedupe_key[:120], text=text, reply_token=reply_token, sender_hash=sender_hash,
        retry_key=str(uuid.uuid4()), status=NoticeStatus.WAITING, attempts=0, created_at=now,
        next_attempt_at=now).returning(Notice.id)).scalar_one()


def current_service():
    return current_app.extensions.get(EXTENSION) if has_app_context() else None


def on_complaint_event(session: Session, topic: str, payload: dict) -> None:
    """In-transaction hook of the complaint topics: one notice per active link of the complaint."""
    service = current_service()
    if service is None or not service.channels:
        return
    from intake import complaints

    settings: NotifySettings = service.settings
    now = datetime.fromisoformat(payload["at"])
    if topic == "complaint.submitted":
        if Channel.EMAIL in service.channels:
            c = complaints.find(session, payload["tracking_code"])
            if c.notify_citizen and c.contact_email:
                add_link(session, Subject.COMPLAINT, c.id, c.tracking_code, Channel.EMAIL, c.contact_email, now)
        return  # the receipt page (and the link step) tell the citizen it arrived
    reachable = [link for link in active_links(session, Subject.COMPLAINT, payload["complaint_id"])
                 if link.channel in service.channels]
    if not reachable:
        return  # the usual case: one indexed look-up, nothing else
    c = complaints.find(session, payload["tracking_code"])
    for link_id, channel, _address in reachable:
        text = complaint_text(settings, topic, c.tracking_code, confidential=c.confidential, channel=channel,
                              answer=c.public_answer)
        enqueue(session, link_id=link_id, channel=channel, kind=topic, dedupe_key=f"{topic}@{payload['at']}",
                text=text, now=now, subject_kind=Subject.COMPLAINT, subject_id=c.id)


def on_ticket_called(session: Session, topic: str, payload: dict) -> None:
    """In-transaction hook of a call or recall: "ถึงคิวของท่านแล้ว ช่อง 2" to the ticket's links."""
    service = current_service()
    if service is None or not service.channels:
        return
    links = active_links(session, Subject.TICKET, payload["ticket_id"])
    if not links:
        return
    now = datetime.fromisoformat(payload["at"])
    text = called_text(payload["number"], payload.get("counter_name"), topic == "ticket.recalled")
    for link_id, channel, _address in links:
        if channel in service.channels:
            enqueue(session, link_id=link_id, channel=channel, kind="queue.called",
                    dedupe_key=f"{topic}@{payload['at']}", text=text, now=now, subject_kind=Subject.TICKET,
                    subject_id=payload["ticket_id"])


def describe_address(channel: str, address: str | None) -> str:
    """How the officer sees an address: never the LINE userId, the phone masked."""
    if channel == Channel.LINE:
        return "LINE"
    if channel == Channel.SMS:
        return f"SMS {masked_phone(address)}"
    return "อีเมล"


def on_complaint_purged(session: Session, _topic: str, payload: dict) -> None:
    """In-transaction hook of the retention purge: the complaint's LINE userIds, numbers and addresses go
    with the complainant's other personal data."""
    from notify.links import forget_subject

    forget_subject(session, Subject.COMPLAINT, payload["complaint_id"], datetime.fromisoformat(payload["at"]))
