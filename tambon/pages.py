"""The landing page, a health check, and the base URL that links to this office's pages are built on."""

import contextlib
import functools
import socket

from flask import Blueprint, current_app, has_request_context, jsonify, render_template, request
from sqlalchemy import text

from tambon import health
from tambon.auth import public
from tambon.db import get_session

bp = Blueprint("pages", __name__)


@bp.get("/")
@public
def home():
    return render_template("home.html")


@bp.get("/healthz")
@public
def healthz():
    """200 "ok" only while the database answers *and* would accept a write (nothing is written)."""
    get_session().execute(text("SELECT 1"))
    if not health.database_accepts_writes(get_session()):
        return jsonify({"status": "not-ok", "database": "read-only",
                        "message_th": "ฐานข้อมูลไม่รับการบันทึก", "message_en": "The database refuses writes"}), 503
    return jsonify({"status": "ok"})


# By (scheme, Host, script root): werkzeug rebuilds request.host_url from the environ for every request (IRI
# decoding included), a twentieth of a counter action's CPU. Bounded: the Host header is the client's.
_host_bases: dict[tuple[str, str, str], str] = {}


def request_base_url() -> str:
    """The request's ``host_url`` (e.g. ``http://kiosk.local/``), kept per scheme, Host and script root.
    Only for links back to the page the client is on; every link or QR code a phone or a poster will use
    comes from :func:`public_url`."""
    environ = request.environ
    key = (environ.get("wsgi.url_scheme", ""), environ.get("HTTP_HOST", ""), environ.get("SCRIPT_NAME", ""))
    base = _host_bases.get(key)
    if base is None:
        if len(_host_bases) >= 64:
            _host_bases.clear()
        base = _host_bases[key] = request.host_url
    return base


def public_base_url() -> str:
    """The address phones and posters use, ending in "/": the one place every QR code and link gets it.

    ``PUBLIC_BASE_URL`` when set. Otherwise the address the request came to, but only if its host is
    trusted: one of ``TRUSTED_HOSTS`` (Flask then refuses every other Host with 400), or, with neither set,
    one of this machine's own names and addresses. A forged Host header never reaches a link, a QR code or
    a cached QR image; it gets this machine's own address instead. (`tambon serve` warns while
    PUBLIC_BASE_URL is unset: a kiosk browser on this machine would put 127.0.0.1 into every QR code.)"""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/") + "/"
    if not has_request_context():
        return f"http://{own_addresses()[0]}:5000/"
    if current_app.config.get("TRUSTED_HOSTS") or _host_name(request.host) in own_addresses():
        return request_base_url()
    port = request.environ.get("SERVER_PORT", "")
    scheme = request.scheme
    default = "443" if scheme == "https" else "80"
    address = own_addresses()[0]
    host = f"[{address}]" if ":" in address else address
    return f"{scheme}://{host}{':' + port if port.isdigit() and port != default else ''}/"


def public_url(path: str) -> str:
    """An absolute URL of ``path`` (e.g. ``/t/abc``) at :func:`public_base_url`."""
    return public_base_url() + path.lstrip("/")


def _host_name(host: str) -> str:
    """``Host`` without its port, lower case; IPv6 without brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


@functools.cache
def own_addresses() -> tuple[str, ...]:
    """This machine's names and addresses, its main network address first (no DNS lookups)."""
    names = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # UDP: picks the outgoing interface, sends nothing
        names.append(probe.getsockname()[0])
    hostname = socket.gethostname().lower()
    names += ["127.0.0.1", "localhost", "::1", hostname, f"{hostname}.local"]
    return tuple(dict.fromkeys(n for n in names if n and n != "0.0.0.0"))
