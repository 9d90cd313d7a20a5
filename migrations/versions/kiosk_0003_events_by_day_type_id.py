"""kiosk: ticket_events index (business_date, type, id), replacing (business_date, type)

The display's "last calls" read the newest few CALLED/RECALLED events of the day. With id as the index's
last column PostgreSQL reads just those rows backwards; without it, it sorted every call of the day.
(SQLite already keeps the rowid at the end of every index; the rebuilt index is the same there.)

Revision ID: kiosk_0003
Revises: kiosk_0002
Create Date: 2026-11-24
"""
from alembic import op

revision = "kiosk_0003"
down_revision = "kiosk_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ticket_events_day_type_id", "ticket_events", ["business_date", "type", "id"])
    op.drop_index("ix_ticket_events_date_type", table_name="ticket_events")


def downgrade() -> None:
    op.create_index("ix_ticket_events_date_type", "ticket_events", ["business_date", "type"])
    op.drop_index("ix_ticket_events_day_type_id", table_name="ticket_events")
