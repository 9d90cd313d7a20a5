"""Report work in the report worker process (reports/worker.py): the same figures and documents as in the
request, errors as 4xx/503 in Thai and English, never a 500 or a hung request."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from docx import Document

from reports import worker
from tests.conftest import login
from tests.reports.conftest import build_history
from tests.waiting import wait_until

TAMBON = str(Path(sys.executable).with_name("tambon"))


@pytest.fixture
def pair(app_factory):
    """Two apps on one history: report work in the request, and in a worker process."""
    from tambon.db import get_session

    inline = app_factory()
    with inline.app_context():
        build_history(get_session())
    process = app_factory(DATABASE_URL=inline.config["DATABASE_URL"], REPORTS_WORKER="process",
                          REPORTS_WORKER_START_SECONDS=60)
    return inline, process


@pytest.fixture
def report_worker(pair):
    """`tambon report worker` for the process app, as `tambon serve` starts it."""
    _, app = pair
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "TAMBON_INSTANCE": app.config["INSTANCE_PATH"],
           "PRINTER_URL": "none", "SECRET_KEY": "test-secret"}
    proc = subprocess.Popen([TAMBON, "report", "worker", "--nice", "0"], env=env, stdout=subprocess.DEVNULL)
    try:
        wait_until(lambda: worker.worker_state(app.config["INSTANCE_PATH"]), 60, "the report worker")
        yield proc
    finally:
        proc.terminate()
        proc.wait(30)


def _pages(app) -> dict[str, bytes]:
    client = app.test_client()
    login(client, "executive")
    out = {}
    for name, path in (("preview", "/reports/quarterly?fiscal_year=2570&quarter=1"),
                       ("docx", "/reports/quarterly.docx?fiscal_year=2570&quarter=1"),
                       ("csv", "/reports/figures.csv?start=2026-10-01&end=2026-12-31"),
                       ("dashboard", "/reports/?start=2026-10-01&end=2026-12-31")):
        got = client.get(path)
        assert got.status_code == 200, (name, got.get_data(as_text=True)[:500])
        out[name] = got.data
    bad = client.get("/reports/quarterly.docx?fiscal_year=2570&quarter=5")  # refused by the job itself
    assert bad.status_code == 422 and "ไตรมาสต้องเป็น 1 ถึง 4" in bad.get_data(as_text=True)
    return out


def _article(page: bytes) -> bytes:
    return page[page.index(b"<article"):page.index(b"</article>")]


def _docx_text(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]


def test_report_work_runs_in_the_worker_process_with_the_same_results(pair, report_worker):
    inline, process = pair
    instance = process.config["INSTANCE_PATH"]
    here = _pages(inline)
    there = _pages(process)
    state = worker.worker_state(instance)
    assert state is not None and state["pid"] == report_worker.pid != os.getpid()
    assert state["jobs"] == 5  # preview, docx, csv, dashboard and the refused docx: all made there
    assert _article(here["preview"]) == _article(there["preview"]) and here["csv"] == there["csv"]
    assert _docx_text(here["docx"]) == _docx_text(there["docx"])
    assert '<div class="value" id="fig-issued">7</div>' in there["dashboard"].decode()
    assert there["dashboard"].count(b"data:image/png;base64,") == here["dashboard"].count(b"data:image/png;base64,")


class FakeWorker:
    """A socket where the worker's would be, that reads the job and then closes, or never answers."""

    def __init__(self, instance: str, answer: bool):
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(worker.socket_path(instance)))
        self.listener.listen(4)
        self.answer = answer
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            conn.recv(1 << 16)
            if self.answer:
                conn.close()  # dies mid-job
            else:
                self.connections.append(conn)  # thinks forever

    def close(self) -> None:
        self.listener.close()
        for conn in self.connections:
            conn.close()


def _unavailable(got, english: str) -> None:
    text = got.get_data(as_text=True)
    assert got.status_code == 503, text[:300]
    assert "ระบบจัดทำรายงาน" in text or "การจัดทำรายงาน" in text
    assert english in text


@pytest.mark.parametrize("case", ["dies", "too slow", "never started"])
def test_worker_trouble_is_a_503_in_both_languages(app_factory, case):
    app = app_factory(REPORTS_WORKER="process", REPORTS_WORKER_TIMEOUT_SECONDS=0.3,
                      REPORTS_WORKER_START_SECONDS=0.3)
    from kiosk.demo import load_demo
    from tambon.db import get_session

    with app.app_context():
        load_demo(get_session())
    fake = None if case == "never started" else FakeWorker(app.config["INSTANCE_PATH"], answer=case == "dies")
    try:
        client = app.test_client()
        login(client, "executive")
        got = client.get("/reports/quarterly.pdf?fiscal_year=2570&quarter=1")
        english = {"dies": "stopped while making the report", "too slow": "took too long",
                   "never started": "not running"}[case]
        _unavailable(got, english)
    finally:
        if fake is not None:
            fake.close()


def test_a_failing_job_is_a_503_and_the_worker_goes_on(tmp_path):
    """An unexpected error in a job is answered as a 503 (its traceback stays in the worker's log); the next
    job is answered as usual."""
    def run_job(job: str, kwargs: dict):
        if job == "broken":
            raise RuntimeError("a bug")
        return {"job": job, **kwargs}

    stop = threading.Event()
    serving = threading.Thread(target=worker.serve, args=(run_job, tmp_path), kwargs={"stop": stop})
    serving.start()
    try:
        with pytest.raises(worker.ReportsUnavailable) as failed:
            worker.ask(tmp_path, "broken", {}, timeout=60, start_seconds=60)
        assert failed.value.status == 503 and "ไม่สำเร็จ" in failed.value.message_th
        assert worker.ask(tmp_path, "fine", {"n": 1}, timeout=60, start_seconds=60) == {"job": "fine", "n": 1}
    finally:
        stop.set()
        serving.join(30)
