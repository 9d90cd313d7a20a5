"""What a request may bring, checked before any of the application reads it.

- **Size.** A body that is not a file upload (JSON, a plain form) may be at most ``MAX_BODY_BYTES``
  (256 KiB: a complaint is at most ~30 KB of JSON); an upload (multipart) at most ``MAX_CONTENT_LENGTH``.
  A larger declared ``Content-Length`` gets 413 (Thai + English) before a byte of the body is read; a
  chunked body is cut off at the limit.
- **Slow senders.** Such a body is read completely *before* the application runs, so a client that sends
  slowly (or stops half-way) holds only its own connection: never one of the JSON API's admission slots
  (tambon/admission.py), never the write lock. Uploads stream to the form parser as before; the pages
  that take them hold no shared slot while they read.
- **Nesting.** JSON nested deeper than ``MAX_JSON_DEPTH`` is malformed (400): Python's parser would
  otherwise recurse until it hits the interpreter's limit and answer 500.
- **Reverse proxies.** ``TRUSTED_PROXIES`` = how many proxies stand in front; werkzeug's ProxyFix then
  takes the client's address and scheme from that many X-Forwarded-For / X-Forwarded-Proto hops, so the
  per-address limits (complaints, PINs, tickets) see the citizen, not the proxy. Never X-Forwarded-Host:
  links are built from PUBLIC_BASE_URL (tambon.pages.public_base_url).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

MAX_JSON_DEPTH = 64
TOO_LARGE = ("ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด (ไม่เกิน {limit})", "Request body too large (at most {limit})")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets inside strings do not count)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    # A running sum in C (accumulate over map): a body of a quarter megabyte of brackets costs ~15 ms of CPU,
    # a fifth of a loop in Python.
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def too_deep(text: str) -> bool:
    # Cheap for every real request: fewer brackets than the limit cannot nest past it.
    return text.count("[") + text.count("{") > MAX_JSON_DEPTH and json_depth(text) > MAX_JSON_DEPTH


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing deep nesting as malformed (``request.get_json`` then answers 400)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        text = s.decode("utf-8", "replace") if isinstance(s, bytes | bytearray) else s
        if too_deep(text):
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        try:
            return json.loads(s, **kwargs)
        except RecursionError as exc:  # unreachable past the check above; never a 500 all the same
            raise ValueError("JSON nested too deeply") from exc


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


class BodyLimits:
    """WSGI middleware: the size limits and the up-front read described in the module docstring."""

    def __init__(self, app: Callable[..., Iterable[bytes]], *, max_body: int, max_upload: int):
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        upload = environ.get("CONTENT_TYPE", "").lower().startswith("multipart/")
        limit = self.max_upload if upload else self.max_body
        declared = environ.get("CONTENT_LENGTH") or ""
        try:
            length = int(declared) if declared else None
        except ValueError:
            length = None
        if length is not None and length > limit:
            return self.refuse(environ, start_response, limit)
        if upload:
            return self.app(environ, start_response)
        chunked = length is None and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if length or chunked:
            stream = environ["wsgi.input"]
            body = _read(stream, length if length is not None else limit + 1)
            if len(body) > limit:
                return self.refuse(environ, start_response, limit)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)

    @staticmethod
    def refuse(environ: dict, start_response: Callable[..., Any], limit: int) -> Iterable[bytes]:
        th, en = (m.format(limit=_size(limit)) for m in TOO_LARGE)
        path = environ.get("PATH_INFO", "")
        if path.startswith(("/api/", "/open311/")) or "application/json" in environ.get("HTTP_ACCEPT", ""):
            body = json.dumps({"error": {"code": "too_large", "message_th": th, "message_en": en,
                                         "message": f"{th} / {en}"}}, ensure_ascii=False).encode()
            kind = "application/json"
        else:
            body = f"{th}\n{en}\n".encode()
            kind = "text/plain; charset=utf-8"
        start_response("413 Request Entity Too Large", [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]


def _read(stream: Any, size: int) -> bytes:
    parts, left = [], size
    while left > 0:
        chunk = stream.read(min(left, 64 * 1024))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def init_app(app: Flask) -> None:
    """After tambon.admission: these layers run outside it (the proxy fix outermost of all)."""
    app.json = JSONProvider(app)
    app.wsgi_app = BodyLimits(app.wsgi_app, max_body=app.config["MAX_BODY_BYTES"],  # type: ignore[method-assign]
                              max_upload=app.config["MAX_CONTENT_LENGTH"])
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
