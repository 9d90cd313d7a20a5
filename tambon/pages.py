"""The landing page, a health check, and the base URL that links to this office's pages are built on."""

from flask import Blueprint, jsonify, render_template, request
from sqlalchemy import text

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
    get_session().execute(text("SELECT 1"))
    return jsonify({"status": "ok"})


# By (scheme, Host, script root): werkzeug rebuilds request.host_url from the environ for every request (IRI
# decoding included), a twentieth of a counter action's CPU. Bounded: the Host header is the client's.
_host_bases: dict[tuple[str, str, str], str] = {}


def request_base_url() -> str:
    """The request's ``host_url`` (e.g. ``http://kiosk.local/``), kept per scheme, Host and script root."""
    environ = request.environ
    key = (environ.get("wsgi.url_scheme", ""), environ.get("HTTP_HOST", ""), environ.get("SCRIPT_NAME", ""))
    base = _host_bases.get(key)
    if base is None:
        if len(_host_bases) >= 64:
            _host_bases.clear()
        base = _host_bases[key] = request.host_url
    return base
