"""kiosk: the durable print outbox (print_jobs)

Revision ID: kiosk_0002
Revises: kiosk_0001
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

import tambon.db

revision = "kiosk_0002"
down_revision = "kiosk_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("copy", sa.Boolean(), nullable=False),
        sa.Column("printer", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("claimed_at", tambon.db.UTCDateTime(), nullable=True),
        sa.Column("claimed_by", sa.String(length=128), nullable=True),
        sa.Column("printed_at", tambon.db.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("replaces_job_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["replaces_job_id"], ["print_jobs.id"],
                                name=op.f("fk_print_jobs_replaces_job_id_print_jobs")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_print_jobs_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_jobs")),
    )
    op.create_index("ix_print_jobs_due", "print_jobs", ["status", "next_attempt_at"])
    op.create_index("ix_print_jobs_printer", "print_jobs", ["printer", "status"])
    op.create_index("ix_print_jobs_ticket", "print_jobs", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_print_jobs_ticket", table_name="print_jobs")
    op.drop_index("ix_print_jobs_printer", table_name="print_jobs")
    op.drop_index("ix_print_jobs_due", table_name="print_jobs")
    op.drop_table("print_jobs")
