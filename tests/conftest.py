"""Shared fixtures: a real migrated database per test (SQLite file, or a fresh PostgreSQL database)."""

from __future__ import annotations

import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from tambon import create_app, migrate
from tambon.db import get_session

PG_ADMIN_URL = os.environ.get("TAMBON_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TAMBON_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """Migrate once; each test copies the file (much faster than migrating per test)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate.upgrade(f"sqlite:///{path}")
    return path


def make_app(tmp_path, database_url: str, **overrides):
    config = {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database_url, "TESTING": True,
              "SECRET_KEY": "test-secret", "PRINTER_URL": "none"}
    config.update(overrides)
    return create_app(config)


@contextmanager
def apps_on_copies(template, tmp_path, stem: str = "db"):
    """A builder of apps, each on its own copy of a prepared SQLite file; disposes them afterwards."""
    apps = []

    def build(**overrides):
        path = tmp_path / f"{stem}{len(apps)}.sqlite3"
        shutil.copy(template, path)
        app = make_app(tmp_path, f"sqlite:///{path}", **overrides)
        apps.append(app)
        return app

    try:
        yield build
    finally:
        for app in apps:
            app.extensions["tambon.engine"].dispose()


@pytest.fixture
def app_factory(tmp_path, sqlite_template):
    """Build apps on a fresh copy of the migrated SQLite database; call with config overrides."""
    with apps_on_copies(sqlite_template, tmp_path) as build:
        yield build


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def session(app):
    with app.app_context():
        yield get_session()


@pytest.fixture
def office(session):
    """The demo office for domain-function tests (keeps the app context open; HTTP tests use `demo`):
    services TAX(A) WELFARE(B) BUILD(C) HELP(D), counters 1–3, demo staff."""
    from kiosk.demo import load_demo

    load_demo(session)
    return session


@pytest.fixture
def demo(app):
    """The demo office for HTTP tests: loaded in a context that is closed again, so each request gets
    its own app context (and its own `g`), exactly as in production."""
    from kiosk.demo import load_demo

    with app.app_context():
        load_demo(get_session())
    return app


@contextmanager
def served(app) -> Iterator[str]:
    """The app on a free loopback port (werkzeug's threaded server, WebSockets through simple-websocket),
    in a background thread; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


@pytest.fixture
def live_server(app, office):
    """The demo office served on a real TCP port, for browser and Socket.IO tests."""
    with served(app) as url:
        yield url


@pytest.fixture
def client(app):
    return app.test_client()


# --- PostgreSQL ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def pg_available():
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
    return PG_ADMIN_URL


@pytest.fixture
def pg_url(pg_available):
    """A fresh, migrated PostgreSQL database for one test, dropped afterwards."""
    import psycopg

    name = f"tambon_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_available, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = re.sub(r"/[^/]*$", f"/{name}", pg_available)
    migrate.upgrade(url)
    yield url
    with psycopg.connect(pg_available, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_app(tmp_path, pg_url):
    app = make_app(tmp_path, pg_url)
    yield app
    app.extensions["tambon.engine"].dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request, app_factory, tmp_path):
    """The same test on the embedded SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield app_factory()
    else:
        yield request.getfixturevalue("pg_app")


@pytest.fixture(scope="session")
def redis_available():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # pragma: no cover
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    return REDIS_URL


# --- helpers ---------------------------------------------------------------------------------------

def at(text: str) -> datetime:
    """An aware instant from 'YYYY-MM-DD HH:MM' in Bangkok local time."""
    from zoneinfo import ZoneInfo

    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Asia/Bangkok")).astimezone(UTC)


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client, username: str, password: str = "demo-password"):
    page = client.get("/login")
    token = csrf_from(page.get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def bearer(app, username: str) -> dict:
    from tambon.auth import service
    from tambon.auth.policy import CLI

    with app.app_context():
        return {"Authorization": "Bearer " + service.create_token(get_session(), username, actor=CLI)}


def set_user_row(app, username: str, **values) -> None:
    """Change a user's row behind the app's back (as an admin elsewhere would), bypassing every cache."""
    from sqlalchemy import update

    from tambon.auth.models import User
    from tambon.db import write_transaction

    with app.app_context():
        session = get_session()
        with write_transaction(session):
            session.execute(update(User).where(User.username == username).values(**values))
