"""The crash window and concurrent workers: a job is never sent twice; the one unavoidable case (the
process dies after sending, before recording) reprints the ticket marked สำเนา / COPY."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.models import EventType, TicketEvent
from kiosk.printing import outbox
from kiosk.printing.models import JobKind, JobStatus
from kiosk.printing.render import printed_dots
from tambon.db import get_session
from tambon.thaidate import utcnow
from tests.conftest import make_app
from tests.kiosk.printing.conftest import worker
from tests.kiosk.printing.test_outbox import expected_raster, issue, jobs, same_image

ROOT = Path(__file__).resolve().parents[3]
WORKER_SCRIPT = textwrap.dedent("""
    import sys
    from tambon import create_app
    app = create_app({"INSTANCE_PATH": sys.argv[3], "DATABASE_URL": sys.argv[1], "TESTING": True,
                      "SECRET_KEY": "x", "PRINTER_URL": sys.argv[2], "PUBLIC_BASE_URL": "https://q.example.go.th"})
    app.extensions["kiosk.printing"].drain_once()
    print("finished without being killed")
""")


def test_worker_killed_after_sending_reprints_the_ticket_as_copy(printing_app, printer, tmp_path):
    client = printing_app.test_client()
    body = issue(client)
    proc = None

    def kill_after_the_job(n, job):
        # The worker asks for status again after sending the whole ticket: die right there, before it
        # can record the job as printed (the one window no protocol closes).
        if any(c[0] == "cut" for c in job.commands) and proc is not None:
            os.kill(proc.pid, signal.SIGKILL)
            return False
        return True

    printer.on_status = kill_after_the_job
    proc = subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT, printing_app.config["DATABASE_URL"], printer.url,
                             str(tmp_path / "worker-instance")], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, (out, err)
    printer.on_status = None
    [first] = printer.settle()
    [job] = jobs(printing_app)
    assert job.status == JobStatus.SENDING and job.claimed_by.endswith(f":{proc.pid}")

    # This process starts its worker: the dead worker's job is retired and reprinted as a COPY.
    assert worker(printing_app).drain_once() == 1
    original_print, copy_print = printer.settle()
    assert original_print is first
    old, new = jobs(printing_app)
    assert old.status == JobStatus.INTERRUPTED and "stopped while sending" in old.last_error
    assert new.kind == JobKind.RECOVERY and new.copy and new.replaces_job_id == old.id
    assert new.status == JobStatus.PRINTED
    assert same_image(copy_print.image(), expected_raster(printing_app, new))
    assert same_image(first.image(), expected_raster(printing_app, old))
    # the copy carries the black สำเนา / COPY band at the top; the original does not
    top = (0, 0, copy_print.image().width, 8)
    assert printed_dots(copy_print.image().crop(top)).getbbox() is not None
    assert printed_dots(first.image().crop(top)).getbbox() is None
    # never a third print
    assert worker(printing_app).drain_once(now=utcnow() + timedelta(hours=1)) == 0
    assert len(printer.settle()) == 2
    with printing_app.app_context():
        event = get_session().scalar(select(TicketEvent).where(TicketEvent.type == EventType.REPRINTED))
        assert event.outcome == "interrupted" and event.detail["replaces_job_id"] == old.id
    assert body["number"] == new.payload["number"]


def test_a_live_workers_job_is_left_alone_until_its_lease_runs_out(printing_app, printer):
    issue(printing_app.test_client())
    w = worker(printing_app)
    now = utcnow()
    with printing_app.app_context():
        session = get_session()
        job = outbox.claim(session, now, "another-host:4242")  # a worker on another machine is sending it
        assert job is not None
        assert outbox.recover_interrupted(session, now + timedelta(seconds=30), w.settings) == []
        assert outbox.claim(session, now, "me:1") is None  # nobody else may take it meanwhile
        copies = outbox.recover_interrupted(session, now + timedelta(seconds=w.settings.send_lease + 1), w.settings)
        assert len(copies) == 1
    assert w.drain_once(now=now + timedelta(seconds=w.settings.send_lease + 2)) == 1
    [printed] = printer.settle()
    assert same_image(printed.image(), expected_raster(printing_app, jobs(printing_app)[1]))


def _concurrent_workers_print_each_job_once(app, printer):
    from kiosk.demo import load_demo

    with app.app_context():
        load_demo(get_session())
    client = app.test_client()
    for i in range(12):
        issue(client, ("TAX", "WELFARE", "BUILD")[i % 3])
    w = worker(app)
    threads = [threading.Thread(target=w.drain_once) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    printed = printer.settle()
    rows = jobs(app)
    assert [r.status for r in rows] == [JobStatus.PRINTED] * 12
    assert len(printed) == 12
    expected = [printed_dots(expected_raster(app, r)).tobytes() for r in rows]
    received = [printed_dots(p.image()).tobytes() for p in printed]
    assert sorted(received) == sorted(expected) and len(set(received)) == 12  # each exactly once


def test_concurrent_workers_sqlite(app_factory, printer):
    _concurrent_workers_print_each_job_once(app_factory(PRINTER_URL=printer.url, RATELIMIT_ENABLED=False), printer)


@pytest.mark.postgres
def test_concurrent_workers_postgresql(tmp_path, pg_url, printer):
    app = make_app(tmp_path, pg_url, PRINTER_URL=printer.url, RATELIMIT_ENABLED=False)
    try:
        _concurrent_workers_print_each_job_once(app, printer)
    finally:
        app.extensions["tambon.engine"].dispose()
