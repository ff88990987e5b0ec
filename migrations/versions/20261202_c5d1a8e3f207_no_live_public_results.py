"""no live public results: the public sees a consultation's results once it has closed, never while open

Deterministic suppression cannot stop someone who owns a few accounts from reading one person's answers in the
change of live numbers, so the choice to show them (results_live) and the kept live tallies (live_results) go.
The downgrade restores both, empty: every consultation then shows its results after closing only, as now.

Revision ID: c5d1a8e3f207
Revises: a41d7c3e9b52
Create Date: 2026-12-02 13:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c5d1a8e3f207"
down_revision = "c7d2e5a18f64"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table("live_results")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("results_live")


def downgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("results_live", sa.Boolean(), nullable=False, server_default=sa.false()))
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
