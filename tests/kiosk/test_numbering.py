"""Numbering: per service, per local business date, no duplicates, no gaps, history kept."""

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from kiosk import queue
from kiosk.models import Service, Ticket, TicketEvent
from kiosk.setup import upsert_service
from tambon import events
from tambon.db import write_transaction
from tambon.errors import Invalid, NotFound
from tests.conftest import at


def test_numbers_run_per_service(office):
    labels = [queue.issue_ticket(office, code, now=at("2026-11-24 09:00")).number
              for code in ("TAX", "TAX", "WELFARE", "TAX", "WELFARE")]
    assert labels == ["A001", "A002", "B001", "A003", "B002"]


def test_numbering_restarts_at_local_midnight_not_utc(office):
    # 23:59 Bangkok is 16:59 UTC; 00:01 Bangkok the next day is 17:01 UTC of the SAME UTC day.
    evening = queue.issue_ticket(office, "TAX", now=at("2026-11-24 23:59"))
    after_midnight = queue.issue_ticket(office, "TAX", now=at("2026-11-25 00:01"))
    assert (evening.number, str(evening.business_date)) == ("A001", "2026-11-24")
    assert (after_midnight.number, str(after_midnight.business_date)) == ("A001", "2026-11-25")


def test_evening_tickets_keep_counting_on_the_same_local_day(office):
    # A UTC-based day boundary would reset at 07:00 Bangkok; ours must not.
    first = queue.issue_ticket(office, "TAX", now=at("2026-11-24 06:59"))
    second = queue.issue_ticket(office, "TAX", now=at("2026-11-24 07:01"))
    third = queue.issue_ticket(office, "TAX", now=at("2026-11-24 21:00"))
    assert [first.number, second.number, third.number] == ["A001", "A002", "A003"]


def test_previous_days_are_never_deleted(office):
    queue.issue_ticket(office, "TAX", now=at("2026-11-24 10:00"))
    queue.issue_ticket(office, "TAX", now=at("2026-11-25 10:00"))
    assert office.scalar(select(func.count()).select_from(Ticket)) == 2
    assert office.scalar(select(func.count()).select_from(TicketEvent)) == 2


def test_unknown_and_closed_services_consume_no_number(office):
    with pytest.raises(NotFound):
        queue.issue_ticket(office, "NOPE", now=at("2026-11-24 10:00"))
    upsert_service(office, code="LAND", prefix="L", name_th="ที่ดิน", name_en="Land", open_days="12345")
    with pytest.raises(Invalid) as closed:
        queue.issue_ticket(office, "LAND", now=at("2026-11-24 07:00"))  # before 08:30
    assert closed.value.code == "service_closed"
    with pytest.raises(Invalid):
        queue.issue_ticket(office, "LAND", now=at("2026-11-29 10:00"))  # a Sunday
    assert queue.issue_ticket(office, "LAND", now=at("2026-11-24 09:00")).number == "L001"


def test_failure_inside_the_issue_transaction_leaves_no_gap(office):
    def exploding_hook(session, topic, payload):
        raise RuntimeError("printer outbox unavailable")

    queue.issue_ticket(office, "TAX", now=at("2026-11-24 09:00"))
    events.on_write("ticket.issued", exploding_hook)
    try:
        with pytest.raises(RuntimeError):
            queue.issue_ticket(office, "TAX", now=at("2026-11-24 09:01"))
    finally:
        events._in_transaction["ticket.issued"].remove(exploding_hook)
    assert queue.issue_ticket(office, "TAX", now=at("2026-11-24 09:02")).number == "A002"
    assert office.scalar(select(func.count()).select_from(Ticket)) == 2


def test_unique_constraint_is_the_last_guard(office):
    issued = queue.issue_ticket(office, "TAX", now=at("2026-11-24 09:00"))
    service_id = office.scalar(select(Service.id).where(Service.code == "TAX"))
    with pytest.raises(IntegrityError), write_transaction(office):
        office.execute(insert(Ticket).values(
            public_id="forged", business_date=issued.business_date, issued_service_id=service_id,
            service_id=service_id, number=1, label="A001", priority=False, status="waiting",
            issued_at=issued.issued_at, queued_at=issued.issued_at, recalls=0))


def test_event_log_is_append_only(office):
    queue.issue_ticket(office, "TAX", now=at("2026-11-24 09:00"))
    from sqlalchemy import delete, update

    with pytest.raises(Exception, match="append-only"), write_transaction(office):
        office.execute(update(TicketEvent).values(outcome="tampered"))
    with pytest.raises(Exception, match="append-only"), write_transaction(office):
        office.execute(delete(TicketEvent))
    assert office.scalar(select(TicketEvent.outcome)) == "normal"


def test_waiting_ahead_counts_priority_first(office):
    queue.issue_ticket(office, "TAX", now=at("2026-11-24 09:00"))
    queue.issue_ticket(office, "TAX", now=at("2026-11-24 09:01"))
    prio = queue.issue_ticket(office, "TAX", priority=True, now=at("2026-11-24 09:02"))
    normal = queue.issue_ticket(office, "TAX", now=at("2026-11-24 09:03"))
    assert prio.waiting_ahead == 0
    assert normal.waiting_ahead == 3
