"""kiosk: print-job indexes that find the next job and a failing printer's retry time without reading the
whole backlog

The claim (the oldest due pending job) walked every pending row through (status, next_attempt_at) and sorted
them by id; the issue hook's "is this printer failing?" walked every pending row of the printer. Both grew
with the backlog — on the issuing path, inside SQLite's write lock. Now (status, id, next_attempt_at) gives
the oldest pending job first, and (printer, status, attempts, next_attempt_at) reaches only the jobs that
have failed at least once.

Revision ID: kiosk_0005
Revises: kiosk_0004
Create Date: 2026-12-07
"""
from alembic import op

revision = "kiosk_0005"
down_revision = "kiosk_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_print_jobs_due", table_name="print_jobs")
    op.drop_index("ix_print_jobs_printer", table_name="print_jobs")
    op.create_index("ix_print_jobs_due", "print_jobs", ["status", "id", "next_attempt_at"])
    op.create_index("ix_print_jobs_printer", "print_jobs", ["printer", "status", "attempts", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_print_jobs_due", table_name="print_jobs")
    op.drop_index("ix_print_jobs_printer", table_name="print_jobs")
    op.create_index("ix_print_jobs_due", "print_jobs", ["status", "next_attempt_at"])
    op.create_index("ix_print_jobs_printer", "print_jobs", ["printer", "status"])
