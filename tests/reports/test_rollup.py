"""The queue rollup gives exactly the figures of the raw event log — across midnight and the fiscal year's
end, for days rolled up and days not, and after events that arrive once a ticket's day is rolled up."""

from datetime import date

import pytest
from sqlalchemy import func, select

from reports.metrics import queue_figures
from reports.models import RollupState, TicketFact
from reports.rollup import refresh
from tambon.db import get_session
from tambon.thaidate import business_date, fiscal_quarter_bounds, utcnow
from tests.conftest import at

PERIODS = [
    fiscal_quarter_bounds(2569, 4),            # only T1 (30 Sep 23:40, completed after midnight)
    fiscal_quarter_bounds(2570, 1),
    (date(2026, 9, 30), date(2026, 10, 1)),    # across the fiscal year's end
    (date(2026, 10, 1), date(2026, 10, 1)),
    (date(2026, 10, 2), date(2026, 10, 2)),    # T8: 00:10 local = 1 Oct in UTC
    (date(2026, 9, 1), date(2026, 12, 31)),
]


def _same_as_log(session, today: date, periods=PERIODS, target: float = 15) -> None:
    for start, end in periods:
        rolled = queue_figures(session, start, end, today=today, target_wait_minutes=target)
        raw = queue_figures(session, start, end, rollup=False, target_wait_minutes=target)
        assert rolled == raw, (start, end, today)


@pytest.mark.parametrize("today", [date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)])
def test_rollup_equals_log_whatever_is_closed(history_app, today):
    """today = the first day not rolled up: nothing, through 30 Sep (T1 rolled up, its completion on 1 Oct
    read with it), through 1 Oct (T8 of 2 Oct from the log), everything."""
    with history_app.app_context():
        session = get_session()
        _same_as_log(session, today)
        _same_as_log(session, today, periods=PERIODS[1:2], target=5)
        state = session.get(RollupState, 1)
        assert state is not None and state.closed_through == today - (date(2026, 1, 2) - date(2026, 1, 1))
        rolled_days = set(session.scalars(select(TicketFact.day)).all())
    assert all(day < today for day in rolled_days)
    expected = {date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 2)}
    assert rolled_days == {d for d in expected if d < today}


def test_late_events_after_the_rollup(any_app):
    """A ticket called at 23:50, its day rolled up at midnight, completed at 00:05 and rated three days
    later: the rollup follows the event log."""
    from kiosk import queue
    from kiosk.demo import load_demo

    with any_app.app_context():
        session = get_session()
        load_demo(session)
        late = queue.issue_ticket(session, "TAX", now=at("2026-10-05 23:40"))
        queue.call_next(session, 1, now=at("2026-10-05 23:50"))
        day = (date(2026, 10, 5), date(2026, 10, 5))

        first = queue_figures(session, *day, today=date(2026, 10, 6))   # 5 Oct is rolled up now
        assert session.scalar(select(func.count()).select_from(TicketFact)) == 1
        assert (first["totals"]["served"], first["totals"]["open"], first["totals"]["wait"]["n"]) == (0, 1, 1)

        queue.complete(session, 1, now=at("2026-10-06 00:05"))
        queue.issue_ticket(session, "TAX", now=at("2026-10-06 08:00"))  # today's: not rolled up
        second = queue_figures(session, *day, today=date(2026, 10, 6))
        assert (second["totals"]["served"], second["totals"]["open"]) == (1, 0)
        assert second["totals"]["service"]["median"] == 15 * 60.0
        assert second == queue_figures(session, *day, rollup=False)

        queue.rate_ticket(session, late.public_id, 2, now=at("2026-10-09 10:00"))
        third = queue_figures(session, date(2026, 10, 5), date(2026, 10, 6), today=date(2026, 10, 6))
        assert third["ratings"]["distribution"]["2"] == 1 and third["totals"]["issued"] == 2
        assert third == queue_figures(session, date(2026, 10, 5), date(2026, 10, 6), rollup=False)
        assert session.scalar(select(func.count()).select_from(TicketFact)) == 1   # 6 Oct is still open
        state = session.get(RollupState, 1)
        assert state is not None and state.closed_through == date(2026, 10, 5)


def test_refresh_is_idempotent_and_another_zone_reads_the_log(history_app):
    with history_app.app_context():
        session = get_session()
        assert refresh(session, today=date(2026, 10, 3)) == date(2026, 10, 2)
        before = session.execute(select(TicketFact.ticket_id, TicketFact.wait_s, TicketFact.score)
                                 .order_by(TicketFact.ticket_id)).all()
        assert refresh(session, today=date(2026, 10, 3)) == date(2026, 10, 2)
        assert session.execute(select(TicketFact.ticket_id, TicketFact.wait_s, TicketFact.score)
                               .order_by(TicketFact.ticket_id)).all() == before
        assert refresh(session, tz="UTC") is None   # the rollup is kept for Asia/Bangkok
        start, end = fiscal_quarter_bounds(2570, 1)
        assert queue_figures(session, start, end, tz="UTC") == queue_figures(session, start, end, tz="UTC",
                                                                             rollup=False)


def test_rollup_command(sqlite_history_app):
    result = sqlite_history_app.test_cli_runner().invoke(args=["report", "rollup"])
    assert result.exit_code == 0, result.output
    with sqlite_history_app.app_context():
        assert get_session().scalar(select(func.count()).select_from(TicketFact)) == 8


def test_a_long_history_is_rolled_up_a_few_days_per_write(office, monkeypatch):
    """A first refresh over many closed days (after an upgrade) goes in steps of CHUNK_DAYS, each its own
    write transaction, so counters' writes get through between them; the figures stay exact."""
    from datetime import timedelta

    from kiosk import queue
    from reports import rollup

    first = date(2026, 10, 1)
    for n in range(10):
        day = first + timedelta(days=n)
        queue.issue_ticket(office, "TAX", now=at(f"{day.isoformat()} 09:00"))
        queue.call_next(office, 1, now=at(f"{day.isoformat()} 09:{5 + n:02d}"))
        queue.complete(office, 1, now=at(f"{day.isoformat()} 09:30"))
    steps = []
    real_step = rollup._refresh_step
    monkeypatch.setattr(rollup, "_refresh_step", lambda *a: steps.append(a[2]) or real_step(*a))
    today = first + timedelta(days=10)
    assert refresh(office, today=today) == today - timedelta(days=1)
    assert len(steps) == -(-10 // rollup.CHUNK_DAYS) and steps == sorted(steps)
    assert office.scalar(select(func.count()).select_from(TicketFact)) == 10
    _same_as_log(office, today, periods=[(first, today)])


def test_a_counter_writes_between_the_steps_of_a_long_rollup(app, monkeypatch):
    """While a first refresh rolls up a generated history (bench/report_scale.py's generator, 30 days), a
    counter's call gets the office's write lock between two of the refresh's write transactions: the
    refresh does not hold it from one step to the next."""
    import threading
    from datetime import timedelta

    from bench.report_scale import generate
    from kiosk import queue
    from kiosk.demo import load_demo
    from reports import rollup

    with app.app_context():
        load_demo(get_session())
    today = business_date(utcnow())
    generate(app.extensions["tambon.engine"], 3000, 0, today - timedelta(days=30), 30)
    between, counter_done = threading.Event(), threading.Event()
    calls: list[str] = []

    def counter() -> None:
        between.wait(60)
        with app.app_context():
            calls.append(queue.issue_ticket(get_session(), "TAX").number)
        counter_done.set()

    real_step = rollup._refresh_step

    steps: list[date] = []

    def step(*args):
        if len(steps) == 1:  # the first step has committed, the second has not begun: the counter's turn
            between.set()
            counter_done.wait(60)
        steps.append(args[2])
        return real_step(*args)

    monkeypatch.setattr(rollup, "_refresh_step", step)
    thread = threading.Thread(target=counter)
    thread.start()
    with app.app_context():
        session = get_session()
        assert refresh(session, today=today) == today - timedelta(days=1)
        thread.join(60)
        assert counter_done.is_set() and calls, "the counter's write waited for the whole refresh"
        assert len(steps) >= 2
        assert session.scalar(select(func.count()).select_from(TicketFact)) == 3000
        _same_as_log(session, today, periods=[(today - timedelta(days=30), today)])


def test_a_refresh_during_the_day_writes_only_the_state_row(office):
    """Once the closed days are rolled up, a refresh that finds only new events of today's tickets (every
    dashboard and report during the day) recomputes nothing: its one write advances W."""
    from datetime import timedelta

    from sqlalchemy import event

    from kiosk import queue
    from kiosk.models import TicketEvent

    today = business_date(utcnow())
    yesterday = (today - timedelta(days=1)).isoformat()
    queue.issue_ticket(office, "TAX", now=at(f"{yesterday} 09:00"))
    queue.call_next(office, 1, now=at(f"{yesterday} 09:05"))
    queue.complete(office, 1, now=at(f"{yesterday} 09:20"))
    assert refresh(office, today=today) == today - timedelta(days=1)
    queue.issue_ticket(office, "TAX")
    queue.call_next(office, 1)

    writes: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        if statement.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP"):
            writes.append(" ".join(statement.split()[:3]))

    engine = office.get_bind().engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert refresh(office, today=today) == today - timedelta(days=1)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert writes == ["UPDATE report_rollup_state SET"]
    state = office.get(RollupState, 1)
    assert state is not None
    assert state.last_event_id == office.scalar(select(func.max(TicketEvent.id)))
    assert office.scalar(select(func.count()).select_from(TicketFact)) == 1
