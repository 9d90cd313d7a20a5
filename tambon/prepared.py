"""Prepared statements for the queue's hot path: built with SQLAlchemy Core, run straight on the driver.

A counter's "next" runs about ten statements. Through ``Connection.execute`` each one costs ~40 µs of CPU
on the benchmark machine before SQLite does anything (SQLite's own part is ~3 µs): an execution context, a
result object with its metadata, events, a Row per row. That was a fifth of a serve cycle. A
:class:`Prepared` statement is compiled once per dialect by SQLAlchemy, and each run does only what the
data needs (measured: 7 µs instead of 39 for a counter's row, 13 instead of 50 for a ticket's):

- parameters go through SQLAlchemy's own bind processors (dates, JSON, booleans: the same values Core sends);
- result values go through SQLAlchemy's own result processors (aware UTC datetimes, dates, booleans);
- a row is a named tuple whose fields have the column names, so ``ticket.status`` reads as on a Row;
- a driver error is handed to the Connection's own error handling, so it arrives wrapped as SQLAlchemy's
  exception (``OperationalError`` answers 503) and a dropped PostgreSQL connection is invalidated.

What it leaves out: ``before/after_cursor_execute`` events and SQL echo (the hot statements are not logged),
and "expanding" IN parameters (a statement that has them is refused when it is built).
"""

from __future__ import annotations

import threading
from collections import namedtuple
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler


class _Compiled(NamedTuple):
    sql: str
    construct: Callable[..., MutableMapping[str, Any]]  # fills in bound literals and defaults, as Core does
    positional: tuple[str, ...] | None  # parameter order (qmark: SQLite), or None (named: psycopg)
    names: Mapping[str, str]  # parameter → its (escaped) name in the SQL, named style only
    bind: Mapping[str, Callable[[Any], Any]]
    result: tuple[Callable[[Any], Any] | None, ...]
    row: type | None  # a named tuple of the result columns; None for a statement without rows


class Prepared:
    """A Core statement compiled once per dialect and run on the DBAPI cursor of a Core ``Connection``.

    The connection's transaction is begun first when none is (as ``Connection.execute`` autobegins)."""

    def __init__(self, statement: Executable):
        self.statement: Any = statement  # a Select, Insert or Update (their common base has no .compile)
        self._by_dialect: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            with self._lock:
                found = self._by_dialect.get(dialect.name) or self._compile(dialect)
                self._by_dialect[dialect.name] = found
        return found

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled: SQLCompiler = self.statement.compile(dialect=dialect)
        if compiled.post_compile_params or compiled.literal_execute_params:
            raise ValueError("a Prepared statement takes no expanding or literal-execute parameters")
        columns = compiled._result_columns  # noqa: SLF001 - (keyname, name, objects, type) per result column
        row = namedtuple("PreparedRow", [c.keyname for c in columns], rename=True) if columns else None
        return _Compiled(
            sql=compiled.string,
            construct=compiled.construct_params,
            positional=tuple(compiled.positiontup or ()) if compiled.positional else None,
            names=compiled.escaped_bind_names or {},
            bind=compiled._bind_processors,  # type: ignore[arg-type]  # noqa: SLF001 - never a tuple here: no expanding
            result=tuple(c.type._cached_result_processor(dialect, None) for c in columns),  # noqa: SLF001
            row=row,
        )

    def _run(self, connection: Connection, params: Mapping[str, Any], begin: bool = True):
        compiled = self._compiled(connection.dialect)
        values = compiled.construct(params, escape_names=False)
        bind = compiled.bind
        args: Sequence[Any] | dict[str, Any]
        if compiled.positional is not None:
            args = [bind[k](values[k]) if k in bind else values[k] for k in compiled.positional]
        else:
            names = compiled.names
            args = {names.get(k, k): bind[k](v) if k in bind else v for k, v in values.items()}
        if begin and not connection.in_transaction():
            connection.begin()
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(compiled.sql, args)
        except BaseException as exc:  # as Core: a greenlet killed mid-statement leaves the connection unusable
            # Closes the cursor, wraps the error (OperationalError …), invalidates a dropped connection, raises.
            connection._handle_dbapi_exception(exc, compiled.sql, args, cursor, None)  # noqa: SLF001
        return compiled, cursor

    def _make_row(self, compiled: _Compiled, raw: Sequence[Any]):
        return compiled.row._make([f(v) if f is not None else v for f, v in zip(compiled.result, raw, strict=True)])  # type: ignore[union-attr]

    def first(self, connection: Connection, params: Mapping[str, Any] = {}):  # noqa: B006 - never mutated
        """The first row (a named tuple), or None."""
        return self._first(connection, params, begin=True)

    def _first(self, connection: Connection, params: Mapping[str, Any], begin: bool):
        compiled, cursor = self._run(connection, params, begin)
        try:
            raw = cursor.fetchone()
        finally:
            cursor.close()
        return None if raw is None else self._make_row(compiled, raw)

    def first_on_its_own(self, connection: Connection, params: Mapping[str, Any] = {}):  # noqa: B006
        """As :meth:`first`, for a lone read that needs no transaction of its own (the token check ahead of a
        counter action). On SQLite, outside a transaction, it runs as a statement of its own: the driver is in
        autocommit mode (tambon.db), so SQLite takes and drops the read snapshot itself, with no ``BEGIN`` and
        ``COMMIT`` through SQLAlchemy, and a write that follows begins ``IMMEDIATE`` without first ending a
        read (1% of a serve cycle's instructions). Elsewhere (PostgreSQL: the read goes on as the request's
        transaction) it is :meth:`first`."""
        return self._first(connection, params,
                           begin=connection.dialect.name != "sqlite" or connection.in_transaction())

    def one(self, connection: Connection, params: Mapping[str, Any] = {}):  # noqa: B006
        row = self.first(connection, params)
        if row is None:
            raise LookupError("the statement returned no row")
        return row

    def scalar(self, connection: Connection, params: Mapping[str, Any] = {}):  # noqa: B006
        """The first column of the first row, or None."""
        row = self.first(connection, params)
        return None if row is None else row[0]

    def all(self, connection: Connection, params: Mapping[str, Any] = {}) -> list:  # noqa: B006
        compiled, cursor = self._run(connection, params)
        try:
            raws = cursor.fetchall()
        finally:
            cursor.close()
        return [self._make_row(compiled, raw) for raw in raws]

    def scalars(self, connection: Connection, params: Mapping[str, Any] = {}) -> list:  # noqa: B006
        return [row[0] for row in self.all(connection, params)]

    def rowcount(self, connection: Connection, params: Mapping[str, Any] = {}) -> int:  # noqa: B006
        """Run a statement without rows (UPDATE, INSERT …); the number of rows it matched."""
        _compiled, cursor = self._run(connection, params)
        try:
            return cursor.rowcount
        finally:
            cursor.close()
