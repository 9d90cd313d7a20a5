"""The citizen's phone view of one ticket: status, place in line and an estimated wait.

The estimate comes from today's measured pace of the ticket's service: the mean time between the last
calls of that service today (any counter). With fewer than three calls today there is no estimate
(the page says so) rather than a made-up one. It reads only the append-only ticket event log.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk import reads
from kiosk.models import EventType, TicketEvent
from kiosk.queue import find_ticket
from tambon.thaidate import utcnow

PACE_WINDOW = 10      # calls used for the pace
MIN_CALLS = 3         # fewer calls today: no estimate yet


def service_pace(session: Session, service_id: int, day: date) -> tuple[float, datetime, int] | None:
    """(seconds between calls, time of the last call, calls used) for a service today, or None."""
    times = session.scalars(
        select(TicketEvent.at).where(TicketEvent.business_date == day, TicketEvent.service_id == service_id,
                                     TicketEvent.type == EventType.CALLED)
        .order_by(TicketEvent.id.desc()).limit(PACE_WINDOW)).all()
    if len(times) < MIN_CALLS:
        return None
    newest, oldest = max(times), min(times)
    interval = (newest - oldest).total_seconds() / (len(times) - 1)
    return max(interval, 30.0), newest, len(times)


def estimate_minutes(position: int, pace: tuple[float, datetime, int] | None, now: datetime) -> int | None:
    """Expected minutes until this ticket is called: position × pace, minus time since the last call."""
    if pace is None or position < 1:
        return None
    interval, last_call, _n = pace
    seconds = position * interval - max(0.0, (now - last_call).total_seconds())
    return max(1, math.ceil(seconds / 60))


def ticket_view(session: Session, public_id: str, *, tz: str, now: datetime | None = None) -> dict:
    """What the phone page shows. No personal data: a ticket holds none."""
    now = now or utcnow()
    ticket = find_ticket(session, public_id)
    body = reads.ticket_view(session, ticket, tz=tz)
    waiting = body["status"] == "waiting"
    position: int | None = None
    pace: tuple[float, datetime, int] | None = None
    estimate: int | None = None
    if waiting:
        position = body["waiting_ahead"] + 1
        pace = service_pace(session, ticket.service_id, ticket.business_date)
        estimate = estimate_minutes(position, pace, now)
    rated = session.scalar(select(TicketEvent.outcome).where(TicketEvent.ticket_id == ticket.id,
                                                             TicketEvent.type == EventType.RATED))
    body.update({
        "position": position,
        "estimated_wait_minutes": estimate,
        "pace_seconds": round(pace[0]) if pace else None,
        "rated": rated is not None,
        "rating": int(rated) if rated and rated.isdigit() else None,
        "can_rate": body["status"] == "completed" and rated is None,
    })
    return body
