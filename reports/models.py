"""What the reports keep: the measure report's hand-written text and photo evidence per fiscal year, and a
log of the documents produced (the dates quarterly summaries went to the executive, for measure 4)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tambon.db import Base
from tambon.thaidate import utcnow

# Measures whose ผลการดำเนินงาน the service writes from its own data.
DATA_MEASURES = (4, 9, 10)


class MeasureEntry(Base):
    """One row of the measure report's six-column table for one fiscal year (Buddhist era)."""

    __tablename__ = "report_measures"
    __table_args__ = (UniqueConstraint("fiscal_year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int]
    number: Mapped[int]  # 1–10
    title: Mapped[str] = mapped_column(Text)          # มาตรการ/แนวทาง
    method: Mapped[str] = mapped_column(Text)         # วิธีการดำเนินการ
    responsible: Mapped[str] = mapped_column(String(200))  # ผู้รับผิดชอบ
    period: Mapped[str] = mapped_column(String(200))  # ระยะเวลาดำเนินการ
    result: Mapped[str] = mapped_column(Text)         # ผลการดำเนินงาน (measures 4, 9, 10: from the data)
    suggestion: Mapped[str] = mapped_column(Text)     # ข้อเสนอแนะ
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Carried-over cells not yet confirmed for this year (comma-separated field names; "" = all reviewed),
    # and the fiscal year the text was carried from (None: written for this year).
    unreviewed: Mapped[str] = mapped_column(String(200), default="", server_default="")
    carried_from: Mapped[int | None]

    photos: Mapped[list[MeasurePhoto]] = relationship(
        order_by="MeasurePhoto.position, MeasurePhoto.id", cascade="all, delete-orphan", back_populates="measure")


class MeasurePhoto(Base):
    """Photo evidence under a measure (JPEG/PNG, checked and re-encoded on upload), kept in the database."""

    __tablename__ = "report_measure_photos"
    __table_args__ = (Index("ix_report_measure_photos_measure", "measure_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("report_measures.id", ondelete="CASCADE"))
    caption: Mapped[str] = mapped_column(Text, default="")
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int]
    height: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    measure: Mapped[MeasureEntry] = relationship(back_populates="photos")


class ReportLog(Base):
    """A document produced: kind (quarterly, measures, ita), the period, who and when."""

    __tablename__ = "report_log"
    __table_args__ = (Index("ix_report_log_kind_year", "kind", "fiscal_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    fiscal_year: Mapped[int]
    quarter: Mapped[int | None]
    fmt: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


# --- the queue rollup (reports/rollup.py): derived from kiosk's ticket_events, rebuilt from it at will ---------

DIM_COLUMNS = ("service_id", "counter_id", "user_id", "weekday", "hour", "priority")


class TicketFact(Base):
    """One row per ticket of a rolled-up business day: what reports.metrics needs of its events."""

    __tablename__ = "report_ticket_facts"
    __table_args__ = (
        # Covers the cube's GROUP BY (reports.metrics): read in order, no sort, no table access.
        Index("ix_report_ticket_facts_cube", "day", "weekday", "hour", "service_id", "counter_id", "user_id",
              "priority", "served", "no_show", "transferred", "cancelled", "wait_s", "service_s", "score"),
        # Percentiles read the tickets of a few buckets: covering, so no table access.
        Index("ix_report_ticket_facts_wait_b", "wait_b", "day", "wait_s", *DIM_COLUMNS),
        Index("ix_report_ticket_facts_service_b", "service_b", "day", "service_s", *DIM_COLUMNS),
    )

    ticket_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(Date)
    weekday: Mapped[int]
    hour: Mapped[int]
    service_id: Mapped[int]
    priority: Mapped[int]
    counter_id: Mapped[int | None]
    user_id: Mapped[int | None]
    wait_s: Mapped[float | None] = mapped_column(Float)
    service_s: Mapped[float | None] = mapped_column(Float)
    wait_b: Mapped[int | None]       # wait_s // 60: the histogram bucket
    service_b: Mapped[int | None]
    served: Mapped[int]
    no_show: Mapped[int]
    transferred: Mapped[int]
    cancelled: Mapped[int]
    score: Mapped[int | None]


class DurationHistogram(Base):
    """Per rolled-up day, grouping and key: how many tickets had a wait (measure 0) or service time (1) in
    each one-minute bucket. Percentiles find their bucket here and read only that bucket's tickets."""

    __tablename__ = "report_duration_hist"
    __table_args__ = (Index("ix_report_duration_hist_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    measure: Mapped[int]
    dim: Mapped[int]
    key: Mapped[int | None]
    bucket: Mapped[int]
    n: Mapped[int]


class RollupState(Base):
    """How far the rollup goes: every ticket issued on or before closed_through is in report_ticket_facts,
    computed from all its events with id ≤ last_event_id (and perhaps later ones)."""

    __tablename__ = "report_rollup_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    tz: Mapped[str] = mapped_column(String(64))
    closed_through: Mapped[date | None] = mapped_column(Date)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]
