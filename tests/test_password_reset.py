"""Choosing a new password by an emailed, expiring, single-use link."""

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from support import PASSWORD, html_of, last_message_to, link_in, login, make_user, outbox_messages, submit, text_of
from youth_portal.accounts.models import User
from youth_portal.audit.models import AuditEvent
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow
from youth_portal.tokens import OneTimeToken

EMAIL = "sky@example.org"
NEW_PASSWORD = "the river runs past my school"
SAME_ANSWER = "If an account uses that address, we have emailed it a link to choose a new password."


@pytest.fixture
def sky(app) -> int:
    with app.app_context():
        return make_user(EMAIL, display_name="Sky").id


def ask_for_link(client, email=EMAIL, **kwargs):
    return submit(client, "/password/forgot", {"email": email}, **kwargs)


def reset_link(outbox, email=EMAIL) -> str:
    return link_in(last_message_to(outbox, email), "/password/reset/")


def password_hash(app) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(User.password_hash).where(User.email == EMAIL))


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_forgotten_password_by_emailed_link(app, client, outbox, sky):
    other_device = app.test_client()
    login(other_device, EMAIL)

    response = ask_for_link(client, email="Sky@Example.org", follow_redirects=True)
    assert response.request.path == "/login"
    assert SAME_ANSWER in response.get_data(as_text=True)

    message = last_message_to(outbox, EMAIL)
    assert message["Subject"] == "Choose a new password for Youth Portal"
    assert "The link works once, for 1 hour." in text_of(message)
    link = reset_link(outbox)
    assert f'href="http://localhost{link}"' in html_of(message)

    form = client.get(link)
    assert form.status_code == 200
    assert "Choose a new password" in form.get_data(as_text=True)

    done = submit(client, link, {"password": NEW_PASSWORD}, follow_redirects=True)
    assert done.request.path == "/login"
    assert "Your password is changed" in done.get_data(as_text=True)

    assert "Sign out" not in other_device.get("/").get_data(as_text=True)  # signed out everywhere
    assert "Sign out" not in login(client, EMAIL, PASSWORD).get_data(as_text=True)
    assert "Sign out" in login(client, EMAIL, NEW_PASSWORD).get_data(as_text=True)
    assert "auth.password_reset" in actions(app)


def test_the_answer_is_the_same_whether_or_not_the_account_exists(app, client, outbox, sky):
    known = ask_for_link(client, EMAIL)
    unknown = ask_for_link(client, "nobody@example.org")
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert SAME_ANSWER in client.get("/login").get_data(as_text=True)
    assert [m["To"] for m in outbox_messages(outbox)] == [EMAIL]


def test_a_mail_server_outage_does_not_tell_whether_the_account_exists(app, client, outbox, sky):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there: the connection is refused
    known = ask_for_link(client, EMAIL)
    unknown = ask_for_link(client, "nobody@example.org")
    assert (
        (known.status_code, known.headers["Location"])
        == (unknown.status_code, unknown.headers["Location"])
        == (302, "/login")
    )
    assert SAME_ANSWER in client.get("/login").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OneTimeToken)) == 0  # no link without email
    assert "auth.password_reset.requested" not in actions(app)


def test_the_email_is_in_the_persons_language(app, client, outbox):
    with app.app_context():
        make_user(EMAIL, language="ar")
    ask_for_link(client)
    message = last_message_to(outbox, EMAIL)
    assert message["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl"' in html_of(message)


def test_a_suspended_account_gets_no_link(app, client, outbox, sky):
    with app.app_context():
        db.session.execute(sa.update(User).values(suspended_at=utcnow()))
        db.session.commit()
    assert ask_for_link(client).status_code == 302
    assert outbox_messages(outbox) == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Please enter your email address."), ("not an email", "Enter an email address like name@example.org.")],
)
def test_a_bad_address_is_explained_beside_the_field(app, client, outbox, sky, typed, message):
    response = ask_for_link(client, typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="email-error"><span>{message}</span>' in page
    if typed:
        assert f'value="{typed}"' in page
    assert outbox_messages(outbox) == []


def test_asking_for_a_link_without_csrf_token_is_refused(client, outbox, sky):
    assert client.post("/password/forgot", data={"email": EMAIL}).status_code == 400
    assert outbox_messages(outbox) == []


def test_asking_for_links_is_rate_limited_per_address(app, client, outbox, sky):
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    for _ in range(5):
        assert ask_for_link(client, environ_base=attacker).status_code == 302
    assert ask_for_link(client, environ_base=attacker).status_code == 429
    assert ask_for_link(client, environ_base={"REMOTE_ADDR": "198.51.100.20"}).status_code == 302


@pytest.fixture
def link(client, outbox, sky) -> str:
    ask_for_link(client)
    return reset_link(outbox)


def test_opening_the_link_changes_nothing(app, client, link):
    before = password_hash(app)
    assert client.get(link).status_code == 200
    assert client.get(link).status_code == 200  # not used up by looking
    assert password_hash(app) == before


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Please choose a password."),
        ("tiny", "Use at least 8 characters."),
        ("iloveyou", "one of the most common ones"),
        ("x" * 129, "Use at most 128 characters."),
    ],
)
def test_a_weak_new_password_is_explained_and_the_link_still_works(app, client, link, password, message):
    before = password_hash(app)
    response = submit(client, link, {"password": password})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html.unescape(re.search(r'<p class="error" id="password-error">(.*?)</p>', page, re.S).group(1))
    if password:
        assert password not in page
    assert password_hash(app) == before
    assert submit(client, link, {"password": NEW_PASSWORD}).status_code == 302


def test_a_64_character_password_is_accepted(app, client, link):
    password = ("seven green parrots argue loudly over breakfast " * 2)[:64]
    assert submit(client, link, {"password": password}).status_code == 302
    assert "Sign out" in login(client, EMAIL, password).get_data(as_text=True)


def test_the_link_works_once(app, client, link):
    assert submit(client, link, {"password": NEW_PASSWORD}).status_code == 302
    again = client.get(link)
    assert again.status_code == 404
    assert "This link does not work" in again.get_data(as_text=True)
    assert 'href="/password/forgot"' in again.get_data(as_text=True)
    assert submit(client, link, {"password": "yet another new sentence"}, page="/login").status_code == 404
    assert "Sign out" in login(client, EMAIL, NEW_PASSWORD).get_data(as_text=True)


def test_an_expired_link_is_refused(app, client, link):
    with app.app_context():
        db.session.execute(sa.update(OneTimeToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    before = password_hash(app)
    response = client.get(link)
    assert response.status_code == 404
    assert "may have expired" in response.get_data(as_text=True)
    assert submit(client, link, {"password": NEW_PASSWORD}, page="/login").status_code == 404
    assert password_hash(app) == before


def test_links_expire_after_the_configured_time(app, client, outbox, sky):
    app.config["PASSWORD_RESET_MAX_AGE"] = timedelta(seconds=-1)
    ask_for_link(client)
    assert client.get(reset_link(outbox)).status_code == 404


def test_a_new_link_replaces_the_old_one(app, client, outbox, link):
    ask_for_link(client)
    newer = reset_link(outbox)
    assert newer != link
    assert client.get(link).status_code == 404
    assert client.get(newer).status_code == 200


def test_a_verification_link_cannot_reset_a_password(app, client, outbox):
    from support import make_city

    with app.app_context():
        city_id = make_city("murcia").id
    data = {
        "email": EMAIL,
        "password": PASSWORD,
        "display_name": "Sky",
        "home_city": str(city_id),
        "birth_year": str(utcnow().year - 20),
        "birth_month": "1",
        "language": "en",
        "guardian_language": "en",
        "accept_terms": "y",
    }
    submit(client, "/register", data)
    token = link_in(last_message_to(outbox, EMAIL), "/verify/").rsplit("/", 1)[1]
    assert client.get(f"/password/reset/{token}").status_code == 404
    assert submit(client, f"/password/reset/{token}", {"password": NEW_PASSWORD}, page="/login").status_code == 404


def test_setting_the_password_without_csrf_token_is_refused(app, client, link):
    before = password_hash(app)
    assert client.post(link, data={"password": NEW_PASSWORD}).status_code == 400
    assert password_hash(app) == before


def test_the_display_name_is_escaped_in_the_email(app, client, outbox):
    with app.app_context():
        make_user(EMAIL, display_name="<script>alert(1)</script>")
    ask_for_link(client)
    message = last_message_to(outbox, EMAIL)
    assert "<script>alert(1)</script>" not in html_of(message)
    assert "&lt;script&gt;" in html_of(message)


def test_the_request_and_the_reset_are_audited_without_secrets(app, client, link):
    submit(client, link, {"password": NEW_PASSWORD})
    assert actions(app) == ["auth.password_reset.requested", "auth.password_reset"]
    with app.app_context():
        details = [event.detail for event in db.session.scalars(sa.select(AuditEvent))]
    assert details == [{}, {}]
