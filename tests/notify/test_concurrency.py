"""Several workers (threads and processes share the same claim) empty the outbox together: every notice
goes out exactly once, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from kiosk.demo import load_demo
from notify.models import NoticeStatus
from notify.notices import EXTENSION
from tambon.db import get_session
from tests.conftest import make_app
from tests.notify.conftest import notify_config, text_event, webhook
from tests.notify.test_line import CITIZEN, drain, notices, officer_does, submit

NOTES = 24


def _workers_send_each_notice_once(app, line_api) -> None:
    client = app.test_client()
    receipt = submit(client)
    webhook(client, text_event(CITIZEN, receipt["line_link_code"]))
    drain(app)  # the reply
    officer_does(app, "acknowledge", receipt["tracking_code"])
    for n in range(NOTES - 1):
        officer_does(app, "progress", receipt["tracking_code"], note=f"ความคืบหน้าครั้งที่ {n + 1}")
    service = app.extensions[EXTENSION]
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def work():
        try:
            start.wait()
            service.drain_once()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    keys = [p["retry_key"] for p in line_api.pushes]
    assert len(keys) == NOTES == len(set(keys))
    assert {n.status for n in notices(app)} == {NoticeStatus.SENT}


def test_concurrent_workers_sqlite(napp, line_api):
    _workers_send_each_notice_once(napp, line_api)


@pytest.mark.postgres
def test_concurrent_workers_postgresql(tmp_path, pg_url, line_api):
    app = make_app(tmp_path, pg_url, **notify_config(line_api))
    try:
        with app.app_context():
            session = get_session()
            load_demo(session)
        _workers_send_each_notice_once(app, line_api)
    finally:
        app.extensions["tambon.engine"].dispose()


