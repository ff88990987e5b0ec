"""The schema exists only through migrations, and the migrations match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from youth_portal.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_audit_log_is_append_only(app):
    import pytest

    from youth_portal.audit.models import AuditLogIsAppendOnly
    from youth_portal.audit.services import record

    with app.test_request_context():
        event = record("test.event")
        db.session.commit()
        event.action = "changed"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        db.session.delete(event)
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
