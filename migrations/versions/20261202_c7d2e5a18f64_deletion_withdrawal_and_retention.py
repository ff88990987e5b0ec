"""deletion, withdrawal and retention: responses can be unlinked and withdrawn, participation records, no gender text

A response's person may now be unlinked (account deleted, or the retention period of an anonymous consultation
ended); a guardian's withdrawal marks the responses given under their consent. What a person typed to describe their
gender was collected and never used: the column is dropped with what it held (the downgrade brings the column back,
empty).

Revision ID: c7d2e5a18f64
Revises: a41d7c3e9b52
Create Date: 2026-12-02 13:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7d2e5a18f64"
down_revision = "6d2b8f4e1c07"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
        batch_op.drop_column("gender_description")
    op.create_table(
        "participation_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("unlinked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("consultation_id", "user_id"),
    )
    with op.batch_alter_table("participation_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participation_records_consultation_id"), ["consultation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_participation_records_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("participation_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_records_user_id"))
        batch_op.drop_index(batch_op.f("ix_participation_records_consultation_id"))
    op.drop_table("participation_records")
    # The older code needs a person on every response and would count the withdrawn ones: both go.
    gone = "user_id IS NULL OR withdrawn_at IS NOT NULL"
    op.execute(sa.text(f"DELETE FROM answers WHERE response_id IN (SELECT id FROM responses WHERE {gone})"))
    op.execute(sa.text(f"DELETE FROM responses WHERE {gone}"))
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gender_description", sa.String(length=60), nullable=True))
        batch_op.drop_column("withdrawn_at")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
