"""Display settings an admin sets: the ticker line under the TV screen (e.g. the complaint channels)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from display.models import DisplaySetting
from tambon.db import write_transaction
from tambon.errors import Invalid
from tambon.thaidate import utcnow

TICKER = "ticker"
TICKER_MAX = 500


def get_ticker(session: Session) -> str:
    return session.scalar(select(DisplaySetting.value).where(DisplaySetting.key == TICKER)) or ""


def set_ticker(session: Session, text: str, *, user_id: int | None = None, now: datetime | None = None) -> str:
    """Set (or clear, with an empty text) the ticker line. One line: newlines become spaces."""
    if not isinstance(text, str):
        raise Invalid("bad_ticker", "ข้อความประกาศต้องเป็นข้อความ", "The ticker must be text")
    text = " ".join(text.split())
    if len(text) > TICKER_MAX:
        raise Invalid("ticker_too_long", f"ข้อความประกาศยาวได้ไม่เกิน {TICKER_MAX} ตัวอักษร",
                      f"The ticker may be at most {TICKER_MAX} characters")
    now = now or utcnow()
    with write_transaction(session):
        row = session.get(DisplaySetting, TICKER)
        if row is None:
            session.add(DisplaySetting(key=TICKER, value=text, updated_at=now, updated_by=user_id))
        else:
            row.value, row.updated_at, row.updated_by = text, now, user_id
    return text
