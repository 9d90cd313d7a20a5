"""Redis (the Socket.IO message queue) is down: the queue itself keeps working, over the real server."""

import pytest
import requests

from tests.integration.server import Server, free_port

pytestmark = pytest.mark.integration


def test_queue_keeps_working_when_the_message_queue_is_unreachable(tmp_path):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    server = Server({"DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}", "TAMBON_INSTANCE": str(tmp_path / "i"),
                     "PRINTER_URL": "none", "SOCKETIO_MESSAGE_QUEUE": dead_redis})
    server.cli("db", "upgrade")
    server.cli("demo")
    token = server.cli("token", "create", "counter1").strip()
    try:
        server.start()
        http = requests.Session()
        issued = [http.post(server.base + "/api/v1/tickets", json={"service": "TAX"}, timeout=10) for _ in range(3)]
        called = http.post(server.base + "/api/v1/counters/1/next", headers={"Authorization": f"Bearer {token}"},
                           timeout=10)
        done = http.post(server.base + "/api/v1/counters/1/complete", headers={"Authorization": f"Bearer {token}"},
                         timeout=10)
        snapshot = http.get(server.base + "/api/v1/queue", timeout=10)
    finally:
        server.stop()
    assert [r.status_code for r in issued] == [201, 201, 201]
    assert called.status_code == 200 and called.json()["ticket"]["number"] == "A001"
    assert done.json()["ticket"]["status"] == "completed"
    assert {s["code"]: s["waiting"] for s in snapshot.json()["services"]}["TAX"] == 2
