"""reports: the measure report's text and photo evidence per fiscal year, the log of documents produced

Seeds fiscal year 2565 with the office's own report (reports/seed.py); later years are carried forward
from it on first use and edited by an admin.

Revision ID: reports_0001
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

import tambon.db

revision = "reports_0001"
down_revision = None
branch_labels = ("reports",)
depends_on = ("tambon_0001",)


def upgrade() -> None:
    measures = op.create_table(
        "report_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=200), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=False),
        sa.Column("updated_at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_report_measures_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_measures")),
        sa.UniqueConstraint("fiscal_year", "number", name=op.f("uq_report_measures_fiscal_year_number")),
    )
    op.create_table(
        "report_measure_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", tambon.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["measure_id"], ["report_measures.id"], ondelete="CASCADE",
                                name=op.f("fk_report_measure_photos_measure_id_report_measures")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_measure_photos")),
    )
    op.create_index("ix_report_measure_photos_measure", "report_measure_photos", ["measure_id", "position"])
    op.create_table(
        "report_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=True),
        sa.Column("fmt", sa.String(length=8), nullable=False),
        sa.Column("created_at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_report_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_log")),
    )
    op.create_index("ix_report_log_kind_year", "report_log", ["kind", "fiscal_year"])

    from datetime import UTC, datetime

    from reports.seed import FISCAL_YEAR, MEASURES, PERIOD

    now = datetime.now(UTC)
    op.bulk_insert(measures, [dict(fiscal_year=FISCAL_YEAR, period=PERIOD, updated_at=now, **m) for m in MEASURES])


def downgrade() -> None:
    op.drop_index("ix_report_log_kind_year", table_name="report_log")
    op.drop_table("report_log")
    op.drop_index("ix_report_measure_photos_measure", table_name="report_measure_photos")
    op.drop_table("report_measure_photos")
    op.drop_table("report_measures")
