"""Produce a document: choose the context, render DOCX or PDF, log it (measure 4 reports the dates the
quarterly summaries went to the executive)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from reports import documents, render_docx, render_pdf
from reports.measures import log_document
from tambon.concurrency import run_cpu_bound
from tambon.errors import Invalid

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
    ctx = context(session, kind, fiscal_year, quarter=quarter, months=months, as_of=as_of)
    data = render(ctx["model"], fmt)
    log_document(session, kind, fiscal_year, quarter, fmt, user_id=user_id, now=as_of)
    return data


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
