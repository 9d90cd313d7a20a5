"""Tambon Service Desk — shared plumbing: app factory, config, database, CLI, auth, Thai dates, events.

Domain packages (kiosk, display, intake, reports) each expose ``init_app(app)`` that registers their
blueprints and event subscribers; this package never reaches into their tables.
"""

from __future__ import annotations

import importlib
import logging

from flask import Flask

DOMAIN_PACKAGES = ("kiosk", "display", "intake", "reports", "notify")

log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    from tambon import concurrency, db, errors, health, i18n, realtime, security
    from tambon.config import load_config
    from tambon.extensions import csrf, limiter, login_manager, socketio

    settings = load_config(config)
    app = Flask(__name__, instance_path=settings["INSTANCE_PATH"])
    app.config.update(settings)

    # Extension points filled by the domain packages' init_app:
    #   home_links: (endpoint, label msgid) on the start page; staff_nav: (endpoint, label msgid, roles)
    #   in the staff header; demo_hooks: fn(session) -> a line for the operator or None,
    #   run in order by `tambon demo`; before_serving: fn(app), run by `tambon serve` in each worker
    #   before it takes a connection (prepare_to_serve), for work that would otherwise stall first requests.
    app.extensions["tambon.home_links"] = []
    app.extensions["tambon.staff_nav"] = []
    app.extensions["tambon.demo_hooks"] = []
    app.extensions["tambon.before_serving"] = [compile_templates]
    db.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    csrf.init_app(app)
    app.config["RATELIMIT_ENABLED"] = app.config.get("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.register_error_handlers(app)
    health.init_app(app)
    socketio.init_app(
        app,
        # gevent in a `tambon serve` worker, threads elsewhere; real WebSockets through simple-websocket
        async_mode=concurrency.socketio_async_mode(),
        client_manager=realtime.client_manager(app.config["SOCKETIO_MESSAGE_QUEUE"],
                                               app.config.get("SOCKETIO_CHANNEL", "flask-socketio")),
        cors_allowed_origins=[],  # same origin only
        logger=False,
        engineio_logger=False,
    )

    app.wsgi_app = realtime.SocketIOPathOnly(app.wsgi_app)  # type: ignore[method-assign]

    from tambon import admission, api, auth, pages

    admission.init_app(app)  # after Socket.IO wrapped wsgi_app
    from tambon import inbound

    inbound.init_app(app)  # outside admission: size limits, bodies read before a slot is taken, proxies

    auth.init_app(app)
    app.register_blueprint(pages.bp)
    from tambon.events import contributed_html

    def contributed_html_here(topic: str, **payload):
        return contributed_html(db.get_session(), topic, **payload)

    app.jinja_env.globals["contributed_html"] = contributed_html_here
    for name in DOMAIN_PACKAGES:
        importlib.import_module(name).init_app(app)
    api.init_app(app)  # after the domain packages: it collects their OpenAPI fragments

    from tambon import fonts

    app.config["RAQM"] = fonts.check_raqm(app.logger)
    return app


def compile_templates(app: Flask) -> None:
    """Compile every page template now: Jinja compiles one on its first use, 20–150 ms of CPU each, and in a
    gevent worker every request in flight (a counter's call) would wait for it."""
    for name in app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html")):
        app.jinja_env.get_template(name)


def prepare_to_serve(app: Flask) -> None:
    """Run the before_serving hooks (compile_templates first, then the domain packages')."""
    with app.app_context():
        for hook in app.extensions["tambon.before_serving"]:
            hook(app)


def import_all_models() -> None:
    """Import every package's models so Base.metadata knows all tables (for Alembic and tests)."""
    importlib.import_module("tambon.auth.models")
    for name in DOMAIN_PACKAGES:
        try:
            importlib.import_module(f"{name}.models")
        except ModuleNotFoundError as exc:
            if exc.name != f"{name}.models":
                raise
