"""Queue metrics, computed in the database from the kiosk's append-only ``ticket_events`` log.

This module is where "what median wait means" lives. Definitions (also in reports/README.md):

- A ticket belongs to the period of the local business date of its ``issued`` event (Asia/Bangkok by
  default): a ticket taken at 23:50 on 31 Dec and served at 00:10 belongs to 31 Dec. All of its later
  events (calls, completion, a rating given days later) count with it.
- **wait** = first ``called`` − ``issued`` (a recall, a park/unpark or a transfer does not restart it).
- **service time** = ``completed`` − first ``called`` (for a transferred ticket it spans the transfer).
- issued = tickets issued; served = tickets with a ``completed`` event; no-show / cancelled = tickets with
  that event; transferred = tickets transferred at least once (they may also be served); open = none of
  completed / no-show / cancelled yet.
- mean, median, p90, max over the tickets that have the duration. Median and p90 are *continuous*
  percentiles (linear interpolation between ranks, PostgreSQL's ``percentile_cont``; the same formula in
  SQL window functions on SQLite).
- served within target = served tickets whose wait ≤ the target (``REPORT_TARGET_WAIT_MINUTES``, default
  15); the share divides by served tickets.
- by counter / by staff member = the counter and user of the ticket's *first* call (who took the citizen
  from the queue); by service = the service the ticket was issued for; hour of day = local hour of issue;
  weekday = ISO weekday of the business date (1 = Monday).
- priority share = priority tickets ÷ issued; the priority lane's waits are in ``by_priority``.
- satisfaction = the ``rated`` events' scores (1–5) of the period's tickets.

How: one ``INSERT … SELECT`` aggregates each ticket's events into a per-ticket row in a temporary table
(one indexed pass over the log), then every grouping is a ``GROUP BY`` over that table. Nothing loops over
tickets in Python; memory does not grow with the number of tickets.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    Table,
    and_,
    case,
    cast,
    extract,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session

from kiosk.models import Counter, EventType, Service, TicketEvent
from tambon.auth.models import User
from tambon.thaidate import zone

DEFAULT_TARGET_WAIT_MINUTES = 15

_meta = MetaData()
FACTS = Table(
    "rpt_ticket_facts", _meta,
    Column("ticket_id", Integer),
    Column("day", Date),
    Column("weekday", Integer),
    Column("hour", Integer),
    Column("service_id", Integer),
    Column("priority", Integer),
    Column("counter_id", Integer),
    Column("user_id", Integer),
    Column("wait_s", Float),
    Column("service_s", Float),
    Column("served", Integer),
    Column("no_show", Integer),
    Column("transferred", Integer),
    Column("cancelled", Integer),
    Column("score", Integer),
    prefixes=["TEMPORARY"],
)


# --- dialect-aware expressions ------------------------------------------------------------------------

def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def seconds_between(session: Session, later, earlier):
    """later − earlier in seconds: julianday on SQLite, EXTRACT(EPOCH …) on PostgreSQL."""
    if _is_pg(session):
        return extract("epoch", later - earlier)
    return func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0, 3)


def _fixed_offset_seconds(start: date, end: date, tz: str) -> int:
    """SQLite has no time-zone database: use the zone's UTC offset (constant for Asia/Bangkok)."""
    def offset(day: date) -> int:
        delta = datetime.combine(day, time(12), tzinfo=zone(tz)).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    offsets = {offset(d) for d in (start, end)}
    return offsets.pop() if len(offsets) == 1 else offset(start)


def local_hour(session: Session, utc_naive, tz: str, offset_s: int):
    if _is_pg(session):
        return cast(extract("hour", func.timezone(tz, func.timezone("UTC", utc_naive))), Integer)
    return cast(func.strftime("%H", utc_naive, f"{offset_s:+d} seconds"), Integer)


def iso_weekday(session: Session, day_col):
    if _is_pg(session):
        return cast(extract("isodow", day_col), Integer)
    return (cast(func.strftime("%w", day_col), Integer) + 6) % 7 + 1


# --- the per-ticket facts -----------------------------------------------------------------------------

def _build_facts(session: Session, start: date, end: date, tz: str) -> None:
    conn = session.connection()
    conn.execute(text("DROP TABLE IF EXISTS rpt_ticket_facts"))
    FACTS.create(conn)
    events = TicketEvent.__table__
    i = events.alias("i")
    e = events.alias("e")
    fc = events.alias("fc")
    offset_s = _fixed_offset_seconds(start, end, tz)

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
        .where(i.c.type == EventType.ISSUED.value, i.c.business_date >= start, i.c.business_date <= end)
        .group_by(i.c.ticket_id, i.c.at, i.c.business_date, i.c.service_id, i.c.outcome)
        .subquery("per_ticket")
    )
    rows = (
        select(
            per_ticket.c.ticket_id, per_ticket.c.day, iso_weekday(session, per_ticket.c.day),
            local_hour(session, per_ticket.c.issued_at, tz, offset_s), per_ticket.c.service_id,
            per_ticket.c.priority, fc.c.counter_id, fc.c.user_id,
            seconds_between(session, fc.c.at, per_ticket.c.issued_at),
            seconds_between(session, per_ticket.c.completed_at, fc.c.at),
            per_ticket.c.served, per_ticket.c.no_show, per_ticket.c.transferred, per_ticket.c.cancelled,
            per_ticket.c.score,
        )
        .select_from(per_ticket.outerjoin(fc, fc.c.id == per_ticket.c.first_call_id))
    )
    conn.execute(insert(FACTS).from_select([c.name for c in FACTS.columns], rows))


def _drop_facts(session: Session) -> None:
    session.connection().execute(text("DROP TABLE IF EXISTS rpt_ticket_facts"))


# --- aggregation helpers ------------------------------------------------------------------------------

def _count_if(cond):
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _counts(session: Session, keys: list, target_s: float) -> dict[tuple, dict]:
    f = FACTS.c
    stmt = select(
        *keys,
        func.count().label("issued"),
        func.coalesce(func.sum(f.served), 0),
        func.coalesce(func.sum(f.no_show), 0),
        func.coalesce(func.sum(f.transferred), 0),
        func.coalesce(func.sum(f.cancelled), 0),
        _count_if(and_(f.served == 0, f.no_show == 0, f.cancelled == 0)),
        func.coalesce(func.sum(f.priority), 0),
        _count_if(and_(f.served == 1, f.wait_s <= target_s)),
        func.count(f.score),
        func.avg(f.score),
    ).group_by(*keys)
    out = {}
    for row in session.execute(stmt):
        key = tuple(row[: len(keys)])
        if not row.issued:
            continue
        (issued, served, no_show, transferred, cancelled, open_, priority, within, rated,
         rating_mean) = row[len(keys):]
        served = int(served)
        out[key] = {
            "issued": int(issued), "served": served, "no_show": int(no_show),
            "transferred": int(transferred), "cancelled": int(cancelled), "open": int(open_),
            "priority": int(priority),
            "priority_share": _share(int(priority), int(issued)),
            "served_within_target": int(within), "served_within_target_share": _share(int(within), served),
            "rated": int(rated), "rating_mean": _round(rating_mean, 2),
        }
    return out


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def _durations(session: Session, value, keys: list) -> dict[tuple, dict]:
    """n, mean, median, p90, max of a duration column per group, all in SQL."""
    if _is_pg(session):
        stmt = (select(*keys, func.count(value), func.avg(value),
                       func.percentile_cont(0.5).within_group(value),
                       func.percentile_cont(0.9).within_group(value), func.max(value))
                .where(value.is_not(None)).group_by(*keys))
    else:
        partition = keys or None
        ranked = (select(*[k.label(f"k{n}") for n, k in enumerate(keys)], value.label("v"),
                         func.row_number().over(order_by=value, partition_by=partition).label("rn"),
                         func.count().over(partition_by=partition).label("n"))
                  .where(value.is_not(None)).subquery("ranked"))
        gkeys = [ranked.c[f"k{n}"] for n in range(len(keys))]

        def percentile(p: float):
            pos = 1 + p * (ranked.c.n - 1)
            low = cast(pos, Integer)
            frac = pos - low
            return func.sum(case((ranked.c.rn == low, ranked.c.v * (1 - frac)),
                                 (ranked.c.rn == low + 1, ranked.c.v * frac), else_=0))

        stmt = select(*gkeys, func.max(ranked.c.n), func.avg(ranked.c.v), percentile(0.5), percentile(0.9),
                      func.max(ranked.c.v)).group_by(*gkeys)
    out = {}
    for row in session.execute(stmt):
        key = tuple(row[: len(keys)])
        n, mean, median, p90, maximum = row[len(keys):]
        if not n:
            continue  # an aggregate over no rows (no grouping keys) still returns one row of NULLs
        out[key] = {"n": int(n), "mean": _round(mean), "median": _round(median), "p90": _round(p90),
                    "max": _round(maximum)}
    return out


EMPTY_DURATION = {"n": 0, "mean": None, "median": None, "p90": None, "max": None}


def _grouped(session: Session, keys: list, target_s: float, durations: bool = True) -> dict[tuple, dict]:
    counts = _counts(session, keys, target_s)
    waits = _durations(session, FACTS.c.wait_s, keys) if durations else {}
    services = _durations(session, FACTS.c.service_s, keys) if durations else {}
    for key, row in counts.items():
        row["wait"] = waits.get(key, EMPTY_DURATION)
        row["service"] = services.get(key, EMPTY_DURATION)
    return counts


# --- the public function ------------------------------------------------------------------------------

def queue_figures(session: Session, start: date, end: date, *, tz: str = "Asia/Bangkok",
                  target_wait_minutes: float = DEFAULT_TARGET_WAIT_MINUTES, busiest: int = 5,
                  worst: int = 5) -> dict[str, Any]:
    """Every queue figure for the local business dates start…end (inclusive). Plain JSON-ready dict;
    durations in seconds."""
    if end < start:
        raise ValueError("end before start")
    target_s = float(target_wait_minutes) * 60
    f = FACTS.c
    try:
        _build_facts(session, start, end, tz)
        totals = _grouped(session, [], target_s).get((), None) or _empty_row()
        by_service = _grouped(session, [f.service_id], target_s)
        by_counter = _grouped(session, [f.counter_id], target_s)
        by_staff = _grouped(session, [f.user_id], target_s)
        by_weekday = _grouped(session, [f.weekday], target_s)
        by_hour = _grouped(session, [f.hour], target_s)
        by_priority = _grouped(session, [f.priority], target_s)
        daily = _grouped(session, [f.day], target_s, durations=False)
        daily_wait = dict(session.execute(select(f.day, func.avg(f.wait_s)).group_by(f.day)).all())
        heat = session.execute(select(f.weekday, f.hour, func.count()).group_by(f.weekday, f.hour)).all()
        busiest_rows = session.execute(select(f.day, func.count().label("n")).group_by(f.day)
                                       .order_by(func.count().desc(), f.day).limit(busiest)).all()
        worst_rows = session.execute(
            select(f.ticket_id, f.day, f.hour, f.wait_s, f.service_id, f.priority)
            .where(f.wait_s.is_not(None)).order_by(f.wait_s.desc(), f.ticket_id).limit(worst)).all()
        ratings: dict[int, int] = dict(session.execute(select(f.score, func.count()).where(f.score.is_not(None))
                                       .group_by(f.score)).all())
    finally:
        _drop_facts(session)

    names = _names(session)
    labels = _ticket_labels(session, [r.ticket_id for r in worst_rows])
    hours = sorted({h for _w, h, _n in heat})
    heat_rows = []
    heat_index = {(w, h): int(n) for w, h, n in heat}
    for weekday in range(1, 8):
        counts = [heat_index.get((weekday, h), 0) for h in hours]
        if any(counts):
            heat_rows.append({"weekday": weekday, "counts": counts})

    def keyed(groups: dict, kind: str) -> list[dict]:
        rows = []
        for (key,), row in sorted(groups.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or 0)):
            rows.append({"key": key, **names_for(kind, key, names), **row})
        return rows

    by_hour_rows = keyed(by_hour, "hour")
    worst_hours = sorted((r for r in by_hour_rows if r["wait"]["n"]),
                         key=lambda r: (-(r["wait"]["p90"] or 0), r["key"]))[:3]
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "tz": tz,
                   "target_wait_minutes": target_wait_minutes},
        "totals": totals,
        "by_service": keyed(by_service, "service"),
        "by_counter": keyed(by_counter, "counter"),
        "by_staff": keyed(by_staff, "staff"),
        "by_weekday": keyed(by_weekday, "weekday"),
        "by_hour": by_hour_rows,
        "by_priority": [{"key": bool(k), **row} for (k,), row in sorted(by_priority.items())],
        "daily": [{"day": _as_date(day).isoformat(), "issued": row["issued"], "served": row["served"],
                   "mean_wait": _round(daily_wait.get(day))}
                  for (day,), row in sorted(daily.items(), key=lambda kv: _as_date(kv[0][0]))],
        "heatmap": {"hours": hours, "rows": heat_rows},
        "busiest_days": [{"day": _as_date(day).isoformat(), "issued": int(n)} for day, n in busiest_rows],
        "worst_waits": [{"ticket": labels.get(r.ticket_id, str(r.ticket_id)), "day": _as_date(r.day).isoformat(),
                         "hour": r.hour, "wait": _round(r.wait_s), "priority": bool(r.priority),
                         **names_for("service", r.service_id, names)} for r in worst_rows],
        "worst_hours": worst_hours,
        "ratings": {"count": sum(int(n) for n in ratings.values()), "mean": totals["rating_mean"],
                    "distribution": {str(s): int(ratings.get(s, 0)) for s in range(1, 6)}},
    }


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _empty_row() -> dict:
    return {"issued": 0, "served": 0, "no_show": 0, "transferred": 0, "cancelled": 0, "open": 0,
            "priority": 0, "priority_share": None, "served_within_target": 0,
            "served_within_target_share": None, "rated": 0, "rating_mean": None,
            "wait": dict(EMPTY_DURATION), "service": dict(EMPTY_DURATION)}


WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _names(session: Session) -> dict[str, dict]:
    """Display names of the (few) services, counters and staff: a dimension lookup, not a ticket read."""
    return {
        "service": {sid: (code, th, en) for sid, code, th, en in
                    session.execute(select(Service.id, Service.code, Service.name_th, Service.name_en))},
        "counter": {cid: (str(cid), th, en or th) for cid, th, en in
                    session.execute(select(Counter.id, Counter.name, Counter.name_en))},
        "staff": {uid: (name, disp, disp) for uid, name, disp in
                  session.execute(select(User.id, User.username, User.display_name))},
    }


def names_for(kind: str, key, names: dict) -> dict:
    from tambon.thaidate import WEEKDAYS_TH

    if kind == "weekday" and key:
        return {"code": str(key), "name_th": WEEKDAYS_TH[key - 1], "name_en": WEEKDAYS_EN[key - 1]}
    if kind == "hour" and key is not None:
        return {"code": f"{key:02d}", "name_th": f"{key:02d}:00–{key:02d}:59 น.", "name_en": f"{key:02d}:00–{key:02d}:59"}
    if key is None:
        return {"code": "", "name_th": "ยังไม่ได้เรียก", "name_en": "not called"}
    code, th, en = names.get(kind, {}).get(key, (str(key), str(key), str(key)))
    return {"code": code, "name_th": th, "name_en": en}


def _ticket_labels(session: Session, ticket_ids: list[int]) -> dict[int, str]:
    """Ticket numbers (immutable) of the few worst waits."""
    if not ticket_ids:
        return {}
    from kiosk.models import Ticket

    return dict(session.execute(select(Ticket.id, Ticket.label).where(Ticket.id.in_(ticket_ids))).all())


def first_ticket_at(session: Session) -> datetime | None:
    """When the electronic queue issued its first ticket (measure 4: the date the queue started)."""
    value = session.scalar(select(func.min(TicketEvent.at)).where(TicketEvent.type == EventType.ISSUED.value))
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def week_bounds(day: date) -> tuple[date, date]:
    """Monday–Sunday week containing day."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)
