"""refusals counted by the hour: the first refused page of a person in an hour is an audit event, the next ones count
on it

Revision ID: 6d2b8f4e1c07
Revises: a41d7c3e9b52
Create Date: 2026-12-02 13:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6d2b8f4e1c07"
down_revision = "ac9f646c1c71"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "refusal_counts",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_refused_at", sa.DateTime(), nullable=False),
        sa.Column("last_path", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["audit_events.id"], name=op.f("fk_refusal_counts_event_id_audit_events")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_refusal_counts")),
    )


def downgrade():
    op.drop_table("refusal_counts")
