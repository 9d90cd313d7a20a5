"""Public functions of the notify package: the link code for a subject, what the citizen's pages show,
what the officer sees on a case, and the figures reports may call (measure 9: "แจ้งผลให้ผู้ร้องทราบ N เรื่อง")."""

from __future__ import annotations

import io
from datetime import date, datetime
from urllib.parse import quote

from flask import render_template
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notify import links
from notify.models import Channel, LinkStatus, Notice, NoticeStatus, NotifyLink, Subject
from notify.notices import current_service, describe_address
from notify.settings import SMS_CONSENT_TH
from tambon.db import write_transaction
from tambon.thaidate import to_local, utcnow

RESULT_KINDS = ("complaint.answered", "complaint.closed", "complaint.rejected", "complaint.forwarded")
TICKET_OPEN = ("waiting", "parked")


def line_enabled() -> bool:
    service = current_service()
    return bool(service is not None and Channel.LINE in service.channels)


def sms_enabled() -> bool:
    service = current_service()
    return bool(service is not None and Channel.SMS in service.channels)


def link_code(session: Session, kind: Subject, subject_id: int, ref: str, *, day: date | None = None,
              now: datetime | None = None) -> str | None:
    """The subject's live one-time LINE code, issued when there is none (None when LINE is off)."""
    service = current_service()
    if service is None or Channel.LINE not in service.channels:
        return None
    now = now or utcnow()
    code = links.live_code(session, kind, subject_id, now)
    session.commit()  # end the read before the write (SQLite begins writes IMMEDIATE)
    if code is not None:
        return code
    with write_transaction(session):
        return links.live_code(session, kind, subject_id, now) or links.issue_code(
            session, service.settings, kind, subject_id, ref, now, day=day)


# --- what the citizen's pages and answers carry (tambon.events contributions) ----------------------------

def _complaint(session: Session, code: str):
    from intake import complaints

    return complaints.find(session, code)


def complaint_receipt(session: Session, payload: dict) -> dict:
    if not line_enabled():
        return {}
    return {"line_link_code": link_code(session, Subject.COMPLAINT, payload["complaint_id"],
                                        payload["tracking_code"])}


def _ticket(session: Session, public_id: str):
    from kiosk.queue import find_ticket

    return find_ticket(session, public_id)


def ticket_status(session: Session, payload: dict) -> dict:
    if not line_enabled():
        return {}
    ticket = _ticket(session, payload["public_id"])
    if ticket.status not in TICKET_OPEN:
        return {"line_link_code": None}
    return {"line_link_code": link_code(session, Subject.TICKET, ticket.id, ticket.public_id,
                                        day=ticket.business_date)}


def _qr_svg(url: str) -> str:
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(url, image_factory=SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg"):]


def _block(kind: Subject, ref: str, code: str | None, *, pin: str | None = None) -> str:
    service = current_service()
    if service is None:
        return ""
    oa = service.settings.line_oa_id
    add_friend = f"https://line.me/R/ti/p/{quote(oa)}" if oa else None
    send_code = f"https://line.me/R/oaMessage/{quote(oa)}/?{quote(code)}" if oa and code else None
    return render_template("notify/_reach.html", code=code, add_friend=add_friend, send_code=send_code,
                           qr_svg=_qr_svg(add_friend) if add_friend else None, sms=sms_enabled(),
                           subject=kind.value, ref=ref, pin=pin, consent_text=SMS_CONSENT_TH)


def complaint_page(session: Session, payload: dict) -> dict:
    if not (line_enabled() or sms_enabled()):
        return {}
    c = _complaint(session, payload["tracking_code"])
    code = link_code(session, Subject.COMPLAINT, c.id, c.tracking_code)
    return {"html": _block(Subject.COMPLAINT, c.tracking_code, code, pin=payload.get("pin"))}


def ticket_page(session: Session, payload: dict) -> dict:
    if not (line_enabled() or sms_enabled()):
        return {}
    ticket = _ticket(session, payload["public_id"])
    if ticket.status not in TICKET_OPEN:
        return {}
    code = link_code(session, Subject.TICKET, ticket.id, ticket.public_id, day=ticket.business_date)
    return {"html": _block(Subject.TICKET, ticket.public_id, code)}


LINE_GREEN = (6, 199, 85)


def complaint_poster(session: Session, payload: dict) -> dict:
    """The QR posters' "รับแจ้งผลทาง LINE" box: the office OA's add-friend QR and how to link (nothing when LINE
    or the OA's id is not configured: there would be nobody to add)."""
    service = current_service()
    if not line_enabled() or service is None or not service.settings.line_oa_id:
        return {}
    oa = service.settings.line_oa_id
    return {"notice_box": {
        "title": "รับแจ้งผลทาง LINE", "color": LINE_GREEN, "qr_url": f"https://line.me/R/ti/p/{quote(oa)}",
        "text": f"สแกนเพื่อเพิ่มเพื่อน LINE ของสำนักงาน ({oa}) แล้วส่งรหัส 6 หลักที่ได้หลังแจ้งเรื่อง "
                "ในแชท จะได้รับแจ้งผลทาง LINE"}}


# --- the officer's view ------------------------------------------------------------------------------------

STATUS_TH = {"waiting": "รอส่ง", "sending": "กำลังส่ง", "sent": "ส่งแล้ว", "failed": "ส่งไม่สำเร็จ",
             "skipped": "ไม่ส่ง", "interrupted": "ไม่ทราบผล"}
KIND_TH = {"complaint.acknowledged": "รับเรื่อง", "complaint.progress": "ความคืบหน้า", "complaint.answered": "ตอบแล้ว",
           "complaint.closed": "ปิดเรื่อง", "complaint.rejected": "ไม่รับพิจารณา", "complaint.forwarded": "ส่งต่อ",
           "complaint.reopened": "เปิดใหม่", "reply.linked": "ยืนยันการเชื่อมต่อ", "queue.near": "ใกล้ถึงคิว",
           "queue.called": "ถึงคิว", "sms.confirm": "ยืนยันการรับ SMS"}


def reach_summary(session: Session, kind: Subject, subject_id: int, *, tz: str = "Asia/Bangkok") -> dict:
    """How the citizen is reachable for one complaint or ticket, and every notice with its state.
    Never a LINE userId; a phone number masked."""
    rows = session.scalars(select(NotifyLink).where(
        NotifyLink.subject_kind == kind, NotifyLink.subject_id == subject_id,
        NotifyLink.linked_at.is_not(None)).order_by(NotifyLink.id)).all()  # not codes nobody sent
    reach = [{"channel": link.channel, "how": describe_address(link.channel, link.address),
              "active": link.status == LinkStatus.ACTIVE, "stop_reason": link.stop_reason,
              "since": to_local(link.linked_at, tz) if link.linked_at else None} for link in rows]
    notices = session.scalars(select(Notice).where(Notice.subject_kind == kind, Notice.subject_id == subject_id)
                              .order_by(Notice.id)).all()
    sent = [{"channel": n.channel, "kind": n.kind, "kind_th": KIND_TH.get(n.kind, n.kind), "status": n.status,
             "status_th": STATUS_TH.get(n.status, n.status), "text": n.text,
             "at": to_local(n.sent_at or n.created_at, tz), "attempts": n.attempts, "error": n.last_error}
            for n in notices]
    return {"reach": reach, "notices": sent}


def staff_complaint(session: Session, payload: dict) -> dict:
    from flask import current_app
    from flask_login import current_user

    from intake import access

    c = _complaint(session, payload["tracking_code"])
    summary = reach_summary(session, Subject.COMPLAINT, c.id, tz=current_app.config["TAMBON_TIMEZONE"])
    can_stop = access.can_act(current_user, c, session) and bool(session.scalar(
        select(func.count()).select_from(NotifyLink).where(
            NotifyLink.subject_kind == Subject.COMPLAINT, NotifyLink.subject_id == c.id,
            NotifyLink.status.in_((LinkStatus.ACTIVE, LinkStatus.PENDING)))))
    return {"html": render_template("notify/_staff.html", tracking_code=c.tracking_code, can_stop=can_stop,
                                    **summary)}


CHANNEL_TH: dict[str, str] = {Channel.LINE: "LINE", Channel.SMS: "SMS", Channel.EMAIL: "อีเมล"}


def stop_complaint_notices(session: Session, code: str, user, *, now: datetime | None = None) -> list[str]:
    """An officer stops every notice to the citizen about one complaint (the SMS consent's "ยกเลิกได้ทุกเมื่อที่
    สำนักงาน": the citizen asked at the office). Only staff who may act on the case (intake's rule, asked
    through intake.access.require_act, i.e. can_act: 404 for a case they may not see, 403 for one they may not
    act on); the step goes in the case's history with the channels' names only, never an address."""
    from intake import access, complaints

    now = now or utcnow()
    with write_transaction(session):
        c = complaints.find(session, code, for_update=True)
        access.require_act(user, c)  # before any change (record_staff_step asks again, inside intake)
        channels = links.stop_subject(session, Subject.COMPLAINT, c.id, now, "staff")
        names = ", ".join(CHANNEL_TH.get(ch, ch) for ch in channels) or "ไม่มีช่องทางที่เปิดอยู่"
        complaints.record_staff_step(session, c, user, "notices_stopped", now=now,
                                     text=f"หยุดส่งการแจ้งผลตามคำขอของผู้ร้อง ({names})")
    return channels


# --- figures for reports -------------------------------------------------------------------------------------

def complaints_told_result(session: Session, start: datetime, end: datetime) -> set[int]:
    """Ids of complaints whose result (answered, closed, rejected, forwarded) reached the citizen by LINE,
    SMS or e-mail between start and end: "แจ้งผลให้ผู้ร้องทราบ N เรื่อง" is its length."""
    return {i for i in session.scalars(select(Notice.subject_id).distinct().where(
        Notice.subject_kind == Subject.COMPLAINT, Notice.kind.in_(RESULT_KINDS),
        Notice.status == NoticeStatus.SENT, Notice.sent_at >= start, Notice.sent_at < end)).all() if i is not None}


def notices_sent(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    """Notices sent between start and end, by channel."""
    return dict(session.execute(select(Notice.channel, func.count()).where(
        Notice.status == NoticeStatus.SENT, Notice.sent_at >= start, Notice.sent_at < end,
        Notice.reply_token.is_(None)).group_by(Notice.channel)).all())
