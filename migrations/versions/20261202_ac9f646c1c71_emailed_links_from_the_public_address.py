"""emailed links from the public address: consultation updates no longer keep the address of the site they were
made on (the worker builds their links from PUBLIC_URL, like every other email)

Revision ID: ac9f646c1c71
Revises: a41d7c3e9b52
Create Date: 2026-12-02 13:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ac9f646c1c71"
down_revision = "a41d7c3e9b52"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultation_updates", schema=None) as batch_op:
        batch_op.drop_column("site_url")


def downgrade():
    with op.batch_alter_table("consultation_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("site_url", sa.String(length=200), nullable=False, server_default=""))
