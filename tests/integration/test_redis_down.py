"""Redis (the Socket.IO message queue) is down: the queue itself keeps working, over the real server, and
the staff pages say that the live displays may not update (not when Redis is up)."""

import re
import socket
import threading
import uuid
from types import SimpleNamespace

import pytest
import requests

from tests.integration.server import Server, free_port

WARNING_TH = "จอแสดงคิวอาจไม่อัปเดต"
WARNING_EN = "Live displays may not update"

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


def _server(tmp_path, message_queue: str) -> Server:
    server = Server({"DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}", "TAMBON_INSTANCE": str(tmp_path / "i"),
                     "PRINTER_URL": "none", "SOCKETIO_MESSAGE_QUEUE": message_queue,
                     "SOCKETIO_CHANNEL": f"tambon-test-{uuid.uuid4().hex[:8]}"})
    server.cli("db", "upgrade")
    server.cli("demo")
    return server


def _pages(server: Server) -> dict[str, str]:
    """An anonymous start page, then staff pages after logging in as counter1: {name: html}."""
    http = requests.Session()
    pages = {}

    def get(name: str, path: str) -> None:
        response = http.get(server.base + path, timeout=10)
        assert response.status_code == 200, (path, response.status_code)
        pages[name] = response.text

    get("public home", "/")
    form = http.get(server.base + "/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    logged_in = http.post(server.base + "/login", data={"username": "counter1", "password": "demo-password",
                                                        "csrf_token": token}, timeout=10)
    assert logged_in.status_code == 200 and not logged_in.url.endswith("/login")
    get("counter console", "/counter/1")
    get("counter console again", "/counter/1")  # the cached answer
    get("staff home", "/")
    get("staff home in English", "/?lang=en")
    return pages


def test_staff_pages_warn_when_the_message_queue_is_unreachable(tmp_path):
    server = _server(tmp_path, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        server.start()
        pages = _pages(server)
    finally:
        server.stop()
    assert WARNING_TH not in pages["public home"]  # citizens are not told about the office's plumbing
    for name in ("counter console", "counter console again", "staff home"):
        html = pages[name]
        assert 'id="live-updates-warning"' in html and WARNING_TH in html and WARNING_EN in html, name
    english = pages["staff home in English"]
    assert WARNING_EN in english and WARNING_TH not in english
    assert 'id="printer-status"' in pages["counter console"]  # the printer line is still there


def test_no_warning_when_the_message_queue_answers(tmp_path, redis_available):
    server = _server(tmp_path, redis_available)
    try:
        server.start()
        pages = _pages(server)
    finally:
        server.stop()
    for name, html in pages.items():
        assert "live-updates-warning" not in html and WARNING_TH not in html, name


def test_the_check_is_cached_and_short(redis_available, monkeypatch):
    """At most one Redis PING per interval per process, each bounded by the socket timeout (a Redis that
    takes the connection and never answers does not hold the page); a Redis that comes back is noticed at
    the next check."""
    import tambon.health
    from tambon.health import MessageQueueCheck

    now = [1000.0]  # the check's clock, moved by the test
    monkeypatch.setattr(tambon.health, "time", SimpleNamespace(monotonic=lambda: now[0]))
    with socket.create_server(("127.0.0.1", 0)) as silent:  # the kernel accepts; nobody ever answers
        check = MessageQueueCheck(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", interval=30, timeout=0.2)
        answers: list[bool] = []
        asking = threading.Thread(target=lambda: answers.append(check.reachable()))
        asking.start()
        asking.join(30)  # a hang guard: without the socket timeout it would never return
        assert answers == [False]
    check.url = redis_available  # "Redis is back"
    assert check.reachable() is False  # the cached answer, no new check yet
    now[0] += 30
    assert check.reachable() is True
