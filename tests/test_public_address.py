"""The site's public address: emailed links are built from PUBLIC_URL whatever host a request names, a request for
another host is refused, and behind a proxy the client's address comes from ProxyFix only when configured."""

import pytest
from flask import url_for

from support import (
    ANOTHER_NAME,
    PASSWORD,
    TEST_SETTINGS,
    BrowserOnAnotherName,
    last_message_to,
    link_in,
    links_of,
    login,
    make_city,
    make_user,
    outbox_messages,
    submit,
)
from youth_portal import create_app
from youth_portal.config import apply_public_url
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

PUBLIC = "https://youth.example.org"
EVIL = "http://evil.example"
YOUNG, GUARDIAN = "nico@example.org", "parent@example.net"


@pytest.fixture
def public_address(app):
    """The site's public address is PUBLIC (app.config is put back after the test)."""
    app.config["PUBLIC_URL"] = PUBLIC
    apply_public_url(app.config)


@pytest.fixture
def browser(app) -> BrowserOnAnotherName:
    return BrowserOnAnotherName(app, app.response_class, use_cookies=True)


def test_every_account_email_links_to_the_public_address_whatever_host_the_request_named(
    app, public_address, browser, outbox
):
    with app.app_context():
        murcia = make_city("murcia", country="ES")
        make_user("sky@example.org", city=murcia)
        city_id = murcia.id
    with app.test_request_context():
        guardian_page = url_for("guardians.request_page")
    registration = {
        "password": "a long and unusual passphrase",
        "home_city": city_id,
        "birth_month": 1,
        "language": "en",
        "guardian_language": "en",
        "accept_terms": "y",
    }
    adult = registration | {"email": "river@example.org", "display_name": "River", "birth_year": utcnow().year - 20}
    minor = registration | {"email": YOUNG, "display_name": "Nico", "birth_year": utcnow().year - 13}
    submit(browser, "/register", adult)  # confirm your address
    submit(browser, "/register", adult)  # you already have an account
    nico, guardian = (BrowserOnAnotherName(app, app.response_class, use_cookies=True) for _ in range(2))
    submit(nico, "/register", minor | {"guardian_email": GUARDIAN})  # and the guardian is asked
    submit(nico, link_in(last_message_to(outbox, YOUNG), "/verify/"), {})
    consent = link_in(last_message_to(outbox, GUARDIAN), "/guardian/consent/")
    submit(guardian, consent, {"agree": "yes"})  # the guardian's withdrawal link; the young person is told
    submit(browser, "/password/forgot", {"email": "sky@example.org"})
    login(browser, "sky@example.org")
    submit(browser, "/account/email", {"new_email": "sky.new@example.org", "current_password": PASSWORD})

    links = [link for message in outbox_messages(outbox) for link in links_of(message)]
    assert links and all(link.startswith(f"{PUBLIC}/") for link in links), links
    for path in ("/verify/", "/login", "/password/forgot", "/guardian/consent/", "/guardian/withdraw/", guardian_page):
        assert any(link.startswith(f"{PUBLIC}{path}") for link in links), path
    for path in ("/password/reset/", "/account/email/confirm/"):
        assert any(link.startswith(f"{PUBLIC}{path}") for link in links), path


def test_asking_for_a_password_reset_under_another_host_is_refused_and_emails_nobody(app, outbox):
    with app.app_context():
        make_user("sky@example.org", city=make_city("murcia"))
    app.config["WTF_CSRF_ENABLED"] = False  # the attacker can get a form token; the host alone must stop this
    attacker = app.test_client()

    response = attacker.post("/password/forgot", data={"email": "sky@example.org"}, base_url=EVIL)

    assert response.status_code == 400
    assert "Something was wrong with that request" in response.get_data(as_text=True)
    assert outbox_messages(outbox) == []
    assert attacker.get("/", base_url=EVIL).status_code == 400


@pytest.mark.parametrize("host", ["a" * 64 + ".example", "a" * 300, "evil.example:8080", "bad_name.example"])
def test_a_request_for_a_host_that_is_not_the_sites_gets_400_not_500(client, host):
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert 'href="/"' in response.get_data(as_text=True)  # the error page, with the site's own links


def test_the_public_address_and_the_extra_names_are_served(app):
    for base_url in ("http://localhost", ANOTHER_NAME, "http://localhost:8000"):
        assert app.test_client().get("/", base_url=base_url).status_code == 200


# Behind a proxy

FORGOT_PER_MINUTE = 5


def ask_for_resets(client, addresses: list[str]) -> list[int]:
    """Password-reset requests (limited per client address), each claiming to come from the next address."""
    return [
        client.post(
            "/password/forgot", data={"email": "x@example.org"}, headers={"X-Forwarded-For": address}
        ).status_code
        for address in addresses
    ]


def test_behind_a_configured_proxy_rate_limits_count_the_forwarded_client_address(app, database_url, tmp_path):
    proxied = create_app(
        TEST_SETTINGS
        | {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_OUTBOX": str(tmp_path),
            "WTF_CSRF_ENABLED": False,
            "PROXY_FIX_X_FOR": 1,
        }
    )
    try:
        client = proxied.test_client()
        many = [f"203.0.113.{number}" for number in range(FORGOT_PER_MINUTE + 1)]
        assert 429 not in ask_for_resets(client, many)  # each person behind the proxy counts apart
        assert ask_for_resets(client, ["198.51.100.7"] * (FORGOT_PER_MINUTE + 1))[-1] == 429
    finally:
        with proxied.app_context():
            db.engine.dispose()


def test_without_a_proxy_a_forwarded_address_is_ignored(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    many = [f"203.0.113.{number}" for number in range(FORGOT_PER_MINUTE + 1)]
    assert ask_for_resets(client, many)[-1] == 429  # sending a made-up X-Forwarded-For does not escape the limit
