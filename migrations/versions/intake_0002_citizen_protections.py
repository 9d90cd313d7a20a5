"""intake: PIN attempts per (complaint, client), Open311 ids apart from tracking codes, probable duplicates

- ``complaint_pin_attempts``: wrong PINs counted per complaint and per client (a keyed hash of the address),
  so a stranger's guesses lock out only the stranger, never the citizen.
- ``complaints.open311_id``: the id Open311 lists and answers with; the tracking code (with the PIN, the key
  to the office's answer) is no longer published in the public list.
- ``complaints.duplicate_of_id``: a second submission of the same text is kept and marked for the officer.

Revision ID: intake_0002
Revises: intake_0001
Create Date: 2026-12-07
"""
import secrets

import sqlalchemy as sa
from alembic import op

import tambon.db

revision = "intake_0002"
down_revision = "intake_0001"
branch_labels = None
depends_on = None

OPEN311_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _open311_id() -> str:
    return "".join(secrets.choice(OPEN311_ALPHABET) for _ in range(12))


def upgrade() -> None:
    dt = tambon.db.UTCDateTime
    op.create_table(
        "complaint_pin_attempts",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", dt(), nullable=True),
        sa.Column("last_failed_at", dt(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_complaint_pin_attempts_complaint_id_complaints")),
        sa.PrimaryKeyConstraint("complaint_id", "client", name=op.f("pk_complaint_pin_attempts")),
    )
    op.add_column("complaints", sa.Column("open311_id", sa.String(length=16), nullable=True))
    op.add_column("complaints", sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
    complaints = sa.table("complaints", sa.column("id", sa.Integer()), sa.column("open311_id", sa.String()))
    bind = op.get_bind()
    for (cid,) in bind.execute(sa.select(complaints.c.id)).all():
        bind.execute(complaints.update().where(complaints.c.id == cid).values(open311_id=_open311_id()))
    op.create_index("ix_complaints_open311_id", "complaints", ["open311_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_complaints_open311_id", table_name="complaints")
    with op.batch_alter_table("complaints") as batch:
        batch.drop_column("duplicate_of_id")
        batch.drop_column("open311_id")
    op.drop_table("complaint_pin_attempts")
