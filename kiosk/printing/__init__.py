"""Printed tickets: render a ticket to a raster (``render``), the ESC/POS bytes (``encode``), the durable
print outbox and its worker (``outbox``, run as a process of its own by ``process``), printer backends from PRINTER_URL (``backends``, ``settings``),
and the staff views (status, reprint, PNG preview)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kiosk.printing import cli, outbox, views
    from tambon import events
    from tambon.extensions import csrf

    worker = outbox.PrintWorker(app)  # a bad PRINTER_URL / KIOSK_PRINTERS stops start-up with a clear message
    app.extensions[outbox.EXTENSION] = worker
    events.on_write("ticket.issued", outbox.on_ticket_issued)
    events.subscribe("ticket.issued", _nudge)
    events.subscribe("ticket.reprinted", _nudge)
    csrf.exempt(views.api_bp)  # session-authenticated writes are CSRF-checked by tambon.auth.api_user
    app.register_blueprint(views.api_bp)
    app.register_blueprint(views.bp)
    app.extensions["tambon.staff_nav"].append(("kiosk_printing.index", "Printers", ("admin",)))
    app.cli.add_command(cli.printer_group)

    # With PRINT_WORKER=process (set by `tambon serve`) a process of its own prints (`tambon printer run`).
    if worker.enabled and worker.in_thread and not app.config.get("TESTING"):
        @app.before_request
        def _start_print_worker():
            if not worker.running:
                worker.start()


def _nudge(_topic: str, _payload: dict) -> None:
    from kiosk.printing.outbox import current_worker

    worker = current_worker()
    if worker is not None:
        worker.nudge()


def drain_once(now=None) -> int:
    """Send every due print job now, in this thread (tests and the CLI)."""
    from kiosk.printing.outbox import current_worker

    worker = current_worker()
    return worker.drain_once(now) if worker is not None else 0
