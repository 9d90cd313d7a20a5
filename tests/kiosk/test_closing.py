from sqlalchemy import select

from kiosk import queue
from kiosk.closing import close_day
from kiosk.models import Counter, Ticket, TicketEvent
from tests.conftest import at


def test_close_day_closes_leftovers_and_frees_counters(office):
    queue.issue_ticket(office, "TAX", now=at("2026-11-23 15:00"))
    queue.issue_ticket(office, "TAX", now=at("2026-11-23 15:01"))
    queue.call_next(office, 1, now=at("2026-11-23 16:00"))      # still at counter 1 at closing time
    queue.issue_ticket(office, "TAX", now=at("2026-11-24 08:00"))  # today's: untouched
    assert close_day(office, now=at("2026-11-24 08:05")) == 2
    assert close_day(office, now=at("2026-11-24 08:06")) == 0  # idempotent
    office.expire_all()
    statuses = dict(office.execute(select(Ticket.label, Ticket.status).where(
        Ticket.business_date == at("2026-11-23 12:00").date())).all())
    assert statuses == {"A001": "cancelled", "A002": "cancelled"}
    assert office.get(Counter, 1).current_ticket_id is None
    outcomes = office.scalars(select(TicketEvent.outcome).where(TicketEvent.type == "cancelled")).all()
    assert outcomes == ["end_of_day", "end_of_day"]
    # Counter 1 can work again this morning, with today's ticket.
    assert queue.call_next(office, 1, now=at("2026-11-24 08:10")).label == "A001"
