"""Shared pieces of the JSON API under /api/v1: body parsing and the OpenAPI document.

Each domain package describes its own routes with :func:`describe` (an OpenAPI 3.1 path fragment); this
module serves the merged document at /api/v1/openapi.json, and a test checks it against the URL map.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, jsonify, request

from tambon.errors import DomainError
from tambon.inbound import MAX_JSON_DEPTH, too_deep

_paths: dict[str, dict[str, Any]] = {}
_schemas: dict[str, Any] = {}

bp = Blueprint("api_doc", __name__, url_prefix="/api/v1")


def describe(paths: dict[str, dict[str, Any]], schemas: dict[str, Any] | None = None) -> None:
    """Add OpenAPI path items (keys like '/api/v1/tickets/{id}') and component schemas."""
    for path, item in paths.items():
        _paths.setdefault(path, {}).update(item)
    _schemas.update(schemas or {})


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message_th", "message_en"],
            "properties": {
                "code": {"type": "string"},
                "message_th": {"type": "string"},
                "message_en": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object"},
            },
        }
    },
}


def error_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Tambon Service Desk API",
            "version": "1",
            "description": "Queue tickets, counters and complaints of a Thai Subdistrict Administrative "
                           "Organization. Errors carry message_th and message_en.",
        },
        "servers": [{"url": "/"}],
        "paths": dict(sorted(_paths.items())),
        "components": {
            "schemas": {"Error": ERROR_SCHEMA, **_schemas},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "Token from `tambon token create USERNAME`."},
            },
        },
    }


@bp.get("/openapi.json")
def openapi_json():  # public: marked in init_app (tambon.auth imports this module)
    return jsonify(openapi_document())


def json_body(required: bool = True) -> dict[str, Any]:
    """The request's JSON object, or a clear 4xx."""
    if not request.data and not required:
        return {}
    if not request.is_json:
        raise DomainError("not_json", "ต้องส่งข้อมูลเป็น JSON (Content-Type: application/json)",
                          "Body must be JSON (Content-Type: application/json)", status=415)
    data = request.get_json(silent=True)
    if data is None and too_deep(request.get_data(as_text=True)):
        raise DomainError("json_too_deep", f"ข้อมูล JSON ซ้อนกันลึกเกิน {MAX_JSON_DEPTH} ชั้น",
                          f"Malformed JSON: nested deeper than {MAX_JSON_DEPTH} levels")
    if not isinstance(data, dict):
        raise DomainError("bad_json", "ข้อมูล JSON ไม่ถูกต้อง ต้องเป็นออบเจกต์", "Malformed JSON: expected an object")
    return data


def init_app(app: Flask) -> None:
    from tambon.auth import public
    from tambon.extensions import csrf

    public(openapi_json)
    csrf.exempt(bp)
    app.register_blueprint(bp)
