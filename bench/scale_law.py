"""Scale law: how call-next, complete and the queue snapshot cost grows with the tickets kept in history.

    python -m bench.scale_law [--sizes 1000,10000,100000,1000000] [--db sqlite|postgresql|both] [--write BENCHMARKS.md]

For each size, a fresh database gets that many finished tickets (and their events) spread over the past
year, made in bulk by SQL (bench/report_scale.generate); then today's queue runs on top of it and each
operation is timed in-process (median and p90 of many calls). Flat figures mean the indexes keep today's
work independent of the years of history (no full scans).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.pg import temporary_database
from bench.report_scale import demo_app, generate
from bench.sections import replace_section

CYCLES = 60


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(url: str, tickets: int) -> dict:
    from kiosk import queue, reads
    from tambon.db import get_session

    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(url, tmp)
        engine = app.extensions["tambon.engine"]
        days = 365
        gen_s = generate(engine, tickets, 0, date.today() - timedelta(days=days + 1), days)
        timings: dict[str, list[float]] = {"issue": [], "next": [], "complete": [], "snapshot": []}
        with app.app_context():
            session = get_session()
            for _ in range(CYCLES):
                t = time.perf_counter()
                queue.issue_ticket(session, "TAX")
                timings["issue"].append(time.perf_counter() - t)
            for _ in range(CYCLES):
                t = time.perf_counter()
                called = queue.call_next(session, 1)
                timings["next"].append(time.perf_counter() - t)
                assert called is not None
                t = time.perf_counter()
                queue.complete(session, 1)
                timings["complete"].append(time.perf_counter() - t)
                t = time.perf_counter()
                reads.snapshot(session, tz="Asia/Bangkok")
                timings["snapshot"].append(time.perf_counter() - t)
        app.extensions["display"].wait_idle()  # let display pushes finish before the database goes away
        engine.dispose()
    row = {"db": engine.dialect.name, "tickets": tickets, "generate_s": round(gen_s, 1)}
    for op, values in timings.items():
        row[f"{op}_p50"] = round(statistics.median(values) * 1000, 2)
        row[f"{op}_p90"] = round(_quantile(values, 0.9) * 1000, 2)
    return row


def markdown(rows: list[dict]) -> str:
    lines = ["## Scale law: today's queue on top of years of history",
             "",
             f"`python -m bench.scale_law` ({date.today().isoformat()}): a fresh database per size with that many "
             "finished tickets (and ~3 events each) over the past year, then today's queue on top; each operation "
             f"timed in-process over {CYCLES} calls (domain function + SQL, no HTTP). ms, p50 / p90.",
             "",
             "| database | tickets in history | issue | call-next | complete | queue snapshot |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['db']} | {r['tickets']:,} | {r['issue_p50']} / {r['issue_p90']} | {r['next_p50']} / "
                     f"{r['next_p90']} | {r['complete_p50']} / {r['complete_p90']} | {r['snapshot_p50']} / "
                     f"{r['snapshot_p90']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--write", type=Path, default=None, help="replace our section in this file")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for kind in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        for size in sizes:
            if kind == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    rows.append(measure(f"sqlite:///{tmp}/scale.sqlite3", size))
            else:
                with temporary_database("tambon_scale") as url:
                    rows.append(measure(url, size))
            print(rows[-1], flush=True)
    text = markdown(rows)
    print(text)
    if args.write:
        replace_section(args.write, "scale_law", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
