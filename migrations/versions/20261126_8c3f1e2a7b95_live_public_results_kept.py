"""live public results: the tallies the public sees while a consultation is open, taken in steps of k people

Revision ID: 8c3f1e2a7b95
Revises: 5b7e2c9d1a40
Create Date: 2026-11-26 07:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8c3f1e2a7b95"
down_revision = "5b7e2c9d1a40"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "live_results",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("tallies", sa.JSON(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_live_results_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultation_id", name=op.f("pk_live_results")),
    )


def downgrade():
    op.drop_table("live_results")
