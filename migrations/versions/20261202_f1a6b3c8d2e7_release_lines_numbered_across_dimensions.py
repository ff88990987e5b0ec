"""release lines numbered across dimensions, results settings fixed by the first response: a consultation's releases
to one audience through one channel share one sequence, so that two breakdowns released at the same moment are
decided one after the other; a consultation's results settings are fixed when its first response is submitted (those
with responses and no settings yet get their city's now)

Revision ID: f1a6b3c8d2e7
Revises: e3f7c9a1b284
Create Date: 2026-12-02 18:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f1a6b3c8d2e7"
down_revision = "e3f7c9a1b284"
branch_labels = None
depends_on = None

CONSTRAINT = "uq_result_releases_consultation_id"


def _renumber() -> None:
    """Number each line's releases 1, 2, ... in the order they were made (before, each dimension had its own)."""
    releases = sa.table(
        "result_releases",
        sa.column("id", sa.Integer),
        sa.column("consultation_id", sa.Integer),
        sa.column("audience", sa.String),
        sa.column("channel", sa.String),
        sa.column("number", sa.Integer),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(releases.c.id, releases.c.consultation_id, releases.c.audience, releases.c.channel).order_by(
            releases.c.consultation_id, releases.c.audience, releases.c.channel, releases.c.id
        )
    ).all()
    numbers: dict[tuple, int] = {}
    for release_id, *line in rows:
        numbers[tuple(line)] = numbers.get(tuple(line), 0) + 1
        connection.execute(sa.update(releases).where(releases.c.id == release_id).values(number=numbers[tuple(line)]))


#: The age bands of results, as statistics.demographics names them at this revision.
AGE_BANDS = ["13-15", "16-17", "18-24", "25-30"]


def _fix_result_settings() -> None:
    consultations = sa.table(
        "consultations",
        sa.column("id", sa.Integer),
        sa.column("city_id", sa.Integer),
        sa.column("result_settings", sa.JSON(none_as_null=True)),
    )
    cities = sa.table(
        "cities", sa.column("id", sa.Integer), sa.column("suppression_k", sa.Integer), sa.column("districts", sa.JSON)
    )
    responses = sa.table("responses", sa.column("consultation_id", sa.Integer), sa.column("status", sa.String))
    connection = op.get_bind()
    answered = sa.exists().where(responses.c.consultation_id == consultations.c.id, responses.c.status == "submitted")
    rows = connection.execute(
        sa.select(consultations.c.id, cities.c.suppression_k, cities.c.districts)
        .join(cities, cities.c.id == consultations.c.city_id)
        .where(consultations.c.result_settings.is_(None), answered)
    ).all()
    for consultation_id, k, districts in rows:
        settings = {"k": k, "districts": list(districts or []), "age_bands": AGE_BANDS}
        connection.execute(
            sa.update(consultations).where(consultations.c.id == consultation_id).values(result_settings=settings)
        )


def upgrade():
    _fix_result_settings()
    with op.batch_alter_table("result_releases", schema=None) as batch_op:
        batch_op.drop_constraint(CONSTRAINT, type_="unique")
    _renumber()
    with op.batch_alter_table("result_releases", schema=None) as batch_op:
        batch_op.create_unique_constraint(CONSTRAINT, ["consultation_id", "audience", "channel", "number"])


def downgrade():
    with op.batch_alter_table("result_releases", schema=None) as batch_op:
        batch_op.drop_constraint(CONSTRAINT, type_="unique")
        batch_op.create_unique_constraint(CONSTRAINT, ["consultation_id", "audience", "channel", "dimension", "number"])
