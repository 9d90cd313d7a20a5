from __future__ import annotations

import enum
from datetime import datetime
from typing import Protocol

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tambon.db import Base
from tambon.thaidate import utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"          # IT clerk / ปลัด's delegate: services, counters, users
    COUNTER = "counter"      # counter staff: call, serve, transfer
    OFFICER = "officer"      # complaint officer
    EXECUTIVE = "executive"  # นายก อบต. / ปลัด: reports, confidential complaints
    OVERSIGHT = "oversight"  # designated oversight officer: complaints that name the executive


# Roles that open confidential complaint data: granted only by the CLI or the executive (oversight: by the CLI
# or another oversight officer), never by admin alone. See SECURITY.md and tambon/auth/policy.py.
CONFIDENTIAL_ROLES = (Role.OFFICER, Role.EXECUTIVE, Role.OVERSIGHT)
# The default for a new account: the least privilege.
DEFAULT_ROLE = Role.COUNTER

ROLE_LABELS = {
    Role.ADMIN: ("ผู้ดูแลระบบ", "Administrator"),
    Role.COUNTER: ("เจ้าหน้าที่ช่องบริการ", "Counter staff"),
    Role.OFFICER: ("เจ้าหน้าที่รับเรื่องร้องเรียน", "Complaint officer"),
    Role.EXECUTIVE: ("ผู้บริหาร (นายก/ปลัด)", "Executive"),
    Role.OVERSIGHT: ("ผู้ตรวจสอบ (เรื่องร้องเรียนผู้บริหาร)", "Oversight officer"),
}


def role_label(role: str, lang: str = "th") -> str:
    """A role's name for people: Thai (or English), never the raw code."""
    th, en = ROLE_LABELS.get(role, (role, role))  # type: ignore[call-overload]
    return th if lang == "th" else en


class Staff(Protocol):
    """What API code may rely on about the staff member behind a request: a logged-in ``User``, or the
    ``TokenUser`` value a bearer token resolves to."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> str: ...

    def has_role(self, *roles: str) -> bool: ...


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    division: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised by logout, password change, role change and (de)activation: every login session made before
    # carries the old number in its cookie and is refused on its next request.
    session_version: Mapped[int] = mapped_column(default=0)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated user cannot log in
        return self.active

    def get_id(self) -> str:
        # Flask-Login keeps this in the session cookie; the user loader refuses a stale version.
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class ApiToken(Base):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    label: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked: Mapped[bool] = mapped_column(default=False)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")


class AccountEvent(Base):
    """Append-only log of account changes: creations, role grants, passwords, (de)activation, tokens,
    logouts. ``actor_user_id`` is NULL for the command line (the server's operator)."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    via: Mapped[str] = mapped_column(String(8))            # cli | web
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(24))        # create | role | password | deactivate | ...
    detail: Mapped[dict | None] = mapped_column(JSON)
