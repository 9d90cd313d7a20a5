"""The queue rollup: each ticket's facts (reports.facts.facts_select) kept in ``report_ticket_facts`` for
closed business days, with per-day one-minute histograms of the waits and service times
(``report_duration_hist``), so that the quarterly figures read 250,000 small rows instead of aggregating a
million events (reports/README.md, "Benchmark").

Exactness: the rollup is a cache of a pure function of the append-only ``ticket_events`` log, kept in step
with it by the event ids:

- ``closed_through`` (C): every ticket issued on or before C (its ``issued`` event's business date) is in
  ``report_ticket_facts``; days after C (today) are never rolled up — reports.metrics reads them from the log.
- ``last_event_id`` (W): every event with id ≤ W is reflected in the rollup. A refresh takes M = the highest
  event id now, and recomputes from the log the tickets issued in (C, yesterday] plus every rolled-up ticket
  that has an event in (W, M] — a completion after midnight, a rating days later — then the histograms of
  the days those tickets belong to; then W = M. Recomputing is idempotent, so seeing events newer than M
  as well does no harm. When no day is to be closed and no event in (W, M] touches a rolled-up ticket
  (found by a read, outside the write), there is nothing to recompute and the one write is W = M.
- PostgreSQL hands out ids before commit, so an uncommitted event could hold an id below a committed one.
  M is therefore read under ``LOCK TABLE ticket_events IN SHARE MODE`` (it waits for the writes in flight
  and is released at once): every id ≤ M is then committed or gone. SQLite has one writer at a time.

``refresh`` runs before every ``queue_figures`` (a few milliseconds when nothing changed) and from
``tambon report rollup`` (the night job; the first run over a long history takes a while: BENCHMARKS.md).
"""

from __future__ import annotations

import typing
from contextvars import ContextVar
from datetime import date, timedelta

from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    Table,
    delete,
    func,
    insert,
    select,
    text,
    union,
    update,
)
from sqlalchemy.orm import Session

from kiosk.models import EventType, TicketEvent
from reports.facts import FACT_COLUMNS, facts_select, fixed_offset_seconds, histogram_selects
from reports.models import DurationHistogram, RollupState, TicketFact
from tambon.db import write_transaction
from tambon.thaidate import business_date, utcnow

_meta = MetaData()
REFRESH = Table("rpt_refresh", _meta, Column("ticket_id", Integer, primary_key=True), prefixes=["TEMPORARY"])
REFRESH_DAYS = Table("rpt_refresh_days", _meta, Column("day", Date), prefixes=["TEMPORARY"])
STATE_ID = 1
# Set in the report worker (reports/worker.py): the server refreshed the rollup just before it sent the job,
# so here it is only read. New events that touch no rolled-up ticket leave it exact without moving W (the
# server moves it next time); only a rollup that fell behind meanwhile is refreshed here, with writes.
READ_ONLY: ContextVar[bool] = ContextVar("reports.rollup.read_only", default=False)


def _highest_event_id(session: Session) -> int:
    with write_transaction(session):
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("LOCK TABLE ticket_events IN SHARE MODE"))
        return int(session.scalar(select(func.coalesce(func.max(TicketEvent.id), 0))) or 0)


def refresh(session: Session, *, tz: str = "Asia/Bangkok", today: date | None = None) -> date | None:
    """Bring the rollup up to date; returns the last rolled-up day (None: nothing rolled up, or the rollup
    is kept for another time zone and the caller must read the log)."""
    today = today or business_date(utcnow(), tz)
    closed = today - timedelta(days=1)
    state = session.get(RollupState, STATE_ID)
    if state is not None and state.tz != tz:
        return None
    if state is not None and state.closed_through is not None and state.closed_through >= closed:
        # Nothing new to close: only new events can matter (one indexed max() to find out).
        newest = session.scalar(select(func.max(TicketEvent.id)))
        if newest is None or newest <= state.last_event_id:
            return state.closed_through
        if READ_ONLY.get() and not _touches_rolled_up(session, state.last_event_id, newest):
            return state.closed_through  # exact for every event this read sees; W is left for a writer
    highest = _highest_event_id(session)
    if state is not None and state.closed_through is not None and state.closed_through >= closed:
        # Only events are new (the day's usual case, before every dashboard and report): find with a read
        # whether any of them touches a rolled-up ticket; if none does, the write is one UPDATE of W, so the
        # executive's request holds the office's write lock for a moment, not for a recompute.
        seen, rolled = state.last_event_id, state.closed_through
        if not _touches_rolled_up(session, seen, highest):
            if highest > seen:
                _advance_seen(session, tz, rolled, seen, highest)
            return rolled
    # Closed days go in a few at a time, each step its own write transaction: on SQLite a write holds the
    # office's one write lock, and a first run over years of history must not stop the counters for
    # half a minute; between steps their calls go through.
    start = state.closed_through if state is not None and state.closed_through is not None else _first_day(session)
    changed = [0]
    step = start if start is not None else closed - timedelta(days=1)
    while True:
        step = min(closed, step + timedelta(days=CHUNK_DAYS))
        through = _refresh_step(session, tz, step, highest, changed)
        if through is None or step >= closed:
            break
    if changed[0] >= BULK:
        _analyze(session)
    return through


CHUNK_DAYS = 3


def _late_tickets(seen: int, highest: int):
    """Rolled-up tickets with an event in (seen, highest]: a completion after midnight, a rating days later."""
    ev, fact = TicketEvent.__table__, typing.cast(Table, TicketFact.__table__)
    return (select(ev.c.ticket_id).join(fact, fact.c.ticket_id == ev.c.ticket_id)
            .where(ev.c.id > seen, ev.c.id <= highest))


def _touches_rolled_up(session: Session, seen: int, highest: int) -> bool:
    """A read, outside any write transaction: every event ≤ highest is committed (_highest_event_id)."""
    return bool(session.scalar(select(_late_tickets(seen, highest).exists())))


def _advance_seen(session: Session, tz: str, through: date, seen: int, highest: int) -> None:
    """W = highest, unless another refresh moved the rollup meanwhile (then its W stands, and is true)."""
    with write_transaction(session):
        session.execute(update(RollupState).where(
            RollupState.id == STATE_ID, RollupState.tz == tz, RollupState.closed_through == through,
            RollupState.last_event_id == seen).values(last_event_id=highest, updated_at=utcnow()))


def _first_day(session: Session) -> date | None:
    day = session.scalar(select(func.min(TicketEvent.business_date)).where(TicketEvent.type == EventType.ISSUED))
    return day - timedelta(days=1) if day is not None else None


def _refresh_step(session: Session, tz: str, closed: date, highest: int, changed: list[int]) -> date | None:
    """Roll up the days through `closed` and the events up to `highest` (one write transaction); adds the
    number of tickets recomputed to changed[0]."""
    fact = typing.cast(Table, TicketFact.__table__)
    hist = typing.cast(Table, DurationHistogram.__table__)
    with write_transaction(session):
        stmt = select(RollupState).where(RollupState.id == STATE_ID)
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        state = session.scalar(stmt.execution_options(populate_existing=True))
        if state is None:
            state = RollupState(id=STATE_ID, tz=tz, closed_through=None, last_event_id=0, updated_at=utcnow())
            session.add(state)
            session.flush()
        if state.tz != tz:
            return None
        through = max(state.closed_through, closed) if state.closed_through else closed
        seen = state.last_event_id
        if state.closed_through == through and highest <= seen:
            return through
        conn = session.connection()
        for table in (REFRESH, REFRESH_DAYS):
            conn.execute(text(f"DROP TABLE IF EXISTS {table.name}"))
            table.create(conn)
        ev = TicketEvent.__table__
        newly_closed = select(ev.c.ticket_id).where(ev.c.type == EventType.ISSUED.value,
                                                   ev.c.business_date <= through)
        if state.closed_through is not None:
            newly_closed = newly_closed.where(ev.c.business_date > state.closed_through)
        late = _late_tickets(seen, highest)
        session.execute(insert(REFRESH).from_select(["ticket_id"], union(newly_closed, late)))
        changed[0] += int(session.scalar(select(func.count()).select_from(REFRESH)) or 0)
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text(f"ANALYZE {REFRESH.name}"))  # else it plans for a big table: a full scan
        tickets = select(REFRESH.c.ticket_id)
        session.execute(insert(REFRESH_DAYS).from_select(["day"], select(fact.c.day).where(
            fact.c.ticket_id.in_(tickets)).distinct()))
        session.execute(delete(fact).where(fact.c.ticket_id.in_(tickets)))
        first = session.scalar(select(func.min(ev.c.business_date)).where(ev.c.type == EventType.ISSUED.value))
        offset_s = fixed_offset_seconds(first or through, through, tz)
        session.execute(insert(fact).from_select(list(FACT_COLUMNS), facts_select(
            session, tz, offset_s, lambda i: i.c.ticket_id.in_(tickets))))
        session.execute(insert(REFRESH_DAYS).from_select(["day"], select(fact.c.day).where(
            fact.c.ticket_id.in_(tickets)).distinct()))
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text(f"ANALYZE {REFRESH_DAYS.name}"))
        days = select(REFRESH_DAYS.c.day)
        session.execute(delete(hist).where(hist.c.day.in_(days)))
        for part in histogram_selects(fact, lambda t: t.c.day.in_(days), with_day=True):
            session.execute(insert(hist).from_select(["day", "measure", "dim", "key", "bucket", "n"], part))
        session.execute(update(RollupState).where(RollupState.id == STATE_ID).values(
            closed_through=through, last_event_id=max(seen, highest), updated_at=utcnow()))
        for table in (REFRESH, REFRESH_DAYS):
            conn.execute(text(f"DROP TABLE IF EXISTS {table.name}"))
    return through


BULK = 20_000  # tickets: after a refresh this large (a first run, a long backlog) refresh the planner's view


def _analyze(session: Session) -> None:
    """Statistics for the planner and, on PostgreSQL, the visibility map that lets the covering indexes be
    read without the table (VACUUM cannot run inside a transaction, hence autocommit)."""
    engine = session.get_bind().engine
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE) report_ticket_facts"))
            conn.execute(text("VACUUM (ANALYZE) report_duration_hist"))
    else:
        with write_transaction(session):
            session.execute(text("ANALYZE report_ticket_facts"))
            session.execute(text("ANALYZE report_duration_hist"))
