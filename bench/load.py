"""Load generators: run in their own processes (spawned by bench.run), talk HTTP/1.1 over loopback.

Deliberately light (stdlib, and uvloop where installed; no app imports) so the client side costs as little
CPU as possible on the shared cores. Every connection is keep-alive. Two shapes of load:

- closed loop (saturation): N clients, each sends its next request as soon as the previous one answered;
- open loop (office load): every send time is scheduled in advance, and latency is measured from the
  *scheduled* time, so a slow server shows up as latency instead of quietly lowering the offered load
  (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import resource
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any


class HttpError(Exception):
    pass


class Conn:
    """One keep-alive HTTP/1.1 connection (Content-Length or chunked responses)."""

    def __init__(self, host: str, port: int, headers: dict[str, str] | None = None):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self._fixed = f"Host: {host}:{port}\r\n{extra}".encode()

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: dict | None = None,
                      headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            await self._connect()
        payload = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\n".encode() + self._fixed
        if headers:
            head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()).encode()
        if body is not None:
            head += b"Content-Type: application/json\r\n"
        if body is not None or method == "POST":
            head += b"Content-Length: %d\r\n" % len(payload)
        self.writer.write(head + b"\r\n" + payload)
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
            status = int(raw[9:12])
            length, chunked, close = None, False, False
            for line in raw.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"transfer-encoding" and b"chunked" in value.lower():
                    chunked = True
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            if status in (204, 304) or 100 <= status < 200:
                data = b""
            elif chunked:
                data = await self._read_chunked()
            elif length is not None:
                data = await self.reader.readexactly(length)
            else:
                data = await self.reader.read()
                close = True
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            self.close()
            raise HttpError(f"connection lost: {exc!r}") from exc
        if close:
            self.close()
        return status, data

    async def _read_chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


def run_loop(main: Coroutine[Any, Any, dict]) -> dict:
    """Run a load generator on uvloop where it is installed, else on asyncio's own event loop. The load
    generators share the machine's cores with the server they measure: on uvloop they took 0.22 cores
    instead of 0.31 at ~700 serve cycles a second (two processes, 16 connections), CPU the server gets."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


@dataclass
class Recorder:
    """Per-process results, merged by the parent: latencies (ms) per operation, completions, errors."""

    window: tuple[float, float]  # [start, end) of the measured window, seconds from t0
    latency: dict[str, list[float]] = field(default_factory=dict)
    done: dict[str, int] = field(default_factory=dict)   # completions inside the window
    errors: dict[str, int] = field(default_factory=dict)
    empty: int = 0  # "next" answered 204: nobody waiting (a harness problem if it happens in saturation)
    called: list[str] = field(default_factory=list)  # public ids handed out by next (duplicate check)
    # (number, counter id, recall?, wall-clock time the answer arrived) of each call: display latency
    calls: list[tuple[str, int, bool, float]] = field(default_factory=list)
    created: dict[str, list] = field(default_factory=dict)  # what each 201 handed back (integrity check)
    # when each measured request was planned (seconds from t0, beside `latency`): latency inside a time span
    timeline: dict[str, list[float]] = field(default_factory=dict)

    def record(self, op: str, scheduled: float, end: float, status: int, ok: tuple[int, ...]) -> bool:
        lo, hi = self.window
        if status not in ok:
            key = f"{op} {status}"
            self.errors[key] = self.errors.get(key, 0) + 1
            return False
        if lo <= scheduled < hi:
            self.latency.setdefault(op, []).append((end - scheduled) * 1000.0)
            self.timeline.setdefault(op, []).append(scheduled)
        if lo <= end < hi:
            self.done[op] = self.done.get(op, 0) + 1
        return True

    def error(self, op: str, what: str) -> None:
        key = f"{op} {what}"
        self.errors[key] = self.errors.get(key, 0) + 1

    def result(self) -> dict:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {"latency": self.latency, "done": self.done, "errors": self.errors, "empty": self.empty,
                "called": self.called, "calls": self.calls, "created": self.created, "timeline": self.timeline,
                "cpu_seconds": usage.ru_utime + usage.ru_stime}


async def _wait_until(wall_start: float) -> float:
    """Sleep until the agreed wall-clock start; return the perf_counter origin t0 of this process."""
    delay = wall_start - time.time()
    if delay > 0:
        await asyncio.sleep(delay)
    return time.perf_counter()


# --- closed loop --------------------------------------------------------------------------------------

async def _issue_client(conn: Conn, rec: Recorder, t0: float, stop: float, services: list[str], seed: int,
                        priority_share: float) -> None:
    rnd = random.Random(seed)
    while (start := time.perf_counter() - t0) < stop:
        body = {"service": rnd.choice(services), "priority": rnd.random() < priority_share}
        try:
            status, _ = await conn.request("POST", "/api/v1/tickets", body)
        except HttpError as exc:
            rec.error("issue", str(exc)[:40])
            continue
        rec.record("issue", start, time.perf_counter() - t0, status, (201,))


async def _cycle_client(conn: Conn, rec: Recorder, t0: float, stop: float, counter_id: int) -> None:
    """One counter: next, complete, next, complete ... A cycle is both requests."""
    while (start := time.perf_counter() - t0) < stop:
        try:
            status, data = await conn.request("POST", f"/api/v1/counters/{counter_id}/next")
            mid = time.perf_counter() - t0
            if status == 204:
                rec.empty += 1
                await asyncio.sleep(0.05)
                continue
            if not rec.record("next", start, mid, status, (200,)):
                continue
            rec.called.append(json.loads(data)["ticket"]["id"])
            status, _ = await conn.request("POST", f"/api/v1/counters/{counter_id}/complete")
        except HttpError as exc:
            rec.error("cycle", str(exc)[:40])
            continue
        end = time.perf_counter() - t0
        if rec.record("complete", mid, end, status, (200,)):
            rec.record("cycle", start, end, 200, (200,))


async def _closed(spec: dict) -> dict:
    rec = Recorder((spec["warmup"], spec["warmup"] + spec["seconds"]))
    stop = spec["warmup"] + spec["seconds"]
    conns = [Conn(spec["host"], spec["port"], spec.get("headers")) for _ in spec["clients"]]
    for conn in conns:  # connect before the clock starts
        await conn._connect()
    t0 = await _wait_until(spec["wall_start"])
    tasks = []
    for i, (conn, client) in enumerate(zip(conns, spec["clients"], strict=True)):
        if spec["kind"] == "issue":
            tasks.append(_issue_client(conn, rec, t0, stop, spec["services"], spec["seed"] * 1000 + i,
                                       spec.get("priority_share", 0.1)))
        else:
            tasks.append(_cycle_client(conn, rec, t0, stop, client))
    await asyncio.gather(*tasks)
    for conn in conns:
        conn.close()
    return rec.result()


def closed_loop(spec: dict) -> dict:
    """Process entry point: spec['clients'] is one item per concurrent client (a counter id for cycles);
    spec['batch_scheduling']: run as a SCHED_BATCH process (see yield_to_the_server)."""
    if spec.get("batch_scheduling"):
        yield_to_the_server()
    return run_loop(_closed(spec))


def yield_to_the_server() -> bool:
    """Run this load generator under Linux's SCHED_BATCH policy: the same share of the CPU, but a wake-up
    (a response arrived) no longer preempts the process running on that core, a server worker mid-request.

    In an office the clients are browsers on other machines. Here they share the server's two cores, and
    at saturation their wake-ups interrupted each server worker 1.5–2 times per request; each interruption
    leaves the worker's caches to whatever ran in between. Measured (two SQLite workers, serve cycles):
    0.6–0.7 interruptions per request instead, 3% less server CPU per cycle, 5% more cycles a second.
    bench/run.py reports a run at the default policy beside it. False where the policy does not exist."""
    import os

    if not hasattr(os, "SCHED_BATCH"):
        return False
    os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    return True


# --- open loop ------------------------------------------------------------------------------------------

class _Pool:
    def __init__(self, host: str, port: int, headers: dict | None, size: int):
        self.free: asyncio.Queue[Conn] = asyncio.Queue()
        for _ in range(size):
            self.free.put_nowait(Conn(host, port, headers))


async def _at(t0: float, when: float) -> None:
    delay = when - (time.perf_counter() - t0)
    if delay > 0:
        await asyncio.sleep(delay)


# What a 201 hands back that later requests (and the integrity check afterwards) need, per operation.
KEEP: dict[str, Callable[[dict], object]] = {
    "issue": lambda body: body["id"],
    "complaint": lambda body: (body["tracking_code"], body["pin"]),
}


async def _scheduled_request(pool: _Pool, rec: Recorder, t0: float, when: float, op: str, method: str,
                             path: str, body: dict | None, ok: tuple[int, ...], recent: dict[str, deque],
                             headers: dict[str, str] | None = None) -> None:
    await _at(t0, when)
    conn = await pool.free.get()  # waiting for a free connection counts as latency (from `when`)
    try:
        status, data = await conn.request(method, path, body, headers)
        end = time.perf_counter() - t0
        if rec.record(op, when, end, status, ok) and op in KEEP:
            kept = KEEP[op](json.loads(data))
            rec.created.setdefault(op, []).append(kept)
            recent[op].append(kept)
    except HttpError as exc:
        rec.error(op, str(exc)[:40])
    finally:
        pool.free.put_nowait(conn)


async def _scheduled_counter(conn: Conn, rec: Recorder, t0: float, counter_id: int, phase: float, period: float,
                             hold: float, stop: float) -> None:
    """A counter pressing next, then complete `hold` seconds later, every `period` seconds. A late request is
    sent as soon as possible and its latency still counts from its scheduled time."""
    k = 0
    while (when := phase + k * period) < stop:
        k += 1
        await _at(t0, when)
        try:
            status, data = await conn.request("POST", f"/api/v1/counters/{counter_id}/next")
            if not rec.record("next", when, time.perf_counter() - t0, status, (200, 204)):
                continue
            if status == 204:
                rec.empty += 1
                continue
            rec.called.append(json.loads(data)["ticket"]["id"])
            done_at = when + hold
            await _at(t0, done_at)
            status, _ = await conn.request("POST", f"/api/v1/counters/{counter_id}/complete")
            rec.record("complete", done_at, time.perf_counter() - t0, status, (200,))
        except HttpError as exc:
            rec.error("counter", str(exc)[:40])


async def _busy_counter(conn: Conn, rec: Recorder, t0: float, counter_id: int, phase: float, stop: float,
                       seed: int, desk: dict) -> None:
    """A counter on a busy day: next; the citizen is served for a random (log-normal) hold, then complete.
    Now and then the citizen is slow to come (recall, then complete), never comes (recall, then no-show) or
    is in the wrong queue (transfer to another service). A short gap, then next again; when nobody waits,
    next again after `idle` seconds. Every send time follows from the plan, not from when answers came, and
    latency counts from it."""
    rnd = random.Random(seed)
    mu = math.log(desk["hold"]) - desk["hold_sigma"] ** 2 / 2  # so that the mean hold is desk["hold"]

    async def step(op: str, when: float, path: str, body: dict | None = None) -> tuple[int, dict | None]:
        await _at(t0, when)
        status, data = await conn.request("POST", f"/api/v1/counters/{counter_id}/{path}", body)
        ok = rec.record(op, when, time.perf_counter() - t0, status, (200, 204) if op == "next" else (200,))
        answer = json.loads(data)["ticket"] if ok and status == 200 else None
        if answer is not None and op in ("next", "recall"):
            rec.calls.append((answer["number"], counter_id, op == "recall", time.time()))
        return status, answer

    when = phase
    while when < stop:
        try:
            status, ticket = await step("next", when, "next")
            if status == 204:
                rec.empty += 1
                when += desk["idle"]
                continue
            if ticket is None:
                when += desk["gap"]
                continue
            rec.called.append(ticket["id"])
            hold = rnd.lognormvariate(mu, desk["hold_sigma"])
            late = desk["recall_after"]
            luck = rnd.random()
            if luck < desk["p_no_show"]:
                await step("recall", when + late, "recall")
                when += 2 * late
                await step("no_show", when, "no-show")
            elif luck < desk["p_no_show"] + desk["p_transfer"]:
                when += max(late, hold / 3)
                other = rnd.choice([s for s in desk["services"] if s != ticket["service"]])
                if (await step("transfer", when, "transfer", {"service": other}))[0] == 200:
                    rec.created.setdefault("transferred", []).append(ticket["id"])  # may be called again
            else:
                if luck < desk["p_no_show"] + desk["p_transfer"] + desk["p_recall"]:
                    await step("recall", when + late, "recall")
                    hold += late
                when += hold
                await step("complete", when, "complete")
        except HttpError as exc:
            rec.error("counter", str(exc)[:40])
        when += desk["gap"]


def _arrival(op: str, arg, rnd: random.Random, recent: dict[str, deque]) -> tuple | None:
    """(method, path, body, ok statuses) of one open-loop arrival; None when it has nothing to ask about yet."""
    if op == "issue":
        return "POST", "/api/v1/tickets", {"service": arg, "priority": rnd.random() < 0.1}, (201,)
    if op == "ticket":  # a citizen's phone polling the ticket in their hand
        return ("GET", f"/api/v1/tickets/{rnd.choice(recent['issue'])}", None, (200,)) if recent["issue"] else None
    if op == "queue":
        return "GET", "/api/v1/queue", None, (200,)
    if op == "complaint":
        return "POST", "/api/v1/complaints", arg, (201,)
    if op == "complaint_status":  # arg: with the PIN (the office's answer) or without
        if not recent["complaint"]:
            return None
        code, pin = rnd.choice(recent["complaint"])
        # the PIN travels in a header, never in the URL (intake/api.py)
        return "GET", f"/api/v1/complaints/{code}", None, (200,), ({"X-Complaint-PIN": pin} if arg else None)
    raise ValueError(op)


async def _open(spec: dict) -> dict:
    """spec: counters [(id, phase)], period, hold, arrivals [(when, op, arg)], seconds, warmup, pool; with
    `desk` (see _busy_counter) the counters follow a busy day's script instead of a fixed period."""
    duration = spec["warmup"] + spec["seconds"]
    rec = Recorder((spec["warmup"], duration))
    pool = _Pool(spec["host"], spec["port"], None, spec["pool"])
    counter_conns = [Conn(spec["host"], spec["port"], spec["headers"]) for _ in spec["counters"]]
    for conn in [*counter_conns, *pool.free._queue]:  # noqa: SLF001 - connect before the clock starts
        await conn._connect()
    recent = {"issue": deque(spec["seed_ids"], maxlen=200), "complaint": deque(maxlen=200)}
    rnd = random.Random(spec["seed"])
    t0 = await _wait_until(spec["wall_start"])
    desk = spec.get("desk")
    tasks = [asyncio.create_task(
        _busy_counter(conn, rec, t0, cid, phase, duration, spec["seed"] * 1000 + cid, desk) if desk else
        _scheduled_counter(conn, rec, t0, cid, phase, spec["period"], spec["hold"], duration))
        for conn, (cid, phase) in zip(counter_conns, spec["counters"], strict=True)]
    for when, op, arg in spec["arrivals"]:
        await _at(t0, when - 0.002)  # create each request task just before its time, not all at once
        args = _arrival(op, arg, rnd, recent)
        if args is not None:
            method, path, body, ok, *headers = args
            tasks.append(asyncio.create_task(_scheduled_request(pool, rec, t0, when, op, method, path, body, ok,
                                                                recent, *headers)))
    await asyncio.gather(*tasks)
    for conn in [*counter_conns, *pool.free._queue]:  # noqa: SLF001
        conn.close()
    return rec.result()


def open_loop(spec: dict) -> dict:
    return run_loop(_open(spec))


def poisson_arrivals(rate: float, duration: float, rnd: random.Random,
                     shape: Callable[[float], float] | None = None) -> list[float]:
    """Send times of a Poisson process (exponential gaps) over [0, duration). With `shape` (a function of
    the time t, at most 1) the rate at t is rate × shape(t): the process thinned, for a rate that rises and
    falls over the run."""
    times, t = [], rnd.expovariate(rate)
    while t < duration:
        if shape is None or rnd.random() < shape(t):
            times.append(t)
        t += rnd.expovariate(rate)
    return times
