"""Printing for staff: printer status and reprint (JSON under /api/v1), the PNG preview of any ticket and
the admin page that lists printers and recent print jobs. Views only parse, call one function, render."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from sqlalchemy import and_, func, select

from kiosk import reads
from kiosk.models import Ticket, TicketStatus
from kiosk.printing import backends, outbox
from kiosk.printing.models import JobStatus, PrintJob
from kiosk.printing.render import Layout, preview_png, raqm_available
from kiosk.printing.settings import PrinterConfigError, parse_printer_url
from kiosk.queue import find_ticket, waiting_ahead
from tambon.api import describe, error_response
from tambon.auth import Role, api_user, require_api_role, require_role
from tambon.concurrency import run_cpu_bound
from tambon.db import get_session
from tambon.errors import Conflict, Invalid
from tambon.thaidate import business_date, format_datetime, utcnow

api_bp = Blueprint("kiosk_printing_api", __name__, url_prefix="/api/v1")
bp = Blueprint("kiosk_printing", __name__, url_prefix="/admin/printing", template_folder="templates")
STATUS_CACHE_SECONDS = 10


def _worker() -> outbox.PrintWorker:
    worker = outbox.current_worker()
    if worker is None:
        raise Conflict("printing_off", "ระบบการพิมพ์บัตรคิวยังไม่พร้อม", "Printing is not set up in this process")
    return worker


def printer_overview(session, worker: outbox.PrintWorker, *, live: bool = True) -> list[dict]:
    """Each configured printer: what it reports (DLE EOT over TCP) and how many jobs wait for it."""
    waiting = dict(session.execute(
        select(PrintJob.printer, func.count()).where(PrintJob.status.in_((JobStatus.PENDING, JobStatus.SENDING)))
        .group_by(PrintJob.printer)).all())
    failing = dict(session.execute(
        select(PrintJob.printer, func.count()).where(and_(PrintJob.status == JobStatus.PENDING,
                                                          PrintJob.attempts > 0))
        .group_by(PrintJob.printer)).all())
    retry = dict(session.execute(
        select(PrintJob.printer, func.min(PrintJob.next_attempt_at)).where(
            and_(PrintJob.status == JobStatus.PENDING, PrintJob.attempts > 0)).group_by(PrintJob.printer)).all())
    # The worker may be a process of its own (kiosk/printing/process.py): what it did is read from the jobs.
    printed_at = dict(session.execute(
        select(PrintJob.printer, func.max(PrintJob.printed_at)).where(PrintJob.status == JobStatus.PRINTED)
        .group_by(PrintJob.printer)).all())
    errors = dict(session.execute(
        select(PrintJob.printer, PrintJob.last_error).where(
            and_(PrintJob.status == JobStatus.PENDING, PrintJob.attempts > 0)).order_by(PrintJob.id)).all())
    now = utcnow()
    result = []
    for name, cfg in worker.printers.items():
        health = worker.health.get(name, {})
        status = health.get("status")
        fresh = status is not None and now - status.checked_at < timedelta(seconds=STATUS_CACHE_SECONDS)
        if live and cfg.enabled and not fresh:
            status = backends.probe(cfg)
            worker.health.setdefault(name, {})["status"] = status
        status = status or backends.PrinterStatus()
        jobs_waiting = waiting.get(name, 0)
        last_error = health.get("last_error") or errors.get(name)
        last_printed = health.get("last_printed_at") or printed_at.get(name)
        problem = status.problem or (last_error if failing.get(name) else None)
        result.append({
            "name": name, "url": cfg.display_url, "kind": cfg.scheme, "enabled": cfg.enabled,
            "paper_dots": cfg.dots, "mode": cfg.mode, "cut": cfg.cut.lower(),
            "state": "off" if not cfg.enabled else ("failing" if failing.get(name) or status.problem else "ok"),
            "status": status.as_json(), "problem": problem,
            "jobs_waiting": jobs_waiting, "jobs_failing": failing.get(name, 0),
            "next_retry_at": retry[name].isoformat(timespec="seconds") if retry.get(name) else None,
            "last_error": last_error,
            "last_printed_at": last_printed.isoformat(timespec="seconds") if last_printed else None,
        })
    return result


@api_bp.get("/printers")
@require_api_role()
def printers():
    worker = _worker()
    live = request.args.get("live", "1") != "0"
    return jsonify({"printers": printer_overview(get_session(), worker, live=live),
                    "worker_running": worker.running, "raqm": raqm_available()})


@api_bp.post("/tickets/<ticket_id>/reprint")
@require_api_role(Role.COUNTER)
def reprint(ticket_id: str):
    user = api_user()
    job_id = outbox.reprint_ticket(get_session(), ticket_id, user_id=user.id if user else None)
    _worker().nudge()
    return jsonify({"print": {"status": "queued", "job_id": job_id, "copy": True}}), 202


# --- preview ----------------------------------------------------------------------------------------

def _png(data: bytes) -> Response:
    return Response(data, mimetype="image/png", headers={"Cache-Control": "no-store"})


def _printer_for_preview(worker, ticket_kiosk: str | None):
    cfg = worker.printer(outbox.printer_for(worker.printers, ticket_kiosk))
    paper = request.args.get("paper")
    if paper:
        try:
            cfg = parse_printer_url(cfg.name, f"file:///preview?paper={paper}", None)
        except PrinterConfigError:
            raise Invalid("bad_paper", "ขนาดกระดาษต้องเป็น 58 หรือ 80 (มม.)", "paper must be 58 or 80 (mm)") from None
    return cfg


@bp.get("/tickets/<ref>.png")
@require_role(Role.COUNTER)
def ticket_png(ref: str):
    """What this ticket prints now (?copy=1 with the COPY band, ?paper=58|80)."""
    worker, session = _worker(), get_session()
    now = utcnow()
    ticket = find_ticket(session, ref, business_date(now, worker.settings.timezone))
    job = session.scalar(select(PrintJob).where(PrintJob.ticket_id == ticket.id).order_by(PrintJob.id).limit(1))
    if job is not None:
        payload = job.payload  # the words the first print used (waiting ahead at issue time)
    else:
        ahead = (waiting_ahead(session, ticket.business_date, ticket.service_id, ticket.priority, ticket.queued_at,
                                ticket.id) if ticket.status == TicketStatus.WAITING else None)
        payload = outbox.ticket_payload(session, ticket, worker.settings, waiting_ahead=ahead)
    cfg = _printer_for_preview(worker, ticket.kiosk)
    content = outbox.content_for(payload, worker.settings, copy=request.args.get("copy") == "1")
    return _png(run_cpu_bound(preview_png, content, Layout(width=cfg.dots, logo=worker.settings.logo)))


@bp.get("/jobs/<int:job_id>.png")
@require_role(Role.COUNTER)
def job_png(job_id: int):
    """Exactly the raster a print job sends (same function, same input)."""
    worker = _worker()
    job = get_session().get(PrintJob, job_id)
    if job is None:
        abort(404)
    content, layout = outbox.job_preview(job, worker.printer(job.printer), worker.settings)
    return _png(run_cpu_bound(preview_png, content, layout))


@bp.get("/")
@require_role(Role.ADMIN)
def index():
    session, worker = get_session(), _worker()
    jobs = session.execute(
        select(PrintJob, Ticket.label).join(Ticket, Ticket.id == PrintJob.ticket_id)
        .order_by(PrintJob.id.desc()).limit(50)).all()
    return render_template("printing/admin.html", printers=printer_overview(session, worker, live=True),
                           jobs=jobs, raqm=raqm_available(), worker_running=worker.running,
                           qr_url=reads.status_url("…"),
                           public_base_url_set=bool(current_app.config.get("PUBLIC_BASE_URL")),
                           fmt=lambda moment: format_datetime(moment, worker.settings.timezone))


# --- OpenAPI ------------------------------------------------------------------------------------------

PRINT_STATUS = {"type": "object", "required": ["status", "job_id"], "properties": {
    "status": {"type": "string", "enum": ["queued", "delayed", "printed", "none"],
               "description": "delayed: the printer is known to be failing; the kiosk says the paper is late"},
    "job_id": {"type": ["integer", "null"]}, "copy": {"type": "boolean"}}}

describe({
    "/api/v1/printers": {"get": {
        "summary": "Printers with their real-time status (DLE EOT over TCP) and waiting print jobs (staff)",
        "tags": ["printing"], "security": [{"bearer": []}],
        "parameters": [{"name": "live", "in": "query", "required": False, "schema": {"type": "string",
                        "enum": ["0", "1"]}, "description": "0: only the last known status, no query"}],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
            "type": "object", "properties": {
                "printers": {"type": "array", "items": {"$ref": "#/components/schemas/Printer"}},
                "worker_running": {"type": "boolean"}, "raqm": {"type": "boolean"}}}}}},
            "401": error_response("No or bad credentials")}}},
    "/api/v1/tickets/{id}/reprint": {"post": {
        "summary": "Reprint a ticket, marked สำเนา / COPY (counter staff)", "tags": ["printing"],
        "security": [{"bearer": []}],
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                        "description": "public id, or today's number such as A007"}],
        "responses": {"202": {"description": "Reprint queued", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"print": {"$ref": "#/components/schemas/PrintStatus"}}}}}},
            "401": error_response("No or bad credentials"), "403": error_response("Role may not do this"),
            "404": error_response("Unknown ticket"), "409": error_response("Printing is switched off")}}},
}, {
    "PrintStatus": PRINT_STATUS,
    "Printer": {"type": "object", "properties": {
        "name": {"type": "string", "description": "'default' or a kiosk id from KIOSK_PRINTERS"},
        "url": {"type": "string"}, "kind": {"type": "string", "enum": ["tcp", "usb", "serial", "cups", "file", "none"]},
        "state": {"type": "string", "enum": ["ok", "failing", "off"]},
        "problem": {"type": ["string", "null"]},
        "status": {"type": "object", "properties": {
            "reachable": {"type": ["boolean", "null"]}, "online": {"type": ["boolean", "null"]},
            "cover_open": {"type": ["boolean", "null"]},
            "paper": {"type": ["string", "null"], "enum": ["ok", "near_end", "out", None]},
            "paper_near_end": {"type": "boolean"}, "problem": {"type": ["string", "null"]},
            "checked_at": {"type": "string", "format": "date-time"}}},
        "jobs_waiting": {"type": "integer"}, "jobs_failing": {"type": "integer"},
        "next_retry_at": {"type": ["string", "null"], "format": "date-time"},
        "paper_dots": {"type": "integer", "enum": [384, 576]}}},
})
