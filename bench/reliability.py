"""Reliability runs → RELIABILITY.md (each replaces its own section):

- crash soak: SIGKILL the real server mid-load many times, on SQLite and PostgreSQL (``--cycles``);
- PostgreSQL restarts: a private cluster restarted (``pg_ctl restart -m fast``) and crashed (``-m immediate``)
  under load while the server keeps running (``--restarts`` of each; needs root, skipped otherwise).

    python -m bench.reliability [--cycles 10] [--restarts 10]     # 0 skips a run
"""

from __future__ import annotations

import argparse
import datetime
import platform
import re
import statistics
import tempfile
from pathlib import Path

from bench.pg import create_database, drop_database
from tests.integration.crash import run_crash_cycles
from tests.integration.pg_restart import RestartResult, run_restarts
from tests.integration.pgcluster import unavailable_reason

OUT = Path(__file__).resolve().parent.parent / "RELIABILITY.md"
MARK_START, MARK_END = "<!-- crash-soak:start -->", "<!-- crash-soak:end -->"
RESTART_START, RESTART_END = "<!-- pg-restart:start -->", "<!-- pg-restart:end -->"


def _pg_database() -> tuple[str, str] | None:
    try:
        return create_database("tambon_soak")
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL unavailable, skipped: {exc}")
        return None


def _write_section(start: str, end: str, block: str) -> None:
    text = OUT.read_text() if OUT.exists() else ""
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _m: block, text, flags=re.S)
    else:
        text += "\n" + block + "\n"
    OUT.write_text(text)


def _ran_on() -> str:
    return (f"Run {datetime.date.today().isoformat()} on {platform.node()} "
            f"({platform.processor() or platform.machine()})")


def restarts(n: int) -> bool:
    """PostgreSQL restarted n times cleanly and n times crash-like under load; True when all held."""
    reason = unavailable_reason()
    if reason:
        print(f"PostgreSQL restart run skipped: {reason}")
        return True
    with tempfile.TemporaryDirectory() as tmp:
        result = run_restarts(f"{tmp}/instance", ["fast", "immediate"] * n, clients=4, settle=2.0)
    table = ["| `pg_ctl restart` | restarts | PostgreSQL down, median / max | first ticket after it is back, "
             "median / max | answers to requests overlapping the restart | slowest request | failed after recovery |",
             "| --- | ---: | ---: | ---: | --- | ---: | ---: |"]
    for mode, label in (("fast", "`-m fast` (clean)"), ("immediate", "`-m immediate` (crash, WAL recovery)")):
        picked = [(r, rec) for r, rec in zip(result.restarts, result.recovery, strict=True) if r.mode == mode]
        down = [r.outage for r, _ in picked]
        back = [rec for _, rec in picked]
        during = _answers_during(result, mode)
        table.append(f"| {label} | {len(picked)} | {statistics.median(down):.2f} s / {max(down):.2f} s | "
                     f"{statistics.median(back) * 1000:.0f} ms / {max(back) * 1000:.0f} ms | {during} | "
                     f"{_slowest(result, mode) * 1000:.0f} ms | {_failed_after(result, mode)} |")
    ok = (not result.lost and result.duplicate_ids == 0 and result.numbering_ok and not result.unclean
          and result.failed_after_recovery == 0)
    statuses = result.statuses
    block = "\n".join([
        RESTART_START,
        f"{_ran_on()}, `python -m bench.reliability --restarts {n}`: a private PostgreSQL 15 cluster (fsync on) "
        f"under `tambon serve`, 4 clients issuing tickets without pause; {n} clean and {n} crash-like restarts "
        "alternating, 2 s apart; the server is never restarted.", "", *table, "",
        f"Over the run: {statuses[201]} tickets acknowledged (201), {statuses[503]} answered 503 (Thai + English, "
        f"`Retry-After: 2`), {len(result.unclean)} other answers (500s, timeouts, refused connections); "
        f"acknowledged but lost: **{len(result.lost)}**; duplicate numbers or gaps: "
        f"{'none' if result.numbering_ok and not result.duplicate_ids else 'FOUND'}; stored without a 201 "
        f"(committed as the connection dropped): {result.unacknowledged_stored}.",
        RESTART_END])
    _write_section(RESTART_START, RESTART_END, block)
    print(block)
    return ok


def _in(result: RestartResult, mode: str):
    """(restart, calls answered between it beginning and the next restart beginning) for one mode."""
    starts = [r.began for r in result.restarts] + [float("inf")]
    for i, r in enumerate(result.restarts):
        if r.mode == mode:
            yield r, [c for c in result.calls if r.began <= c.started < starts[i + 1]]


def _answers_during(result: RestartResult, mode: str) -> str:
    counts: dict = {}
    for r, calls in _in(result, mode):
        for c in calls:
            if c.ended > r.began and c.started < r.back:
                counts[c.status] = counts.get(c.status, 0) + 1
    return ", ".join(f"{n}× {status}" for status, n in sorted(counts.items(), key=lambda kv: str(kv[0]))) or "none"


def _slowest(result: RestartResult, mode: str) -> float:
    return max((c.ended - c.started for _, calls in _in(result, mode) for c in calls), default=0.0)


def _failed_after(result: RestartResult, mode: str) -> int:
    return sum(n for r, n in zip(result.restarts, result.failed_after, strict=True) if r.mode == mode)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=10, help="SIGKILLs per database (0: skip)")
    parser.add_argument("--restarts", type=int, default=10, help="PostgreSQL restarts of each kind (0: skip)")
    args = parser.parse_args()
    held = restarts(args.restarts) if args.restarts else True
    if args.cycles:
        crash_soak(args.cycles)
    if not held:
        raise SystemExit("PostgreSQL restart: data lost, a non-503 error, or no recovery — see RELIABILITY.md")


def crash_soak(cycles: int) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("SQLite", f"sqlite:///{tmp}/soak.sqlite3", None)]
        pg = _pg_database()
        if pg:
            runs.append(("PostgreSQL", pg[1], pg[0]))
        for label, url, pg_name in runs:
            try:
                result = run_crash_cycles(url, f"{tmp}/{label}", cycles=cycles)
            finally:
                if pg_name:
                    drop_database(pg_name)
            rows.append((label, result))
            print(label, result.acknowledged, "acknowledged,", len(result.lost), "lost")
    table = ["| database | SIGKILLs | tickets acknowledged (201) | stored | acknowledged but lost | duplicate numbers "
             "or gaps | stored without a 201 (in flight at a kill) | issued events = tickets |",
             "| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |"]
    for label, r in rows:
        table.append(f"| {label} | {r.cycles} | {r.acknowledged} | {r.stored} | **{len(r.lost)}** | "
                     f"{'none' if r.numbering_ok else 'FOUND'} | {r.unacknowledged_stored} | "
                     f"{'yes' if r.events_match else 'NO'} |")
    block = "\n".join([MARK_START,
                       f"{_ran_on()}, `python -m bench.reliability --cycles {cycles}`: 8 clients issuing tickets "
                       "over HTTP to `tambon serve`; the server process group is SIGKILLed after 1.5 s of load, "
                       "restarted, and so on.",
                       "", *table, MARK_END])
    _write_section(MARK_START, MARK_END, block)
    if any(r.lost or not r.numbering_ok or not r.events_match for _, r in rows):
        raise SystemExit("data lost or numbering broken — see RELIABILITY.md")


if __name__ == "__main__":
    main()
