"""Concurrency proofs on SQLite and PostgreSQL, with real threads and real processes.

30 counters pressing "next" at the same instant never get the same ticket; 16 kiosks issuing at once
never get a duplicate or a gap.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter as Tally

from sqlalchemy import func, select

from kiosk import queue
from kiosk.models import Counter, Ticket, TicketEvent
from kiosk.setup import upsert_counter, upsert_service
from tambon.db import get_session
from tests.waiting import blocked_on_flock, wait_until

COUNTERS = 30


def _prepare(app, tickets: int) -> list[int]:
    with app.app_context():
        session = get_session()
        from datetime import time

        upsert_service(session, code="TAX", prefix="A", name_th="ชำระภาษี", name_en="Tax",
                       opens_at=time(0, 0), closes_at=time(23, 59), open_days="1234567")
        ids = [upsert_counter(session, name=f"ช่อง {i}", service_codes=["TAX"]).id for i in range(COUNTERS)]
        for _ in range(tickets):
            queue.issue_ticket(session, "TAX")
        return ids


def _run_threads(app, target, args_list):
    barrier = threading.Barrier(len(args_list))
    results, errors = [None] * len(args_list), []

    def worker(index, args):
        with app.app_context():
            session = get_session()
            barrier.wait()
            try:
                results[index] = target(session, *args)
            except Exception as exc:  # collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(args_list)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def _complete_if_busy(session, counter_id):
    if session.get(Counter, counter_id).current_ticket_id is not None:
        queue.complete(session, counter_id)


def _called_per_ticket(app) -> Tally:
    with app.app_context():
        rows = get_session().execute(select(TicketEvent.ticket_id).where(TicketEvent.type == "called")).scalars()
        return Tally(rows)


def test_thirty_counters_press_next_at_once(any_app):
    counter_ids = _prepare(any_app, tickets=45)
    for _round in range(2):
        tickets = _run_threads(any_app, lambda s, c: queue.call_next(s, c), [(c,) for c in counter_ids])
        got = [t.id for t in tickets if t is not None]
        assert len(got) == len(set(got)), "one ticket handed to two counters"
        _run_threads(any_app, _complete_if_busy, [(c,) for c in counter_ids])
    # 45 tickets, 60 presses: every ticket called exactly once, 15 presses found nobody.
    called = _called_per_ticket(any_app)
    assert len(called) == 45 and set(called.values()) == {1}


def test_sixteen_kiosks_issue_at_once(any_app):
    _prepare(any_app, tickets=0)
    per_thread = 25
    results = _run_threads(any_app, lambda s: [queue.issue_ticket(s, "TAX").number for _ in range(per_thread)],
                           [()] * 16)
    numbers = sorted(n for batch in results for n in batch)
    assert numbers == [f"A{i:03d}" for i in range(1, 16 * per_thread + 1)], "duplicate or gap in numbering"


# --- separate processes: no shared in-process lock, only the database's own guarantees -------------

def _process_worker(database_url, instance, counter_ids, start_event, out_queue):
    from tambon import create_app

    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": instance, "SECRET_KEY": "x",
                      "PRINTER_URL": "none", "TESTING": True})
    taken = []
    with app.app_context():
        session = get_session()
        start_event.wait(30)
        for counter_id in counter_ids:
            for _ in range(3):
                ticket = queue.call_next(session, counter_id)
                if ticket is None:
                    break
                taken.append(ticket.id)
                queue.complete(session, counter_id)
            issued = queue.issue_ticket(session, "TAX")
            taken.append(-issued.id)
    out_queue.put(taken)


def test_processes_calling_and_issuing_together(any_app, tmp_path):
    counter_ids = _prepare(any_app, tickets=60)
    url = any_app.config["DATABASE_URL"]
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    groups = [counter_ids[i::4] for i in range(4)]
    procs = [ctx.Process(target=_process_worker, args=(url, str(tmp_path / f"p{i}"), g, start, out))
             for i, g in enumerate(groups)]
    for p in procs:
        p.start()
    start.set()
    taken = [x for _ in procs for x in out.get(timeout=120)]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    called = [t for t in taken if t > 0]
    assert len(called) == len(set(called))
    assert set(_called_per_ticket(any_app).values()) == {1}
    with any_app.app_context():
        session = get_session()
        total = session.scalar(select(func.count()).select_from(Ticket))
        numbers = sorted(session.scalars(select(Ticket.number)))
    assert total == 60 + COUNTERS
    assert numbers == list(range(1, total + 1))


def test_sqlite_write_lock_excludes_other_processes(tmp_path):
    """The flock half of the SQLite write lock: while one process holds it, another cannot take it, and
    takes it as soon as it is let go (no busy-handler sleeps)."""
    import multiprocessing as mp

    from tambon.db import _SqliteWriteLock

    db = str(tmp_path / "x.sqlite3")
    lock = _SqliteWriteLock(db)
    ctx = mp.get_context("fork")
    released = ctx.Value("i", 0)
    seen = ctx.Value("i", -1)  # what the other process found once it held the lock

    def child(released, seen):
        with _SqliteWriteLock(db):
            seen.value = released.value

    with lock:
        proc = ctx.Process(target=child, args=(released, seen))
        proc.start()
        wait_until(lambda: blocked_on_flock(proc.pid), what="the other process waiting in flock()")
        assert seen.value == -1  # still waiting
        released.value = 1
    proc.join(10)
    assert proc.exitcode == 0 and seen.value == 1  # it took the lock only after this process let it go
