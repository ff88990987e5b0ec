"""The session cookie is signed, not encrypted: whoever holds it (a shared computer, a proxy's log, a leaked backup)
reads it. At every step of turning on two-step verification and of registering, it carries neither the
authenticator key nor an email address: those are kept on the server."""

import json
import re
from datetime import UTC, datetime

import pyotp
import pytest

from support import PASSWORD, login, make_city, make_user, submit
from youth_portal.timeutil import utcnow

EMAIL, GUARDIAN = "nico@example.org", "parent@example.net"


def cookie_contents(app, client) -> str:
    """Everything the session cookie says, decoded as anyone holding it can (here with the key, to be sure it is
    the cookie the app reads), and the raw cookie besides."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return ""
    serializer = app.session_interface.get_signing_serializer(app)
    return json.dumps(serializer.loads(cookie.value)) + cookie.value


def typed_key(page: str) -> str:
    match = re.search(r'<code class="typed-key" dir="ltr">([A-Z2-7 ]+)</code>', page)
    assert match, "no key on the page"
    return match.group(1).replace(" ", "")


def assert_key_not_in(contents: str, key: str) -> None:
    for form in (key, key.lower(), " ".join(re.findall(".{1,4}", key))):
        assert form not in contents


def test_the_authenticator_key_never_travels_in_the_cookie(app, client):
    with app.app_context():
        make_user("ana@example.org", city=make_city("murcia"))
    login(client, "ana@example.org")
    key = typed_key(client.get("/account/two-step").get_data(as_text=True))
    assert_key_not_in(cookie_contents(app, client), key)
    assert typed_key(client.get("/account/two-step").get_data(as_text=True)) == key  # kept all the same

    wrong = submit(client, "/account/two-step", {"code": "000000", "current_password": PASSWORD})
    assert wrong.status_code == 422
    assert_key_not_in(cookie_contents(app, client), key)

    now = pyotp.TOTP(key).at(datetime.now(UTC))
    turned_on = submit(client, "/account/two-step", {"code": now, "current_password": PASSWORD})
    assert "Two-step verification is on" in turned_on.get_data(as_text=True)
    assert_key_not_in(cookie_contents(app, client), key)


@pytest.mark.parametrize("age", [20, 13])
def test_the_addresses_typed_when_registering_never_travel_in_the_cookie(app, client, outbox, age):
    with app.app_context():
        city_id = make_city("murcia", country="ES").id
    page = client.get("/register")
    assert page.status_code == 200
    registration = {
        "email": EMAIL,
        "password": "a long and unusual passphrase",
        "display_name": "Nico",
        "home_city": city_id,
        "birth_year": utcnow().year - age,
        "birth_month": 1,
        "language": "en",
        "guardian_email": GUARDIAN if age < 18 else "",
        "guardian_language": "en",
        "accept_terms": "y",
    }
    assert submit(client, "/register", registration).status_code == 302
    assert EMAIL not in cookie_contents(app, client) and GUARDIAN not in cookie_contents(app, client)

    check_email = client.get("/register/check-email").get_data(as_text=True)
    assert EMAIL in check_email  # the page still says where the link went
    assert (GUARDIAN in check_email) == (age < 18)
    assert EMAIL not in cookie_contents(app, client) and GUARDIAN not in cookie_contents(app, client)

    assert submit(client, "/register", registration).status_code == 302  # the same address again
    assert EMAIL not in cookie_contents(app, client)
    assert EMAIL in client.get("/register/check-email").get_data(as_text=True)
    assert EMAIL not in client.application.test_client().get("/register/check-email").get_data(as_text=True)


def test_messages_about_a_new_or_changed_address_never_carry_it_in_the_cookie(app, client, outbox):
    """A message shown on the next page travels in the cookie: it names no address, the page shows it instead."""
    with app.app_context():
        make_user(EMAIL, city=make_city("murcia"), verified=False)
    login(client, EMAIL)
    submit(client, "/verify/resend", page="/verify/new")
    assert EMAIL not in cookie_contents(app, client)
    page = client.get("/verify/new").get_data(as_text=True)
    assert "We sent a new link to your address." in page and EMAIL in page

    submit(client, "/account/email", {"new_email": "nico.new@example.org", "current_password": PASSWORD})
    assert "nico.new@example.org" not in cookie_contents(app, client)
    account = client.get("/account").get_data(as_text=True)
    assert "We sent a link to your new address." in account
    assert "We sent a link to nico.new@example.org: your address changes once you open it." in account
