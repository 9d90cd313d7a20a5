"""`tambon serve --workers 2`: new connections are spread over the worker processes (each listens on a socket
of its own, SO_REUSEPORT). Counters' browsers keep their connections open; on one shared socket a worker
that happened to be idle could take them all while the other stood idle."""

import http.client
import uuid

import psutil
import pytest

from tests.integration.server import Server
from tests.waiting import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.redis]


def _established_per_worker(server: Server) -> dict[int, int]:
    """Per HTTP worker (a child listening on the port; the report worker beside them listens on none)."""
    master = psutil.Process(server.proc.pid)
    per_worker = {}
    for child in master.children():
        ours = [c for c in child.net_connections(kind="tcp") if c.laddr and c.laddr.port == server.port]
        if any(c.status == psutil.CONN_LISTEN for c in ours):
            per_worker[child.pid] = sum(1 for c in ours if c.status == psutil.CONN_ESTABLISHED)
    return per_worker


def test_keep_alive_connections_land_on_every_worker(tmp_path, redis_available):
    server = Server({"DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}", "TAMBON_INSTANCE": str(tmp_path / "i"),
                     "PRINTER_URL": "none", "TAMBON_WORKERS": "2", "SOCKETIO_MESSAGE_QUEUE": redis_available,
                     "SOCKETIO_CHANNEL": f"tambon-test-{uuid.uuid4().hex[:10]}"})
    server.cli("db", "upgrade")
    connections = []
    try:
        server.start()
        for _ in range(16):  # all at once, as a room of counters opening their pages
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            conn.request("GET", "/healthz")
            connections.append(conn)
        for conn in connections:
            response = conn.getresponse()
            response.read()
            assert response.status == 200

        def all_established():
            found = _established_per_worker(server)
            return found if sum(found.values()) >= 16 else None

        counts = wait_until(all_established, timeout=30, what="the 16 connections established in the workers")
    finally:
        for conn in connections:
            conn.close()
        server.stop()
    assert len(counts) == 2 and sum(counts.values()) == 16
    # The kernel hashes each connection to one worker's socket: both get some (all 16 on one: p = 3e-5).
    assert all(n > 0 for n in counts.values()), counts
