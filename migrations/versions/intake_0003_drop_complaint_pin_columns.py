"""intake: drop complaints.pin_failures and complaints.pin_locked_until

Wrong PINs have been counted per (complaint, client) in ``complaint_pin_attempts`` since intake_0002; nothing
reads these two columns any more (the first was only ever written as 0).

Revision ID: intake_0003
Revises: intake_0002
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

import tambon.db

revision = "intake_0003"
down_revision = "intake_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ALTER TABLE … DROP COLUMN on both databases (SQLite since 3.35): a batch copy of the table would drop
    # complaints itself, which the tables referring to it refuse.
    for column in ("pin_locked_until", "pin_failures"):
        op.execute(f"ALTER TABLE complaints DROP COLUMN {column}")


def downgrade() -> None:
    op.add_column("complaints", sa.Column("pin_failures", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("complaints", sa.Column("pin_locked_until", tambon.db.UTCDateTime(), nullable=True))
