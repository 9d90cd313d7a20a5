from __future__ import annotations

import enum
from datetime import datetime
from typing import Protocol

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tambon.db import Base
from tambon.thaidate import utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"          # IT clerk / ปลัด's delegate: services, counters, users
    COUNTER = "counter"      # counter staff: call, serve, transfer
    OFFICER = "officer"      # complaint officer
    EXECUTIVE = "executive"  # นายก อบต. / ปลัด: reports, oversight


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

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated user cannot log in
        return self.active

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

    user: Mapped[User] = relationship(back_populates="tokens")
