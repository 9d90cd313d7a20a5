"""Admission control (tambon/admission.py): JSON API requests queue for a few slots per process;
pages and everything else never wait behind them."""

import threading
import time

from flask import jsonify

from tambon.admission import Admission, FairSlots, default_slots
from tambon.auth import public


def _app_with_slow_routes(app_factory, slots):
    app = app_factory(ACTIVE_REQUESTS=slots)
    running = {"now": 0, "most": {"api": 0, "page": 0}}
    guard = threading.Lock()

    def slow(kind):
        with guard:
            running["now"] += 1
            running["most"][kind] = max(running["most"][kind], running["now"])
        time.sleep(0.2)
        with guard:
            running["now"] -= 1
        return jsonify({"kind": kind})

    app.add_url_rule("/api/v1/_slow", "slow_api", public(lambda: slow("api")))
    app.add_url_rule("/_slow_page", "slow_page", public(lambda: slow("page")))
    return app, running


def _hit(app, path, n):
    statuses = []

    def one():
        statuses.append(app.test_client().get(path).status_code)

    threads = [threading.Thread(target=one) for _ in range(n)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return statuses, time.monotonic() - started


def _admission(app) -> Admission | None:
    """The Admission layer among the app's WSGI middlewares (tambon.inbound's sit outside it)."""
    layer = app.wsgi_app
    while layer is not None and not isinstance(layer, Admission):
        layer = getattr(layer, "app", None)
    return layer


def test_api_requests_take_turns_for_the_slots(app_factory):
    app, running = _app_with_slow_routes(app_factory, slots=1)
    admission = _admission(app)
    assert isinstance(admission, Admission) and admission.slots == 1
    statuses, took = _hit(app, "/api/v1/_slow", 3)
    assert statuses == [200, 200, 200]
    assert running["most"]["api"] == 1  # one at a time ...
    assert took >= 0.55  # ... so three 0.2 s requests take about 0.6 s


def test_pages_are_not_admitted_through_the_slots(app_factory):
    app, running = _app_with_slow_routes(app_factory, slots=1)
    statuses, took = _hit(app, "/_slow_page", 3)
    assert statuses == [200, 200, 200]
    assert running["most"]["page"] == 3 and took < 0.5


def test_zero_slots_turns_admission_off_and_defaults_follow_the_database(app_factory):
    app = app_factory(ACTIVE_REQUESTS=0)
    assert _admission(app) is None
    assert default_slots("sqlite:///x.sqlite3") < default_slots("postgresql://db/tambon")


def test_a_freed_slot_goes_to_the_longest_waiter_not_to_a_newcomer():
    slots = FairSlots(1)
    slots.acquire()
    order: list[str] = []

    def take(name):
        with slots:
            order.append(name)

    waiters = []
    for name in ("first", "second", "third"):
        waiters.append(threading.Thread(target=take, args=(name,)))
        waiters[-1].start()
        deadline = time.monotonic() + 5
        while slots.waiting < len(waiters) and time.monotonic() < deadline:  # queued in this order
            time.sleep(0.001)
    slots.release()  # handed to "first", which may not have run yet ...
    newcomer = threading.Thread(target=take, args=("newcomer",))  # ... so this one must queue behind them
    newcomer.start()
    for thread in [*waiters, newcomer]:
        thread.join(5)
    assert order == ["first", "second", "third", "newcomer"]
    assert slots.waiting == 0
