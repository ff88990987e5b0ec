"""Helpers for tests that act as people do: fill forms (with their CSRF token), read the outbox."""

import email
import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pyotp
import sqlalchemy as sa
from flask.testing import FlaskClient

from youth_portal.accounts.models import CityRole, CityRoleName, NetworkRole, User
from youth_portal.accounts.passwords import hash_password
from youth_portal.audit.models import AuditEvent, RefusalCount
from youth_portal.cities.models import City, Region
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

#: The password every factory-made account has.
PASSWORD = "correct horse battery staple"
#: The member of Murcia's staff that the `staff` fixture signs in (tests/consultations/conftest.py).
STAFF = "staff@example.org"

#: Settings of every app a test creates (each adds its database and outbox): a fixed key (a development app would
#: make one in instance/), the test client's host as the public address (the browser tests' server is at 127.0.0.1),
#: no real mail server, limits kept in memory, and argon2 at its cheapest (at the production cost a sign-in takes
#: 0.4 s; test_password_cost.py checks that production keeps it).
TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "tests-only-not-secret",
    "PUBLIC_URL": "http://localhost",
    "EXTRA_TRUSTED_HOSTS": ["127.0.0.1"],
    "MAIL_SERVER": "",
    "RATELIMIT_STORAGE_URI": "memory://",
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_COST": 8,
    "PASSWORD_HASH_PARALLELISM": 1,
    "PASSWORD_RESET_MIN_SECONDS": 0,  # the page's floor: set by the test that measures it
}


def refused_pages(city_id: int | None = None) -> int:
    """How many pages were refused (in one city, if given): each `access.refused` event, with the refusals that
    followed it in its hour."""
    query = sa.select(sa.func.coalesce(sa.func.sum(RefusalCount.count), 0)).join(AuditEvent)
    if city_id is not None:
        query = query.where(AuditEvent.city_id == city_id)
    return db.session.scalar(query)


def empty_tables() -> None:
    """Remove every row the test wrote (the audit log included: it is append-only for the app)."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(sa.text(f"DELETE FROM {table}"))


CSRF_PATTERN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token(client, page: str = "/") -> str:
    """The CSRF token a person's browser would hold after opening `page` (following redirects)."""
    html = client.get(page, follow_redirects=True).get_data(as_text=True)
    match = CSRF_PATTERN.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def submit(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    """Open `page` (default: `url`), then POST `data` to `url` with the page's CSRF token."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def make_city(slug: str = "murcia", **fields) -> City:
    defaults = {
        "name": slug.title(),
        "country": "ES",
        "region": Region.EUROPE,
        "timezone": "Europe/Madrid",
        "default_language": "es",
        "languages": ["es", "en"],
    }
    city = City(slug=slug, **(defaults | fields))
    db.session.add(city)
    db.session.commit()
    return city


def make_user(
    email: str = "young@example.org",
    *,
    city: City | None = None,
    display_name: str = "Sky",
    birth_year: int | None = None,
    birth_month: int = 1,
    verified: bool = True,
    language: str = "en",
    city_role: CityRoleName | None = None,
    role_city: City | None = None,
    network_role: NetworkRole | None = None,
) -> User:
    """An account made directly in the database, with PASSWORD as its password."""
    user = User(
        email=email,
        password_hash=hash_password(PASSWORD),
        display_name=display_name,
        home_city=city,
        birth_year=birth_year if birth_year is not None else utcnow().year - 20,
        birth_month=birth_month,
        language=language,
        network_role=network_role,
        email_verified_at=utcnow() if verified else None,
        terms_version="2026-11",
    )
    db.session.add(user)
    if city_role is not None:
        db.session.add(CityRole(user=user, city=role_city or city, role=city_role))
    db.session.commit()
    return user


def login(client, email: str, password: str = PASSWORD):
    """Sign in through the sign-in form; returns the response after redirects."""
    return submit(client, "/login", {"email": email, "password": password}, follow_redirects=True)


def outbox_messages(outbox: Path) -> list[EmailMessage]:
    """Every email written to the outbox, oldest first."""
    if not outbox.exists():
        return []
    return [email.message_from_bytes(path.read_bytes(), policy=default_policy) for path in sorted(outbox.glob("*.eml"))]


def last_message_to(outbox: Path, address: str) -> EmailMessage:
    messages = [m for m in outbox_messages(outbox) if m["To"] == address]
    assert messages, f"no email to {address}"
    return messages[-1]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links_of(message: EmailMessage) -> list[str]:
    """Every absolute link in the email, in its plain-text and HTML parts."""
    parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    return re.findall(r"https?://[^\s\"'<>]+", "\n".join(parts))


#: A name the site answers to (EXTRA_TRUSTED_HOSTS of TEST_SETTINGS) that is not its public address.
ANOTHER_NAME = "http://127.0.0.1"


class BrowserOnAnotherName(FlaskClient):
    """A browser that reached the site by ANOTHER_NAME: the links it is emailed must not follow it."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", ANOTHER_NAME)
        return super().open(*args, **kwargs)


def link_in(message: EmailMessage, path_fragment: str) -> str:
    """The path (and query) of the first link in the plain-text part that contains `path_fragment`."""
    for url in re.findall(r"https?://\S+", text_of(message)):
        if path_fragment in url:
            return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no link containing {path_fragment!r} in {text_of(message)!r}")


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block: `with count_queries() as queries: ...; len(queries)`."""
    statements: list[str] = []

    def before_cursor_execute(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before_cursor_execute)


def code(key: str, steps_ahead: int = 0) -> str:
    """What the person's app shows now (or that many 30-second steps later)."""
    return pyotp.TOTP(key).at(datetime.now(UTC) + timedelta(seconds=30 * steps_ahead))


def typed_key(page: str) -> str:
    """The key as the page shows it for typing into an app."""
    match = re.search(r'<code class="typed-key" dir="ltr">([A-Z2-7 ]+)</code>', page)
    assert match, "no key on the page"
    return match.group(1).replace(" ", "")
