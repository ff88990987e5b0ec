"""Configuration: safe defaults, and refusal to run in production without a real secret key."""

import pytest
import sqlalchemy as sa

from youth_portal import create_app
from youth_portal.config import ConfigurationError, database_url
from youth_portal.extensions import db


def test_production_refuses_the_default_or_missing_secret_key(monkeypatch):
    monkeypatch.setenv("YOUTH_PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "")
    with pytest.raises(ConfigurationError):
        create_app()


def test_production_with_a_real_key_uses_secure_host_only_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("YOUTH_PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-value-from-the-operator")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"


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
