"""display: admin-set display settings (ticker line) and device heartbeats

Revision ID: display_0001
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

import tambon.db

revision = "display_0001"
down_revision = None
branch_labels = ("display",)
depends_on = ("tambon_0001",)


def upgrade() -> None:
    op.create_table(
        "display_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_display_settings")),
    )
    op.create_table(
        "display_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("page", sa.String(length=200), nullable=True),
        sa.Column("sound_on", sa.Boolean(), nullable=True),
        sa.Column("first_seen_at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", tambon.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_display_devices")),
        sa.UniqueConstraint("device_key", name=op.f("uq_display_devices_device_key")),
    )


def downgrade() -> None:
    op.drop_table("display_devices")
    op.drop_table("display_settings")
