"""A known queue history, built through the kiosk's own domain functions with explicit times.

Timeline (Asia/Bangkok local time; demo services TAX=A, WELFARE=B, BUILD=C, HELP=D; counters 1–3):

30 Sep 2026 (last day of fiscal 2569, Q4)
  T1 A001 TAX issued 23:40, called at counter 1 23:50 (wait 10 min), completed 1 Oct 00:05 (15 min)
1 Oct 2026 (first day of fiscal 2570, Q1; a Thursday)
  T2 A001 TAX     issued 08:30; called c1 09:00 (wait 30), started 09:02, completed 09:20 (20); rated 3
  T3 A002 TAX*    priority, issued 08:35; called c1 08:45 (wait 10), completed 08:55 (10); rated 5
  T4 B001 WELFARE issued 08:40; called c2 08:50 (wait 10), no-show 08:52
  T5 D001 HELP    issued 09:10; called c2 09:30 (wait 20), transferred to TAX 09:35,
                  called c1 09:40, completed 09:50 (service 20 = first call → completion)
  T6 C001 BUILD   issued 10:00; cancelled 10:05
  T7 A003 TAX     issued 16:00; never called (open)
2 Oct 2026 (a Friday)
  T8 B001 WELFARE issued 00:10 (= 1 Oct 17:10 UTC); called c3 00:20 (wait 10), completed 00:50 (30)
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tambon.db import get_session
from tests.conftest import at


def build_history(session) -> dict:
    from kiosk import queue
    from kiosk.demo import load_demo
    from tambon.auth.models import User

    load_demo(session)
    uid = dict(session.execute(select(User.username, User.id)).all())
    c1, admin = uid["counter1"], uid["admin"]

    t1 = queue.issue_ticket(session, "TAX", now=at("2026-09-30 23:40"))
    queue.call_next(session, 1, user_id=c1, now=at("2026-09-30 23:50"))
    queue.complete(session, 1, user_id=c1, now=at("2026-10-01 00:05"))

    t2 = queue.issue_ticket(session, "TAX", now=at("2026-10-01 08:30"))
    t3 = queue.issue_ticket(session, "TAX", priority=True, now=at("2026-10-01 08:35"))
    t4 = queue.issue_ticket(session, "WELFARE", now=at("2026-10-01 08:40"))
    assert queue.call_next(session, 1, user_id=c1, now=at("2026-10-01 08:45")).id == t3.id
    assert queue.call_next(session, 2, user_id=admin, now=at("2026-10-01 08:50")).id == t4.id
    queue.no_show(session, 2, user_id=admin, now=at("2026-10-01 08:52"))
    queue.complete(session, 1, user_id=c1, now=at("2026-10-01 08:55"))
    queue.rate_ticket(session, t3.public_id, 5, now=at("2026-10-01 08:58"))
    assert queue.call_next(session, 1, user_id=c1, now=at("2026-10-01 09:00")).id == t2.id
    queue.start_service(session, 1, user_id=c1, now=at("2026-10-01 09:02"))
    t5 = queue.issue_ticket(session, "HELP", now=at("2026-10-01 09:10"))
    queue.complete(session, 1, user_id=c1, now=at("2026-10-01 09:20"))
    queue.rate_ticket(session, t2.public_id, 3, now=at("2026-10-01 09:25"))
    assert queue.call_next(session, 2, user_id=admin, now=at("2026-10-01 09:30")).id == t5.id
    queue.transfer(session, 2, "TAX", user_id=admin, now=at("2026-10-01 09:35"))
    assert queue.call_next(session, 1, user_id=c1, now=at("2026-10-01 09:40")).id == t5.id
    queue.complete(session, 1, user_id=c1, now=at("2026-10-01 09:50"))
    t6 = queue.issue_ticket(session, "BUILD", now=at("2026-10-01 10:00"))
    queue.cancel(session, t6.public_id, user_id=admin, now=at("2026-10-01 10:05"))
    t7 = queue.issue_ticket(session, "TAX", now=at("2026-10-01 16:00"))

    t8 = queue.issue_ticket(session, "WELFARE", now=at("2026-10-02 00:10"))
    assert queue.call_next(session, 3, now=at("2026-10-02 00:20")).id == t8.id
    queue.complete(session, 3, now=at("2026-10-02 00:50"))
    return {"t1": t1, "t2": t2, "t3": t3, "t4": t4, "t5": t5, "t6": t6, "t7": t7, "t8": t8,
            "counter1": c1, "admin": admin}


@pytest.fixture
def history_app(any_app):
    """The known history on SQLite and on PostgreSQL."""
    with any_app.app_context():
        build_history(get_session())
    return any_app


@pytest.fixture
def sqlite_history_app(app):
    with app.app_context():
        build_history(get_session())
    return app


@pytest.fixture
def office_app(app):
    """The demo office, with no application context left pushed (so each HTTP request gets a fresh g)."""
    from kiosk.demo import load_demo

    with app.app_context():
        load_demo(get_session())
    return app
