"""Statements of the queue's hot path, built once with SQLAlchemy Core and run on a Core ``Connection``.

A :class:`Prepared` statement is a module-level Core construct: SQLAlchemy compiles it once per dialect
and keeps it in the engine's compiled cache, so each run is ``Connection.execute`` without the compile.
Rows are Core Rows (``ticket.status``, ``row[0]``); a driver error arrives as SQLAlchemy's exception
(``OperationalError`` answers 503) and a dropped PostgreSQL connection is invalidated, as with any Core call.

"Expanding" IN parameters are refused: the statements here have a fixed shape.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Row
from sqlalchemy.sql import Executable


class Prepared:
    """A Core statement, run on a Core ``Connection`` (whose transaction it begins when none is, as
    ``Connection.execute`` does)."""

    def __init__(self, statement: Executable):
        self.statement: Any = statement  # a Select, Insert or Update (their common base has no .compile)
        self._checked: set[str] = set()
        self._lock = threading.Lock()

    def _check(self, connection: Connection) -> None:
        name = connection.dialect.name
        if name in self._checked:
            return
        with self._lock:
            compiled = self.statement.compile(dialect=connection.dialect)
            if compiled.post_compile_params or compiled.literal_execute_params:
                raise ValueError("a Prepared statement takes no expanding or literal-execute parameters")
            self._checked.add(name)

    def _execute(self, connection: Connection, params: Mapping[str, Any]):
        self._check(connection)
        return connection.execute(self.statement, dict(params))

    def first(self, connection: Connection, params: Mapping[str, Any] = {}) -> Row | None:  # noqa: B006 - never mutated
        """The first row, or None."""
        return self._execute(connection, params).first()

    def first_on_its_own(self, connection: Connection, params: Mapping[str, Any] = {}) -> Row | None:  # noqa: B006
        """As :meth:`first`, for a lone read that needs no transaction of its own (the token check ahead of a
        counter action). On SQLite, outside a transaction, the read's transaction is ended at once: the
        connection holds no read snapshot, and a write that follows begins ``IMMEDIATE`` without first ending
        a read. Elsewhere (PostgreSQL: the read goes on as the request's transaction) it is :meth:`first`."""
        on_its_own = connection.dialect.name == "sqlite" and not connection.in_transaction()
        row = self.first(connection, params)
        if on_its_own:
            connection.commit()
        return row

    def one(self, connection: Connection, params: Mapping[str, Any] = {}) -> Row:  # noqa: B006
        row = self.first(connection, params)
        if row is None:
            raise LookupError("the statement returned no row")
        return row

    def scalar(self, connection: Connection, params: Mapping[str, Any] = {}) -> Any:  # noqa: B006
        """The first column of the first row, or None."""
        row = self.first(connection, params)
        return None if row is None else row[0]

    def all(self, connection: Connection, params: Mapping[str, Any] = {}) -> list:  # noqa: B006
        return list(self._execute(connection, params).all())

    def scalars(self, connection: Connection, params: Mapping[str, Any] = {}) -> list:  # noqa: B006
        return list(self._execute(connection, params).scalars().all())

    def rowcount(self, connection: Connection, params: Mapping[str, Any] = {}) -> int:  # noqa: B006
        """Run a statement without rows (UPDATE, INSERT …); the number of rows it matched."""
        return self._execute(connection, params).rowcount
