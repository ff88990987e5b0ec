"""two-step verification: an authenticator app's key, the last accepted time step, backup codes

Revision ID: 3e7a9d2c4b18
Revises: 165dddf722d0
Create Date: 2026-11-26 14:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3e7a9d2c4b18"
down_revision = "165dddf722d0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("two_step_key", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("two_step_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("backup_code_hashes", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("backup_code_hashes")
        batch_op.drop_column("two_step_last_step")
        batch_op.drop_column("two_step_key")
