"""Emailed links work only for what they were made for: a link of any other purpose, even with the right person
and payload, is refused by every endpoint that takes a link, when opened (GET) and when confirmed (POST)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from support import csrf_token, login, make_city, make_user
from youth_portal import tokens
from youth_portal.accounts.models import User
from youth_portal.extensions import db
from youth_portal.guardians.models import ConsentStatus, GuardianConsent
from youth_portal.tokens import TokenPurpose

#: Endpoint -> (its path before the link, the purpose it takes, who the link is for, what form it posts).
ENDPOINTS = {
    "verify": ("/verify/", TokenPurpose.VERIFY_EMAIL, "new@example.org", {}),
    "reset": (
        "/password/reset/",
        TokenPurpose.RESET_PASSWORD,
        "sky@example.org",
        {"password": "a brand new long passphrase"},
    ),
    "change email": ("/account/email/confirm/", TokenPurpose.CHANGE_EMAIL, "sky@example.org", {}),
    "guardian decides": (
        "/guardian/consent/",
        TokenPurpose.GUARDIAN_CONSENT,
        "pending@example.org",
        {"agree": "I agree"},
    ),
    "guardian withdraws": (
        "/guardian/withdraw/",
        TokenPurpose.GUARDIAN_WITHDRAW,
        "granted@example.org",
        {"withdraw": "Withdraw my consent"},
    ),
}


def test_every_endpoint_that_takes_a_link_is_listed(app):
    paths = {rule.rule.removesuffix("<token>") for rule in app.url_map.iter_rules() if "token" in rule.arguments}
    assert paths == {path for path, *_ in ENDPOINTS.values()}
    assert {purpose for _, purpose, *_ in ENDPOINTS.values()} == set(TokenPurpose)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table."""
    return {
        table.name: sorted(map(tuple, db.session.execute(sa.select(table)).all()), key=repr)
        for table in db.metadata.sorted_tables
    }


@pytest.fixture
def people(app, client):
    """Sky (signed in), a person who has not confirmed their address, and two minors whose guardians were asked
    (one pending, one granted)."""
    with app.app_context():
        murcia = make_city("murcia")
        make_user("sky@example.org", city=murcia)
        make_user("new@example.org", city=murcia, verified=False)
        for email, status in (
            ("pending@example.org", ConsentStatus.PENDING),
            ("granted@example.org", ConsentStatus.GRANTED),
        ):
            minor = make_user(email, city=murcia)
            db.session.add(
                GuardianConsent(user=minor, guardian_email="parent@example.org", language="en", status=status)
            )
        db.session.commit()
    login(client, "sky@example.org")


def link_for(app, endpoint: str, purpose: TokenPurpose) -> str:
    """A fresh link of `purpose`, for the person and with the payload the endpoint expects (only the purpose may
    differ)."""
    _, _, email, _ = ENDPOINTS[endpoint]
    with app.app_context():
        person = db.session.scalar(sa.select(User).where(User.email == email))
        consent = db.session.scalar(sa.select(GuardianConsent).where(GuardianConsent.user_id == person.id))
        payload = str(consent.id) if consent else "sky.new@example.org" if endpoint == "change email" else None
        signed = tokens.issue(person, purpose, timedelta(hours=1), payload=payload)
        db.session.commit()
        return signed


@pytest.mark.parametrize("purpose", list(TokenPurpose))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_a_link_works_only_where_its_purpose_belongs(app, client, people, endpoint, purpose):
    path, expected, _, form = ENDPOINTS[endpoint]
    url = path + link_for(app, endpoint, purpose)
    with app.app_context():
        before = snapshot()
    opened = client.get(url)
    sent = client.post(url, data={"csrf_token": csrf_token(client, "/"), **form})
    with app.app_context():
        written = snapshot() != before
    if purpose == expected:
        assert (opened.status_code, sent.status_code != 404, written) == (200, True, True)
    else:
        assert (opened.status_code, sent.status_code, written) == (404, 404, False)


def test_a_link_is_used_up_once_redeemed(app):
    """Redeeming marks the link used, so neither the page nor the button accept it again."""
    with app.app_context():
        person = make_user("sky@example.org", city=make_city("murcia"))
        signed = tokens.issue(person, TokenPurpose.RESET_PASSWORD, timedelta(hours=1))
        db.session.commit()
        assert tokens.find(signed, TokenPurpose.RESET_PASSWORD) is not None
        used = tokens.redeem(signed, TokenPurpose.RESET_PASSWORD)
        assert used is not None and used.used_at is not None
        db.session.commit()
        assert tokens.find(signed, TokenPurpose.RESET_PASSWORD) is None
        assert tokens.redeem(signed, TokenPurpose.RESET_PASSWORD) is None
