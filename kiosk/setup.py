"""Setting up the office: services and counters (used by the admin pages, the CLI and the demo data)."""

from __future__ import annotations

import re
from datetime import time

from sqlalchemy import func, select
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


SERVICE_FIELDS = ("prefix", "name_th", "name_en", "opens_at", "closes_at", "open_days", "active", "position")


def _find_service(session: Session, code: str) -> Service | None:
    """A service by code, whatever the case it is typed in ("tax" is TAX)."""
    return session.scalar(select(Service).where(func.upper(Service.code) == code.strip().upper()))


def _save_service(session: Session, service: Service, values: dict) -> Service:
    """Check the service's values as a whole, then write them (inside the caller's transaction)."""
    code, prefix = service.code, values["prefix"]
    _validate_service(code, prefix, values["name_th"], values["name_en"], values["opens_at"], values["closes_at"],
                      values["open_days"])
    clash = session.scalar(select(Service).where(Service.prefix == prefix, Service.code != code))
    if clash is not None:
        raise Conflict("prefix_taken", f"อักษรนำหน้า {prefix} ใช้กับบริการ {clash.name_th} แล้ว",
                       f"Prefix {prefix} is already used by {clash.name_en}")
    for field in SERVICE_FIELDS:
        value = values[field]
        setattr(service, field, value.strip() if field in ("name_th", "name_en") else value)
    events.publish(session, "office.service_saved", {"code": code})  # boards re-read (kiosk.board)
    return service


def create_service(session: Session, *, code: str, prefix: str, name_th: str, name_en: str,
                   opens_at: time = time(8, 30), closes_at: time = time(16, 30), open_days: str = "12345",
                   active: bool = True, position: int = 0) -> Service:
    """A new service. A code already in use (in any case) is refused: changing a service is update_service."""
    values = dict(prefix=prefix, name_th=name_th, name_en=name_en, opens_at=opens_at, closes_at=closes_at,
                  open_days=open_days, active=active, position=position)
    with write_transaction(session):
        existing = _find_service(session, code)
        if existing is not None:
            raise Conflict("service_exists", f"มีบริการรหัส {existing.code} อยู่แล้ว ถ้าจะเปลี่ยนให้ใช้ \"แก้ไข\"",
                           f"A service with code {existing.code} already exists; use \"edit\" to change it",
                           existing=existing.code)
        service = _save_service(session, Service(code=code), values)
        session.add(service)  # after _save_service's queries, which would flush it half-filled
    # Directly, not through the event: names are kept per database, which the session knows and an event
    # subscriber does not.
    forget_names(session)
    return service


def update_service(session: Session, code: str, **changes) -> Service:
    """Change the given fields of an existing service; every other field keeps its value."""
    unknown = set(changes) - set(SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"not a service field: {', '.join(sorted(unknown))}")
    with write_transaction(session):
        service = _find_service(session, code)
        if service is None:
            raise NotFound("unknown_service", f"ไม่พบบริการรหัส {code}", f"Unknown service {code}")
        values = {field: getattr(service, field) for field in SERVICE_FIELDS} | changes
        _save_service(session, service, values)
    forget_names(session)
    return service


def upsert_service(session: Session, *, code: str, **values) -> Service:
    """Create the service, or set every given field of the existing one (demo data, scripts, tests)."""
    if _find_service(session, code) is None:
        return create_service(session, code=code, **values)
    return update_service(session, code, **values)


def _counter_services(session: Session, service_codes: list[str]) -> list[CounterService]:
    if len(set(service_codes)) != len(service_codes):
        raise Invalid("duplicate_service", "ระบุบริการซ้ำ", "A service is listed twice")
    services = {s.code: s for s in session.scalars(select(Service).where(Service.code.in_(service_codes)))}
    missing = [c for c in service_codes if c not in services]
    if missing:
        raise NotFound("unknown_service", f"ไม่พบบริการ {', '.join(missing)}", f"Unknown service {', '.join(missing)}")
    return [CounterService(service_id=services[c].id, position=i) for i, c in enumerate(service_codes)]


def _name_taken(session: Session, name: str, other_than: int | None = None) -> None:
    clash = session.scalar(select(Counter).where(Counter.name == name, Counter.id != (other_than or 0)))
    if clash is not None:
        raise Conflict("counter_exists", f"มีช่องบริการชื่อ {name} อยู่แล้ว (หมายเลข {clash.id}) ถ้าจะเปลี่ยนให้ใช้ \"แก้ไข\"",
                       f"A counter named {name} already exists (no. {clash.id}); use \"edit\" to change it",
                       counter=clash.id)


def default_spoken_name(name: str, counter_id: int) -> str:
    """What the voice says for a counter nobody named for it: "ช่อง N", N the number in its name, else its id."""
    found = [int(n) for n in re.findall(r"\d+", name or "")]
    return f"ช่อง {found[-1] if found and 1 <= found[-1] <= 999 else counter_id}"


def _clean_spoken_name(spoken_name: str | None) -> str:
    spoken_name = " ".join((spoken_name or "").split())
    if len(spoken_name) > 100:
        raise Invalid("bad_spoken_name", "ชื่อที่ใช้ประกาศยาวเกิน 100 ตัวอักษร", "The spoken name is longer than 100 characters")
    return spoken_name


def _counter_saved(session: Session, counter: Counter) -> None:
    """The display checks it can say the spoken name (event office.counter_saved) before the write commits."""
    events.publish(session, "office.counter_saved", {"name": counter.name, "spoken_name": counter.spoken_name})


def create_counter(session: Session, *, name: str, service_codes: list[str], name_en: str = "",
                   active: bool = True, spoken_name: str | None = None) -> Counter:
    """A new counter; service_codes in the order the counter serves them. A name in use is refused.
    spoken_name is what the voice announces (empty: "ช่อง N")."""
    name = name.strip()
    if not name:
        raise Invalid("bad_name", "ต้องมีชื่อช่องบริการ", "Counter name is required")
    spoken_name = _clean_spoken_name(spoken_name)
    with write_transaction(session):
        _name_taken(session, name)
        counter = Counter(name=name, name_en=name_en.strip(), active=active)
        counter.services = _counter_services(session, service_codes)
        session.add(counter)
        if not spoken_name:
            session.flush()  # a new counter's id, for "ช่อง N"
        counter.spoken_name = spoken_name or default_spoken_name(counter.name, counter.id)
        _counter_saved(session, counter)
    forget_names(session)
    return counter


def update_counter(session: Session, counter_id: int, *, name: str | None = None, name_en: str | None = None,
                   service_codes: list[str] | None = None, active: bool | None = None,
                   spoken_name: str | None = None) -> Counter:
    """Change the given fields of an existing counter; every other field keeps its value."""
    spoken = _clean_spoken_name(spoken_name) if spoken_name is not None else None
    with write_transaction(session):
        counter = session.get(Counter, counter_id)
        if counter is None:
            raise NotFound("unknown_counter", f"ไม่พบช่องบริการหมายเลข {counter_id}", f"Unknown counter {counter_id}")
        if name is not None:
            name = name.strip()
            if not name:
                raise Invalid("bad_name", "ต้องมีชื่อช่องบริการ", "Counter name is required")
            _name_taken(session, name, other_than=counter.id)
            counter.name = name
        if name_en is not None:
            counter.name_en = name_en.strip()
        if active is not None:
            counter.active = active
        if service_codes is not None:
            counter.services = _counter_services(session, service_codes)
        if spoken is not None or not counter.spoken_name:
            counter.spoken_name = spoken or default_spoken_name(counter.name, counter.id)
        _counter_saved(session, counter)
    forget_names(session)
    return counter


def upsert_counter(session: Session, *, name: str, service_codes: list[str], name_en: str = "",
                   active: bool = True, spoken_name: str | None = None) -> Counter:
    """Create the counter, or set the fields of the one of that name (demo data, scripts, tests)."""
    existing = session.scalar(select(Counter.id).where(Counter.name == name.strip()))
    if existing is None:
        return create_counter(session, name=name, service_codes=service_codes, name_en=name_en, active=active,
                              spoken_name=spoken_name)
    return update_counter(session, existing, name_en=name_en, service_codes=service_codes, active=active,
                          spoken_name=spoken_name)
