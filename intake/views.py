"""Public pages: the complaint form (mobile first, no JavaScript needed), the receipt with the tracking
code and PIN, the status page /c/<code>, the privacy notice, the statistics and the QR image."""

from __future__ import annotations

import hmac
import ipaddress
import math
import time

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_limiter import RequestLimit
from werkzeug.datastructures import MultiDict

from intake import codes, complaints, metrics
from intake.models import SOURCES, TYPES
from intake.posters import small_qr_png
from intake.settings import IntakeSettings
from intake.uploads import CheckedFile, check_files
from tambon.auth import public
from tambon.concurrency import run_cpu_bound
from tambon.db import get_session
from tambon.errors import DomainError, Invalid
from tambon.extensions import limiter
from tambon.pages import public_url
from tambon.thaidate import business_date, fiscal_year_of, utcnow

bp = Blueprint("intake", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/intake")


def settings() -> IntakeSettings:
    return current_app.extensions["intake.settings"]


def submit_limit() -> str:
    return settings().rate_limit


def has_credentials() -> bool:
    """API clients with a token (a LINE bot, an Open311 app) send for many citizens from one address: the
    per-address limit is for anonymous senders. A wrong token is refused by the view (401/403) anyway."""
    return request.headers.get("Authorization", "").startswith("Bearer ") or bool(request.values.get("api_key"))


def pin_limit() -> str:
    return settings().pin_rate_limit


def pin_client() -> str:
    """Whom a wrong PIN counts against: a keyed hash of the client's address (an IPv6 client's /64 network,
    which one household holds whole), so the database holds no addresses and a guesser cannot dodge the
    back-off by walking through its own network's addresses."""
    address = request.remote_addr or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:  # an IPv4 client of a dual-stack socket
            ip = ip.ipv4_mapped
        network = str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"pin-client|" + network.encode(), "sha256").hexdigest()[:32]


def form_to_data(form: MultiDict) -> dict:
    """Form fields → the same dict the JSON API takes (one domain function for both)."""
    def get(name):
        value = form.get(name)
        return value if value not in (None, "") else None

    return {
        "type": get("type"), "subject": get("subject"), "details": get("details"), "place": get("place"),
        "occurred_on": get("occurred_on"), "anonymous": form.get("anonymous") == "1",
        "contact": {"name": get("contact_name"), "phone": get("contact_phone"), "email": get("contact_email"),
                    "line_id": get("contact_line_id")},
        "consent": form.get("consent") == "1", "notify": form.get("notify") == "1",
        "named_staff": get("named_staff"), "website": form.get("website"), "source": get("src"),
        "channel": get("channel"), "named_staff_user_id": get("named_staff_user_id"),
    }


def uploaded_files() -> list[CheckedFile]:
    s = settings()
    files: list[tuple[str, bytes]] = []
    for storage in request.files.getlist("files"):
        if not storage or not storage.filename:
            continue
        data = storage.stream.read(s.max_file_bytes + 1)
        files.append((storage.filename, data))
    return check_files(files, max_files=s.max_files, max_bytes=s.max_file_bytes, max_pixels=s.max_image_pixels)


def _form_context(values: dict | None = None, error: DomainError | None = None) -> dict:
    src = request.values.get("src")
    return {"types": TYPES, "values": values or {}, "error": error, "src": src if src in SOURCES else None,
            "deadline": settings().deadline_for("complaint"), "max_files": settings().max_files,
            "max_mb": settings().max_file_bytes // (1024 * 1024), "today": business_date(utcnow()).isoformat()}


@bp.get("/complaints/new")
@public
def new_complaint():
    values = {"type": request.args.get("type")} if request.args.get("type") in TYPES else {}
    return render_template("intake/form.html", **_form_context(values))


def _submit_refused(limit: RequestLimit) -> Response:
    """Too many complaints from this address for now: the form again, everything typed still in it, and
    when to send again (a bare 429 page would lose what the citizen wrote). Files cannot be kept."""
    minutes = max(1, math.ceil((limit.reset_at - time.time()) / 60))
    values = {k: v for k, v in request.form.items() if k not in ("csrf_token", "website")}
    error = DomainError(
        "rate_limited",
        f"ส่งเรื่องจากเครื่องนี้ถี่เกินไป ยังไม่ได้บันทึกเรื่องนี้ ข้อความที่กรอกไว้ยังอยู่ครบ กรุณารอประมาณ {minutes} นาที "
        f"แล้วกดส่งอีกครั้ง (ไฟล์แนบต้องเลือกใหม่)",
        f"Too many complaints from this device; this one was not saved yet. What you typed is still here: "
        f"please wait about {minutes} minute(s), then send again (attach files again).",
        status=429)
    page = render_template("intake/form.html", **_form_context(values, error))
    return Response(page, status=429, headers={"Retry-After": str(minutes * 60)}, mimetype="text/html")


@bp.post("/complaints/new")
@limiter.shared_limit(submit_limit, scope="complaint-submit", on_breach=_submit_refused)
@public
def submit_complaint():
    data = form_to_data(request.form)
    data["channel"] = "web"  # the public form is the web channel; staff record other channels
    try:
        files = uploaded_files()
        result = complaints.submit(get_session(), data, files=files, settings=settings())
    except DomainError as err:
        values = {k: v for k, v in request.form.items() if k not in ("csrf_token", "website")}
        return render_template("intake/form.html", **_form_context(values, err)), err.status
    return render_template("intake/receipt.html", result=result,
                           status_url=public_url(url_for("intake.status", code=result.tracking_code)))


@bp.get("/complaints/track")
@public
def track():
    code = request.args.get("code")
    if code:
        normal = codes.normalize_code(code)
        if normal:
            return redirect(url_for("intake.status", code=normal))
        err = Invalid("bad_code", "รหัสติดตามไม่ถูกต้อง ตัวอย่าง: TB-AC3D-7KQX",
                      "That is not a tracking code; example: TB-AC3D-7KQX")
        return render_template("intake/track.html", error=err, code=code), 422
    return render_template("intake/track.html", error=None, code="")


def _status_page(code: str, pin: str | None = None, error: DomainError | None = None, status: int = 200):
    tz = current_app.config["TAMBON_TIMEZONE"]
    info = complaints.public_status(get_session(), code, tz=tz)
    if pin and error is None:
        try:
            info = complaints.public_status(get_session(), code, pin=pin, tz=tz, client=pin_client())
        except DomainError as err:
            error, status = err, err.status
    response = Response(render_template("intake/status.html", c=info, error=error,
                                        pin=pin if "answer" in info else None), status=status)
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/c/<code>")
@public
def status(code: str):
    normal = codes.normalize_code(code)
    if normal and normal != code:
        return redirect(url_for("intake.status", code=normal))
    return _status_page(code)


@bp.post("/c/<code>")
@limiter.limit(pin_limit, scope="complaint-pin")
@public
def status_with_pin(code: str):
    return _status_page(code, pin=(request.form.get("pin") or "").strip())


@bp.post("/c/<code>/reopen")
@limiter.limit(pin_limit, scope="complaint-pin")
@public
def reopen(code: str):
    pin = (request.form.get("pin") or "").strip()
    try:
        complaints.reopen(get_session(), code, pin, reason=request.form.get("reason"), settings=settings(),
                          client=pin_client())
    except DomainError as err:
        if err.code in ("bad_pin", "pin_locked", "unknown_complaint"):
            return _status_page(code, error=err, status=err.status)
        return _status_page(code, pin=pin, error=err, status=err.status)
    return _status_page(code, pin=pin)


@bp.get("/complaints/privacy")
@public
def privacy():
    return render_template("intake/privacy.html", retention_days=settings().retention_days)


@bp.get("/complaints/stats")
@public
def stats():
    session = get_session()
    tz = current_app.config["TAMBON_TIMEZONE"]
    today = business_date(utcnow(), tz)
    current_fy = fiscal_year_of(today)
    try:
        fy = int(request.args.get("fy", current_fy))
    except ValueError:
        fy = current_fy
    if not 2500 <= fy <= current_fy + 1:
        raise Invalid("bad_fiscal_year", f"ปีงบประมาณต้องเป็นปี พ.ศ. ไม่เกิน {current_fy}",
                      f"Fiscal year must be a Buddhist-era year up to {current_fy}")
    table = metrics.public_table(session, fy, tz=tz, today=today)
    first = session.scalar(metrics.first_received_stmt())
    first_fy = fiscal_year_of(business_date(first, tz)) if first else current_fy
    years = list(range(current_fy, min(first_fy, current_fy) - 1, -1))
    return render_template("intake/stats.html", table=table, fy=fy, years=years, today=today)


@bp.get("/complaints/qr.png")
@public
def qr_png():
    src = request.args.get("src")
    if src not in SOURCES:
        src = "ticket"
    url = public_url(url_for("intake.new_complaint", src=src))
    return Response(run_cpu_bound(small_qr_png, url), mimetype="image/png", headers={"Cache-Control": "public, max-age=86400"})
