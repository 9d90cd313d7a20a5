"""The per-ticket facts of the queue reports, read from kiosk's event log: one row per ticket (its day,
hour, service, counter, staff, waiting and service seconds, outcome, rating) and the histogram rows made
from them. The rollup (reports/rollup.py) stores them per closed day; reports/metrics.py computes the
same for the days not rolled up — both from here, so the two cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Integer, case, cast, extract, func, literal, select
from sqlalchemy.orm import Session

from kiosk.models import EventType, TicketEvent
from tambon.thaidate import zone

BUCKET_S = 60  # histogram bucket of report_duration_hist

# The groupings, numbered as in report_duration_hist.dim; None = all tickets (key 0).
DIMS: tuple[str | None, ...] = (None, "service_id", "counter_id", "user_id", "weekday", "hour", "priority")
MEASURES = (("wait_s", "wait_b"), ("service_s", "service_b"))   # report_duration_hist.measure 0 and 1
FACT_COLUMNS = ("ticket_id", "day", "weekday", "hour", "service_id", "priority", "counter_id", "user_id",
                "wait_s", "service_s", "wait_b", "service_b", "served", "no_show", "transferred", "cancelled",
                "score")

# --- dialect-aware expressions ------------------------------------------------------------------------

def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def seconds_between(session: Session, later, earlier):
    """later − earlier in seconds: julianday on SQLite, EXTRACT(EPOCH …) on PostgreSQL."""
    if is_postgresql(session):
        return extract("epoch", later - earlier)
    return func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0, 3)


def bucket_of(session: Session, seconds):
    """The histogram bucket of a duration: floor(seconds / 60) (any non-decreasing function would do)."""
    if is_postgresql(session):
        return cast(func.floor(seconds / float(BUCKET_S)), Integer)
    return cast(seconds / float(BUCKET_S), Integer)   # truncates: non-decreasing too


def fixed_offset_seconds(start: date, end: date, tz: str) -> int:
    """SQLite has no time-zone database: use the zone's UTC offset (constant for Asia/Bangkok)."""
    def offset(day: date) -> int:
        delta = datetime.combine(day, time(12), tzinfo=zone(tz)).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    offsets = {offset(d) for d in (start, end)}
    return offsets.pop() if len(offsets) == 1 else offset(start)


def local_hour(session: Session, utc_naive, tz: str, offset_s: int):
    if is_postgresql(session):
        return cast(extract("hour", func.timezone(tz, func.timezone("UTC", utc_naive))), Integer)
    return cast(func.strftime("%H", utc_naive, f"{offset_s:+d} seconds"), Integer)


def iso_weekday(session: Session, day_col):
    if is_postgresql(session):
        return cast(extract("isodow", day_col), Integer)
    return (cast(func.strftime("%w", day_col), Integer) + 6) % 7 + 1


# --- the per-ticket facts -----------------------------------------------------------------------------

def facts_select(session: Session, tz: str, offset_s: int, where: Callable[[Any], Any]):
    """One row per ticket whose ``issued`` event ``i`` satisfies where(i), columns FACT_COLUMNS, aggregated
    from its events in one pass (used for the rollup and for the days not rolled up)."""
    events = TicketEvent.__table__
    i = events.alias("i")
    e = events.alias("e")
    fc = events.alias("fc")

    def flag(event_type: str):
        return func.max(case((e.c.type == event_type, 1), else_=0))

    per_ticket = (
        select(
            i.c.ticket_id, i.c.at.label("issued_at"), i.c.business_date.label("day"),
            i.c.service_id.label("service_id"),
            case((i.c.outcome == "priority", 1), else_=0).label("priority"),
            func.min(case((e.c.type == EventType.CALLED.value, e.c.id))).label("first_call_id"),
            func.min(case((e.c.type == EventType.COMPLETED.value, e.c.at))).label("completed_at"),
            flag(EventType.COMPLETED.value).label("served"),
            flag(EventType.NO_SHOW.value).label("no_show"),
            flag(EventType.TRANSFERRED.value).label("transferred"),
            flag(EventType.CANCELLED.value).label("cancelled"),
            func.max(case((e.c.type == EventType.RATED.value, cast(e.c.outcome, Integer)))).label("score"),
        )
        .select_from(i.join(e, e.c.ticket_id == i.c.ticket_id))
        .where(i.c.type == EventType.ISSUED.value, where(i))
        .group_by(i.c.ticket_id, i.c.at, i.c.business_date, i.c.service_id, i.c.outcome)
        .subquery("per_ticket")
    )
    rows = (
        select(
            per_ticket.c.ticket_id, per_ticket.c.day, iso_weekday(session, per_ticket.c.day).label("weekday"),
            local_hour(session, per_ticket.c.issued_at, tz, offset_s).label("hour"), per_ticket.c.service_id,
            per_ticket.c.priority, fc.c.counter_id, fc.c.user_id,
            seconds_between(session, fc.c.at, per_ticket.c.issued_at).label("wait_s"),
            seconds_between(session, per_ticket.c.completed_at, fc.c.at).label("service_s"),
            per_ticket.c.served, per_ticket.c.no_show, per_ticket.c.transferred, per_ticket.c.cancelled,
            per_ticket.c.score,
        )
        .select_from(per_ticket.outerjoin(fc, fc.c.id == per_ticket.c.first_call_id))
        .subquery("rows")
    )
    return select(*[rows.c[name] if name not in ("wait_b", "service_b") else
                    bucket_of(session, rows.c[name[0:-2] + "_s"]).label(name) for name in FACT_COLUMNS])


def histogram_selects(table, where: Callable[[Any], Any] | None = None, with_day: bool = False,
                      dims: Iterable[int] | None = None) -> list:
    """The GROUP BYs that make report_duration_hist rows of a facts table (one per measure and grouping;
    dims: only the groupings of these positions in DIMS)."""
    out = []
    t = table.c
    chosen = set(range(len(DIMS)) if dims is None else dims)
    for m, (value, bucket) in enumerate(MEASURES):
        for d, dim in enumerate(DIMS):
            if d not in chosen:
                continue
            key = t[dim] if dim else literal(0)
            groups = ([t.day] if with_day else []) + ([t[dim]] if dim else []) + [t[bucket]]
            stmt = (select(*([t.day] if with_day else []), literal(m).label("measure"), literal(d).label("dim"),
                           key.label("key"), t[bucket].label("bucket"), func.count().label("n"))
                    .where(t[value].is_not(None)).group_by(*groups))
            out.append(stmt if where is None else stmt.where(where(table)))
    return out
