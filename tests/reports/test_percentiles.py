"""Median, p90 and the longest waits of every grouping against a plain reference (sort the durations, take
percentile_cont's two ranks), over tickets crowded into a few one-minute buckets: many keys per bucket,
ties, ranks near either end of a bucket (reports/metrics.py reads a bucket from whichever end is nearer),
closed days (the rollup) and today (the log) together."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from reports.metrics import queue_figures

DAYS = (date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25))   # the last is "today": not rolled up
TODAY = DAYS[-1]
# (service, counter) pairs the demo office's counters serve (kiosk/demo.py)
PAIRS = (("TAX", 1), ("HELP", 1), ("WELFARE", 2), ("HELP", 2), ("BUILD", 3), ("TAX", 3), ("WELFARE", 3))
TICKET = st.tuples(st.sampled_from(range(len(DAYS))), st.sampled_from(PAIRS), st.booleans(),
                   st.integers(600, 2400), st.integers(300, 3000))  # wait and service in tenths of a second


def build(session, tickets) -> list[dict]:
    """Issue, call and complete each ticket at explicit instants (one at a time, so each call takes the ticket
    just issued); returns the reference facts."""
    from kiosk import queue
    from kiosk.demo import load_demo
    from kiosk.models import Service
    from tambon.auth.models import User

    load_demo(session)
    staff = dict(session.execute(select(User.username, User.id)).all())
    services = dict(session.execute(select(Service.code, Service.id)).all())
    facts = []
    slot = dict.fromkeys(range(len(DAYS)), 0)
    for day_n, (service, counter), by_admin, wait_ds, service_ds in tickets:
        local = datetime.combine(DAYS[day_n], datetime.min.time(), tzinfo=ZoneInfo("Asia/Bangkok"))
        issued = (local + timedelta(hours=8, minutes=10 * slot[day_n])).astimezone(UTC)
        slot[day_n] += 1
        called = issued + timedelta(seconds=wait_ds / 10)
        done = called + timedelta(seconds=service_ds / 10)
        user = staff["admin" if by_admin else "counter1"]
        ticket = queue.issue_ticket(session, service, now=issued)
        assert queue.call_next(session, counter, user_id=user, now=called).id == ticket.id
        queue.complete(session, counter, user_id=user, now=done)
        facts.append({"service": services[service], "counter": counter, "staff": user,
                      "hour": issued.astimezone(ZoneInfo("Asia/Bangkok")).hour,
                      "weekday": DAYS[day_n].isoweekday(), "wait": wait_ds / 10, "service_s": service_ds / 10})
    return facts


def percentile_cont(values: list[float], p: float) -> float:
    ordered = sorted(values)
    x = p * (len(ordered) - 1)
    low = math.floor(x)
    frac = x - low
    return ordered[low] if frac == 0 else ordered[low] + (ordered[low + 1] - ordered[low]) * frac


def check(figures: dict, facts: list[dict]) -> None:
    groupings = {"by_service": "service", "by_counter": "counter", "by_staff": "staff", "by_hour": "hour",
                 "by_weekday": "weekday"}
    rows = [("totals", None, figures["totals"], facts)]
    for name, field in groupings.items():
        for row in figures[name]:
            rows.append((name, row["key"], row, [f for f in facts if f[field] == row["key"]]))
        assert sorted(r["key"] for r in figures[name]) == sorted({f[field] for f in facts})
    for name, key, row, mine in rows:
        for measure, field in (("wait", "wait"), ("service", "service_s")):
            values = [f[field] for f in mine]
            expected = (round(percentile_cont(values, 0.5), 1), round(percentile_cont(values, 0.9), 1))
            assert (row[measure]["median"], row[measure]["p90"]) == expected, (name, key, measure)
    longest = sorted(facts, key=lambda f: -f["wait"])[:5]
    assert [w["wait"] for w in figures["worst_waits"]] == [f["wait"] for f in longest]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tickets=st.lists(TICKET, min_size=1, max_size=36))
def test_every_percentile_and_the_longest_waits_match_a_plain_sort(app_factory, tickets):
    from tambon.db import get_session

    app = app_factory()
    with app.app_context():
        session = get_session()
        facts = build(session, tickets)
        rolled = queue_figures(session, DAYS[0], DAYS[-1], today=TODAY)
        from_log = queue_figures(session, DAYS[0], DAYS[-1], rollup=False)
    app.extensions["tambon.engine"].dispose()
    check(rolled, facts)
    assert rolled == from_log


@pytest.mark.parametrize("any_app", ["sqlite", "postgresql"], indirect=True)
def test_crowded_buckets_on_both_databases(any_app):
    """A few hundred tickets in three one-minute buckets (PostgreSQL streams them through a server-side
    cursor, closed as soon as the last rank is found)."""
    from tambon.db import get_session

    rnd = random.Random(22)
    tickets = [(rnd.randrange(len(DAYS)), rnd.choice(PAIRS), rnd.random() < 0.3, rnd.randint(600, 2390),
                rnd.randint(300, 1800)) for _ in range(120)]
    with any_app.app_context():
        session = get_session()
        facts = build(session, tickets)
        full = queue_figures(session, DAYS[0], DAYS[-1], today=TODAY)
        check(full, facts)
        totals_only = queue_figures(session, DAYS[0], DAYS[-1], today=TODAY, groupings=())
    # The quarter before, in the quarterly summary: totals only, the groupings' lists left empty.
    assert all(totals_only[name] == [] for name in ("by_service", "by_counter", "by_staff", "by_weekday",
                                                   "by_hour", "by_priority"))
    assert totals_only["totals"] == full["totals"]
    assert totals_only["worst_waits"] == full["worst_waits"]
