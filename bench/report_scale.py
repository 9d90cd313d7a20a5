"""Benchmark: the quarterly report's figures over a large queue and complaint history, SQLite and PostgreSQL.

    python -m bench.report_scale --tickets 1000000 --db sqlite
    python -m bench.report_scale --tickets 100000,1000000 --db sqlite,postgresql --write BENCHMARKS.md

Data are generated inside the database with one ``INSERT … SELECT`` per table (a recursive CTE on SQLite,
generate_series on PostgreSQL), in the order the office writes them (ticket and event ids grow with time),
spread over ``--days`` days ending on the quarter's last day:

- tickets: every 40th cancelled before a call, every 20th a no-show, every 25th transferred to another
  service (called again at another counter), every 30th recalled once, the rest completed; every 10th in the
  priority lane; every 50th served ticket rated (every 500th three days later). Events: issued, called,
  recalled, started, transferred, completed / no_show / cancelled, rated, each with the local business
  date of its own moment, as ``kiosk.queue`` writes them.
- complaints (``--complaints``, default 20,000): submitted → acknowledged → assigned → progress → answered →
  closed, with some still open (some of them overdue), rejected, forwarded, reopened once and answered again;
  the ``complaints`` row carries the timestamps and deadlines ``intake.complaints`` keeps, and
  ``complaint_events`` one row per step.

Then it times what the quarterly summary computes: ``queue_figures`` for the quarter and the previous
quarter; ``intake.metrics.complaint_figures`` for both quarters and ``overdue_now``. Memory: Python's
peak traced allocations (tracemalloc) and the process's peak RSS during the figures (the kernel's
high-water mark reset just before; SQLite runs in-process, so its page cache and sorter count too).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bench.pg import ADMIN_URL, temporary_database
from bench.sections import replace_section

SQLITE_SEQ = "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < :n) "
PG_SEQ = "WITH seq AS (SELECT generate_series(1, :n) AS n) "


class Sql:
    """The few expressions that differ between the dialects."""

    def __init__(self, dialect: str):
        self.pg = dialect == "postgresql"

    def at(self, day0: date, days_expr: str, seconds_expr: str) -> str:
        """UTC timestamp: midnight UTC of day0 + days + seconds (fractional)."""
        if self.pg:
            return f"(TIMESTAMP '{day0.isoformat()}' + make_interval(days => CAST({days_expr} AS INTEGER), secs => {seconds_expr}))"
        return (f"(strftime('%Y-%m-%d %H:%M:%f', julianday('{day0.isoformat()}') + {days_expr} "
                f"+ ({seconds_expr}) / 86400.0) || '000')")

    def plus(self, col: str, seconds_expr: str) -> str:
        if self.pg:
            return f"({col} + make_interval(secs => {seconds_expr}))"
        return f"(strftime('%Y-%m-%d %H:%M:%f', julianday({col}) + ({seconds_expr}) / 86400.0) || '000')"

    def local_date(self, col: str) -> str:
        """Business date in Asia/Bangkok (UTC+7, no daylight saving)."""
        return f"CAST({col} + INTERVAL '7 hours' AS DATE)" if self.pg else f"date({col}, '+7 hours')"

    def end_of_local_day(self, col: str, plus_days: str) -> str:
        """23:59:59 local on the local date of col + plus_days (intake.calendar.end_of_local_day), in UTC."""
        if self.pg:
            return f"(CAST({self.local_date(col)} + {plus_days} AS TIMESTAMP) + INTERVAL '16:59:59')"
        return f"(date({col}, '+7 hours', '+' || ({plus_days}) || ' days') || ' 16:59:59.000000')"

    def true(self, cond: str) -> str:
        return f"({cond})" if self.pg else f"(CASE WHEN {cond} THEN 1 ELSE 0 END)"


# --- tickets ------------------------------------------------------------------------------------------

def _ticket_sql(s: Sql, first: date, days: int) -> tuple[str, str]:
    kind = ("CASE WHEN n % 40 = 7 THEN 'cancelled' WHEN n % 20 = 0 THEN 'no_show' "
            "WHEN n % 25 = 3 THEN 'transferred' ELSE 'completed' END")
    issued = s.at(first, "b.d", "(90 + (b.n * 7) % 480) * 60 + (b.n * 13) % 60")
    called = s.plus(issued, "((b.n * 13) % 40) * 60 + ((b.n * 17) % 60000) / 1000.0")
    recalled = s.plus(called, "(7 * 60) + 3")     # transferred: the second call, 7 min after the first
    service = "(3 + b.n % 15) * 60 + ((b.n * 29) % 60000) / 1000.0"
    tickets = f"""
INSERT INTO tickets (public_id, business_date, issued_service_id, service_id, number, label, priority, status,
                     issued_at, queued_at, first_called_at, last_called_at, finished_at, counter_id, recalls, kiosk)
SELECT 'bench' || b.n, b.day, b.svc0, CASE WHEN b.kind = 'transferred' THEN 1 + (b.n + 1) % 4 ELSE b.svc0 END,
       b.n, 'B' || b.n, {s.true('b.n % 10 = 0')},
       CASE WHEN b.kind = 'transferred' THEN 'completed' ELSE b.kind END,
       {issued}, {issued},
       CASE WHEN b.kind <> 'cancelled' THEN {called} END,
       CASE WHEN b.kind = 'transferred' THEN {recalled} WHEN b.kind <> 'cancelled' THEN {called} END,
       CASE b.kind WHEN 'cancelled' THEN {s.plus(issued, '300')} WHEN 'no_show' THEN {s.plus(called, '120')}
                   WHEN 'transferred' THEN {s.plus(recalled, service)} ELSE {s.plus(called, service)} END,
       CASE WHEN b.kind = 'transferred' THEN 1 + (b.n + 1) % 3 WHEN b.kind <> 'cancelled' THEN 1 + b.n % 3 END,
       CASE WHEN b.n % 30 = 0 AND b.kind <> 'cancelled' THEN 1 ELSE 0 END, 'bench'
FROM (SELECT n, {kind} AS kind, 1 + n % 4 AS svc0, ((n - 1) * {days}) / :n AS d,
             {'DATE ' + repr(first.isoformat()) + ' + CAST(((n - 1) * ' + str(days) + ') / :n AS INTEGER)' if s.pg else
              "date('" + first.isoformat() + "', '+' || (((n - 1) * " + str(days) + ") / :n) || ' days')"} AS day
      FROM seq) AS b
"""  # noqa: S608 (built from constants)
    bd = s.local_date
    user = "CASE {c} WHEN 1 THEN (SELECT id FROM users WHERE username = 'counter1') " \
           "WHEN 2 THEN (SELECT id FROM users WHERE username = 'admin') END"
    first_counter = "1 + number % 3"
    c_int = "CAST(NULL AS INTEGER)"
    late = "CASE WHEN number % 500 = 0 THEN 3 * 86400 ELSE 120 END"
    events = f"""
INSERT INTO ticket_events (ticket_id, type, outcome, at, business_date, service_id, counter_id, user_id)
SELECT ticket_id, type, outcome, ev_at, {bd('ev_at')}, service_id, counter_id, user_id FROM (
  SELECT id AS ticket_id, 'issued' AS type, CASE WHEN priority THEN 'priority' ELSE 'normal' END AS outcome,
         issued_at AS ev_at, issued_service_id AS service_id, {c_int} AS counter_id, {c_int} AS user_id
  FROM tickets WHERE kiosk = 'bench'
  UNION ALL
  SELECT id, 'called', 'next', first_called_at, issued_service_id, {first_counter}, {user.format(c=first_counter)}
  FROM tickets WHERE kiosk = 'bench' AND first_called_at IS NOT NULL
  UNION ALL
  SELECT id, 'recalled', NULL, {s.plus('first_called_at', '60')}, issued_service_id, {first_counter},
         {user.format(c=first_counter)} FROM tickets WHERE kiosk = 'bench' AND recalls = 1
  UNION ALL
  SELECT id, 'started', NULL, {s.plus('first_called_at', '90')}, issued_service_id, {first_counter},
         {user.format(c=first_counter)} FROM tickets WHERE kiosk = 'bench' AND status = 'completed'
  UNION ALL
  SELECT id, 'transferred', NULL, {s.plus('first_called_at', '300')}, issued_service_id, {first_counter},
         {user.format(c=first_counter)}
  FROM tickets WHERE kiosk = 'bench' AND service_id <> issued_service_id
  UNION ALL
  SELECT id, 'called', 'next', last_called_at, service_id, counter_id, {user.format(c='counter_id')}
  FROM tickets WHERE kiosk = 'bench' AND service_id <> issued_service_id
  UNION ALL
  SELECT id, status, NULL, finished_at, service_id, counter_id,
         CASE WHEN status = 'cancelled' THEN NULL ELSE {user.format(c='counter_id')} END
  FROM tickets WHERE kiosk = 'bench'
  UNION ALL
  SELECT id, 'rated', CAST(1 + (number / 50) % 5 AS VARCHAR(2)), {s.plus('finished_at', late)}, service_id,
         counter_id, {c_int}
  FROM tickets WHERE kiosk = 'bench' AND status = 'completed' AND number % 50 = 0
) AS e ORDER BY ev_at
"""  # noqa: S608 (built from constants)
    return tickets, events


# --- complaints ---------------------------------------------------------------------------------------

TYPES = "CASE WHEN c % 20 < 9 THEN 'complaint' WHEN c % 20 < 13 THEN 'question' WHEN c % 20 < 15 THEN " \
        "'suggestion' WHEN c % 20 = 15 THEN 'praise' WHEN c % 20 < 18 THEN 'staff_conduct' ELSE 'corruption' END"
CHANNELS = ("web", "line", "facebook", "phone", "walk_in", "letter", "email", "suggestion_box", "open311")
DIVISIONS = ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม", "กองสาธารณสุขและสิ่งแวดล้อม",
             "กองสวัสดิการสังคม")
# What happened to complaint c (c % 50): 0 still received, 1 acknowledged only, 2 assigned, 3 in progress,
# 4 rejected, 5 forwarded, 6 reopened (answered, closed, reopened, open again), 7 reopened and answered again,
# 8–29 answered, 30–49 answered and closed.
OUTCOME = ("CASE WHEN c % 50 = 0 THEN 'received' WHEN c % 50 = 1 THEN 'acknowledged' WHEN c % 50 = 2 THEN "
           "'assigned' WHEN c % 50 = 3 THEN 'in_progress' WHEN c % 50 = 4 THEN 'rejected' WHEN c % 50 = 5 THEN "
           "'forwarded' WHEN c % 50 = 6 THEN 'reopened' WHEN c % 50 = 7 THEN 'answered' WHEN c % 50 < 30 THEN "
           "'answered' ELSE 'closed' END")


def _case(values: tuple[str, ...], expr: str) -> str:
    return "CASE " + " ".join(f"WHEN {expr} % {len(values)} = {i} THEN '{v}'" for i, v in enumerate(values)) + " END"


def _complaint_sql(s: Sql, first: date, days: int) -> tuple[str, str]:
    received = s.at(first, "b.d", "(60 + (b.c * 11) % 600) * 60 + (b.c * 7) % 60 + 0.25")
    # First response 2–49 h after receipt (late when it is after the next local day); first answer
    # 1–19 days after (some late against the 15-day deadline); the second answer of a reopened case 20 days.
    ack = s.plus(received, "(2 + (b.c * 7) % 48) * 3600")
    first_answer = s.plus(received, "(3 + (b.c * 13) % 17) * 86400 + 3600")
    second_answer = s.plus(received, "20 * 86400 + 7200")
    answered_kinds = "('rejected', 'forwarded', 'reopened', 'answered', 'closed')"
    due = s.end_of_local_day(received, "15")
    complaints = f"""
INSERT INTO complaints (tracking_code, pin_hash, type, status, channel, source, subject, details,
                        anonymous, notify_citizen, consent_at, division, received_at, ack_due_at, due_at,
                        original_due_at, acknowledged_at, answered_at, first_answered_at, closed_at, reopen_count,
                        dedupe_hash, updated_at, forwarded_to, reject_reason)
SELECT 'BENCH' || b.c, 'bench', b.type, b.outcome, {_case(CHANNELS, 'b.c')},
       CASE WHEN b.c % 3 = 0 THEN 'counter' WHEN b.c % 3 = 1 THEN 'notice_board' END, 'bench', 'bench',
       {s.true('b.c % 4 = 0')}, {s.true('b.c % 5 = 0')}, {received}, CASE WHEN b.outcome <> 'received' THEN
       {_case(DIVISIONS, 'b.c')} END, {received}, {s.end_of_local_day(received, '1')},
       CASE WHEN b.outcome = 'reopened' OR b.c % 50 = 7 THEN {s.end_of_local_day(received, '30')} ELSE {due} END,
       {due},
       CASE WHEN b.outcome <> 'received' THEN {ack} END,
       CASE WHEN b.c % 50 = 7 THEN {second_answer} WHEN b.outcome IN {answered_kinds} THEN {first_answer} END,
       CASE WHEN b.outcome IN {answered_kinds} THEN {first_answer} END,
       CASE WHEN b.outcome = 'closed' THEN {s.plus(first_answer, '2 * 86400')} END,
       CASE WHEN b.outcome = 'reopened' OR b.c % 50 = 7 THEN 1 ELSE 0 END,
       'bench' || b.c, {received},
       CASE WHEN b.outcome = 'forwarded' THEN 'อำเภอ' END, CASE WHEN b.outcome = 'rejected' THEN 'bench' END
FROM (SELECT c, {TYPES} AS type, {OUTCOME} AS outcome, ((c - 1) * {days}) / :n AS d
      FROM (SELECT n AS c FROM seq) AS cs) AS b
"""  # noqa: S608 (built from constants)
    officer = "(SELECT id FROM users WHERE username = 'officer1')"
    pub = s.true("1 = 1")
    # Each step as intake.complaints writes it: (type, at, actor, from, to) for the complaints it applies to.
    steps = [
        ("submitted", "received_at", "'citizen'", "NULL", "'received'", "1 = 1"),
        ("acknowledged", "acknowledged_at", "'staff'", "'received'", "'acknowledged'", "status <> 'received'"),
        ("assigned", s.plus("acknowledged_at", "3600"), "'staff'", "'acknowledged'", "'assigned'",
         "status NOT IN ('received', 'acknowledged', 'rejected', 'forwarded')"),
        ("progress", s.plus("acknowledged_at", "12 * 3600"), "'staff'", "'assigned'", "'in_progress'",
         "status NOT IN ('received', 'acknowledged', 'assigned', 'rejected', 'forwarded')"),
        ("rejected", "answered_at", "'staff'", "'acknowledged'", "'rejected'", "status = 'rejected'"),
        ("forwarded", "answered_at", "'staff'", "'acknowledged'", "'forwarded'", "status = 'forwarded'"),
        ("answered", "first_answered_at", "'staff'", "'in_progress'", "'answered'",
         "status IN ('answered', 'closed', 'reopened')"),
        ("closed", s.plus("first_answered_at", "2 * 86400"), "'staff'", "'answered'", "'closed'",
         "status = 'closed' OR reopen_count = 1"),
        ("reopened", s.plus("first_answered_at", "3 * 86400"), "'citizen'", "'closed'", "'reopened'",
         "reopen_count = 1"),
        ("answered", "answered_at", "'staff'", "'reopened'", "'answered'", "reopen_count = 1 AND status = 'answered'"),
    ]
    parts = [f"SELECT id AS complaint_id, '{t}' AS type, {at} AS at, "  # noqa: S608 (built from constants)
             f"CASE WHEN {actor} = 'staff' THEN {officer} END AS user_id, {actor} AS actor, "
             f"CAST({fr} AS VARCHAR(16)) AS from_status, {to} AS to_status FROM complaints WHERE dedupe_hash LIKE 'bench%' AND ({cond})"
             for t, at, actor, fr, to, cond in steps]
    events = f"""
INSERT INTO complaint_events (complaint_id, type, at, user_id, actor, from_status, to_status, public)
SELECT complaint_id, type, at, user_id, actor, from_status, to_status, {pub}
FROM ({' UNION ALL '.join(parts)}) AS e ORDER BY at, complaint_id
"""  # noqa: S608 (built from constants)
    return complaints, events


def generate(engine, tickets: int, complaints: int, first: date, days: int) -> float:
    started = time.perf_counter()
    s = Sql(engine.dialect.name)
    seq = PG_SEQ if s.pg else SQLITE_SEQ
    t_sql, te_sql = _ticket_sql(s, first, days)
    c_sql, ce_sql = _complaint_sql(s, first, days)
    with engine.begin() as conn:
        if not s.pg:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.execute(text(seq + t_sql), {"n": tickets})
        conn.execute(text(te_sql))
        if complaints:
            conn.execute(text(seq + c_sql), {"n": complaints})
            conn.execute(text(ce_sql))
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


# --- measuring ----------------------------------------------------------------------------------------

def demo_app(url: str, instance: str):
    """A migrated database with the demo office, and an app on it (no printer)."""
    from kiosk.demo import load_demo
    from tambon import create_app, migrate
    from tambon.db import get_session

    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench", "PRINTER_URL": "none"})
    with app.app_context():
        load_demo(get_session())
    return app


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_rss_mb(field: str = "VmHWM") -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def quarterly_figures(session, fiscal_year: int, quarter: int, as_of: datetime) -> dict:
    """What reports.documents.quarterly_context computes, without the charts and the document."""
    from reports import complaints
    from reports.documents import previous_quarter
    from reports.metrics import queue_figures
    from tambon.thaidate import fiscal_quarter_bounds

    start, end = fiscal_quarter_bounds(fiscal_year, quarter)
    pstart, pend = fiscal_quarter_bounds(*previous_quarter(fiscal_year, quarter))
    t0 = time.perf_counter()
    cur = queue_figures(session, start, end)
    prev = queue_figures(session, pstart, pend, groupings=())  # the summary shows the totals only
    t1 = time.perf_counter()
    comp = complaints.figures(session, start, end, tz="Asia/Bangkok", as_of=as_of)
    comp_prev = complaints.figures(session, pstart, pend, tz="Asia/Bangkok", as_of=as_of)
    overdue = complaints.overdue(session, as_of=as_of)
    t2 = time.perf_counter()
    return {"queue_s": t1 - t0, "complaints_s": t2 - t1, "cur": cur, "prev": prev, "comp": comp,
            "comp_prev": comp_prev, "overdue": overdue}


def run(url: str, tickets: int, complaints: int, days: int, fiscal_year: int, quarter: int, repeat: int,
        raw: bool = True) -> dict:
    from tambon.db import get_session
    from tambon.thaidate import fiscal_quarter_bounds, local_day_bounds

    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(url, tmp)
        engine = app.extensions["tambon.engine"]
        start, end = fiscal_quarter_bounds(fiscal_year, quarter)
        first = end - timedelta(days=days - 1)
        gen_s = generate(engine, tickets, complaints, first, days)
        as_of = local_day_bounds(end + timedelta(days=1), "Asia/Bangkok")[0]   # the report, the day after
        times, comp_times, result = [], [], {}
        rss_before: float | None = None
        with app.app_context():
            session = get_session()
            rollup_s = _rollup(session)
            for i in range(repeat):
                session.rollback()
                if i == repeat - 1:
                    tracemalloc.start()
                    _reset_peak_rss()
                    rss_before = _peak_rss_mb("VmRSS")
                result = quarterly_figures(session, fiscal_year, quarter, as_of)
                times.append(result["queue_s"])
                comp_times.append(result["complaints_s"])
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rss = _peak_rss_mb()
            raw_s = None
            if raw:
                from reports.documents import previous_quarter
                from reports.metrics import queue_figures

                session.rollback()
                t0 = time.perf_counter()
                queue_figures(session, start, end, rollup=False)
                queue_figures(session, *fiscal_quarter_bounds(*previous_quarter(fiscal_year, quarter)), rollup=False)
                raw_s = round(time.perf_counter() - t0, 2)
        engine.dispose()
    cur, prev, comp = result["cur"], result["prev"], result["comp"]
    return {"db": engine.dialect.name, "tickets": tickets, "complaints": complaints, "days": days,
            "generate_s": round(gen_s, 1), "rollup_s": rollup_s,
            "quarter_tickets": cur["totals"]["issued"], "previous_tickets": prev["totals"]["issued"],
            "figures_s": round(min(times), 2), "from_log_s": raw_s, "figures_all_s": [round(t, 2) for t in times],
            "complaint_figures_s": round(min(comp_times), 3),
            "quarter_complaints": comp["received"] if comp else None,
            "overdue": len(result["overdue"] or []),
            "peak_python_mb": round(peak / 1e6, 1), "peak_rss_mb": round(rss, 0) if rss else None,
            "rss_growth_mb": round(rss - rss_before, 1) if rss and rss_before else None,
            "median_wait_s": cur["totals"]["wait"]["median"], "p90_wait_s": cur["totals"]["wait"]["p90"]}


def _rollup(session) -> float:
    """Bring the queue rollup up to date from nothing (what the first night job does); seconds."""
    from reports.rollup import refresh

    t0 = time.perf_counter()
    refresh(session)
    return round(time.perf_counter() - t0, 1)


def run_one(db: str, tickets: int, args) -> dict:
    if db == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            return run(url, tickets, args.complaints, args.days, args.fiscal_year, args.quarter, args.repeat,
                       not args.no_raw)
    with temporary_database("tambon_bench", args.pg) as url:
        return run(url, tickets, args.complaints, args.days, args.fiscal_year, args.quarter, args.repeat,
                   not args.no_raw)


# --- the BENCHMARKS.md section -----------------------------------------------------------------------

def _pg_version(admin_url: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(admin_url, connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else None
    except Exception:  # noqa: BLE001 - only for the machine table
        return None


def section(results: list[dict], args, load_before: tuple[float, ...], load_after: tuple[float, ...]) -> str:
    import sqlite3

    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine())
    lines = [
        "## Report scale: the quarterly figures over a large history",
        "",
        f"`python -m bench.report_scale --tickets {','.join(str(t) for t in args.tickets)} "
        f"--db {','.join(args.db)} --complaints {args.complaints}` — "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {model} × {os.cpu_count()}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, PostgreSQL {_pg_version(args.pg) or '-'}; "
        f"load average (1/5/15 min) {' / '.join(f'{x:.2f}' for x in load_before)} before, "
        f"{' / '.join(f'{x:.2f}' for x in load_after)} after (a shared 2-core machine).",
        "",
        f"Tickets over {args.days} days ending on the last day of fiscal {args.fiscal_year} Q{args.quarter}, "
        f"{args.complaints:,} complaints over the same days (generator: bench/report_scale.py docstring). "
        "**figures** = `queue_figures` for the quarter and the previous quarter (everything the quarterly summary "
        f"computes about the queue), best of {args.repeat}; **complaints** = `complaint_figures` for both "
        "quarters + `overdue_now`; **rollup** = bringing `report_ticket_facts` up to date from nothing (once; "
        "afterwards the night job adds one day, and every figures call first adds what changed); **from the log "
        "alone** = the same figures with `rollup=False` (every ticket aggregated from ticket_events, as before the "
        "rollup), once. Memory during the figures: peak Python allocations "
        "(tracemalloc) and the process's peak RSS (SQLite works in-process).",
        "",
        "| database | tickets | tickets in the 2 quarters | rollup s (once) | figures s | complaints s "
        "| figures from the log alone s | peak Python MB | peak RSS MB (growth) | load (1 min) at start "
        "| target < 3 s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        ok = "**met**" if r["figures_s"] + r["complaint_figures_s"] < 3 else "**missed**"
        lines.append(
            f"| {r['db']} | {r['tickets']:,} | {r['quarter_tickets'] + r['previous_tickets']:,} | "
            f"{r['rollup_s'] if r['rollup_s'] is not None else '-'} | {r['figures_s']} | "
            f"{r['complaint_figures_s']} | {r['from_log_s'] if r['from_log_s'] is not None else '-'} | "
            f"{r['peak_python_mb']} | {r['peak_rss_mb']} (+{r['rss_growth_mb']}) | {r['load_1min']} | {ok} |")
    lines += [
        "",
        "Target (issue #6): figures + complaints < 3 s at 1,000,000 tickets on both databases. Before the rollup "
        "(2026-11-24, old generator, load ≈2): 26.3 s on SQLite and 10.6 s on PostgreSQL at 1,000,000 tickets, "
        "2.4 s / 1.1 s at 100,000. How and why: reports/README.md, \"How the figures are computed\".",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=lambda v: [int(x) for x in v.split(",")], default=[1_000_000],
                        help="comma-separated sizes")
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=365, help="days the tickets and complaints are spread over")
    parser.add_argument("--db", type=lambda v: v.split(","), default=["sqlite"], help="sqlite,postgresql")
    parser.add_argument("--pg", default=ADMIN_URL, help="admin URL (PostgreSQL)")
    parser.add_argument("--fiscal-year", type=int, default=2569)
    parser.add_argument("--quarter", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the figures; the best counts")
    parser.add_argument("--no-raw", action="store_true", help="skip the figures from the event log alone")
    parser.add_argument("--write", type=Path, help="replace the report_scale section of this file")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    results = []
    for db in args.db:
        for n in args.tickets:
            load = os.getloadavg()[0]
            result = run_one(db, n, args)
            result["load_1min"] = round(load, 2)
            print(", ".join(f"{k}={v}" for k, v in result.items()), flush=True)
            results.append(result)
    if args.write:
        replace_section(args.write, "report_scale", section(results, args, load_before, os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
