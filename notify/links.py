"""How a citizen becomes reachable: one-time LINE link codes, SMS opt-in with consent, the e-mail of the
complaint form, and stopping. Plain functions on a session; the webhook and the views call them."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from notify.models import Channel, LinkStatus, Notice, NoticeStatus, NotifyLink, Subject
from notify.settings import NotifySettings
from tambon.db import core_connection, rowcount
from tambon.errors import Invalid

CODE_DIGITS = 6
STOP_WORDS = ("ยกเลิก", "หยุด", "stop", "cancel", "unsubscribe")


def normalize_text(text: str) -> str:
    """Thai digits (๐–๙) as ASCII, surrounding blanks and inner spaces/dashes of a code removed."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)


def looks_like_code(text: str) -> str | None:
    compact = re.sub(r"[\s\-]", "", normalize_text(text))
    return compact if re.fullmatch(rf"\d{{{CODE_DIGITS}}}", compact) else None


def is_stop_word(text: str) -> bool:
    return normalize_text(text).lower() in STOP_WORDS


# --- Thai mobile numbers ----------------------------------------------------------------------------------

THAI_MOBILE = re.compile(r"^0[689]\d{8}$")


def thai_mobile(raw: str | None) -> str:
    """A Thai mobile number as the SMS gateway takes it (66XXXXXXXXX); Invalid otherwise.

    Accepts 08x-xxx-xxxx, 0812345678, +66 81 234 5678, 66812345678. Thai mobile numbers are ten digits
    starting 06, 08 or 09; landlines (02…, 0xx) cannot receive SMS."""
    digits = re.sub(r"[\s\-().]", "", normalize_text(raw or ""))
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not THAI_MOBILE.fullmatch(digits):
        raise Invalid("bad_phone", "หมายเลขโทรศัพท์มือถือไม่ถูกต้อง ต้องเป็นเบอร์มือถือไทย 10 หลัก เช่น 081-234-5678",
                      "Not a Thai mobile number: ten digits starting 06, 08 or 09, e.g. 081-234-5678")
    return "66" + digits[1:]


def masked_phone(msisdn: str | None) -> str:
    if not msisdn:
        return ""
    local = "0" + msisdn[2:] if msisdn.startswith("66") else msisdn
    return f"{local[:3]}-xxx-{local[-4:]}"


# --- links ------------------------------------------------------------------------------------------------

def active_links(db: Session | Connection, kind: str, subject_id: int) -> list:
    return list(core_connection(db).execute(
        select(NotifyLink.id, NotifyLink.channel, NotifyLink.address)
        .where(NotifyLink.subject_kind == kind, NotifyLink.subject_id == subject_id,
               NotifyLink.status == LinkStatus.ACTIVE)).all())


def _new_code(db: Connection) -> str:
    while True:
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        if db.scalar(select(NotifyLink.id).where(NotifyLink.link_code == code)) is None:
            return code


def live_code(db: Session | Connection, kind: str, subject_id: int, now: datetime) -> str | None:
    return core_connection(db).scalar(
        select(NotifyLink.link_code).where(NotifyLink.subject_kind == kind, NotifyLink.subject_id == subject_id,
                                           NotifyLink.channel == Channel.LINE,
                                           NotifyLink.status == LinkStatus.PENDING,
                                           NotifyLink.code_expires_at > now)
        .order_by(NotifyLink.id.desc()).limit(1))


def issue_code(db: Session | Connection, settings: NotifySettings, kind: Subject, subject_id: int, ref: str,
               now: datetime, *, day: date | None = None) -> str:
    """A one-time LINE link code for a complaint or a ticket; inside the caller's write transaction."""
    conn = core_connection(db)
    code = _new_code(conn)
    ttl = timedelta(minutes=settings.link_code_ttl_minutes)
    conn.execute(insert(NotifyLink).values(
        subject_kind=kind, subject_id=subject_id, subject_ref=ref, business_date=day, channel=Channel.LINE,
        status=LinkStatus.PENDING, link_code=code, code_expires_at=now + ttl, created_at=now))
    return code


def add_link(db: Session | Connection, kind: Subject, subject_id: int, ref: str, channel: Channel, address: str,
             now: datetime, *, day: date | None = None, consent_text: str | None = None) -> int:
    """An active link (SMS opt-in, the form's e-mail). The same address twice for one subject: one link."""
    conn = core_connection(db)
    existing = conn.scalar(select(NotifyLink.id).where(
        NotifyLink.subject_kind == kind, NotifyLink.subject_id == subject_id, NotifyLink.channel == channel,
        NotifyLink.address == address, NotifyLink.status == LinkStatus.ACTIVE))
    if existing is not None:
        return existing
    return conn.execute(insert(NotifyLink).values(
        subject_kind=kind, subject_id=subject_id, subject_ref=ref, business_date=day, channel=channel,
        status=LinkStatus.ACTIVE, address=address, consent_text=consent_text, created_at=now, linked_at=now,
    ).returning(NotifyLink.id)).scalar_one()


class CodeProblem(Exception):
    """Why a link code was not accepted: unknown | expired | used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def bind_code(session: Session, code: str, user_id: str, now: datetime) -> NotifyLink:
    """Inside a write transaction: the LINE userId that sent a pending code is bound to its subject."""
    link = session.scalar(select(NotifyLink).where(NotifyLink.link_code == code))
    if link is None or link.channel != Channel.LINE:
        raise CodeProblem("unknown")
    if link.status == LinkStatus.ACTIVE and link.address == user_id:
        return link  # the same citizen again (or LINE redelivering the webhook): already linked
    if link.status != LinkStatus.PENDING:
        raise CodeProblem("used")
    if link.code_expires_at is None or link.code_expires_at <= now:
        raise CodeProblem("expired")
    taken = rowcount(session.execute(
        update(NotifyLink).where(NotifyLink.id == link.id, NotifyLink.status == LinkStatus.PENDING)
        .values(status=LinkStatus.ACTIVE, address=user_id, linked_at=now)
        .execution_options(synchronize_session=False)))
    if taken != 1:
        raise CodeProblem("used")
    session.expire(link)
    return link


def stop_address(session: Session, channel: Channel, address: str, now: datetime, reason: str) -> int:
    """Inside a write transaction: no more notices to this address (for any subject). Returns how many."""
    return rowcount(session.execute(
        update(NotifyLink).where(NotifyLink.channel == channel, NotifyLink.address == address,
                                 NotifyLink.status == LinkStatus.ACTIVE)
        .values(status=LinkStatus.STOPPED, stopped_at=now, stop_reason=reason)
        .execution_options(synchronize_session=False)))


def stopped_by_unfollow(session: Session, channel: Channel, address: str) -> bool:
    """Had this address links that its unfollow (or block) stopped?"""
    return session.scalar(select(NotifyLink.id).where(
        NotifyLink.channel == channel, NotifyLink.address == address, NotifyLink.status == LinkStatus.STOPPED,
        NotifyLink.stop_reason == "unfollowed").limit(1)) is not None


def stop_subject(session: Session, kind: str, subject_id: int, now: datetime, reason: str) -> list[str]:
    """Inside a write transaction: no more notices about this subject on any channel. Its active links and
    any unused LINE code stop, and notices still waiting are skipped (one already handed to the provider
    cannot be called back). Returns the channels that were stopped."""
    open_links = list(session.execute(select(NotifyLink.id, NotifyLink.channel).where(
        NotifyLink.subject_kind == kind, NotifyLink.subject_id == subject_id,
        NotifyLink.status.in_((LinkStatus.ACTIVE, LinkStatus.PENDING)))).all())
    if not open_links:
        return []
    session.execute(update(NotifyLink).where(NotifyLink.id.in_([row.id for row in open_links]))
                    .values(status=LinkStatus.STOPPED, stopped_at=now, stop_reason=reason)
                    .execution_options(synchronize_session=False))
    session.execute(update(Notice).where(Notice.subject_kind == kind, Notice.subject_id == subject_id,
                                         Notice.status == NoticeStatus.WAITING)
                    .values(status=NoticeStatus.SKIPPED, last_error=f"notices stopped ({reason})")
                    .execution_options(synchronize_session=False))
    return sorted({row.channel for row in open_links})


def forget_subject(db: Session | Connection, kind: str, subject_id: int, now: datetime) -> int:
    """Inside a write transaction: remove the addresses of every link of a subject (retention purge)."""
    return rowcount(core_connection(db).execute(
        update(NotifyLink).where(NotifyLink.subject_kind == kind, NotifyLink.subject_id == subject_id)
        .values(address=None, link_code=None, status=LinkStatus.STOPPED, stopped_at=now, stop_reason="purged")))
