"""An office upgrading from the previous release: its database (with a morning of real activity, made by the
release's own code — tests/data/make_release_fixture.py) is loaded into a fresh database, the current
`tambon db upgrade` runs as a subprocess, and then every row is still there, the schema is at every current
head and matches the models, and the service carries on: the day's numbering continues without a duplicate,
counters call the next citizen, the release's API token still works, complaints are found by tracking code.

Written against whatever heads exist: later migrations need no change here, unless they drop data.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from tambon import migrate
from tambon.db import get_session, make_engine
from tests.conftest import make_app
from tests.test_migrations import drift

RELEASE = "0.1.0"
DATA = Path(__file__).resolve().parent / "data"
MANIFEST = json.loads((DATA / f"release-{RELEASE}.json").read_text())
TAMBON = str(Path(sys.executable).with_name("tambon"))

# Beyond each table's primary key, the columns whose values must survive an upgrade unchanged.
KEY_COLUMNS = {
    "users": ["username", "role", "password_hash"],
    "api_tokens": ["token_hash", "user_id"],
    "services": ["code", "prefix", "name_th"],
    "counters": ["name"],
    "daily_sequences": ["last_number"],
    "tickets": ["public_id", "issued_service_id", "service_id", "number", "label", "status", "counter_id", "priority"],
    "ticket_events": ["ticket_id", "type"],
    "complaints": ["tracking_code", "status", "subject", "pin_hash"],
    "complaint_events": ["complaint_id", "type"],
}


@pytest.fixture(params=["sqlite", "postgresql"])
def release_db(request, tmp_path):
    """A fresh database holding exactly the previous release's dump; yields (URL, manifest)."""
    if request.param == "sqlite":
        path = tmp_path / "release.sqlite3"
        with sqlite3.connect(path) as conn:
            conn.executescript((DATA / f"release-{RELEASE}.sqlite.sql").read_text())
        yield f"sqlite:///{path}", MANIFEST["sqlite"]
        return
    admin = request.getfixturevalue("pg_available")
    if shutil.which("psql") is None:
        pytest.skip("psql (PostgreSQL client) not installed: needed to load a plain pg_dump")
    import psycopg

    name = f"tambon_up_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = re.sub(r"/[^/]*$", f"/{name}", admin)
    try:
        loaded = subprocess.run(["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", url, "-f",
                                 str(DATA / f"release-{RELEASE}.postgresql.sql")], capture_output=True, text=True,
                                timeout=60)
        assert loaded.returncode == 0, loaded.stderr
        yield url, MANIFEST["postgresql"]
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every table's rows as (primary key…, key columns…), sorted."""
    engine = make_engine(url)
    try:
        inspector = inspect(engine)
        rows = {}
        with engine.connect() as conn:
            for table in inspector.get_table_names():
                if table == "alembic_version":
                    continue
                columns = inspector.get_pk_constraint(table)["constrained_columns"] + KEY_COLUMNS.get(table, [])
                quoted = ", ".join(f'"{c}"' for c in columns)
                rows[table] = sorted(tuple(r) for r in conn.execute(text(f'SELECT {quoted} FROM "{table}"')))  # noqa: S608
        return rows
    finally:
        engine.dispose()


def current_heads(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def newest_heads(tmp_path_factory) -> set[str]:
    """What a database fresh from `upgrade heads` records (a head reached through depends_on, such as
    tambon_0001, is not listed on its own)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('heads') / 'fresh.sqlite3'}"
    migrate.upgrade(url)
    recorded = current_heads(url)
    assert recorded <= set(ScriptDirectory.from_config(migrate.alembic_config(url)).get_heads())
    return recorded


def test_release_fixture_is_the_release_schema():
    """The dumps hold the release's revisions, and activity worth upgrading."""
    for dump in ("sqlite", "postgresql"):
        body = (DATA / f"release-{RELEASE}.{dump}.sql").read_text()
        assert "kiosk_0002" in body and "reports_0001" in body
    assert MANIFEST["release"] == f"v{RELEASE}"


def test_upgrade_from_previous_release_keeps_every_row_and_the_service_works(release_db, newest_heads, tmp_path):
    url, manifest = release_db
    before = snapshot(url)
    assert len(before["tickets"]) >= 10 and len(before["complaints"]) >= 2  # the fixture has data to lose
    assert current_heads(url) == set(MANIFEST["revisions"])

    env = {**os.environ, "DATABASE_URL": url, "TAMBON_INSTANCE": str(tmp_path / "instance"), "PRINTER_URL": "none"}
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    upgraded = subprocess.run([TAMBON, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Database is up to date" in upgraded.stdout

    # Every row that was there is still there, with its key columns unchanged (new tables may appear).
    after = snapshot(url)
    for table, rows in before.items():
        assert table in after, f"table {table} disappeared"
        assert len(after[table]) == len(rows), table
        assert after[table] == rows, table
    assert current_heads(url) == newest_heads
    assert drift(url) == []

    # The service carries on with that day's queue.
    from kiosk import queue
    from kiosk.models import Service, Ticket

    def on_day(hhmm: str) -> datetime:
        return datetime.fromisoformat(f"{manifest['day']} {hhmm}").replace(tzinfo=ZoneInfo("Asia/Bangkok"))

    app = make_app(tmp_path, url)
    try:
        with app.app_context():
            session = get_session()
            tax = session.scalar(select(Service).where(Service.code == "TAX"))
            last = max(n for n, in session.execute(select(Ticket.number).where(Ticket.issued_service_id == tax.id)))
            issued = queue.issue_ticket(session, "TAX", now=on_day("11:00"))
            assert issued.number == f"A{last + 1:03d}"
            labels = [label for label, in session.execute(select(Ticket.label).where(
                Ticket.business_date == on_day("11:00").date()))]
            assert len(labels) == len(set(labels)) == len(before["tickets"]) + 1
            called = queue.call_next(session, 3, now=on_day("11:01"))
            assert called is not None and called.status == "called"
            assert queue.complete(session, 3, now=on_day("11:02")).status == "completed"

        client = app.test_client()
        # The release's bearer token still acts for counter1: finish the ticket left called at counter 1.
        done = client.post("/api/v1/counters/1/complete", headers={"Authorization": f"Bearer {manifest['token']}"})
        assert done.status_code == 200, done.get_json()
        assert done.get_json()["ticket"]["status"] == "completed"
        for complaint in manifest["complaints"]:
            found = client.get(f"/api/v1/complaints/{complaint['tracking_code']}",
                               headers={"X-Complaint-PIN": complaint["pin"]})
            assert found.status_code == 200, found.get_json()
            assert found.get_json()["status"] == complaint["status"]
            assert found.get_json()["answer"]["subject"]
    finally:
        app.extensions["display"].wait_idle()  # the display broadcaster reads the database after each step
        app.extensions["tambon.engine"].dispose()
