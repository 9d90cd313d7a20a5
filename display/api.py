"""JSON API of the display package (/api/v1): the phone's live ticket view, rating, device heartbeats,
the ticker. Views only parse, call one domain function and render."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from display import devices, phone, settings
from kiosk import queue
from tambon.api import describe, error_response, json_body
from tambon.auth import Role, api_user, public, require_api_role
from tambon.db import get_session
from tambon.errors import Invalid
from tambon.extensions import limiter
from tambon.thaidate import to_local

bp = Blueprint("display_api", __name__, url_prefix="/api/v1")


def _tz() -> str:
    return current_app.config["TAMBON_TIMEZONE"]


@bp.get("/tickets/<ticket_id>/live")
@public
def ticket_live(ticket_id: str):
    response = jsonify(phone.ticket_view(get_session(), ticket_id, tz=_tz()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/tickets/<ticket_id>/rating")
@limiter.limit("10 per minute")
@public
def rate(ticket_id: str):
    data = json_body()
    score, comment = data.get("score"), data.get("comment")
    if not isinstance(score, int) or isinstance(score, bool):
        raise Invalid("bad_score", "คะแนนต้องเป็นตัวเลข 1 ถึง 5", "Field 'score' must be a number 1 to 5")
    if comment is not None and not isinstance(comment, str):
        raise Invalid("bad_comment", "ความคิดเห็นต้องเป็นข้อความ",
                      "Field 'comment' must be text")
    if comment is not None and len(comment) > 500:
        raise Invalid("comment_too_long", "ความคิดเห็นยาวได้ไม่เกิน 500 ตัวอักษร",
                      "Field 'comment' may be at most 500 characters")
    queue.rate_ticket(get_session(), ticket_id, score, comment,
                      rules=current_app.extensions["tambon.queue_rules"])
    return jsonify({"rated": True, "score": score}), 201


@bp.post("/devices/heartbeat")
@limiter.limit("60 per minute")  # several kiosks may share one address
@public
def heartbeat():
    data = json_body()
    device = devices.heartbeat(get_session(), data.get("device"), data.get("kind"), name=data.get("name"),
                               address=request.remote_addr, page=str(data.get("page") or "")[:200] or None,
                               sound_on=data.get("sound"))
    return jsonify({"ok": True, "device": device.device_key, "interval_seconds": devices.HEARTBEAT_SECONDS,
                    "offline_after_seconds": int(devices.OFFLINE_AFTER.total_seconds())})


@bp.get("/devices")
@require_api_role(Role.COUNTER, Role.OFFICER, Role.EXECUTIVE)
def device_list():
    rows = devices.device_list(get_session())
    for row in rows:
        for key in ("last_seen_at", "first_seen_at"):
            row[key] = to_local(row[key], _tz()).isoformat(timespec="seconds")
    return jsonify({"devices": rows})


@bp.put("/display/ticker")
@require_api_role(Role.ADMIN)
def put_ticker():
    text = json_body().get("text")
    user = api_user()
    saved = settings.set_ticker(get_session(), text, user_id=user.id if user else None)
    current_app.extensions["display"].enqueue("display.settings", {})
    return jsonify({"text": saved})


_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
_STAFF_ERRORS = {"401": error_response("No or bad credentials"), "403": error_response("Role may not do this")}


def _obj(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties, "required": required or []}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _ok(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


describe({
    "/api/v1/tickets/{id}/live": {"get": {
        "summary": "The citizen's phone view: status, position in line, estimated wait (public, no personal data)",
        "tags": ["display"], "parameters": [_ID],
        "responses": {"200": _ok({"$ref": "#/components/schemas/TicketLive"}),
                      "404": error_response("Unknown ticket")}}},
    "/api/v1/tickets/{id}/rating": {"post": {
        "summary": "One-tap satisfaction rating after service (public, once per ticket)",
        "tags": ["display"], "parameters": [_ID],
        "requestBody": _body(_obj({"score": {"type": "integer", "minimum": 1, "maximum": 5},
                                   "comment": {"type": "string", "maxLength": 500}}, ["score"])),
        "responses": {"201": _ok(_obj({"rated": {"type": "boolean"}, "score": {"type": "integer"}}), "Rated"),
                      "404": error_response("Unknown ticket"),
                      "409": error_response("Not completed yet, or rated already"),
                      "422": error_response("Bad score or comment"),
                      "429": error_response("Too many requests")}}},
    "/api/v1/devices/heartbeat": {"post": {
        "summary": "A TV display or kiosk reports that it is alive (every 30 s; offline after 90 s)",
        "tags": ["display"],
        "requestBody": _body(_obj({"device": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
                                   "kind": {"type": "string", "enum": list(devices.KINDS)},
                                   "name": {"type": "string", "maxLength": 100},
                                   "page": {"type": "string", "maxLength": 200},
                                   "sound": {"type": "boolean"}}, ["device", "kind"])),
        "responses": {"200": _ok(_obj({"ok": {"type": "boolean"}, "device": {"type": "string"},
                                       "interval_seconds": {"type": "integer"},
                                       "offline_after_seconds": {"type": "integer"}})),
                      "422": error_response("Bad device id or kind"),
                      "429": error_response("Too many requests")}}},
    "/api/v1/devices": {"get": {
        "summary": "Displays and kiosks with online/offline and sound state (staff)",
        "tags": ["display"], "security": [{"bearer": []}],
        "responses": {"200": _ok(_obj({"devices": {"type": "array", "items": {"type": "object"}}})),
                      **_STAFF_ERRORS}}},
    "/api/v1/display/ticker": {"put": {
        "summary": "Set the ticker line of the TV displays (admin); empty text clears it",
        "tags": ["display"], "security": [{"bearer": []}],
        "requestBody": _body(_obj({"text": {"type": "string", "maxLength": settings.TICKER_MAX}}, ["text"])),
        "responses": {"200": _ok(_obj({"text": {"type": "string"}})),
                      "422": error_response("Not text, or too long"), **_STAFF_ERRORS}}},
}, {
    "TicketLive": _obj({
        "id": {"type": "string"}, "number": {"type": "string"}, "status": {"type": "string"},
        "status_th": {"type": "string"}, "service": {"type": "string"},
        "position": {"type": ["integer", "null"], "description": "1 = next; null unless waiting"},
        "waiting_ahead": {"type": "integer"},
        "estimated_wait_minutes": {"type": ["integer", "null"],
                                   "description": "From today's pace of this service; null until 3 calls today"},
        "pace_seconds": {"type": ["integer", "null"]},
        "counter": {"type": ["object", "null"]}, "rated": {"type": "boolean"}, "can_rate": {"type": "boolean"},
    }, ["id", "number", "status", "position", "estimated_wait_minutes", "rated", "can_rate"]),
})
