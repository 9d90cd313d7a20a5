"""Admission control (tambon/admission.py): JSON API requests queue for a few slots per process;
pages and everything else never wait behind them."""

import threading

from flask import jsonify

from tambon.admission import Admission, FairSlots, default_slots
from tambon.auth import public
from tests.waiting import wait_until


def _app_with_held_routes(app_factory, slots):
    """Routes that stay inside until ``release`` is set, so a test sees how many are in at once."""
    app = app_factory(ACTIVE_REQUESTS=slots)
    state = {"now": 0, "most": {"api": 0, "page": 0}, "release": threading.Event()}
    guard = threading.Lock()

    def held(kind):
        with guard:
            state["now"] += 1
            state["most"][kind] = max(state["most"][kind], state["now"])
        state["release"].wait(30)
        with guard:
            state["now"] -= 1
        return jsonify({"kind": kind})

    app.add_url_rule("/api/v1/_held", "held_api", public(lambda: held("api")))
    app.add_url_rule("/_held_page", "held_page", public(lambda: held("page")))
    return app, state


def _start(app, path, n):
    statuses: list[int] = []

    def one():
        statuses.append(app.test_client().get(path).status_code)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    return statuses, threads


def _finish(state, threads) -> None:
    state["release"].set()
    for t in threads:
        t.join(30)


def _admission(app) -> Admission | None:
    """The Admission layer among the app's WSGI middlewares (tambon.inbound's sit outside it)."""
    layer = app.wsgi_app
    while layer is not None and not isinstance(layer, Admission):
        layer = getattr(layer, "app", None)
    return layer


def test_api_requests_take_turns_for_the_slots(app_factory):
    app, state = _app_with_held_routes(app_factory, slots=1)
    admission = _admission(app)
    assert isinstance(admission, Admission) and admission.slots == 1
    statuses, threads = _start(app, "/api/v1/_held", 3)
    # one inside, the two others queued for the slot
    wait_until(lambda: state["now"] == 1 and admission.waiting == 2, what="two waiting for the slot")
    assert state["most"]["api"] == 1
    _finish(state, threads)
    assert statuses == [200, 200, 200] and state["most"]["api"] == 1  # one at a time, to the end


def test_pages_are_not_admitted_through_the_slots(app_factory):
    app, state = _app_with_held_routes(app_factory, slots=1)
    statuses, threads = _start(app, "/_held_page", 3)
    wait_until(lambda: state["now"] == 3, what="three pages inside at once")
    _finish(state, threads)
    assert statuses == [200, 200, 200] and state["most"]["page"] == 3


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
        wait_until(lambda: slots.waiting == len(waiters), what="queued in this order")
    slots.release()  # handed to "first", which may not have run yet ...
    newcomer = threading.Thread(target=take, args=("newcomer",))  # ... so this one must queue behind them
    newcomer.start()
    for thread in [*waiters, newcomer]:
        thread.join(5)
    assert order == ["first", "second", "third", "newcomer"]
    assert slots.waiting == 0
