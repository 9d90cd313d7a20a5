"""Issue #7: a busy office day compressed into about a minute, against the real server, over HTTP and Socket.IO.

For each configuration (SQLite with one worker, the embedded default; PostgreSQL + Redis message queue with
`tambon serve --workers 2`; optionally SQLite + Redis with two workers) a fresh instance is set up through the
CLI and served by `tambon serve`. Then, from separate processes on the same machine:

- HTTP load processes (bench/load.py, open loop: every send time is planned in advance and latency counts
  from it, so a server that falls behind cannot hide it):
  kiosks issuing tickets at a rate that rises to a morning peak and falls off again; 30 counters each doing
  next → (a log-normal service hold of a few compressed seconds) → complete, now and then a recall, a
  no-show (recall, then no-show) or a transfer to another service; citizens polling
  GET /api/v1/tickets/{id} of tickets they hold (the phone page); display boards polling GET /api/v1/queue;
  complaints arriving via POST /api/v1/complaints and their status read back (some with the PIN).
- Display processes (bench/display_latency.py's listener): 50 Socket.IO clients on /display (most on the
  whole office, some on a group of three counters), each checking that its sequence numbers run without a
  gap (a gap → `resync`, as the TV does) and timing each `called` event from the moment the HTTP answer of
  the call (next or recall) reached the counter's load process (one wall clock: same machine).
- The server's CPU (cores, summed over the gunicorn master and workers) and RSS (summed), from /proc.

Afterwards, from the database: run.py's integrity checks (no ticket called twice, numbers without
duplicates or holes, ...), and that every ticket and complaint answered 201 exists.

    python -m bench.busy_day                    # SQLite and PostgreSQL+Redis, ~60 s measured each
    python -m bench.busy_day --quick            # ~15 s measured each
    python -m bench.busy_day --configs all      # also SQLite + Redis with two workers
    python -m bench.busy_day --configs sqlite --seconds 5 --out /tmp/b.md
    python -m bench.busy_day --configs postgresql-redis --history-cache   # keep the history for the next runs

Writes the `busy_day` section of BENCHMARKS.md. Top-level imports stay light: spawned processes import this.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import random
import signal
import sys
import threading
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from bench import load
from bench.display_latency import connect_display, disconnect_all
from bench.executive import Executive, add_history, counters_during
from bench.pg import copy_database, database_exists, history_template_name
from bench.run import (
    HOST,
    PG_ADMIN_URL,
    REDIS_URL,
    ROOT,
    SERVICES,
    Instance,
    Runner,
    db_counts,
    machine_info,
    ms,
    percentile,
    pg_server_version,
    redis_reachable,
    run_each,
    split,
    worker_class,
)
from bench.sections import replace_section

SECTION = "busy_day"


@dataclass(frozen=True)
class Config:
    name: str
    title: str
    db: str          # "sqlite" | "postgresql"
    workers: int
    redis: bool


CONFIGS = {
    "sqlite": Config("sqlite", "SQLite, 1 worker, no message queue (the embedded default)", "sqlite", 1, False),
    "postgresql-redis": Config("postgresql-redis", "PostgreSQL + Redis message queue, 2 workers",
                               "postgresql", 2, True),
    "sqlite-redis": Config("sqlite-redis", "SQLite + Redis message queue, 2 workers", "sqlite", 2, True),
}
DEFAULT_CONFIGS = ("sqlite", "postgresql-redis")


@dataclass(frozen=True)
class Day:
    """The compressed day. Rates are means over the whole run (warm-up included); kiosk arrivals and phone
    polls follow the morning-peak shape, so their peak is about twice the mean."""

    warmup: float = 3.0        # seconds run but not measured: the office opening
    seconds: float = 60.0      # measured
    counters: int = 30
    load_procs: int = 3        # HTTP load processes
    displays: int = 50         # Socket.IO clients on /display ...
    display_procs: int = 5     # ... spread over this many processes
    grouped_displays: int = 10  # of which this many show a group of three counters, the rest every counter
    issue_rate: float = 12.0   # kiosk tickets/s
    ticket_poll_rate: float = 40.0   # GET /api/v1/tickets/{id}/s (phones)
    queue_poll_rate: float = 10.0    # GET /api/v1/queue/s (boards that poll)
    complaint_rate: float = 1.0      # POST /api/v1/complaints/s
    complaint_status_rate: float = 3.0  # GET /api/v1/complaints/{code}/s, a third with the PIN
    hold: float = 2.0          # mean service hold at a counter, seconds (log-normal)
    hold_sigma: float = 0.6
    gap: float = 0.3           # between complete and the next "next"
    idle: float = 0.5          # nobody waiting: try again after this
    recall_after: float = 0.5  # a recall comes this long after the call
    p_recall: float = 0.08
    p_no_show: float = 0.04
    p_transfer: float = 0.04
    pool: int = 12             # keep-alive connections per load process for the public requests
    printer: str = "spool"     # the default PRINTER_URL (file://instance/spool), or "none" for comparison
    history: int = 0           # tickets of history before today (the executive's reports read them)

    @property
    def duration(self) -> float:
        return self.warmup + self.seconds

    def desk(self) -> dict:
        return {"hold": self.hold, "hold_sigma": self.hold_sigma, "gap": self.gap, "idle": self.idle,
                "recall_after": self.recall_after, "p_recall": self.p_recall, "p_no_show": self.p_no_show,
                "p_transfer": self.p_transfer, "services": SERVICES}


FULL = Day(history=1_000_000)
QUICK = Day(warmup=2.0, seconds=15.0)


def morning(duration: float):
    """The day's shape, at most 1: a peak about a third into the day over a floor of a quarter."""
    def shape(t: float) -> float:
        return 0.25 + 0.75 * math.exp(-(((t / duration) - 0.35) / 0.2) ** 2)
    return shape


def mean_of(shape, duration: float, steps: int = 1000) -> float:
    return sum(shape((i + 0.5) * duration / steps) for i in range(steps)) / steps


# --- the public side's arrivals ----------------------------------------------------------------------------

COMPLAINT_TYPES = ["complaint", "complaint", "question", "suggestion", "praise", "staff_conduct", "corruption"]
SUBJECTS = ["ถนนชำรุดเป็นหลุมบ่อ", "ไฟส่องสว่างทางสาธารณะดับ", "ขยะไม่ได้รับการจัดเก็บ", "น้ำประปาไหลอ่อน",
            "ขอสอบถามเรื่องเบี้ยยังชีพผู้สูงอายุ", "เสียงดังจากสถานประกอบการ", "ท่อระบายน้ำอุดตัน"]


def complaint_body(rnd: random.Random, n: int) -> dict:
    anonymous = rnd.random() < 0.3
    body = {"type": rnd.choice(COMPLAINT_TYPES), "subject": f"{rnd.choice(SUBJECTS)} หมู่ {rnd.randint(1, 12)}",
            "details": f"แจ้งเรื่องผ่านเว็บไซต์ เรื่องที่ {n} ({uuid.uuid4().hex[:8]}) ขอให้ อบต. ตรวจสอบและดำเนินการ",
            "place": f"บ้านเลขที่ {rnd.randint(1, 300)} หมู่ {rnd.randint(1, 12)}", "channel": "web",
            "anonymous": anonymous, "consent": True}
    if not anonymous:
        body["contact"] = {"name": "ผู้แจ้ง ทดสอบ", "phone": f"08{rnd.randint(10_000_000, 99_999_999)}"}
    return body


def arrivals(day: Day, rnd: random.Random) -> list[tuple[float, str, object]]:
    shape = morning(day.duration)
    peak = 1 / mean_of(shape, day.duration)  # rate × peak × shape(t) has mean `rate`
    out: list[tuple[float, str, object]] = []
    for when in load.poisson_arrivals(day.issue_rate * peak, day.duration, rnd, shape):
        out.append((when, "issue", rnd.choice(SERVICES)))
    for when in load.poisson_arrivals(day.ticket_poll_rate * peak, day.duration, rnd, shape):
        out.append((when, "ticket", None))
    for when in load.poisson_arrivals(day.queue_poll_rate, day.duration, rnd):
        out.append((when, "queue", None))
    for n, when in enumerate(load.poisson_arrivals(day.complaint_rate, day.duration, rnd)):
        out.append((when, "complaint", complaint_body(rnd, n)))
    for when in load.poisson_arrivals(day.complaint_status_rate, day.duration, rnd):
        out.append((when, "complaint_status", rnd.random() < 1 / 3))
    out.sort(key=lambda a: a[0])
    return out


# --- the displays ------------------------------------------------------------------------------------------

class Display:
    """One TV on /display: times each `called`, checks that `seq` runs without gaps, resyncs on a gap."""

    def __init__(self, url: str, counters: list[int] | None):
        self.counters = counters
        self.lock = threading.Lock()
        self.epoch: str | None = None
        self.last = 0
        self.closing = False  # we hang up at the end: not counted as a disconnect
        self.stats = {"events": 0, "gaps": 0, "missing": 0, "resyncs": 0, "epoch_changes": 0, "stale": 0,
                      "disconnects": 0}
        self.arrivals: dict[tuple[str, int, bool], list[float]] = {}
        auth = {"counters": ",".join(map(str, counters))} if counters else None
        self.sio = connect_display(url, {"called": self.on_called, "queue": self.on_queue,
                                         "disconnect": self.on_disconnect}, auth)

    def on_called(self, msg: dict) -> None:
        at = time.time()
        with self.lock:
            self.arrivals.setdefault((msg["number"], msg["counter_id"], bool(msg.get("recall"))), []).append(at)
            self.check(msg, snapshot=False)

    def on_queue(self, msg: dict) -> None:
        with self.lock:
            self.check(msg, snapshot=True)

    def on_disconnect(self, *_args) -> None:
        if not self.closing:
            self.stats["disconnects"] += 1

    def check(self, msg: dict, snapshot: bool) -> None:
        seq, epoch = msg.get("seq"), msg.get("epoch")
        self.stats["events"] += 1
        if epoch != self.epoch:
            if self.epoch is not None:
                self.stats["epoch_changes"] += 1
            self.epoch, self.last = epoch, seq
        elif seq == self.last + 1:
            self.last = seq
        elif seq > self.last + 1:
            self.stats["gaps"] += 1
            self.stats["missing"] += seq - self.last - 1
            self.last = seq
            if not snapshot:  # a snapshot is the state itself; after a lost event the TV asks for one
                self.stats["resyncs"] += 1
                self.sio.emit("resync", namespace="/display")
        elif not snapshot:  # an event with an old number: duplicated or out of order
            self.stats["stale"] += 1
        # (a snapshot answering `resync` carries the current number, not a new one: seq <= last is fine)

    def result(self) -> dict:
        with self.lock:
            return {"counters": self.counters, "arrivals": self.arrivals, **self.stats}


def display_process(url: str, groups: list[list[int] | None], ready, stop, out) -> None:
    """Process entry point: one display per item of `groups` (None = every counter)."""
    import resource

    displays: list[Display] = []
    try:
        displays = [Display(url, g) for g in groups]
        ready.put(len(displays))
        stop.wait(900)
    except Exception as exc:  # tell the parent instead of leaving it waiting
        ready.put(f"{type(exc).__name__}: {exc}")
    finally:
        for d in displays:
            d.closing = True
        disconnect_all([d.sio for d in displays])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out.put({"displays": [d.result() for d in displays], "cpu_seconds": usage.ru_utime + usage.ru_stime})


def display_groups(day: Day) -> list[list[int] | None]:
    """Which counters each display shows: groups of three counters for the first few, the rest everything."""
    groups: list[list[int] | None] = []
    for i in range(day.displays):
        if i < day.grouped_displays:
            first = (3 * i) % day.counters + 1
            groups.append([(first - 1 + k) % day.counters + 1 for k in range(3)])
        else:
            groups.append(None)
    return groups


def display_latency(calls: list[tuple[str, int, bool, float]], displays: list[dict], window: tuple[float, float],
                    settle: float) -> dict:
    """Match each call's HTTP answer with the `called` event of the same (number, counter, recall?) at each
    display that shows the counter, in order. `window`: wall-clock times of the measured window; a call
    answered later than `settle` (when the displays stopped listening, less a second) is not expected."""
    by_key: dict[tuple[str, int, bool], list[float]] = {}
    for number, counter, recall, at in calls:
        by_key.setdefault((number, counter, recall), []).append(at)
    for times in by_key.values():
        times.sort()
    latencies: list[float] = []
    thirds: list[list[float]] = [[], [], []]  # by when the call was answered: does a backlog build up?
    span = window[1] - window[0]
    missed = early = 0
    for d in displays:
        shown = set(d["counters"]) if d["counters"] else None
        for key, answered in by_key.items():
            if shown is not None and key[1] not in shown:
                continue
            got = sorted(d["arrivals"].get(key, ()))
            for i, at in enumerate(answered):
                if not window[0] <= at < window[1]:
                    continue
                if i < len(got):
                    latency = (got[i] - at) * 1000
                    latencies.append(latency)
                    thirds[min(2, int(3 * (at - window[0]) / span))].append(latency)
                    early += latency < 0
                elif at < settle:
                    missed += 1
    keys = ("events", "gaps", "missing", "resyncs", "epoch_changes", "stale", "disconnects")
    return {"latency": latencies, "missed": missed, "early": early, "displays": len(displays),
            "p50_thirds": [percentile(t, 50) for t in thirds],
            **{k: sum(d[k] for d in displays) for k in keys}}


# --- one configuration -------------------------------------------------------------------------------------

# The public endpoints are rate-limited per address and all load comes from 127.0.0.1: lift the limits.
# (127.0.0.1 is in KIOSK_ADDRESSES by default, so ticket issue is exempt anyway, as in bench/run.py.)
SERVER_ENV = {"TICKET_RATE_LIMIT": "1000000 per minute", "COMPLAINT_RATE_LIMIT": "1000000 per minute",
              "COMPLAINT_PIN_RATE_LIMIT": "1000000 per minute", "SECRET_KEY": "bench-busy-day"}


def created_missing(url: str, created: dict[str, list]) -> dict[str, int]:
    """Tickets and complaints the server answered 201 for that are not in the database."""
    from sqlalchemy import text

    from tambon.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tickets = set(conn.execute(text("SELECT public_id FROM tickets")).scalars())
            complaints = set(conn.execute(text("SELECT tracking_code FROM complaints")).scalars())
    finally:
        engine.dispose()
    return {"tickets_missing": sum(1 for t in created.get("issue", ()) if t not in tickets),
            "complaints_missing": sum(1 for code, _pin in created.get("complaint", ()) if code not in complaints),
            "complaints_in_db": len(complaints)}


def run_config(config: Config, day: Day, workdir: Path, log_dir: Path, history_cache: bool = False) -> dict:
    """Set up, serve, drive, check; the throw-away database (and Redis keys) go whatever happens."""
    inst = Instance(config.db, workdir, log_dir, config.workers, env=SERVER_ENV,  # > 1 worker: + Redis
                    printer=day.printer)
    try:
        out = drive(config, day, inst, history_cache)
        integrity = db_counts(inst.url)
        for key, before in out.get("history_integrity", {}).items():  # the generated history's own rows
            integrity[key] -= before
        integrity.update(created_missing(inst.url, out["http"]["created"]))
        transferred = set(out["http"]["created"].get("transferred", ()))
        called = [t for t in out["http"]["called"] if t not in transferred]  # a transfer is called again
        integrity["client_duplicates"] = len(called) - len(set(called))
        integrity["client_called"] = len(out["http"]["called"])
        out["integrity"] = integrity
    finally:
        inst.drop()
    return out


def drive(config: Config, day: Day, inst: Instance, history_cache: bool = False) -> dict:
    """The server up, the displays connected, the day's load; everything but the database stopped after.
    history_cache (PostgreSQL): the office with its generated history is kept as a database of its own after
    the first run and copied by the next ones (minutes saved per run: bench/pg.py, history_template_name)."""
    out: dict = {"config": config}
    ctx = mp.get_context("spawn")
    listeners: list = []
    stop = ctx.Event()
    try:
        t = time.time()
        own = inst.pg_name or ""
        kept = (history_template_name(ROOT, tickets=day.history, counters=day.counters)
                if history_cache and day.history and own else None)
        copied = kept is not None and database_exists(kept, PG_ADMIN_URL)
        if kept and copied:
            copy_database(kept, own, PG_ADMIN_URL)
        token = inst.set_up(day.counters)   # on a copied office it adds nothing but a new token
        if day.history:
            if kept and copied:
                out["history"] = {"tickets": day.history, "copied_from": kept}
            else:
                out["history"] = add_history(inst.url, str(inst.dir), day.history)
                if kept:
                    copy_database(own, kept, PG_ADMIN_URL)
                    out["history"]["kept_as"] = kept
            out["history_integrity"] = db_counts(inst.url)
            print(f"[{config.name}] history of {day.history} tickets added: {out['history']}", flush=True)
        inst.start()
        _, out["rss_start"], _ = inst.tree_usage()
        print(f"[{config.name}] instance ready in {time.time() - t:.1f}s, server on :{inst.port}"
              + (f", database {inst.pg_name}" if inst.pg_name else ""), flush=True)

        url = f"http://{HOST}:{inst.port}"
        ready, results_q = ctx.Queue(), ctx.Queue()
        listeners = [ctx.Process(target=display_process, args=(url, part, ready, stop, results_q), daemon=True)
                     for part in split(display_groups(day), day.display_procs) if part]
        for proc in listeners:
            proc.start()
        for _ in listeners:
            answer = ready.get(timeout=120)
            if not isinstance(answer, int):
                raise RuntimeError(f"a display process could not connect: {answer}")
        print(f"[{config.name}] {day.displays} displays connected in {len(listeners)} processes", flush=True)

        rnd = random.Random(2569)
        plan = arrivals(day, rnd)
        counters = [(cid, rnd.uniform(0, 1.0)) for cid in range(1, day.counters + 1)]
        specs = [{"counters": cs, "arrivals": arr, "desk": day.desk(), "pool": day.pool, "seed_ids": [],
                  "headers": {"Authorization": f"Bearer {token}"}, "seed": i, "warmup": day.warmup,
                  "seconds": day.seconds}
                 for i, (cs, arr) in enumerate(zip(split(counters, day.load_procs), split(plan, day.load_procs),
                                                   strict=True))]
        # The executive opens the dashboard and downloads the quarterly PDF in the middle of the day.
        executive = Executive(url, time.time() + 1.5 + day.warmup + day.seconds / 2)
        executive.start()
        http = Runner(day, day.load_procs)._run(inst, load.open_loop, specs, day.seconds)  # noqa: SLF001
        executive.join(300)
        out["executive"] = counters_during(http, executive)
        if day.printer != "none":
            out["printing"] = print_backlog(inst.url)
        http["offered"] = {op: sum(1 for w, o, _ in plan if o == op and w >= day.warmup) / day.seconds
                           for op in {o for _, o, _ in plan}}
        settle = time.time() - 0.5
        time.sleep(1.0)  # the last calls' events are on their way
        stop.set()
        displays, display_cpu = [], 0.0
        for _ in listeners:
            got = results_q.get(timeout=60)
            displays.extend(got["displays"])
            display_cpu += got["cpu_seconds"]
        window = (http["wall_start"] + day.warmup, http["wall_start"] + day.duration)
        out["display"] = display_latency(http.pop("calls"), displays, window, settle)
        out["display"]["client_cpu"] = display_cpu
        out["http"] = http
        _, out["rss_end"], _ = inst.tree_usage()
        lat = [v for values in http["latency"].values() for v in values]
        print(f"[{config.name}] HTTP p99 {percentile(lat, 99):.1f} ms over {len(lat)} requests; display p99 "
              f"{percentile(out['display']['latency'], 99):.1f} ms over {len(out['display']['latency'])} events",
              flush=True)
    finally:
        stop.set()
        deadline = time.time() + 10  # (one that still holds unread results will not exit by itself)
        for proc in listeners:
            proc.join(max(0.1, deadline - time.time()))
        for proc in listeners:
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
        inst.stop()
    return out


def print_backlog(url: str) -> dict:
    """The print outbox when the day ended: printed, still waiting, and how late the printed ones were."""
    from sqlalchemy import text

    from tambon.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            states = dict(conn.execute(text("SELECT status, COUNT(*) FROM print_jobs GROUP BY status")).all())
            rows = conn.execute(text("SELECT created_at, printed_at FROM print_jobs WHERE status = 'printed'")).all()
    finally:
        engine.dispose()

    def seconds(value) -> float:
        from datetime import datetime

        return (value if isinstance(value, datetime) else datetime.fromisoformat(str(value))).timestamp()

    delays = [seconds(p) - seconds(c) for c, p in rows]
    return {"states": states, "delay_p50": percentile(delays, 50), "delay_p99": percentile(delays, 99),
            "delay_max": max(delays) if delays else float("nan")}


def faults(run: dict) -> int:
    i = run["integrity"]
    return (i["double_called"] + i["duplicate_numbers"] + i["number_gaps"] + i["sequence_mismatch"]
            + i["shared_current"] + i["stale_current"] + i["client_duplicates"] + i["tickets_missing"]
            + i["complaints_missing"])


# --- the report --------------------------------------------------------------------------------------------

ENDPOINTS = {
    "issue": "POST /tickets (kiosk)", "ticket": "GET /tickets/{id} (phone)", "queue": "GET /queue (board)",
    "next": "POST /counters/{c}/next", "recall": "POST …/recall", "complete": "POST …/complete",
    "no_show": "POST …/no-show", "transfer": "POST …/transfer", "complaint": "POST /complaints",
    "complaint_status": "GET /complaints/{code}",
}


def summary(runs: list[dict]) -> dict:
    """The figures without the raw samples (for --json and the smoke test)."""
    out = {}
    for r in runs:
        h, d = r["http"], r["display"]
        out[r["config"].name] = {
            "endpoints": {op: {"rate": h["done"].get(op, 0) / h["seconds"], "n": len(h["latency"].get(op, [])),
                               "p50": percentile(h["latency"].get(op, []), 50),
                               "p99": percentile(h["latency"].get(op, []), 99)} for op in ENDPOINTS},
            "errors": h["errors"], "server_cpu": h["server_cpu"], "rss_start": r["rss_start"],
            "rss_end": r["rss_end"],
            "display": {k: v for k, v in d.items() if k != "latency"} | {
                "n": len(d["latency"]), "p50": percentile(d["latency"], 50), "p99": percentile(d["latency"], 99)},
            "integrity": r["integrity"], "faults": faults(r),
            "executive": {k: v for k, v in (r.get("executive") or {}).items()},
            "printing": r.get("printing"), "history": r.get("history"),
        }
    return out


def report(day: Day, quick: bool, machine: dict, runs: list[dict], skipped: dict[str, str], elapsed: float,
           load_end: str, cmd: str = "python -m bench.busy_day") -> str:
    mib = 2 ** 20
    lines = ["## A busy day, compressed (issue #7)", "",
             f"Written by `{cmd}` (bench/busy_day.py) in {elapsed:.0f} s. "
             + ("**Quick run: short window, figures are rough.**" if quick else ""), "",
             f"An office day squeezed into {day.seconds:.0f} s measured (after {day.warmup:.0f} s not measured), "
             f"against the real server (`tambon serve`, gunicorn {worker_class()}) on a fresh instance, driven from "
             f"separate processes on the same machine (clients and server share the cores): {day.load_procs} HTTP "
             f"load processes (keep-alive, open loop: latency counts from each request's *planned* send time) and "
             f"{day.display_procs} Socket.IO processes holding {day.displays} displays on /display "
             f"({day.displays - day.grouped_displays} showing every counter, {day.grouped_displays} a group of "
             "three).", "",
             f"- kiosks: {day.issue_rate:g} tickets/s on average, rising to a morning peak of about "
             f"{day.issue_rate / mean_of(morning(day.duration), day.duration):.0f}/s a third into the day, then "
             "falling off (a Poisson process with a varying rate);",
             f"- {day.counters} counters: next → service hold (log-normal, mean {day.hold:g} s) → complete, "
             f"{day.gap:g} s, next …; {day.p_recall:.0%} of calls recalled once, {day.p_no_show:.0%} no-shows "
             f"(recall, then no-show), {day.p_transfer:.0%} transferred to another service; "
             f"nobody waiting → next again after {day.idle:g} s;",
             f"- phones polling GET /tickets/{{id}} of tickets their load process issued: {day.ticket_poll_rate:g}/s "
             f"(same shape as the kiosks); boards polling GET /queue: {day.queue_poll_rate:g}/s;",
             f"- complaints: {day.complaint_rate:g}/s POST /complaints (public; the per-address limits "
             "TICKET_RATE_LIMIT, COMPLAINT_RATE_LIMIT and COMPLAINT_PIN_RATE_LIMIT are lifted for the run, "
             f"since all load comes from 127.0.0.1), {day.complaint_status_rate:g}/s status reads, a third with "
             "the PIN.", "",
             "Server CPU: cores used over the measured window, summed over the gunicorn master and its workers "
             "(utime + stime from /proc/<pid>/stat). RSS: summed over the same processes, MiB.", "",
             "### Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine.items()]
    lines += [f"| Load average at end (1/5/15 min) | {load_end} |", "",
              "Figures from a shared machine (see the load average) are noisy and only indicative.", "",
              "### Configurations", "",
              "| Configuration | server CPU (cores) | server RSS MiB start → end | client CPU: HTTP / displays "
              "(cores) | requests/s done | next answered 204 |", "|---|---|---|---|---|---|"]
    for r in runs:
        h, d = r["http"], r["display"]
        wall = day.duration
        lines.append(f"| {r['config'].title} | {h['server_cpu']:.2f} | {r['rss_start'] / mib:.0f} → "
                     f"{r['rss_end'] / mib:.0f} | {h['client_cpu'] / wall:.2f} / {d['client_cpu'] / wall:.2f} | "
                     f"{sum(h['done'].values()) / h['seconds']:.0f} | {h['empty']} |")
    lines += ["", "### HTTP, per endpoint", "",
              "| Configuration | endpoint | offered/s | done/s | p50 ms | p90 ms | p99 ms | max ms | errors |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        h = r["http"]
        for op, label in ENDPOINTS.items():
            lat = h["latency"].get(op, [])
            errs = ", ".join(f"{k.split(' ', 1)[1]}: {v}" for k, v in sorted(h["errors"].items())
                             if k.split(" ", 1)[0] == op) or "0"
            offered = h["offered"].get(op)
            lines.append(f"| {r['config'].name} | {label} | {'–' if offered is None else f'{offered:.1f}'} | "
                         f"{h['done'].get(op, 0) / h['seconds']:.1f} | {ms(percentile(lat, 50))} | "
                         f"{ms(percentile(lat, 90))} | {ms(percentile(lat, 99))} | "
                         f"{ms(max(lat) if lat else float('nan'))} | {errs} |")
        other = {k: v for k, v in h["errors"].items() if k.split(" ", 1)[0] not in ENDPOINTS}
        if other:
            lines.append(f"| {r['config'].name} | other errors | | | | | | | "
                         f"{', '.join(f'{k}: {v}' for k, v in sorted(other.items()))} |")
    lines += ["", f"### The executive in the middle of the day ({day.history:,} tickets of history before today)", "",
              "Logged in as the demo executive, half-way through the measured window: the dashboard (this "
              "quarter), then the quarterly PDF of the last quarter, one after the other. *While*: counter "
              "requests (next, recall, complete, no-show, transfer) planned while one of them ran. "
              "Target (issue #22): counter p99 < 50 ms meanwhile.", "",
              "| Configuration | dashboard s | quarterly PDF s | counter requests while | p50 / p99 / max ms while | "
              "p50 / p99 ms before the executive came | counter p99 ms the rest of the day | target |",
              "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        e = r.get("executive")
        if not e:
            continue
        took = {q["name"]: f"{q['end'] - q['start']:.2f} ({q['status']})" for q in e["requests"]}
        lines.append(f"| {r['config'].name} | {took.get('dashboard', e['error'] or '–')} | "
                     f"{took.get('quarterly PDF', '–')} | {e['inside_n']} | {ms(e['inside_p50'])} / "
                     f"{ms(e['inside_p99'])} / {ms(e['inside_max'])} | "
                     f"{ms(e.get('before_p50', float('nan')))} / {ms(e.get('before_p99', float('nan')))} | "
                     f"{ms(e['outside_p99'])} | "
                     f"{'met' if e['inside_p99'] < 50 else '**missed**'} |")
    lines += ["", f"### Printing ({'PRINTER_URL=none' if day.printer == 'none' else 'the default spool'})", "",
              "The print outbox when the day ended: the print worker process (`tambon printer run`, started by "
              "`tambon serve`) renders and writes every ticket while the day goes on.", "",
              "| Configuration | jobs printed | still waiting | ticket → printed p50 / p99 / max ms |",
              "|---|---|---|---|"]
    for r in runs:
        p = r.get("printing")
        if p:
            waiting = p["states"].get("pending", 0) + p["states"].get("sending", 0)
            lines.append(f"| {r['config'].name} | {p['states'].get('printed', 0)} | {waiting} | "
                         f"{ms(p['delay_p50'] * 1000)} / {ms(p['delay_p99'] * 1000)} / {ms(p['delay_max'] * 1000)} |")
    lines += ["", "### Displays: the `called` event", "",
              "Latency from the moment the HTTP answer of a call (next or recall) reached the counter's load "
              "process to the `called` event at each display showing that counter (wall clock, same machine; "
              "negative when the event beat the HTTP answer). *Missed*: a call answered in the window whose event "
              "never came (within a second of the end: a backlog shows here). *By third*: p50 of the calls answered in "
              "the first, middle and last third of the measured window; rising = the push falls behind. *Gaps*: "
              "a jump in a display's sequence numbers (after an event the display sends `resync`, after a "
              "snapshot it is in step again); *stale*: an event with an old number (a gap then a stale event = "
              "two messages swapped).", "",
              "| Configuration | events timed | p50 ms | p90 ms | p99 ms | max ms | p50 ms by third of the day | "
              "before the HTTP answer | missed | gaps (numbers lost) | resyncs | stale | epoch changes | "
              "disconnects |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        d = r["display"]
        lat = d["latency"]
        lines.append(f"| {r['config'].name} | {len(lat)} | {ms(percentile(lat, 50))} | {ms(percentile(lat, 90))} | "
                     f"{ms(percentile(lat, 99))} | {ms(max(lat) if lat else float('nan'))} | "
                     f"{' → '.join(ms(v) for v in d['p50_thirds'])} | {d['early']} | "
                     f"{d['missed']} | {d['gaps']} ({d['missing']}) | {d['resyncs']} | {d['stale']} | "
                     f"{d['epoch_changes']} | {d['disconnects']} |")
    lines += ["", "### Integrity afterwards, from the database", "",
              "bench/run.py's checks (a ticket called twice without a transfer or park between = a double "
              "assignment; duplicate or missing numbers; daily_sequences out of step; a ticket held by two "
              "counters), the same on the client side (every ticket handed out by *next*, across all load "
              "processes, distinct unless it was transferred), and every ticket and complaint answered 201 found "
              "in the database.", "",
              "| Configuration | tickets | complaints | CALLED events | completed | waiting at the end | "
              "**double assignments** | duplicate numbers / gaps / seq. mismatches | shared / stale current | "
              "client-side duplicates | 201 but missing: tickets / complaints |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        i = r["integrity"]
        lines.append(f"| {r['config'].name} | {i['tickets']} | {i['complaints_in_db']} | {i['called_events']} | "
                     f"{i['completed']} | {i['waiting']} | **{i['double_called']}** | {i['duplicate_numbers']} / "
                     f"{i['number_gaps']} / {i['sequence_mismatch']} | {i['shared_current']} / "
                     f"{i['stale_current']} | {i['client_duplicates']} of {i['client_called']} | "
                     f"{i['tickets_missing']} / {i['complaints_missing']} |")
    lines += ["", f"**Integrity faults: {sum(faults(r) for r in runs)}**", ""]
    for name, why in skipped.items():
        lines += [f"*{name} skipped: {why}*", ""]
    lines += ["```", "make bench                                   # everything, this included",
              ".venv/bin/python -m bench.busy_day           # SQLite and PostgreSQL + Redis, 2 workers",
              ".venv/bin/python -m bench.busy_day --quick   # ~15 s measured per configuration",
              ".venv/bin/python -m bench.busy_day --configs all --out /tmp/b.md",
              ".venv/bin/python -m bench.busy_day --configs postgresql-redis --history-cache   # runs after the "
              "first copy its 1M-ticket history (~1.5 instead of ~6 min)", "```", "",
              "PostgreSQL: a throw-away database on `TAMBON_BENCH_POSTGRES`, dropped afterwards; Redis: "
              f"`TAMBON_BENCH_REDIS` (default `{REDIS_URL}`), a channel of its own, its keys deleted afterwards. "
              "Server logs: `bench/out/server-sqlite.log`, `server-postgresql-2w.log`, ….", ""]
    return "\n".join(lines)


def _terminate(signum, _frame):
    """SIGTERM/SIGINT: run the `finally` blocks (servers stopped, databases dropped), deaf to a second one."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print(f"signal {signum}: stopping the servers, dropping the databases", file=sys.stderr, flush=True)
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.busy_day", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="~15 s measured per configuration")
    parser.add_argument("--configs", default=",".join(DEFAULT_CONFIGS),
                        help=f"comma-separated, of {', '.join(CONFIGS)}; or 'all'")
    parser.add_argument("--seconds", type=float, default=None, help="measured seconds (overrides --quick)")
    parser.add_argument("--warmup", type=float, default=None)
    parser.add_argument("--displays", type=int, default=None, help="Socket.IO display clients (default 50)")
    parser.add_argument("--display-procs", type=int, default=None)
    parser.add_argument("--grouped-displays", type=int, default=None,
                        help="how many of the displays show a group of three counters (default 10)")
    parser.add_argument("--load-procs", type=int, default=None)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every arrival rate")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"), help="Markdown file to write the section to")
    parser.add_argument("--no-write", action="store_true", help="only print the figures")
    parser.add_argument("--json", default=None, help="also dump the summary here")
    parser.add_argument("--printer", choices=["spool", "none"], default="spool",
                        help="spool: the default PRINTER_URL (every ticket printed, the real path); none: comparison")
    parser.add_argument("--history-cache", action="store_true",
                        help="PostgreSQL: keep the generated history as a database of its own and copy it in the "
                             "next runs (same code, same day); drop them with bench.pg's drop_database")
    parser.add_argument("--history", type=int, default=None,
                        help="tickets of history before today for the executive's reports (default 1,000,000; "
                             "--quick: 0)")
    args = parser.parse_args(argv)

    names = list(CONFIGS) if args.configs == "all" else [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown or not names:
        parser.error(f"unknown configuration(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(CONFIGS)}")
    day = QUICK if args.quick else FULL
    changes = {k: v for k, v in (("seconds", args.seconds), ("warmup", args.warmup), ("displays", args.displays),
                                 ("display_procs", args.display_procs), ("load_procs", args.load_procs),
                                 ("grouped_displays", args.grouped_displays), ("history", args.history))
               if v is not None}
    changes["printer"] = args.printer
    if args.scale != 1.0:
        changes.update({k: getattr(day, k) * args.scale for k in ("issue_rate", "ticket_poll_rate",
                                                                  "queue_poll_rate", "complaint_rate",
                                                                  "complaint_status_rate")})
    day = replace(day, **changes)
    day = replace(day, grouped_displays=min(day.grouped_displays, day.displays))
    if day.seconds <= 0 or day.displays < 1 or day.display_procs < 1 or day.load_procs < 1:
        parser.error("--seconds, --displays, --display-procs and --load-procs must be positive")

    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)
    started = time.time()
    pg_version = pg_server_version()
    machine = machine_info(pg_version)
    skipped: dict[str, str] = {}
    configs = [CONFIGS[n] for n in names]
    if any(c.db == "postgresql" for c in configs) and pg_version is None:
        skipped.update({c.name: "PostgreSQL not reachable" for c in configs if c.db == "postgresql"})
    if any(c.redis for c in configs) and not redis_reachable():
        skipped.update({c.name: f"Redis not reachable at {REDIS_URL}" for c in configs if c.redis})
    configs = [c for c in configs if c.name not in skipped]
    runs = run_each(configs, lambda config, workdir, log_dir: run_config(config, day, workdir, log_dir,
                                                                         args.history_cache),
                    "tambon-busy-day-")
    load_end = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    cmd = " ".join(["python -m bench.busy_day", *(sys.argv[1:] if argv is None else argv)])
    text = report(day, args.quick, machine, runs, skipped, time.time() - started, load_end, cmd)
    print(text)
    if not args.no_write:
        replace_section(Path(args.out), SECTION, text)
        print(f"wrote the {SECTION} section of {args.out}")
    if args.json:
        Path(args.json).write_text(json.dumps(summary(runs), indent=1, default=str))
    return 1 if any(faults(r) for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
