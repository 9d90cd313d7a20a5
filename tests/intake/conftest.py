"""Fixtures of the complaint desk: the demo office plus a second officer and a staff member who will be
named in a complaint, and helpers to submit and log in.

HTTP tests must not hold an app context open around requests (Flask would reuse it, and ``g`` — the CSRF
token, the db session — would leak from one client to the next), so ``intake_app`` sets up its data in a
context of its own and ``db(app)`` opens one only for direct domain calls."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from tambon.auth import service as users
from tambon.auth.models import User
from tambon.auth.policy import CLI
from tambon.db import get_session
from tests.conftest import apps_on_copies, csrf_from, login, make_app

NO_LIMIT = "10000 per minute"
VALID = {"type": "complaint", "subject": "ไฟถนนดับ", "details": "ไฟถนนหน้าบ้านเลขที่ 12 ดับมาสามวันแล้ว",
         "consent": True}


def setup_office(app) -> None:
    from kiosk.demo import load_demo

    with app.app_context():
        session = get_session()
        load_demo(session)
        users.add_user(session, "officer2", "demo-password", "officer", "เจ้าหน้าที่กองช่าง", "กองช่าง", actor=CLI)
        users.add_user(session, "staff1", "demo-password", "officer", "นายถูก ร้องเรียน", "สำนักปลัด", actor=CLI)


@pytest.fixture(scope="session")
def office_template(sqlite_template, tmp_path_factory):
    """The migrated database with the office set up once (password hashing makes set-up take a second)."""
    path = tmp_path_factory.mktemp("intake_template") / "office.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_app(tmp_path_factory.mktemp("intake_instance"), f"sqlite:///{path}")
    setup_office(app)
    app.extensions["tambon.engine"].dispose()  # closes the last connection: the WAL is checkpointed
    return path


@pytest.fixture
def office_app_factory(tmp_path, office_template):
    """Like app_factory, on a copy of the set-up office."""
    with apps_on_copies(office_template, tmp_path, "office") as build:
        yield build


@pytest.fixture
def intake_app(office_app_factory):
    return office_app_factory(COMPLAINT_RATE_LIMIT=NO_LIMIT, COMPLAINT_PIN_RATE_LIMIT=NO_LIMIT)


@contextmanager
def db(app):
    with app.app_context():
        yield get_session()


@pytest.fixture
def isession(intake_app):
    """For domain tests without HTTP."""
    with db(intake_app) as session:
        yield session


def user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


@pytest.fixture
def iclient(intake_app):
    return intake_app.test_client()


def staff_client(app, username: str):
    client = app.test_client()
    response = login(client, username)
    assert response.status_code == 302, response.get_data(as_text=True)[-600:]
    return client


def page_csrf(client, path: str = "/complaints/new") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def body(**overrides) -> dict:
    data = dict(VALID)
    data.update(overrides)
    return data
