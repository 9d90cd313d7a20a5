"""Users, passwords and API tokens: plain functions over a session."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from tambon.auth.models import ApiToken, Role, User
from tambon.db import core_connection, write_transaction
from tambon.errors import Conflict, Invalid, NotFound
from tambon.prepared import Prepared

MIN_PASSWORD_LENGTH = 8
# Checked against when the user does not exist, so a login takes as long either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(session: Session, username: str, password: str, role: str, display_name: str | None = None,
             division: str | None = None) -> User:
    username = username.strip()
    if not username or len(username) > 64:
        raise Invalid("bad_username", "ชื่อผู้ใช้ต้องยาว 1–64 ตัวอักษร", "Username must be 1–64 characters")
    if role not in {r.value for r in Role}:
        raise Invalid("bad_role", f"ไม่รู้จักบทบาท {role}", f"Unknown role {role}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid("weak_password", f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_LENGTH} ตัวอักษร",
                      f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
    with write_transaction(session):
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict("user_exists", f"มีผู้ใช้ชื่อ {username} แล้ว", f"User {username} already exists")
        user = User(username=username, display_name=display_name or username, role=role, division=division,
                    password_hash=generate_password_hash(password))
        session.add(user)
    return user


def set_password(session: Session, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid("weak_password", f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_LENGTH} ตัวอักษร",
                      f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
    with write_transaction(session):
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound("no_user", f"ไม่พบผู้ใช้ {username}", f"No user {username}")
        user.password_hash = generate_password_hash(password)


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user


def create_token(session: Session, username: str, label: str = "api") -> str:
    """Create a bearer token acting as the user; returns the token (shown once, stored hashed)."""
    token = "tbn_" + secrets.token_urlsafe(32)
    with write_transaction(session):
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound("no_user", f"ไม่พบผู้ใช้ {username}", f"No user {username}")
        session.add(ApiToken(user_id=user.id, label=label, token_hash=_hash_token(token)))
    return token


# Built once: every bearer-token API call runs them.
_TOKEN_USER = (select(ApiToken, User).join(User)
               .where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked.is_(False)))
_ACTIVE_STAFF = Prepared(select(User.id, User.username, User.display_name, User.role, User.division)
                         .where(User.id == bindparam("user_id"), User.active.is_(True)))


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


# digest → (expires at, user id). Every staff API call presents its token; remembering which user it
# belongs to saves a join per request. A revoked token stays usable for at most TOKEN_CACHE_SECONDS in a
# process that has just seen it; a deactivated *user* is refused at once, and a changed role applies at
# once (the user's row is read on every request).
TOKEN_CACHE_SECONDS = 30.0
_token_cache: dict[str, tuple[float, int]] = {}
_token_cache_lock = threading.Lock()


def user_for_token(session: Session, token: str) -> TokenUser | None:
    digest = _hash_token(token)
    now = time.monotonic()
    hit = _token_cache.get(digest)
    if hit is not None and hit[0] > now:
        # A prepared statement on the request's connection: the ORM's execution path and its transaction
        # bookkeeping cost several times the statement itself (tambon/prepared.py).
        staff = _ACTIVE_STAFF.first_on_its_own(core_connection(session), {"user_id": hit[1]})
        return TokenUser(*staff) if staff is not None else None
    row = session.execute(_TOKEN_USER, {"digest": digest}).first()
    if row is None or not hmac.compare_digest(row.ApiToken.token_hash, digest) or not row.User.active:
        return None
    user = row.User
    with _token_cache_lock:
        if len(_token_cache) > 10_000:  # bounded: forged tokens never enter, but be safe
            _token_cache.clear()
        _token_cache[digest] = (now + TOKEN_CACHE_SECONDS, user.id)
    return TokenUser(user.id, user.username, user.display_name, user.role, user.division)


def forget_cached_tokens() -> None:
    """Drop the token cache (after revoking tokens in this process; tests)."""
    with _token_cache_lock:
        _token_cache.clear()
