"""Fixtures: an app on a migrated database (SQLite, or TEST_DATABASE_URL), a client, a runner."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_migrate import upgrade

from support import TEST_SETTINGS, empty_tables, make_city
from youth_portal import PROJECT_ROOT, create_app
from youth_portal.config import database_url as normalise_url
from youth_portal.extensions import cache, db, limiter


def compile_catalogues() -> None:
    """Compile every shipped catalogue, as `make` does (.mo files are never committed)."""
    for po_path in (PROJECT_ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A freshly migrated database for the whole run."""
    compile_catalogues()
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = normalise_url_for_tests(url)
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app(TEST_SETTINGS | {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def normalise_url_for_tests(url: str) -> str:
    os.environ["DATABASE_URL"] = url
    try:
        return normalise_url("")
    finally:
        del os.environ["DATABASE_URL"]


@pytest.fixture(scope="session")
def _app(database_url):
    """The app of every test, made once (building its URL map takes longer than most tests)."""
    app = create_app(TEST_SETTINGS | {"SQLALCHEMY_DATABASE_URI": database_url})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_app, tmp_path):
    """The app, with an outbox folder of this test's own. Afterwards its settings are put back, every table is
    emptied, and the kept pages and rate limits are forgotten: each test starts as on a new app."""
    settings = _app.config.copy()
    _app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    yield _app
    _app.config.clear()
    _app.config.update(settings)
    with _app.app_context():
        db.session.remove()
        empty_tables()
        cache.clear()
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app) -> Path:
    return Path(app.config["MAIL_OUTBOX"])


@pytest.fixture
def clock(time_machine):
    """The time, moved by the test instead of waited for: `clock.shift(timedelta(minutes=5))`. It starts now and
    runs on, and moves every clock the app reads (utcnow, date.today, time.time), those of the libraries too (the
    page cache's expiry, the rate limits, signed links): time-machine."""
    time_machine.move_to(datetime.now(UTC), tick=True)
    return time_machine


@pytest.fixture
def english(client):
    """The client's browser asks for English (Murcia's pages would otherwise be in its default language, Spanish).
    A module whose every test reads English says `pytestmark = pytest.mark.usefixtures("english")`."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def visitor(app):
    """Someone who is not signed in, reading English."""
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser


@pytest.fixture
def murcia(app) -> int:
    """Murcia, Spain (Spanish by default, and English; ages 13 to 30, below 14 a guardian consents): its id."""
    with app.app_context():
        return make_city("murcia").id
