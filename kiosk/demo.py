"""Idempotent demo set-up: the services, counters and staff of a typical อบต. front office."""

from __future__ import annotations

from datetime import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.models import Counter, Service
from kiosk.setup import upsert_counter, upsert_service
from tambon.auth import service as users
from tambon.auth.models import User
from tambon.auth.policy import CLI

ALL_DAY: dict[str, Any] = dict(opens_at=time(0, 0), closes_at=time(23, 59), open_days="1234567")

DEMO_SERVICES: list[dict[str, Any]] = [
    # Demo hours are all day, every day, so the demo works whenever the IT clerk tries it.
    dict(code="TAX", prefix="A", name_th="ชำระภาษี", name_en="Tax payment", position=1, **ALL_DAY),
    dict(code="WELFARE", prefix="B", name_th="ขึ้นทะเบียนผู้สูงอายุ/ผู้พิการ",
         name_en="Elderly / disability allowance registration", position=2, **ALL_DAY),
    dict(code="BUILD", prefix="C", name_th="ขออนุญาตก่อสร้าง", name_en="Building permit", position=3, **ALL_DAY),
    dict(code="HELP", prefix="D", name_th="ร้องเรียน/สอบถาม", name_en="Complaints and enquiries", position=4,
         **ALL_DAY),
]

DEMO_COUNTERS: list[dict[str, Any]] = [
    dict(name="ช่อง 1", name_en="Counter 1", service_codes=["TAX", "HELP"]),
    dict(name="ช่อง 2", name_en="Counter 2", service_codes=["WELFARE", "HELP"]),
    dict(name="ช่อง 3", name_en="Counter 3", service_codes=["BUILD", "TAX", "WELFARE"]),
]

# Demo passwords are public on purpose: README says to change them (tambon user passwd) before going live.
DEMO_USERS = [
    ("admin", "admin", "ผู้ดูแลระบบ", None),
    ("counter1", "counter", "เจ้าหน้าที่ช่อง 1", "สำนักปลัด"),
    ("officer1", "officer", "เจ้าหน้าที่รับเรื่องร้องเรียน", "สำนักปลัด"),
    ("executive", "executive", "ปลัด อบต.", None),
]
DEMO_PASSWORD = "demo-password"


def load_demo(session: Session) -> None:
    """Adds what is missing; never overwrites what an admin has changed since."""
    for spec in DEMO_SERVICES:
        if session.scalar(select(Service.id).where(Service.code == spec["code"])) is None:
            upsert_service(session, **spec)
    for spec in DEMO_COUNTERS:
        if session.scalar(select(Counter.id).where(Counter.name == spec["name"])) is None:
            upsert_counter(session, **spec)
    for username, role, display_name, division in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            users.add_user(session, username, DEMO_PASSWORD, role, display_name, division, actor=CLI)
