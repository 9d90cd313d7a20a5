"""intake: complaints, their append-only event log, attachments, personal-data access log, holidays

Revision ID: intake_0001
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

import tambon.db

revision = "intake_0001"
down_revision = None
branch_labels = ("intake",)
depends_on = ("tambon_0001",)

APPEND_ONLY = ("complaint_events", "complaint_access_log")


def _sqlite_triggers(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
    ]


# The same function the kiosk branch creates; CREATE OR REPLACE because branches run in any order.
PG_FUNCTION = """CREATE OR REPLACE FUNCTION tambon_append_only() RETURNS trigger AS $$
   BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"""


def _pg_trigger(table: str) -> str:
    return (f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION tambon_append_only()")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    dt = tambon.db.UTCDateTime
    op.create_table(
        "holidays",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name_th", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_holidays")),
    )
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracking_code", sa.String(length=16), nullable=False),
        sa.Column("pin_hash", sa.String(length=128), nullable=False),
        sa.Column("pin_failures", sa.Integer(), nullable=False),
        sa.Column("pin_locked_until", dt(), nullable=True),
        sa.Column("type", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=24), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("contact_line_id", sa.String(length=100), nullable=True),
        sa.Column("notify_citizen", sa.Boolean(), nullable=False),
        sa.Column("consent_at", dt(), nullable=True),
        sa.Column("named_staff_user_id", sa.Integer(), nullable=True),
        sa.Column("named_staff_text", sa.String(length=200), nullable=True),
        sa.Column("division", sa.String(length=100), nullable=True),
        sa.Column("assigned_user_id", sa.Integer(), nullable=True),
        sa.Column("forwarded_to", sa.String(length=200), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("public_answer", sa.Text(), nullable=True),
        sa.Column("received_at", dt(), nullable=False),
        sa.Column("ack_due_at", dt(), nullable=False),
        sa.Column("due_at", dt(), nullable=False),
        sa.Column("original_due_at", dt(), nullable=False),
        sa.Column("acknowledged_at", dt(), nullable=True),
        sa.Column("answered_at", dt(), nullable=True),
        sa.Column("first_answered_at", dt(), nullable=True),
        sa.Column("closed_at", dt(), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("dedupe_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("personal_data_purged_at", dt(), nullable=True),
        sa.Column("updated_at", dt(), nullable=False),
        sa.ForeignKeyConstraint(["assigned_user_id"], ["users.id"], name=op.f("fk_complaints_assigned_user_id_users")),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"],
                                name=op.f("fk_complaints_created_by_user_id_users")),
        sa.ForeignKeyConstraint(["named_staff_user_id"], ["users.id"],
                                name=op.f("fk_complaints_named_staff_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("tracking_code", name=op.f("uq_complaints_tracking_code")),
    )
    op.create_index("ix_complaints_status_due", "complaints", ["status", "due_at"])
    op.create_index("ix_complaints_received", "complaints", ["received_at"])
    op.create_index("ix_complaints_dedupe", "complaints", ["dedupe_hash", "received_at"])
    op.create_table(
        "complaint_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("at", dt(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_complaint_events_complaint_id_complaints")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_complaint_events_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_events")),
    )
    op.create_index("ix_complaint_events_complaint", "complaint_events", ["complaint_id", "id"])
    op.create_table(
        "complaint_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", dt(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_complaint_attachments_complaint_id_complaints")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_attachments")),
    )
    op.create_index(op.f("ix_complaint_attachments_complaint_id"), "complaint_attachments", ["complaint_id"])
    op.create_table(
        "complaint_access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", dt(), nullable=False),
        sa.Column("what", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_complaint_access_log_complaint_id_complaints")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_complaint_access_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_access_log")),
    )
    op.create_index("ix_complaint_access_log_complaint", "complaint_access_log", ["complaint_id", "at"])
    if sqlite:
        for table in APPEND_ONLY:
            for statement in _sqlite_triggers(table):
                op.execute(statement)
    else:
        op.execute(PG_FUNCTION)
        for table in APPEND_ONLY:
            op.execute(_pg_trigger(table))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in APPEND_ONLY:
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    op.drop_table("complaint_access_log")
    op.drop_table("complaint_attachments")
    op.drop_table("complaint_events")
    op.drop_table("complaints")
    op.drop_table("holidays")
