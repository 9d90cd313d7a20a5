"""Who can be reached how (``notify_links``) and the durable notification outbox (``notify_outbox``).

A link ties one complaint or one queue ticket to one way of reaching the citizen: a LINE userId (learnt
when the citizen sends the one-time link code to the office's Official Account), a Thai mobile number
(SMS, opted in with consent) or an e-mail address (the complaint form's "notify me"). Subjects are kept
as plain ids and public references: this package reads the queue and the complaints only through their
public functions, never their tables.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tambon.db import Base


class Channel(enum.StrEnum):
    LINE = "line"
    SMS = "sms"
    EMAIL = "email"


class Subject(enum.StrEnum):
    COMPLAINT = "complaint"
    TICKET = "ticket"


class LinkStatus(enum.StrEnum):
    PENDING = "pending"  # a link code was handed out; nobody has sent it to the OA yet
    ACTIVE = "active"    # notices go out
    STOPPED = "stopped"  # the citizen sent "ยกเลิก", unfollowed / blocked the OA, or the link was replaced


class NoticeStatus(enum.StrEnum):
    WAITING = "waiting"          # due now or after its back-off
    SENDING = "sending"          # claimed by a worker (committed before the request goes out)
    SENT = "sent"                # the provider accepted it
    FAILED = "failed"            # given up: a permanent refusal, too many tries, or LINE's 24-hour key window
    SKIPPED = "skipped"          # not sent on purpose: the citizen stopped notices, or the SMS cap was reached
    INTERRUPTED = "interrupted"  # the worker died mid-send over a channel without an idempotency key: not resent


class NotifyLink(Base):
    __tablename__ = "notify_links"
    __table_args__ = (
        Index("ix_notify_links_subject", "subject_kind", "subject_id", "status"),
        Index("ix_notify_links_address", "channel", "address", "status"),
        UniqueConstraint("link_code", name="uq_notify_links_link_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int]
    subject_ref: Mapped[str] = mapped_column(String(64))      # tracking code, or the ticket's public id
    business_date: Mapped[date | None] = mapped_column(Date)  # a ticket's day: queue notices only that day
    channel: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8))
    # Personal data: a LINE userId, a mobile number (66XXXXXXXXX) or an e-mail address. None while pending.
    address: Mapped[str | None] = mapped_column(String(254))
    link_code: Mapped[str | None] = mapped_column(String(8))  # the one-time LINE link code
    code_expires_at: Mapped[datetime | None]
    consent_text: Mapped[str | None] = mapped_column(Text)     # the PDPA text the citizen agreed to (SMS)
    created_at: Mapped[datetime]
    linked_at: Mapped[datetime | None]
    stopped_at: Mapped[datetime | None]
    stop_reason: Mapped[str | None] = mapped_column(String(16))  # cancelled | unfollowed | replaced | purged


class Notice(Base):
    """One message to one citizen. Written in the transaction of the event that causes it; sent after the
    commit by the worker (notify.outbox)."""

    __tablename__ = "notify_outbox"
    __table_args__ = (
        Index("ix_notify_outbox_due", "status", "next_attempt_at"),
        Index("ix_notify_outbox_subject", "subject_kind", "subject_id"),
        Index("ix_notify_outbox_channel_created", "channel", "created_at"),
        # One notice per link per cause: an event delivered twice, or a webhook redelivered, adds nothing.
        UniqueConstraint("link_id", "dedupe_key", name="uq_notify_outbox_link_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("notify_links.id"))  # None: a reply to a stranger
    subject_kind: Mapped[str | None] = mapped_column(String(16))
    subject_id: Mapped[int | None]
    channel: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(32))        # complaint.answered, queue.near, reply.linked, ...
    dedupe_key: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    reply_token: Mapped[str | None] = mapped_column(String(100))  # LINE: answer the citizen's own message free
    sender_hash: Mapped[str | None] = mapped_column(String(64))   # keyed hash of a stranger's userId (rate limit)
    retry_key: Mapped[str] = mapped_column(String(36))  # X-Line-Retry-Key: the same on every attempt
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    first_attempt_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    sent_at: Mapped[datetime | None]
    provider_ref: Mapped[str | None] = mapped_column(String(100))  # LINE request id, SMS message id
    last_error: Mapped[str | None] = mapped_column(String(300))
