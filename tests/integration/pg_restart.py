"""PostgreSQL restarted (and crashed) under load, with the real server left running: one experiment, shared by
tests/integration/test_pg_restart.py and `python -m bench.reliability`.

A private cluster (tests/integration/pgcluster.py) serves the office's database; `tambon serve` runs on it;
client threads issue tickets over HTTP without pause while PostgreSQL is restarted with ``pg_ctl restart``
in each given mode. Then: how long until tickets were issued again, what the requests during the outage got,
and an audit of the database (every acknowledged ticket stored exactly once, numbering without a duplicate
or a gap).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests
from sqlalchemy import create_engine, text

from tests.integration.pgcluster import PrivateCluster
from tests.integration.server import Server
from tests.waiting import wait_until


@dataclass
class Call:
    started: float
    ended: float
    status: int | str  # HTTP status, or the exception's class name when no answer came
    body: dict | None


@dataclass
class Restart:
    mode: str
    began: float
    back: float  # when pg_ctl reported the server accepting connections again

    @property
    def outage(self) -> float:
        return self.back - self.began


@dataclass
class RestartResult:
    restarts: list[Restart]
    calls: list[Call]
    recovery: list[float] = field(default_factory=list)  # seconds from PostgreSQL back to the first 201
    failed_after: list[int] = field(default_factory=list)  # non-201 answers to requests sent after the first 201
    acknowledged: int = 0
    stored: int = 0
    lost: list = field(default_factory=list)
    duplicate_ids: int = 0
    numbering_ok: bool = True
    unacknowledged_stored: int = 0

    @property
    def statuses(self) -> Counter:
        return Counter(c.status for c in self.calls)

    @property
    def unclean(self) -> list[Call]:
        """Answers that are neither a ticket nor a clean, bilingual 503."""
        return [c for c in self.calls if not (c.status == 201 or (
            c.status == 503 and c.body is not None and c.body.get("error", {}).get("message_th")
            and c.body["error"].get("message_en")))]

    @property
    def failed_after_recovery(self) -> int:
        return sum(self.failed_after)

    @property
    def slowest(self) -> float:
        return max(c.ended - c.started for c in self.calls)


def _client(base: str, stop: threading.Event, calls: list[Call], timeout: float) -> None:
    http = requests.Session()
    while not stop.is_set():
        started = time.monotonic()
        try:
            response = http.post(base + "/api/v1/tickets", json={"service": "TAX"}, timeout=timeout)
            try:
                body = response.json()
            except ValueError:
                body = None
            calls.append(Call(started, time.monotonic(), response.status_code, body))
        except requests.RequestException as exc:
            calls.append(Call(started, time.monotonic(), type(exc).__name__, None))
            time.sleep(0.05)
        if calls[-1].status != 201:
            time.sleep(0.02)  # a real kiosk would not hammer a failing server


def _issued_since(calls: list[Call], since: float) -> int:
    return sum(1 for c in list(calls) if c.status == 201 and c.started >= since)


def run_restarts(instance: str, modes: list[str], clients: int = 4, settle: float = 2.0, fsync: bool = True,
                 timeout: float = 10.0, tickets: int = 0) -> RestartResult:
    """Before the first restart and after each one: `settle` seconds of load and at least `tickets` tickets
    issued (the test asks for tickets and no seconds, so a loaded machine cannot cut a window short)."""
    restarts: list[Restart] = []
    calls: list[Call] = []
    with PrivateCluster(fsync=fsync) as cluster:
        url = cluster.create_database("tambon")
        server = Server({"DATABASE_URL": url, "TAMBON_INSTANCE": instance, "PRINTER_URL": "none",
                         "TAMBON_THREADS": "16"})
        server.cli("db", "upgrade")
        server.cli("demo")
        stop = threading.Event()
        threads = [threading.Thread(target=_client, args=(server.base, stop, calls, timeout), daemon=True)
                   for _ in range(clients)]
        try:
            server.start()
            for t in threads:
                t.start()
            loaded = time.monotonic()
            time.sleep(settle)
            wait_until(lambda: _issued_since(calls, loaded) >= tickets, timeout=120, what="tickets before a restart")
            for mode in modes:
                began = time.monotonic()
                cluster.restart(mode)
                back = time.monotonic()
                restarts.append(Restart(mode, began, back))
                time.sleep(settle)
                wait_until(lambda back=back: _issued_since(calls, back) >= tickets, timeout=120,
                           what=f"tickets after the {mode} restart")
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=timeout + 5)
            server.stop()
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            stored = dict(conn.execute(text("SELECT public_id, label FROM tickets")).all())
            numbers = [row[0] for row in conn.execute(text("SELECT number FROM tickets ORDER BY number"))]
        engine.dispose()

    result = RestartResult(restarts, sorted(calls, key=lambda c: c.started))
    for restart in restarts:
        ok = [c.ended for c in result.calls if c.status == 201 and c.started >= restart.back]
        result.recovery.append(min(ok) - restart.back if ok else float("inf"))
        recovered_at = min(ok) if ok else float("inf")
        end = next((r.began for r in restarts if r.began > restart.back), float("inf"))
        result.failed_after.append(sum(1 for c in result.calls  # (answered before the next restart began)
                                       if recovered_at < c.started and c.ended < end and c.status != 201))
    acknowledged = [(c.body["id"], c.body["number"]) for c in result.calls if c.status == 201 and c.body]
    ids = [public_id for public_id, _ in acknowledged]
    result.acknowledged = len(acknowledged)
    result.stored = len(stored)
    result.lost = [pair for pair in acknowledged if stored.get(pair[0]) != pair[1]]
    result.duplicate_ids = len(ids) - len(set(ids))
    result.numbering_ok = numbers == list(range(1, len(numbers) + 1))
    result.unacknowledged_stored = len(stored) - len(set(ids))
    return result
