"""Crash soak: SIGKILL the real server mid-load many times, on SQLite and PostgreSQL → RELIABILITY.md.

    python -m bench.reliability [--cycles 10]
"""

from __future__ import annotations

import argparse
import datetime
import platform
import re
import tempfile
from pathlib import Path

from bench.pg import create_database, drop_database
from tests.integration.crash import run_crash_cycles

OUT = Path(__file__).resolve().parent.parent / "RELIABILITY.md"
MARK_START, MARK_END = "<!-- crash-soak:start -->", "<!-- crash-soak:end -->"


def _pg_database() -> tuple[str, str] | None:
    try:
        return create_database("tambon_soak")
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL unavailable, skipped: {exc}")
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=10)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("SQLite", f"sqlite:///{tmp}/soak.sqlite3", None)]
        pg = _pg_database()
        if pg:
            runs.append(("PostgreSQL", pg[1], pg[0]))
        for label, url, pg_name in runs:
            try:
                result = run_crash_cycles(url, f"{tmp}/{label}", cycles=args.cycles)
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
                       f"Run {datetime.date.today().isoformat()} on {platform.node()} "
                       f"({platform.processor() or platform.machine()}), `python -m bench.reliability "
                       f"--cycles {args.cycles}`: 8 clients issuing tickets over HTTP to `tambon serve`; the "
                       "server process group is SIGKILLed after 1.5 s of load, restarted, and so on.",
                       "", *table, MARK_END])
    text = OUT.read_text() if OUT.exists() else ""
    if MARK_START in text:
        text = re.sub(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), lambda _m: block, text, flags=re.S)
    else:
        text += "\n" + block + "\n"
    OUT.write_text(text)
    if any(r.lost or not r.numbering_ok or not r.events_match for _, r in rows):
        raise SystemExit("data lost or numbering broken — see RELIABILITY.md")


if __name__ == "__main__":
    main()
