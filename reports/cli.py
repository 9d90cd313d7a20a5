"""`tambon report …`: the documents from the command line. Bad arguments: a clear message, exit code 2."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from reports import worker
from tambon.cli import CliError
from tambon.config import read_setting
from tambon.errors import DomainError


@click.group("report")
def report_group() -> None:
    """Reports: quarterly summary, measure report, ITA complaint summaries, raw figures."""


def _out(path: str, allowed: tuple[str, ...]) -> tuple[Path, str]:
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in allowed:
        raise CliError(f"ไฟล์ผลลัพธ์ต้องลงท้ายด้วย {' หรือ '.join('.' + a for a in allowed)} / "
                       f"--out must end in {' or '.join('.' + a for a in allowed)}: {path}")
    if not target.parent.exists():
        raise CliError(f"ไม่พบโฟลเดอร์ {target.parent} / Directory {target.parent} does not exist")
    return target, fmt


def _year(value: int) -> int:
    from reports.measures import MAX_YEAR, MIN_YEAR

    if not MIN_YEAR <= value <= MAX_YEAR:
        raise CliError(f"ปีงบประมาณต้องเป็นปี พ.ศ. {MIN_YEAR}–{MAX_YEAR} เช่น 2569 / "
                       f"--fiscal-year must be a Buddhist-era year {MIN_YEAR}–{MAX_YEAR}, e.g. 2569 (got {value})")
    return value


def _write(kind: str, fiscal_year: int, out: str, **kw) -> None:
    from reports import service
    from tambon.db import get_session

    target, fmt = _out(out, service.DOCUMENT_FORMATS)
    try:
        data = service.build(get_session(), kind, fiscal_year, fmt, **kw)
    except DomainError as err:
        raise CliError(f"{err.message_th} / {err.message_en}") from err
    target.write_bytes(data)
    click.echo(f"เขียนรายงานไว้ที่ {target} แล้ว ({len(data):,} ไบต์) / Report written to {target}")


@report_group.command("quarterly")
@click.option("--fiscal-year", type=int, required=True, help="Buddhist-era fiscal year, e.g. 2569")
@click.option("--quarter", type=int, required=True, help="1–4 (Q1 = Oct–Dec)")
@click.option("--out", required=True, help="FILE.docx or FILE.pdf")
@with_appcontext
def quarterly(fiscal_year: int, quarter: int, out: str) -> None:
    """The quarterly executive summary of the queue and complaints."""
    _year(fiscal_year)
    if quarter not in (1, 2, 3, 4):
        raise CliError(f"ไตรมาสต้องเป็น 1 ถึง 4 (ไตรมาส 1 = ต.ค.–ธ.ค.) / --quarter must be 1–4 (got {quarter})")
    _write("quarterly", fiscal_year, out, quarter=quarter)


@report_group.command("measures")
@click.option("--fiscal-year", type=int, required=True, help="Buddhist-era fiscal year, e.g. 2569")
@click.option("--out", required=True, help="FILE.docx or FILE.pdf")
@with_appcontext
def measures(fiscal_year: int, out: str) -> None:
    """The measure report (ten measures, six columns) in the office's format."""
    _write("measures", _year(fiscal_year), out)


@report_group.command("ita")
@click.option("--fiscal-year", type=int, required=True, help="Buddhist-era fiscal year, e.g. 2569")
@click.option("--months", type=int, required=True, help="6 (Oct–Mar) or 12 (Oct–Sep)")
@click.option("--out", required=True, help="FILE.docx or FILE.pdf")
@with_appcontext
def ita(fiscal_year: int, months: int, out: str) -> None:
    """The ITA complaint summary (general / corruption) with its cover memo."""
    _year(fiscal_year)
    if months not in (6, 12):
        raise CliError(f"--months ต้องเป็น 6 หรือ 12 / --months must be 6 or 12 (got {months})")
    _write("ita", fiscal_year, out, months=months)


@report_group.command("figures")
@click.option("--start", required=True, help="first local date, YYYY-MM-DD (Gregorian)")
@click.option("--end", required=True, help="last local date, YYYY-MM-DD")
@click.option("--out", required=True, help="FILE.csv or FILE.xlsx")
@with_appcontext
def figures(start: str, end: str, out: str) -> None:
    """The raw queue (and complaint) figures of a date range, as CSV or XLSX."""
    from reports import complaints, export
    from reports.views import parse_range
    from tambon.db import get_session

    target, fmt = _out(out, ("csv", "xlsx"))
    try:
        first, last = parse_range(start, end)
    except DomainError as err:
        raise CliError(f"{err.message_th} / {err.message_en}") from err
    from reports.metrics import queue_figures

    tz = current_app.config["TAMBON_TIMEZONE"]
    from reports.settings import current as report_settings

    target_wait = report_settings().target_wait_minutes
    figs = queue_figures(get_session(), first, last, tz=tz, target_wait_minutes=target_wait)
    if fmt == "csv":
        data = export.to_csv(figs)
    else:
        data = export.to_xlsx(figs, complaints.figures(get_session(), first, last, tz=tz))
    target.write_bytes(data)
    click.echo(f"เขียนไฟล์ไว้ที่ {target} แล้ว / Written to {target}")


@report_group.command("rollup")
@with_appcontext
def rollup() -> None:
    """Bring the queue rollup up to date (run nightly; the figures also do it before computing)."""
    import time

    from reports.rollup import refresh
    from tambon.db import get_session

    started = time.perf_counter()
    through = refresh(get_session(), tz=current_app.config["TAMBON_TIMEZONE"])
    click.echo(f"สรุปข้อมูลคิวถึงวันที่ {through} แล้ว ({time.perf_counter() - started:.1f} วินาที) / "
               f"Queue rollup up to date through {through}")


@report_group.command("worker")
@click.option("--nice", default=lambda: read_setting("REPORTS_WORKER_NICE"), type=click.IntRange(0, 19),
              help="Lower this process's CPU priority by this much (REPORTS_WORKER_NICE; default "
                   f"{worker.DEFAULT_NICE}).")
@click.option("--exit-with-parent", is_flag=True, help="Stop when the process that started this one is gone.")
@with_appcontext
def report_worker(nice: int | None, exit_with_parent: bool) -> None:
    """Make reports for the server (REPORTS_WORKER=process) until stopped (SIGTERM). `tambon serve` starts
    and supervises this (reports/worker.py)."""
    from reports.service import run_job

    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def in_context(job: str, kwargs: dict):
        with app.app_context():  # a session of its own per job, closed after it
            return run_job(job, kwargs)

    raise SystemExit(worker.run_cli(in_context, app.config["INSTANCE_PATH"],
                                    nice=worker.DEFAULT_NICE if nice is None else nice,
                                    exit_with_parent=exit_with_parent))
