"""The display package's own tables: admin-set display settings and the devices that report in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tambon.db import Base


class DisplaySetting(Base):
    """Key/value settings an admin sets for the TV displays (e.g. the ticker line)."""

    __tablename__ = "display_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime]
    updated_by: Mapped[int | None]


class Device(Base):
    """A TV display or a kiosk that sends heartbeats. Offline = no heartbeat for a while."""

    __tablename__ = "display_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_key: Mapped[str] = mapped_column(String(64), unique=True)  # random id the browser keeps
    kind: Mapped[str] = mapped_column(String(16))  # display | kiosk
    name: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str | None] = mapped_column(String(64))
    page: Mapped[str | None] = mapped_column(String(200))
    sound_on: Mapped[bool | None]  # displays only: has someone enabled the sound?
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
