"""queued emails: what requests leave to the worker (MAIL_WORKER), kept until sent

Revision ID: 165dddf722d0
Revises: 8c3f1e2a7b95
Create Date: 2026-11-26 09:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "165dddf722d0"
down_revision = "8c3f1e2a7b95"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "queued_emails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queued_emails")),
    )


def downgrade():
    op.drop_table("queued_emails")
