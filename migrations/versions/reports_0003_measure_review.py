"""reports: the reviewed-for-this-year state of the measure report's carried-over cells

Revision ID: reports_0003
Revises: reports_0002
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "reports_0003"
down_revision = "reports_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_measures") as batch:
        batch.add_column(sa.Column("unreviewed", sa.String(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("carried_from", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_measures") as batch:
        batch.drop_column("carried_from")
        batch.drop_column("unreviewed")
