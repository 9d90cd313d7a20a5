"""Measure 4 — the fair queue: services, counters, tickets, call-next, kiosk and counter pages, printing."""

from flask import Flask

from kiosk.queue import QueueRules


def init_app(app: Flask) -> None:
    from kiosk import admin, api, board, cli, printing, views
    from tambon.extensions import csrf

    app.extensions["tambon.queue_rules"] = QueueRules.from_config(app.config)
    csrf.exempt(api.bp)  # the API checks CSRF itself for session-authenticated writes (tambon.auth.api_user)
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    board.init_app(app)
    printing.init_app(app)
    app.cli.add_command(cli.queue_group)
    app.extensions["tambon.demo_hooks"].insert(0, cli.demo_step)  # first: the others sign in its staff
