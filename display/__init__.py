"""The live queue display: the /display Socket.IO namespace, the TV page with voice calls, the citizen's
phone page (/t/<ticket>), device heartbeats and the ticker line. See display/README.md."""

from flask import Flask


def _(message: str) -> str:
    """Marks a message id for the catalogue; the template layer translates it per request."""
    return message


def init_app(app: Flask) -> None:
    from display import api, cli, live, views
    from tambon.auth import Role
    from tambon.extensions import csrf

    live.init_app(app)
    csrf.exempt(api.bp)  # public JSON writes carry no session; staff writes are checked by api_user()
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.display_group)
    app.extensions["tambon.staff_nav"].append(
        ("display.device_page", _("Displays"), (Role.COUNTER, Role.OFFICER, Role.EXECUTIVE)))
    app.extensions["tambon.staff_nav"].append(("display.voice_pack", _("Voice"), ()))
    app.extensions["tambon.home_links"].append(("display.tv", _("Queue display")))
