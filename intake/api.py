"""JSON API of the complaint desk (/api/v1/complaints), as in the shared contract. The handlers parse,
call one domain function (the same as the form's) and render."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from intake import complaints
from intake.views import has_credentials, pin_client, pin_limit, public_url, settings, submit_limit
from tambon import events
from tambon.api import describe, error_response, json_body
from tambon.auth import api_user, public
from tambon.db import get_session
from tambon.errors import DomainError
from tambon.extensions import limiter

bp = Blueprint("intake_api", __name__, url_prefix="/api/v1")


def _tz() -> str:
    return current_app.config["TAMBON_TIMEZONE"]


@bp.post("/complaints")
@limiter.shared_limit(submit_limit, scope="complaint-submit", exempt_when=has_credentials)
@public
def create():
    data = json_body()
    staff = api_user()  # a bearer token (or staff session) may record phone/walk-in/letter channels
    result = complaints.submit(get_session(), data, staff_user=staff, settings=settings())
    tz = _tz()
    body = {"tracking_code": result.tracking_code, "pin": result.pin, "status": str(result.status),
            "due_at": complaints.iso(result.due_at, tz),
            "status_url": public_url(url_for("intake.status", code=result.tracking_code))}
    body.update(events.contributions(get_session(), "complaint.receipt", {  # line_link_code (notify/)
        "complaint_id": result.complaint_id, "tracking_code": result.tracking_code}))
    return jsonify(body), 201, {"Location": url_for("intake_api.get", tracking_code=result.tracking_code)}


PIN_HEADER = "X-Complaint-PIN"


def _pin_from_header() -> str | None:
    """The PIN travels in a header, never in the URL: URLs end up in access logs, proxies' logs, browser
    history and Referer headers. A PIN in the query is refused, so a client learns at once."""
    if "pin" in request.args:
        raise DomainError("pin_in_url", f"ห้ามส่ง PIN ใน URL ให้ส่งในส่วนหัว {PIN_HEADER} แทน",
                          f"Never send the PIN in the URL; send it in the {PIN_HEADER} header", status=400)
    return request.headers.get(PIN_HEADER) or None


@bp.get("/complaints/<tracking_code>")
@limiter.limit(pin_limit, scope="complaint-pin", exempt_when=lambda: not request.headers.get(PIN_HEADER))
@public
def get(tracking_code: str):
    body = complaints.public_status(get_session(), tracking_code, pin=_pin_from_header(), tz=_tz(),
                                    client=pin_client())
    body["status_url"] = public_url(url_for("intake.status", code=body["tracking_code"]))
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/complaints/<tracking_code>/reopen")
@limiter.limit(pin_limit, scope="complaint-pin")
@public
def reopen(tracking_code: str):
    data = json_body()
    complaints.reopen(get_session(), tracking_code, str(data.get("pin") or ""), reason=data.get("reason"),
                      settings=settings(), client=pin_client())
    body = complaints.public_status(get_session(), tracking_code, pin=str(data.get("pin")), tz=_tz(),
                                    client=pin_client())
    return jsonify(body)


# --- OpenAPI -----------------------------------------------------------------------------------------------

TYPES_ENUM = ["staff_conduct", "corruption", "complaint", "question", "praise", "suggestion"]
STATUS_ENUM = ["received", "acknowledged", "assigned", "in_progress", "reopened", "answered", "closed",
               "rejected", "forwarded"]
CODE_PARAM = {"name": "tracking_code", "in": "path", "required": True,
              "schema": {"type": "string", "pattern": "^TB-[A-Z0-9]{4}-[A-Z0-9]{4}$"},
              "description": "Tracking code, e.g. TB-AC3D-7KQX (case and dashes are forgiven)"}


def _json(ref: str, description: str = "OK") -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


describe({
    "/api/v1/complaints": {"post": {
        "summary": "Send a complaint, question, praise or suggestion (public, rate-limited per address)",
        "description": "Staff channels (phone, walk_in, letter, suggestion_box) need a bearer token. The PIN in "
                       "the answer is shown once; with it the status page shows the office's answer. The same "
                       "text sent again is received like any other (and marked for the office as a probable "
                       "duplicate); the answer never mentions another submission.",
        "tags": ["complaints"],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/NewComplaint"}}}},
        "responses": {"201": _json("ComplaintReceipt", "Received"),
                      "400": error_response("Malformed JSON, or nested deeper than 64 levels"),
                      "401": error_response("Bad bearer token"),
                      "413": error_response("Body larger than MAX_BODY_BYTES (256 KiB by default)"),
                      "415": error_response("Not JSON"),
                      "422": error_response("Invalid field, missing consent, honeypot filled"),
                      "429": error_response("Rate limited")}}},
    "/api/v1/complaints/{tracking_code}": {"get": {
        "summary": "Public status of a complaint; the office's answer only with the PIN in the X-Complaint-PIN header",
        "description": "The PIN goes in the X-Complaint-PIN request header, never in the URL (a `pin` query "
                       "parameter is refused with 400). Wrong PINs are counted per complaint and client address: "
                       "after 5, that address waits 1, 2, 4 … minutes (at most an hour) between tries; other "
                       "addresses, the citizen's included, are not affected.",
        "tags": ["complaints"],
        "parameters": [CODE_PARAM, {"name": PIN_HEADER, "in": "header", "required": False,
                                    "description": "The 6-digit PIN given with the tracking code",
                                    "schema": {"type": "string", "pattern": "^[0-9]{6}$"}}],
        "responses": {"200": _json("ComplaintStatus"), "400": error_response("PIN sent in the URL"),
                      "403": error_response("Wrong PIN"),
                      "404": error_response("Unknown tracking code"),
                      "429": error_response("Too many PIN attempts")}}},
    "/api/v1/complaints/{tracking_code}/reopen": {"post": {
        "summary": "The citizen says the answer did not solve the problem (needs the PIN)",
        "tags": ["complaints"], "parameters": [CODE_PARAM],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["pin", "reason"],
            "properties": {"pin": {"type": "string"}, "reason": {"type": "string", "maxLength": 2000}}}}}},
        "responses": {"200": _json("ComplaintStatus"), "403": error_response("Wrong PIN"),
                      "404": error_response("Unknown tracking code"),
                      "409": error_response("Not answered or closed yet"), "422": error_response("No reason"),
                      "429": error_response("Too many PIN attempts")}}},
}, {
    "NewComplaint": {
        "type": "object", "required": ["type", "subject", "details", "consent"],
        "properties": {
            "type": {"type": "string", "enum": TYPES_ENUM},
            "subject": {"type": "string", "minLength": 3, "maxLength": 200},
            "details": {"type": "string", "minLength": 10, "maxLength": 5000},
            "place": {"type": "string", "maxLength": 300},
            "occurred_on": {"type": "string", "format": "date"},
            "channel": {"type": "string", "default": "web",
                        "enum": ["web", "line", "facebook", "email", "phone", "walk_in", "letter",
                                 "suggestion_box"]},
            "anonymous": {"type": "boolean", "default": False},
            "contact": {"type": "object", "properties": {
                "name": {"type": "string"}, "phone": {"type": "string"}, "email": {"type": "string"},
                "line_id": {"type": "string"}}},
            "consent": {"type": "boolean", "const": True, "description": "PDPA consent (privacy notice)"},
            "notify": {"type": "boolean", "description": "E-mail me when the status changes"},
            "named_staff": {"type": "string", "description": "Name of the staff member complained about"},
            "source": {"type": "string", "description": "Where the QR code was (counter, notice_board, ...)"},
        }},
    "ComplaintReceipt": {
        "type": "object", "required": ["tracking_code", "pin", "status", "due_at", "status_url"],
        "properties": {"tracking_code": {"type": "string", "examples": ["TB-AC3D-7KQX"]},
                       "pin": {"type": "string", "examples": ["042917"]},
                       "status": {"type": "string", "enum": STATUS_ENUM},
                       "due_at": {"type": "string", "format": "date-time"},
                       "status_url": {"type": "string"},
                       "line_link_code": {"type": "string", "description": "Only when LINE is configured "
                                          "(notify/): the one-time code to send to the office's LINE OA"}}},
    "ComplaintStatus": {
        "type": "object", "required": ["tracking_code", "type", "status", "received_at", "due_at", "history"],
        "properties": {
            "tracking_code": {"type": "string"}, "type": {"type": "string", "enum": TYPES_ENUM},
            "type_th": {"type": "string"}, "type_en": {"type": "string"},
            "status": {"type": "string", "enum": STATUS_ENUM}, "status_th": {"type": "string"},
            "status_en": {"type": "string"}, "open": {"type": "boolean"}, "overdue": {"type": "boolean"},
            "division": {"type": ["string", "null"]},
            "received_at": {"type": "string", "format": "date-time"},
            "acknowledged_at": {"type": ["string", "null"], "format": "date-time"},
            "ack_due_at": {"type": "string", "format": "date-time"},
            "due_at": {"type": "string", "format": "date-time"},
            "answered_at": {"type": ["string", "null"], "format": "date-time"},
            "closed_at": {"type": ["string", "null"], "format": "date-time"},
            "reopen_count": {"type": "integer"},
            "history": {"type": "array", "items": {"type": "object", "properties": {
                "at": {"type": "string", "format": "date-time"}, "event": {"type": "string"},
                "status": {"type": ["string", "null"]}, "status_th": {"type": "string"},
                "status_en": {"type": "string"}, "note": {"type": ["string", "null"]},
                "division": {"type": "string"}, "agency": {"type": "string"}}}},
            "answer": {"type": "object", "description": "Only with the right PIN", "properties": {
                "subject": {"type": "string"}, "text": {"type": ["string", "null"]},
                "reject_reason": {"type": ["string", "null"]}, "forwarded_to": {"type": ["string", "null"]},
                "answered_at": {"type": ["string", "null"], "format": "date-time"}}},
            "can_reopen": {"type": "boolean"},
            "status_url": {"type": "string"},
        }},
})
