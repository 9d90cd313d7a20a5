"""Setting up the office: services and counters (used by the admin pages, the CLI and the demo data)."""

from __future__ import annotations

import re
from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.models import Counter, CounterService, Service
from kiosk.names import forget as forget_names
from tambon import events
from tambon.db import write_transaction
from tambon.errors import Conflict, Invalid, NotFound

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,31}$")
PREFIX_RE = re.compile(r"^[A-Z]{1,3}$")
DAYS_RE = re.compile(r"^[1-7]{1,7}$")


def _validate_service(code: str, prefix: str, name_th: str, name_en: str, opens_at: time, closes_at: time,
                      open_days: str) -> None:
    if not CODE_RE.match(code):
        raise Invalid("bad_service_code", "รหัสบริการต้องเป็นอักษรอังกฤษตัวใหญ่/ตัวเลข ไม่เกิน 32 ตัว",
                      "Service code must be upper-case letters/digits, at most 32")
    if not PREFIX_RE.match(prefix):
        raise Invalid("bad_prefix", "อักษรนำหน้าบัตรคิวต้องเป็นอักษรอังกฤษตัวใหญ่ 1–3 ตัว",
                      "Ticket prefix must be 1–3 upper-case letters")
    if not name_th.strip() or not name_en.strip():
        raise Invalid("bad_name", "ต้องมีชื่อบริการทั้งภาษาไทยและภาษาอังกฤษ", "Thai and English names are required")
    if opens_at >= closes_at:
        raise Invalid("bad_hours", "เวลาเปิดต้องก่อนเวลาปิด", "Opening time must be before closing time")
    if not DAYS_RE.match(open_days):
        raise Invalid("bad_days", "วันเปิดให้บริการต้องเป็นตัวเลข 1–7 (1 = จันทร์)", "Open days must be digits 1–7")


def upsert_service(session: Session, *, code: str, prefix: str, name_th: str, name_en: str,
                   opens_at: time = time(8, 30), closes_at: time = time(16, 30), open_days: str = "12345",
                   active: bool = True, position: int = 0) -> Service:
    _validate_service(code, prefix, name_th, name_en, opens_at, closes_at, open_days)
    with write_transaction(session):
        service = session.scalar(select(Service).where(Service.code == code))
        clash = session.scalar(select(Service).where(Service.prefix == prefix, Service.code != code))
        if clash is not None:
            raise Conflict("prefix_taken", f"อักษรนำหน้า {prefix} ใช้กับบริการ {clash.name_th} แล้ว",
                           f"Prefix {prefix} is already used by {clash.name_en}")
        if service is None:
            service = Service(code=code)
            session.add(service)
        service.prefix, service.name_th, service.name_en = prefix, name_th.strip(), name_en.strip()
        service.opens_at, service.closes_at, service.open_days = opens_at, closes_at, open_days
        service.active, service.position = active, position
        events.publish(session, "office.service_saved", {"code": code})  # boards re-read (kiosk.board)
    # Directly, not through the event: names are kept per database, which the session knows and an event
    # subscriber does not.
    forget_names(session)
    return service


def default_spoken_name(name: str, counter_id: int) -> str:
    """What the voice says for a counter nobody named for it: "ช่อง N", N the number in its name, else its id."""
    found = [int(n) for n in re.findall(r"\d+", name or "")]
    return f"ช่อง {found[-1] if found and 1 <= found[-1] <= 999 else counter_id}"


def upsert_counter(session: Session, *, name: str, service_codes: list[str], name_en: str = "",
                   active: bool = True, spoken_name: str | None = None) -> Counter:
    """Create or update a counter; service_codes in the order the counter serves them. spoken_name is what
    the voice announces (default "ช่อง N"); the display checks it can say it (event office.counter_saved)."""
    if not name.strip():
        raise Invalid("bad_name", "ต้องมีชื่อช่องบริการ", "Counter name is required")
    spoken_name = " ".join((spoken_name or "").split())
    if len(spoken_name) > 100:
        raise Invalid("bad_spoken_name", "ชื่อที่ใช้ประกาศยาวเกิน 100 ตัวอักษร", "The spoken name is longer than 100 characters")
    if len(set(service_codes)) != len(service_codes):
        raise Invalid("duplicate_service", "ระบุบริการซ้ำ", "A service is listed twice")
    with write_transaction(session):
        services = {s.code: s for s in session.scalars(select(Service).where(Service.code.in_(service_codes)))}
        missing = [c for c in service_codes if c not in services]
        if missing:
            raise NotFound("unknown_service", f"ไม่พบบริการ {', '.join(missing)}", f"Unknown service {', '.join(missing)}")
        counter = session.scalar(select(Counter).where(Counter.name == name.strip()))
        if counter is None:
            counter = Counter(name=name.strip())
            session.add(counter)
        counter.name_en, counter.active = name_en, active
        counter.services = [CounterService(service_id=services[c].id, position=i) for i, c in enumerate(service_codes)]
        if spoken_name or not counter.spoken_name:
            if not spoken_name:
                session.flush()  # a new counter's id, for "ช่อง N"
            counter.spoken_name = spoken_name or default_spoken_name(counter.name, counter.id)
        events.publish(session, "office.counter_saved", {"name": counter.name, "spoken_name": counter.spoken_name})
    forget_names(session)
    return counter
