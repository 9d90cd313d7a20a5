"""Latency from a counter's call-next to the `called` event arriving at N connected display clients.

Starts the production server (`tambon serve`: gunicorn, one gthread worker) on a fresh migrated SQLite
database with the demo office, connects N real python-socketio clients over WebSocket to /display, then
for each round issues a ticket, takes t0, POSTs /api/v1/counters/1/next and waits until every client has
the `called` event for that number; completes the ticket and goes again. Latency = arrival - t0 (one
clock: clients and the timer live in this process). Target: p99 < 100 ms at 50 clients.

    python -m bench.display_latency --clients 50 --calls 40
    python -m bench.display_latency --redis redis://127.0.0.1:6379/0   # through the message queue
    python -m bench.display_latency --write BENCHMARKS.md              # replace our section in the file

`run(...)` returns the figures as a dict, for `bench.run`.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
import socketio

NS = "/display"
SECTION = "display_latency"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class _Listener:
    def __init__(self, url: str, arrivals: dict, cond: threading.Condition):
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("called", self._called, namespace=NS)
        self.arrivals, self.cond = arrivals, cond
        self.sio.connect(url, namespaces=[NS], transports=["websocket"], wait_timeout=20)

    def _called(self, msg):
        now = time.perf_counter()
        with self.cond:
            self.arrivals.setdefault(msg["number"], []).append(now)
            self.cond.notify_all()


def _cli(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "-m", "tambon.cli", *args], env=env, check=True, capture_output=True)


def run(clients: int = 50, calls: int = 40, redis_url: str | None = None, threads: int = 64) -> dict:
    work = Path(tempfile.mkdtemp(prefix="tambon-bench-display-"))
    env = {**os.environ, "TAMBON_INSTANCE": str(work / "instance"), "SECRET_KEY": "bench",
           "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}", "PRINTER_URL": "none",
           "TICKET_RATE_LIMIT": "100000 per minute"}
    if redis_url:
        env.update(SOCKETIO_MESSAGE_QUEUE=redis_url, SOCKETIO_CHANNEL=f"tambon-bench-{uuid.uuid4().hex[:8]}")
    _cli("db", "upgrade", env=env)
    _cli("demo", env=env)
    token = subprocess.run([sys.executable, "-m", "tambon.cli", "token", "create", "counter1"], env=env,
                           check=True, capture_output=True, text=True).stdout.strip()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "tambon.cli", "serve", "--host", "127.0.0.1", "--port",
                               str(port), "--threads", str(threads)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    listeners: list[_Listener] = []
    try:
        for _ in range(300):
            try:
                if requests.get(f"{url}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        arrivals: dict[str, list[float]] = {}
        cond = threading.Condition()
        listeners = [_Listener(url, arrivals, cond) for _ in range(clients)]
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        latencies: list[float] = []
        first_ms: list[float] = []
        http_ms: list[float] = []
        for i in range(calls + 3):  # the first 3 rounds warm up (voice cache, connections) and are not counted
            http.post(f"{url}/api/v1/tickets", json={"service": "TAX"}).raise_for_status()
            t0 = time.perf_counter()
            response = http.post(f"{url}/api/v1/counters/1/next")
            t_http = time.perf_counter()
            response.raise_for_status()
            number = response.json()["ticket"]["number"]
            with cond:
                if not cond.wait_for(lambda n=number: len(arrivals.get(n, ())) >= clients, timeout=10):
                    raise RuntimeError(f"only {len(arrivals.get(number, ()))}/{clients} clients got {number}")
            if i >= 3:
                latencies.extend((t - t0) * 1000 for t in arrivals[number])
                first_ms.append((min(arrivals[number]) - t0) * 1000)
                http_ms.append((t_http - t0) * 1000)
            http.post(f"{url}/api/v1/counters/1/complete").raise_for_status()
            time.sleep(0.05)
        return {
            "clients": clients, "calls": calls, "samples": len(latencies),
            "message_queue": "redis" if redis_url else "none",
            "p50_ms": round(_percentile(latencies, 50), 1), "p99_ms": round(_percentile(latencies, 99), 1),
            "max_ms": round(max(latencies), 1), "mean_ms": round(statistics.fmean(latencies), 1),
            "http_call_next_p50_ms": round(_percentile(http_ms, 50), 1),
            "first_client_p50_ms": round(_percentile(first_ms, 50), 1),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        }
    finally:
        for listener in listeners:
            try:
                listener.sio.disconnect()
            except Exception:
                pass
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait(10)


def markdown(result: dict) -> str:
    return "\n".join([
        f"<!-- {SECTION} -->",
        "### Display latency: call-next to `called` at every connected display",
        "",
        f"`python -m bench.display_latency --clients {result['clients']} --calls {result['calls']}` "
        f"(`tambon serve`, gunicorn 1 gthread worker, SQLite, message queue: {result['message_queue']}; "
        f"{result['machine']})",
        "",
        "| clients | samples | p50 ms | p99 ms | max ms | first client p50 ms | call-next HTTP p50 ms |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {result['clients']} | {result['samples']} | {result['p50_ms']} | {result['p99_ms']} | "
        f"{result['max_ms']} | {result['first_client_p50_ms']} | {result['http_call_next_p50_ms']} |",
        "",
        "Target: p99 < 100 ms.",
        f"<!-- /{SECTION} -->",
    ])


def write_section(path: Path, text: str) -> None:
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"<!-- {SECTION} -->.*?<!-- /{SECTION} -->", re.S)
    new = pattern.sub(lambda _m: text, old) if pattern.search(old) else old.rstrip() + "\n\n" + text + "\n"
    path.write_text(new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--redis", default=None, help="SOCKETIO_MESSAGE_QUEUE URL, e.g. redis://127.0.0.1:6379/0")
    parser.add_argument("--write", type=Path, default=None, help="replace this section in a Markdown file")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.calls < 1:
        parser.error("--clients and --calls must be at least 1")
    result = run(args.clients, args.calls, args.redis)
    text = markdown(result)
    print(text)
    if args.write:
        write_section(args.write, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
