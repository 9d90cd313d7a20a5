"""The priority lane goes first but can never starve the normal queue."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import queue
from kiosk.queue import QueueRules, choose_lane_order
from tests.conftest import at

RULES = QueueRules(max_priority_in_a_row=2)


@pytest.fixture
def office_both(any_app):
    """The demo office on SQLite and on PostgreSQL, whose call-next takes a path of its own (service by
    service under FOR UPDATE SKIP LOCKED)."""
    from kiosk.demo import load_demo
    from tambon.db import get_session

    with any_app.app_context():
        session = get_session()
        load_demo(session)
        yield session


def serve_all(session, counter_id, rules, now):
    order = []
    while (ticket := queue.call_next(session, counter_id, rules=rules, now=now)) is not None:
        order.append((ticket.label, ticket.priority))
        queue.complete(session, counter_id, rules=rules, now=now)
    return order


def test_priority_called_first_but_at_most_n_in_a_row(office_both):
    now = at("2026-11-24 09:00")
    for _ in range(3):
        queue.issue_ticket(office_both, "TAX", now=now)
    for _ in range(5):
        queue.issue_ticket(office_both, "TAX", priority=True, now=now)
    order = serve_all(office_both, 1, RULES, at("2026-11-24 09:30"))
    lanes = "".join("P" if p else "N" for _, p in order)
    assert lanes == "PPNPPNPN"


def test_priority_alone_is_served_back_to_back(office_both):
    for _ in range(4):
        queue.issue_ticket(office_both, "TAX", priority=True, now=at("2026-11-24 09:00"))
    order = serve_all(office_both, 1, RULES, at("2026-11-24 09:30"))
    assert [p for _, p in order] == [True] * 4


def test_counter_serves_its_services_in_its_order(office_both):
    # Counter 3 serves BUILD, then TAX, then WELFARE.
    queue.issue_ticket(office_both, "WELFARE", now=at("2026-11-24 08:00"))
    queue.issue_ticket(office_both, "TAX", now=at("2026-11-24 08:01"))
    queue.issue_ticket(office_both, "BUILD", now=at("2026-11-24 08:02"))
    order = serve_all(office_both, 3, RULES, at("2026-11-24 09:00"))
    assert [label for label, _ in order] == ["C001", "A001", "B001"]


def test_lane_rule():
    assert choose_lane_order(0, 2) == (True, False)
    assert choose_lane_order(1, 2) == (True, False)
    assert choose_lane_order(2, 2) == (False, True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arrivals=st.lists(st.booleans(), min_size=1, max_size=25), limit=st.integers(1, 3))
def test_no_starvation_for_any_arrival_pattern(app_factory, arrivals, limit):
    from kiosk.demo import load_demo
    from tambon.db import get_session

    app = app_factory()
    with app.app_context():
        session = get_session()
        load_demo(session)
        rules = QueueRules(max_priority_in_a_row=limit)
        for minute, is_priority in enumerate(arrivals):
            queue.issue_ticket(session, "TAX", priority=is_priority, now=at(f"2026-11-24 09:{minute:02d}"))
        order = serve_all(session, 1, rules, at("2026-11-24 10:00"))
    app.extensions["tambon.engine"].dispose()
    assert len(order) == len(arrivals)
    normal_left = arrivals.count(False)
    streak = 0
    for _, is_priority in order:
        if is_priority:
            streak += 1
            if normal_left:
                assert streak <= limit, "priority calls exceeded the limit while normal tickets waited"
        else:
            streak = 0
            normal_left -= 1
    # within each lane, first come first served
    for lane in (True, False):
        labels = [label for label, p in order if p is lane]
        assert labels == sorted(labels)


def test_a_head_locked_by_another_counter_gives_way_to_the_same_services_next_ticket(pg_app, pg_url):
    """PostgreSQL: while another counter holds a service's first ticket, this counter takes that service's
    second one, not the head of a service further down its list."""
    import psycopg

    from kiosk.demo import load_demo
    from tambon.db import get_session

    with pg_app.app_context():
        session = get_session()
        load_demo(session)
        for minute, code in ((0, "BUILD"), (1, "BUILD"), (2, "TAX")):  # counter 3: BUILD, then TAX
            queue.issue_ticket(session, code, now=at(f"2026-11-24 08:0{minute}"))
        session.commit()
        with psycopg.connect(pg_url) as other_counter:
            other_counter.execute("SELECT id FROM tickets WHERE label = 'C001' FOR UPDATE")
            ticket = queue.call_next(session, 3, rules=RULES, now=at("2026-11-24 09:00"))
            other_counter.rollback()
        assert ticket.label == "C002"
