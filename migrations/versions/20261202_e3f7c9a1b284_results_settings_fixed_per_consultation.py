"""results settings fixed per consultation: the k, districts and age bands its results use, fixed by its first
results with answers (None until then); consultations with results before this revision fix them on their next view

Revision ID: e3f7c9a1b284
Revises: d8e2b4f6a913
Create Date: 2026-12-02 14:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e3f7c9a1b284"
down_revision = "d8e2b4f6a913"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("result_settings", sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("result_settings")
