"""Flask extensions, created unbound and bound in create_app (the Flask extension pattern)."""

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

socketio = SocketIO()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


def limit_only_where_declared(app: Flask) -> None:
    """Every rate limit here sits on its view (``@limiter.limit``), whose decorator checks it. Flask-Limiter
    also checks every request in a before_request hook, for default, application-wide and blueprint
    limits; with none of those configured the hook finds nothing to do, at ~70 µs of CPU per request (a
    twentieth of a counter action). So it is taken out, unless such limits are configured after all."""
    manager = limiter.limit_manager
    if manager.default_limits or manager.application_limits or manager._blueprint_limits:  # noqa: SLF001
        return
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:  # noqa: SLF001
        hooks.remove(limiter._check_request_limit)  # noqa: SLF001
