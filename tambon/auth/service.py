"""Users, passwords and API tokens: plain functions over a session.

Every change names its actor: a logged-in staff member, or ``policy.CLI`` for the command line. The grant
rule (tambon/auth/policy.py) is checked here, on every change, whatever page or command asked for it; each
change is written to ``account_events``; and each is published as ``account.changed`` inside the
transaction, so the complaint desk can refuse one that would leave a case with nobody to act on it.

Access ends at once: logout, a new password, a new role and deactivation raise the user's
``session_version`` (every session cookie made before is refused on its next request); a new password, a
new role and deactivation also revoke every API token of the user. Tokens are checked against the
database on every request: no cache outlives a revocation.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session
from werkzeug import security as password_hashing

from tambon import events
from tambon.auth import policy
from tambon.auth.models import AccountEvent, ApiToken, Role, User, role_label
from tambon.concurrency import cpu_bound
from tambon.db import core_connection, write_transaction
from tambon.errors import Conflict, DomainError, Invalid, NotFound
from tambon.thaidate import utcnow

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 8
# A password hash is slow on purpose (scrypt: ~100 ms of CPU), so it runs off a gevent server's request loop:
# on the loop it held every request in flight, a counter's call among them, for that long.
generate_password_hash = cpu_bound(password_hashing.generate_password_hash)
check_password_hash = cpu_bound(password_hashing.check_password_hash)
# Checked against when the user does not exist, so a login takes as long either way.
_DUMMY_HASH = password_hashing.generate_password_hash("not-a-real-password")
ACCOUNT_CHANGED = "account.changed"


class Forbidden(DomainError):
    status = 403


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check(actor: policy.Actor, action: str, role_before: str | None, role_after: str | None) -> None:
    if not policy.may_change(actor, action, role_before, role_after):
        shown = role_label(role_after or role_before or "")
        raise Forbidden("grant_forbidden",
                        f"บทบาทของท่านเปลี่ยนบัญชี{shown}ไม่ได้ (บัญชีที่เปิดดูเรื่องร้องเรียนได้ ให้ผู้บริหารหรือผู้ติดตั้งทาง"
                        f"บรรทัดคำสั่งเป็นผู้ให้สิทธิ์)",
                        f"Your role may not {action} a {role_label(role_after or role_before or '', 'en')} account "
                        f"(accounts that open complaints are granted by the executive or at the command line)")


def _record(session: Session, actor: policy.Actor, user: User, action: str, *,
            before: tuple[str, bool] | None = None, **detail) -> None:
    """Log the change and publish it inside the transaction: a hook may veto it (an exception rolls the
    whole change back). ``before``: the account's (role, active) before the change."""
    before_role, before_active = before or (user.role, user.active)
    session.add(AccountEvent(at=utcnow(), actor_user_id=actor.id, via="cli" if actor is policy.CLI else "web",
                             user_id=user.id, action=action, detail=detail or None))
    session.flush()
    events.publish(session, ACCOUNT_CHANGED, {"user_id": user.id, "action": action, "role": user.role,
                                              "active": user.active, "before_role": before_role,
                                              "before_active": before_active})
    # Account ids and roles only: never a password, a token or a name.
    log.info("account %s: user %s by %s", action, user.id, "cli" if actor is policy.CLI else f"user {actor.id}")


def _end_access(session: Session, user: User, *, tokens: bool) -> None:
    user.session_version = (user.session_version or 0) + 1
    if tokens:
        session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
                        .values(revoked=True, revoked_at=utcnow()))


def _find(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("no_user", f"ไม่พบผู้ใช้ {username}", f"No user {username}")
    return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid("weak_password", f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_LENGTH} ตัวอักษร",
                      f"Password must be at least {MIN_PASSWORD_LENGTH} characters", field="password")


def _check_role(role: str) -> None:
    if role not in {r.value for r in Role}:
        raise Invalid("bad_role", f"ไม่รู้จักบทบาท {role}", f"Unknown role {role}", field="role")


def add_user(session: Session, username: str, password: str, role: str, display_name: str | None = None,
             division: str | None = None, *, actor: policy.Actor) -> User:
    username = username.strip()
    if not username or len(username) > 64:
        raise Invalid("bad_username", "ชื่อผู้ใช้ต้องยาว 1–64 ตัวอักษร", "Username must be 1–64 characters",
                      field="username")
    _check_role(role)
    _check(actor, "create", None, role)
    _check_password(password)
    password_hash = generate_password_hash(password)
    with write_transaction(session):
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict("user_exists", f"มีผู้ใช้ชื่อ {username} แล้ว", f"User {username} already exists")
        user = User(username=username, display_name=display_name or username, role=role, division=division,
                    password_hash=password_hash, active=True, session_version=0)
        session.add(user)
        session.flush()
        _record(session, actor, user, "create", role=role)
    return user


def update_user(session: Session, user_id: int, *, actor: policy.Actor, display_name: str | None = None,
                division: str | None = None, role: str | None = None) -> User:
    """The edit form: name, division and role. A new role ends the user's sessions and tokens."""
    with write_transaction(session):
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("no_user", "ไม่พบผู้ใช้", "No such user")
        new_role = role or user.role
        _check_role(new_role)
        _check(actor, "edit" if new_role == user.role else "role", user.role, new_role)
        if display_name is not None:
            user.display_name = display_name.strip()[:200] or user.username
        if division is not None:
            user.division = division.strip()[:100] or None
        if new_role != user.role:
            before, user.role = user.role, new_role
            _end_access(session, user, tokens=True)
            _record(session, actor, user, "role", before=(before, user.active), from_role=before, to_role=new_role)
        else:
            _record(session, actor, user, "edit")
    return user


def set_role(session: Session, username: str, role: str, *, actor: policy.Actor) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("no_user", f"ไม่พบผู้ใช้ {username}", f"No user {username}")
    return update_user(session, user.id, actor=actor, role=role)


def set_password(session: Session, username: str, password: str, *, actor: policy.Actor) -> None:
    _check_password(password)
    password_hash = generate_password_hash(password)
    with write_transaction(session):
        user = _find(session, username)
        _check(actor, "password", user.role, user.role)
        user.password_hash = password_hash
        _end_access(session, user, tokens=True)
        _record(session, actor, user, "password")


def set_active(session: Session, username: str, active: bool, *, actor: policy.Actor) -> User:
    """Deactivate (every session and token ends at once; the account cannot log in) or reactivate."""
    with write_transaction(session):
        user = _find(session, username)
        action = "activate" if active else "deactivate"
        _check(actor, action, user.role, user.role)
        before = (user.role, user.active)
        user.active = active
        _end_access(session, user, tokens=not active)
        _record(session, actor, user, action, before=before)
    return user


def end_sessions(session: Session, user_id: int) -> None:
    """Logout: every login session and every API token of the user ends (all browsers, all programs)."""
    with write_transaction(session):
        user = session.get(User, user_id)
        if user is None:
            return
        _end_access(session, user, tokens=True)
        session.add(AccountEvent(at=utcnow(), actor_user_id=user.id, via="web", user_id=user.id, action="logout"))


def session_user(session: Session, ident: str) -> User | None:
    """The user behind a session cookie's id ("USERID:VERSION"): active, and the version still current."""
    user_id, _sep, version = ident.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None  # a cookie from before session versions, or forged: log in again
    user = session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user


def create_token(session: Session, username: str, label: str = "api", *, actor: policy.Actor) -> str:
    """Create a bearer token acting as the user; returns the token (shown once, stored hashed)."""
    token = "tbn_" + secrets.token_urlsafe(32)
    label = (label or "api").strip()[:100] or "api"
    with write_transaction(session):
        user = _find(session, username)
        _check(actor, "token_create", user.role, user.role)
        if not user.active:
            raise Conflict("user_inactive", f"บัญชี {username} ถูกระงับอยู่", f"Account {username} is deactivated")
        row = ApiToken(user_id=user.id, label=label, token_hash=_hash_token(token), created_at=utcnow(),
                       revoked=False)
        session.add(row)
        session.flush()
        _record(session, actor, user, "token_create", token_id=row.id)
    return token


@dataclass(frozen=True)
class TokenInfo:
    id: int
    username: str
    role: str
    label: str
    created_at: datetime
    revoked: bool
    revoked_at: datetime | None


def list_tokens(session: Session, *, include_revoked: bool = True) -> list[TokenInfo]:
    stmt = (select(ApiToken.id, User.username, User.role, ApiToken.label, ApiToken.created_at, ApiToken.revoked,
                   ApiToken.revoked_at).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id))
    if not include_revoked:
        stmt = stmt.where(ApiToken.revoked.is_(False))
    return [TokenInfo(*row) for row in session.execute(stmt).all()]


def revoke_token(session: Session, token_id: int, *, actor: policy.Actor) -> None:
    with write_transaction(session):
        row = session.get(ApiToken, token_id)
        if row is None:
            raise NotFound("no_token", f"ไม่พบโทเคนหมายเลข {token_id}", f"No token {token_id}")
        user = session.get(User, row.user_id)
        assert user is not None
        _check(actor, "token_revoke", user.role, user.role)
        if not row.revoked:
            row.revoked, row.revoked_at = True, utcnow()
        _record(session, actor, user, "token_revoke", token_id=token_id)


def recent_account_events(session: Session, limit: int = 50) -> Sequence[Any]:
    """The newest account changes, with who made them, for the staff page (ids and names of staff only)."""
    actor = User.__table__.alias("actor")
    target = User.__table__.alias("target")
    return session.execute(
        select(AccountEvent.at, AccountEvent.action, AccountEvent.via, AccountEvent.detail,
               actor.c.display_name.label("actor_name"), target.c.username.label("username"))
        .join(target, target.c.id == AccountEvent.user_id)
        .outerjoin(actor, actor.c.id == AccountEvent.actor_user_id)
        .order_by(AccountEvent.id.desc()).limit(limit)).all()


# Built once: every bearer-token API call runs it. One indexed join, on every request: a revoked token or a
# deactivated user is refused at once, in every process.
_TOKEN_USER = (select(User.id, User.username, User.display_name, User.role, User.division)
               .join(ApiToken, ApiToken.user_id == User.id)
               .where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked.is_(False),
                      User.active.is_(True)))


@dataclass(frozen=True)
class TokenUser:
    """The staff member behind a bearer token: a plain value read as one Core row (an ORM entity load was
    a sixth of a counter action's CPU)."""

    id: int
    username: str
    display_name: str
    role: str
    division: str | None

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


def user_for_token(session: Session, token: str) -> TokenUser | None:
    # A Core statement on the request's connection: the ORM's execution path and its transaction bookkeeping
    # cost several times the statement itself.
    row = core_connection(session).execute(_TOKEN_USER, {"digest": _hash_token(token)}).first()
    return TokenUser(*row) if row is not None else None
