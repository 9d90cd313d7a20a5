"""reports: the queue rollup — per-ticket facts and per-day duration histograms of closed business days

Derived from kiosk's ticket_events (reports/rollup.py fills it; dropping it loses nothing).

Revision ID: reports_0002
Revises: reports_0001
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

import tambon.db

revision = "reports_0002"
down_revision = "reports_0001"
branch_labels = None
depends_on = ("kiosk_0001",)


def upgrade() -> None:
    op.create_table(
        "report_ticket_facts",
        sa.Column("ticket_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("wait_s", sa.Float(), nullable=True),
        sa.Column("service_s", sa.Float(), nullable=True),
        sa.Column("wait_b", sa.Integer(), nullable=True),
        sa.Column("service_b", sa.Integer(), nullable=True),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("no_show", sa.Integer(), nullable=False),
        sa.Column("transferred", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_report_ticket_facts")),
    )
    op.create_index("ix_report_ticket_facts_cube", "report_ticket_facts",
                    ["day", "weekday", "hour", "service_id", "counter_id", "user_id", "priority", "served", "no_show",
                     "transferred", "cancelled", "wait_s", "service_s", "score"])
    dims = ["service_id", "counter_id", "user_id", "weekday", "hour", "priority"]
    op.create_index("ix_report_ticket_facts_wait_b", "report_ticket_facts", ["wait_b", "day", "wait_s", *dims])
    op.create_index("ix_report_ticket_facts_service_b", "report_ticket_facts", ["service_b", "day", "service_s", *dims])
    op.create_table(
        "report_duration_hist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("measure", sa.Integer(), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("key", sa.Integer(), nullable=True),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_duration_hist")),
    )
    op.create_index("ix_report_duration_hist_day", "report_duration_hist", ["day"])
    op.create_table(
        "report_rollup_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("closed_through", sa.Date(), nullable=True),
        sa.Column("last_event_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", tambon.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_rollup_state")),
    )


def downgrade() -> None:
    op.drop_table("report_rollup_state")
    op.drop_index("ix_report_duration_hist_day", table_name="report_duration_hist")
    op.drop_table("report_duration_hist")
    op.drop_index("ix_report_ticket_facts_service_b", table_name="report_ticket_facts")
    op.drop_index("ix_report_ticket_facts_wait_b", table_name="report_ticket_facts")
    op.drop_index("ix_report_ticket_facts_cube", table_name="report_ticket_facts")
    op.drop_table("report_ticket_facts")
