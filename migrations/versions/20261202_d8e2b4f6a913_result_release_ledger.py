"""result release ledger: every set of numbers about a consultation's respondents shown to the public or to staff

Revision ID: d8e2b4f6a913
Revises: c5d1a8e3f207
Create Date: 2026-12-02 13:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d8e2b4f6a913"
down_revision = "c5d1a8e3f207"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "result_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column(
            "audience",
            sa.Enum("public", "staff", name="releaseaudience", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column(
            "channel",
            sa.Enum("page", "json", "csv", name="releasechannel", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("shown", sa.JSON(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_result_releases_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_releases")),
        sa.UniqueConstraint(
            "consultation_id",
            "audience",
            "channel",
            "dimension",
            "number",
            name=op.f("uq_result_releases_consultation_id"),
        ),
    )
    with op.batch_alter_table("result_releases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_result_releases_consultation_id"), ["consultation_id"], unique=False)


def downgrade():
    with op.batch_alter_table("result_releases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_releases_consultation_id"))
    op.drop_table("result_releases")
