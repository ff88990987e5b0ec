"""consultation updates: emailed to respondents in batches, resumable, by the request or a worker

Revision ID: 5b7e2c9d1a40
Revises: 1dcd47df70f0
Create Date: 2026-11-26 07:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5b7e2c9d1a40"
down_revision = "1dcd47df70f0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultation_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("emailed_through", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("emailed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("site_url", sa.String(length=200), nullable=False, server_default=""))
    # Updates made before this revision were emailed while their page was answered.
    op.execute("UPDATE consultation_updates SET emailed_at = created_at")


def downgrade():
    with op.batch_alter_table("consultation_updates", schema=None) as batch_op:
        batch_op.drop_column("site_url")
        batch_op.drop_column("emailed_at")
        batch_op.drop_column("emailed_through")
