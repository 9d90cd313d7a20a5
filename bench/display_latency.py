"""Latency from a counter's call-next to the `called` event arriving at N connected display clients.

Starts the production server (`tambon serve`: gunicorn, one worker) on a fresh migrated SQLite
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
import multiprocessing
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import engineio
import requests
import socketio

from bench.run import worker_class

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


class _InOrderEngineIO(engineio.Client):
    """python-engineio's client hands every message to its handler on a new thread, so two messages close
    together can be handled (and timed) out of order; a browser handles them one after the other, and so
    does this: the handler runs on the connection's reader thread."""

    def _trigger_event(self, event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class _InOrderClient(socketio.Client):
    def _engineio_client_class(self):
        return _InOrderEngineIO


def connect_display(url: str, handlers: dict, auth: dict | None = None) -> socketio.Client:
    """One display connection to /display over WebSocket, with `handlers` {event: fn(message)}, called in
    the order the messages arrive. `auth` as a TV sends it, e.g. {"counters": "1,2"} for a display group."""
    sio = _InOrderClient(reconnection=False)
    for event, handler in handlers.items():
        sio.on(event, handler, namespace=NS)
    sio.connect(url, namespaces=[NS], transports=["websocket"], wait_timeout=20, auth=auth)
    return sio


def disconnect_all(clients: list[socketio.Client]) -> None:
    for sio in clients:
        try:
            sio.disconnect()
        except Exception:
            pass


def _listen(url: str, count: int, arrivals, ready, stop) -> None:
    """One client process holding `count` display connections; reports each `called` arrival with the
    wall-clock time (comparable across processes on one machine)."""
    clients = [connect_display(url, {"called": lambda msg: arrivals.put((msg["number"], time.time()))})
               for _ in range(count)]
    ready.put(count)
    stop.wait(600)
    disconnect_all(clients)


def _cli(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "-m", "tambon.cli", *args], env=env, check=True, capture_output=True)


def run(clients: int = 50, calls: int = 40, redis_url: str | None = None, threads: int = 64,
        procs: int = 5) -> dict:
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
    workers: list = []
    try:
        for _ in range(300):
            try:
                if requests.get(f"{url}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        # The listeners run in several processes: 50 WebSocket clients in one Python process would mostly
        # measure that process decoding 50 copies of every message under one GIL.
        ctx = multiprocessing.get_context("spawn")
        arrivals_q, ready, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
        shares = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
        workers = [ctx.Process(target=_listen, args=(url, n, arrivals_q, ready, stop), daemon=True)
                   for n in shares if n]
        for w in workers:
            w.start()
        connected = sum(ready.get(timeout=120) for _ in workers)
        assert connected == clients
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        latencies: list[float] = []
        first_ms: list[float] = []
        http_ms: list[float] = []
        for i in range(calls + 3):  # the first 3 rounds warm up (voice cache, connections) and are not counted
            http.post(f"{url}/api/v1/tickets", json={"service": "TAX"}).raise_for_status()
            t0 = time.time()
            response = http.post(f"{url}/api/v1/counters/1/next")
            t_http = time.time()
            response.raise_for_status()
            number = response.json()["ticket"]["number"]
            got: list[float] = []
            deadline = time.monotonic() + 10
            while len(got) < clients:
                seen, at = arrivals_q.get(timeout=max(0.01, deadline - time.monotonic()))
                if seen == number:
                    got.append(at)
            if i >= 3:
                latencies.extend((t - t0) * 1000 for t in got)
                first_ms.append((min(got) - t0) * 1000)
                http_ms.append((t_http - t0) * 1000)
            http.post(f"{url}/api/v1/counters/1/complete").raise_for_status()
            time.sleep(0.05)
        stop.set()
        return {
            "clients": clients, "client_processes": len(workers), "calls": calls, "samples": len(latencies),
            "message_queue": "redis" if redis_url else "none",
            "p50_ms": round(_percentile(latencies, 50), 1), "p99_ms": round(_percentile(latencies, 99), 1),
            "max_ms": round(max(latencies), 1), "mean_ms": round(statistics.fmean(latencies), 1),
            "http_call_next_p50_ms": round(_percentile(http_ms, 50), 1),
            "first_client_p50_ms": round(_percentile(first_ms, 50), 1),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        }
    finally:
        for w in workers:
            w.join(5)
            if w.is_alive():
                w.terminate()
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait(10)
        shutil.rmtree(work, ignore_errors=True)


def markdown(result: dict) -> str:
    return "\n".join([
        f"<!-- {SECTION} -->",
        "## Display latency: call-next to `called` at every connected display",
        "",
        f"`python -m bench.display_latency --clients {result['clients']} --calls {result['calls']}` "
        f"(`tambon serve`, gunicorn 1 {worker_class()} worker, SQLite, message queue: {result['message_queue']}; "
        f"listeners spread over {result['client_processes']} client processes; "
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
