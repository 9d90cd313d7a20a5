"""kiosk: counters.spoken_name, what the voice announces for a counter ("ช่อง 2", "โต๊ะ 3")

Existing counters get "ช่อง N" with N the number in their name (else their id): what calls said so far.

Revision ID: kiosk_0004
Revises: kiosk_0003
Create Date: 2026-12-07
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "kiosk_0004"
down_revision = "kiosk_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("counters") as batch:
        batch.add_column(sa.Column("spoken_name", sa.String(length=100), nullable=False, server_default=""))
    counters = sa.table("counters", sa.column("id", sa.Integer()), sa.column("name", sa.String()),
                        sa.column("spoken_name", sa.String()))
    db = op.get_bind()
    for counter_id, name in db.execute(sa.select(counters.c.id, counters.c.name)).all():
        found = re.findall(r"\d+", name or "")
        number = int(found[-1]) if found and 1 <= int(found[-1]) <= 999 else counter_id
        db.execute(counters.update().where(counters.c.id == counter_id).values(spoken_name=f"ช่อง {number}"))


def downgrade() -> None:
    with op.batch_alter_table("counters") as batch:
        batch.drop_column("spoken_name")
