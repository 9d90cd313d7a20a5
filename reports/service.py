"""The reports' service layer: the dashboard's figures, documents (choose the context, render DOCX or PDF,
log it: measure 4 reports the dates the quarterly summaries went to the executive), the figures' exports.

It decides where the long work runs (REPORTS_WORKER, reports/worker.py): in the request ("inline") or in
the report worker process ("process"). The jobs themselves are the plain functions of :data:`JOBS`,
called the same way in either place; writes (the rollup's refresh, the document log) stay in the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from reports import charts, complaints, documents, export, render_docx, render_pdf, rollup, worker
from reports import settings as report_settings
from reports.measures import log_document
from reports.metrics import queue_figures
from tambon.concurrency import run_cpu_bound
from tambon.errors import Invalid
from tambon.thaidate import WEEKDAYS_TH, format_date

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCUMENT_FORMATS = ("docx", "pdf")


def check_format(fmt: str, allowed: tuple[str, ...] = DOCUMENT_FORMATS) -> str:
    fmt = (fmt or "").lower().lstrip(".")
    if fmt not in allowed:
        raise Invalid("bad_format", f"รูปแบบไฟล์ต้องเป็น {' หรือ '.join('.' + a for a in allowed)}",
                      f"File format must be {' or '.join('.' + a for a in allowed)}")
    return fmt


def context(session: Session, kind: str, fiscal_year: int, *, quarter: int | None = None, months: int | None = None,
            as_of: datetime | None = None, with_charts: bool = True) -> dict:
    if kind == "quarterly":
        return documents.quarterly_context(session, fiscal_year, quarter or 0, as_of=as_of, with_charts=with_charts)
    if kind == "measures":
        return documents.measures_context(session, fiscal_year, as_of=as_of)
    if kind == "ita":
        return documents.ita_context(session, fiscal_year, months or 0, as_of=as_of)
    raise Invalid("bad_kind", "ไม่รู้จักรายงานนี้", f"Unknown report {kind}")


def build(session: Session, kind: str, fiscal_year: int, fmt: str, *, quarter: int | None = None,
          months: int | None = None, as_of: datetime | None = None, user_id: int | None = None) -> bytes:
    fmt = check_format(fmt)
    data = run(session, "document", kind=kind, fiscal_year=fiscal_year, fmt=fmt, quarter=quarter, months=months,
               as_of=as_of)
    log_document(session, kind, fiscal_year, quarter, fmt, user_id=user_id, now=as_of)
    return data


def document(session: Session, kind: str, fiscal_year: int, fmt: str, *, quarter: int | None = None,
             months: int | None = None, as_of: datetime | None = None) -> bytes:
    """The job: a document's bytes (nothing logged)."""
    return render(context(session, kind, fiscal_year, quarter=quarter, months=months, as_of=as_of)["model"], fmt)


def preview(session: Session, kind: str, fiscal_year: int, *, quarter: int | None = None,
            months: int | None = None) -> dict[str, Any]:
    """The job: a document's HTML body (the page the dashboard previews), its title and orientation."""
    model = context(session, kind, fiscal_year, quarter=quarter, months=months)["model"]
    return {"body": str(render_pdf.body(model)), "title": model.title, "landscape": model.landscape}


# The dashboard lists the most overdue complaints only, with how many there are in all: an office with a
# backlog would otherwise get a page of thousands of rows (the complaint officers' list has every one).
DASHBOARD_OVERDUE_ROWS = 20


def dashboard(session: Session, first: date, last: date, *, tz: str, target_wait_minutes: float) -> dict[str, Any]:
    """The job: every figure of the dashboard for first…last, its charts as data: URIs."""
    figs = queue_figures(session, first, last, tz=tz, target_wait_minutes=target_wait_minutes)
    notices = complaints.citizen_notices(session, first, last, tz=tz)
    hours = [h for h in figs["by_hour"] if h["wait"]["n"]]
    daily = figs["daily"][-31:]
    chart = {
        "daily": charts.bar_chart([format_date(date.fromisoformat(d["day"])) for d in daily],
                                  [d["issued"] for d in daily], second=[d["served"] for d in daily],
                                  first_label="ออกบัตร", second_label="ให้บริการแล้ว", title="บัตรคิวรายวัน"),
        "hours": charts.bar_chart([f"{h['key']:02d}:00" for h in hours], [(h["wait"]["mean"] or 0) / 60 for h in hours],
                                  second=[(h["wait"]["p90"] or 0) / 60 for h in hours], first_label="เฉลี่ย",
                                  second_label="เปอร์เซ็นไทล์ที่ 90", title="เวลารอ แยกตามชั่วโมง (นาที)"),
        "heat": charts.heatmap([WEEKDAYS_TH[r["weekday"] - 1] for r in figs["heatmap"]["rows"]],
                               [f"{h:02d}:00" for h in figs["heatmap"]["hours"]],
                               [r["counts"] for r in figs["heatmap"]["rows"]], title="ผู้มารับบัตรคิว (วัน × ชั่วโมง)"),
    }
    return {"figs": figs, "comp": complaints.figures(session, first, last, tz=tz), "notices": notices,
            "told": notices["told_in_period"] if notices is not None else None,
            "overdue": complaints.overdue(session, limit=DASHBOARD_OVERDUE_ROWS),
            "overdue_total": complaints.overdue_count(session), "charts": {k: documents.data_uri(v) for k, v in chart.items()}}


def figures_export(session: Session, first: date, last: date, fmt: str, *, tz: str,
                   target_wait_minutes: float) -> bytes:
    """The job: the raw figures of first…last as CSV or XLSX."""
    figs = queue_figures(session, first, last, tz=tz, target_wait_minutes=target_wait_minutes)
    if fmt == "csv":
        return export.to_csv(figs)
    return run_cpu_bound(export.to_xlsx, figs, complaints.figures(session, first, last, tz=tz))


JOBS: dict[str, Callable[..., Any]] = {"document": document, "preview": preview, "dashboard": dashboard,
                                       "figures": figures_export}


def run(session: Session, job: str, **kwargs: Any) -> Any:
    """Run one of :data:`JOBS` where REPORTS_WORKER says: here, or in the report worker process."""
    own = report_settings.current()
    if own.worker == "inline":
        return JOBS[job](session, **kwargs)
    # The rollup's writes stay in this process: the worker only reads it (reports/worker.py).
    rollup.refresh(session, tz=current_app.config["TAMBON_TIMEZONE"])
    session.commit()  # no transaction left open here while the worker reads
    return worker.ask(current_app.config["INSTANCE_PATH"], job, kwargs, timeout=own.worker_timeout,
                      start_seconds=own.worker_start)


def run_job(job: str, kwargs: dict[str, Any]) -> Any:
    """In the report worker process (inside the app's context): one job, the rollup only read."""
    from tambon.db import get_session

    token = rollup.READ_ONLY.set(True)
    try:
        return JOBS[job](get_session(), **kwargs)
    finally:
        rollup.READ_ONLY.reset(token)


def render(model, fmt: str) -> bytes:
    """PDF or DOCX of a document model: both drawn from the same blocks."""
    if fmt == "pdf":
        return render_pdf.pdf(model)
    return run_cpu_bound(render_docx.render, model, documents.settings()["font"])


def filename(kind: str, fiscal_year: int, fmt: str, *, quarter: int | None = None, months: int | None = None) -> str:
    if kind == "quarterly":
        return f"quarterly-{fiscal_year}-Q{quarter}.{fmt}"
    if kind == "ita":
        return f"ita-complaints-{fiscal_year}-{months}m.{fmt}"
    return f"{kind}-{fiscal_year}.{fmt}"
