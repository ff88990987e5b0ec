"""public address and private session values: consultation updates no longer keep the address of the site they were
made on (the worker builds their links from PUBLIC_URL, like every other email); what a session must not carry in its
cookie (an authenticator key being set up, the addresses typed when registering) is kept on the server

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
    op.create_table(
        "private_session_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_private_session_values")),
    )
    with op.batch_alter_table("private_session_values", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_private_session_values_session_hash"), ["session_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_private_session_values_expires_at"), ["expires_at"], unique=False)


def downgrade():
    op.drop_table("private_session_values")
    with op.batch_alter_table("consultation_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("site_url", sa.String(length=200), nullable=False, server_default=""))
