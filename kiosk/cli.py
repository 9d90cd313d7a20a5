"""The queue's commands in `tambon` (registered by kiosk.init_app) and its `tambon demo` step."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session


@click.group("queue")
def queue_group() -> None:
    """The queue."""


@queue_group.command("close-day")
@with_appcontext
def queue_close_day() -> None:
    """Close tickets left open from earlier days (idempotent; run after midnight)."""
    from kiosk.closing import close_day
    from kiosk.queue import QueueRules
    from tambon.db import get_session

    closed = close_day(get_session(), rules=QueueRules.from_config(current_app.config))
    click.echo(f"ปิดบัตรคิวค้างจากวันก่อน {closed} ใบ / Closed {closed} left-over tickets")


def demo_step(session: Session) -> str:
    """`tambon demo`: services, counters and staff; returns the line that tells who may sign in."""
    from kiosk.demo import DEMO_PASSWORD, DEMO_USERS, load_demo

    load_demo(session)
    names = ", ".join(u[0] for u in DEMO_USERS)
    return f"Users: {names}; password: {DEMO_PASSWORD}"
