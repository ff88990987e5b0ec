"""audit events name their target: the type (table name) and id of what was acted upon

Events about a consultation recorded before this revision name it in their detail ({"consultation_id": 7}); the
upgrade copies it into the new columns, leaving the detail as it was recorded (the log is append-only). The
downgrade puts it back into the detail of the events recorded since, so the older code still finds it.

Revision ID: a41d7c3e9b52
Revises: 3e7a9d2c4b18
Create Date: 2026-12-02 04:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a41d7c3e9b52"
down_revision = "3e7a9d2c4b18"
branch_labels = None
depends_on = None

audit_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("detail", sa.JSON()),
    sa.column("target_type", sa.String()),
    sa.column("target_id", sa.Integer()),
)
CONSULTATION_EVENTS = audit_events.c.action.like("consultation.%")


def upgrade():
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("target_type", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("target_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_audit_events_target", ["target_type", "target_id"], unique=False)
    connection = op.get_bind()
    rows = connection.execute(sa.select(audit_events.c.id, audit_events.c.detail).where(CONSULTATION_EVENTS)).all()
    for event_id, detail in rows:
        consultation_id = (detail or {}).get("consultation_id")
        if isinstance(consultation_id, int):
            connection.execute(
                audit_events.update()
                .where(audit_events.c.id == event_id)
                .values(target_type="consultations", target_id=consultation_id)
            )


def downgrade():
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(audit_events.c.id, audit_events.c.detail, audit_events.c.target_id).where(
            audit_events.c.target_type == "consultations"
        )
    ).all()
    for event_id, detail, target_id in rows:
        if (detail or {}).get("consultation_id") != target_id:
            connection.execute(
                audit_events.update()
                .where(audit_events.c.id == event_id)
                .values(detail={"consultation_id": target_id, **(detail or {})})
            )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_target")
        batch_op.drop_column("target_id")
        batch_op.drop_column("target_type")
