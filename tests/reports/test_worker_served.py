"""The real server (`tambon serve`) makes reports in the report worker process it starts: a counter's
request is answered while a report is still being made, and a killed worker is started again."""

from __future__ import annotations

import os
import re
import signal
import threading

import requests

from reports import worker
from tests.integration.server import Server
from tests.waiting import wait_until


def _logged_in(server: Server, username: str) -> requests.Session:
    http = requests.Session()
    form = http.get(server.base + "/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    done = http.post(server.base + "/login", data={"username": username, "password": "demo-password",
                                                   "csrf_token": token}, timeout=30, allow_redirects=False)
    assert done.status_code == 302
    return http


def test_counters_are_served_while_a_report_is_made_and_a_killed_worker_comes_back(tmp_path):
    instance = tmp_path / "i"
    server = Server({"DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}", "TAMBON_INSTANCE": str(instance),
                     "PRINTER_URL": "none", "REPORTS_WORKER": "process"}, log=tmp_path / "server.log")
    server.cli("db", "upgrade")
    server.cli("demo")
    token = server.cli("token", "create", "counter1").strip()
    server.start()
    try:
        first = wait_until(lambda: worker.worker_state(instance), 60, "the report worker")
        executive = _logged_in(server, "executive")
        # The worker is held still: the PDF cannot be made until it goes on, whatever the machine's speed.
        os.kill(first["pid"], signal.SIGSTOP)
        answers: list[requests.Response] = []
        try:
            making = threading.Thread(target=lambda: answers.append(
                executive.get(f"{server.base}/reports/quarterly.pdf?fiscal_year=2570&quarter=1", timeout=300)))
            making.start()
            issued = requests.post(f"{server.base}/api/v1/tickets", json={"service": "TAX"}, timeout=30)
            called = requests.post(f"{server.base}/api/v1/counters/1/next", timeout=30,
                                   headers={"Authorization": f"Bearer {token}"})
            assert issued.status_code == 201 and called.status_code == 200
            assert making.is_alive() and not answers, "the PDF was made without the worker"
        finally:
            os.kill(first["pid"], signal.SIGCONT)
        making.join(300)
        assert answers[0].status_code == 200 and answers[0].content.startswith(b"%PDF")

        os.kill(first["pid"], signal.SIGKILL)  # a crash: its supervisor starts another
        dashboard = executive.get(f"{server.base}/reports/?preset=quarter", timeout=300)
        assert dashboard.status_code == 200 and "data:image/png;base64," in dashboard.text
        second = wait_until(lambda: worker.worker_state(instance), 60, "the restarted report worker")
        assert second["pid"] != first["pid"] and second["jobs"] >= 1
        assert requests.get(f"{server.base}/healthz", timeout=30).status_code == 200
    finally:
        server.stop()
