"""Read side of the queue: what kiosks, counters, displays and phones show. Plain dicts, JSON-ready.

Every read touches only today's open tickets through the ``ix_tickets_queue`` index, so its cost does not
grow with the years of history kept in the table.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, Row, bindparam, case, func, select
from sqlalchemy.orm import Session, aliased

from kiosk.models import (
    Counter,
    CounterService,
    EventType,
    Service,
    Ticket,
    TicketEvent,
    TicketRow,
    TicketStatus,
)
from kiosk.names import names
from kiosk.queue import STATUS_TH, find_ticket, is_open, unknown_counter, waiting_ahead
from tambon.db import core_connection
from tambon.pages import public_url
from tambon.thaidate import business_date, to_local, utcnow


def status_url(public_id: str) -> str:
    """The ticket's phone page, as its QR code and the API give it (PUBLIC_BASE_URL, or a trusted Host)."""
    return public_url(f"/t/{public_id}")


def iso_local(moment: datetime | None, tz: str) -> str | None:
    return to_local(moment, tz).isoformat(timespec="seconds") if moment else None


# The displays' snapshot runs these up to ten times a second per server process (display/live.py), and
# the boards' GET /api/v1/queue more: built once, so SQLAlchemy's compiled cache finds them.

def _waiting_of(service_id):
    """Waiting tickets of one service today: an index-only range of ix_tickets_queue (date, service, status).
    A GROUP BY over the day's tickets instead read every ticket of the day: 4.9 ms at 17,000 tickets."""
    return (select(func.count()).select_from(Ticket)
            .where(Ticket.business_date == bindparam("day"), Ticket.service_id == service_id,
                   Ticket.status == TicketStatus.WAITING)
            .scalar_subquery())


def _services_stmt(include_inactive: bool):
    query = (select(Service.code, Service.prefix, Service.name_th, Service.name_en, Service.opens_at,
                    Service.closes_at, Service.open_days, Service.active, _waiting_of(Service.id).label("waiting"))
             .order_by(Service.position, Service.id))
    return query if include_inactive else query.where(Service.active.is_(True))


_SERVICES = {flag: _services_stmt(flag) for flag in (False, True)}


def services(session: Session | Connection, *, tz: str, now: datetime | None = None,
             include_inactive: bool = False) -> list[dict]:
    now = now or utcnow()
    rows = core_connection(session).execute(_SERVICES[include_inactive], {"day": business_date(now, tz)}).all()
    return [{
        "code": s.code, "prefix": s.prefix, "name_th": s.name_th, "name_en": s.name_en,
        "opens_at": s.opens_at.strftime("%H:%M"), "closes_at": s.closes_at.strftime("%H:%M"),
        "open_days": s.open_days, "active": s.active, "open_now": s.active and is_open(s, now, tz),
        "waiting": s.waiting,
    } for s in rows]


def _ticket_brief(ticket: Ticket | TicketRow | Row, service_code: str, tz: str) -> dict:
    return {"id": ticket.public_id, "number": ticket.label, "service": service_code, "status": ticket.status,
            "priority": ticket.priority, "issued_at": iso_local(ticket.issued_at, tz),
            "called_at": iso_local(ticket.last_called_at, tz), "recalls": ticket.recalls}


_SERVING = aliased(Ticket, name="serving")
_SERVING_SERVICE = aliased(Service, name="serving_service")
# Every counter with the ticket it is serving (if any), in one statement.
_COUNTERS = (
    select(Counter.id, Counter.name, Counter.name_en, Counter.spoken_name, Counter.active,
           _SERVING.public_id, _SERVING.label, _SERVING.status, _SERVING.priority, _SERVING.issued_at,
           _SERVING.last_called_at, _SERVING.recalls, _SERVING_SERVICE.code.label("service_code"))
    .outerjoin(_SERVING, _SERVING.id == Counter.current_ticket_id)
    .outerjoin(_SERVING_SERVICE, _SERVING_SERVICE.id == _SERVING.service_id)
    .order_by(Counter.id))
_COUNTER_SERVICES = (
    select(CounterService.counter_id, Service.code).join(Service, Service.id == CounterService.service_id)
    .order_by(CounterService.counter_id, CounterService.position))


def counters(session: Session | Connection, *, tz: str) -> list[dict]:
    db = core_connection(session)
    services_of: dict[int, list[str]] = {}
    for counter_id, code in db.execute(_COUNTER_SERVICES):
        services_of.setdefault(counter_id, []).append(code)
    return [{
        "id": row.id, "name": row.name, "name_en": row.name_en, "spoken_name": row.spoken_name,
        "active": row.active, "services": services_of.get(row.id, []),
        "serving": _ticket_brief(row, row.service_code, tz) if row.public_id is not None else None,
    } for row in db.execute(_COUNTERS)]


def ticket_status(session: Session, public_id: str, *, tz: str) -> dict:
    """A ticket's public status: no personal data (a ticket holds none)."""
    return ticket_view(session, find_ticket(session, public_id), tz=tz)


def ticket_view(session: Session, ticket: Ticket | TicketRow, *, tz: str) -> dict:
    """The public status of a ticket already in hand (a counter action's answer needs no reload)."""
    service, counter = names(session, ticket.service_id, ticket.counter_id)
    assert service is not None  # tickets.service_id is a foreign key
    body = _ticket_brief(ticket, service.code, tz)
    body.update({
        "service_name_th": service.name_th, "service_name_en": service.name_en,
        "status_th": STATUS_TH[ticket.status],
        "counter": ({"id": ticket.counter_id, "name": counter.name, "name_en": counter.name_en}
                    if counter is not None else None),
        "business_date": ticket.business_date.isoformat(),
        "waiting_ahead": (waiting_ahead(session, ticket.business_date, ticket.service_id, ticket.priority,
                                         ticket.queued_at, ticket.id)
                          if ticket.status == TicketStatus.WAITING else 0),
        "finished_at": iso_local(ticket.finished_at, tz),
    })
    return body


def waiting_list(session: Session, *, tz: str, now: datetime | None = None, counter_id: int | None = None,
                 offset: int = 0, limit: int = 200) -> tuple[list[dict], int]:
    """Today's waiting and parked tickets, in the order the queue would take them per service, one page of
    them (offset, limit) and how many there are in all. With a counter: only the services it serves, in
    its order (a clerk cannot call the others, so listing them only hides the ones they can)."""
    day = business_date(now or utcnow(), tz)
    where = [Ticket.business_date == day, Ticket.status.in_((TicketStatus.WAITING, TicketStatus.PARKED))]
    stmt = select(Ticket, Service.code).join(Service, Service.id == Ticket.service_id)
    if counter_id is None:
        order = Service.position
    else:
        if session.get(Counter, counter_id) is None:
            raise unknown_counter(counter_id)
        stmt = stmt.join(CounterService, (CounterService.service_id == Ticket.service_id)
                         & (CounterService.counter_id == counter_id))
        order = CounterService.position
    total = session.scalar(select(func.count()).select_from(stmt.where(*where).subquery())) or 0
    rows = session.execute(stmt.where(*where).order_by(order, Ticket.priority.desc(), Ticket.queued_at, Ticket.id)
                           .offset(offset).limit(limit)).all()
    return [_ticket_brief(t, code, tz) for t, code in rows], total


def call_names(session: Session, service_id: int, counter_id: int) -> dict | None:
    """The names a display shows with a call (the broadcaster needs them for every call)."""
    service, counter = names(session, service_id, counter_id)
    if service is None or counter is None:  # the service or the counter is gone
        return None
    return {"service": service.code, "service_name_th": service.name_th, "service_name_en": service.name_en,
            "counter_name": counter.name, "counter_name_en": counter.name_en,
            "counter_spoken_name": counter.spoken_name}


_CALLS_OF_TYPE = (
    select(TicketEvent.id, TicketEvent.at, TicketEvent.type, Ticket.label, Ticket.public_id, Counter.id,
           Counter.name, Service.code)
    .join(Ticket, Ticket.id == TicketEvent.ticket_id)
    .join(Counter, Counter.id == TicketEvent.counter_id)
    .join(Service, Service.id == TicketEvent.service_id)
    .where(TicketEvent.business_date == bindparam("day"), TicketEvent.type == bindparam("type"))
    .order_by(TicketEvent.id.desc()).limit(bindparam("limit"))
)


def last_called(session: Session | Connection, *, tz: str, now: datetime | None = None, limit: int = 5) -> list[dict]:
    day = business_date(now or utcnow(), tz)
    db = core_connection(session)
    # One query per event type, each reading just `limit` rows backwards down ix_ticket_events_day_type_id
    # (business_date, type, id); a single IN (called, recalled) sorted every call of the day.
    rows = sorted((row for type_ in (EventType.CALLED, EventType.RECALLED)
                   for row in db.execute(_CALLS_OF_TYPE, {"day": day, "type": type_, "limit": limit})),
                  key=lambda row: row[0], reverse=True)[:limit]
    return [{"number": label, "id": public_id, "counter_id": cid, "counter_name": cname, "service": code,
             "recall": type_ == EventType.RECALLED, "at": iso_local(at, tz)}
            for _id, at, type_, label, public_id, cid, cname, code in rows]


def snapshot(session: Session | Connection, *, tz: str, now: datetime | None = None) -> dict:
    """The whole queue at a glance: who is being served where, the last calls, how many wait."""
    now = now or utcnow()
    return {
        "business_date": business_date(now, tz).isoformat(),
        "generated_at": iso_local(now, tz),
        "counters": counters(session, tz=tz),
        "last_called": last_called(session, tz=tz, now=now),
        "services": services(session, tz=tz, now=now),
    }


def today_counts(session: Session, *, tz: str, day: date | None = None, counter_id: int | None = None) -> dict:
    """Today's tickets by status (for the counter console); with a counter, what that counter finished."""
    day = day or business_date(utcnow(), tz)
    by_status = dict(session.execute(
        select(Ticket.status, func.count()).where(Ticket.business_date == day).group_by(Ticket.status)).all())
    counts = {"issued": sum(by_status.values()), **{s.value: by_status.get(s.value, 0) for s in TicketStatus}}
    if counter_id is not None:
        done = session.execute(
            select(func.sum(case((TicketEvent.type == EventType.COMPLETED, 1), else_=0)),
                   func.sum(case((TicketEvent.type == EventType.NO_SHOW, 1), else_=0)))
            .where(TicketEvent.business_date == day, TicketEvent.counter_id == counter_id)).one()
        counts["this_counter_completed"] = done[0] or 0
        counts["this_counter_no_show"] = done[1] or 0
    return counts


def ticket_history(session: Session, public_id: str, *, tz: str) -> list[dict]:
    """The append-only event trail of one ticket (staff view)."""
    ticket = find_ticket(session, public_id)
    rows = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                           .order_by(TicketEvent.id))
    return [{"type": e.type, "outcome": e.outcome, "at": iso_local(e.at, tz), "counter_id": e.counter_id,
             "user_id": e.user_id, "service_id": e.service_id} for e in rows]
