"""One crash experiment, shared by the test suite and `python -m bench.reliability`:
load the real server, SIGKILL it mid-load, restart, repeat; then audit the database."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import requests
from sqlalchemy import create_engine, text

from tests.integration.server import Server
from tests.waiting import wait_until

CLIENTS = 8


@dataclass
class CrashResult:
    cycles: int
    acknowledged: int
    stored: int
    lost: list = field(default_factory=list)
    duplicate_ids: int = 0
    numbering_ok: bool = True
    unacknowledged_stored: int = 0
    events_match: bool = True
    failed_requests: int = 0


def _hammer(base: str, stop: threading.Event, acknowledged: list, failures: list) -> None:
    http = requests.Session()
    while not stop.is_set():
        try:
            response = http.post(base + "/api/v1/tickets", json={"service": "TAX"}, timeout=5)
        except requests.RequestException:
            failures.append("connection")
            time.sleep(0.05)
            continue
        if response.status_code == 201:
            body = response.json()
            acknowledged.append((body["id"], body["number"]))
        else:
            failures.append(response.status_code)


def run_crash_cycles(database_url: str, instance: str, cycles: int = 1, load_seconds: float = 1.5,
                     tickets: int = 0) -> CrashResult:
    """Each cycle kills the server after load_seconds of load and at least `tickets` acknowledged tickets
    (the test asks for tickets and no seconds: a loaded machine issues fewer per second)."""
    server = Server({"DATABASE_URL": database_url, "TAMBON_INSTANCE": instance, "PRINTER_URL": "none",
                     "TAMBON_THREADS": "16"})
    server.cli("db", "upgrade")
    server.cli("demo")
    acknowledged: list[tuple[str, str]] = []
    failures: list = []
    try:
        for _ in range(cycles):
            server.start()
            stop = threading.Event()
            threads = [threading.Thread(target=_hammer, args=(server.base, stop, acknowledged, failures))
                       for _ in range(CLIENTS)]
            for t in threads:
                t.start()
            try:
                started = len(acknowledged)
                time.sleep(load_seconds)
                wait_until(lambda started=started: len(acknowledged) >= started + tickets, timeout=120,
                           what=f"{tickets} tickets acknowledged before the kill")
                refused = len(failures)
                server.kill()  # SIGKILL in the middle of the load
                wait_until(lambda refused=refused: len(failures) > refused, timeout=30,
                           what="the clients meeting the killed server")
            finally:
                stop.set()
                for t in threads:
                    t.join(timeout=30)
        server.start()  # the last restart, to prove it comes up on what the kills left
    finally:
        server.stop()

    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT public_id, label FROM tickets")).all())
        numbers = [row[0] for row in conn.execute(text("SELECT number FROM tickets ORDER BY number"))]
        issued_events = conn.execute(text("SELECT count(*) FROM ticket_events WHERE type = 'issued'")).scalar()
    engine.dispose()
    ids = [public_id for public_id, _ in acknowledged]
    return CrashResult(
        cycles=cycles, acknowledged=len(acknowledged), stored=len(stored),
        lost=[pair for pair in acknowledged if stored.get(pair[0]) != pair[1]],
        duplicate_ids=len(ids) - len(set(ids)),
        numbering_ok=numbers == list(range(1, len(numbers) + 1)),
        unacknowledged_stored=len(stored) - len(set(ids)),
        events_match=issued_events == len(stored),
        failed_requests=len(failures),
    )
