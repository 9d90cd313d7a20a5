"""Notices to citizens where they are: LINE (the office's Official Account, Messaging API), SMS (a Thai
gateway) and e-mail, through one durable outbox. Joins the rest of the house only through tambon.events:
in-transaction hooks write notices with the events that cause them, after-commit subscribers wake the
worker, and contributions add the LINE link code and box to the complaint desk's and the queue's answers
and pages. Everything stays off and invisible until LINE or SMS is configured (README)."""

from __future__ import annotations

from flask import Flask

TICKET_TOPICS = ("ticket.issued", "ticket.called", "ticket.recalled", "ticket.completed", "ticket.no_show",
                 "ticket.cancelled", "ticket.transferred", "ticket.parked", "ticket.unparked", "ticket.started")


def init_app(app: Flask) -> None:
    from notify import notices, reach, views
    from notify.outbox import NotifyService
    from tambon import events
    from tambon.extensions import csrf

    service = NotifyService(app)
    app.extensions[notices.EXTENSION] = service
    # Citizens' notices go through this outbox: the complaint desk's direct e-mail steps aside.
    app.extensions["tambon.citizen_notices"] = "outbox"
    for topic in notices.COMPLAINT_TOPICS:
        events.on_write(topic, notices.on_complaint_event)
        events.subscribe(topic, _nudge)
    events.on_write(notices.PURGE_TOPIC, notices.on_complaint_purged)
    for topic in notices.CALL_TOPICS:
        events.on_write(topic, notices.on_ticket_called)
    for topic in TICKET_TOPICS:
        events.subscribe(topic, _nudge)
    events.contribute("complaint.receipt", reach.complaint_receipt)
    events.contribute("ticket.status", reach.ticket_status)
    events.contribute("complaint.receipt.html", reach.complaint_page)
    events.contribute("complaint.status.html", reach.complaint_page)
    events.contribute("ticket.status.html", reach.ticket_page)
    events.contribute("complaint.staff.html", reach.staff_complaint)
    events.contribute("complaint.poster", reach.complaint_poster)
    csrf.exempt(views.line_webhook)  # LINE signs its requests (X-Line-Signature) instead
    app.register_blueprint(views.bp)

    if service.enabled and not app.config.get("TESTING"):
        @app.before_request
        def _start_notify_worker():
            if not service.running:
                service.start()


def _nudge(_topic: str, _payload: dict) -> None:
    from notify.notices import current_service

    service = current_service()
    if service is not None and service.enabled:
        service.nudge()


def drain_once(now=None) -> int:
    """Send every due notice now, in this thread (tests and the CLI)."""
    from notify.notices import current_service

    service = current_service()
    return service.drain_once(now) if service is not None else 0
