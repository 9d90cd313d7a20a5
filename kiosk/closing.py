"""Closing the day: tickets still open from earlier business dates are closed with an auditable outcome.

Nothing is deleted: each left-over ticket gets a `cancelled` event with outcome `end_of_day`, and a counter
still holding one is freed, so the morning starts clean and reports do not count yesterday's leftovers
as still waiting. Safe to run any number of times (`tambon queue close-day`, e.g. from cron at 00:05).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kiosk.models import OPEN_STATUSES, Counter, EventType, Ticket, TicketStatus
from kiosk.queue import DEFAULT_RULES, QueueRules, record_event
from tambon import events
from tambon.db import write_transaction
from tambon.thaidate import business_date, utcnow


def close_day(session: Session, *, before: date | None = None, rules: QueueRules = DEFAULT_RULES,
              now: datetime | None = None) -> int:
    """Close every open ticket whose business date is before `before` (default: today). Returns how many."""
    now = now or utcnow()
    before = before or business_date(now, rules.timezone)
    with write_transaction(session):
        leftovers = session.scalars(select(Ticket).where(Ticket.business_date < before,
                                                         Ticket.status.in_(OPEN_STATUSES))).all()
        ids = [t.id for t in leftovers]
        if ids:
            session.execute(update(Counter).where(Counter.current_ticket_id.in_(ids))
                            .values(current_ticket_id=None).execution_options(synchronize_session=False))
        for ticket in leftovers:
            ticket.status = TicketStatus.CANCELLED
            ticket.finished_at = now
            record_event(session, ticket.id, EventType.CANCELLED, now, ticket.business_date, ticket.service_id,
                          counter_id=ticket.counter_id, outcome="end_of_day")
        if ids:
            events.publish(session, "queue.day_closed", {"tickets": len(ids), "before": before.isoformat()})
    return len(ids)
