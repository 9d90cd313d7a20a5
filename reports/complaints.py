"""Complaint figures come from the intake package (``intake.metrics``): reports never reads complaint tables.

Imported lazily: when the intake package has no metrics module (yet), every complaint section says
"ยังไม่มีข้อมูล (no data source)" instead of failing.
"""

from __future__ import annotations

import importlib
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tambon.thaidate import local_day_bounds, utcnow

NO_SOURCE_TH = "ยังไม่มีข้อมูล (no data source)"
NO_SOURCE_EN = "No data yet (no data source)"


def _module():
    try:
        return importlib.import_module("intake.metrics")
    except ModuleNotFoundError as exc:
        if exc.name in ("intake.metrics", "intake"):
            return None
        raise


def available() -> bool:
    return _module() is not None and hasattr(_module(), "complaint_figures")


def figures(session: Session, start: date, end: date, *, tz: str, as_of: datetime | None = None) -> dict | None:
    """intake.metrics.complaint_figures, or None without a data source."""
    module = _module()
    if module is None or not hasattr(module, "complaint_figures"):
        return None
    return module.complaint_figures(session, start, end, tz=tz, as_of=as_of)


def _reach() -> Any:
    """notify.reach (the citizen-notice figures), or None where that package is not installed."""
    try:
        return importlib.import_module("notify.reach")
    except ModuleNotFoundError:
        return None


def _instants(start: date, end: date, tz: str) -> tuple[datetime, datetime]:
    return local_day_bounds(start, tz)[0], local_day_bounds(end, tz)[1]


def told_result(session: Session, start: date, end: date, *, tz: str) -> int | None:
    """How many complaints' results reached the citizen by LINE, SMS or e-mail in the period (notify's
    figure for measure 9, "แจ้งผลให้ผู้ร้องทราบ N เรื่อง"); None where no notice went out in the period at all,
    so an office that tells results only on the status page is not reported as telling nobody."""
    reach = _reach()
    lo, hi = _instants(start, end, tz)
    if reach is None or not reach.notices_sent(session, lo, hi):
        return None
    return len(reach.complaints_told_result(session, lo, hi))


def citizen_notices(session: Session, start: date, end: date, *, tz: str, as_of: datetime | None = None) -> dict | None:
    """Notices sent in the period by channel (Thai names); how many complaints' results reached the citizen
    in the period (``told_in_period``, :func:`told_result`'s figure); and of the complaints received in the
    period and answered (the dashboard's "Answered"), how many had their result reach the citizen by LINE,
    SMS or e-mail, whenever it was sent. None, like :func:`told_result`, where no notice went out in the period."""
    reach = _reach()
    lo, hi = _instants(start, end, tz)
    sent = reach.notices_sent(session, lo, hi) if reach is not None else None
    if not sent:
        return None
    names = getattr(reach, "CHANNEL_TH", {})
    by_channel = [(names.get(channel, channel), sent[channel]) for channel in sorted(sent)]
    figures = {"by_channel": by_channel, "total": sum(sent.values()),
               "told_in_period": len(reach.complaints_told_result(session, lo, hi)),
               "base": None, "told": None, "share": None}
    module = _module()
    if module is None or not hasattr(module, "completed_complaint_ids"):
        return figures
    answered = module.completed_complaint_ids(session, start, end, tz=tz)
    told = answered & reach.complaints_told_result(session, lo, max(as_of or utcnow(), hi))
    return figures | {"base": len(answered), "told": len(told),
                      "share": len(told) / len(answered) if answered else None}


def overdue(session: Session, as_of: datetime | None = None, *, limit: int | None = None) -> list[dict] | None:
    """Open complaints past their deadline, most overdue first (the first `limit`); None without intake."""
    module = _module()
    if module is None or not hasattr(module, "overdue_now"):
        return None
    return module.overdue_now(session, as_of=as_of, limit=limit)


def overdue_count(session: Session, as_of: datetime | None = None) -> int | None:
    """How many complaints are open past their deadline; None without intake."""
    module = _module()
    if module is None or not hasattr(module, "overdue_now_count"):
        return None
    return module.overdue_now_count(session, as_of=as_of)


def label(kind: str, value: str | None, lang: str = "th") -> str:
    """Thai/English name of a complaint type, channel or status (from intake.labels when present)."""
    try:
        labels: Any = importlib.import_module("intake.labels")
        return labels.label(kind, value, lang)
    except (ModuleNotFoundError, AttributeError, KeyError):
        return value or "-"


def division(name: str | None, lang: str = "th") -> str:
    """A division's name, or "not yet assigned" in words (never a bare "-")."""
    try:
        labels: Any = importlib.import_module("intake.labels")
        return labels.division(name, lang)
    except (ModuleNotFoundError, AttributeError):
        return name or ("ยังไม่ได้มอบหมายหน่วยงาน" if lang == "th" else "Not yet assigned")


def is_complaint(complaint_type: str | None) -> bool:
    """A complaint for the ITA (general, staff conduct, corruption), not a question, suggestion or praise."""
    try:
        labels: Any = importlib.import_module("intake.labels")
        return labels.category_of(complaint_type or "") != "feedback"
    except (ModuleNotFoundError, AttributeError):
        return True
