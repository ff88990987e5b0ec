"""CSRF: every POST route, found in the app's URL map, refuses a form sent without its token (400) and writes
nothing, even for a signed-in person allowed there, and with real objects of their city in the URL."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import url_for

from consultation_factory import add_response, make_consultation
from support import login, make_city, make_user
from youth_portal import tokens
from youth_portal.accounts.models import CityRole, CityRoleName, NetworkRole
from youth_portal.consultations.models import Answer, Commitment
from youth_portal.consultations.results.written import quote_key
from youth_portal.extensions import db
from youth_portal.tokens import TokenPurpose

#: Which kind of emailed link each route taking a <token> acts on (a new route must say, or the test below fails).
TOKEN_PURPOSES = {
    "accounts.confirm_email": TokenPurpose.VERIFY_EMAIL,
    "accounts.choose_new_password": TokenPurpose.RESET_PASSWORD,
    "my_account.confirm_email_post": TokenPurpose.CHANGE_EMAIL,
    "guardians.decide": TokenPurpose.GUARDIAN_CONSENT,
    "guardians.withdraw": TokenPurpose.GUARDIAN_WITHDRAW,
    "role_invitations.answer": TokenPurpose.ROLE_INVITATION,
}

#: What a form would carry: values any of these forms would act on, so a missing check would write something.
POSTED = {
    "email": "target@example.org",
    "role": "staff",
    "name": "Intruded",
    "slug": "intruded",
    "country": "ES",
    "region": "europe",
    "timezone": "Europe/Madrid",
    "languages": ["es"],
    "default_language": "es",
    "language": "es",
    "min_age": "13",
    "max_age": "30",
    "title_en": "Intruded",
    "action": "submit",
    "decision": "grant",
    "password": "a brand new long passphrase",
    "confirm": "a brand new long passphrase",
    "text_en": "Intruded",
}


def post_routes(app) -> list[tuple[str, list[str]]]:
    """(endpoint, its URL parameters) for every rule that takes POST."""
    rules = app.url_map.iter_rules()
    return sorted((rule.endpoint, sorted(rule.arguments)) for rule in rules if "POST" in rule.methods)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table: what a refused request must leave exactly as it was."""
    return {
        table.name: sorted(map(tuple, db.session.execute(sa.select(table)).all()), key=repr)
        for table in db.metadata.sorted_tables
    }


@pytest.fixture
def allowed(app, client):
    """A 20-year-old resident of Murcia who is its city admin and a network admin (allowed on every POST route),
    signed in; returns the URL parameters of real objects of Murcia for each kind of route."""
    app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        murcia = make_city("murcia")
        person = make_user(
            "boss@example.org", city=murcia, city_role=CityRoleName.CITY_ADMIN, network_role=NetworkRole.NETWORK_ADMIN
        )
        other_admin = make_user("other@example.org", city=murcia, city_role=CityRoleName.CITY_ADMIN)
        consultation = make_consultation(murcia, "open")
        add_response(consultation, make_user("young@example.org", city=murcia), {7: {"text": "More benches."}})
        commitment = Commitment(consultation=consultation, text={"en": "Benches"})
        db.session.add(commitment)
        db.session.commit()
        answer_id = db.session.scalar(sa.select(Answer.id).where(Answer.text == "More benches."))
        role_id = db.session.scalar(sa.select(CityRole.id).where(CityRole.user_id == other_admin.id))
        links = {
            purpose: tokens.issue(person, purpose, timedelta(days=1), payload="new@example.org")
            for purpose in TokenPurpose
        }
        db.session.commit()
        values = {
            "slug": "murcia",
            "consultation_id": consultation.id,
            "question_id": consultation.questions[0].id,
            "commitment_id": commitment.id,
            "role_id": role_id,
            "key": quote_key(answer_id),
        }
    login(client, "boss@example.org")
    return values, links


def test_every_route_taking_a_token_says_which(app):
    assert {endpoint for endpoint, arguments in post_routes(app) if "token" in arguments} == set(TOKEN_PURPOSES)


def test_every_post_without_a_csrf_token_is_refused_and_writes_nothing(app, client, allowed):
    values, links = allowed
    with app.app_context():
        before = snapshot()
    refused = {}
    for endpoint, arguments in post_routes(app):
        with app.test_request_context():
            parameters = {name: values[name] for name in arguments if name != "token"}
            if "token" in arguments:
                parameters["token"] = links[TOKEN_PURPOSES[endpoint]]
            url = url_for(endpoint, **parameters)
        response = client.post(url, data=POSTED)
        refused[endpoint] = response.status_code, "This form has expired" in response.get_data(as_text=True)
    assert {endpoint for endpoint, result in refused.items() if result != (400, True)} == set()
    assert len(refused) >= 40
    with app.app_context():
        assert snapshot() == before
