"""`make bench`: the queue's hot path over real HTTP against the real server, on SQLite and PostgreSQL.

For each database: a fresh instance (``tambon db upgrade``, ``tambon demo``, 30 counters), then
``tambon serve`` (gunicorn's gevent worker; ``--worker-class gthread`` for the fallback) as a subprocess, then load generators in separate
processes over keep-alive loopback connections:

a) saturation, 16 clients issuing tickets (POST /api/v1/tickets);
b) saturation, 16 counters doing serve cycles (POST …/next then …/complete) on a pre-filled queue;
c) a heavy office day squeezed into ~25 s: open-loop arrivals at ~200 requests/s from 30 counters,
   the kiosks and status polls; latency counted from each request's *scheduled* send time;
d) integrity, from the database afterwards: no ticket called twice, no duplicate or missing number.

Writes BENCHMARKS.md. ``--quick`` is a ~1 minute smoke run of the same thing.
Top-level imports stay light: the load-generator processes are spawned and re-import this module.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import load
from bench.pg import create_database, drop_database
from bench.sections import replace_section

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SERVICES = ["TAX", "WELFARE", "BUILD", "HELP"]
REDIS_URL = os.environ.get("TAMBON_BENCH_REDIS", "redis://127.0.0.1:6379/0")
PG_ADMIN_URL = os.environ.get("TAMBON_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")

# Bars from DEVELOPERS.md: an established open-source Flask queue system on a 2-core machine.
BAR_ISSUE, TARGET_ISSUE = 107.0, 1070.0
BAR_CYCLE, TARGET_CYCLE = 160.0, 800.0
TARGET_OFFICE_P99_MS = 25.0


@dataclass(frozen=True)
class Plan:
    warmup: float          # seconds run but not measured, at the start of every scenario
    saturation: float      # measured seconds of a) and b)
    office: float          # measured seconds of c)
    clients: int = 16      # concurrent clients of a) and b)
    counters: int = 30     # counters of c)
    cycle_period: float = 1.0  # c): each counter presses "next" every period seconds ...
    hold: float = 0.4      # ... and "complete" this long after
    issue_rate: float = 30.0   # c): kiosk tickets per second
    ticket_poll_rate: float = 80.0  # c): GET /api/v1/tickets/{id} per second (phones, the kiosk)
    queue_poll_rate: float = 30.0   # c): GET /api/v1/queue per second (display boards, counter pages)

    @property
    def office_rate(self) -> float:
        return (self.counters * 2 / self.cycle_period + self.issue_rate + self.ticket_poll_rate
                + self.queue_poll_rate)


FULL = Plan(warmup=2.0, saturation=10.0, office=23.0)
QUICK = Plan(warmup=1.0, saturation=4.0, office=8.0)


# --- machine ------------------------------------------------------------------------------------------

def machine_info(pg_version: str | None) -> dict[str, str]:
    import sqlite3

    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import gunicorn
    import sqlalchemy

    return {
        "CPU": f"{model} × {os.cpu_count()} (nproc {len(os.sched_getaffinity(0))})",
        "Memory": memory,
        "Load average at start (1/5/15 min)": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": pg_version or "not reachable (skipped)",
        "SQLAlchemy / gunicorn": f"{sqlalchemy.__version__} / {gunicorn.__version__}",
        "Date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "Python speed (10,000,000 additions in a loop, best of 3)": f"{python_speed():.2f} s",
    }


def python_speed() -> float:
    """Seconds for a fixed pure-Python loop, best of 3: VMs of one kind differ from day to day by 2× and more,
    and this tells a reader which day's figures came from the slower machine."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def worker_class() -> str:
    """`tambon serve`'s worker class for the servers started here (its default unless set)."""
    return os.environ.get("TAMBON_WORKER_CLASS", "gevent")


def redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:
        return False


def pg_server_version() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3, autocommit=True) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception:
        return None


# --- the instance and the server ---------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def tambon_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "tambon"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tambon.cli"]


class Instance:
    """A fresh database + instance folder, set up through the real CLI, served by `tambon serve`."""

    def __init__(self, kind: str, workdir: Path, log_dir: Path, workers: int = 1, *,
                 env: dict[str, str] | None = None, printer: str = "spool"):
        """kind: "sqlite" or "postgresql"; workers: server processes (`tambon serve --workers`; more than one
        talk through a Redis message queue); env: extra environment for the server (e.g. rate limits);
        printer: "spool" (the default PRINTER_URL: every ticket printed to instance/spool, as in an office,
        by the print worker process `tambon serve` starts), "none" (PRINTER_URL=none), or a printer URL."""
        self.kind = kind
        self.workers = workers
        self.label = (kind if workers == 1 else f"{kind}, {workers} workers + Redis") + (
            "" if printer == "spool" else f", PRINTER_URL={printer}")
        name = (kind if workers == 1 else f"{kind}-{workers}w") + ("" if printer == "spool" else "-no-printer"
                                                                   if printer == "none" else "-printer")
        self.dir = workdir / name
        self.dir.mkdir(parents=True)
        self.log_path = log_dir / f"server-{name}.log"
        self.pg_name = None
        if kind == "sqlite":
            self.url = f"sqlite:///{self.dir / 'tambon.sqlite3'}"
        else:
            self.pg_name, self.url = create_database("tambon_bench", PG_ADMIN_URL)
        # Printing on by default (issue #22: the real path); PRINTER_URL=none only to compare.
        self.printer = printer
        self.env = {**os.environ, "TAMBON_INSTANCE": str(self.dir), "DATABASE_URL": self.url, **(env or {})}
        self.env.pop("PRINTER_URL", None)
        if printer != "spool":
            self.env["PRINTER_URL"] = printer
        self.env.pop("TAMBON_ACCESS_LOG", None)
        self.env["TAMBON_WORKERS"] = str(workers)
        if workers > 1:  # several processes reach every display through Redis (a channel of its own)
            self.env["SOCKETIO_MESSAGE_QUEUE"] = REDIS_URL
            self.env["SOCKETIO_CHANNEL"] = f"tambon-bench-{os.getpid()}-{name}"
        else:
            self.env.pop("SOCKETIO_MESSAGE_QUEUE", None)
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def cli(self, *args: str) -> str:
        done = subprocess.run([*tambon_cmd(), *args], env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"tambon {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def set_up(self, counters: int) -> str:
        """Schema and demo office through the CLI, then counters up to `counters` serving every service,
        and a bearer token for counter staff. Returns the token."""
        self.cli("db", "upgrade")
        self.cli("demo")
        from kiosk.setup import upsert_counter
        from tambon import create_app
        from tambon.auth import service as users
        from tambon.auth.policy import CLI
        from tambon.db import get_session

        app = create_app({"INSTANCE_PATH": str(self.dir), "DATABASE_URL": self.url})
        with app.app_context():
            session = get_session()
            from sqlalchemy import func, select

            from kiosk.models import Counter

            have = session.scalar(select(func.count()).select_from(Counter))
            for n in range(have + 1, counters + 1):
                upsert_counter(session, name=f"ช่อง {n}", name_en=f"Counter {n}", service_codes=SERVICES)
            token = users.create_token(session, "counter1", "bench", actor=CLI)
        app.extensions["tambon.engine"].dispose()
        return token

    def start(self) -> None:
        self.port = free_port()
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen([*tambon_cmd(), "serve", "--host", HOST, "--port", str(self.port),
                                      "--workers", str(self.workers)],
                                     env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        from tambon.cli import WORKER_READY

        deadline = time.time() + 90
        ready = WORKER_READY.split("%s")[0]
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log_path}")
            # Every worker first: keep-alive clients that connect while only one is up all stay on that one.
            if self.log_path.read_text(errors="replace").count(ready) < self.workers:
                time.sleep(0.2)
                continue
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/api/v1/services")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server did not answer in time; see {self.log_path}")

    def processes(self):
        import psutil

        master = psutil.Process(self.proc.pid)
        return [master, *master.children(recursive=True)]

    def tree_usage(self) -> tuple[float, int, int]:
        """(CPU seconds so far of gunicorn master + workers, summed; RSS bytes summed; RSS of the biggest),
        as the kernel reports them in /proc/<pid>/stat and /statm (through psutil)."""
        cpu, rss_sum, rss_max = 0.0, 0, 0
        for p in self.processes():
            try:
                t = p.cpu_times()
                rss = p.memory_info().rss
            except Exception:  # a process that just exited
                continue
            cpu += t.user + t.system
            rss_sum += rss
            rss_max = max(rss_max, rss)
        return cpu, rss_sum, rss_max

    def usage(self) -> tuple[float, int]:
        """(CPU seconds so far of gunicorn master + worker, RSS bytes of the biggest process)."""
        cpu, _, rss = self.tree_usage()
        return cpu, rss

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the master and its workers (own session)
                self.proc.wait()
        if self.proc is not None:
            self._log.close()

    def drop(self) -> None:
        """The throw-away PostgreSQL database, and this instance's display sequences in Redis."""
        try:
            if self.pg_name:
                drop_database(self.pg_name, PG_ADMIN_URL)
        finally:
            channel = self.env.get("SOCKETIO_CHANNEL")
            if self.workers > 1 and channel:
                drop_redis_keys(f"tambon:display:{channel}:*")


def drop_redis_keys(pattern: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        keys = list(client.scan_iter(pattern))
        if keys:
            client.delete(*keys)
    except redis.RedisError as exc:  # a leftover key or two must not hide the figures
        print(f"could not delete Redis keys {pattern}: {exc}", file=sys.stderr, flush=True)
    finally:
        client.close()


# --- scenarios -------------------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def merge(results: list[dict]) -> dict:
    merged: dict = {"latency": {}, "done": {}, "errors": {}, "empty": 0, "called": [], "calls": [], "created": {},
                    "client_cpu": 0.0, "timeline": {}}
    for r in results:
        for op, values in r["latency"].items():
            merged["latency"].setdefault(op, []).extend(values)
            merged["timeline"].setdefault(op, []).extend(r.get("timeline", {}).get(op, ()))
        for op, n in r["done"].items():
            merged["done"][op] = merged["done"].get(op, 0) + n
        for key, n in r["errors"].items():
            merged["errors"][key] = merged["errors"].get(key, 0) + n
        merged["empty"] += r["empty"]
        merged["called"].extend(r["called"])
        merged["calls"].extend(r.get("calls", ()))
        for op, items in r.get("created", {}).items():
            merged["created"].setdefault(op, []).extend(items)
        merged["client_cpu"] += r["cpu_seconds"]
    return merged


def split(items: list, parts: int) -> list[list]:
    return [items[i::parts] for i in range(parts)]


class Runner:
    def __init__(self, plan: Plan, procs: int):
        self.plan = plan
        self.procs = procs
        self.ctx = mp.get_context("spawn")

    def _run(self, inst: Instance, fn, specs: list[dict], seconds: float) -> dict:
        """Run the load specs in parallel processes; measure the server's CPU over the measured window."""
        with self.ctx.Pool(len(specs)) as pool:
            wall_start = time.time() + 1.5  # every process connects, then all start together
            for spec in specs:
                spec.update(host=HOST, port=inst.port, wall_start=wall_start)
            pending = pool.map_async(fn, specs)
            time.sleep(max(0.0, wall_start - time.time() + self.plan.warmup))
            cpu0, _, _ = inst.tree_usage()
            t0 = time.time()
            time.sleep(seconds)
            cpu1, rss_sum, rss = inst.tree_usage()
            wall = time.time() - t0
            results = pending.get(timeout=seconds + self.plan.warmup + 120)
        merged = merge(results)
        merged["server_cpu"] = (cpu1 - cpu0) / wall
        merged["server_rss"] = rss
        merged["server_rss_sum"] = rss_sum
        merged["wall_start"] = wall_start
        merged["seconds"] = seconds
        return merged

    def saturation_issue(self, inst: Instance, seconds: float | None = None, seed: int = 1) -> dict:
        seconds = seconds or self.plan.saturation
        specs = [{"kind": "issue", "clients": part, "services": SERVICES, "seed": seed * 100 + i,
                  "warmup": self.plan.warmup, "seconds": seconds, "batch_scheduling": True}
                 for i, part in enumerate(split(list(range(self.plan.clients)), self.procs))]
        return self._run(inst, load.closed_loop, specs, seconds)

    def saturation_cycles(self, inst: Instance, token: str, batch_scheduling: bool = True) -> dict:
        """b): the clients run as SCHED_BATCH processes unless batch_scheduling is False (load.yield_to_the_server)."""
        headers = {"Authorization": f"Bearer {token}"}
        specs = [{"kind": "cycle", "clients": part, "headers": headers, "seed": i,
                  "warmup": self.plan.warmup, "seconds": self.plan.saturation, "batch_scheduling": batch_scheduling}
                 for i, part in enumerate(split(list(range(1, self.plan.clients + 1)), self.procs))]
        return self._run(inst, load.closed_loop, specs, self.plan.saturation)

    def office(self, inst: Instance, token: str, seed_ids: list[str]) -> dict:
        plan = self.plan
        duration = plan.warmup + plan.office
        rnd = random.Random(2569)
        arrivals = []
        for op, rate in (("issue", plan.issue_rate), ("ticket", plan.ticket_poll_rate),
                         ("queue", plan.queue_poll_rate)):
            for when in load.poisson_arrivals(rate, duration, rnd):
                arrivals.append((when, op, rnd.choice(SERVICES) if op == "issue" else None))
        arrivals.sort()
        counters = [(cid, rnd.uniform(0, plan.cycle_period)) for cid in range(1, plan.counters + 1)]
        specs = [{"counters": cs, "arrivals": arr, "period": plan.cycle_period, "hold": plan.hold,
                  "headers": {"Authorization": f"Bearer {token}"}, "pool": 16, "seed_ids": seed_ids,
                  "seed": i, "warmup": plan.warmup, "seconds": plan.office}
                 for i, (cs, arr) in enumerate(zip(split(counters, self.procs), split(arrivals, self.procs),
                                                   strict=True))]
        result = self._run(inst, load.open_loop, specs, plan.office)
        result["offered"] = {op: sum(1 for w, o, _ in arrivals if o == op and w >= plan.warmup) / plan.office
                             for op in ("issue", "ticket", "queue")}
        return result


# --- integrity ------------------------------------------------------------------------------------------

INTEGRITY_SQL = {
    # A ticket called more than once although it was never parked or transferred (the only ways back).
    "double_called": """
        SELECT COUNT(*) FROM (
          SELECT e.ticket_id FROM ticket_events e WHERE e.type = 'called'
          AND e.ticket_id NOT IN (SELECT ticket_id FROM ticket_events WHERE type IN ('parked', 'transferred'))
          GROUP BY e.ticket_id HAVING COUNT(*) > 1) AS x""",
    "duplicate_numbers": """
        SELECT COUNT(*) FROM (SELECT business_date, issued_service_id, number FROM tickets
          GROUP BY business_date, issued_service_id, number HAVING COUNT(*) > 1) AS x""",
    # Numbers must run 1..n without a hole for each service and day.
    "number_gaps": """
        SELECT COUNT(*) FROM (SELECT business_date, issued_service_id FROM tickets
          GROUP BY business_date, issued_service_id HAVING MAX(number) <> COUNT(*) OR MIN(number) <> 1) AS x""",
    "sequence_mismatch": """
        SELECT COUNT(*) FROM daily_sequences s WHERE s.last_number <> (SELECT MAX(t.number) FROM tickets t
          WHERE t.business_date = s.business_date AND t.issued_service_id = s.service_id)""",
    # Two counters holding the same ticket, or a counter holding a ticket that is not at a counter.
    "shared_current": """
        SELECT COUNT(*) FROM (SELECT current_ticket_id FROM counters WHERE current_ticket_id IS NOT NULL
          GROUP BY current_ticket_id HAVING COUNT(*) > 1) AS x""",
    "stale_current": """
        SELECT COUNT(*) FROM counters c JOIN tickets t ON t.id = c.current_ticket_id
          WHERE t.status NOT IN ('called', 'serving') OR t.counter_id <> c.id""",
    "tickets": "SELECT COUNT(*) FROM tickets",
    "called_events": "SELECT COUNT(*) FROM ticket_events WHERE type = 'called'",
    "completed": "SELECT COUNT(*) FROM tickets WHERE status = 'completed'",
    "waiting": "SELECT COUNT(*) FROM tickets WHERE status = 'waiting'",
}


def db_counts(url: str, names: tuple[str, ...] = tuple(INTEGRITY_SQL)) -> dict[str, int]:
    from sqlalchemy import text

    from tambon.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {name: conn.execute(text(INTEGRITY_SQL[name])).scalar_one() for name in names}
    finally:
        engine.dispose()


def seed_ids(url: str, n: int = 200) -> list[str]:
    from sqlalchemy import text

    from tambon.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT public_id FROM tickets ORDER BY id DESC LIMIT :n"), {"n": n})
                        .scalars())
    finally:
        engine.dispose()


# --- one database ---------------------------------------------------------------------------------------

def bench_database(kind: str, runner: Runner, workdir: Path, log_dir: Path, workers: int = 1,
                   printer: str = "spool") -> dict:
    plan = runner.plan
    inst = Instance(kind, workdir, log_dir, workers, printer=printer)
    out: dict = {"kind": inst.label}
    kind = inst.label
    try:
        t = time.time()
        token = inst.set_up(plan.counters)
        inst.start()
        print(f"[{kind}] instance ready in {time.time() - t:.1f}s, server on :{inst.port}", flush=True)

        out["issue"] = runner.saturation_issue(inst)
        rate = out["issue"]["done"].get("issue", 0) / plan.saturation
        print(f"[{kind}] a) issue: {rate:.0f} tickets/s", flush=True)

        # b) needs a queue that does not run dry: a cycle takes at least as long as an issue. Two runs of it.
        need = 2 * int(rate * (plan.warmup + plan.saturation) * 0.75) + 400
        waiting = db_counts(inst.url, ("waiting",))["waiting"]
        if waiting < need:
            extra = (need - waiting) / max(rate, 50.0) * 1.2
            runner.saturation_issue(inst, seconds=extra, seed=7)
            waiting = db_counts(inst.url, ("waiting",))["waiting"]
            print(f"[{kind}] topped the queue up to {waiting} waiting", flush=True)
        out["prefilled"] = waiting
        out["cycle"] = runner.saturation_cycles(inst, token)
        print(f"[{kind}] b) cycles: {out['cycle']['done'].get('cycle', 0) / plan.saturation:.0f} cycles/s "
              f"(empty answers: {out['cycle']['empty']})", flush=True)
        out["cycle_default_sched"] = runner.saturation_cycles(inst, token, batch_scheduling=False)
        print(f"[{kind}] b') cycles, clients at the default policy: "
              f"{out['cycle_default_sched']['done'].get('cycle', 0) / plan.saturation:.0f} cycles/s", flush=True)

        out["office"] = runner.office(inst, token, seed_ids(inst.url))
        lat = [v for op, values in out["office"]["latency"].items() for v in values]
        print(f"[{kind}] c) office: p99 {percentile(lat, 99):.1f} ms over {len(lat)} requests", flush=True)
        _, out["rss_end"] = inst.usage()
    finally:
        inst.stop()
    try:
        out["integrity"] = db_counts(inst.url)
        called = (out["cycle"]["called"] + out["cycle_default_sched"]["called"] + out["office"]["called"]
                  if "office" in out else [])
        out["integrity"]["client_duplicates"] = len(called) - len(set(called))
        out["integrity"]["client_called"] = len(called)
    finally:
        inst.drop()
    return out


def run_each(items: list, bench_one: Callable[[Any, Path, Path], dict], prefix: str) -> list[dict]:
    """bench_one(item, workdir, log_dir) for each item: instances in a scratch folder removed afterwards
    (whatever happens), server logs kept in bench/out/."""
    log_dir = ROOT / "bench" / "out"
    log_dir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        return [bench_one(item, workdir, log_dir) for item in items]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --- the report -----------------------------------------------------------------------------------------

def ms(value: float) -> str:
    return "–" if value != value else f"{value:.1f}"  # NaN → dash


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def errors_text(result: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(result["errors"].items())) or "0"


def report(plan: Plan, quick: bool, machine: dict, runs: list[dict], skipped: dict[str, str],
           elapsed: float) -> str:
    lines = ["## The queue over HTTP (`make bench`: bench/run.py)", ""]
    lines.append(f"Written by `{'python -m bench.run --quick' if quick else 'make bench'}` "
                 f"(bench/run.py) in {elapsed:.0f} s. " + ("**Quick smoke run: short windows, figures are rough.**"
                                                           if quick else ""))
    lines += ["", f"The real server (`tambon serve`: gunicorn, {worker_class()} worker class; one worker process, or two "
              "where a row says *2 workers + Redis*: `--workers 2` with `SOCKETIO_MESSAGE_QUEUE` on Redis, the "
              "SQLite writers of both processes queueing on one `flock`) on a fresh instance, driven over keep-alive HTTP/1.1 on loopback by load-generator processes on the same "
              "machine (so client and server share the cores). Latencies are wall-clock, client-side, in ms. "
              "Printing is on, as in an office (issue #22): the default `PRINTER_URL` (`file://instance/spool`), "
              "every ticket rendered and written by the print worker process `tambon serve` starts; rows marked "
              "*PRINTER_URL=none* are the same without printing, for comparison.",
              "", "### Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine.items()]
    lines += ["", "A loaded machine (other jobs running) shows in the load average above: figures from a "
              "shared machine are noisy and only indicative.", ""]

    lines += ["### a) Saturation: issuing tickets, 16 concurrent clients", "",
              f"POST /api/v1/tickets as fast as 16 keep-alive clients can (closed loop), {plan.saturation:.0f} s "
              f"measured after {plan.warmup:.0f} s warm-up. Bar: ~{BAR_ISSUE:.0f} tickets/s (an established "
              f"open-source Flask queue system, same kind of 2-core machine); target ≥ {TARGET_ISSUE:.0f}/s (10×).",
              "", "| Database | tickets/s | p50 ms | p99 ms | max ms | errors | server CPU (cores) | "
              "client CPU (cores) | server RSS MiB | target |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        a = r["issue"]
        rate = a["done"].get("issue", 0) / a["seconds"]
        lat = a["latency"].get("issue", [])
        lines.append(f"| {r['kind']} | {rate:.0f} | {ms(percentile(lat, 50))} | {ms(percentile(lat, 99))} | "
                     f"{ms(max(lat) if lat else float('nan'))} | {errors_text(a)} | {a['server_cpu']:.2f} | "
                     f"{a['client_cpu'] / (a['seconds'] + plan.warmup):.2f} | {a['server_rss'] / 2**20:.0f} | "
                     f"{verdict(rate >= TARGET_ISSUE)} |")

    lines += ["", "### b) Saturation: serve cycles, 16 counters", "",
              "Each of 16 clients is one counter (counters 1–16, one bearer token of a counter clerk) doing "
              "POST /api/v1/counters/{c}/next then …/complete, back to back, on a queue pre-filled by a). "
              f"A cycle is both requests. Bar: ~{BAR_CYCLE:.0f} cycles/s; target ≥ {TARGET_CYCLE:.0f}/s (5×).",
              "",
              "The load generators of a) and b) run as `SCHED_BATCH` processes (bench/load.py, "
              "`yield_to_the_server`): the same share of the CPU, but their wake-ups (a response arrived) do not "
              "preempt a server worker in the middle of a request. In an office the clients are browsers on other "
              "machines. Each configuration's second row, *clients at the default policy*, is the same test run "
              "right after with ordinary client processes, for comparison; the verdict is the first row's.",
              "", "| Database | cycles/s | cycle p50 ms | cycle p99 ms | next p50 / p99 | complete p50 / p99 | "
              "errors | empty queue answers | server CPU (cores) | server CPU per cycle ms | client CPU (cores) | "
              "target |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    rows = [(r, "cycle", r["kind"]) for r in runs]
    rows += [(r, "cycle_default_sched", f"{r['kind']}, clients at the default policy")
             for r in runs if "cycle_default_sched" in r]
    for r, key, label in rows:
        b = r[key]
        rate = b["done"].get("cycle", 0) / b["seconds"]
        cyc, nxt, cmp_ = (b["latency"].get(k, []) for k in ("cycle", "next", "complete"))
        target = verdict(rate >= TARGET_CYCLE) if key == "cycle" else "(for comparison)"
        lines.append(f"| {label} | {rate:.0f} | {ms(percentile(cyc, 50))} | {ms(percentile(cyc, 99))} | "
                     f"{ms(percentile(nxt, 50))} / {ms(percentile(nxt, 99))} | "
                     f"{ms(percentile(cmp_, 50))} / {ms(percentile(cmp_, 99))} | {errors_text(b)} | {b['empty']} | "
                     f"{b['server_cpu']:.2f} | {b['server_cpu'] / rate * 1000 if rate else float('nan'):.2f} | "
                     f"{b['client_cpu'] / (b['seconds'] + plan.warmup):.2f} | {target} |")

    lines += ["", "### c) A heavy office load, open loop", "",
              f"~{plan.office_rate:.0f} requests/s for {plan.office:.0f} s measured (after {plan.warmup:.0f} s "
              f"warm-up): {plan.counters} counters each pressing *next* every {plan.cycle_period:g} s and "
              f"*complete* {plan.hold:g} s later; kiosks issuing {plan.issue_rate:g} tickets/s; "
              f"{plan.ticket_poll_rate:g}/s GET /api/v1/tickets/{{id}} (phones checking their ticket) and "
              f"{plan.queue_poll_rate:g}/s GET /api/v1/queue (display boards). Kiosk and poll arrivals are a "
              "Poisson process; every send time is fixed in advance and latency is measured from the "
              "**scheduled** time, so a server that falls behind cannot hide it (no coordinated omission). "
              f"Target: p99 < {TARGET_OFFICE_P99_MS:g} ms.", "",
              "| Database | endpoint | req/s done | p50 ms | p90 ms | p99 ms | max ms | errors |",
              "|---|---|---|---|---|---|---|---|"]
    names = {"issue": "POST /tickets", "ticket": "GET /tickets/{id}", "queue": "GET /queue",
             "next": "POST /counters/{c}/next", "complete": "POST /counters/{c}/complete"}
    for r in runs:
        c = r["office"]
        for op, label in names.items():
            lat = c["latency"].get(op, [])
            lines.append(f"| {r['kind']} | {label} | {c['done'].get(op, 0) / c['seconds']:.0f} | "
                         f"{ms(percentile(lat, 50))} | {ms(percentile(lat, 90))} | {ms(percentile(lat, 99))} | "
                         f"{ms(max(lat) if lat else float('nan'))} | "
                         f"{sum(v for k, v in c['errors'].items() if k.startswith(op)) or 0} |")
        lat = [v for values in c["latency"].values() for v in values]
        done = sum(c["done"].values()) / c["seconds"]
        p99 = percentile(lat, 99)
        lines.append(f"| {r['kind']} | **all** | **{done:.0f}** | {ms(percentile(lat, 50))} | "
                     f"{ms(percentile(lat, 90))} | **{ms(p99)}** | {ms(max(lat) if lat else float('nan'))} | "
                     f"{errors_text(c)} |")
    lines += ["", "| Database | overall p99 ms | target | server CPU (cores) | server RSS MiB (end) | "
              "next answered 204 (nobody waiting) |", "|---|---|---|---|---|---|"]
    for r in runs:
        c = r["office"]
        lat = [v for values in c["latency"].values() for v in values]
        p99 = percentile(lat, 99)
        lines.append(f"| {r['kind']} | {ms(p99)} | {verdict(p99 < TARGET_OFFICE_P99_MS)} | "
                     f"{c['server_cpu']:.2f} | {r['rss_end'] / 2**20:.0f} | {c['empty']} |")

    lines += ["", "### d) Integrity after the whole run", "",
              "Checked in the database after a)–c): a ticket with more than one CALLED event although it was "
              "never parked or transferred (the only ways back into the queue) = a double assignment; "
              "duplicate (business_date, issued_service_id, number); numbers that do not run 1..n; "
              "daily_sequences out of step; two counters holding one ticket. Client side: every ticket id "
              "handed out by *next* in b) and c), across all load processes, must be distinct.", "",
              "| Database | tickets | CALLED events | completed | **double assignments** | duplicate numbers | "
              "number gaps | sequence mismatches | shared/stale current ticket | client-side duplicate calls |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        i = r["integrity"]
        lines.append(f"| {r['kind']} | {i['tickets']} | {i['called_events']} | {i['completed']} | "
                     f"**{i['double_called']}** | {i['duplicate_numbers']} | {i['number_gaps']} | "
                     f"{i['sequence_mismatch']} | {i['shared_current']} / {i['stale_current']} | "
                     f"{i['client_duplicates']} of {i['client_called']} |")
    total = sum(r["integrity"]["double_called"] + r["integrity"]["client_duplicates"] for r in runs)
    lines += ["", f"**double assignments: {total}**", ""]
    for kind, why in skipped.items():
        lines += [f"*{kind} skipped: {why}*", ""]
    lines += ["### Reproduce", "", "```", "make bench                       # full run, ~3–4 minutes",
              ".venv/bin/python -m bench.run --quick   # ~1 minute smoke run",
              ".venv/bin/python -m bench.run --db sqlite --out /tmp/b.md", "```", "",
              "PostgreSQL: a fresh database is created on `TAMBON_BENCH_POSTGRES` "
              f"(default `{PG_ADMIN_URL}`) and dropped afterwards. Server logs: `bench/out/`.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="~1 minute smoke run (short windows)")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--procs", type=int, default=2, help="load-generator processes per scenario")
    parser.add_argument("--json", default=None, help="also dump raw summaries here")
    parser.add_argument("--workers", default="1,2",
                        help="server processes to run each database with, e.g. 1,2 (more than 1 uses Redis)")
    parser.add_argument("--worker-class", choices=["gevent", "gthread"], default=worker_class(),
                        help="gunicorn worker class of `tambon serve` (TAMBON_WORKER_CLASS)")
    parser.add_argument("--printers", default="spool,none",
                        help="spool: printing on, the default PRINTER_URL (the headline rows); none: PRINTER_URL=none "
                             "(comparison rows, SQLite with one worker only)")
    args = parser.parse_args(argv)
    os.environ["TAMBON_WORKER_CLASS"] = args.worker_class  # the servers' environment is copied from ours

    started = time.time()
    plan = QUICK if args.quick else FULL
    pg_version = pg_server_version()
    machine = machine_info(pg_version)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    skipped = {}
    if "postgresql" in kinds and pg_version is None:
        kinds.remove("postgresql")
        skipped["postgresql"] = f"not reachable at {PG_ADMIN_URL}"
    worker_counts = [int(n) for n in args.workers.split(",")]
    if any(n > 1 for n in worker_counts) and not redis_reachable():
        worker_counts = [n for n in worker_counts if n == 1]
        skipped["several workers"] = f"Redis (their message queue) not reachable at {REDIS_URL}"
    runner = Runner(plan, args.procs)
    printers = args.printers.split(",")
    jobs = [(kind, workers, printer) for printer in printers for kind in kinds for workers in worker_counts
            if printer == printers[0] or (kind == kinds[0] and workers == 1)]
    runs = run_each(jobs, lambda job, workdir, log_dir: bench_database(job[0], runner, workdir, log_dir, job[1],
                                                                      job[2]), "tambon-bench-")
    text = report(plan, args.quick, machine, runs, skipped, time.time() - started)
    replace_section(Path(args.out), "queue_http", text)
    if args.json:
        slim = [{k: ({kk: vv for kk, vv in v.items() if kk not in ("latency", "called")} if isinstance(v, dict)
                     else v) for k, v in r.items()} for r in runs]
        Path(args.json).write_text(json.dumps(slim, indent=1, default=str))
    print(f"wrote {args.out} in {time.time() - started:.0f}s")
    doubles = sum(r["integrity"]["double_called"] + r["integrity"]["duplicate_numbers"]
                  + r["integrity"]["client_duplicates"] for r in runs)
    return 1 if doubles else 0


if __name__ == "__main__":
    sys.exit(main())
