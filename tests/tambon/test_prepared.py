"""tambon.db.write_transaction, the one way to write: Core statements on the request's connection (the queue's
steps) send and return what SQLAlchemy's types say (dates, aware datetimes, booleans, JSON) on SQLite and on
PostgreSQL; the write commits, rolls back and delivers events after the commit only, whether the body speaks
Core, the ORM or both; and a write of Core statements leaves no stale object in the session."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from kiosk import queue
from kiosk.demo import load_demo
from kiosk.models import Service, Ticket, TicketEvent
from tambon import events
from tambon.db import core_connection, get_session, write_transaction

T = Ticket.__table__
E = TicketEvent.__table__
INSERT_TICKET = insert(T).values({c.name: bindparam(c.name, type_=c.type) for c in T.c if c.name != "id"}).returning(T.c.id)
INSERT_EVENT = insert(E).values({c.name: bindparam(c.name, type_=c.type) for c in E.c if c.name != "id"})
TICKET = select(T).where(T.c.id == bindparam("id"))
EVENT_DETAIL = select(E.c.detail, E.c.at).where(E.c.ticket_id == bindparam("id"))


def _ticket(service_id: int, number: int, **changes) -> dict:
    moment = datetime(2026, 11, 24, 2, 30, 15, 123456, tzinfo=UTC)
    return {"public_id": f"p{number}", "business_date": date(2026, 11, 24), "issued_service_id": service_id,
            "service_id": service_id, "number": number, "label": f"A{number:03d}", "priority": True,
            "status": "waiting", "issued_at": moment, "queued_at": moment, "first_called_at": None,
            "last_called_at": None, "finished_at": None, "counter_id": None, "kiosk": "k1", "recalls": 0,
            **changes}


def _demo_service(session) -> int:
    load_demo(session)
    service_id = session.scalar(select(Service.id).where(Service.code == "TAX"))
    session.commit()  # as in a request: the write runs on the connection, outside any ORM transaction
    return service_id


def test_values_round_trip_through_core_on_the_requests_connection(any_app):
    with any_app.test_request_context("/"):
        session = get_session()
        service_id = _demo_service(session)
        with write_transaction(session):
            db = core_connection(session)
            ticket_id = db.execute(INSERT_TICKET, _ticket(service_id, 901)).scalar_one()
            db.execute(INSERT_EVENT, {"ticket_id": ticket_id, "type": "issued", "outcome": "priority",
                                      "at": datetime(2026, 11, 24, 2, 30, tzinfo=UTC),
                                      "business_date": date(2026, 11, 24), "service_id": service_id,
                                      "counter_id": None, "user_id": None, "detail": {"kiosk": "ตู้ 1"}})
        assert not session.in_transaction()  # the ORM session took no part in a Core-only write
        db = core_connection(session)
        row = db.execute(TICKET, {"id": ticket_id}).one()
        assert row.issued_at == datetime(2026, 11, 24, 2, 30, 15, 123456, tzinfo=UTC)
        assert row.business_date == date(2026, 11, 24) and row.priority is True
        assert db.execute(EVENT_DETAIL, {"id": ticket_id}).one().detail == {"kiosk": "ตู้ 1"}
        assert db.execute(TICKET, {"id": 10**6}).first() is None


def test_a_driver_error_arrives_as_sqlalchemys_and_nothing_is_written(any_app):
    with any_app.test_request_context("/"):
        session = get_session()
        service_id = _demo_service(session)
        with write_transaction(session):
            core_connection(session).execute(INSERT_TICKET, _ticket(service_id, 902))
        with pytest.raises(IntegrityError), write_transaction(session):  # (business date, service, number) is unique
            db = core_connection(session)
            db.execute(INSERT_TICKET, _ticket(service_id, 903))
            db.execute(INSERT_TICKET, _ticket(service_id, 902, public_id="other"))
        labels = session.scalars(select(Ticket.label).where(Ticket.number > 900)).all()
        assert labels == ["A902"]  # the first insert of the failed write was rolled back with it


def test_core_and_orm_in_one_write_commit_or_roll_back_together(any_app):
    """The session joins the connection's write when the body uses the ORM, and its commit is the write's."""
    with any_app.test_request_context("/"):
        session = get_session()
        service_id = _demo_service(session)
        with pytest.raises(RuntimeError), write_transaction(session):
            core_connection(session).execute(INSERT_TICKET, _ticket(service_id, 908))
            session.add(Service(code="ZZ", prefix="Z", name_th="ทดสอบ", name_en="Test"))
            raise RuntimeError("the write fails after both")
        assert session.scalar(select(Service.id).where(Service.code == "ZZ")) is None
        assert session.scalar(select(Ticket.id).where(Ticket.number == 908)) is None
        session.rollback()
        with write_transaction(session):
            core_connection(session).execute(INSERT_TICKET, _ticket(service_id, 909))
            session.add(Service(code="ZZ", prefix="Z", name_th="ทดสอบ", name_en="Test"))
        session.rollback()  # nothing left to roll back: both committed
        assert session.scalar(select(Service.code).where(Service.code == "ZZ")) == "ZZ"
        assert session.scalar(select(Ticket.label).where(Ticket.number == 909)) == "A909"


def test_write_transaction_delivers_events_after_commit_only(app):
    seen = []

    def subscriber(topic, payload):
        seen.append(topic)

    events.subscribe("test.write", subscriber)
    try:
        with app.test_request_context("/"):
            session = get_session()
            service_id = _demo_service(session)
            with pytest.raises(RuntimeError), write_transaction(session):
                core_connection(session).execute(INSERT_TICKET, _ticket(service_id, 904))
                events.publish(session, "test.write", {})
                raise RuntimeError("the step fails after publishing")
            assert seen == []
            with write_transaction(session):
                core_connection(session).execute(INSERT_TICKET, _ticket(service_id, 905))
                events.publish(session, "test.write", {})
                assert seen == []  # not before the commit
            assert seen == ["test.write"]
            # The ORM session sees the committed write (it joins the connection's next transaction).
            assert session.scalars(select(Ticket.label).where(Ticket.number > 900)).all() == ["A905"]
    finally:
        events.unsubscribe("test.write", subscriber)


def test_an_orm_object_loaded_before_a_queue_step_reads_the_step_afterwards(any_app):
    """The queue's steps write with Core, behind the session: the session's loaded objects are expired by the
    write, so the same session's ORM reads show what the step did, in a request and on the engine (the CLI)."""
    with any_app.test_request_context("/"):
        session = get_session()
        _demo_service(session)
        issued = queue.issue_ticket(session, "TAX", now=datetime(2026, 11, 24, 2, 30, tzinfo=UTC))
        ticket = session.get_one(Ticket, issued.id)
        assert ticket.status == "waiting"
        queue.call_next(session, 1, now=datetime(2026, 11, 24, 2, 31, tzinfo=UTC))
        assert ticket.status == "called" and ticket.counter_id == 1
        queue.complete(session, 1, now=datetime(2026, 11, 24, 2, 35, tzinfo=UTC))
        assert ticket.status == "completed"
    with any_app.app_context():
        session = any_app.extensions["tambon.sessionmaker"]()  # bound to the engine
        try:
            issued = queue.issue_ticket(session, "TAX", now=datetime(2026, 11, 24, 2, 40, tzinfo=UTC))
            ticket = session.get_one(Ticket, issued.id)
            queue.call_next(session, 1, now=datetime(2026, 11, 24, 2, 41, tzinfo=UTC))
            assert ticket.status == "called"
        finally:
            session.close()


def test_only_the_write_begins_immediate_and_the_reads_after_it_begin_plain(app):
    """On SQLite write_transaction begins its transaction IMMEDIATE (the write lock at once: tambon/db.py), and only
    that one: a read later in the same request begins a plain transaction, which takes no write lock."""
    with app.app_context():
        session = get_session()
        load_demo(session)
        service_id = session.scalar(select(Service.id).where(Service.code == "TAX"))
        session.commit()
    with app.test_request_context("/"):
        session = get_session()  # the request's session, on the request's own connection
        sent: list[str] = []
        driver = session.connection().connection.driver_connection
        session.rollback()
        driver.set_trace_callback(sent.append)
        with write_transaction(session):
            core_connection(session).execute(INSERT_TICKET, _ticket(service_id, 907))
        assert session.scalars(select(Ticket.label).where(Ticket.number == 907)).all() == ["A907"]
        session.rollback()
        driver.set_trace_callback(None)
    begins = [s for s in sent if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN"], sent
    assert sent.index("BEGIN IMMEDIATE") < next(i for i, s in enumerate(sent) if s.startswith("INSERT"))


def test_a_write_of_a_session_bound_to_the_engine_begins_immediate_too(app):
    """A session bound to the engine (the display broadcaster's): write_transaction checks out a connection
    for the write and begins it IMMEDIATE; the session's next transaction (a read) begins plain."""
    from sqlalchemy import event

    sent: list[str] = []
    engine = app.extensions["tambon.engine"]

    def trace(dbapi_connection, _record, _proxy):
        dbapi_connection.set_trace_callback(sent.append)

    event.listen(engine, "checkout", trace)
    try:
        with app.app_context():
            session = app.extensions["tambon.sessionmaker"]()  # bound to the engine, as the broadcaster's
            try:
                load_demo(session)
                session.commit()
                del sent[:]
                with write_transaction(session):
                    session.add(Service(code="ZZ", prefix="Z", name_th="ทดสอบ", name_en="Test"))
                assert session.scalar(select(Service.code).where(Service.code == "ZZ")) == "ZZ"
                session.rollback()
            finally:
                session.close()
    finally:
        event.remove(engine, "checkout", trace)
    assert [s for s in sent if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN"], sent
