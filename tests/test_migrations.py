"""Every migration goes up and comes down again: from an empty database to the newest revision, back to nothing,
and up again, after which the schema matches the models. In a database of its own, of the run's kind (SQLite, or
PostgreSQL beside TEST_DATABASE_URL), so that the database every other test uses is never touched."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from support import TEST_SETTINGS
from youth_portal import create_app
from youth_portal.extensions import db


@pytest.fixture
def own_database(tmp_path):
    """The URL of an empty database for this test alone, dropped afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    server = sa.make_url(url).set(drivername="postgresql+psycopg")
    name = f"{server.database}_migrations"
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def what_exists() -> tuple[set[str], list]:
    """The tables of the database, and its enum types (PostgreSQL keeps them apart from the tables)."""
    inspector = sa.inspect(db.engine)
    enums = inspector.get_enums() if db.engine.dialect.name == "postgresql" else []
    return set(inspector.get_table_names()), enums


def test_migrations_go_up_down_to_nothing_and_up_again_to_the_models(own_database, tmp_path):
    app = create_app(TEST_SETTINGS | {"SQLALCHEMY_DATABASE_URI": own_database, "MAIL_OUTBOX": str(tmp_path)})
    with app.app_context():
        upgrade()
        tables, _enums = what_exists()
        assert {table.name for table in db.metadata.sorted_tables} <= tables

        downgrade(revision="base")
        assert what_exists() == ({"alembic_version"}, [])  # nothing left behind that the next upgrade would trip on

        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()
