"""On PostgreSQL, a request waiting for a row lock must not stop the rest of its server process.

`tambon serve` runs gevent workers: one thread per process, switching at every network wait. psycopg
picks its wait function when it is first imported. Imported before the worker patches for gevent (it
was: the `serve` command built an app in gunicorn's master), it keeps a blocking C wait, and one query
waiting on a lock freezes every request of the worker. The saturation benchmarks showed it first: the
server used 0.6 of a core while every client waited."""

from __future__ import annotations

import threading
import time

import psycopg
import requests

from tests.integration.server import Server


def test_a_request_waiting_on_a_row_lock_leaves_the_others_running(tmp_path, pg_url):
    server = Server({"DATABASE_URL": pg_url, "TAMBON_INSTANCE": str(tmp_path / "i"), "PRINTER_URL": "none",
                     "TAMBON_WORKER_CLASS": "gevent", "TAMBON_WORKERS": "1"})
    server.cli("demo")
    token = server.cli("token", "create", "counter1").strip()
    server.start()
    answered: dict[str, object] = {}
    try:
        requests.post(server.base + "/api/v1/tickets", json={"service": "TAX"}, timeout=10).raise_for_status()
        # Someone else (a CLI, a long report) holds counter 1's row: "next" there must wait for it.
        with psycopg.connect(pg_url) as holder:
            holder.execute("SELECT id FROM counters WHERE id = 1 FOR UPDATE")

            def press_next() -> None:
                started = time.monotonic()
                reply = requests.post(server.base + "/api/v1/counters/1/next", timeout=30,
                                      headers={"Authorization": f"Bearer {token}"})
                answered["next"] = (reply.status_code, time.monotonic() - started)

            waiting = threading.Thread(target=press_next)
            waiting.start()
            time.sleep(0.5)  # the request is now blocked in PostgreSQL on the row lock
            assert "next" not in answered, "the lock holder should be holding the call back"
            started = time.monotonic()
            kiosk = requests.post(server.base + "/api/v1/tickets", json={"service": "TAX"}, timeout=5)
            queue = requests.get(server.base + "/api/v1/queue", timeout=5)
            elapsed = time.monotonic() - started
            assert kiosk.status_code == 201 and queue.status_code == 200
            assert elapsed < 2, f"the kiosk waited {elapsed:.1f} s behind another request's lock wait"
            assert "next" not in answered
            holder.rollback()  # lets the waiting call through
        waiting.join(30)
        status, waited = answered["next"]
        assert status == 200 and waited >= 0.5
    finally:
        server.stop()
