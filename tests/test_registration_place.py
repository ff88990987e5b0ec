"""Registering from a consultation keeps the person's place: the page to come back to goes through registration and
the emailed link (kept on the server with the link, which stays single use, short-lived and confirmed by POST), and
confirming the address signs the person in there, ready to answer. Only that POST, with a valid link, signs in."""

import re

import pytest
import sqlalchemy as sa

from consultation_factory import make_consultation
from support import PASSWORD, last_message_to, link_in, login, make_user, submit
from youth_portal import tokens
from youth_portal.accounts.models import User
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow
from youth_portal.tokens import TokenPurpose

EMAIL = "river@example.org"


@pytest.fixture
def consultation_id(app, murcia) -> int:
    """An open consultation of Murcia (Spain: a guardian consents below 14), read in English."""
    with app.app_context():
        return make_consultation(db.session.get_one(City, murcia), "open").id


def respond_url(consultation_id: int) -> str:
    return f"/cities/murcia/consultations/{consultation_id}/respond"


def registration(client, next_page: str | None, age: int = 20, **changes):
    """Register as a visitor would from the register page reached with `next_page`; the response."""
    page = "/register?city=murcia" + (f"&next={next_page}" if next_page else "")
    with client.application.app_context():
        city_id = db.session.scalar(sa.text("SELECT id FROM cities WHERE slug = 'murcia'"))
    form = client.get(page).get_data(as_text=True)
    carried = re.search(
        r'<form method="post" action="/register".*?<input type="hidden" name="next" value="([^"]*)">', form, re.S
    )
    data = {
        "email": EMAIL,
        "password": PASSWORD,
        "display_name": "River",
        "home_city": str(city_id),
        "birth_year": str(utcnow().year - age),
        "birth_month": "1",
        "language": "en",
        "accept_terms": "y",
        "guardian_language": "en",
    } | changes
    if carried:
        data["next"] = carried.group(1).replace("&amp;", "&")
    return submit(client, "/register", data, page=page)


def confirm(client, outbox):
    """Open the emailed link and press the button; the response to the POST."""
    link = link_in(last_message_to(outbox, EMAIL), "/verify/")
    assert client.get(link).status_code == 200
    return submit(client, link, page=link)


def test_the_consultation_offers_to_register_and_come_back_to_it(client, consultation_id):
    page = client.get(f"/cities/murcia/consultations/{consultation_id}").get_data(as_text=True)
    assert f'href="/register?city=murcia&amp;next=/cities/murcia/consultations/{consultation_id}/respond"' in page


def test_confirming_the_address_signs_in_and_goes_back_to_the_consultation(app, client, outbox, consultation_id):
    assert registration(client, respond_url(consultation_id)).status_code == 302
    link = link_in(last_message_to(outbox, EMAIL), "/verify/")
    assert "next" not in link and "respond" not in link  # the link is no longer and tells nothing
    assert client.get(link).status_code == 200
    with client.session_transaction() as session:
        assert "_user_id" not in session  # opening the link signs nobody in

    confirmed = submit(client, link, page=link)
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == respond_url(consultation_id)
    answering = client.get(respond_url(consultation_id))
    page = answering.get_data(as_text=True)
    assert answering.status_code == 200 and "Your answers" in page and "Save draft" in page
    assert "Welcome, River. You are signed in." in page
    with client.session_transaction() as session:
        assert "registration" not in session  # a fresh session: nothing of the one before is kept
    with app.app_context():
        methods = db.session.scalars(
            sa.select(AuditEvent.detail).where(AuditEvent.action == "auth.login.succeeded")
        ).all()
    assert [details.get("method") for details in methods] == ["email-link"]

    again = app.test_client()  # the link works once, for anyone
    assert submit(again, link, page="/login").status_code == 404
    assert again.get("/account").status_code == 302


@pytest.mark.parametrize(
    "elsewhere",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", "/" + "x" * 300],
)
def test_a_page_elsewhere_is_never_carried(app, client, outbox, consultation_id, elsewhere):
    form = client.get("/register", query_string={"next": elsewhere}).get_data(as_text=True)
    assert not re.search(r'<form method="post" action="/register".*?name="next"', form, re.S)
    registration(client, None, next=elsewhere)
    confirmed = confirm(client, outbox)
    assert confirmed.headers["Location"] == "/cities/murcia/"


def test_a_minor_waiting_for_a_guardian_lands_where_she_is_told_why(app, client, outbox, consultation_id):
    registration(client, respond_url(consultation_id), age=13, guardian_email="mum@example.org")
    confirmed = confirm(client, outbox)
    assert confirmed.headers["Location"] == "/account"
    page = client.get("/account").get_data(as_text=True)
    assert "Your parent or guardian has not agreed yet." in page


def test_an_account_with_two_step_verification_signs_in_with_its_code(app, client, outbox, consultation_id):
    registration(client, respond_url(consultation_id))
    with app.app_context():
        db.session.scalar(sa.select(User).where(User.email == EMAIL)).two_step_key = "JBSWY3DPEHPK3PXP"
        db.session.commit()
    confirmed = confirm(client, outbox)
    assert confirmed.headers["Location"].startswith("/login?next=")
    assert client.get("/account").status_code == 302  # not signed in


def test_someone_signed_in_here_stays_signed_in_as_themselves(app, client, outbox, consultation_id):
    registration(app.test_client(), respond_url(consultation_id))
    with app.app_context():
        make_user("sister@example.org", display_name="Sister")
    login(client, "sister@example.org")
    confirm(client, outbox)
    assert "sister@example.org" in client.get("/account").get_data(as_text=True)


def test_a_link_made_for_something_else_neither_confirms_nor_signs_in(app, client, outbox, consultation_id):
    registration(app.test_client(), respond_url(consultation_id))
    with app.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.email == EMAIL))
        reset = tokens.issue(
            user,
            TokenPurpose.RESET_PASSWORD,
            app.config["PASSWORD_RESET_MAX_AGE"],
            payload=respond_url(consultation_id),
        )
        db.session.commit()
    assert submit(client, f"/verify/{reset}", page="/login").status_code == 404
    assert client.get("/account").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(User.email_verified_at).where(User.email == EMAIL)) is None
