"""Measure 4 — the fair queue: services, counters, tickets and the append-only ticket event log."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import NamedTuple

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tambon.db import Base


class TicketStatus(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"        # announced; the citizen is walking to the counter
    SERVING = "serving"      # the citizen is at the counter
    PARKED = "parked"        # on hold (e.g. fetching a document); back to waiting later
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


OPEN_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.PARKED)
AT_COUNTER = (TicketStatus.CALLED, TicketStatus.SERVING)


class EventType(enum.StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    STARTED = "started"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    PARKED = "parked"
    UNPARKED = "unparked"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    REPRINTED = "reprinted"
    RATED = "rated"


class Service(Base):
    """A กระบวนงาน citizens queue for, e.g. ชำระภาษี. Its prefix starts each ticket number (A007)."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    prefix: Mapped[str] = mapped_column(String(3), unique=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    opens_at: Mapped[time] = mapped_column(Time, default=time(8, 30))
    closes_at: Mapped[time] = mapped_column(Time, default=time(16, 30))
    # ISO weekdays the service is open, as digits: "12345" = Monday–Friday.
    open_days: Mapped[str] = mapped_column(String(7), default="12345")
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)


class Counter(Base):
    """A ช่องบริการ. Serves its services in the order of CounterService.position."""

    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str] = mapped_column(String(100), default="")
    # What the voice announces ("ช่อง 2", "โต๊ะ 3"): words of display.voice.WORDS and numbers.
    spoken_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    active: Mapped[bool] = mapped_column(default=True)
    # Ticket being called or served here; the conditional update on it stops a double "next".
    current_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", use_alter=True))
    # How many priority tickets this counter called in a row (the anti-starvation rule).
    priority_streak: Mapped[int] = mapped_column(default=0)

    services: Mapped[list[CounterService]] = relationship(
        order_by="CounterService.position", cascade="all, delete-orphan", back_populates="counter")


class CounterService(Base):
    __tablename__ = "counter_services"

    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)

    counter: Mapped[Counter] = relationship(back_populates="services")
    service: Mapped[Service] = relationship()


class DailySequence(Base):
    """Last number handed out per service per local business date. Incremented in the same transaction
    as the ticket insert, so a failed request rolls the number back too: no duplicates, no gaps."""

    __tablename__ = "daily_sequences"

    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        # The last guard against a duplicate number, whatever happens above it.
        UniqueConstraint("business_date", "issued_service_id", "number"),
        CheckConstraint("number > 0", name="positive_number"),
        # Call-next and the snapshot read only today's open tickets of a few services.
        Index("ix_tickets_queue", "business_date", "service_id", "status", "priority", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # unguessable: /t/{public_id}
    business_date: Mapped[date] = mapped_column(Date)
    issued_service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))  # changes on transfer
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(8))  # "A007"
    priority: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=TicketStatus.WAITING)
    issued_at: Mapped[datetime]
    queued_at: Mapped[datetime]  # the place in line; a transfer keeps it
    first_called_at: Mapped[datetime | None]
    last_called_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    recalls: Mapped[int] = mapped_column(default=0)
    kiosk: Mapped[str | None] = mapped_column(String(64))


class TicketEvent(Base):
    """Append-only: one row per step of a ticket's life. Every queue metric is computed from these.

    A database trigger (see the kiosk migration) refuses UPDATE and DELETE on this table."""

    __tablename__ = "ticket_events"
    __table_args__ = (
        Index("ix_ticket_events_ticket", "ticket_id", "id"),
        Index("ix_ticket_events_day_type_id", "business_date", "type", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    type: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime]
    business_date: Mapped[date] = mapped_column(Date)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    detail: Mapped[dict | None] = mapped_column(JSON)


APPEND_ONLY_TABLES = ("ticket_events",)


# The queue's steps read and write rows with SQLAlchemy Core and hand them on as these typed rows: the columns of
# the table, in its order (tests/kiosk/test_rows.py keeps them equal), so ``ticket.status`` reads as on the model.

class TicketRow(NamedTuple):
    id: int
    public_id: str
    business_date: date
    issued_service_id: int
    service_id: int
    number: int
    label: str
    priority: bool
    status: str
    issued_at: datetime
    queued_at: datetime
    first_called_at: datetime | None
    last_called_at: datetime | None
    finished_at: datetime | None
    counter_id: int | None
    recalls: int
    kiosk: str | None


class CounterRow(NamedTuple):
    id: int
    name: str
    name_en: str
    spoken_name: str
    active: bool
    current_ticket_id: int | None
    priority_streak: int

# The print outbox table lives with the printing code; import it so the metadata knows every kiosk table.
from kiosk.printing import models as _printing_models  # noqa: E402,F401
