"""tambon.prepared.Prepared runs Core statements: it must send and return exactly what
SQLAlchemy's own execution does (dates, aware datetimes, booleans, JSON), on SQLite and on PostgreSQL, and
fail the way SQLAlchemy does. And tambon.db.core_write, the queue's transaction on the request's connection,
commits, rolls back and delivers events like write_transaction."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError, StatementError

from kiosk.demo import load_demo
from kiosk.models import Service, Ticket, TicketEvent
from tambon import events
from tambon.db import core_write, get_session
from tambon.prepared import Prepared

T = Ticket.__table__
E = TicketEvent.__table__
INSERT_TICKET = Prepared(insert(T).values({c.name: bindparam(c.name, type_=c.type) for c in T.c if c.name != "id"})
                         .returning(T.c.id))
INSERT_EVENT = Prepared(insert(E).values({c.name: bindparam(c.name, type_=c.type) for c in E.c if c.name != "id"}))
TICKET = Prepared(select(T).where(T.c.id == bindparam("id")))
EVENT_DETAIL = Prepared(select(E.c.detail, E.c.at).where(E.c.ticket_id == bindparam("id")))


def _ticket(service_id: int, number: int, **changes) -> dict:
    moment = datetime(2026, 11, 24, 2, 30, 15, 123456, tzinfo=UTC)
    return {"public_id": f"p{number}", "business_date": date(2026, 11, 24), "issued_service_id": service_id,
            "service_id": service_id, "number": number, "label": f"A{number:03d}", "priority": True,
            "status": "waiting", "issued_at": moment, "queued_at": moment, "first_called_at": None,
            "last_called_at": None, "finished_at": None, "counter_id": None, "kiosk": "k1", "recalls": 0,
            **changes}


def test_values_round_trip_as_core_reads_them(any_app):
    with any_app.app_context():
        session = get_session()
        load_demo(session)
        service_id = session.scalar(select(Service.id).where(Service.code == "TAX"))
        session.commit()  # as in a request: the write runs on the connection, outside any ORM transaction
        with core_write(session) as db:
            ticket_id = INSERT_TICKET.one(db, _ticket(service_id, 901))[0]
            INSERT_EVENT.rowcount(db, {"ticket_id": ticket_id, "type": "issued", "outcome": "priority",
                                       "at": datetime(2026, 11, 24, 2, 30, tzinfo=UTC),
                                       "business_date": date(2026, 11, 24), "service_id": service_id,
                                       "counter_id": None, "user_id": None, "detail": {"kiosk": "ตู้ 1"}})
        db = session.connection()
        prepared = TICKET.first(db, {"id": ticket_id})
        core = db.execute(TICKET.statement, {"id": ticket_id}).one()
        assert tuple(prepared) == tuple(core)
        assert prepared._fields == tuple(core._fields)
        assert prepared.issued_at == datetime(2026, 11, 24, 2, 30, 15, 123456, tzinfo=UTC)
        assert prepared.business_date == date(2026, 11, 24) and prepared.priority is True
        assert EVENT_DETAIL.first(db, {"id": ticket_id}).detail == {"kiosk": "ตู้ 1"}
        assert TICKET.first(db, {"id": 10**6}) is None
        assert TICKET.scalar(db, {"id": ticket_id}) == ticket_id


def test_a_driver_error_arrives_as_sqlalchemys_and_nothing_is_written(any_app):
    with any_app.app_context():
        session = get_session()
        load_demo(session)
        service_id = session.scalar(select(Service.id).where(Service.code == "TAX"))
        with core_write(session) as db:  # through the session's transaction (it is in one)
            INSERT_TICKET.one(db, _ticket(service_id, 902))
        assert not session.in_transaction()
        with pytest.raises(IntegrityError), core_write(session) as db:  # (business date, service, number) is unique
            INSERT_TICKET.one(db, _ticket(service_id, 903))
            INSERT_TICKET.one(db, _ticket(service_id, 902, public_id="other"))
        labels = session.scalars(select(Ticket.label).where(Ticket.number > 900)).all()
        assert labels == ["A902"]  # the first insert of the failed write was rolled back with it


def test_a_missing_parameter_or_an_expanding_one_is_refused(app):
    with app.app_context():
        db = get_session().connection()
        with pytest.raises(StatementError):
            TICKET.first(db, {})
        expanding = Prepared(select(T.c.id).where(T.c.status.in_(bindparam("statuses", expanding=True))))
        with pytest.raises(ValueError, match="expanding"):
            expanding.first(db, {"statuses": ["waiting"]})


def test_core_write_delivers_events_after_commit_only(app):
    seen = []

    def subscriber(topic, payload):
        seen.append(topic)

    events.subscribe("test.prepared", subscriber)
    try:
        with app.app_context():
            session = get_session()
            load_demo(session)
            service_id = session.scalar(select(Service.id).where(Service.code == "TAX"))
            session.commit()
            with pytest.raises(RuntimeError), core_write(session) as db:
                INSERT_TICKET.one(db, _ticket(service_id, 904))
                events.publish(session, "test.prepared", {})
                raise RuntimeError("the step fails after publishing")
            assert seen == []
            with core_write(session) as db:
                INSERT_TICKET.one(db, _ticket(service_id, 905))
                events.publish(session, "test.prepared", {})
                assert seen == []  # not before the commit
            assert seen == ["test.prepared"]
            # The ORM session sees the committed write (it joins the connection's next transaction).
            assert session.scalars(select(Ticket.label).where(Ticket.number > 900)).all() == ["A905"]
    finally:
        events.unsubscribe("test.prepared", subscriber)


def test_a_lone_read_leaves_no_transaction_on_sqlite_and_begins_the_write_on_postgresql(any_app):
    """first_on_its_own (the token check): on SQLite the read is a statement of its own, so the request's
    connection holds no read snapshot afterwards and its write begins at once; on PostgreSQL the read opens
    the transaction that the write goes on with, as first() does."""
    with any_app.app_context():
        session = get_session()
        load_demo(session)
        service_id = session.scalar(select(Service.id).where(Service.code == "TAX"))
        session.commit()
        with any_app.extensions["tambon.engine"].connect() as db:
            assert TICKET.first_on_its_own(db, {"id": 10**6}) is None
            sqlite = db.dialect.name == "sqlite"
            assert db.in_transaction() is (not sqlite)
            if sqlite:
                assert db.connection.dbapi_connection.in_transaction is False  # no snapshot held by the driver
            db.rollback()
            with db.begin():
                ticket_id = INSERT_TICKET.one(db, _ticket(service_id, 906))[0]
            # Inside a transaction it reads in that transaction (its own write is visible, nothing is ended).
            with db.begin():
                assert TICKET.first_on_its_own(db, {"id": ticket_id}).label == "A906"
                assert db.in_transaction()


def test_only_the_write_begins_immediate_and_the_reads_after_it_begin_plain(app):
    """On SQLite core_write begins its transaction IMMEDIATE (the write lock at once: tambon/db.py), and only
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
        with core_write(session) as db:
            INSERT_TICKET.one(db, _ticket(service_id, 907))
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

    from tambon.db import write_transaction

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
