"""result counts: a consultation's results kept as counts by question, answer and group, summed when shown (the
consultations answered before this revision are counted once, here)

Revision ID: a7c4e1f9b3d2
Revises: b8d5f2a0c6e4
Create Date: 2026-12-02 19:00:00.000000

"""

import sqlalchemy as sa
import sqlalchemy.orm as so
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c4e1f9b3d2"
down_revision = "b8d5f2a0c6e4"
branch_labels = None
depends_on = None


def _count_what_was_answered() -> None:
    """Count the responses already there, with the app's own counting (the kinds' tallies live in its code)."""
    from youth_portal.consultations.models import Consultation, Response, ResponseStatus
    from youth_portal.consultations.results import counts
    from youth_portal.extensions import db

    session = so.Session(bind=op.get_bind())
    answered = sa.select(Response.consultation_id).where(Response.status == ResponseStatus.SUBMITTED)
    previous = db.session
    db.session = session  # type: ignore[assignment]  # counts.rebuild works in the app's session
    try:
        for consultation in session.scalars(sa.select(Consultation).where(Consultation.id.in_(answered))):
            counts.rebuild(consultation)
        session.flush()
    finally:
        db.session = previous  # type: ignore[assignment]


def upgrade():
    op.create_table(
        "result_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("age_band", sa.String(length=10), nullable=False),
        sa.Column("gender", sa.String(length=30), nullable=False),
        sa.Column("district", sa.String(length=80), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("rank_sum", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_result_counts_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_counts")),
    )
    with op.batch_alter_table("result_counts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_result_counts_consultation_id"), ["consultation_id"], unique=False)
    _count_what_was_answered()


def downgrade():
    with op.batch_alter_table("result_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_counts_consultation_id"))
    op.drop_table("result_counts")
