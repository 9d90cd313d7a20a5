"""Pages of the queue: the touchscreen kiosk and the counter console. They talk to the JSON API."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template
from flask_login import current_user

from kiosk import reads
from kiosk.models import Counter
from kiosk.queue import MAX_ID, unknown_counter
from tambon.auth import Role, public, require_role
from tambon.db import get_session

WAITING_PAGE_SIZE = 15  # rows of the console's waiting list: fits beside the current ticket without scrolling

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/kiosk")


@bp.get("/kiosk")
@public
def kiosk_page():
    tz = current_app.config["TAMBON_TIMEZONE"]
    return render_template("kiosk/kiosk.html", services=reads.services(get_session(), tz=tz))


@bp.get("/counter")
@require_role(Role.COUNTER)
def counter_console():
    session, tz = get_session(), current_app.config["TAMBON_TIMEZONE"]
    services = {s["code"]: s for s in reads.services(session, tz=tz, include_inactive=True)}
    return render_template("kiosk/counter_pick.html", counters=reads.counters(session, tz=tz), services=services)


def _find_counter(counter_id: int) -> Counter | None:
    return get_session().get(Counter, counter_id) if counter_id <= MAX_ID else None


@bp.get("/counter/<int:counter_id>")
@require_role(Role.COUNTER)
def counter_page(counter_id: int):
    counter = _find_counter(counter_id)
    if counter is None:
        abort(404)
    session, tz = get_session(), current_app.config["TAMBON_TIMEZONE"]
    return render_template("kiosk/counter.html", counter=counter, user=current_user, page_size=WAITING_PAGE_SIZE,
                           services=reads.services(session, tz=tz),
                           counts=reads.today_counts(session, tz=tz, counter_id=counter_id))


@bp.get("/counter/<int:counter_id>/today")
@require_role(Role.COUNTER)
def counter_today(counter_id: int):
    """The console's "today" counts, which its script re-reads with the waiting list (they change with
    every ticket issued, called or finished, at any counter)."""
    if _find_counter(counter_id) is None:
        raise unknown_counter(counter_id)
    return jsonify(reads.today_counts(get_session(), tz=current_app.config["TAMBON_TIMEZONE"],
                                      counter_id=counter_id))
