"""Admin pages: services and counters (the IT clerk's side; the CLI does the same). Staff accounts have
their own page, /admin/users (tambon/auth/admin.py)."""

from __future__ import annotations

from datetime import time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from kiosk import setup
from kiosk.models import Counter, Service
from kiosk.queue import MAX_ID, unknown_counter
from tambon.auth import Role, require_role
from tambon.db import get_session
from tambon.errors import DomainError, NotFound

bp = Blueprint("kiosk_admin", __name__, url_prefix="/admin", template_folder="templates")


# Open days, Monday first (the digits the service stores: 1 = Monday … 7 = Sunday).
DAYS = (("1", lazy_gettext("Monday")), ("2", lazy_gettext("Tuesday")), ("3", lazy_gettext("Wednesday")),
        ("4", lazy_gettext("Thursday")), ("5", lazy_gettext("Friday")), ("6", lazy_gettext("Saturday")),
        ("7", lazy_gettext("Sunday")))


class DayPicker(SelectMultipleField):
    """One tick box per day of the week, labelled in the page's language."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ServiceEditForm(FlaskForm):
    """Everything of a service but its code, which names it (in tickets, counters and reports)."""

    prefix = StringField(lazy_gettext("Prefix"), validators=[DataRequired(), Length(max=3)])
    name_th = StringField(lazy_gettext("Thai name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(lazy_gettext("English name"), validators=[DataRequired(), Length(max=200)])
    opens_at = TimeField(lazy_gettext("Opens at"), default=time(8, 30))
    closes_at = TimeField(lazy_gettext("Closes at"), default=time(16, 30))
    open_days = DayPicker(lazy_gettext("Open days"), choices=[SelectChoice(d, name) for d, name in DAYS],
                          default=["1", "2", "3", "4", "5"])
    position = IntegerField(lazy_gettext("Order on the kiosk"), default=0, validators=[Optional(), NumberRange(0, 999)])
    active = BooleanField(lazy_gettext("Active"), default=True)

    def validate_open_days(self, field) -> None:
        # Not DataRequired: that marks every tick box "required", and the browser would then insist on all seven.
        if not field.data:
            raise ValidationError(lazy_gettext("Tick at least one day"))

    def values(self) -> dict:
        return dict(prefix=self.prefix.data.strip().upper(), name_th=self.name_th.data, name_en=self.name_en.data,
                    opens_at=self.opens_at.data, closes_at=self.closes_at.data,
                    open_days="".join(sorted(set(self.open_days.data))), active=self.active.data,
                    position=self.position.data or 0)


class ServiceForm(ServiceEditForm):
    code = StringField(lazy_gettext("Code"), validators=[DataRequired(), Length(max=32)])


class CounterForm(FlaskForm):
    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(lazy_gettext("English name"), validators=[Optional(), Length(max=100)])
    spoken_name = StringField(lazy_gettext("Spoken name (what the voice announces; empty: ช่อง and the number)"),
                              validators=[Optional(), Length(max=100)])
    services = StringField(lazy_gettext("Service codes, comma-separated, in the order served"),
                           validators=[DataRequired(), Length(max=500)])  # codes, comma-separated, in order
    active = BooleanField(lazy_gettext("Active"), default=True)

    def service_codes(self) -> list[str]:
        return [c.strip().upper() for c in self.services.data.split(",") if c.strip()]


@bp.route("/", methods=["GET"])
@require_role(Role.ADMIN)
def index():
    session = get_session()
    return render_template(
        "kiosk/admin.html",
        services=session.scalars(select(Service).order_by(Service.position, Service.id)).all(),
        counters=session.scalars(select(Counter).order_by(Counter.id)).all(),
    )


def days_label(open_days: str) -> str:
    """Open days in words: "every day", "Monday–Friday", or the days one by one."""
    days = sorted(set(open_days))
    if len(days) == 7:
        return gettext("Every day")
    names = dict(DAYS)
    digits = "".join(days)
    if len(days) >= 3 and digits in "1234567":  # a run of days
        return f"{names[days[0]]}–{names[days[-1]]}"
    return ", ".join(str(names[d]) for d in days)


@bp.app_template_filter("open_days")
def _open_days_filter(open_days: str) -> str:
    return days_label(open_days)


def _done(message_ok: str):
    flash(message_ok, "ok")
    return redirect(url_for(".index"))



def _form_page(template: str, status: int = 200, **context):
    """A new/edit form, again with what was typed and the reason it was refused (if it was)."""
    return render_template(template, **context), status


# --- services: "new" creates (a code in use is refused), "edit" changes one (its code stays) -------------

@bp.route("/services/new", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def new_service():
    form = ServiceForm(prefix="svc")
    if form.validate_on_submit():
        try:
            setup.create_service(get_session(), code=form.code.data.strip().upper(), **form.values())
        except DomainError as err:
            existing = err.details.get("existing")
            return _form_page("kiosk/admin_service.html", err.status, form=form, error=err, service=None,
                              edit_url=url_for(".edit_service", code=existing) if existing else None)
        return _done("บันทึกบริการใหม่แล้ว / New service saved")
    status = 422 if form.errors else 200
    return _form_page("kiosk/admin_service.html", status, form=form, error=None, service=None, edit_url=None)


def _service_or_404(code: str) -> Service:
    service = get_session().scalar(select(Service).where(Service.code == code))
    if service is None:
        raise NotFound("unknown_service", f"ไม่พบบริการรหัส {code}", f"Unknown service {code}")
    return service


@bp.route("/services/<code>/edit", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def edit_service(code: str):
    service = _service_or_404(code)
    form = ServiceEditForm(prefix="svc", obj=service)
    if request.method == "GET":
        form.open_days.data = list(service.open_days)
    if form.validate_on_submit():
        try:
            setup.update_service(get_session(), service.code, **form.values())
        except DomainError as err:
            return _form_page("kiosk/admin_service.html", err.status, form=form, error=err, service=service,
                              edit_url=None)
        return _done(f"บันทึกบริการ {service.code} แล้ว / Service {service.code} saved")
    status = 422 if form.errors else 200
    return _form_page("kiosk/admin_service.html", status, form=form, error=None, service=service, edit_url=None)


# --- counters ---------------------------------------------------------------------------------------

@bp.route("/counters/new", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def new_counter():
    form = CounterForm(prefix="ctr")
    if form.validate_on_submit():
        try:
            setup.create_counter(get_session(), name=form.name.data, name_en=form.name_en.data or "",
                                 service_codes=form.service_codes(), active=form.active.data,
                                 spoken_name=form.spoken_name.data or "")
        except DomainError as err:
            existing = err.details.get("counter")
            return _form_page("kiosk/admin_counter.html", err.status, form=form, error=err, counter=None,
                              services=_all_services(),
                              edit_url=url_for(".edit_counter", counter_id=existing) if existing else None)
        return _done("บันทึกช่องบริการใหม่แล้ว / New counter saved")
    return _form_page("kiosk/admin_counter.html", 422 if form.errors else 200, form=form, error=None, counter=None,
                      services=_all_services(), edit_url=None)


def _all_services() -> list[Service]:
    return list(get_session().scalars(select(Service).order_by(Service.position, Service.id)))


@bp.route("/counters/<int:counter_id>/edit", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def edit_counter(counter_id: int):
    counter = get_session().get(Counter, counter_id) if counter_id <= MAX_ID else None
    if counter is None:
        raise unknown_counter(counter_id)
    form = CounterForm(prefix="ctr", obj=counter)
    if request.method == "GET":
        form.services.data = ", ".join(cs.service.code for cs in counter.services)
    if form.validate_on_submit():
        try:
            setup.update_counter(get_session(), counter.id, name=form.name.data, name_en=form.name_en.data or "",
                                 service_codes=form.service_codes(), active=form.active.data,
                                 spoken_name=form.spoken_name.data or "")
        except DomainError as err:
            return _form_page("kiosk/admin_counter.html", err.status, form=form, error=err, counter=counter,
                              services=_all_services(), edit_url=None)
        return _done(f"บันทึกช่องบริการ {counter.id} แล้ว / Counter {counter.id} saved")
    return _form_page("kiosk/admin_counter.html", 422 if form.errors else 200, form=form, error=None,
                      counter=counter, services=_all_services(), edit_url=None)
