"""Issue #22: the queue on the real path — a printer attached — against the real server (`tambon serve`, which
starts the print worker process beside it), SQLite, one server worker.

    python -m bench.real_path [--rounds 2] [--seconds 8] [--write BENCHMARKS.md]

Printers: the default spool (``file://instance/spool``), a fake network printer (a separate process on
127.0.0.1 that takes the bytes and answers the real-time status queries, as python-escpos' Network printer
expects), and ``PRINTER_URL=none`` for comparison. On a shared 2-core machine absolute figures drift with
the other load, so every comparison is made from runs alternated in one window and reported as ratios.

1. issuing, 16 kiosks closed loop: tickets/s per printer, alternated; then the backlog printed after:
   how long, in order, exactly once (every ticket one printed job, the network printer got as many jobs).
2. serve cycles (16 counters, closed loop) while a print backlog drains vs. with no backlog, alternated
   by switching the network printer on and off under one backlog of several thousand jobs.
3. paper speed: 16 kiosks issuing 3 tickets/s each (48/s, open loop) while 30 counters work and phones and
   boards poll; each job's time from its ticket to its printer (the outbox's created_at → printed_at) and
   the office p99; the same load with PRINTER_URL=none for comparison.
4. an otherwise idle server drains a backlog (printer switched on after N tickets were issued): jobs/s.
5. render + encode of one ticket on one core (bench.print_render), varied numbers, times and URLs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import socket
import statistics
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

from bench.run import HOST, ROOT, Instance, Plan, Runner, machine_info, percentile, seed_ids
from bench.sections import replace_section

SECTION = "real_path"


# --- a fake network printer in a process of its own -------------------------------------------------------

def _printer_process(port: int, control, counts) -> None:
    """Listen on `port` while switched on ("on"/"off" on the control pipe); count the jobs taken."""
    server: socket.socket | None = None
    lock = threading.Lock()

    def serve(conn: socket.socket) -> None:
        size = 0
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                while data := conn.recv(262144):
                    size += len(data)
                    queries = 0  # DLE EOT n at the end of what came: status queries awaiting their answers
                    while (start := len(data) - 3 * queries - 3) >= 0 and data[start:start + 2] == b"\x10\x04":
                        queries += 1
                    if queries:
                        conn.sendall(b"\x12" * queries)
            except OSError:
                return
        if size > 1000:
            with lock:
                counts.value += 1

    def accept(srv: socket.socket) -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    while True:
        command = control.recv()
        if command == "on" and server is None:
            server = socket.socket()
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind((HOST, port))
            server.listen(64)
            threading.Thread(target=accept, args=(server,), daemon=True).start()
        elif command == "off" and server is not None:
            server.shutdown(socket.SHUT_RDWR)
            server.close()
            server = None
        elif command == "quit":
            return
        control.send("ok")


class FakePrinter:
    def __init__(self):
        ctx = mp.get_context("spawn")
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            self.port = probe.getsockname()[1]
        self.jobs = ctx.Value("i", 0)
        self._pipe, child = ctx.Pipe()
        self.proc = ctx.Process(target=_printer_process, args=(self.port, child, self.jobs), daemon=True)
        self.proc.start()

    @property
    def url(self) -> str:
        return f"tcp://{HOST}:{self.port}"

    def _say(self, command: str) -> None:
        self._pipe.send(command)
        self._pipe.recv()

    def on(self) -> None:
        self._say("on")

    def off(self) -> None:
        self._say("off")

    def close(self) -> None:
        self._pipe.send("quit")
        self.proc.join(5)


# --- the instance ---------------------------------------------------------------------------------------------

def instance(workdir: Path, log_dir: Path, printer: str, name: str, fake: FakePrinter | None) -> Instance:
    (workdir / name).mkdir()
    inst = Instance("sqlite", workdir / name, log_dir, 1,
                    env={"PRINT_RETRY_BASE_SECONDS": "0.2", "PRINT_RETRY_MAX_SECONDS": "0.5",
                         "TICKET_RATE_LIMIT": "100000 per minute"},
                    printer={"spool": "spool", "none": "none"}.get(printer) or (fake.url if fake else "none"))
    inst.log_path = log_dir / f"server-real-path-{name}.log"
    return inst


def sql(url: str, query: str, **params):
    from sqlalchemy import text

    from tambon.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(query), params).all()
    finally:
        engine.dispose()


def outbox_state(url: str) -> dict[str, int]:
    return dict(sql(url, "SELECT status, COUNT(*) FROM print_jobs GROUP BY status"))


def wait_printed(url: str, timeout: float = 180) -> float:
    """Seconds until no job is pending or being sent."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        state = outbox_state(url)
        if not state.get("pending") and not state.get("sending"):
            return time.time() - t0
        time.sleep(0.1)
    raise RuntimeError(f"backlog not printed within {timeout} s: {outbox_state(url)}")


def print_checks(url: str, fake_jobs: int | None) -> dict:
    """Every ticket printed once, in ticket order (one printer: job ids follow the tickets)."""
    tickets = sql(url, "SELECT COUNT(*) FROM tickets")[0][0]
    rows = sql(url, "SELECT ticket_id, status, printed_at FROM print_jobs ORDER BY id")
    printed = [r for r in rows if r[1] == "printed"]
    in_order = all(a[2] <= b[2] for a, b in zip(printed, printed[1:], strict=False))
    per_ticket = {}
    for r in printed:
        per_ticket[r[0]] = per_ticket.get(r[0], 0) + 1
    return {"tickets": tickets, "jobs": len(rows), "printed": len(printed),
            "printed_once": sum(1 for n in per_ticket.values() if n == 1) == tickets,
            "in_order": in_order, "interrupted": sum(1 for r in rows if r[1] == "interrupted"),
            "printer_got": fake_jobs}


# --- the scenarios -----------------------------------------------------------------------------------------

def issuing(workdir: Path, log_dir: Path, plan: Plan, rounds: int, fake: FakePrinter) -> list[dict]:
    out = []
    runner = Runner(plan, 2)
    for r in range(rounds):
        for printer in ("spool", "none", "tcp"):
            inst = instance(workdir, log_dir, printer, f"issue-{printer}-{r}", fake)
            fake.on()
            before = fake.jobs.value
            try:
                inst.set_up(plan.counters)
                inst.start()
                res = runner.saturation_issue(inst)
                rate = res["done"].get("issue", 0) / plan.saturation
                lat = res["latency"].get("issue", [])
                row = {"printer": printer, "round": r, "tickets_s": rate, "p99": percentile(lat, 99),
                       "server_cpu": res["server_cpu"], "errors": sum(res["errors"].values())}
                if printer != "none":
                    state = outbox_state(inst.url)
                    row["backlog_at_end"] = state.get("pending", 0) + state.get("sending", 0)
                    row["drain_s"] = wait_printed(inst.url)
                    row.update(print_checks(inst.url, fake.jobs.value - before if printer == "tcp" else None))
                out.append(row)
                print(f"[issue] {printer} round {r}: {rate:.0f} tickets/s, "
                      f"backlog {row.get('backlog_at_end', '-')} printed in {row.get('drain_s', 0):.1f} s", flush=True)
            finally:
                inst.stop()
    return out


def cycles_during_drain(workdir: Path, log_dir: Path, plan: Plan, fake: FakePrinter, rounds: int) -> dict:
    runner = Runner(plan, 2)
    inst = instance(workdir, log_dir, "tcp", "cycles", fake)
    fake.off()
    try:
        token = inst.set_up(plan.counters)
        inst.start()
        # A queue deep enough for every cycle run, its print jobs held while the printer is off.
        need = int(500 * (plan.warmup + plan.saturation) * 2 * rounds * 1.2)
        while sql(inst.url, "SELECT COUNT(*) FROM tickets WHERE status='waiting'")[0][0] < need:
            runner.saturation_issue(inst, seconds=5, seed=random.randint(1, 10**6))
        backlog = outbox_state(inst.url).get("pending", 0)
        print(f"[cycles] {backlog} print jobs waiting for the printer", flush=True)
        rows = []
        for r in range(rounds):
            for draining in (False, True):
                (fake.on if draining else fake.off)()
                t0 = time.time()
                pending0 = outbox_state(inst.url).get("pending", 0)
                res = runner.saturation_cycles(inst, token)
                pending1 = outbox_state(inst.url).get("pending", 0)
                rate = res["done"].get("cycle", 0) / plan.saturation
                lat = res["latency"].get("cycle", [])
                rows.append({"draining": draining, "round": r, "cycles_s": rate, "p99": percentile(lat, 99),
                             "empty": res["empty"],
                             "jobs_printed": pending0 - pending1, "wall": time.time() - t0,
                             "server_cpu": res["server_cpu"]})
                print(f"[cycles] {'draining' if draining else 'no drain'} round {r}: {rate:.0f} cycles/s, "
                      f"{pending0 - pending1} jobs printed meanwhile", flush=True)
        fake.on()
        return {"backlog": backlog, "rows": rows}
    finally:
        inst.stop()


def paper_speed(workdir: Path, log_dir: Path, fake: FakePrinter, seconds: float, rounds: int) -> list[dict]:
    plan = Plan(warmup=2.0, saturation=5.0, office=seconds, issue_rate=48.0, ticket_poll_rate=40.0,
                queue_poll_rate=10.0)
    rows = []
    for r in range(rounds):
        for printer in ("tcp", "none"):
            inst = instance(workdir, log_dir, printer, f"paper-{printer}-{r}", fake)
            fake.on()
            try:
                token = inst.set_up(plan.counters)
                inst.start()
                res = Runner(plan, 2).office(inst, token, seed_ids(inst.url))
                lat = [v for values in res["latency"].values() for v in values]
                row = {"printer": printer, "round": r, "office_p99": percentile(lat, 99),
                       "office_p50": percentile(lat, 50), "requests": len(lat),
                       "issued_s": res["done"].get("issue", 0) / plan.office,
                       "errors": sum(res["errors"].values())}
                if printer == "tcp":
                    wait_printed(inst.url)
                    delays = [_seconds(p) - _seconds(c) for c, p in sql(
                        inst.url, "SELECT created_at, printed_at FROM print_jobs WHERE status='printed'")]
                    row.update(job_p50=percentile(delays, 50), job_p99=percentile(delays, 99),
                               job_max=max(delays), jobs=len(delays))
                rows.append(row)
                print(f"[paper] {printer} round {r}: office p99 {row['office_p99']:.1f} ms"
                      + (f", ticket → printer p99 {row['job_p99'] * 1000:.0f} ms" if printer == "tcp" else ""),
                      flush=True)
            finally:
                inst.stop()
    return rows


def _seconds(value) -> float:
    """A stored UTC instant (a string from SQLite) as seconds."""
    return (value if isinstance(value, datetime) else datetime.fromisoformat(str(value))).timestamp()


def idle_drain(workdir: Path, log_dir: Path, fake: FakePrinter, jobs: int) -> dict:
    plan = Plan(warmup=0.5, saturation=2.0, office=1.0)
    inst = instance(workdir, log_dir, "tcp", "drain", fake)
    fake.off()
    try:
        inst.set_up(plan.counters)
        inst.start()
        runner = Runner(plan, 2)
        while sql(inst.url, "SELECT COUNT(*) FROM print_jobs")[0][0] < jobs:
            runner.saturation_issue(inst, seconds=2, seed=random.randint(1, 10**6))
        total = sql(inst.url, "SELECT COUNT(*) FROM print_jobs")[0][0]
        time.sleep(1.0)  # the worker has found the printer off and waits for its retry
        before = fake.jobs.value
        cpu0, _, _ = inst.tree_usage()
        fake.on()
        wait_printed(inst.url)
        cpu1, _, _ = inst.tree_usage()
        first, last = sql(inst.url, "SELECT MIN(printed_at), MAX(printed_at) FROM print_jobs")[0]
        span = _seconds(last) - _seconds(first)
        return {**print_checks(inst.url, fake.jobs.value - before), "jobs": total, "seconds": span,
                "jobs_s": (total - 1) / span if span else float("nan"), "cpu_per_job_ms": (cpu1 - cpu0) / total * 1000}
    finally:
        inst.stop()


def render_encode(n: int) -> dict:
    from datetime import UTC, timedelta

    from kiosk.printing.encode import encode_dots
    from kiosk.printing.render import Layout, TicketContent, render_dots

    base = datetime(2026, 11, 24, 7, 5, tzinfo=UTC)
    layout = Layout(width=576)
    times = []
    for i in range(n + 50):
        content = TicketContent(
            number=f"{'ABCD'[i % 4]}{i % 1000:03d}", service_name_th=["ชำระภาษี", "ขึ้นทะเบียนผู้สูงอายุ/ผู้พิการ",
                                                                     "ขออนุญาตก่อสร้าง", "ร้องเรียน/สอบถาม"][i % 4],
            service_name_en="Tax payment", issued_at=base + timedelta(seconds=7 * i), waiting_ahead=i % 40,
            status_url=f"https://q.example.go.th/t/{random.getrandbits(128):032x}"[:48],
            office_name="องค์การบริหารส่วนตำบลทุ่งมะพร้าว", office_name_en="Thung Maphrao SAO")
        t0 = time.perf_counter()
        encode_dots(render_dots(content, layout))
        if i >= 50:  # the first tickets of each service fill the per-layout caches
            times.append((time.perf_counter() - t0) * 1000)
    return {"n": n, "p50": statistics.median(times), "p99": percentile(times, 99), "max": max(times)}


# --- the report ---------------------------------------------------------------------------------------------

def _mean(rows: list[dict], key: str, **where) -> float:
    values = [r[key] for r in rows if all(r[k] == v for k, v in where.items())]
    return sum(values) / len(values) if values else float("nan")


def section(results: dict, machine: dict, args, elapsed: float) -> str:
    issue, cyc, paper, drain, render = (results.get(k) for k in ("issue", "cycles", "paper", "drain", "render"))
    lines = ["## The real path, printing on (issue #22)", "",
             f"`python -m bench.real_path --rounds {args.rounds} --seconds {args.seconds:g}` — {machine['Date']}, "
             f"{machine['CPU']}, Python speed {machine['Python speed (10,000,000 additions in a loop, best of 3)']}; load average at start {machine['Load average at start (1/5/15 min)']}, at end "
             f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} (a 2-core VM, sometimes shared with other jobs: "
             f"absolute figures drift, the ratios come from runs alternated in one window); {elapsed:.0f} s.", "",
             "`tambon serve` (one gevent worker, SQLite) with its print worker process (`tambon printer run`, "
             "started and supervised by `tambon serve`). Printers: **spool** = the default `file://instance/spool`; "
             "**tcp** = a fake network printer in a process of its own on 127.0.0.1 (takes the bytes, answers "
             "DLE EOT status queries); **none** = `PRINTER_URL=none`, for comparison.", ""]
    if issue:
        none = _mean(issue, "tickets_s", printer="none")
        lines += ["| target | measured | |", "|---|---|---|"]
        for printer in ("spool", "tcp"):
            on = _mean(issue, "tickets_s", printer=printer)
            lines.append(f"| issuing with printing on ≥ 0.8 × off ({printer}) | {on:.0f} vs {none:.0f} tickets/s = "
                         f"{on / none:.2f} × | {'met' if on >= 0.8 * none else '**missed**'} |")
        if cyc:
            off = _mean(cyc["rows"], "cycles_s", draining=False)
            on = _mean(cyc["rows"], "cycles_s", draining=True)
            lines.append(f"| serve cycles while a backlog drains ≥ 0.9 × no backlog | {on:.0f} vs {off:.0f} cycles/s = "
                         f"{on / off:.2f} × | {'met' if on >= 0.9 * off else '**missed**'} |")
        if paper:
            job99 = max(r["job_p99"] for r in paper if r["printer"] == "tcp")
            office = max(r["office_p99"] for r in paper if r["printer"] == "tcp")
            lines.append(f"| paper speed (48 tickets/s + 30 counters): ticket → printer p99 < 1 s | {job99 * 1000:.0f} ms "
                         f"(worst round) | {'met' if job99 < 1 else '**missed**'} |")
            lines.append(f"| … office p99 < 25 ms with printing on | {office:.1f} ms (worst round) | "
                         f"{'met' if office < 25 else '**missed**'} |")
        if drain:
            lines.append(f"| idle server drains a backlog ≥ 150 jobs/s | {drain['jobs_s']:.0f} jobs/s "
                         f"({drain['jobs']} jobs in {drain['seconds']:.1f} s) | "
                         f"{'met' if drain['jobs_s'] >= 150 else '**missed**'} |")
        if render:
            lines.append(f"| render + encode ≤ 5 ms p50, ≤ 8 ms p99 (576 dots, one core) | {render['p50']:.2f} / "
                         f"{render['p99']:.2f} ms (n={render['n']}) | "
                         f"{'met' if render['p50'] <= 5 and render['p99'] <= 8 else '**missed**'} |")
        lines += ["", "### 1. Issuing, 16 kiosks (closed loop), then the backlog printed after", "",
                  "| printer | round | tickets/s | issue p99 ms | server CPU (cores, print worker included) | "
                  "jobs waiting when issuing stopped | printed after, s | every ticket printed once | in order | "
                  "jobs the printer got | errors |", "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in issue:
            lines.append(f"| {r['printer']} | {r['round']} | {r['tickets_s']:.0f} | {r['p99']:.1f} | "
                         f"{r['server_cpu']:.2f} | {r.get('backlog_at_end', '–')} | "
                         f"{r['drain_s']:.1f} | {r['printed_once']} | {r['in_order']} | {r['printer_got'] or '–'} | "
                         f"{r['errors']} |" if r["printer"] != "none" else
                         f"| none | {r['round']} | {r['tickets_s']:.0f} | {r['p99']:.1f} | {r['server_cpu']:.2f} | – | – "
                         f"| – | – | – | {r['errors']} |")
    if cyc:
        lines += ["", f"### 2. Serve cycles (16 counters) while {cyc['backlog']} print jobs drain, alternated with the "
                  "printer switched off (no drain)", "",
                  "| printer | round | cycles/s | cycle p99 ms | server CPU (cores) | jobs printed during the run |",
                  "|---|---|---|---|---|---|"]
        for r in cyc["rows"]:
            lines.append(f"| {'on: draining' if r['draining'] else 'off: no drain'} | {r['round']} | "
                         f"{r['cycles_s']:.0f} | {r['p99']:.1f} | {r['server_cpu']:.2f} | {r['jobs_printed']} |")
    if paper:
        lines += ["", "### 3. Paper speed: 48 tickets/s (16 kiosks × 3/s) + 30 counters + 40/s phone + 10/s board "
                  "polls, open loop", "",
                  "| printer | round | tickets issued/s | office p50 / p99 ms | requests | ticket → printer p50 / p99 / "
                  "max ms | jobs | errors |", "|---|---|---|---|---|---|---|---|"]
        for r in paper:
            jobs = (f"{r['job_p50'] * 1000:.0f} / {r['job_p99'] * 1000:.0f} / {r['job_max'] * 1000:.0f} | {r['jobs']}"
                    if "job_p50" in r else "– | –")
            lines.append(f"| {r['printer']} | {r['round']} | {r['issued_s']:.1f} | {r['office_p50']:.1f} / "
                         f"{r['office_p99']:.1f} | {r['requests']} | {jobs} | {r['errors']} |")
    if drain:
        lines += ["", f"### 4. Idle server, backlog of {drain['jobs']} jobs: {drain['jobs_s']:.0f} jobs/s, "
                  f"{drain['cpu_per_job_ms']:.1f} ms of server + print-worker CPU per job; every ticket printed once: "
                  f"{drain['printed_once']}, in order: {drain['in_order']}, the printer got {drain['printer_got']}."]
    if render:
        lines += ["", f"### 5. Render + encode one ticket (576 dots, one core, varied numbers/times/URLs): p50 "
                  f"{render['p50']:.2f} ms, p99 {render['p99']:.2f} ms, max {render['max']:.2f} ms (n={render['n']})."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.real_path", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds of each load run")
    parser.add_argument("--only", default="issue,cycles,paper,drain,render")
    parser.add_argument("--write", default=None, help="replace the real_path section of this file")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    started = time.time()
    machine = machine_info(None)
    plan = Plan(warmup=1.0, saturation=args.seconds, office=args.seconds)
    log_dir = ROOT / "bench" / "out"
    log_dir.mkdir(parents=True, exist_ok=True)
    fake = FakePrinter()
    results: dict = {}
    try:
        with tempfile.TemporaryDirectory(prefix="tambon-real-path-") as tmp:
            work = Path(tmp)
            if "render" in only:
                results["render"] = render_encode(500)
                print(f"[render] p50 {results['render']['p50']:.2f} ms p99 {results['render']['p99']:.2f} ms",
                      flush=True)
            if "issue" in only:
                results["issue"] = issuing(work, log_dir, plan, args.rounds, fake)
            if "cycles" in only:
                results["cycles"] = cycles_during_drain(work, log_dir, Plan(warmup=1.0, saturation=3.0, office=3.0),
                                                        fake, args.rounds)
            if "paper" in only:
                results["paper"] = paper_speed(work, log_dir, fake, args.seconds, args.rounds)
            if "drain" in only:
                results["drain"] = idle_drain(work, log_dir, fake, 1500)
                print(f"[drain] {results['drain']['jobs_s']:.0f} jobs/s", flush=True)
    finally:
        fake.close()
    text = section(results, machine, args, time.time() - started)
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(results, default=str, indent=1))
    if args.write:
        replace_section(Path(args.write), SECTION, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
