"""Retention (issue 11, section 4): the privacy notice says how long each thing is kept, and `flask retention`, run by
a scheduler, keeps to it: account events leave the audit log after 12 months, an anonymous consultation's answers are
unlinked from their people once it is archived (or long closed), expired links and stale queued emails go."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from support import STAFF, login, make_city, make_user, submit
from youth_portal import mail
from youth_portal.accounts.models import CityRoleName, User
from youth_portal.admin import services as admin
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City
from youth_portal.consultations.models import ConsultationUpdate, Response, ResponseMode
from youth_portal.extensions import db
from youth_portal.guardians.models import GuardianConsent
from youth_portal.mail import QueuedEmail
from youth_portal.timeutil import utcnow
from youth_portal.tokens import OneTimeToken

SKY = "sky@example.org"
WORDS = "The lights by the station are broken"

pytestmark = pytest.mark.usefixtures("english")


def run_retention(runner) -> str:
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    return result.output


def actions(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(sa.select(AuditEvent.action)))


@pytest.fixture
def murcia(app) -> int:
    with app.app_context():
        city = make_city("murcia")
        make_user(SKY, city=city, display_name="Sky")
        make_user(STAFF, city=city, display_name="Staffer", city_role=CityRoleName.STAFF)
        return city.id


def test_account_events_leave_the_audit_log_after_12_months_and_staff_actions_stay(app, client, runner, clock, murcia):
    with app.app_context():
        sky = db.session.scalar(sa.select(User).where(User.email == SKY))
        chief = make_user("chief@example.org", city=sky.home_city, city_role=CityRoleName.CITY_ADMIN)
        with app.test_request_context():
            admin.grant_role(sky.home_city, sky, CityRoleName.MODERATOR, by=chief)
        db.session.commit()
    login(client, SKY)
    assert {"auth.login.succeeded", "role.granted"} <= actions(app)

    clock.shift(timedelta(days=364))
    run_retention(runner)
    assert "auth.login.succeeded" in actions(app), "kept for 12 months"

    clock.shift(timedelta(days=2))
    output = run_retention(runner)

    assert "old account events: 1" in output
    assert actions(app) == {"role.granted"}
    login(client, SKY)
    activity = client.get("/account/data.json").get_json()["activity_log"]
    assert [event["action"] for event in activity] == ["role.granted", "auth.login.succeeded"]  # today's sign-in


@pytest.fixture
def archived(app, murcia) -> dict[str, int]:
    """Sky answered an anonymous and an identified consultation, both archived, and left a draft in a third."""
    with app.app_context():
        sky = db.session.scalar(sa.select(User).where(User.email == SKY))
        anonymous = make_consultation(sky.home_city, "archived", title={"en": "Station lights"})
        identified = make_consultation(
            sky.home_city, "archived", mode=ResponseMode.IDENTIFIED, title={"en": "Named answers"}
        )
        drafted = make_consultation(sky.home_city, "archived", title={"en": "Drafted only"})
        add_response(anonymous, sky, {3: {"choices": ["yes"]}, 7: {"text": WORDS}}, gender="woman")
        add_response(identified, sky, {3: {"choices": ["no"]}})
        add_response(drafted, sky, {3: {"choices": ["no"]}}, submitted=False)
        return {"sky": sky.id, "anonymous": anonymous.id, "identified": identified.id, "drafted": drafted.id}


def test_once_an_anonymous_consultation_is_archived_its_answers_are_unlinked_and_the_person_told_why(
    app, client, runner, archived
):
    login(client, SKY)
    before = client.get("/account/participation").get_data(as_text=True)
    assert WORDS in before and "Station lights" in before

    run_retention(runner)

    page = client.get("/account/participation").get_data(as_text=True)
    assert "Station lights" in page and "You took part." in page
    assert "we removed the link between you and your answers" in page and WORDS not in page
    assert "Named answers" in page, "an identified consultation keeps its link while the account exists"
    assert "Drafted only" not in page, "a draft of an archived consultation is deleted"
    data = client.get("/account/data.json").get_json()
    assert [r["consultation"] for r in data["consultation_responses"]] == ["Named answers"]
    [record] = data["consultations_you_answered_anonymously"]
    assert (record["consultation"], record["city"]) == ("Station lights", "murcia")
    with app.app_context():
        [unlinked] = db.session.scalars(
            sa.select(Response).where(Response.consultation_id == archived["anonymous"])
        ).all()
        assert unlinked.user_id is None and unlinked.gender == "woman"
        assert [a.text for a in unlinked.answers if a.text] == [WORDS], "still counted, by nobody"
    assert "Station lights" in client.get("/account/participation").get_data(as_text=True)
    assert run_retention(runner).count(": 0") >= 4, "nothing more to do the next day"


def test_a_consultation_whose_updates_are_still_being_emailed_keeps_its_links_until_they_are_sent(
    app, client, runner, archived
):
    with app.app_context():
        db.session.add(ConsultationUpdate(consultation_id=archived["anonymous"], kind="outcome-published"))
        db.session.commit()

    run_retention(runner)

    with app.app_context():
        owner = db.session.scalar(sa.select(Response.user_id).where(Response.consultation_id == archived["anonymous"]))
        assert owner == archived["sky"]


def test_a_consultation_its_city_never_archives_is_unlinked_two_years_after_closing(app, client, runner, clock, murcia):
    with app.app_context():
        sky = db.session.scalar(sa.select(User).where(User.email == SKY))
        made = make_consultation(sky.home_city, "outcome-published", title={"en": "Never archived"})
        add_response(made, sky, {3: {"choices": ["yes"]}})
    clock.shift(timedelta(days=700))
    run_retention(runner)
    login(client, SKY)
    assert "You took part." not in client.get("/account/participation").get_data(as_text=True)

    clock.shift(timedelta(days=40))
    run_retention(runner)

    login(client, SKY)
    page = client.get("/account/participation").get_data(as_text=True)
    assert "Never archived" in page and "You took part." in page


def test_expired_links_and_emails_queued_too_long_are_deleted(app, client, runner, clock, murcia):
    submit(client, "/password/forgot", {"email": SKY})
    with app.test_request_context():
        mail.queue(
            mail.compose(
                "someone@example.org",
                "News",
                "reset_password",
                "en",
                display_name="X",
                link="/",
                valid_for=timedelta(hours=1),
            )
        )
        db.session.commit()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OneTimeToken.id))) == 1

    clock.shift(timedelta(days=8))
    output = run_retention(runner)

    assert "expired links: 1" in output and "old queued emails: 1" in output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OneTimeToken.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(QueuedEmail.id))) == 0


def test_an_account_never_confirmed_is_deleted_after_30_days_with_its_guardians_address(
    app, client, runner, clock, murcia
):
    with app.app_context():
        city = db.session.get(City, murcia)
        young = make_user("unconfirmed@example.org", city=city, verified=False, birth_year=utcnow().year - 14)
        db.session.add(GuardianConsent(user=young, guardian_email="mum@example.net", language="en"))
        make_user("confirmed@example.org", city=city)
        db.session.commit()
    clock.shift(timedelta(days=29))
    assert "unconfirmed accounts: 0" in run_retention(runner)
    clock.shift(timedelta(days=2))
    assert "unconfirmed accounts: 1" in run_retention(runner)
    with app.app_context():
        emails = set(db.session.scalars(sa.select(User.email).where(User.deleted_at.is_(None))))
        assert "unconfirmed@example.org" not in emails and {"confirmed@example.org", SKY} <= emails
        assert db.session.scalar(sa.select(sa.func.count(GuardianConsent.id))) == 0
    assert login(client, "unconfirmed@example.org").status_code == 422  # the account is gone
    assert login(client, SKY).status_code == 200


def test_the_privacy_notice_states_how_long_each_thing_is_kept(client):
    page = client.get("/privacy").get_data(as_text=True)
    for words in (
        "while you have your account",
        "until the consultation is archived",
        "two years after it closed at the latest",
        "12 months, then they are deleted",
        "deleted once they expire",
        "within 7 days",
        "after 30 minutes without activity",
        "only as anonymous numbers",
        "your account is deleted 30 days after you registered",
    ):
        assert words in page, words
    assert "Safety records, like sign-ins, stay" not in page


def test_staff_are_told_that_archiving_an_anonymous_consultation_unlinks_its_answers(app, client, murcia):
    with app.app_context():
        city = db.session.scalar(sa.select(User).where(User.email == STAFF)).home_city
        anonymous = make_consultation(city, "outcome-published").id
        identified = make_consultation(city, "outcome-published", mode=ResponseMode.IDENTIFIED).id
    login(client, STAFF)
    note = "the link between each young person and their answers is removed"
    assert note in client.get(f"/cities/murcia/manage/consultations/{anonymous}/edit").get_data(as_text=True)
    assert note not in client.get(f"/cities/murcia/manage/consultations/{identified}/edit").get_data(as_text=True)
