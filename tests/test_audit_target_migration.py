"""Migration a41d7c3e9b52: audit events name their target; the consultation named in the detail of older events
becomes their target, and going down puts the target of newer events back in their detail."""

import json

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from youth_portal import create_app
from youth_portal.extensions import db

BEFORE = "3e7a9d2c4b18"


def events(connection) -> list[dict]:
    return [dict(row) for row in connection.execute(sa.text("SELECT * FROM audit_events ORDER BY id")).mappings()]


def test_older_events_about_a_consultation_get_it_as_their_target_and_back(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrations.db'}"})
    insert = sa.text("INSERT INTO audit_events (occurred_at, action, detail) VALUES ('2026-11-30 10:00:00', :a, :d)")
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(insert, {"a": "consultation.closed", "d": json.dumps({"consultation_id": 7})})
            connection.execute(insert, {"a": "role.granted", "d": json.dumps({"role": "staff"})})
        upgrade()
        with db.engine.begin() as connection:
            closed, granted = events(connection)
            assert (closed["target_type"], closed["target_id"]) == ("consultations", 7)
            assert json.loads(closed["detail"]) == {"consultation_id": 7}  # as recorded: the log is append-only
            assert (granted["target_type"], granted["target_id"]) == (None, None)
            connection.execute(
                sa.text(
                    "INSERT INTO audit_events (occurred_at, action, detail, target_type, target_id) "
                    "VALUES ('2026-12-02 10:00:00', 'consultation.edited', :d, 'consultations', 8)"
                ),
                {"d": json.dumps({"changed": ["title"]})},
            )
        downgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            closed, granted, edited = events(connection)
            assert "target_type" not in closed
            assert json.loads(closed["detail"]) == {"consultation_id": 7}
            assert json.loads(granted["detail"]) == {"role": "staff"}
            assert json.loads(edited["detail"]) == {"consultation_id": 8, "changed": ["title"]}
        upgrade()
        db.engine.dispose()
