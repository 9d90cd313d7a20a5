"""Device health: TV displays and kiosks send a heartbeat; a device silent for a while is offline."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from display.models import Device
from tambon.db import write_transaction
from tambon.errors import Invalid
from tambon.thaidate import utcnow

KINDS = ("display", "kiosk")
HEARTBEAT_SECONDS = 30          # how often the pages send one
OFFLINE_AFTER = timedelta(seconds=90)  # three missed heartbeats
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def clean_key(value) -> str | None:
    return value if isinstance(value, str) and KEY_RE.match(value) else None


def heartbeat(session: Session, device_key: str, kind: str, *, name: str | None = None,
              address: str | None = None, page: str | None = None, sound_on: bool | None = None,
              now: datetime | None = None) -> Device:
    """Record that a device is alive (insert on first contact)."""
    if clean_key(device_key) is None:
        raise Invalid("bad_device", "รหัสอุปกรณ์ไม่ถูกต้อง (8–64 ตัวอักษร A-Z a-z 0-9 _ -)",
                      "Bad device id (8–64 characters A-Z a-z 0-9 _ -)")
    if kind not in KINDS:
        raise Invalid("bad_kind", "ชนิดอุปกรณ์ต้องเป็น display หรือ kiosk", "Device kind must be display or kiosk")
    if sound_on is not None and not isinstance(sound_on, bool):
        raise Invalid("bad_sound", "sound ต้องเป็น true หรือ false", "Field 'sound' must be true or false")
    name = (name or "").strip()[:100] if isinstance(name, str) else ""
    now = now or utcnow()
    with write_transaction(session):
        device = session.scalar(select(Device).where(Device.device_key == device_key))
        if device is None:
            device = Device(device_key=device_key, kind=kind, name=name, first_seen_at=now, last_seen_at=now)
            session.add(device)
        device.kind = kind
        device.last_seen_at = now
        device.name = name or device.name
        device.address = (address or "")[:64] or device.address
        device.page = (page or "")[:200] or device.page
        if kind == "display":
            device.sound_on = sound_on
    return device


def device_list(session: Session, *, now: datetime | None = None) -> list[dict]:
    """Every device with online/offline, offline first then by name."""
    now = now or utcnow()
    rows = []
    for d in session.scalars(select(Device)):
        online = now - d.last_seen_at <= OFFLINE_AFTER
        rows.append({"id": d.id, "device": d.device_key, "kind": d.kind, "name": d.name or d.device_key[:8],
                     "address": d.address, "page": d.page, "sound_on": d.sound_on, "online": online,
                     "last_seen_at": d.last_seen_at, "first_seen_at": d.first_seen_at,
                     "silent_seconds": int((now - d.last_seen_at).total_seconds())})
    rows.sort(key=lambda r: (r["online"], r["kind"], r["name"]))
    return rows


def forget(session: Session, device_id: int) -> None:
    """Remove a retired device from the list (it reappears if it sends a heartbeat again)."""
    with write_transaction(session):
        device = session.get(Device, device_id)
        if device is not None:
            session.delete(device)
