"""On PostgreSQL, a request waiting for a row lock must not stop the rest of its server process.

`tambon serve` runs gevent workers: one thread per process, switching at every network wait. psycopg
picks its wait function when it is first imported. Imported before the worker patches for gevent (it
was: the `serve` command built an app in gunicorn's master), it keeps a blocking C wait, and one query
waiting on a lock freezes every request of the worker. The saturation benchmarks showed it first: the
server used 0.6 of a core while every client waited."""

from __future__ import annotations

import threading

import psycopg
import requests

from tests.integration.server import Server
from tests.waiting import wait_until


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
        with psycopg.connect(pg_url) as holder, psycopg.connect(pg_url, autocommit=True) as watcher:
            holder.execute("SELECT id FROM counters WHERE id = 1 FOR UPDATE")

            def lock_waiters() -> int:
                return watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                       " AND datname = current_database()").fetchone()[0]

            def press_next() -> None:
                reply = requests.post(server.base + "/api/v1/counters/1/next", timeout=60,
                                      headers={"Authorization": f"Bearer {token}"})
                answered["next"] = reply.status_code

            waiting = threading.Thread(target=press_next)
            waiting.start()
            wait_until(lambda: lock_waiters() == 1, timeout=30, what="the call blocked in PostgreSQL on the row lock")
            # The worker's other requests are answered while that one still waits: the lock is only let go
            # after they are (a worker frozen by the wait would never answer them).
            kiosk = requests.post(server.base + "/api/v1/tickets", json={"service": "TAX"}, timeout=30)
            queue = requests.get(server.base + "/api/v1/queue", timeout=30)
            assert kiosk.status_code == 201 and queue.status_code == 200
            assert "next" not in answered and lock_waiters() == 1
            holder.rollback()  # lets the waiting call through
        waiting.join(60)
        assert answered["next"] == 200
    finally:
        server.stop()
