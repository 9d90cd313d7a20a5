"""Staff accounts page (/admin/users): new and edit forms, deactivate/activate, API tokens, the account log.

Thin views over tambon.auth.service, which checks the grant rule (tambon/auth/policy.py) on every change:
the forms only offer what the rule allows, and a crafted request gets the rule's 403.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from tambon.auth import Role, require_role, service
from tambon.auth.models import DEFAULT_ROLE, User
from tambon.auth.policy import grantable_roles, may_change
from tambon.db import get_session
from tambon.errors import DomainError, Invalid, NotFound

bp = Blueprint("auth_admin", __name__, url_prefix="/admin/users", template_folder="templates")

MANAGERS = (Role.EXECUTIVE, Role.OVERSIGHT)  # and admin (require_role always admits admin)


class NewUserForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=64)])
    display_name = StringField(validators=[Optional(), Length(max=200)])
    role = StringField(default=DEFAULT_ROLE.value, validators=[DataRequired(), Length(max=16)])
    division = StringField(validators=[Optional(), Length(max=100)])
    password = PasswordField(validators=[DataRequired(), Length(min=8, max=200)])


class EditUserForm(FlaskForm):
    display_name = StringField(validators=[Optional(), Length(max=200)])
    role = StringField(validators=[DataRequired(), Length(max=16)])
    division = StringField(validators=[Optional(), Length(max=100)])
    password = PasswordField(validators=[Optional(), Length(min=8, max=200)])


class ActionForm(FlaskForm):
    """Buttons that only need the CSRF token."""


def _me():
    return current_user._get_current_object()


def _form_error(form: FlaskForm) -> DomainError:
    field, messages = next(iter(form.errors.items()))
    return Invalid("bad_form", f"ข้อมูลในช่อง {field} ไม่ถูกต้อง: {'; '.join(messages)}",
                   f"Field {field}: {'; '.join(messages)}", field=field)


def _user(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        raise NotFound("no_user", "ไม่พบผู้ใช้", "No such user")
    return user


@bp.get("")
@require_role(*MANAGERS)
def users():
    session = get_session()
    me = _me()
    rows = session.scalars(select(User).order_by(User.username)).all()
    editable = {u.id for u in rows if may_change(me, "edit", u.role, u.role)}
    closable = {u.id for u in rows if may_change(me, "deactivate", u.role, u.role)}
    openable = {u.id for u in rows if may_change(me, "activate", u.role, u.role)}
    tokens = service.list_tokens(session)
    return render_template("auth/users.html", users=rows, editable=editable, closable=closable, openable=openable,
                           tokens=tokens, log=service.recent_account_events(session), form=ActionForm(),
                           can_add=bool(grantable_roles(me)),
                           revocable={t.id for t in tokens if may_change(me, "token_revoke", t.role, t.role)})


@bp.route("/new", methods=["GET", "POST"])
@require_role(*MANAGERS)
def new():
    form = NewUserForm()
    me = _me()
    error = None
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise _form_error(form)
            service.add_user(get_session(), form.username.data, form.password.data, form.role.data,
                             form.display_name.data or None, form.division.data or None, actor=me)
        except DomainError as err:
            error = err
        else:
            flash(f"เพิ่มผู้ใช้ {form.username.data} แล้ว / User {form.username.data} added", "ok")
            return redirect(url_for(".users"))
    return render_template("auth/user_new.html", form=form, roles=grantable_roles(me), error=error,
                           selected=form.role.data or DEFAULT_ROLE.value), (error.status if error else 200)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@require_role(*MANAGERS)
def edit(user_id: int):
    session = get_session()
    me = _me()
    user = _user(user_id)
    if not may_change(me, "edit", user.role, user.role):
        raise service.Forbidden("grant_forbidden", "บทบาทของท่านแก้ไขบัญชีนี้ไม่ได้", "Your role may not edit this account")
    form = EditUserForm(obj=user) if request.method == "GET" else EditUserForm()
    error = None
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise _form_error(form)
            service.update_user(session, user.id, actor=me, display_name=form.display_name.data or "",
                                division=form.division.data or "", role=form.role.data)
            if form.password.data:
                service.set_password(session, user.username, form.password.data, actor=me)
        except DomainError as err:
            error = err
        else:
            flash(f"บันทึกบัญชี {user.username} แล้ว / Account {user.username} saved", "ok")
            return redirect(url_for(".users"))
    roles = [r for r in (r.value for r in Role) if r == user.role or may_change(me, "role", user.role, r)]
    return render_template("auth/user_edit.html", form=form, user=user, roles=roles, error=error,
                           selected=form.role.data or user.role), (error.status if error else 200)


def _checked(form: FlaskForm) -> None:
    if not form.validate_on_submit():
        raise Invalid("bad_form", "แบบฟอร์มหมดอายุ กรุณาลองใหม่", "The form expired; please try again")


# A refused change raises its DomainError: the error page says why, in Thai and English, with its 4xx.

@bp.post("/<int:user_id>/active")
@require_role(*MANAGERS)
def set_active(user_id: int):
    user = _user(user_id)
    active = request.form.get("active") == "1"
    _checked(ActionForm())
    service.set_active(get_session(), user.username, active, actor=_me())
    flash(f"เปิดใช้บัญชี {user.username} แล้ว / Account activated" if active
          else f"ระงับบัญชี {user.username} แล้ว ทุกการเข้าระบบและโทเคนสิ้นสุดทันที / Account deactivated; "
               f"every session and token ended", "ok")
    return redirect(url_for(".users"))


@bp.post("/<int:user_id>/tokens")
@require_role(*MANAGERS)
def create_token(user_id: int):
    user = _user(user_id)
    _checked(ActionForm())
    token = service.create_token(get_session(), user.username, (request.form.get("label") or "api")[:100],
                                 actor=_me())
    response = Response(render_template("auth/token_created.html", user=user, token=token))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/tokens/<int:token_id>/revoke")
@require_role(*MANAGERS)
def revoke_token(token_id: int):
    _checked(ActionForm())
    service.revoke_token(get_session(), token_id, actor=_me())
    flash(f"ยกเลิกโทเคน {token_id} แล้ว / Token {token_id} revoked", "ok")
    return redirect(url_for(".users"))
