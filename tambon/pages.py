"""The landing page and a health check."""

from flask import Blueprint, jsonify, render_template
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
