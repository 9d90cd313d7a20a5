"""Staff authentication: Flask-Login sessions for pages, bearer tokens for the API, roles for both."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tambon.auth import service
from tambon.auth.models import ApiToken, Role, Staff, User
from tambon.db import get_session
from tambon.errors import DomainError
from tambon.extensions import csrf, limiter, login_manager

__all__ = ["bp", "Role", "Staff", "User", "ApiToken", "api_user", "public", "require_api_role", "require_role"]

bp = Blueprint("auth", __name__, template_folder="templates")


def public(view):
    """Mark a view as deliberately open to anonymous citizens. tests/test_authz_matrix.py checks that every
    route is either marked so or refuses anonymous callers, so a forgotten guard fails the build."""
    view.tambon_public = True
    return view


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = get_session().get(User, int(user_id))
    return user if user is not None and user.active else None


class LoginForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=64)])
    password = PasswordField(validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect a staff member to another site after login.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("kiosk.counter_console")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])  # login throttling per address
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = service.authenticate(get_session(), form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        error = _("Wrong username or password")
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


# --- API authentication -------------------------------------------------------------------------

class Unauthorized(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


def api_user() -> Staff | None:
    """The staff member behind an API request: bearer token, or a logged-in session with a CSRF token."""
    if "api_user" in g:
        return g.api_user
    user = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = service.user_for_token(get_session(), header[7:].strip())
        if user is None:
            raise Unauthorized("bad_token", "โทเคนไม่ถูกต้องหรือถูกยกเลิกแล้ว", "Invalid or revoked token")
    elif current_user.is_authenticated:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            csrf.protect()  # a session-authenticated write must carry the CSRF token
        user = current_user._get_current_object()
    g.api_user = user
    return user


def require_api_role(*roles: str):
    """API guard: 401 without credentials, 403 with the wrong role. Admin may do everything."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = api_user()
            if user is None:
                raise Unauthorized("auth_required", "กรุณาเข้าสู่ระบบหรือส่งโทเคน", "Authentication required")
            if roles and not user.has_role(Role.ADMIN, *roles):
                raise Forbidden("forbidden", "ท่านไม่มีสิทธิ์ทำรายการนี้", "Your role may not do this")
            return view(*args, **kwargs)

        return wrapper

    return decorator


def require_role(*roles: str):
    """Page guard: login redirect, then 403 with the wrong role. Admin may do everything."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if roles and not current_user.has_role(Role.ADMIN, *roles):
                raise Forbidden("forbidden", "ท่านไม่มีสิทธิ์เข้าหน้านี้", "Your role may not open this page")
            return view(*args, **kwargs)

        return wrapper

    return decorator
