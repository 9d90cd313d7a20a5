"""Errors that reach a citizen or an API client: always Thai first, with English beside it."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the office was broken by the request. Carries an HTTP status and both languages."""

    status = 400

    def __init__(self, code: str, message_th: str, message_en: str, status: int | None = None, **details):
        super().__init__(message_en)
        self.code = code
        self.message_th = message_th
        self.message_en = message_en
        if status is not None:
            self.status = status
        self.details = details

    def to_dict(self) -> dict:
        body: dict[str, Any] = {"code": self.code, "message_th": self.message_th, "message_en": self.message_en,
                "message": f"{self.message_th} / {self.message_en}"}
        if self.details:
            body["details"] = self.details
        return {"error": body}


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    status = 422


# Thai + English for the HTTP errors Flask raises on its own.
HTTP_MESSAGES = {
    400: ("คำขอไม่ถูกต้อง", "Bad request"),
    401: ("กรุณาเข้าสู่ระบบหรือส่งโทเคนที่ถูกต้อง", "Authentication required"),
    403: ("ท่านไม่มีสิทธิ์ทำรายการนี้", "You are not allowed to do this"),
    404: ("ไม่พบข้อมูลที่ต้องการ", "Not found"),
    405: ("ไม่รองรับวิธีการเรียกนี้", "Method not allowed"),
    413: ("ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด", "Request body too large"),
    415: ("ต้องส่งข้อมูลเป็น JSON", "Content must be JSON"),
    429: ("ส่งคำขอถี่เกินไป กรุณารอสักครู่แล้วลองใหม่", "Too many requests; please wait and try again"),
    500: ("ระบบขัดข้อง กรุณาลองใหม่หรือติดต่อเจ้าหน้าที่", "Internal error; please try again or ask staff"),
    503: ("ฐานข้อมูลไม่พร้อมชั่วคราว กรุณาลองใหม่อีกครั้งในไม่กี่วินาที",
          "The database is temporarily unavailable; please try again in a few seconds"),
}


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/open311/")) or request.accept_mimetypes.best == "application/json"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(err: DomainError):
        if wants_json():
            return jsonify(err.to_dict()), err.status
        return render_template("error.html", status=err.status, message_th=err.message_th,
                               message_en=err.message_en), err.status

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        if err.response is not None:  # the view made its own answer (e.g. a rate limit's on_breach page)
            return err.response
        th, en = HTTP_MESSAGES.get(err.code or 500, (err.name, err.name))
        if err.code == 400 and err.description and "CSRF" in str(err.description):
            th, en = "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่", "The form expired or is invalid (CSRF); reload the page"
        if wants_json():
            body = {"error": {"code": f"http_{err.code}", "message_th": th, "message_en": en,
                              "message": f"{th} / {en}"}}
            response = jsonify(body)
            response.status_code = err.code or 500
            if err.code == 405 and hasattr(err, "valid_methods") and err.valid_methods:
                response.headers["Allow"] = ", ".join(err.valid_methods)
            return response
        return render_template("error.html", status=err.code, message_th=th, message_en=en), err.code

    @app.errorhandler(OperationalError)
    def _database_unavailable(err: OperationalError):
        # The database restarted, crashed or is unreachable (or, on SQLite, stayed locked past the busy
        # timeout): the request was rolled back, so "try again" is the truth. The pool replaces dead
        # connections (the checkout check in tambon/db.py, and SQLAlchemy invalidates the pool on a
        # disconnect): no restart needed.
        log.warning("database unavailable (%s): answered 503", type(err.orig).__name__)
        th, en = HTTP_MESSAGES[503]
        headers = {"Retry-After": "2"}
        if wants_json():
            body = {"error": {"code": "database_unavailable", "message_th": th, "message_en": en,
                              "message": f"{th} / {en}"}}
            return jsonify(body), 503, headers
        try:  # the page's header asks who is logged in, which may need the database again
            return render_template("error.html", status=503, message_th=th, message_en=en), 503, headers
        except OperationalError:
            return f"{th}\n{en}\n", 503, {**headers, "Content-Type": "text/plain; charset=utf-8"}
