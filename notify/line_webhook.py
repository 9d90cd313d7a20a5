"""The LINE webhook's events, as one domain function: bind a link code, stop on "ยกเลิก", unfollow/block,
follow. Every answer to the citizen's own message is a *reply* (free, with the event's reply token),
written to the outbox like any notice and sent by the worker after the commit: the webhook never waits
for LINE. The signature is checked before this runs (notify.views), with the SDK's WebhookParser."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notify import links
from notify.models import Channel, Notice, Subject
from notify.notices import enqueue, received_text, ticket_linked_text
from notify.settings import NotifySettings
from tambon.db import write_transaction

MAX_BAD_CODES_PER_HOUR = 10  # per LINE user: six digits are not guessable in ten tries an hour

REPLIES = {
    "follow": "ขอบคุณที่เพิ่มเพื่อน หากต้องการรับแจ้งผลเรื่องร้องเรียนหรือคิว ให้ส่งรหัส 6 หลักที่ได้จากหน้าติดตามเรื่อง"
              "หรือหน้าบัตรคิวมาที่นี่ พิมพ์ ยกเลิก เพื่อหยุดรับแจ้งเมื่อใดก็ได้",
    "welcome_back": "ยินดีต้อนรับกลับ การแจ้งเตือนเดิมหยุดไว้ตั้งแต่ท่านเลิกเป็นเพื่อนหรือบล็อก และจะไม่ส่งต่อเองโดยอัตโนมัติ "
                    "หากต้องการรับแจ้งผลอีกครั้ง ให้ส่งรหัส 6 หลักใหม่จากหน้าติดตามเรื่องหรือหน้าบัตรคิวมาที่นี่",
    "unknown": "ไม่พบรหัสนี้ กรุณาตรวจสอบรหัส 6 หลักอีกครั้ง (รหัสอยู่ที่หน้าติดตามเรื่องหรือหน้าบัตรคิว)",
    "expired": "รหัสนี้หมดอายุแล้ว กรุณาเปิดหน้าติดตามเรื่องหรือหน้าบัตรคิวอีกครั้งเพื่อรับรหัสใหม่",
    "used": "รหัสนี้ใช้ไปแล้ว หากต้องการรับแจ้งผลที่ LINE อื่น กรุณาขอรหัสใหม่จากหน้าติดตามเรื่อง",
    "too_many": "ส่งรหัสไม่ถูกต้องหลายครั้ง กรุณารอ 1 ชั่วโมงแล้วลองใหม่",
    "stopped": "หยุดส่งการแจ้งเตือนทาง LINE แล้ว หากต้องการรับอีกครั้ง ให้ส่งรหัสใหม่จากหน้าติดตามเรื่องหรือบัตรคิว",
    "nothing_to_stop": "ขณะนี้ไม่มีการแจ้งเตือนที่ส่งถึงท่าน",
}


def sender_hash(secret: str, user_id: str) -> str:
    """A keyed hash of a LINE userId: counts a stranger's bad codes without storing who they are."""
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def _reply(session: Session, event, text: str, kind: str, now: datetime, *, link_id: int | None = None,
           subject_kind: str | None = None, subject_id: int | None = None, who: str | None = None) -> None:
    token = getattr(event, "reply_token", None)
    if not token:
        return
    enqueue(session, link_id=link_id, channel=Channel.LINE, kind=kind,
            dedupe_key=f"{kind}:{getattr(event, 'webhook_event_id', None) or token}", text=text, now=now,
            subject_kind=subject_kind, subject_id=subject_id, reply_token=token, sender_hash=who)


def _bad_codes_lately(session: Session, who: str, now: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Notice).where(
        Notice.sender_hash == who, Notice.kind == "reply.bad_code",
        Notice.created_at >= now - timedelta(hours=1))) or 0


def handle_events(session: Session, events: list, settings: NotifySettings, now: datetime,
                  ticket_number=None) -> None:
    """Apply one verified webhook delivery. ``ticket_number(session, link)`` names a ticket for the reply."""
    from linebot.v3.webhooks import FollowEvent, MessageEvent, TextMessageContent, UnfollowEvent

    for event in events:
        user_id = getattr(getattr(event, "source", None), "user_id", None)
        if not user_id:
            continue  # a group or room: notices are personal
        with write_transaction(session):
            if isinstance(event, UnfollowEvent):  # unfollow and block arrive as the same event
                links.stop_address(session, Channel.LINE, user_id, now, "unfollowed")
            elif isinstance(event, FollowEvent):
                # Links stopped by an unfollow or block do not come back on a re-follow (README): the
                # citizen sends a new code for what they still want to hear about.
                back = links.stopped_by_unfollow(session, Channel.LINE, user_id)
                _reply(session, event, REPLIES["welcome_back" if back else "follow"], "reply.follow", now)
            elif isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
                _on_text(session, event, event.message.text, user_id, settings, now, ticket_number)


def _on_text(session: Session, event, text: str, user_id: str, settings: NotifySettings, now: datetime,
             ticket_number) -> None:
    if links.is_stop_word(text):
        stopped = links.stop_address(session, Channel.LINE, user_id, now, "cancelled")
        _reply(session, event, REPLIES["stopped" if stopped else "nothing_to_stop"], "reply.stopped", now)
        return
    code = links.looks_like_code(text)
    if code is None:
        return  # ordinary chat: left to the office's staff in LINE Official Account Manager
    who = sender_hash(settings.line_channel_secret or "", user_id)
    if _bad_codes_lately(session, who, now) >= MAX_BAD_CODES_PER_HOUR:
        _reply(session, event, REPLIES["too_many"], "reply.too_many", now, who=who)
        return
    try:
        link = links.bind_code(session, code, user_id, now)
    except links.CodeProblem as problem:
        _reply(session, event, REPLIES[problem.reason], "reply.bad_code", now, who=who)
        return
    if link.subject_kind == Subject.COMPLAINT:
        text_out = received_text(settings, link.subject_ref, Channel.LINE)
    else:
        number = ticket_number(session, link) if ticket_number else None
        text_out = ticket_linked_text(number or "")
    _reply(session, event, text_out, "reply.linked", now, link_id=link.id, subject_kind=link.subject_kind,
           subject_id=link.subject_id)
