"""Fixtures of the display tests: a real server on 127.0.0.1 and a real python-socketio client that speaks
the same sequence protocol as the TV page (gap or new epoch -> resync)."""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import socketio

NS = "/display"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]




class DisplayClient:
    """A display speaking the /display protocol: snapshot, numbered events, resync on a gap or new epoch."""

    def __init__(self, url: str, auth: dict | None = None, transports=("websocket",)):
        self.sio = socketio.Client(reconnection=False)
        self.events: list[tuple[str, dict]] = []   # every message, as received
        self.accepted: list[tuple[str, int]] = []         # (event, seq) taken in order
        self.resyncs: list[str] = []
        self.seq: int | None = None
        self.epoch: str | None = None
        self.awaiting = True
        self.snapshot: dict | None = None
        self.cond = threading.Condition()
        self.sio.on("queue", self._on_queue, namespace=NS)
        self.sio.on("called", self._on_called, namespace=NS)
        self.sio.on("changed", self._on_changed, namespace=NS)
        self.sio.connect(url, namespaces=[NS], auth=auth or {}, transports=list(transports), wait_timeout=10)

    def _in_order(self, event: str, msg: dict, snapshot: bool) -> bool:
        if self.awaiting:
            if not snapshot:
                return False
            self.awaiting = False
        elif msg["epoch"] != self.epoch:
            self._resync("epoch")
            return False
        elif msg["seq"] <= self.seq:
            return False
        elif msg["seq"] != self.seq + 1:
            self._resync("gap")
            return False
        self.seq, self.epoch = msg["seq"], msg["epoch"]
        self.accepted.append((event, msg["seq"]))
        return True

    def _resync(self, reason: str) -> None:
        self.awaiting = True
        self.resyncs.append(reason)
        self.sio.emit("resync", {"reason": reason}, namespace=NS)

    def _record(self, event: str, msg: dict) -> None:
        with self.cond:
            self.events.append((event, msg))
            self.cond.notify_all()

    def _on_queue(self, msg):
        with self.cond:
            if self._in_order("queue", msg, True):
                self.snapshot = msg
        self._record("queue", msg)

    def _on_called(self, msg):
        with self.cond:
            self._in_order("called", msg, False)
        self._record("called", msg)

    def _on_changed(self, msg):
        self._record("changed", msg)

    def wait_for(self, predicate, timeout: float = 10.0, what: str = "condition"):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                result = predicate(self)
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what}; events: "
                                         f"{[(e, m.get('seq'), m.get('number')) for e, m in self.events]}")
                self.cond.wait(left)

    def named(self, event: str) -> list[dict]:
        return [m for e, m in self.events if e == event]

    def heartbeat(self, data: dict) -> dict:
        return self.sio.call("heartbeat", data, namespace=NS, timeout=10)

    def close(self) -> None:
        # websocket-client waits up to 3 s for the server's close frame, which the test's werkzeug server
        # does not send back; a short wait keeps the suite fast (gunicorn answers it).
        ws = getattr(self.sio.eio, "ws", None)
        if ws is not None:
            ws.close = functools.partial(ws.close, timeout=0.2)
        self.sio.disconnect()


@pytest.fixture
def display_client(app):
    clients: list[DisplayClient] = []

    def connect(url: str, **auth) -> DisplayClient:
        # Changes made before connecting are pushed first, so the client starts from a quiet stream.
        app.extensions["display"].wait_idle()
        client = DisplayClient(url, auth)
        clients.append(client)
        return client

    yield connect
    for client in clients:
        try:
            client.close()
        except Exception:
            pass


# --- real `tambon serve` worker processes ---------------------------------------------------------------

def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"server at {url} did not start")


class Workers:
    """Several `tambon serve` processes (gunicorn, one gevent worker each) on one database."""

    def __init__(self, tmp_path: Path, database_url: str, env: dict | None = None):
        self.tmp_path, self.database_url = tmp_path, database_url
        self.extra_env = env or {}
        self.procs: list[subprocess.Popen] = []
        self.urls: list[str] = []
        self.ports: list[int] = []

    def start(self, count: int, ports: list[int] | None = None) -> list[str]:
        self.procs, self.urls = [], []
        self.ports = ports or [free_port() for _ in range(count)]
        for i, port in enumerate(self.ports):
            env = {**os.environ, "DATABASE_URL": self.database_url, "SECRET_KEY": "test-secret",
                   "TAMBON_INSTANCE": str(self.tmp_path / f"instance{i}"), "PRINTER_URL": "none",
                   **self.extra_env}
            log = open(self.tmp_path / f"worker{i}.log", "wb")  # noqa: SIM115 - closed with the process
            proc = subprocess.Popen([sys.executable, "-m", "tambon.cli", "serve", "--host", "127.0.0.1",
                                     "--port", str(port), "--threads", "16"],
                                    env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            self.procs.append(proc)
            self.urls.append(f"http://127.0.0.1:{port}")
        for url in self.urls:
            wait_http(f"{url}/healthz")
        return self.urls

    def restart(self) -> list[str]:
        """Start the same workers again on the same ports (a server restart)."""
        return self.start(len(self.ports), self.ports)

    def stop(self, crash: bool = False) -> None:
        """Stop the workers; crash=True kills master and worker at once (a power cut or a crash), so open
        WebSockets break immediately instead of after gunicorn's graceful timeout."""
        for proc in self.procs:
            if crash:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        for proc in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


@pytest.fixture
def workers(tmp_path, app, office):
    """Factory: start N real worker processes on the test's migrated SQLite database (demo office loaded)."""
    started: list[Workers] = []

    def start(count: int, **env) -> Workers:
        w = Workers(tmp_path, app.config["DATABASE_URL"], env)
        started.append(w)
        w.start(count)
        return w

    yield start
    for w in started:
        w.stop()


@pytest.fixture
def redis_channel(redis_available):
    """A Redis pub/sub channel of our own, so parallel test runs sharing one Redis never hear each other."""
    import redis

    channel = f"tambon-test-{uuid.uuid4().hex[:10]}"
    yield channel
    client = redis.Redis.from_url(redis_available)
    for key in client.scan_iter(f"tambon:display:{channel}:*"):
        client.delete(key)
