"""JSON API of the queue (/api/v1): services, counters, tickets, queue snapshot. Views only parse,
call one domain function and render."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from kiosk import board, queue, reads
from kiosk.openapi import describe_queue_api
from kiosk.printing.outbox import print_status
from kiosk.queue import MAX_ID, QueueRules
from tambon import events
from tambon.api import json_body
from tambon.auth import Role, api_user, public, require_api_role
from tambon.db import get_session
from tambon.errors import Invalid
from tambon.extensions import limiter

bp = Blueprint("kiosk_api", __name__, url_prefix="/api/v1")
describe_queue_api()

STAFF = (Role.COUNTER,)


def _rules() -> QueueRules:
    return current_app.extensions["tambon.queue_rules"]


def _tz() -> str:
    return current_app.config["TAMBON_TIMEZONE"]


def _ticket_json(ticket) -> dict:
    body = reads.ticket_view(get_session(), ticket, tz=_tz())
    body["status_url"] = reads.status_url(ticket.public_id)
    return body


def _is_kiosk() -> bool:
    return request.remote_addr in current_app.config["KIOSK_ADDRESSES"]


@bp.get("/services")
@public
def list_services():
    return jsonify({"services": reads.services(get_session(), tz=_tz())})


@bp.get("/counters")
@public
def list_counters():
    return jsonify({"counters": reads.counters(get_session(), tz=_tz())})


@bp.get("/queue")
@public
def queue_snapshot():
    return jsonify(board.snapshot(get_session(), tz=_tz()))


@bp.post("/tickets")
@public
@limiter.limit(lambda: current_app.config["TICKET_RATE_LIMIT"], exempt_when=_is_kiosk)
def issue_ticket():
    data = json_body()
    service = data.get("service")
    priority = data.get("priority", False)
    if not isinstance(service, str) or not service:
        raise Invalid("bad_service", "ต้องระบุรหัสบริการ (service) เป็นข้อความ", "Field 'service' (a code) is required")
    if not isinstance(priority, bool):
        raise Invalid("bad_priority", "priority ต้องเป็น true หรือ false", "Field 'priority' must be true or false")
    kiosk = request.headers.get("X-Kiosk-Id", "")[:64] or None
    issued = queue.issue_ticket(get_session(), service, priority=priority, rules=_rules(), kiosk=kiosk)
    tz = _tz()
    body = {
        "id": issued.public_id, "number": issued.number, "service": issued.service_code,
        "service_name_th": issued.service_name_th, "service_name_en": issued.service_name_en,
        "priority": issued.priority, "issued_at": reads.iso_local(issued.issued_at, tz),
        "waiting_ahead": issued.waiting_ahead, "status_url": reads.status_url(issued.public_id),
        "print": print_status(get_session(), issued.id),
    }
    return jsonify(body), 201, {"Location": f"/api/v1/tickets/{issued.public_id}"}


@bp.get("/tickets/<ticket_id>")
@public
def get_ticket(ticket_id: str):
    body = reads.ticket_status(get_session(), ticket_id, tz=_tz())
    body["status_url"] = reads.status_url(ticket_id)
    body.update(events.contributions(get_session(), "ticket.status", {"public_id": ticket_id}))  # line_link_code
    return jsonify(body)


def _user_id() -> int | None:
    user = api_user()
    return user.id if user is not None else None


@bp.post("/counters/<int:counter_id>/next")
@require_api_role(*STAFF)
def call_next(counter_id: int):
    ticket = queue.call_next(get_session(), counter_id, user_id=_user_id(), rules=_rules())
    if ticket is None:
        return "", 204
    return jsonify({"ticket": _ticket_json(ticket)})


@bp.post("/counters/<int:counter_id>/call")
@require_api_role(*STAFF)
def call_chosen(counter_id: int):
    ref = json_body().get("ticket")
    if not isinstance(ref, str) or not ref:
        raise Invalid("bad_ticket", "ต้องระบุบัตรคิว (ticket) เช่น A007", "Field 'ticket' (e.g. A007) is required")
    ticket = queue.call_ticket(get_session(), counter_id, ref, user_id=_user_id(), rules=_rules())
    return jsonify({"ticket": _ticket_json(ticket)})


def _counter_action(action):
    def view(counter_id: int):
        ticket = action(get_session(), counter_id, user_id=_user_id(), rules=_rules())
        return jsonify({"ticket": _ticket_json(ticket)})

    return view


for _name, _action in (("recall", queue.recall), ("start", queue.start_service), ("complete", queue.complete),
                       ("no-show", queue.no_show), ("park", queue.park)):
    bp.add_url_rule(f"/counters/<int:counter_id>/{_name}", f"counter_{_name.replace('-', '_')}",
                    require_api_role(*STAFF)(_counter_action(_action)), methods=["POST"])


@bp.post("/counters/<int:counter_id>/transfer")
@require_api_role(*STAFF)
def transfer(counter_id: int):
    service = json_body().get("service")
    if not isinstance(service, str) or not service:
        raise Invalid("bad_service", "ต้องระบุบริการปลายทาง (service)", "Field 'service' (target code) is required")
    ticket = queue.transfer(get_session(), counter_id, service, user_id=_user_id(), rules=_rules())
    return jsonify({"ticket": _ticket_json(ticket)})


@bp.post("/tickets/<ticket_id>/resume")
@require_api_role(*STAFF)
def resume(ticket_id: str):
    ticket = queue.resume(get_session(), ticket_id, user_id=_user_id(), rules=_rules())
    return jsonify({"ticket": _ticket_json(ticket)})


@bp.post("/tickets/<ticket_id>/cancel")
@require_api_role(*STAFF)
def cancel(ticket_id: str):
    reason = json_body(required=False).get("reason")
    if reason is not None and not isinstance(reason, str):
        raise Invalid("bad_reason", "reason ต้องเป็นข้อความ", "Field 'reason' must be text")
    ticket = queue.cancel(get_session(), ticket_id, user_id=_user_id(), reason=reason, rules=_rules())
    return jsonify({"ticket": _ticket_json(ticket)})


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise Invalid(f"bad_{name}", f"{name} ต้องเป็นจำนวนเต็ม {low}–{high}",
                      f"Parameter '{name}' must be a whole number {low}–{high}")
    return int(raw)


@bp.get("/waiting")
@require_api_role(*STAFF)
def waiting():
    """Today's waiting and parked tickets, a page at a time; ?counter=ID keeps the services it serves."""
    counter_id = _int_arg("counter", 0, 0, MAX_ID) or None
    offset = _int_arg("offset", 0, 0, 1_000_000)
    limit = _int_arg("limit", 200, 1, 200)
    tickets, total = reads.waiting_list(get_session(), tz=_tz(), counter_id=counter_id, offset=offset, limit=limit)
    return jsonify({"tickets": tickets, "total": total, "offset": offset, "limit": limit})


@bp.get("/tickets/<ticket_id>/events")
@require_api_role(*STAFF)
def ticket_events(ticket_id: str):
    return jsonify({"events": reads.ticket_history(get_session(), ticket_id, tz=_tz())})
