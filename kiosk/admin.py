"""Admin pages: services and counters (the IT clerk's side; the CLI does the same). Staff accounts have
their own page, /admin/users (tambon/auth/admin.py)."""

from __future__ import annotations

from datetime import time

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, StringField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from kiosk import setup
from kiosk.models import Counter, Service
from tambon.auth import Role, require_role
from tambon.db import get_session
from tambon.errors import DomainError

bp = Blueprint("kiosk_admin", __name__, url_prefix="/admin", template_folder="templates")


class ServiceForm(FlaskForm):
    code = StringField(validators=[DataRequired(), Length(max=32)])
    prefix = StringField(validators=[DataRequired(), Length(max=3)])
    name_th = StringField(validators=[DataRequired(), Length(max=200)])
    name_en = StringField(validators=[DataRequired(), Length(max=200)])
    opens_at = TimeField(default=time(8, 30))
    closes_at = TimeField(default=time(16, 30))
    open_days = StringField(default="12345", validators=[DataRequired(), Length(max=7)])
    position = IntegerField(default=0, validators=[Optional(), NumberRange(0, 999)])
    active = BooleanField(default=True)


class CounterForm(FlaskForm):
    name = StringField(validators=[DataRequired(), Length(max=100)])
    name_en = StringField(validators=[Optional(), Length(max=100)])
    services = StringField(validators=[DataRequired(), Length(max=500)])  # codes, comma-separated, in order
    active = BooleanField(default=True)


@bp.route("/", methods=["GET"])
@require_role(Role.ADMIN)
def index():
    session = get_session()
    return render_template(
        "kiosk/admin.html",
        services=session.scalars(select(Service).order_by(Service.position, Service.id)).all(),
        counters=session.scalars(select(Counter).order_by(Counter.id)).all(),
        service_form=ServiceForm(prefix="svc"), counter_form=CounterForm(prefix="ctr"),
    )


def _done(message_ok: str):
    flash(message_ok, "ok")
    return redirect(url_for(".index"))


def _form_error(form: FlaskForm):
    first = next(iter(form.errors.items()))
    flash(f"{first[0]}: {'; '.join(first[1])}", "error")
    return redirect(url_for(".index"))


@bp.post("/services")
@require_role(Role.ADMIN)
def save_service():
    form = ServiceForm(prefix="svc")
    if not form.validate_on_submit():
        return _form_error(form)
    try:
        setup.upsert_service(get_session(), code=form.code.data.strip().upper(), prefix=form.prefix.data.strip().upper(),
                             name_th=form.name_th.data, name_en=form.name_en.data, opens_at=form.opens_at.data,
                             closes_at=form.closes_at.data, open_days=form.open_days.data.strip(),
                             active=form.active.data, position=form.position.data or 0)
    except DomainError as err:
        flash(f"{err.message_th} / {err.message_en}", "error")
        return redirect(url_for(".index"))
    return _done("บันทึกบริการแล้ว / Service saved")


@bp.post("/counters")
@require_role(Role.ADMIN)
def save_counter():
    form = CounterForm(prefix="ctr")
    if not form.validate_on_submit():
        return _form_error(form)
    codes = [c.strip().upper() for c in form.services.data.split(",") if c.strip()]
    try:
        setup.upsert_counter(get_session(), name=form.name.data, name_en=form.name_en.data or "",
                             service_codes=codes, active=form.active.data)
    except DomainError as err:
        flash(f"{err.message_th} / {err.message_en}", "error")
        return redirect(url_for(".index"))
    return _done("บันทึกช่องบริการแล้ว / Counter saved")
