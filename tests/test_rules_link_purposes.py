"""Emailed links work only for what they were made for: a link of any other purpose, even with the right person
and payload, is refused by every endpoint that takes a link, when opened (GET) and when confirmed (POST)."""

from datetime import UTC, timedelta

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from support import csrf_token, login, make_city, make_user
from youth_portal import tokens
from youth_portal.accounts.models import CityRoleName, User
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
    "role invitation": (
        "/account/role-invitation/",
        TokenPurpose.ROLE_INVITATION,
        "sky@example.org",
        {"accept": "yes"},
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
    """Sky (signed in), Murcia's admin, a person who has not confirmed their address, and two minors whose guardians
    were asked (one pending, one granted)."""
    with app.app_context():
        murcia = make_city("murcia")
        make_user("sky@example.org", city=murcia)
        make_user("boss@example.org", city=murcia, city_role=CityRoleName.CITY_ADMIN)  # who invites Sky
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
        if endpoint == "role invitation":  # Murcia's admin invites Sky to be staff
            boss = db.session.scalar(sa.select(User).where(User.email == "boss@example.org"))
            payload = f"{boss.home_city_id}:staff:{boss.id}"
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


def sign(app, token_id: str, purpose: TokenPurpose, salt: str | None) -> str:
    """A link signed with the app's key, as another part of the app (another salt) or an older release would."""
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt).dumps([token_id, purpose.value])


def test_links_emailed_before_an_upgrade_still_work_and_other_signatures_do_not(app):
    """The signature's salt is part of every link already in people's mailboxes: changing it breaks them all; and a
    value the app signs for something else (its session cookie, itsdangerous' default) is not a link."""
    with app.app_context():
        person = make_user("sky@example.org", city=make_city("murcia"))
        signed = tokens.issue(person, TokenPurpose.RESET_PASSWORD, timedelta(hours=1))
        db.session.commit()
        token_id = tokens.find(signed, TokenPurpose.RESET_PASSWORD).id
        assert tokens.find(
            sign(app, token_id, TokenPurpose.RESET_PASSWORD, "one-time-link"), TokenPurpose.RESET_PASSWORD
        )
        for salt in (None, "itsdangerous", "cookie-session"):
            forged = sign(app, token_id, TokenPurpose.RESET_PASSWORD, salt)
            assert tokens.find(forged, TokenPurpose.RESET_PASSWORD) is None, salt


def test_a_link_whose_row_is_gone_is_refused_not_an_error(app, client):
    with app.app_context():
        person = make_user("sky@example.org", city=make_city("murcia"))
        signed = tokens.issue(person, TokenPurpose.RESET_PASSWORD, timedelta(hours=1))
        db.session.commit()
        db.session.execute(sa.delete(tokens.OneTimeToken))
        db.session.commit()
    assert client.get(f"/password/reset/{signed}").status_code == 404


def test_a_link_stops_working_the_moment_it_expires(app, clock):
    with app.app_context():
        person = make_user("sky@example.org", city=make_city("murcia"))
        signed = tokens.issue(person, TokenPurpose.RESET_PASSWORD, timedelta(hours=1))
        db.session.commit()
        expires_at = tokens.find(signed, TokenPurpose.RESET_PASSWORD).expires_at
        clock.move_to(expires_at.replace(tzinfo=UTC) - timedelta(seconds=1), tick=False)
        assert tokens.find(signed, TokenPurpose.RESET_PASSWORD) is not None
        clock.move_to(expires_at.replace(tzinfo=UTC), tick=False)
        assert tokens.find(signed, TokenPurpose.RESET_PASSWORD) is None


def test_a_link_used_by_someone_else_meanwhile_is_not_used_twice(app):
    """Two requests with one link: the second reads the link unused, the first marks it used before the second
    does; only one of them may go through."""
    with app.app_context():
        person = make_user("sky@example.org", city=make_city("murcia"))
        signed = tokens.issue(person, TokenPurpose.RESET_PASSWORD, timedelta(hours=1))
        db.session.commit()
        seen_unused = tokens.find(signed, TokenPurpose.RESET_PASSWORD)
        assert seen_unused.used_at is None
        # The other request's UPDATE, which this session's copy of the row does not see.
        db.session.execute(
            sa.update(tokens.OneTimeToken)
            .values(used_at=seen_unused.created_at)
            .execution_options(synchronize_session=False)
        )
        assert tokens.redeem(signed, TokenPurpose.RESET_PASSWORD) is None


def test_revoking_a_persons_links_leaves_everyone_elses_and_when_a_used_one_was_used(app, clock):
    with app.app_context():
        murcia = make_city("murcia")
        sky, ana = make_user("sky@example.org", city=murcia), make_user("ana@example.org", city=murcia)
        used = tokens.redeem(
            tokens.issue(sky, TokenPurpose.RESET_PASSWORD, timedelta(hours=1)), TokenPurpose.RESET_PASSWORD
        )
        used_at = used.used_at
        links = {
            person.email: tokens.issue(person, TokenPurpose.RESET_PASSWORD, timedelta(hours=1)) for person in (sky, ana)
        }
        clock.shift(timedelta(minutes=5))
        tokens.revoke_unused(sky, TokenPurpose.RESET_PASSWORD)
        db.session.commit()
        assert tokens.find(links["sky@example.org"], TokenPurpose.RESET_PASSWORD) is None
        assert tokens.find(links["ana@example.org"], TokenPurpose.RESET_PASSWORD) is not None
        db.session.refresh(used)
        assert used.used_at == used_at
