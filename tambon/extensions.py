"""Flask extensions, created unbound and bound in create_app (the Flask extension pattern)."""

from functools import partial, wraps

from flask import Flask
from flask.globals import request_ctx
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
    # Its after-request hook (the X-RateLimit headers) and teardown then only matter where a view checked a
    # limit, which leaves its state on the request context: elsewhere they would create that state only to
    # find it empty (~20 µs of CPU per request).
    after = app.after_request_funcs.get(None, [])
    app.after_request_funcs[None] = [_where_a_limit_ran(f) if _is_limiter_hook(f) else f for f in after]
    teardown = app.teardown_request_funcs.get(None, [])
    app.teardown_request_funcs[None] = [_where_a_limit_ran(f) if _is_limiter_hook(f) else f for f in teardown]


def _is_limiter_hook(hook) -> bool:
    owner = hook.args[0] if isinstance(hook, partial) and hook.args else getattr(hook, "__self__", None)
    return owner is limiter


def _where_a_limit_ran(hook):
    """Run a Flask-Limiter hook only in a request where a limit was checked. Otherwise its argument passes
    through: an after-request hook hands the response on; what a teardown hook returns is ignored."""

    @wraps(hook)
    def guarded(response_or_error):
        if hasattr(request_ctx, "_limiter_request_context"):  # Flask-Limiter's state on the request context
            return hook(response_or_error)
        return response_or_error

    return guarded
