"""Read side of the queue: what kiosks, counters, displays and phones show. Plain dicts, JSON-ready.

Every read touches only today's open tickets through the ``ix_tickets_queue`` index, so its cost does not
grow with the years of history kept in the table.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from kiosk.models import Counter, CounterService, EventType, Service, Ticket, TicketEvent, TicketStatus
from kiosk.names import names
from kiosk.queue import STATUS_TH, TicketRow, _waiting_ahead, find_ticket, is_open
from tambon.thaidate import business_date, to_local, utcnow


def iso_local(moment: datetime | None, tz: str) -> str | None:
    return to_local(moment, tz).isoformat(timespec="seconds") if moment else None


def services(session: Session, *, tz: str, now: datetime | None = None, include_inactive: bool = False) -> list[dict]:
    now = now or utcnow()
    day = business_date(now, tz)
    waiting = dict(session.execute(
        select(Ticket.service_id, func.count()).where(Ticket.business_date == day,
                                                     Ticket.status == TicketStatus.WAITING)
        .group_by(Ticket.service_id)).all())
    query = select(Service).order_by(Service.position, Service.id)
    if not include_inactive:
        query = query.where(Service.active.is_(True))
    return [{
        "code": s.code, "prefix": s.prefix, "name_th": s.name_th, "name_en": s.name_en,
        "opens_at": s.opens_at.strftime("%H:%M"), "closes_at": s.closes_at.strftime("%H:%M"),
        "open_days": s.open_days, "active": s.active, "open_now": s.active and is_open(s, now, tz),
        "waiting": waiting.get(s.id, 0),
    } for s in session.scalars(query)]


def _ticket_brief(ticket: Ticket | TicketRow, service_code: str, tz: str) -> dict:
    return {"id": ticket.public_id, "number": ticket.label, "service": service_code, "status": ticket.status,
            "priority": ticket.priority, "issued_at": iso_local(ticket.issued_at, tz),
            "called_at": iso_local(ticket.last_called_at, tz), "recalls": ticket.recalls}


def counters(session: Session, *, tz: str) -> list[dict]:
    # Four queries whatever the number of counters (display boards poll this every few seconds).
    codes = dict(session.execute(select(Service.id, Service.code)).all())
    all_counters = session.scalars(select(Counter).order_by(Counter.id)).all()
    services_of: dict[int, list[str]] = {}
    for counter_id, service_id in session.execute(
            select(CounterService.counter_id, CounterService.service_id)
            .order_by(CounterService.counter_id, CounterService.position)):
        services_of.setdefault(counter_id, []).append(codes[service_id])
    current_ids = [c.current_ticket_id for c in all_counters if c.current_ticket_id]
    current = {t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(current_ids)))} \
        if current_ids else {}
    result = []
    for counter in all_counters:
        ticket = current.get(counter.current_ticket_id) if counter.current_ticket_id else None
        result.append({
            "id": counter.id, "name": counter.name, "name_en": counter.name_en, "active": counter.active,
            "services": services_of.get(counter.id, []),
            "serving": _ticket_brief(ticket, codes[ticket.service_id], tz) if ticket else None,
        })
    return result


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
        "waiting_ahead": (_waiting_ahead(session, ticket.business_date, ticket.service_id, ticket.priority,
                                         ticket.queued_at, ticket.id)
                          if ticket.status == TicketStatus.WAITING else 0),
        "finished_at": iso_local(ticket.finished_at, tz),
    })
    return body


def waiting_list(session: Session, *, tz: str, now: datetime | None = None, limit: int = 200) -> list[dict]:
    """Today's waiting and parked tickets, in the order the queue would take them per service."""
    day = business_date(now or utcnow(), tz)
    rows = session.execute(
        select(Ticket, Service.code).join(Service, Service.id == Ticket.service_id)
        .where(Ticket.business_date == day, Ticket.status.in_((TicketStatus.WAITING, TicketStatus.PARKED)))
        .order_by(Service.position, Ticket.priority.desc(), Ticket.queued_at, Ticket.id).limit(limit)
    ).all()
    return [_ticket_brief(t, code, tz) for t, code in rows]


def call_names(session: Session, service_id: int, counter_id: int) -> dict | None:
    """The names a display shows with a call (the broadcaster needs them for every call)."""
    service, counter = names(session, service_id, counter_id)
    if service is None or counter is None:  # the service or the counter is gone
        return None
    return {"service": service.code, "service_name_th": service.name_th, "service_name_en": service.name_en,
            "counter_name": counter.name, "counter_name_en": counter.name_en}


_CALLS_OF_TYPE = (
    select(TicketEvent.id, TicketEvent.at, TicketEvent.type, Ticket.label, Ticket.public_id, Counter.id,
           Counter.name, Service.code)
    .join(Ticket, Ticket.id == TicketEvent.ticket_id)
    .join(Counter, Counter.id == TicketEvent.counter_id)
    .join(Service, Service.id == TicketEvent.service_id)
    .where(TicketEvent.business_date == bindparam("day"), TicketEvent.type == bindparam("type"))
    .order_by(TicketEvent.id.desc()).limit(bindparam("limit"))
)


def last_called(session: Session, *, tz: str, now: datetime | None = None, limit: int = 5) -> list[dict]:
    day = business_date(now or utcnow(), tz)
    # One query per event type, each reading just `limit` rows backwards down ix_ticket_events_day_type_id
    # (business_date, type, id); a single IN (called, recalled) sorted every call of the day.
    rows = sorted((row for type_ in (EventType.CALLED, EventType.RECALLED)
                   for row in session.execute(_CALLS_OF_TYPE, {"day": day, "type": type_, "limit": limit})),
                  key=lambda row: row[0], reverse=True)[:limit]
    return [{"number": label, "id": public_id, "counter_id": cid, "counter_name": cname, "service": code,
             "recall": type_ == EventType.RECALLED, "at": iso_local(at, tz)}
            for _id, at, type_, label, public_id, cid, cname, code in rows]


def snapshot(session: Session, *, tz: str, now: datetime | None = None) -> dict:
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
