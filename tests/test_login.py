"""Signing in and out, sessions that end on the server, throttling, suspension."""

import html
import json
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, extract_parameters

from support import PASSWORD, TEST_SETTINGS, last_message_to, make_city, make_user, outbox_messages, submit, text_of
from youth_portal import create_app
from youth_portal.accounts import services
from youth_portal.accounts.models import User
from youth_portal.accounts.passwords import verify_password
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

EMAIL = "sky@example.org"
GENERIC = "That email address or password was not recognised."
ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWN_DEVICE = {"REMOTE_ADDR": "198.51.100.20"}


@pytest.fixture
def sky(app) -> int:
    with app.app_context():
        return make_user(EMAIL, city=make_city("murcia"), display_name="Sky").id


def sign_in(client, email=EMAIL, password=PASSWORD, **kwargs):
    return submit(client, "/login", {"email": email, "password": password}, **kwargs)


def signed_in(client) -> bool:
    """What the person sees: the header offers "Sign out" only to a signed-in person."""
    page = client.get("/").get_data(as_text=True)
    return "Sign out" in page


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        query = sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


def test_sign_in_with_email_and_password(app, client, sky):
    response = sign_in(client, email="SKY@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/cities/murcia/"  # their own city: its consultations are there
    page = client.get("/cities/murcia/").get_data(as_text=True)
    assert "Welcome, Sky. You are signed in." in page
    assert "Sign out" in page
    [event] = events(app, "auth.login.succeeded")
    assert event.actor_id == sky


def test_the_welcome_is_in_the_persons_own_language_whatever_the_browser_asks(app, client, sky):
    with app.app_context():
        make_user("qamar@example.org", display_name="Qamar", language="ar")
    response = sign_in(client, email="qamar@example.org", headers={"Accept-Language": "en"})
    assert response.status_code == 302
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "أهلًا بك يا Qamar. تم تسجيل دخولك." in page and 'dir="rtl"' in page


def test_someone_who_cannot_take_part_yet_is_told_why_on_signing_in(app, client, sky):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        make_user("kit@example.org", city=murcia, display_name="Kit", birth_year=utcnow().year - 13)  # no guardian
    assert sign_in(client, email="kit@example.org").status_code == 302
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert "Your parent or guardian has not agreed yet. Until they do, you can read everything" in page
    other = app.test_client()
    sign_in(other)
    assert "has not agreed yet" not in html.unescape(other.get("/").get_data(as_text=True))


def test_the_session_is_renewed_on_sign_in(client, sky):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    sign_in(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{sky}:")


def test_sign_in_keeps_the_chosen_language(client, sky):
    assert client.post("/language", data={"language": "fr"}).status_code == 302
    assert sign_in(client).status_code == 302
    with client.session_transaction() as session:
        assert session["language"] == "fr"
        assert session["_user_id"].startswith(f"{sky}:")  # signed in, not merely still a visitor


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/privacy", "/privacy"), ("https://evil.example/", "/cities/murcia/"), ("//evil.example", "/cities/murcia/")],
)
def test_after_sign_in_the_person_returns_only_to_this_site(client, sky, next_url, expected):
    token_page = f"/login?next={next_url}"
    response = submit(client, "/login", {"email": EMAIL, "password": PASSWORD, "next": next_url}, page=token_page)
    assert response.headers["Location"] == expected


def test_the_sign_in_page_carries_next(client, sky):
    assert 'name="next" type="hidden" value="/privacy"' in client.get("/login?next=/privacy").get_data(as_text=True)


@pytest.mark.parametrize("email", [EMAIL, "nobody@example.org"])
def test_a_failed_sign_in_does_not_say_which_part_was_wrong(app, client, sky, email):
    response = sign_in(client, email=email, password="not my password at all")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert GENERIC in page
    assert f'value="{email}"' in page  # the typed address is kept
    assert "not my password at all" not in page
    assert not signed_in(client)


def test_failed_sign_ins_are_audited_without_password_or_typed_address(app, client, sky):
    sign_in(client, password="not my password at all")
    sign_in(client, email="nobody@example.org", password="another wrong one")
    wrong_password, unknown = events(app, "auth.login.failed")
    assert (wrong_password.actor_id, wrong_password.detail) == (sky, {"reason": "wrong-password"})
    assert (unknown.actor_id, unknown.detail) == (None, {"reason": "unknown-account"})
    with app.app_context():
        logged = json.dumps([e.detail for e in db.session.scalars(sa.select(AuditEvent))])
    for secret in ("not my password at all", "another wrong one", "nobody@example.org", PASSWORD):
        assert secret not in logged


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "password": PASSWORD}, "email", "Please enter your email address."),
        ({"email": EMAIL, "password": ""}, "password", "Please enter your password."),
    ],
)
def test_empty_fields_are_explained_beside_them(app, client, sky, data, field, message):
    response = submit(client, "/login", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error"><span>{message}</span>' in page
    if data["email"]:
        assert f'value="{EMAIL}"' in page
    assert PASSWORD not in page
    assert events(app, "auth.login.succeeded") == []


def test_sign_in_without_csrf_token_is_refused(client, sky):
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert not signed_in(client)


def test_an_unverified_person_can_sign_in_to_look_around(app, client):
    with app.app_context():
        make_user(EMAIL, verified=False)
    assert sign_in(client).status_code == 302
    assert signed_in(client)


def test_a_suspended_person_cannot_sign_in(app, client, sky):
    with app.app_context():
        db.session.execute(sa.update(User).values(suspended_at=utcnow()))
        db.session.commit()
    response = sign_in(client)
    assert response.status_code == 422
    assert "This account is suspended" in response.get_data(as_text=True)
    assert not signed_in(client)
    assert events(app, "auth.login.failed")[0].detail == {"reason": "suspended"}
    # without the right password, nothing is revealed about the account
    assert GENERIC in sign_in(client, password="wrong guess number one").get_data(as_text=True)


def test_a_deleted_account_cannot_sign_in(app, client, sky):
    with app.app_context():
        db.session.execute(sa.update(User).values(deleted_at=utcnow(), email=None, password_hash=None))
        db.session.commit()
    response = sign_in(client)
    assert response.status_code == 422
    assert GENERIC in response.get_data(as_text=True)


def test_an_outdated_password_hash_is_upgraded_at_sign_in(app, client, sky):
    with app.app_context():
        weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
        db.session.execute(sa.update(User).values(password_hash=weak))
        db.session.commit()
    assert sign_in(client).status_code == 302
    with app.app_context():
        upgraded = db.session.scalar(sa.select(User.password_hash))
    assert upgraded != weak
    parameters = extract_parameters(upgraded)
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        app.config["PASSWORD_HASH_TIME_COST"],
        app.config["PASSWORD_HASH_MEMORY_COST"],
        app.config["PASSWORD_HASH_PARALLELISM"],
    )
    with app.app_context():
        assert verify_password(upgraded, PASSWORD)


# Throttling -----------------------------------------------------------------------------------------------------


def test_repeated_failures_are_slowed_down_but_the_person_still_signs_in_from_their_own_device(app, client, sky):
    for attempt in range(5):
        assert sign_in(client, password=f"guess {attempt} wrong", environ_base=ATTACKER).status_code == 422
    throttled = sign_in(client, password=PASSWORD, environ_base=ATTACKER)
    assert throttled.status_code == 429
    assert "Please slow down" in throttled.get_data(as_text=True)
    assert "Retry-After" in throttled.headers

    own_device = app.test_client()
    assert sign_in(own_device, environ_base=OWN_DEVICE).status_code == 302
    assert signed_in(own_device)


def test_one_address_trying_many_accounts_is_slowed_down(app, client, sky):
    for attempt in range(20):
        response = sign_in(client, email=f"person{attempt}@example.org", password="wrong guess", environ_base=ATTACKER)
        assert response.status_code == 422
    assert sign_in(client, environ_base=ATTACKER).status_code == 429
    assert sign_in(app.test_client(), environ_base=OWN_DEVICE).status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_limits(app, client, sky):
    for _ in range(8):
        assert sign_in(client, environ_base=OWN_DEVICE).status_code == 302
        submit(client, "/logout", page="/")


def test_the_throttling_page_is_translated(app, client, sky):
    for attempt in range(5):
        sign_in(client, password=f"guess {attempt} wrong")
    response = sign_in(client, headers={"Accept-Language": "es"})
    assert response.status_code == 429
    assert '<html lang="es"' in response.get_data(as_text=True)


PAUSED = "Signing in to this account is paused for"
STRANGERS = [{"REMOTE_ADDR": f"203.0.113.{number}"} for number in range(1, 7)]


def strangers_try(app, email=EMAIL, attempts_each=5) -> list[int]:
    """Six addresses each try `attempts_each` wrong passwords on one account, as fast as the per-address limit
    lets them: the status of every attempt whose answer is the account's pause or a wrong password."""
    statuses = []
    for address in STRANGERS:
        browser = app.test_client()
        browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        for attempt in range(attempts_each):
            response = sign_in(browser, email=email, password=f"guess {attempt}", environ_base=address)
            page = response.get_data(as_text=True)
            if response.status_code == 422 or PAUSED in page:
                statuses.append(response.status_code)
    return statuses


def emails_to(outbox, address=EMAIL) -> list[str]:
    return [message["Subject"] for message in outbox_messages(outbox) if message["To"] == address]


def test_many_addresses_cannot_try_many_passwords_on_one_account_and_the_owner_is_told_once(
    app, client, sky, outbox, clock
):
    """5 a minute per account and address was 30 a minute from 6 addresses: now 10 wrong passwords pause the
    account, whatever the address, and each new pause lasts twice as long."""
    statuses = strangers_try(app)
    assert statuses.count(422) == app.config["SIGN_IN_LOCKOUT_AFTER"] == 10
    assert statuses.count(429) == 20
    assert emails_to(outbox) == ["Signing in to your Youth Portal account is paused"]
    message = last_message_to(outbox, EMAIL)
    assert "signing in to it is paused for 5 minutes" in text_of(message)
    assert "/password/forgot" in text_of(message)
    assert [event.actor_id for event in events(app, "auth.login.paused")] == [sky]

    # even the right password waits, from an address that never tried: the pause is the account's
    paused = sign_in(app.test_client(), environ_base=OWN_DEVICE)
    assert paused.status_code == 429 and PAUSED in paused.get_data(as_text=True)
    assert 290 <= int(paused.headers["Retry-After"]) <= 300

    clock.shift(timedelta(minutes=5, seconds=1))
    assert strangers_try(app, attempts_each=2).count(422) == 10  # and the second pause is twice as long
    paused = sign_in(app.test_client(), environ_base=OWN_DEVICE)
    assert paused.status_code == 429 and 590 <= int(paused.headers["Retry-After"]) <= 600
    assert len(emails_to(outbox)) == 2
    assert "paused for 10 minutes" in text_of(last_message_to(outbox, EMAIL))

    clock.shift(timedelta(minutes=10, seconds=1))
    assert sign_in(client, environ_base=OWN_DEVICE).status_code == 302


def test_the_owner_still_signs_in_from_a_browser_they_used_before_while_strangers_pause_the_account(
    app, client, sky, outbox, clock
):
    assert sign_in(client, environ_base=OWN_DEVICE).status_code == 302
    submit(client, "/logout", page="/")
    strangers_try(app)

    new_browser = app.test_client()
    assert sign_in(new_browser, environ_base=OWN_DEVICE).status_code == 429  # an unknown browser waits
    assert sign_in(client, environ_base=OWN_DEVICE).status_code == 302  # the known one does not
    assert signed_in(client)

    # the browser's cookie holds for its own account only, and a copy with another signature holds for none
    other = app.test_client()
    with app.app_context():
        make_user("rain@example.org")
    assert sign_in(other, email="rain@example.org").status_code == 302
    assert sign_in(other, environ_base=OWN_DEVICE).status_code == 429
    forged = app.test_client()
    forged.set_cookie("sign-in-device", client.get_cookie("sign-in-device").value[:-2] + "xx")
    assert sign_in(forged, environ_base=OWN_DEVICE).status_code == 429


def test_wrong_passwords_from_a_known_browser_are_counted_on_their_own(app, client, sky, outbox, clock):
    assert sign_in(client).status_code == 302
    submit(client, "/logout", page="/")
    for _minute in range(2):  # the per-address limit allows 5 a minute
        for attempt in range(5):
            assert sign_in(client, password=f"typo {attempt}").status_code == 422
        clock.shift(timedelta(minutes=1))
    assert emails_to(outbox) == []  # the account is not paused for the others
    assert sign_in(app.test_client(), environ_base=OWN_DEVICE).status_code == 302
    # but the browser is no longer known after that many: it waits like any other
    for attempt in range(10):
        sign_in(app.test_client(), password="wrong", environ_base=STRANGERS[attempt // 5])
    assert sign_in(client).status_code == 429


def test_a_pause_looks_the_same_for_an_address_without_an_account(app, sky, outbox, clock):
    statuses = strangers_try(app, email="nobody@example.org")
    assert statuses.count(422) == 10 and statuses.count(429) == 20
    assert outbox_messages(outbox) == []


def test_the_pause_is_said_in_the_visitors_language(app, client, sky, clock):
    strangers_try(app)
    response = sign_in(client, headers={"Accept-Language": "es"}, environ_base=OWN_DEVICE)
    assert response.status_code == 429
    page = html.unescape(response.get_data(as_text=True))
    assert '<html lang="es"' in page and "Iniciar sesión en esta cuenta está en pausa durante" in page


@pytest.fixture
def behind_a_proxy(app, database_url, sky):
    """A new app (same database) that stands behind one reverse proxy, at 10.0.0.2."""
    proxied = create_app(TEST_SETTINGS | {"SQLALCHEMY_DATABASE_URI": database_url, "PROXY_FIX_X_FOR": 1})
    yield proxied
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()


def through_the_proxy(client_address: str) -> dict:
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": client_address}


def test_behind_a_proxy_each_client_is_counted_on_its_own_not_everyone_as_the_proxy(behind_a_proxy):
    attacker = behind_a_proxy.test_client()
    for attempt in range(20):
        response = sign_in(attacker, email=f"p{attempt}@example.org", environ_base=through_the_proxy("203.0.113.66"))
        assert response.status_code == 422
    assert sign_in(attacker, environ_base=through_the_proxy("203.0.113.66")).status_code == 429
    assert sign_in(behind_a_proxy.test_client(), environ_base=through_the_proxy("198.51.100.20")).status_code == 302


def test_without_a_proxy_a_forwarded_address_changes_nothing(app, client, sky):
    for attempt in range(20):
        forged = {**ATTACKER, "HTTP_X_FORWARDED_FOR": f"192.0.2.{attempt}"}
        assert sign_in(client, email=f"p{attempt}@example.org", environ_base=forged).status_code == 422
    assert sign_in(client, environ_base={**ATTACKER, "HTTP_X_FORWARDED_FOR": "192.0.2.99"}).status_code == 429


# Signing out, idle timeout, suspension ---------------------------------------------------------------------------


def test_sign_out_ends_the_session_on_the_server(app, client, sky):
    sign_in(client)
    old_cookie = client.get_cookie("session").value
    response = submit(client, "/logout", page="/", follow_redirects=True)
    assert response.request.path == "/"
    page = response.get_data(as_text=True)
    assert "You are signed out." in page and "Sign in" in page
    assert events(app, "auth.logout")[0].actor_id == sky

    # a copy of the old cookie (stolen, or kept by the browser) no longer opens the account
    client.set_cookie("session", old_cookie)
    assert not signed_in(client)
    assert client.get("/verify/new").status_code == 302


def test_sign_out_without_csrf_token_is_refused(client, sky):
    sign_in(client)
    assert client.post("/logout").status_code == 400
    assert signed_in(client)


def test_sign_out_is_not_possible_by_get(client, sky):
    sign_in(client)
    assert client.get("/logout").status_code == 405
    assert signed_in(client)


def test_an_idle_session_ends(app, client, sky):
    sign_in(client)
    assert signed_in(client)
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds()) - 5
    page = client.get("/").get_data(as_text=True)
    assert "You were signed out after a period of inactivity." in page
    assert "Sign out" not in page


def test_an_active_session_stays(app, client, sky):
    sign_in(client)
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds()) + 60
    assert signed_in(client)


def test_suspension_ends_the_session_at_the_next_request(app, client, sky):
    with app.app_context():
        moderator = make_user("moderator@example.org", display_name="Moderator")
        moderator_id = moderator.id
    sign_in(client)
    assert signed_in(client)

    with app.test_request_context():
        services.suspend(db.session.get(User, sky), by=db.session.get(User, moderator_id), reason="spam")
        db.session.commit()

    assert not signed_in(client)
    [event] = events(app, "account.suspended")
    assert (event.actor_id, event.subject_id, event.detail) == (moderator_id, sky, {"reason": "spam"})
    assert sign_in(client).status_code == 422


def test_a_signed_in_person_opening_the_sign_in_page_goes_on(client, sky):
    sign_in(client)
    response = client.get("/login?next=/privacy")
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy"


def test_the_sign_in_page_links_to_password_reset_and_registration(client):
    page = html.unescape(client.get("/login").get_data(as_text=True))
    assert 'href="/password/forgot"' in page
    assert 'href="/register"' in page
