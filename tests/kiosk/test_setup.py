"""Creating and changing services and counters: a code or name in use is never overwritten by "create",
and "update" changes only the fields it is given."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from kiosk import setup
from kiosk.models import Service
from tambon.errors import Conflict, NotFound


def _tax(session) -> Service:
    return session.scalar(select(Service).where(Service.code == "TAX"))


def test_create_refuses_an_existing_code_in_any_case(office):
    for code in ("TAX", "tax", " Tax "):
        with pytest.raises(Conflict) as refused:
            setup.create_service(office, code=code, prefix="T", name_th="ภาษีป้าย", name_en="Signboard tax")
        assert refused.value.code == "service_exists" and refused.value.details["existing"] == "TAX"
    tax = _tax(office)
    assert (tax.prefix, tax.name_th) == ("A", "ชำระภาษี")


def test_update_keeps_what_it_is_not_given(office):
    setup.update_service(office, "tax", name_en="Tax and fees")
    tax = _tax(office)
    assert tax.name_en == "Tax and fees"
    assert (tax.position, tax.opens_at, tax.closes_at, tax.open_days) == (1, time(0, 0), time(23, 59), "1234567")
    with pytest.raises(NotFound):
        setup.update_service(office, "NOPE", name_en="x")


def test_counters(office):
    with pytest.raises(Conflict):
        setup.create_counter(office, name="ช่อง 1", service_codes=["BUILD"])
    counter = setup.update_counter(office, 1, name_en="Front desk")
    assert [cs.service.code for cs in counter.services] == ["TAX", "HELP"] and counter.name == "ช่อง 1"
    with pytest.raises(Conflict):
        setup.update_counter(office, 1, name="ช่อง 2")
