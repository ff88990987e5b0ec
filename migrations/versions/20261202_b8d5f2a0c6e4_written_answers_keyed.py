"""written answers keyed: each answer holding a text someone wrote keeps what identical texts share, indexed, so that
written answers are grouped, sorted and paged by the database (answers written before this revision are keyed here)

Revision ID: b8d5f2a0c6e4
Revises: f1a6b3c8d2e7
Create Date: 2026-12-02 19:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b8d5f2a0c6e4"
down_revision = "f1a6b3c8d2e7"
branch_labels = None
depends_on = None

BATCH = 1000


def _key_what_was_written() -> None:
    """Key the answers already there with the app's own rule (which texts count as written lives in its code)."""
    from youth_portal.consultations.models import Question
    from youth_portal.consultations.results import written

    answers = sa.table(
        "answers",
        sa.column("id", sa.Integer),
        sa.column("question_id", sa.Integer),
        sa.column("choices", sa.JSON),
        sa.column("text", sa.Text),
        sa.column("text_key", sa.String),
    )
    connection = op.get_bind()
    questions = {
        question_id: Question(kind=kind, allow_other=allow_other)
        for question_id, kind, allow_other in connection.execute(
            sa.select(Question.id, Question.kind, Question.allow_other)
        )
    }
    last = 0
    while True:
        rows = connection.execute(
            sa.select(answers.c.id, answers.c.question_id, answers.c.choices, answers.c.text)
            .where(answers.c.id > last, answers.c.text.is_not(None))
            .order_by(answers.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        for answer_id, question_id, choices, text in rows:
            key = written.key_of(questions[question_id], choices, text)
            if key is not None:
                connection.execute(sa.update(answers).where(answers.c.id == answer_id).values(text_key=key))


def upgrade():
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("text_key", sa.String(length=250).with_variant(sa.String(250, collation="C"), "postgresql"))
        )
        batch_op.create_index("ix_answers_question_id_text_key", ["question_id", "text_key"], unique=False)
        batch_op.create_index(
            "ix_answers_quotes",
            ["question_id", "text_key"],
            unique=False,
            sqlite_where=sa.text("quote_approved_at IS NOT NULL"),
            postgresql_where=sa.text("quote_approved_at IS NOT NULL"),
        )
    _key_what_was_written()


def downgrade():
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_index("ix_answers_quotes")
        batch_op.drop_index("ix_answers_question_id_text_key")
        batch_op.drop_column("text_key")
