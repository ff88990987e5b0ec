"""Configuration: safe defaults, refusal to run in production without a real secret key or the site's address, and
a secret key of its own for every development app."""

import stat
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from support import TEST_SETTINGS, make_user
from youth_portal import create_app
from youth_portal.accounts.models import NetworkRole
from youth_portal.config import PUBLIC_DEVELOPMENT_KEY, ConfigurationError, database_url
from youth_portal.extensions import db

#: Settings of a development app as a developer runs it: no SECRET_KEY.
DEVELOPMENT = {key: value for key, value in TEST_SETTINGS.items() if key != "SECRET_KEY"}


@pytest.fixture
def production(monkeypatch, tmp_path):
    """The environment of production, complete; each test takes one setting away or spoils it."""
    monkeypatch.setenv("YOUTH_PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-value-from-the-operator")
    monkeypatch.setenv("PUBLIC_URL", "https://youth.example.org")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    return monkeypatch


@pytest.mark.parametrize("key", [None, "", PUBLIC_DEVELOPMENT_KEY])
def test_production_refuses_a_missing_or_public_secret_key(production, key):
    if key is None:
        production.delenv("SECRET_KEY")
    else:
        production.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("address", [None, "", "http://youth.example.org"])
def test_production_refuses_to_start_without_the_sites_https_address(production, address):
    if address is None:
        production.delenv("PUBLIC_URL")
    else:
        production.setenv("PUBLIC_URL", address)
    with pytest.raises(ConfigurationError, match="PUBLIC_URL"):
        create_app()


@pytest.mark.parametrize(
    "address", ["youth.example.org", "https://youth.example.org/portal", "ftp://youth.example.org", "https://"]
)
def test_a_public_address_that_is_not_a_sites_address_is_refused(address):
    with pytest.raises(ConfigurationError, match="PUBLIC_URL"):
        create_app(TEST_SETTINGS | {"SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_URL": address})


def test_production_with_a_real_key_uses_secure_host_only_cookies(production):
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["TRUSTED_HOSTS"] == ["youth.example.org"]


def test_development_makes_a_secret_key_of_its_own_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    settings = DEVELOPMENT | {"SQLALCHEMY_DATABASE_URI": "sqlite://"}
    first = create_app(settings, instance_path=str(tmp_path)).config["SECRET_KEY"]
    again = create_app(settings, instance_path=str(tmp_path)).config["SECRET_KEY"]
    elsewhere = create_app(settings, instance_path=str(tmp_path / "other")).config["SECRET_KEY"]

    assert first == again != elsewhere
    assert len(first) >= 64 and first != PUBLIC_DEVELOPMENT_KEY
    key_file = Path(tmp_path) / "secret_key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def signed_session(secret_key: str, values: dict) -> str:
    """A session cookie as an app with this key writes it."""
    signer = Flask("signer")
    signer.secret_key = secret_key
    serializer = signer.session_interface.get_signing_serializer(signer)
    assert serializer is not None
    return serializer.dumps(values)


def test_a_session_forged_with_the_old_public_development_key_opens_nothing(app, database_url, monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with app.app_context():
        admin = make_user("admin@example.org", network_role=NetworkRole.NETWORK_ADMIN)
        now = int(time.time())
        forged = {"_user_id": f"{admin.id}:{admin.session_version}", "_fresh": True, "started_at": now, "seen_at": now}
    development = create_app(DEVELOPMENT | {"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=str(tmp_path))
    try:
        visitor, attacker, holder = (development.test_client() for _ in range(3))
        attacker.set_cookie("session", signed_session(PUBLIC_DEVELOPMENT_KEY, forged))
        holder.set_cookie("session", signed_session(development.config["SECRET_KEY"], forged))

        assert holder.get("/admin/cities").status_code == 200  # the same session, signed with the app's own key, works
        refused = attacker.get("/admin/cities")
        assert refused.status_code == visitor.get("/admin/cities").status_code != 200
    finally:
        with development.app_context():
            db.engine.dispose()


def test_database_url_defaults_to_sqlite_in_instance_and_postgres_uses_psycopg(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url("/srv/instance") == "sqlite:////srv/instance/youth_portal.db"
    monkeypatch.setenv("DATABASE_URL", "postgresql://user@db/youth")
    assert database_url("/srv/instance") == "postgresql+psycopg://user@db/youth"


def test_sqlite_runs_with_foreign_keys_and_write_ahead_log(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"


def test_security_headers_on_every_page(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "'unsafe-inline'" not in policy and "script-src 'self';" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "<script src=" in response.get_data(as_text=True) and "<script>" not in response.get_data(as_text=True)
