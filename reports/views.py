"""The staff dashboard (executive/admin), document previews and downloads, and the admin's editor of the
measure report's text and photos. Thin: parse, call a domain function, render."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, Flask, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from jinja2 import Environment, meta
from markupsafe import Markup
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from reports import complaints, documents, measures, service
from reports import settings as report_settings
from reports.docmodel import refuse_raw
from reports.metrics import week_bounds
from reports.models import DATA_MEASURES, MeasurePhoto
from tambon.auth import Role, require_role
from tambon.db import get_session
from tambon.errors import DomainError, Invalid, NotFound
from tambon.thaidate import (
    fiscal_quarter_bounds,
    fiscal_quarter_of,
    fiscal_year_of,
    format_date,
    format_duration,
    to_local,
    utcnow,
)

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates",
               static_folder="static", static_url_path="/static/reports")

MAX_RANGE_DAYS = 731


GUARDED_TEMPLATES = ("reports/dashboard.html", "reports/document.html")  # the pages render_guarded renders


def guarded_jinja(app: Flask) -> Environment:
    """The report pages' Jinja environment: an unformatted date, float or Enum in ``{{ }}`` raises
    (docmodel.refuse_raw) instead of printing "2026-12-07" or "0.0534". Its own template cache, so no
    template compiled without the guard is reused."""
    env = app.extensions.get("reports.guarded_jinja")
    if env is None:
        env = app.jinja_env.overlay(finalize=refuse_raw, cache_size=100)
        app.extensions["reports.guarded_jinja"] = env
    return env


def compile_guarded_templates(app: Flask) -> None:
    """A before_serving hook: the report pages, and the templates they extend, import or include, compiled in
    their own environment before a worker serves."""
    env = guarded_jinja(app)
    todo, seen = list(GUARDED_TEMPLATES), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        env.get_template(name)
        source = env.loader.get_source(env, name)[0] if env.loader else ""
        todo.extend(ref for ref in meta.find_referenced_templates(env.parse(source)) if ref)


def render_guarded(template: str, **context: Any) -> str:
    """render_template with the report pages' guard (guarded_jinja)."""
    current_app.update_template_context(context)
    return guarded_jinja(current_app).get_template(template).render(context)


def _tz() -> str:
    return current_app.config["TAMBON_TIMEZONE"]


def _today() -> date:
    return to_local(utcnow(), _tz()).date()


def parse_range(start: str | None, end: str | None) -> tuple[date, date]:
    try:
        first = date.fromisoformat(start) if start else None
        last = date.fromisoformat(end) if end else None
    except ValueError as exc:
        raise Invalid("bad_date", "วันที่ต้องอยู่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.)", "Dates must be YYYY-MM-DD") from exc
    if first is None or last is None:
        raise Invalid("bad_date", "ต้องระบุวันเริ่มต้นและวันสิ้นสุด", "Start and end dates are required")
    if last < first:
        raise Invalid("bad_range", "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น", "The end date is before the start date")
    if (last - first).days > MAX_RANGE_DAYS:
        raise Invalid("range_too_long", "ช่วงวันที่ยาวเกิน 2 ปี", "The date range is longer than two years")
    return first, last


def _int_arg(name: str, default: int | None = None) -> int:
    value = request.args.get(name)
    if value is None or value == "":
        if default is None:
            raise Invalid("missing", f"ต้องระบุ {name}", f"{name} is required")
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise Invalid("bad_number", f"{name} ต้องเป็นตัวเลข", f"{name} must be a number") from exc


def _selected_range() -> tuple[date, date, str]:
    today = _today()
    preset = request.args.get("preset") or ("range" if request.args.get("start") else "week")
    if preset == "today":
        return today, today, preset
    if preset == "week":
        return (*week_bounds(today), preset)
    if preset == "month":
        nxt = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        return today.replace(day=1), nxt - timedelta(days=1), preset
    if preset == "quarter":
        fy, q = fiscal_quarter_of(today)
        return (*fiscal_quarter_bounds(fy, q), preset)
    first, last = parse_range(request.args.get("start"), request.args.get("end"))
    return first, last, "range"


@bp.get("/")
@require_role(Role.EXECUTIVE)
def dashboard():
    first, last, preset = _selected_range()
    target = report_settings.current().target_wait_minutes
    tz = _tz()
    data = service.run(get_session(), "dashboard", first=first, last=last, tz=tz, target_wait_minutes=target)
    today = _today()
    fy, q = fiscal_quarter_of(today)
    return render_guarded(
        "reports/dashboard.html", figs=data["figs"], comp=data["comp"], told=data["told"], notices=data["notices"],
        overdue=data["overdue"], overdue_total=data["overdue_total"], first=first, last=last, preset=preset,
        target=target, charts=data["charts"], minutes=documents.minutes,
        pct=documents.pct, fiscal_year=fy, quarter=q, years=list(range(fy - 3, fy + 1)),
        label=complaints.label, division=complaints.division, no_source=complaints.NO_SOURCE_TH,
        period=documents.period_text(first, last), is_admin=current_user.has_role(Role.ADMIN),
        day_text=lambda iso: format_date(date.fromisoformat(iso)),
        due_text=lambda moment: format_date(to_local(moment, tz).date()),
        duration=lambda value, unit: format_duration(None if value is None else value * unit))


# --- documents ------------------------------------------------------------------------------------

def _doc_args(kind: str) -> dict:
    args = {"fiscal_year": _int_arg("fiscal_year", fiscal_year_of(_today()))}
    if kind == "quarterly":
        args["quarter"] = _int_arg("quarter", fiscal_quarter_of(_today())[1])
    if kind == "ita":
        args["months"] = _int_arg("months", 6)
    return args


KINDS = ("quarterly", "measures", "ita")


@bp.get("/<kind>")
@require_role(Role.EXECUTIVE)
def preview(kind: str):
    if kind not in KINDS:
        raise NotFound("unknown_report", "ไม่พบรายงานนี้", "No such report")
    page = service.run(get_session(), "preview", kind=kind, **_doc_args(kind))
    query: dict[str, Any] = request.args.to_dict()
    downloads = [(fmt, url_for(".download", kind=kind, fmt=fmt, **query)) for fmt in service.DOCUMENT_FORMATS]
    return render_guarded("reports/document.html", body=Markup(page["body"]), title=page["title"],
                          landscape=page["landscape"], downloads=downloads)


@bp.get("/<kind>.<fmt>")
@require_role(Role.EXECUTIVE)
def download(kind: str, fmt: str):
    session = get_session()
    if kind == "figures":
        fmt = service.check_format(fmt, ("csv", "xlsx"))
        first, last = parse_range(request.args.get("start"), request.args.get("end"))
        data = service.run(session, "figures", first=first, last=last, fmt=fmt, tz=_tz(),
                           target_wait_minutes=report_settings.current().target_wait_minutes)
        name = f"figures-{first.isoformat()}-{last.isoformat()}.{fmt}"
    elif kind in KINDS:
        fmt = service.check_format(fmt)
        args = _doc_args(kind)
        fiscal_year = args.pop("fiscal_year")
        data = service.build(session, kind, fiscal_year, fmt, user_id=current_user.id, **args)
        name = service.filename(kind, fiscal_year, fmt, **args)
    else:
        raise NotFound("unknown_report", "ไม่พบรายงานนี้", "No such report")
    return Response(data, mimetype=service.MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- the admin's editor of the measure report ------------------------------------------------------------

class MeasureForm(FlaskForm):
    title = TextAreaField(validators=[Length(max=2000)])
    method = TextAreaField(validators=[Optional(), Length(max=4000)])
    responsible = StringField(validators=[Length(max=200)])
    period = StringField(validators=[Optional(), Length(max=200)])
    result = TextAreaField(validators=[Optional(), Length(max=4000)])
    suggestion = TextAreaField(validators=[Optional(), Length(max=2000)])
    keep_years = BooleanField()


class PhotoForm(FlaskForm):
    photo = FileField()
    caption = StringField(validators=[Optional(), Length(max=500)])


@bp.get("/measures/edit")
@require_role(Role.ADMIN)
def edit_measures():
    fiscal_year = _int_arg("fiscal_year", fiscal_year_of(_today()))
    session = get_session()
    entries = measures.year_measures(session, fiscal_year)
    auto = measures.data_results(session, fiscal_year, tz=_tz())
    forms = {e.number: MeasureForm(prefix=f"m{e.number}", obj=e) for e in entries}
    unreviewed = {e.number: measures.unreviewed_fields(e) for e in entries}
    stale = {e.number: sorted({y for f in measures.reviewable_fields(e.number)
                               for y in measures.stale_years(getattr(e, f) or "", fiscal_year)}) for e in entries}
    return render_template("reports/measures_edit.html", fiscal_year=fiscal_year, entries=entries, forms=forms,
                           auto=auto, data_measures=DATA_MEASURES, photo_form=PhotoForm(), unreviewed=unreviewed,
                           stale=stale)


def _back(fiscal_year: int, number: int):
    return redirect(url_for(".edit_measures", fiscal_year=fiscal_year) + f"#m{number}")


@bp.post("/measures/<int:fiscal_year>/<int:number>")
@require_role(Role.ADMIN)
def save_measure(fiscal_year: int, number: int):
    form = MeasureForm(prefix=f"m{number}")
    if not form.validate_on_submit():
        flash(_("Please check the form: %(errors)s", errors="; ".join(
            f"{k}: {', '.join(v)}" for k, v in form.errors.items())), "error")
        return _back(fiscal_year, number)
    fields = {name: getattr(form, name).data for name in measures.EDITABLE_FIELDS}
    if number in DATA_MEASURES:
        fields.pop("result")  # written from the data
    try:
        measures.update_measure(get_session(), fiscal_year, number, user_id=current_user.id,
                                keep_years=bool(form.keep_years.data), **fields)
    except DomainError as err:
        flash(f"{err.message_th} / {err.message_en}", "error")
        return _back(fiscal_year, number)
    flash(_("Measure %(n)s saved", n=number), "ok")
    return _back(fiscal_year, number)


@bp.post("/measures/<int:fiscal_year>/<int:number>/photos")
@require_role(Role.ADMIN)
def add_photo(fiscal_year: int, number: int):
    form = PhotoForm()
    if not form.validate_on_submit() or not form.photo.data:
        flash(_("Choose a JPEG or PNG photo"), "error")
        return _back(fiscal_year, number)
    try:
        measures.add_photo(get_session(), fiscal_year, number, form.photo.data.read(), form.caption.data or "")
    except DomainError as err:
        flash(f"{err.message_th} / {err.message_en}", "error")
        return _back(fiscal_year, number)
    flash(_("Photo added"), "ok")
    return _back(fiscal_year, number)


@bp.post("/photos/<int:photo_id>/delete")
@require_role(Role.ADMIN)
def delete_photo(photo_id: int):
    session = get_session()
    photo = session.get(MeasurePhoto, photo_id)
    if photo is None:
        raise NotFound("unknown_photo", "ไม่พบรูปภาพ", "No such photo")
    fiscal_year, number = photo.measure.fiscal_year, photo.measure.number
    measures.delete_photo(session, photo_id)
    flash(_("Photo removed"), "ok")
    return _back(fiscal_year, number)


@bp.get("/photos/<int:photo_id>.jpg")
@require_role(Role.EXECUTIVE)
def photo(photo_id: int):
    item = get_session().get(MeasurePhoto, photo_id)
    if item is None:
        raise NotFound("unknown_photo", "ไม่พบรูปภาพ", "No such photo")
    return Response(item.data, mimetype=item.content_type, headers={"Cache-Control": "private, max-age=3600"})
