"""Measures 9 and 10 — complaints and feedback, their append-only event log, attachments, the personal-data
access log and the office's holiday calendar."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tambon.db import Base


class ComplaintType(enum.StrEnum):
    STAFF_CONDUCT = "staff_conduct"  # measure 9: discrimination / unfair service by staff
    CORRUPTION = "corruption"        # report of corruption or misconduct (การทุจริตและประพฤติมิชอบ)
    COMPLAINT = "complaint"          # general complaint or request (ร้องทุกข์)
    QUESTION = "question"            # measure 10: question / request for information
    PRAISE = "praise"
    SUGGESTION = "suggestion"


TYPES = tuple(t.value for t in ComplaintType)
# Only the officers assigned and the executive may see these; never the staff member named in them.
CONFIDENTIAL_TYPES = (ComplaintType.STAFF_CONDUCT.value, ComplaintType.CORRUPTION.value)


class Status(enum.StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    REOPENED = "reopened"        # the citizen said "not solved" after an answer
    ANSWERED = "answered"
    CLOSED = "closed"
    REJECTED = "rejected"
    FORWARDED = "forwarded"      # sent to another agency


OPEN_STATUSES = (Status.RECEIVED.value, Status.ACKNOWLEDGED.value, Status.ASSIGNED.value,
                 Status.IN_PROGRESS.value, Status.REOPENED.value)
DONE_STATUSES = (Status.ANSWERED.value, Status.CLOSED.value, Status.REJECTED.value, Status.FORWARDED.value)
STATUSES = OPEN_STATUSES + DONE_STATUSES

# Channels a complaint arrives by. The public form and API use "web" (or a public app's channel); the
# office records the rest when it types in what came by phone, at the counter, by letter, etc.
PUBLIC_CHANNELS = ("web", "line", "facebook", "email", "open311")
STAFF_CHANNELS = ("phone", "walk_in", "letter", "suggestion_box", "facebook", "line", "email")
CHANNELS = tuple(dict.fromkeys(PUBLIC_CHANNELS + STAFF_CHANNELS))
# Where a QR code was posted (?src=...): the report says where complaints come from.
SOURCES = ("counter", "notice_board", "kiosk", "ticket", "website", "facebook", "line")


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_status_due", "status", "due_at"),
        Index("ix_complaints_received", "received_at"),
        Index("ix_complaints_dedupe", "dedupe_hash", "received_at"),
        Index("ix_complaints_open311_id", "open311_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)   # TB-XXXX-XXXX
    pin_hash: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default=Status.RECEIVED)
    channel: Mapped[str] = mapped_column(String(24), default="web")
    source: Mapped[str | None] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(300))
    occurred_on: Mapped[date | None] = mapped_column(Date)
    # Personal data: shown only to roles that need it, every view logged, purged after the retention period.
    anonymous: Mapped[bool] = mapped_column(default=False)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_line_id: Mapped[str | None] = mapped_column(String(100))
    notify_citizen: Mapped[bool] = mapped_column(default=False)
    consent_at: Mapped[datetime | None]
    # The staff member the complaint is about (staff_conduct): they never see it.
    named_staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    named_staff_text: Mapped[str | None] = mapped_column(String(200))
    division: Mapped[str | None] = mapped_column(String(100))
    assigned_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    forwarded_to: Mapped[str | None] = mapped_column(String(200))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    public_answer: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime]
    ack_due_at: Mapped[datetime]
    due_at: Mapped[datetime]                      # the answer deadline now (a reopening sets a new one)
    original_due_at: Mapped[datetime]             # the first deadline: "answered on time" is judged by it
    acknowledged_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]          # last time it reached a final status
    first_answered_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    reopen_count: Mapped[int] = mapped_column(default=0)
    dedupe_hash: Mapped[str] = mapped_column(String(64))
    # The same text received shortly before (its id): kept, and shown to the officer as a probable duplicate.
    duplicate_of_id: Mapped[int | None]
    # Open311's service_request_id: published in the public list, so never the tracking code.
    open311_id: Mapped[str | None] = mapped_column(String(16))
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    personal_data_purged_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    @property
    def confidential(self) -> bool:
        return self.type in CONFIDENTIAL_TYPES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ComplaintEvent(Base):
    """Append-only: one row per step of a complaint's life, with who and when. A trigger (see the intake
    migration) refuses UPDATE and DELETE. ``public`` rows appear on the citizen's status page; the others
    (internal notes, assignments to a person) only in the office."""

    __tablename__ = "complaint_events"
    __table_args__ = (Index("ix_complaint_events_complaint", "complaint_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    type: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(16))          # staff | citizen | system
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    public: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict | None] = mapped_column(JSON)


class ComplaintPinAttempt(Base):
    """Wrong PINs for one complaint from one client (a keyed hash of its address, never the address): the
    lock-out and its back-off hold for that client only, so nobody can lock a citizen out of their answer."""

    __tablename__ = "complaint_pin_attempts"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_failed_at: Mapped[datetime]


class ComplaintAttachment(Base):
    """A photo or PDF the citizen sent, checked by content. Deleted by the retention purge."""

    __tablename__ = "complaint_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime]


class ComplaintAccessLog(Base):
    """Append-only: every time a staff member was shown a complainant's personal data."""

    __tablename__ = "complaint_access_log"
    __table_args__ = (Index("ix_complaint_access_log_complaint", "complaint_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]
    what: Mapped[str] = mapped_column(String(32))     # contact | attachment
    address: Mapped[str | None] = mapped_column(String(64))


class Holiday(Base):
    """A day the office is closed besides weekends (lunar holidays, cabinet-announced days off)."""

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")


APPEND_ONLY_TABLES = ("complaint_events", "complaint_access_log")
