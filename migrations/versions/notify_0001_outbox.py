"""notify: how a citizen is reached (notify_links) and the durable notification outbox (notify_outbox)

Revision ID: notify_0001
Revises:
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

import tambon.db

revision = "notify_0001"
down_revision = None
branch_labels = ("notify",)
depends_on = ("tambon_0001",)


def upgrade() -> None:
    op.create_table(
        "notify_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=True),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=True),
        sa.Column("link_code", sa.String(length=8), nullable=True),
        sa.Column("code_expires_at", tambon.db.UTCDateTime(), nullable=True),
        sa.Column("consent_text", sa.Text(), nullable=True),
        sa.Column("created_at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("linked_at", tambon.db.UTCDateTime(), nullable=True),
        sa.Column("stopped_at", tambon.db.UTCDateTime(), nullable=True),
        sa.Column("stop_reason", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_links")),
        sa.UniqueConstraint("link_code", name="uq_notify_links_link_code"),
    )
    op.create_index("ix_notify_links_subject", "notify_links", ["subject_kind", "subject_id", "status"])
    op.create_index("ix_notify_links_address", "notify_links", ["channel", "address", "status"])
    op.create_table(
        "notify_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("subject_kind", sa.String(length=16), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply_token", sa.String(length=100), nullable=True),
        sa.Column("sender_hash", sa.String(length=64), nullable=True),
        sa.Column("retry_key", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("first_attempt_at", tambon.db.UTCDateTime(), nullable=True),
        sa.Column("claimed_at", tambon.db.UTCDateTime(), nullable=True),
        sa.Column("claimed_by", sa.String(length=128), nullable=True),
        sa.Column("sent_at", tambon.db.UTCDateTime(), nullable=True),
        sa.Column("provider_ref", sa.String(length=100), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["link_id"], ["notify_links.id"], name=op.f("fk_notify_outbox_link_id_notify_links")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_outbox")),
        sa.UniqueConstraint("link_id", "dedupe_key", name="uq_notify_outbox_link_id"),
    )
    op.create_index("ix_notify_outbox_due", "notify_outbox", ["status", "next_attempt_at"])
    op.create_index("ix_notify_outbox_subject", "notify_outbox", ["subject_kind", "subject_id"])
    op.create_index("ix_notify_outbox_channel_created", "notify_outbox", ["channel", "created_at"])


def downgrade() -> None:
    op.drop_table("notify_outbox")
    op.drop_table("notify_links")
