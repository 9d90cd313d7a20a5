"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/, in XML and JSON.

- Services are the non-confidential complaint types. Complaints about staff conduct and corruption reports
  are never offered, listed or readable here (404 as if they did not exist).
- POST requests needs an ``api_key``: a token from ``tambon token create NAME``. The client application
  that holds a key is responsible for the citizen's PDPA consent. ``address_string`` (or lat/long) is
  optional, because many matters (a question, praise) have no location. The answer carries the
  ``service_request_id`` at once, plus our extension fields ``tracking_code``, ``pin`` and ``status_url``
  for the citizen.
- ``service_request_id`` is a random id of its own, never the tracking code: the list of requests is public,
  and the tracking code (with the PIN) is the citizen's key to the office's answer.
- GET requests: ``service_request_id`` (comma list; overrides the other filters), ``service_code`` (comma
  list), ``start_date``/``end_date`` (w3 datetime; default the most recent 90 days; a wider range is an
  error), ``status`` (open, closed; comma list). At most OPEN311_MAX_REQUESTS (1000) newest first.
- Status: received/acknowledged/assigned/in_progress/reopened → ``open``; the final ones → ``closed``, with
  ``status_notes`` (Thai status and the office's public note), ``agency_responsible`` (division, the agency
  it was forwarded to, or the office), ``expected_datetime`` (the answer deadline).
- ``description`` and ``address`` carry the citizen's subject and place only when OPEN311_PUBLISH_TEXT=1:
  the public list must not become a list of people's problems unless the office decides to publish.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from intake import complaints, labels
from intake.models import CONFIDENTIAL_TYPES, DONE_STATUSES, OPEN_STATUSES, Complaint, ComplaintEvent
from intake.views import has_credentials, public_url, settings, submit_limit
from tambon.auth import public
from tambon.auth import service as auth_service
from tambon.db import get_session
from tambon.errors import DomainError, NotFound
from tambon.extensions import limiter
from tambon.thaidate import utcnow

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

SERVICE_CODES = ("complaint", "question", "praise", "suggestion")
SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-24T00:00:00+07:00"
MAX_RANGE = timedelta(days=90)


class BadRequest(DomainError):
    status = 400


class Forbidden(DomainError):
    status = 403


# --- formats -----------------------------------------------------------------------------------------------

def _check_format(fmt: str) -> str:
    if fmt not in ("json", "xml"):
        raise NotFound("bad_format", "รองรับเฉพาะ .json และ .xml", "Only .json and .xml are supported")
    return fmt


def _xml_value(parent: ET.Element, key: str, value) -> None:
    child = ET.SubElement(parent, key)
    if isinstance(value, list):
        for item in value:
            _xml_value(child, key[:-1] if key.endswith("s") else "item", item)
    elif isinstance(value, dict):
        for k, v in value.items():
            _xml_value(child, k, v)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    elif value is not None:
        child.text = str(value)


def render(fmt: str, root: str, item: str | None, data, status: int = 200) -> Response:
    if fmt == "json":
        response = jsonify(data)
        response.status_code = status
        return response
    element = ET.Element(root)
    if item is None:
        for key, value in data.items():
            _xml_value(element, key, value)
    else:
        for row in data:
            node = ET.SubElement(element, item)
            for key, value in row.items():
                _xml_value(node, key, value)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")
    return Response(body, status=status, mimetype="text/xml", content_type="text/xml; charset=utf-8")


def _fmt_from_path() -> str:
    return "xml" if request.path.endswith(".xml") else "json"


@bp.errorhandler(DomainError)
def _domain_error(err: DomainError):
    status = 400 if err.status == 422 else err.status
    return render(_fmt_from_path(), "errors", "error",
                  [{"code": status, "description": f"{err.message_th} / {err.message_en}"}], status)


@bp.errorhandler(HTTPException)
def _http_error(err: HTTPException):
    from tambon.errors import HTTP_MESSAGES

    th, en = HTTP_MESSAGES.get(err.code or 500, (err.name, err.name))
    return render(_fmt_from_path(), "errors", "error", [{"code": err.code, "description": f"{th} / {en}"}],
                  err.code or 500)


# --- discovery and services ----------------------------------------------------------------------------------

@bp.get("/discovery.<fmt>")
@public
def discovery(fmt: str):
    _check_format(fmt)
    office = current_app.config["OFFICE_NAME"]
    data: dict[str, Any] = {
        "changeset": CHANGESET,
        "contact": f"{office} — ติดต่อสำนักปลัด / contact the office",
        "key_service": "ขอ api_key ได้ที่สำนักงาน (tambon token create) / ask the office for an api_key",
        "endpoints": [{"specification": SPEC, "url": public_url("/open311/v2"), "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    }
    if fmt == "xml":
        data["endpoints"] = [{**e, "formats": [{"format": f} for f in e["formats"]]} for e in data["endpoints"]]
        return _discovery_xml(data)
    return render(fmt, "discovery", None, data)


def _discovery_xml(data: dict) -> Response:
    root = ET.Element("discovery")
    for key in ("changeset", "contact", "key_service"):
        ET.SubElement(root, key).text = data[key]
    endpoints = ET.SubElement(root, "endpoints")
    for e in data["endpoints"]:
        node = ET.SubElement(endpoints, "endpoint")
        for key in ("specification", "url", "changeset", "type"):
            ET.SubElement(node, key).text = e[key]
        formats = ET.SubElement(node, "formats")
        for f in e["formats"]:
            ET.SubElement(formats, "format").text = f["format"]
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
    return Response(body, mimetype="text/xml", content_type="text/xml; charset=utf-8")


def _service(code: str) -> dict:
    deadline = settings().deadline_for(code)
    return {"service_code": code, "service_name": labels.th("type", code),
            "description": f"{labels.en('type', code)}. {deadline.describe_th()}",
            "metadata": True, "type": "realtime", "keywords": labels.th("type_short", code),
            "group": "ร้องเรียน/ร้องทุกข์" if code == "complaint" else "ความคิดเห็นและข้อมูล"}


@bp.get("/services.<fmt>")
@public
def services(fmt: str):
    _check_format(fmt)
    return render(fmt, "services", "service", [_service(code) for code in SERVICE_CODES])


ATTRIBUTES = [
    {"variable": True, "code": "subject", "datatype": "string", "required": False,
     "datatype_description": "ไม่เกิน 200 ตัวอักษร / up to 200 characters", "order": 1,
     "description": "หัวเรื่อง / Subject (default: the start of the description)"},
    {"variable": True, "code": "occurred_on", "datatype": "datetime", "required": False,
     "datatype_description": "YYYY-MM-DD", "order": 2, "description": "วันที่เกิดเหตุ / Date of the event"},
]


@bp.get("/services/<service_code>.<fmt>")
@public
def service_definition(service_code: str, fmt: str):
    _check_format(fmt)
    if service_code not in SERVICE_CODES:
        raise NotFound("unknown_service", f"ไม่พบบริการ {service_code}", f"Unknown service_code {service_code}")
    data = {"service_code": service_code, "attributes": ATTRIBUTES}
    if fmt == "xml":
        root = ET.Element("service_definition")
        ET.SubElement(root, "service_code").text = service_code
        attrs = ET.SubElement(root, "attributes")
        for a in ATTRIBUTES:
            node = ET.SubElement(attrs, "attribute")
            for key, value in a.items():
                _xml_value(node, key, value)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
        return Response(body, mimetype="text/xml", content_type="text/xml; charset=utf-8")
    return jsonify(data)


# --- requests ---------------------------------------------------------------------------------------------

def _params() -> dict:
    if request.is_json:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}
    return request.values.to_dict()


def _check_key(params: dict):
    key = params.get("api_key") or ""
    user = auth_service.user_for_token(get_session(), key) if key else None
    if user is None:
        raise Forbidden("bad_api_key", "ไม่มี api_key หรือ api_key ไม่ถูกต้อง",
                        "api_key was not provided or is not valid")
    return user


@bp.post("/requests.<fmt>")
@limiter.shared_limit(submit_limit, scope="complaint-submit", exempt_when=has_credentials)
@public
def create_request(fmt: str):
    _check_format(fmt)
    params = _params()
    _check_key(params)
    code = params.get("service_code")
    if not code:
        raise BadRequest("missing_service_code", "ต้องระบุ service_code", "service_code was not provided")
    if code not in SERVICE_CODES:
        raise NotFound("unknown_service", f"ไม่พบบริการ {code}", f"Unknown service_code {code}")
    description = (params.get("description") or "").strip()
    subject = (params.get("attribute[subject]") or "").strip() or description.split("\n", 1)[0][:80]
    place = (params.get("address_string") or "").strip() or None
    if not place and params.get("lat") and params.get("long"):
        try:
            place = f"{float(params['lat']):.6f},{float(params['long']):.6f}"
        except ValueError as exc:
            raise BadRequest("bad_location", "lat/long ต้องเป็นตัวเลข", "lat and long must be numbers") from exc
    name = " ".join(p for p in (params.get("first_name"), params.get("last_name")) if p) or None
    data = {"type": code, "subject": subject, "details": description, "place": place,
            "occurred_on": (params.get("attribute[occurred_on]") or "")[:10] or None, "channel": "open311",
            "contact": {"name": name, "phone": params.get("phone") or None, "email": params.get("email") or None},
            "consent": True}
    result = complaints.submit(get_session(), data, settings=settings())
    status_url = public_url(url_for("intake.status", code=result.tracking_code))
    body = [{"service_request_id": result.open311_id, "service_notice": settings().deadline_for(code).describe_th(),
             "account_id": None, "tracking_code": result.tracking_code, "pin": result.pin,
             "status_url": status_url}]
    return render(fmt, "service_requests", "request", body, 201)


def _parse_dt(text: str, name: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace(" ", "+"))
    except ValueError as exc:
        raise BadRequest(f"bad_{name}", f"{name} ต้องเป็นวันเวลาแบบ W3C เช่น 2026-11-01T00:00:00+07:00",
                         f"{name} must be a W3C datetime, e.g. 2026-11-01T00:00:00Z") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _request_json(c: Complaint, note: str | None, tz: str) -> dict:
    publish = settings().open311_publish_text
    status_th = labels.th("status", c.status)
    return {
        "service_request_id": c.open311_id,
        "status": "open" if c.status in OPEN_STATUSES else "closed",
        "status_notes": f"{status_th}: {note}" if note else status_th,
        "service_name": labels.th("type", c.type),
        "service_code": c.type,
        "description": c.subject if publish else None,
        "agency_responsible": c.forwarded_to or c.division or current_app.config["OFFICE_NAME"],
        "service_notice": settings().deadline_for(c.type).describe_th(),
        "requested_datetime": complaints.iso(c.received_at, tz),
        "updated_datetime": complaints.iso(c.updated_at, tz),
        "expected_datetime": complaints.iso(c.due_at, tz),
        "address": c.place if publish else None,
        "address_id": None, "zipcode": None, "lat": None, "long": None, "media_url": None,
    }


def _latest_notes(session, ids: list[int]) -> dict[int, str]:
    notes: dict[int, str] = {}
    if not ids:
        return notes
    rows = session.execute(select(ComplaintEvent.complaint_id, ComplaintEvent.text)
                           .where(ComplaintEvent.complaint_id.in_(ids), ComplaintEvent.public.is_(True),
                                  ComplaintEvent.type.in_(complaints.PUBLIC_TEXT_EVENTS),
                                  ComplaintEvent.text.is_not(None))
                           .order_by(ComplaintEvent.id)).all()
    for cid, text in rows:
        notes[cid] = text
    return notes


def _public_only():
    return Complaint.type.notin_(CONFIDENTIAL_TYPES)


@bp.get("/requests.<fmt>")
@public
def list_requests(fmt: str):
    _check_format(fmt)
    session = get_session()
    tz = current_app.config["TAMBON_TIMEZONE"]
    args = request.args
    stmt = select(Complaint).where(_public_only())
    ids = _split(args.get("service_request_id"))
    if ids:
        stmt = stmt.where(Complaint.open311_id.in_([i.lower() for i in ids]))
    else:
        codes = _split(args.get("service_code"))
        if codes:
            stmt = stmt.where(Complaint.type.in_([c for c in codes if c in SERVICE_CODES]))
        end = _parse_dt(args["end_date"], "end_date") if args.get("end_date") else None
        start = _parse_dt(args["start_date"], "start_date") if args.get("start_date") else None
        if start is None:
            if end is None:
                end = utcnow()
            start = end - MAX_RANGE
        elif end is None:
            end = min(start + MAX_RANGE, utcnow())
        if end < start:
            raise BadRequest("bad_range", "end_date ต้องไม่ก่อน start_date", "end_date is before start_date")
        if end - start > MAX_RANGE:
            raise BadRequest("range_too_wide", "ช่วงวันที่ต้องไม่เกิน 90 วัน", "The date range may not exceed 90 days")
        stmt = stmt.where(Complaint.received_at >= start, Complaint.received_at <= end)
        statuses = _split(args.get("status"))
        bad = [s for s in statuses if s not in ("open", "closed")]
        if bad:
            raise BadRequest("bad_status", "status ต้องเป็น open หรือ closed", "status must be open or closed")
        if statuses and set(statuses) != {"open", "closed"}:
            stmt = stmt.where(Complaint.status.in_(OPEN_STATUSES if statuses[0] == "open" else DONE_STATUSES))
    rows = session.scalars(stmt.order_by(Complaint.received_at.desc(), Complaint.id.desc())
                           .limit(settings().open311_max_requests)).all()
    notes = _latest_notes(session, [c.id for c in rows])
    return render(fmt, "service_requests", "request", [_request_json(c, notes.get(c.id), tz) for c in rows])


@bp.get("/requests/<request_id>.<fmt>")
@public
def get_request(request_id: str, fmt: str):
    _check_format(fmt)
    session = get_session()
    c = session.scalar(select(Complaint).where(Complaint.open311_id == request_id.lower()))
    if c is None or c.type in CONFIDENTIAL_TYPES:
        raise NotFound("unknown_request", f"ไม่พบคำร้อง {request_id}", f"No service request {request_id}")
    notes = _latest_notes(session, [c.id])
    return render(fmt, "service_requests", "request",
                  [_request_json(c, notes.get(c.id), current_app.config["TAMBON_TIMEZONE"])])


