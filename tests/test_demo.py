"""`flask demo`: cities in several regions and languages, an account of every role, a minor awaiting consent."""

import pytest
import sqlalchemy as sa

from support import login, make_city
from youth_portal.accounts.models import CityRole, CityRoleName, NetworkRole, Participation, User
from youth_portal.accounts.participation import participation_of
from youth_portal.accounts.passwords import password_problem, verify_password
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City
from youth_portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from youth_portal.extensions import db
from youth_portal.guardians.models import ConsentStatus, GuardianConsent
from youth_portal.timeutil import utcnow


def counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_demo_loads_cities_in_several_regions_and_languages(app, runner):
    result = runner.invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    with app.app_context():
        cities = db.session.scalars(sa.select(City)).all()
        assert len(cities) >= 6
        assert len({c.region for c in cities}) >= 4
        assert {c.default_language for c in cities} >= {"es", "fr", "ar", "en"}
        by_slug = {c.slug: c for c in cities}
        assert (by_slug["murcia"].country, by_slug["murcia"].languages) == ("ES", ["es", "en"])
        assert (by_slug["montreal"].name, by_slug["montreal"].languages) == ("Montréal", ["fr", "en"])
        assert (by_slug["beirut"].country, by_slug["beirut"].languages) == ("LB", ["ar", "fr", "en"])
        assert {"nairobi", "lyon", "mombasa"} <= set(by_slug)


def test_demo_has_an_account_of_every_role(app, runner):
    runner.invoke(args=["demo"])
    with app.app_context():
        network_roles = set(db.session.scalars(sa.select(User.network_role).where(User.network_role.is_not(None))))
        assert network_roles == set(NetworkRole)
        assert user("admin@demo.youth-portal.org").network_role == NetworkRole.NETWORK_ADMIN
        for slug in ("murcia", "beirut"):
            roles = set(
                db.session.scalars(
                    sa.select(CityRole.role).join(City).where(City.slug == slug, CityRole.revoked_at.is_(None))
                )
            )
            assert roles == set(CityRoleName), slug
        residents = db.session.scalars(
            sa.select(User).where(User.network_role.is_(None), ~User.id.in_(sa.select(CityRole.user_id)))
        ).all()
        assert len({r.home_city_id for r in residents}) >= 3
        assert any(r.language == "ar" and r.home_city.slug == "beirut" for r in residents)
        assert all(r.email_verified_at is not None for r in residents)


def test_demo_minor_in_murcia_waits_for_a_guardian(app, runner):
    runner.invoke(args=["demo"])
    with app.test_request_context():
        minor = user(next(a.email for a in DEMO_ACCOUNTS if a.guardian_email))
        assert minor.home_city.slug == "murcia" and minor.age_on(utcnow().date()) == 13
        assert minor.needs_guardian_consent()
        consent = GuardianConsent.latest_for(minor)
        assert consent.status == ConsentStatus.PENDING and consent.decided_at is None
        assert participation_of(minor) == Participation.CONSENT_PENDING


def test_every_demo_account_has_the_documented_password(app, runner):
    result = runner.invoke(args=["demo"])
    with app.test_request_context():
        assert password_problem(DEMO_PASSWORD) is None
        hashes = set(db.session.scalars(sa.select(User.password_hash)))
        assert len(hashes) == 1  # hashed once, reused
        assert verify_password(hashes.pop(), DEMO_PASSWORD)
        emails = {u.email for u in db.session.scalars(sa.select(User))}
        documented = {a.email for a in DEMO_ACCOUNTS}
        assert documented <= emails
        # The rest are the synthetic respondents behind the demo consultations' answers.
        assert all(e.startswith("respondent-") for e in emails - documented)
    for account in DEMO_ACCOUNTS:
        assert account.email in result.output
    assert DEMO_PASSWORD in result.output


def test_demo_twice_adds_nothing(app, runner):
    runner.invoke(args=["demo"])
    with app.app_context():
        first = counts()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "0 cities and 0 accounts added" in result.output
    with app.app_context():
        assert counts() == first


def test_demo_if_empty_loads_into_an_empty_database(app, runner):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(City.id))) >= 6
    assert "admin@demo.youth-portal.org" in result.output


def test_demo_if_empty_leaves_a_database_with_cities_alone(app, runner):
    with app.app_context():
        make_city("santa-cruz")
        before = counts()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "not loaded" in result.output
    assert "admin@demo.youth-portal.org" not in result.output  # no logins printed that do not exist
    with app.app_context():
        assert counts() == before


def test_demo_role_grants_are_in_the_audit_log(app, runner):
    runner.invoke(args=["demo"])
    with app.app_context():
        granted = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "role.granted"))
        assert granted == db.session.scalar(sa.select(sa.func.count(CityRole.id)))


@pytest.mark.parametrize(
    ("email", "page"),
    [
        ("admin@demo.youth-portal.org", "/admin/cities"),
        ("murcia-admin@demo.youth-portal.org", "/cities/murcia/manage/roles"),
        ("beirut-admin@demo.youth-portal.org", "/cities/beirut/manage/audit"),
    ],
)
def test_demo_admins_can_sign_in_and_open_their_pages(app, client, runner, email, page):
    runner.invoke(args=["demo"])
    login(client, email, DEMO_PASSWORD)
    assert client.get(page).status_code == 200
