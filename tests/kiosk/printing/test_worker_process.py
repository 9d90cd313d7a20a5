"""The print worker as a process of its own: `tambon serve` starts it, a supervisor restarts it after
SIGKILL, and every ticket still prints exactly once (a job cut off mid-send is reprinted as สำเนา / COPY)."""

from __future__ import annotations

import os
import signal
import sqlite3
from dataclasses import replace
from pathlib import Path

import psutil
import requests

from kiosk.printing.models import JobKind, JobStatus
from kiosk.printing.render import printed_dots
from tambon.supervisor import Supervisor, companion
from tests.integration.server import Server
from tests.kiosk.printing.conftest import worker
from tests.kiosk.printing.test_outbox import expected_raster, issue, jobs, same_image
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[3]


def wait_for(condition, timeout: float = 30, what: str = "condition"):
    return wait_until(condition, timeout=timeout, what=what)


def print_workers(root_pid: int) -> list[psutil.Process]:
    found = []
    for child in psutil.Process(root_pid).children(recursive=True):
        try:
            command = child.cmdline()
            if child.status() != psutil.STATUS_ZOMBIE and "tambon.cli" in command and "printer" in command:
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def printed_rows(instance: Path) -> int:
    with sqlite3.connect(instance / "tambon.sqlite3") as db:
        return db.execute("SELECT count(*) FROM print_jobs WHERE status = 'printed'").fetchone()[0]


def test_serve_starts_the_print_worker_and_restarts_it_after_sigkill(tmp_path, printer):
    instance = tmp_path / "instance"
    server = Server({"TAMBON_INSTANCE": str(instance), "PRINTER_URL": printer.url,
                     "PUBLIC_BASE_URL": "https://q.example.go.th"})
    server.env.pop("DATABASE_URL", None)
    server.env.pop("PRINT_WORKER", None)
    server.cli("db", "upgrade")
    server.cli("demo")
    server.start()
    try:
        [first] = wait_for(lambda: print_workers(server.proc.pid), what="the print worker process")
        assert "run" in first.cmdline()
        assert requests.post(server.base + "/api/v1/tickets", json={"service": "TAX"}, timeout=10).status_code == 201
        wait_for(lambda: len(printer.jobs) == 1, what="the first ticket on paper")
        # ... and recorded as printed: a kill between the two would rightly reprint it as a copy
        wait_for(lambda: printed_rows(instance) == 1, what="the first ticket recorded as printed")

        first.send_signal(signal.SIGKILL)
        first.wait(10)
        [second] = wait_for(lambda: print_workers(server.proc.pid), what="the restarted print worker")
        assert second.pid != first.pid
        for service in ("WELFARE", "BUILD"):
            res = requests.post(server.base + "/api/v1/tickets", json={"service": service}, timeout=10)
            assert res.status_code == 201
        wait_for(lambda: len(printer.jobs) == 3, what="the tickets issued after the restart on paper")
    finally:
        server.stop()
    assert not print_workers(os.getpid())
    assert len(printer.settle()) == 3
    with sqlite3.connect(instance / "tambon.sqlite3") as db:
        assert db.execute("SELECT status, count(*) FROM print_jobs GROUP BY status").fetchall() == [("printed", 3)]
    assert not (instance / "printer-worker.json").exists()  # the worker stopped with the server


def test_worker_killed_while_sending_is_restarted_and_each_ticket_prints_exactly_once(printing_app, printer,
                                                                                        tmp_path):
    client = printing_app.test_client()
    numbers = [issue(client, service)["number"] for service in ("TAX", "WELFARE", "BUILD")]
    env = {**os.environ, "DATABASE_URL": printing_app.config["DATABASE_URL"], "PRINTER_URL": printer.url,
           "TAMBON_INSTANCE": str(tmp_path / "worker-instance"), "PUBLIC_BASE_URL": "https://q.example.go.th",
           "PRINT_POLL_SECONDS": "0.2"}
    supervisor = Supervisor(companion("printer", "run"), env=env)
    killed: list[int] = []

    def kill_after_the_first_job(_n, job):
        # The worker asks for status after sending a whole ticket: kill it right there, before it can
        # record the job as printed (the one window no protocol closes).
        if not killed and any(c[0] == "cut" for c in job.commands) and supervisor.proc is not None:
            killed.append(supervisor.proc.pid)
            os.kill(supervisor.proc.pid, signal.SIGKILL)
            return False
        return True

    printer.on_status = kill_after_the_first_job
    supervisor.start()
    try:
        wait_for(lambda: killed and supervisor.restarts >= 1, what="the worker killed and restarted")
        wait_for(lambda: len(printer.jobs) == 4, what="three tickets and one COPY on paper")
    finally:
        supervisor.stop()
    assert supervisor.proc.pid != killed[0]
    printed = printer.settle()
    assert len(printed) == 4
    rows = jobs(printing_app)
    assert [(r.kind, r.status) for r in rows] == [
        (JobKind.ISSUE, JobStatus.INTERRUPTED), (JobKind.ISSUE, JobStatus.PRINTED),
        (JobKind.ISSUE, JobStatus.PRINTED), (JobKind.RECOVERY, JobStatus.PRINTED)]
    # on paper: each ticket once, plus the cut-off one again marked สำเนา / COPY, in the outbox's order
    expected = [printed_dots(expected_raster(printing_app, r)).tobytes() for r in rows]
    assert [printed_dots(p.image()).tobytes() for p in printed] == expected
    assert rows[3].copy and rows[3].replaces_job_id == rows[0].id
    assert [r.payload["number"] for r in rows] == [*numbers, numbers[0]]
    assert same_image(printed[3].image(), expected_raster(printing_app, rows[3]))


def test_printer_run_with_nothing_to_print_is_not_restarted(app_factory, tmp_path):
    app = app_factory(PRINTER_URL="none")
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "PRINTER_URL": "none",
           "TAMBON_INSTANCE": str(tmp_path / "worker-instance")}
    supervisor = Supervisor(companion("printer", "run"), env=env).start()
    wait_for(lambda: supervisor.proc is not None and supervisor.proc.poll() is not None, what="the worker to exit")
    supervisor.stop()
    assert supervisor.restarts == 0


def test_a_backlog_longer_than_one_pass_prints_without_waiting_for_the_poll(printing_app, printer, tmp_path):
    """A pass stops at pass_jobs (to write the heartbeat); the next pass starts at once, not after
    PRINT_POLL_SECONDS (here an hour, and no wake-ups: nothing else would start it)."""
    import threading

    from kiosk.printing import process

    w = worker(printing_app)
    w.pass_jobs = 2
    w.settings = replace(w.settings, poll=3600)
    client = printing_app.test_client()
    for _ in range(5):
        issue(client)
    folder = tmp_path / "worker"
    folder.mkdir()
    stop = threading.Event()
    runner = threading.Thread(target=process.run, args=(w, folder), kwargs={"stop": stop})
    runner.start()
    try:
        wait_for(lambda: len(printer.jobs) == 5, what="all five tickets on paper, three passes")
    finally:
        stop.set()
        process.wake(folder)
        runner.join(10)
    assert [j.status for j in jobs(printing_app)] == [JobStatus.PRINTED] * 5
