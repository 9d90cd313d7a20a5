"""Complaint figures for reports and the public statistics page, computed in SQL.

Interface used by ``reports/`` (keep it stable): :func:`complaint_figures`, :func:`overdue_now` and
:func:`overdue_now_count`.

Definitions (README "Complaint statistics"):
- A complaint belongs to the period of its *local* received date (Asia/Bangkok by default).
- completed = in a final status now: answered, closed, rejected or forwarded; in progress = any other.
- answered = completed complaints; answered_on_time = of those, the office's *first* answer (or rejection,
  or forwarding) came by the *original* deadline — a late answer stays late even if the citizen reopened
  the case and a later answer met the new deadline.
- open_overdue = still open as of ``as_of`` and past the answer deadline.
- on_time_share = answered_on_time ÷ (answered + open_overdue): an open case past its deadline counts
  against the office, it does not just wait outside the figure. None when the denominator is 0.
- closed_not_solved = complaints the citizen reopened as "not solved" at least once (even if later closed).
- acknowledged_on_time = first response (acknowledgement, progress, or a final answer) by ``ack_due_at``.
- median_hours_to_acknowledge / median_days_to_answer: medians over complaints that have them
  (hours from received to the first response; calendar days, fractional, from received to the latest
  answer, so a reopened case counts its whole time).
- ITA categories (intake/labels.py ``CATEGORY_TYPES``): ``general`` = type "complaint"
  (เรื่องร้องเรียนทั่วไป), ``staff_conduct`` = discrimination / unfair service (measure 9's complaints),
  ``corruption`` = corruption and misconduct; ``complaints`` = the three together. ``feedback`` = questions,
  suggestions and praise (measure 10): never counted as complaints. Each category has total = completed +
  in_progress, and its own answered_on_time / open_overdue / on_time_share (same definitions as above).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, literal_column, select
from sqlalchemy.orm import Session

from intake.digest import overdue_clause
from intake.labels import CATEGORY_TYPES, COMPLAINT_TYPES
from intake.models import CONFIDENTIAL_TYPES, DONE_STATUSES, OPEN_STATUSES, Complaint
from tambon.thaidate import local_day_bounds, to_local, utcnow

CATEGORIES = {**{name: CATEGORY_TYPES[name] for name in ("general", "staff_conduct", "corruption")},
              "complaints": COMPLAINT_TYPES, "feedback": CATEGORY_TYPES["feedback"]}


def _period(start: date, end: date, tz: str):
    lo, _ = local_day_bounds(start, tz)
    _, hi = local_day_bounds(end, tz)
    return and_(Complaint.received_at >= lo, Complaint.received_at < hi)


def _hours_between(session: Session, later, earlier):
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 24.0
    return func.extract("epoch", later - earlier) / 3600.0


def _median(session: Session, value, where) -> float | None:
    """Median in SQL with window functions (portable between SQLite ≥ 3.25 and PostgreSQL)."""
    inner = select(value.label("v")).where(where).subquery()
    ranked = select(inner.c.v, func.row_number().over(order_by=inner.c.v).label("rn"),
                    func.count().over().label("n")).subquery()
    result = session.scalar(select(func.avg(ranked.c.v)).where(
        ranked.c.rn.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2])))
    return round(float(result), 4) if result is not None else None


def _split(rows) -> dict[str, int]:
    return {(key or ""): int(n) for key, n in rows}


def complaint_figures(session: Session, start: date, end: date, *, tz: str = "Asia/Bangkok",
                      as_of: datetime | None = None) -> dict[str, Any]:
    as_of = as_of or utcnow()
    in_period = _period(start, end, tz)
    done = Complaint.status.in_(DONE_STATUSES)
    is_open = Complaint.status.in_(OPEN_STATUSES)

    def count_if(cond):
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    overdue = and_(is_open, Complaint.due_at < as_of)
    on_time = and_(done, Complaint.first_answered_at <= Complaint.original_due_at)
    per_category = []
    for types in CATEGORIES.values():
        of = Complaint.type.in_(types)
        per_category += [count_if(of), count_if(and_(of, done)), count_if(and_(of, is_open)),
                         count_if(and_(of, on_time)), count_if(and_(of, overdue))]
    row = session.execute(select(
        func.count(Complaint.id),
        count_if(and_(Complaint.acknowledged_at.is_not(None), Complaint.acknowledged_at <= Complaint.ack_due_at)),
        count_if(done), count_if(on_time), count_if(overdue), count_if(Complaint.reopen_count > 0),
        *per_category,
    ).where(in_period)).one()
    values = [int(x) for x in row]
    received, ack_on_time, answered, answered_on_time, open_overdue, not_solved = values[:6]
    categories = {}
    for n, name in enumerate(CATEGORIES):
        total, completed, in_progress, cat_on_time, cat_overdue = values[6 + 5 * n: 11 + 5 * n]
        due = completed + cat_overdue
        categories[name] = {"total": total, "completed": completed, "in_progress": in_progress,
                            "answered_on_time": cat_on_time, "open_overdue": cat_overdue,
                            "on_time_share": cat_on_time / due if due else None}

    def by(column):
        return _split(session.execute(select(column, func.count()).where(in_period).group_by(column)).all())

    denominator = answered + open_overdue
    return {
        "received": received,
        "by_type": by(Complaint.type),
        "by_channel": by(Complaint.channel),
        "by_division": by(Complaint.division),
        "by_status": by(Complaint.status),
        "acknowledged_on_time": ack_on_time,
        "answered": answered,
        "answered_on_time": answered_on_time,
        "open_overdue": open_overdue,
        "on_time_share": (answered_on_time / denominator) if denominator else None,
        "median_hours_to_acknowledge": _median(
            session, _hours_between(session, Complaint.acknowledged_at, Complaint.received_at),
            and_(in_period, Complaint.acknowledged_at.is_not(None))),
        "median_days_to_answer": _median(
            session, _hours_between(session, Complaint.answered_at, Complaint.received_at) / literal_column("24.0"),
            and_(in_period, done, Complaint.answered_at.is_not(None))),
        "closed_not_solved": not_solved,
        **categories,
        "first_received_at": session.scalar(select(func.min(Complaint.received_at))),
    }


def completed_complaint_ids(session: Session, start: date, end: date, *, tz: str = "Asia/Bangkok") -> set[int]:
    """The complaints counted as ``complaints.completed`` by :func:`complaint_figures` (received in the
    period, in a final status now; not feedback), as ids: the base of figures other packages keep about
    them, e.g. whether the result reached the citizen (notify)."""
    return set(session.scalars(select(Complaint.id).where(
        _period(start, end, tz), Complaint.status.in_(DONE_STATUSES), Complaint.type.in_(COMPLAINT_TYPES))).all())


def by_source(session: Session, start: date, end: date, *, tz: str = "Asia/Bangkok") -> dict[str, int]:
    """Where the QR codes that brought complaints in were posted (``?src=``); "" = no QR source."""
    return _split(session.execute(select(Complaint.source, func.count()).where(_period(start, end, tz))
                                  .group_by(Complaint.source)).all())


def overdue_now(session: Session, as_of: datetime | None = None, *, tz: str = "Asia/Bangkok",
                limit: int | None = None) -> list[dict]:
    """Open complaints past their answer deadline, most overdue first (the first `limit` of them, if given).
    No personal data, no text."""
    as_of = as_of or utcnow()
    rows = session.execute(select(Complaint.tracking_code, Complaint.type, Complaint.division, Complaint.due_at)
                           .where(overdue_clause(as_of)).order_by(Complaint.due_at, Complaint.id).limit(limit)).all()
    today = to_local(as_of, tz).date()
    return [{"tracking_code": code, "type": ctype, "division": division, "due_at": due,
             "days_overdue": (today - to_local(due, tz).date()).days,
             "confidential": ctype in CONFIDENTIAL_TYPES}
            for code, ctype, division, due in rows]


def overdue_now_count(session: Session, as_of: datetime | None = None) -> int:
    """How many complaints :func:`overdue_now` would list without a limit."""
    return session.scalar(select(func.count()).where(overdue_clause(as_of or utcnow()))) or 0


def first_received_stmt():
    return select(func.min(Complaint.received_at))


def fiscal_periods(fiscal_year_be: int) -> list[dict]:
    """Months, quarters, halves and the whole of a Thai fiscal year (Oct–Sep), in display order."""
    from datetime import timedelta

    from tambon.thaidate import MONTHS_TH, fiscal_quarter_bounds, fiscal_year_bounds

    periods = []
    first, last = fiscal_year_bounds(fiscal_year_be)
    month_start = first
    for _ in range(12):
        nxt = date(month_start.year + month_start.month // 12, month_start.month % 12 + 1, 1)
        periods.append({"kind": "month", "start": month_start, "end": nxt - timedelta(days=1),
                        "label_th": f"{MONTHS_TH[month_start.month - 1]} {month_start.year + 543}",
                        "label_en": f"{month_start:%B} {month_start.year}"})
        month_start = nxt
    for q in (1, 2, 3, 4):
        start, end = fiscal_quarter_bounds(fiscal_year_be, q)
        periods.append({"kind": "quarter", "start": start, "end": end, "label_th": f"ไตรมาสที่ {q}",
                        "label_en": f"Quarter {q}"})
    half = fiscal_quarter_bounds(fiscal_year_be, 2)[1]
    periods.append({"kind": "half", "start": first, "end": half, "label_th": "ครึ่งปีแรก (ต.ค.–มี.ค.)",
                    "label_en": "First half (Oct–Mar)"})
    periods.append({"kind": "half", "start": half + timedelta(days=1), "end": last,
                    "label_th": "ครึ่งปีหลัง (เม.ย.–ก.ย.)", "label_en": "Second half (Apr–Sep)"})
    periods.append({"kind": "year", "start": first, "end": last, "label_th": f"ทั้งปีงบประมาณ {fiscal_year_be}",
                    "label_en": f"Fiscal year {fiscal_year_be}"})
    return periods


def public_table(session: Session, fiscal_year_be: int, *, tz: str = "Asia/Bangkok",
                 today: date | None = None) -> list[dict]:
    """The public statistics page's rows: counts only, no personal data, no complaint text."""
    today = today or to_local(utcnow(), tz).date()
    rows = []
    for period in fiscal_periods(fiscal_year_be):
        row = dict(period)
        row["future"] = period["start"] > today
        if not row["future"]:
            figures = complaint_figures(session, period["start"], min(period["end"], today), tz=tz)
            row.update(general=figures["general"], staff_conduct=figures["staff_conduct"],
                       corruption=figures["corruption"], complaints=figures["complaints"],
                       feedback=figures["feedback"],
                       received=figures["received"], on_time_share=figures["on_time_share"],
                       answered_on_time=figures["answered_on_time"], answered=figures["answered"],
                       open_overdue=figures["open_overdue"], closed_not_solved=figures["closed_not_solved"],
                       by_type=figures["by_type"])
        rows.append(row)
    return rows
