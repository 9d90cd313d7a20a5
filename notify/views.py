"""HTTP: the LINE webhook (``POST /line/webhook``) and the citizen's SMS opt-in (``POST /notify/sms``).
Thin: verify, call one domain function, answer."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from notify import links
from notify.line_webhook import handle_events
from notify.models import Channel, Subject
from notify.notices import current_service, enqueue, received_text
from notify.settings import SMS_CONSENT_TH
from tambon.auth import public, require_role
from tambon.db import get_session, write_transaction
from tambon.errors import DomainError, Invalid, NotFound
from tambon.extensions import limiter
from tambon.thaidate import utcnow

log = logging.getLogger(__name__)
bp = Blueprint("notify", __name__, template_folder="templates", static_folder="static",
               static_url_path="/notify/static")


@bp.post("/line/webhook")
@public
def line_webhook():
    from linebot.v3 import WebhookParser
    from linebot.v3.exceptions import InvalidSignatureError

    service = current_service()
    if service is None or Channel.LINE not in service.channels:
        abort(404)
    signature = request.headers.get("X-Line-Signature", "")
    body = request.get_data(as_text=True)
    try:
        events = WebhookParser(service.settings.line_channel_secret).parse(body, signature)
    except InvalidSignatureError:
        raise DomainError("bad_signature", "ลายเซ็น X-Line-Signature ไม่ถูกต้อง", "Bad X-Line-Signature",
                          status=400) from None
    except ValueError:
        raise DomainError("bad_webhook", "ข้อมูล webhook อ่านไม่ได้", "Unreadable webhook body", status=400) from None
    handle_events(get_session(), events, service.settings, utcnow(), ticket_number=_ticket_number)
    service.nudge()
    return jsonify({"status": "ok"})


@bp.post("/office/complaints/<code>/notices/stop")
@require_role()  # signed in; whether this person may act on this case is intake's rule (notify.reach)
def stop_complaint_notices(code: str):
    from notify.reach import stop_complaint_notices as stop

    stop(get_session(), code, current_user)
    flash("หยุดส่งการแจ้งผลให้ผู้ร้องแล้ว / Notices to the citizen stopped", "ok")
    return redirect(url_for("intake_office.detail", code=code))


def _ticket_number(session, link) -> str | None:
    from kiosk.queue import find_ticket

    try:
        return find_ticket(session, link.subject_ref).label
    except NotFound:
        return None


def _sms_limit() -> str:
    return current_app.config.get("NOTIFY_SMS_OPTIN_LIMIT", "10 per hour")


@bp.post("/notify/sms")
@limiter.limit(_sms_limit)
@public
def sms_optin():
    """The citizen asks for SMS notices: a Thai mobile number, the PDPA consent box, and proof of the
    subject (the complaint's PIN, or the ticket's unguessable page address)."""
    service = current_service()
    if service is None or Channel.SMS not in service.channels:
        abort(404)
    form = request.form
    try:
        result = sms_subscribe(get_session(), form.get("subject", ""), form.get("ref", ""), form.get("phone"),
                               consent=form.get("consent") in ("1", "on", "true", "yes"), pin=form.get("pin"))
    except DomainError as err:
        return render_template("notify/sms_done.html", error=err), err.status
    service.nudge()
    return render_template("notify/sms_done.html", error=None, **result)


def sms_subscribe(session, subject: str, ref: str, phone: str | None, *, consent: bool,
                  pin: str | None = None) -> dict:
    """Opt a complaint or ticket in to SMS. Checks everything before storing anything."""
    service = current_service()
    if service is None or Channel.SMS not in service.channels:
        raise Invalid("sms_off", "สำนักงานยังไม่เปิดบริการแจ้งผลทาง SMS", "SMS notices are not offered")
    if not consent:
        raise Invalid("no_consent", "กรุณาอ่านและยินยอมให้เก็บหมายเลขโทรศัพท์ก่อน", "Consent is required")
    msisdn = links.thai_mobile(phone)
    now = utcnow()
    if subject == Subject.COMPLAINT:
        from intake import complaints

        c = complaints.verify_pin(session, ref, pin or "", now=now)
        session.commit()
        with write_transaction(session):
            link_id = links.add_link(session, Subject.COMPLAINT, c.id, c.tracking_code, Channel.SMS, msisdn, now,
                                     consent_text=SMS_CONSENT_TH)
            enqueue(session, link_id=link_id, channel=Channel.SMS, kind="sms.confirm", dedupe_key="sms.confirm",
                    text=received_text(service.settings, c.tracking_code, Channel.SMS), now=now,
                    subject_kind=Subject.COMPLAINT, subject_id=c.id)
        return {"phone": links.masked_phone(msisdn), "what": c.tracking_code}
    if subject == Subject.TICKET:
        from kiosk.queue import find_ticket

        if len(ref or "") < 16:  # the page's unguessable id, not a number like A007 anyone could type
            raise NotFound("unknown_ticket", "ไม่พบบัตรคิวนี้", "No such ticket")
        ticket = find_ticket(session, ref)
        if ticket.status not in ("waiting", "parked"):
            raise Invalid("ticket_done", "บัตรคิวนี้ไม่ได้รอเรียกแล้ว", "This ticket is no longer waiting")
        session.commit()
        with write_transaction(session):
            links.add_link(session, Subject.TICKET, ticket.id, ticket.public_id, Channel.SMS, msisdn, now,
                           day=ticket.business_date, consent_text=SMS_CONSENT_TH)
        return {"phone": links.masked_phone(msisdn), "what": ticket.label}
    raise Invalid("bad_subject", "ไม่ทราบว่าจะแจ้งผลเรื่องใด", "Unknown subject (complaint or ticket)")
