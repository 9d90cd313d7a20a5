"""Every step of a ticket's life, its event row, and the illegal twin of each step."""

import pytest
from sqlalchemy import select

from kiosk import queue
from kiosk.models import Counter, Ticket, TicketEvent, TicketStatus
from kiosk.queue import QueueRules
from tambon.errors import Conflict, Invalid, NotFound
from tests.conftest import at

T0 = "2026-11-24 09:00"


def events_of(session, label):
    ticket = session.scalar(select(Ticket).where(Ticket.label == label))
    return [(e.type, e.outcome, e.counter_id) for e in
            session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id))]


def counter_current(session, counter_id):
    session.expire_all()
    return session.get(Counter, counter_id).current_ticket_id


@pytest.fixture
def called(office):
    queue.issue_ticket(office, "TAX", now=at(T0))
    ticket = queue.call_next(office, 1, user_id=2, now=at("2026-11-24 09:05"))
    assert ticket.status == "called"
    return office


def test_happy_path_records_every_step(called):
    queue.start_service(called, 1, now=at("2026-11-24 09:06"))
    done = queue.complete(called, 1, now=at("2026-11-24 09:15"))
    assert done.status == "completed"
    assert counter_current(called, 1) is None
    assert events_of(called, "A001") == [("issued", "normal", None), ("called", "next", 1),
                                         ("started", None, 1), ("completed", "served", 1)]
    ticket = called.scalar(select(Ticket))
    assert (ticket.first_called_at, ticket.finished_at) == (at("2026-11-24 09:05"), at("2026-11-24 09:15"))


def test_complete_straight_from_called(called):
    assert queue.complete(called, 1, now=at("2026-11-24 09:10")).status == "completed"


def test_recall_then_automatic_no_show(called):
    rules = QueueRules(auto_no_show_after_recalls=2)
    assert queue.recall(called, 1, rules=rules).recalls == 1
    assert queue.recall(called, 1, rules=rules).recalls == 2
    ticket = queue.recall(called, 1, rules=rules)
    assert ticket.status == "no_show"
    assert counter_current(called, 1) is None
    assert [e[:2] for e in events_of(called, "A001")][-3:] == [("recalled", "1"), ("recalled", "2"),
                                                                ("no_show", "auto_after_recalls")]


def test_no_show_by_staff(called):
    assert queue.no_show(called, 1).status == "no_show"


def test_no_show_is_illegal_once_serving(called):
    queue.start_service(called, 1)
    with pytest.raises(Conflict) as err:
        queue.no_show(called, 1)
    assert err.value.code == "illegal_transition"
    with pytest.raises(Conflict):
        queue.recall(called, 1)
    with pytest.raises(Conflict):
        queue.start_service(called, 1)


def test_next_while_a_ticket_is_at_the_counter_is_refused(called):
    queue.issue_ticket(called, "TAX", now=at(T0))
    with pytest.raises(Conflict) as err:
        queue.call_next(called, 1)
    assert err.value.code == "counter_busy"
    assert called.scalar(select(Ticket).where(Ticket.label == "A002")).status == "waiting"


def test_actions_without_a_current_ticket_are_refused(office):
    for action in (queue.recall, queue.start_service, queue.complete, queue.no_show, queue.park):
        with pytest.raises(Conflict) as err:
            action(office, 1)
        assert err.value.code == "no_current_ticket"


def test_unknown_counter(office):
    with pytest.raises(NotFound):
        queue.call_next(office, 999)


def test_park_and_resume_keeps_the_place_in_line(called):
    queue.issue_ticket(called, "TAX", now=at("2026-11-24 09:01"))
    parked = queue.park(called, 1, reason="document")
    assert parked.status == "parked" and counter_current(called, 1) is None
    with pytest.raises(Conflict):
        queue.park(called, 1)
    queue.resume(called, "A001", now=at("2026-11-24 09:20"))
    with pytest.raises(Conflict):
        queue.resume(called, "A001", now=at("2026-11-24 09:20"))
    # A001 was issued before A002, so it is called first again.
    assert queue.call_next(called, 1, now=at("2026-11-24 09:21")).label == "A001"


def test_transfer_keeps_number_and_place_by_issue_time(office):
    queue.issue_ticket(office, "TAX", now=at("2026-11-24 08:00"))       # A001 → transferred to WELFARE later
    queue.issue_ticket(office, "WELFARE", now=at("2026-11-24 08:30"))   # B001
    queue.call_next(office, 1, now=at("2026-11-24 09:00"))
    moved = queue.transfer(office, 1, "WELFARE", now=at("2026-11-24 09:05"))
    assert (moved.label, moved.status) == ("A001", "waiting")
    # Counter 2 serves WELFARE: A001 (queued 08:00) comes before B001 (08:30).
    assert queue.call_next(office, 2, now=at("2026-11-24 09:10")).label == "A001"
    assert ("transferred", "WELFARE", 1) in events_of(office, "A001")


def test_transfer_refusals(called):
    with pytest.raises(Invalid):
        queue.transfer(called, 1, "TAX")
    with pytest.raises(NotFound):
        queue.transfer(called, 1, "NOPE")


def test_call_out_of_order(office):
    for minute in range(3):
        queue.issue_ticket(office, "TAX", now=at(f"2026-11-24 09:0{minute}"))
    now = at("2026-11-24 09:30")
    ticket = queue.call_ticket(office, 1, "A003", now=now)
    assert ticket.label == "A003"
    assert ("called", "out_of_order", 1) in events_of(office, "A003")
    queue.complete(office, 1, now=now)
    with pytest.raises(Conflict):
        queue.call_ticket(office, 1, "A003", now=now)  # already completed
    assert queue.call_next(office, 1, now=now).label == "A001"


def test_cancel(called):
    queue.issue_ticket(called, "TAX", now=at(T0))
    assert queue.cancel(called, "A002", now=at("2026-11-24 09:10")).status == "cancelled"
    assert queue.cancel(called, "A001", now=at("2026-11-24 09:10")).status == "cancelled"
    assert counter_current(called, 1) is None
    with pytest.raises(Conflict):
        queue.cancel(called, "A001", now=at("2026-11-24 09:10"))


def test_rating_only_after_completion_and_once(called):
    public_id = called.scalar(select(Ticket.public_id))
    with pytest.raises(Conflict):
        queue.rate_ticket(called, public_id, 5)
    queue.complete(called, 1)
    with pytest.raises(Invalid):
        queue.rate_ticket(called, public_id, 6)
    queue.rate_ticket(called, public_id, 4, "บริการดีมาก")
    with pytest.raises(Conflict):
        queue.rate_ticket(called, public_id, 5)
    assert events_of(called, "A001")[-1][:2] == ("rated", "4")


def test_yesterdays_waiting_tickets_are_not_called_today(office):
    queue.issue_ticket(office, "TAX", now=at("2026-11-23 16:00"))
    assert queue.call_next(office, 1, now=at("2026-11-24 08:30")) is None


def test_events_are_published_only_after_commit(office):
    from tambon import events

    seen = []
    listener = lambda topic, payload: seen.append((topic, payload["number"]))  # noqa: E731
    events.subscribe("*", listener)
    try:
        queue.issue_ticket(office, "TAX", now=at(T0))
        with pytest.raises(NotFound):
            queue.issue_ticket(office, "NOPE", now=at(T0))
        queue.call_next(office, 1, now=at(T0))
    finally:
        events.unsubscribe("*", listener)
    assert seen == [("ticket.issued", "A001"), ("ticket.called", "A001")]


def test_out_of_range_counter_ids_are_unknown(office):
    for bad in (0, -1, 2**31, 10**20):
        with pytest.raises(NotFound):
            queue.call_next(office, bad)


def test_a_status_change_from_a_stale_read_is_refused(called):
    """start and resume move a ticket only from the status they read it in (WHERE status = …): on PostgreSQL
    another counter's request may move it in between, and then the step answers 409, changing nothing."""
    from datetime import date

    from tambon.db import core_connection, write_transaction

    stale = queue.find_ticket(called, "A001", date(2026, 11, 24))
    assert stale.status == "called"
    queue.complete(called, 1, now=at("2026-11-24 09:10"))  # meanwhile, at the counter
    with pytest.raises(Conflict) as err, write_transaction(called):
        queue._set_status(core_connection(called), stale, TicketStatus.SERVING)
    assert err.value.code == "ticket_changed"
    assert queue.find_ticket(called, "A001", date(2026, 11, 24)).status == "completed"
