"""kiosk: services, counters, tickets, daily numbering and the append-only ticket event log

Revision ID: kiosk_0001
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

import tambon.db

revision = "kiosk_0001"
down_revision = None
branch_labels = ("kiosk",)
depends_on = ("tambon_0001",)

# The event log is the evidence behind every reported wait and service time: refuse edits and deletes.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
       BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END""",
    """CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
       BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END""",
]
PG_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION tambon_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER ticket_events_append_only BEFORE UPDATE OR DELETE ON ticket_events
       FOR EACH ROW EXECUTE FUNCTION tambon_append_only()""",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("prefix", sa.String(length=3), nullable=False),
        sa.Column("name_th", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("opens_at", sa.Time(), nullable=False),
        sa.Column("closes_at", sa.Time(), nullable=False),
        sa.Column("open_days", sa.String(length=7), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
        sa.UniqueConstraint("code", name=op.f("uq_services_code")),
        sa.UniqueConstraint("prefix", name=op.f("uq_services_prefix")),
    )
    # counters.current_ticket_id and tickets.counter_id reference each other: SQLite takes the forward
    # reference inline; PostgreSQL gets it by ALTER once both tables exist.
    counter_fk = [sa.ForeignKeyConstraint(["current_ticket_id"], ["tickets.id"],
                                          name=op.f("fk_counters_current_ticket_id_tickets"))] if sqlite else []
    op.create_table(
        "counters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("current_ticket_id", sa.Integer(), nullable=True),
        sa.Column("priority_streak", sa.Integer(), nullable=False),
        *counter_fk,
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counters")),
        sa.UniqueConstraint("name", name=op.f("uq_counters_name")),
    )
    op.create_table(
        "counter_services",
        sa.Column("counter_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_counter_services_counter_id_counters")),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"], name=op.f("fk_counter_services_service_id_services")),
        sa.PrimaryKeyConstraint("counter_id", "service_id", name=op.f("pk_counter_services")),
    )
    op.create_table(
        "daily_sequences",
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"], name=op.f("fk_daily_sequences_service_id_services")),
        sa.PrimaryKeyConstraint("business_date", "service_id", name=op.f("pk_daily_sequences")),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("issued_service_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=8), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("issued_at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("queued_at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("first_called_at", tambon.db.UTCDateTime(), nullable=True),
        sa.Column("last_called_at", tambon.db.UTCDateTime(), nullable=True),
        sa.Column("finished_at", tambon.db.UTCDateTime(), nullable=True),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("recalls", sa.Integer(), nullable=False),
        sa.Column("kiosk", sa.String(length=64), nullable=True),
        sa.CheckConstraint("number > 0", name=op.f("ck_tickets_positive_number")),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_tickets_counter_id_counters")),
        sa.ForeignKeyConstraint(["issued_service_id"], ["services.id"],
                                name=op.f("fk_tickets_issued_service_id_services")),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"], name=op.f("fk_tickets_service_id_services")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("business_date", "issued_service_id", "number",
                            name=op.f("uq_tickets_business_date_issued_service_id_number")),
        sa.UniqueConstraint("public_id", name=op.f("uq_tickets_public_id")),
    )
    op.create_index("ix_tickets_queue", "tickets", ["business_date", "service_id", "status", "priority", "queued_at"])
    if not sqlite:
        op.create_foreign_key(op.f("fk_counters_current_ticket_id_tickets"), "counters", "tickets",
                              ["current_ticket_id"], ["id"])
    op.create_table(
        "ticket_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("at", tambon.db.UTCDateTime(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_ticket_events_counter_id_counters")),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"], name=op.f("fk_ticket_events_service_id_services")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_events_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_ticket_events_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_events")),
    )
    op.create_index("ix_ticket_events_date_type", "ticket_events", ["business_date", "type"])
    op.create_index("ix_ticket_events_ticket", "ticket_events", ["ticket_id", "id"])
    for statement in SQLITE_TRIGGERS if sqlite else PG_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS ticket_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS ticket_events_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS ticket_events_append_only ON ticket_events")
        op.drop_constraint(op.f("fk_counters_current_ticket_id_tickets"), "counters", type_="foreignkey")
    op.drop_table("ticket_events")
    op.drop_table("tickets")
    op.drop_table("daily_sequences")
    op.drop_table("counter_services")
    op.drop_table("counters")
    op.drop_table("services")
