"""Settings read from environment variables, with safe defaults for development."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from argon2.profiles import RFC_9106_LOW_MEMORY

#: The key development used before it made one of its own (instance/secret_key): public, so refused in production.
PUBLIC_DEVELOPMENT_KEY = "development-only-not-secret"
#: Where `flask run` serves the app, and so the address of the links a development app emails.
DEVELOPMENT_PUBLIC_URL = "http://127.0.0.1:5000"


class ConfigurationError(RuntimeError):
    """The app cannot start safely with this configuration."""


def database_url(instance_path: str) -> str:
    """DATABASE_URL, or a SQLite file in the instance folder; PostgreSQL URLs use psycopg 3."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{os.path.join(instance_path, 'youth_portal.db')}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment(instance_path: str) -> dict:
    """Every setting the app reads, from the environment."""
    production = os.environ.get("YOUTH_PORTAL_ENV", "development") == "production"
    session_hours = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    return {
        "PRODUCTION": production,
        # Empty: refused in production; in development made once and kept in instance/secret_key.
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        # The site's address: every emailed link starts with it, never with the host a request names; requests
        # naming another host than it or EXTRA_TRUSTED_HOSTS are refused (400).
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "" if production else DEVELOPMENT_PUBLIC_URL),
        "EXTRA_TRUSTED_HOSTS": _names(
            os.environ.get("EXTRA_TRUSTED_HOSTS", "" if production else "localhost,127.0.0.1")
        ),
        # Behind a reverse proxy: how many proxies set X-Forwarded-For (the client's address, which rate limits
        # count). 0: not behind a proxy, the header is ignored.
        "PROXY_FIX_X_FOR": int(os.environ.get("PROXY_FIX_X_FOR", "0")),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Mail: SMTP when MAIL_SERVER is set, otherwise .eml files in the outbox folder.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "true").lower() == "true",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        # The sender's address; its name is Youth Portal's, in the language of each recipient.
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Youth Portal <no-reply@youth-portal.invalid>"),
        "MAIL_OUTBOX": os.environ.get("MAIL_OUTBOX", os.path.join(instance_path, "outbox")),
        # Every email of a page (receipts, account emails, updates to every respondent): sent by the page, or, when
        # true, left to the worker (`flask send-emails --watch`).
        "MAIL_WORKER": os.environ.get("MAIL_WORKER", "false").lower() == "true",
        # The most emails of one kind (e.g. "you already have an account") one address gets in an hour (mail.py).
        "MAIL_PER_RECIPIENT_PER_HOUR": int(os.environ.get("MAIL_PER_RECIPIENT_PER_HOUR", "5")),
        # Rate limits: in memory by default, Redis (redis://127.0.0.1:6379) in production.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Rendered public pages: in each process by default, shared in Redis (redis://127.0.0.1:6379/1) when set.
        "CACHE_TYPE": "RedisCache" if os.environ.get("CACHE_REDIS_URL") else "SimpleCache",
        "CACHE_REDIS_URL": os.environ.get("CACHE_REDIS_URL", ""),
        "CACHE_KEY_PREFIX": "youth-portal/",
        # Password hashes (argon2id): the RFC 9106 low-memory profile, as argon2-cffi's defaults (about 0.4 s and
        # 64 MiB a hash); tests make it cheap. A hash made at another cost still verifies, and is redone at sign-in.
        "PASSWORD_HASH_TIME_COST": RFC_9106_LOW_MEMORY.time_cost,
        "PASSWORD_HASH_MEMORY_COST": RFC_9106_LOW_MEMORY.memory_cost,  # KiB
        "PASSWORD_HASH_PARALLELISM": RFC_9106_LOW_MEMORY.parallelism,
        # Signing in to one account, from any address, is paused after this many wrong passwords within 15 minutes:
        # first for SIGN_IN_LOCKOUT_MINUTES, then twice as long at each new pause, for a day (accounts/lockouts.py).
        "SIGN_IN_LOCKOUT_AFTER": int(os.environ.get("SIGN_IN_LOCKOUT_AFTER", "10")),
        "SIGN_IN_LOCKOUT_MINUTES": int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "5")),
        # Sessions
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # A session ends this long after signing in, however active (12 hours: a long day; staff and admins, who see
        # many young people's data, 8 hours: a working day), or after SESSION_IDLE_MINUTES without activity.
        "SESSION_MAX_AGE": timedelta(hours=session_hours),
        "STAFF_SESSION_MAX_AGE": timedelta(hours=int(os.environ.get("STAFF_SESSION_MAX_HOURS", "8"))),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=session_hours),  # the cookie's expiry
        # Staff and admins must turn on two-step verification before using staff pages (on in production; in
        # development and the demo it is offered to everyone, required of nobody).
        "STAFF_TWO_STEP_REQUIRED": os.environ.get("STAFF_TWO_STEP_REQUIRED", str(production)).lower() == "true",
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30"))),
        # Links sent by email
        "VERIFY_EMAIL_MAX_AGE": timedelta(days=2),
        "PASSWORD_RESET_MAX_AGE": timedelta(hours=1),
        # The page that sends a password-reset link answers after at least this long, so that its time never tells
        # whether an account uses the address (the work either way is the same but for the link's token).
        "PASSWORD_RESET_MIN_SECONDS": float(os.environ.get("PASSWORD_RESET_MIN_SECONDS", "0.25")),
        "GUARDIAN_CONSENT_MAX_AGE": timedelta(days=14),
        "BABEL_TRANSLATION_DIRECTORIES": "",  # set in create_app
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
    }


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def check_production_safety(config: dict) -> None:
    """Refuse to run in production with a missing or public secret key, or without the site's https address."""
    if not config.get("PRODUCTION"):
        return
    if config.get("SECRET_KEY") in (None, "", PUBLIC_DEVELOPMENT_KEY):
        raise ConfigurationError("SECRET_KEY must be set to a long random value in production.")
    if not str(config.get("PUBLIC_URL") or "").startswith("https://"):
        raise ConfigurationError("PUBLIC_URL must be set to the site's https address in production.")


def development_secret_key(instance_path: str) -> str:
    """The key of a development app without SECRET_KEY: made at random on first run, kept in instance/secret_key
    (readable by its owner only) and read from there after."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
                file.write(secrets.token_urlsafe(48) + "\n")
        except FileExistsError:  # another process of the app made it meanwhile
            pass
    return path.read_text().strip()


def apply_public_url(config: dict) -> None:
    """Flask's SERVER_NAME and PREFERRED_URL_SCHEME (which build links outside a request, e.g. in the email worker)
    and TRUSTED_HOSTS, from PUBLIC_URL and EXTRA_TRUSTED_HOSTS."""
    url = urlsplit(str(config["PUBLIC_URL"]))
    a_site = url.scheme in ("http", "https") and url.hostname and not url.username and url.path in ("", "/")
    if not a_site or url.query or url.fragment:
        raise ConfigurationError("PUBLIC_URL must be the site's address, such as https://youth.example.org (no path).")
    config["SERVER_NAME"] = url.netloc.lower()
    config["PREFERRED_URL_SCHEME"] = url.scheme
    config["TRUSTED_HOSTS"] = [url.hostname, *config["EXTRA_TRUSTED_HOSTS"]]
