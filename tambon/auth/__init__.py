"""Staff authentication: Flask-Login sessions for pages, bearer tokens for the API, roles for both."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, Flask, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.routing import BuildError
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tambon.auth import service
from tambon.auth.models import ApiToken, Role, Staff, User, role_label
from tambon.db import get_session
from tambon.errors import DomainError
from tambon.extensions import csrf, limiter, login_manager

__all__ = ["bp", "Role", "Staff", "User", "ApiToken", "api_user", "public", "require_api_role", "require_role",
           "init_app", "landing_url", "safe_next"]

bp = Blueprint("auth", __name__, template_folder="templates")


def public(view):
    """Mark a view as deliberately open to anonymous citizens. tests/test_authz_matrix.py checks that every
    route is either marked so or refuses anonymous callers, so a forgotten guard fails the build."""
    view.tambon_public = True
    return view


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    # "USERID:SESSIONVERSION": a cookie from before a logout, a password or role change or a deactivation
    # carries an old version and is refused here, on its very next request.
    return service.session_user(get_session(), user_id)


class LoginForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=64)])
    password = PasswordField(validators=[DataRequired(), Length(max=200)])


# Where each role starts after logging in: a page it may open (never a 403).
LANDING = {
    Role.COUNTER: "kiosk.counter_console",
    Role.OFFICER: "intake_office.inbox",
    Role.EXECUTIVE: "intake_office.inbox",
    Role.OVERSIGHT: "intake_office.inbox",
    Role.ADMIN: "kiosk_admin.index",
}


def landing_url(user) -> str:
    try:
        return url_for(LANDING.get(user.role, "pages.home"))
    except BuildError:  # a package left out of this installation
        return url_for("pages.home")


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None. Browsers read ``/\\evil``, ``/%09/evil`` and
    ``/\t/evil`` as another host, so the path is checked after the same clean-up a browser does."""
    if not target or len(target) > 2000:
        return None
    cleaned = "".join(ch for ch in target if ch not in "\t\n\r").replace("\\", "/")
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return None
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc or any(ord(ch) < 0x20 or ch == " " for ch in target):
        return None
    return cleaned


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
            return redirect(safe_next(request.args.get("next")) or landing_url(user))
        error = _("Wrong username or password")
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    service.end_sessions(get_session(), current_user.id)  # every session of this user ends, not only this one
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


def init_app(app: Flask) -> None:
    from tambon.auth import admin

    app.register_blueprint(bp)
    app.register_blueprint(admin.bp)
    app.extensions["tambon.staff_nav"].append(("auth_admin.users", "Staff accounts", ("executive", "oversight")))

    @app.context_processor
    def _role_labels():
        from tambon.i18n import select_locale

        def lang() -> str:
            try:
                return select_locale()
            except RuntimeError:
                return "th"

        def action_label(action: str) -> str:
            th, en = ACCOUNT_ACTIONS.get(action, (action, action))
            return th if lang() == "th" else en

        return {"role_label": lambda role: role_label(role or "", lang()), "account_action_label": action_label}


ACCOUNT_ACTIONS = {
    "create": ("สร้างบัญชี", "account created"), "edit": ("แก้ไขข้อมูล", "details edited"),
    "role": ("เปลี่ยนบทบาท", "role changed"), "password": ("เปลี่ยนรหัสผ่าน", "password changed"),
    "activate": ("เปิดใช้บัญชี", "activated"), "deactivate": ("ระงับบัญชี", "deactivated"),
    "token_create": ("ออกโทเคน API", "API token issued"), "token_revoke": ("ยกเลิกโทเคน API", "API token revoked"),
    "logout": ("ออกจากระบบ", "logged out"),
}
