"""The durable print outbox: one row per paper ticket to print, written in the ticket's own transaction."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tambon.db import Base


class JobStatus(enum.StrEnum):
    PENDING = "pending"          # waiting for its turn (or for the back-off after a failed attempt)
    SENDING = "sending"          # claimed by a worker; bytes may be on their way to the printer
    PRINTED = "printed"          # the printer took every byte
    INTERRUPTED = "interrupted"  # the worker died while sending: replaced by a COPY job (never resent)


class JobKind(enum.StrEnum):
    ISSUE = "issue"        # the ticket's first print, queued with the ticket
    REPRINT = "reprint"    # staff pressed "reprint" at a counter (printed as สำเนา / COPY)
    RECOVERY = "recovery"  # replaces an interrupted job (printed as สำเนา / COPY)


class PrintJob(Base):
    __tablename__ = "print_jobs"
    __table_args__ = (
        # The claim's "oldest due pending job" reads the first entries only, however long the backlog.
        Index("ix_print_jobs_due", "status", "id", "next_attempt_at"),
        # A printer's retry time (printer_retry_at, on every issue): only the jobs that failed are read.
        Index("ix_print_jobs_printer", "printer", "status", "attempts", "next_attempt_at"),
        Index("ix_print_jobs_ticket", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    kind: Mapped[str] = mapped_column(String(16), default=JobKind.ISSUE)
    copy: Mapped[bool] = mapped_column(default=False)  # prints the สำเนา / COPY band
    printer: Mapped[str] = mapped_column(String(64), default="default")  # a name from the printer map
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(128))  # host:pid of the worker
    printed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    replaces_job_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"))
    # What the ticket says (number, service names, time, waiting ahead, status URL): rendering needs
    # nothing else, so every attempt prints the same dots as the preview.
    payload: Mapped[dict] = mapped_column(JSON)
