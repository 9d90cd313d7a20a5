"""Pages of the display package: the TV display, the voice files, the citizen's phone page, the device list."""

from __future__ import annotations

import re
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from display import devices, phone, settings, voice
from display.live import parse_counters
from tambon.auth import Role, public, require_role
from tambon.db import get_session
from tambon.errors import DomainError, Invalid

bp = Blueprint("display", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/display")

VOICE_RE = re.compile(r"^(?P<number>[A-Z]{0,3}[0-9]{1,4})-(?P<counter>[0-9]{1,2})(?P<recall>-r)?$")
STAFF = (Role.COUNTER, Role.OFFICER, Role.EXECUTIVE)


def _tz() -> str:
    return current_app.config["TAMBON_TIMEZONE"]


@bp.get("/display")
@public
def tv():
    try:
        counters = parse_counters(request.args.get("counters"))
    except (ValueError, TypeError):
        raise Invalid("bad_counters", "รายการช่องบริการไม่ถูกต้อง เช่น ?counters=1,2",
                      "Bad counter list, e.g. ?counters=1,2") from None
    name = (request.args.get("name") or "")[:100]
    return render_template("display/tv.html", counters=",".join(map(str, counters or [])), device_name=name)


@bp.get("/display/chime.wav")
@public
def chime():
    response = Response(voice.chime_wav(), mimetype="audio/wav")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/display/voice/<spec>.wav")
@public
def voice_call(spec: str):
    match = VOICE_RE.match(spec)
    if not match:
        raise Invalid("bad_call", "รูปแบบเสียงเรียกไม่ถูกต้อง เช่น A007-2.wav", "Bad call, e.g. A007-2.wav")
    try:
        path = voice.call_wav(match["number"], int(match["counter"]), bool(match["recall"]),
                              Path(current_app.instance_path) / "voice-cache")
    except voice.CannotSpeak:
        raise Invalid("cannot_speak", "ไม่มีเสียงสำหรับหมายเลขนี้ ใช้เสียงของเบราว์เซอร์แทน",
                      "No recorded voice for this call; the browser's speech is used instead") from None
    return send_file(path, mimetype="audio/wav", max_age=86400, conditional=True)


@bp.get("/t/<public_id>")
@public
def ticket_page(public_id: str):
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", public_id):
        raise Invalid("bad_ticket", "ลิงก์บัตรคิวไม่ถูกต้อง", "Bad ticket link")
    ticket = phone.ticket_view(get_session(), public_id, tz=_tz())
    response = Response(render_template("display/phone.html", ticket=ticket,
                                        complaint_url="/complaints/new"))
    # The link is the only key to the ticket: keep it out of caches and referrers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


class TickerForm(FlaskForm):
    ticker = TextAreaField(validators=[Length(max=settings.TICKER_MAX)])


@bp.get("/display/devices")
@require_role(*STAFF)
def device_page():
    session = get_session()
    form = TickerForm(ticker=settings.get_ticker(session))
    return render_template("display/devices.html", devices=devices.device_list(session), form=form,
                           offline_after=int(devices.OFFLINE_AFTER.total_seconds()),
                           is_admin=current_user.has_role(Role.ADMIN))


@bp.post("/display/ticker")
@require_role(Role.ADMIN)
def set_ticker():
    form = TickerForm()
    if not form.validate_on_submit():
        flash(_("The ticker may be at most 500 characters."), "error")
        return redirect(url_for("display.device_page"))
    session = get_session()
    try:
        settings.set_ticker(session, form.ticker.data or "", user_id=current_user.id)
    except DomainError as err:
        flash(err.message_th if str(request.cookies.get("lang", "th")) == "th" else err.message_en, "error")
        return redirect(url_for("display.device_page"))
    current_app.extensions["display"].enqueue("display.settings", {})
    flash(_("Ticker saved; the displays show it now."), "ok")
    return redirect(url_for("display.device_page"))


@bp.post("/display/devices/<int:device_id>/forget")
@require_role(Role.ADMIN)
def forget_device(device_id: int):
    form = FlaskForm()
    if form.validate_on_submit():
        devices.forget(get_session(), device_id)
    return redirect(url_for("display.device_page"))
