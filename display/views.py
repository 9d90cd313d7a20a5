"""Pages of the display package: the TV display, the voice files, the citizen's phone page, the device list."""

from __future__ import annotations

import logging
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
from tambon.errors import DomainError, Invalid, NotFound, wants_json

bp = Blueprint("display", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/display")

VOICE_RE = re.compile(r"^(?P<number>[A-Z]{0,3}[0-9]{1,4})(?P<recall>-r)?$")
log = logging.getLogger(__name__)
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
    """One call as one WAV: /display/voice/A007.wav?at=ช่อง+2 (A007-r.wav: a recall)."""
    match = VOICE_RE.match(spec)
    if not match:
        raise Invalid("bad_call", "รูปแบบเสียงเรียกไม่ถูกต้อง เช่น A007.wav?at=ช่อง 2",
                      "Bad call, e.g. A007.wav?at=ช่อง 2")
    try:
        path = voice.call_wav(match["number"], request.args.get("at", "")[:voice.SPOKEN_NAME_MAX + 1],
                              bool(match["recall"]), Path(current_app.instance_path))
    except voice.CannotSpeak:
        raise Invalid("cannot_speak", "ไม่มีเสียงสำหรับหมายเลขหรือชื่อช่องนี้ ใช้เสียงของเบราว์เซอร์แทน",
                      "No recorded voice for this number or counter; the browser's speech is used instead") from None
    # The URL carries the voice pack's version (?v=), so a long cache never keeps an old voice.
    return send_file(path, mimetype="audio/wav", max_age=86400, conditional=True)


# --- the office's voice pack -------------------------------------------------------------------------

def _pack_dir() -> Path:
    return Path(current_app.instance_path) / voice.PACK_DIR_NAME


def _voice_pack_page(error: voice.BadClip | None = None, word: str | None = None):
    pack = _pack_dir()
    words = [{"name": w.name, "text": w.text, "source": voice.clip_source(w.name, pack)} for w in voice.WORDS.values()]
    sample = voice.call_url("A001", "ช่อง 1", False, Path(current_app.instance_path))
    body = render_template("display/voice_pack.html", words=words, form=FlaskForm(), error=error, error_word=word,
                           version=voice.pack_version(pack), sample_call=sample, max_seconds=voice.MAX_CLIP_SECONDS,
                           max_mb=voice.MAX_CLIP_BYTES // (1024 * 1024))
    return body, (error.status if error else 200)


@bp.get("/display/voice-pack")
@require_role(Role.ADMIN)
def voice_pack():
    return _voice_pack_page()


@bp.get("/display/voice-pack/<name>.wav")
@require_role(Role.ADMIN)
def voice_pack_clip(name: str):
    """One word as calls say it now (the office's recording or the generated clip): the page's preview."""
    try:
        samples = voice.clip_samples(name, _pack_dir())
    except voice.CannotSpeak:
        raise NotFound("unknown_word", "ไม่มีคำนี้ในตารางคำประกาศ", "No such word in the announcement table") from None
    response = Response(voice.to_wav(samples), mimetype="audio/wav")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/display/voice-pack/<name>")
@require_role(Role.ADMIN)
def upload_voice_clip(name: str):
    form = FlaskForm()
    if not form.validate_on_submit():
        raise Invalid("bad_form", "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่", "The form expired; reload the page")
    upload = request.files.get("clip")
    data = upload.read(voice.MAX_CLIP_BYTES + 1) if upload else b""
    try:
        if not data:
            raise voice.BadClip("no_file", "กรุณาเลือกไฟล์เสียง (WAV หรือ MP3)", "Choose a sound file (WAV or MP3)")
        voice.save_recording(_pack_dir(), name, data)
    except voice.BadClip as err:
        if wants_json():
            raise DomainError(err.code, err.message_th, err.message_en, status=err.status) from None
        return _voice_pack_page(err, name)
    log.info("voice pack: word %s recorded by user %s", name, current_user.id)
    flash(f"บันทึกเสียงคำ \"{voice.WORDS[name].text}\" แล้ว / Recording saved", "ok")
    return redirect(url_for("display.voice_pack"))


@bp.post("/display/voice-pack/<name>/delete")
@require_role(Role.ADMIN)
def delete_voice_clip(name: str):
    form = FlaskForm()
    if form.validate_on_submit() and name in voice.WORDS and voice.remove_recording(_pack_dir(), name):
        flash(f"คำ \"{voice.WORDS[name].text}\" กลับไปใช้เสียงสังเคราะห์ / Back to the generated voice", "ok")
    return redirect(url_for("display.voice_pack"))


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
