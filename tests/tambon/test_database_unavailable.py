"""A database that cannot be reached answers 503 in Thai and English (JSON under /api/, a page elsewhere),
never a 500: the request was rolled back, trying again is right. (The real thing, a PostgreSQL restart under
load, is tests/integration/test_pg_restart.py.)"""

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from tambon.db import _begin_connection, make_engine
from tests.conftest import make_app


def test_unreachable_database_is_a_bilingual_503(tmp_path):
    # SQLite cannot open a folder as a database: a real OperationalError on every connection.
    (tmp_path / "db.sqlite3").mkdir()
    app = make_app(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    client = app.test_client()
    api = client.post("/api/v1/tickets", json={"service": "TAX"})
    assert api.status_code == 503
    assert api.headers["Retry-After"] == "2"
    error = api.get_json()["error"]
    assert error["code"] == "database_unavailable"
    assert "ฐานข้อมูล" in error["message_th"] and "database" in error["message_en"]
    page = client.get("/healthz")
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert "ฐานข้อมูลไม่พร้อมชั่วคราว" in html and "temporarily unavailable" in html


def test_a_write_lock_held_past_the_busy_timeout_is_an_operational_error(tmp_path):
    # BEGIN IMMEDIATE goes straight to the driver (tambon/db.py): its "database is locked" must still reach the
    # app as SQLAlchemy's OperationalError, which is answered 503, not as a bare sqlite3 error (a 500).
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")  # another program (not this app's write lock) holds SQLite's
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA busy_timeout=50")
            with pytest.raises(OperationalError, match="locked"):
                _begin_connection(connection, sqlite=True)  # BEGIN IMMEDIATE, as a write begins
            assert connection.execute(text("SELECT 1")).scalar() == 1  # a plain read still begins
    finally:
        engine.dispose()
        holder.rollback()
        holder.close()
