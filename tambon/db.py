"""Database engine, sessions and the one way to write.

Every state change goes through :func:`write_transaction`. On SQLite it takes a write lock (a thread
lock, then an ``flock`` on a file beside the database so that several server processes and the CLI queue
too) and starts the transaction with ``BEGIN IMMEDIATE``: SQLite has one writer at a time, and waiting in
SQLite's busy handler (which sleeps) made p99 latency 7× worse than queueing on a lock. SQLAlchemy
silently drops ``FOR UPDATE`` on SQLite, so the immediate write lock is what makes read-then-update
atomic there. On PostgreSQL the row locks (``FOR UPDATE SKIP LOCKED``) and conditional updates do it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from flask import current_app, g
from sqlalchemy import Connection, CursorResult, DateTime, MetaData, Result, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from tambon import files
from tambon.concurrency import cooperative

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores instants as naive UTC (portable between SQLite and PostgreSQL); returns aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


class _NoResultRows(logging.Filter):
    """SQLAlchemy at DEBUG logs every result row, complainants' contact details included: drop those
    records (statements are still logged, their parameters hidden by hide_parameters)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NoResultRows())

# How long a gevent worker keeps trying for the write lock between its other requests before it blocks the
# process: a counter action holds the lock for ~0.3 ms, and a write that takes longer (the CLI's, a backup)
# should not be waited for by polling.
class _SqliteWriteLock:
    """One writer at a time across threads (a lock) and processes (``flock``, whose waiters the kernel
    wakes at once, where SQLite's busy handler would sleep up to 100 ms between tries)."""

    def __init__(self, database: str | None):
        self._thread_lock = threading.Lock()
        if database and database.startswith("file:"):  # a URI filename (sqlite:///file:PATH?mode=ro&uri=true)
            database = database[len("file:"):]
        self._path = f"{database}-writelock" if database and database != ":memory:" else None
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int:
        # A forked child must open its own file: a shared open file description shares the flock.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)  # type: ignore[arg-type]
            self._pid = os.getpid()
        return self._fd

    def __enter__(self) -> None:
        self._thread_lock.acquire()
        if self._path is not None:
            try:
                take_flock(self._file())
            except BaseException:
                self._thread_lock.release()
                raise
        self._held = _holding_the_write_lock.set(True)

    def __exit__(self, *_exc) -> None:
        _holding_the_write_lock.reset(self._held)
        try:
            if self._path is not None and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


def take_flock(fd: int) -> None:
    """Take the exclusive ``flock`` on fd. A blocking ``flock`` would stop a gevent worker whole while another
    process writes: there it is waited for on gevent's thread pool, and the worker's other requests run."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    if cooperative():
        import gevent

        gevent.get_hub().threadpool.apply(fcntl.flock, (fd, fcntl.LOCK_EX))
    else:
        fcntl.flock(fd, fcntl.LOCK_EX)


# A long SQLite statement (the executive's dashboard over a year of tickets) runs on a gevent worker's only
# thread and would hold every other request of the process until it ends (1.5 s at 1,000,000 tickets). So
# SQLite calls back every READ_CHECK_OPS virtual-machine steps, and once a statement has run for
# READ_SLICE_SECONDS since it last stepped aside, the loop runs once: the other requests go on, each on its
# own connection (WAL: their writes proceed beside the open read), and the statement resumes where it was.
# Reads only: a statement inside a write transaction keeps the CPU until it is done.
READ_CHECK_OPS = 10_000
READ_SLICE_SECONDS = 0.002


# Set while this greenlet (or thread) holds the write lock: a write does not step aside (the other requests
# would mostly wait for the same lock, and the write would only hold it longer).
_holding_the_write_lock: ContextVar[bool] = ContextVar("tambon_holding_the_write_lock", default=False)


def _step_aside_every(seconds: float) -> Callable[[], int]:
    import gevent

    last = time.monotonic()

    def progress() -> int:
        nonlocal last
        now = time.monotonic()
        if now - last >= seconds and not _holding_the_write_lock.get():
            # A short timer, not sleep(0): that runs only the greenlets already queued, without polling the
            # sockets or firing timers, so no new request would get in.
            gevent.sleep(0.0001)
            last = time.monotonic()
        return 0  # go on (non-zero would abort the statement)

    return progress


_sqlite_write_locks: dict[str, _SqliteWriteLock] = {}
_locks_guard = threading.Lock()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, **kwargs) -> Engine:
    # Bound parameters carry complainants' names and phone numbers: keep them out of SQL logs and of
    # database error messages, whatever log level an installer turns on while debugging.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        connect_args = {"check_same_thread": False, "timeout": 30}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs.setdefault("poolclass", StaticPool)
        else:  # a request holds its connection throughout (get_session): room for every request at once
            kwargs.setdefault("pool_size", 20)
            kwargs.setdefault("max_overflow", 40)
            database = make_url(url).database
            if database and not database.startswith("file:") and Path(database).parent.is_dir():
                try:
                    files.sqlite_files_private(database)
                except OSError as exc:  # not a file we can open (SQLite will say so on connect)
                    logging.getLogger(__name__).warning("cannot make %s private: %s", database, exc.strerror)
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):  # psycopg 3 is the driver we ship
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 20)
    # The queue's rules are written for it (write_transaction relies on it too), whatever the server's default.
    kwargs.setdefault("isolation_level", "READ COMMITTED")
    # Survive a PostgreSQL restart: a connection the server ended is replaced at checkout (one round trip).
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL is crash-safe for a process kill; only an OS crash may lose the last commits.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        if cooperative():  # a gevent worker
            dbapi_connection.set_progress_handler(_step_aside_every(READ_SLICE_SECONDS), READ_CHECK_OPS)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Straight to the driver: SQLAlchemy's execution path (a context, a result, events) cost more CPU
        # than SQLite's BEGIN itself, twice per counter action.
        statement = "BEGIN IMMEDIATE" if _beginning_a_write.get() else "BEGIN"
        try:
            connection.connection.driver_connection.execute(statement)
        except sqlite3.OperationalError as exc:  # locked past the busy timeout: as SQLAlchemy would raise it
            raise OperationalError(statement, None, exc) from exc


def _write_lock(engine: Engine):
    if not is_sqlite(engine):
        return nullcontext()
    key = str(engine.url)
    with _locks_guard:
        if key not in _sqlite_write_locks:
            _sqlite_write_locks[key] = _SqliteWriteLock(engine.url.database)
        return _sqlite_write_locks[key]


def rowcount(result: Result[Any]) -> int:
    """Rows matched by a conditional UPDATE/DELETE (a CursorResult at run time; typed as Result)."""
    return cast(CursorResult[Any], result).rowcount


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # control_fully: a request's session joins a transaction its connection already began (the token check,
    # the queue's Core writes: core_connection) and commits it as its own, instead of leaving it open.
    return sessionmaker(bind=engine, expire_on_commit=False, join_transaction_mode="control_fully")


@contextmanager
def write_transaction(session: Session) -> Iterator[Session]:
    """Run one atomic write: the one way every package writes. Commits on success, rolls back on any error,
    then delivers the published events (tambon.events).

    The body writes through the ORM (``session.add`` …) or through Core on :func:`core_connection` (the queue's
    steps), or both. In a request the transaction is the request connection's own, and the session joins it
    only if the body uses the ORM: an ORM session transaction around Core statements cost ~6× as much CPU
    per begin and commit (54 µs against 8, measured), twice per counter action.

    Core statements (on :func:`core_connection`) change rows behind the session, so a write that ran any ends
    with the session's loaded objects expired: a later ORM read loads what was written (sessions otherwise
    keep their objects across commits, so that an answer renders what the ORM wrote without reloading it)."""
    from tambon import events  # local import: events imports nothing from here at module level

    bind = session.get_bind()
    sqlite = is_sqlite(bind.engine)
    if sqlite or _orm_changes(session):
        _end_read(session, bind)
    connection = bind if isinstance(bind, Connection) else None  # a request's session (get_session)
    with _write_lock(bind.engine):
        if connection is None:  # a session on the engine (the CLI, tests): the session's own transaction
            _begin_write(session, sqlite)
        elif not connection.in_transaction():  # on PostgreSQL a read-only transaction goes on as the write
            _begin_connection(connection, sqlite)
        session.info.pop(_RAN_CORE, None)
        try:
            yield session
            if connection is not None and not (session.in_transaction() or _orm_changes(session)):
                connection.commit()
                events.mark_committed(session)
            else:
                session.commit()  # control_fully: commits the connection's transaction too
        except BaseException:
            if session.in_transaction():
                session.rollback()
            if connection is not None and connection.in_transaction():
                connection.rollback()
            events.drop_pending(session)
            raise
    if session.info.pop(_RAN_CORE, False):
        session.expire_all()
    events.dispatch_committed(session)


# Set in session.info when Core statements may have run on the session's connection (see write_transaction).
_RAN_CORE = "tambon_ran_core"


def _orm_changes(session: Session) -> bool:
    return bool(session.new or session.dirty or session.deleted)


def core_connection(session: Session | Connection) -> Connection:
    """The connection for a session's Core statements: in a request, the request's own connection, used
    directly (no ORM transaction bookkeeping; a session used later joins its transaction); otherwise the
    session's. A connection is its own."""
    if isinstance(session, Connection):
        return session
    session.info[_RAN_CORE] = True
    bind = session.get_bind()
    return bind if isinstance(bind, Connection) else session.connection()


def _end_read(session: Session, bind: Engine | Connection) -> None:
    """End a read transaction so that, on SQLite, the write starts as IMMEDIATE. On PostgreSQL (READ
    COMMITTED: each statement sees what is committed when it runs) a read-only transaction, such as the
    request's token check, simply goes on as the write: two round trips fewer."""
    if session.in_transaction():
        session.commit()  # control_fully: commits the connection's transaction too
    elif isinstance(bind, Connection) and bind.in_transaction():
        bind.commit()  # begun on the connection itself (core_connection)


# Set while a write's transaction begins, so that _on_begin sends BEGIN IMMEDIATE for it alone: the later
# reads of a request must begin as plain reads, or they would take SQLite's write lock without holding ours.
# A context variable (this greenlet's or thread's own), not the connection's execution options: setting those
# twice cost more than the BEGIN (~15 µs each).
_beginning_a_write: ContextVar[bool] = ContextVar("tambon_beginning_a_write", default=False)


@contextmanager
def _as_the_write() -> Iterator[None]:
    marked = _beginning_a_write.set(True)
    try:
        yield
    finally:
        _beginning_a_write.reset(marked)


def _begin_connection(connection: Connection, sqlite: bool) -> None:
    """Begin a transaction of the connection as the write: on SQLite ``BEGIN IMMEDIATE`` (see _on_begin)."""
    if not sqlite:
        connection.begin()
        return
    with _as_the_write():
        connection.begin()


def _begin_write(session: Session, sqlite: bool) -> None:
    """Begin the transaction of a session on the engine as the write: on SQLite ``BEGIN IMMEDIATE`` (see
    _on_begin); the session checks out a connection per transaction and begins it here."""
    if not sqlite:
        session.connection()
        return
    with _as_the_write():
        session.connection()


# --- Flask integration -------------------------------------------------------------------------


def init_app(app) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["tambon.engine"] = engine
    app.extensions["tambon.sessionmaker"] = make_session_factory(engine)

    @app.teardown_appcontext
    def _close_session(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
        connection = g.pop("db_connection", None)
        if connection is not None:
            connection.close()


def get_engine() -> Engine:
    return current_app.extensions["tambon.engine"]


def get_session() -> Session:
    """The request's (or CLI command's) session."""
    request_globals = g._get_current_object()  # one context lookup, not one per use (a request asks ~3 times)
    session = request_globals.get("db_session")
    if session is None:
        extensions = current_app.extensions
        # One pooled connection for the whole request, so its transactions (the token check, the write, the
        # answer's reads) pay for one checkout instead of one each: ~0.12 ms of CPU each on SQLite, plus the
        # liveness check on PostgreSQL (pool_pre_ping).
        request_globals.db_connection = extensions["tambon.engine"].connect()
        session = request_globals.db_session = extensions["tambon.sessionmaker"](bind=request_globals.db_connection)
    return session
