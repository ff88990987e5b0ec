"""Deleting an account (issue 11, section 4): what the person wrote stops being published or shown, their answers keep
counting only as anonymous numbers tied to nobody, and the audit log keeps its events without naming them."""

import csv
import io
import json

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from support import PASSWORD, STAFF, login, make_city, make_user, submit
from youth_portal.accounts.models import CityRoleName, User
from youth_portal.admin import services as admin
from youth_portal.audit.models import AuditEvent
from youth_portal.consultations.models import Answer, Response, ResponseMode
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

SKY = "sky@example.org"
QUOTE = "Nobody walks by the river at night, it scares me"
OTHER_TEXT = "The skate spot behind my school"


@pytest.fixture
def answered(app) -> dict[str, int]:
    """Murcia's closed identified consultation: Sky answered it (a quote staff approved, an "other" text) beside ten
    others; Sky also has a draft of an open one."""
    with app.app_context():
        murcia = make_city("murcia", districts=["Centro", "Norte"])
        make_user(STAFF, city=murcia, display_name="Staffer", city_role=CityRoleName.STAFF)
        sky = make_user(SKY, city=murcia, display_name="Sky")
        parks = make_consultation(murcia, "closed", mode=ResponseMode.IDENTIFIED)
        mine = add_response(
            parks,
            sky,
            {1: {"choices": ["other"], "text": OTHER_TEXT}, 3: {"choices": ["yes"]}, 7: {"text": QUOTE}},
            gender="woman",
            district="Centro",
        )
        for number in range(10):
            person = make_user(f"p{number}@example.org", city=murcia, display_name=f"Person{number}")
            add_response(
                parks, person, {1: {"choices": ["park"]}, 3: {"choices": ["no"]}, 7: {"text": f"Idea {number}"}}
            )
        quote = next(answer for answer in mine.answers if answer.text == QUOTE)
        quote.quote_approved_at = utcnow()
        buses = make_consultation(murcia, "open", title={"en": "Night buses"})
        add_response(buses, sky, {7: {"text": "A draft never sent"}}, submitted=False)
        db.session.commit()
        return {"sky": sky.id, "parks": parks.id, "buses": buses.id}


def delete_account(client, email: str = SKY) -> None:
    login(client, email)
    response = submit(client, "/account/delete", {"current_password": PASSWORD, "confirm": "y"}, follow_redirects=True)
    assert "Your account was deleted" in response.get_data(as_text=True)


def public_results(visitor, consultation_id: int) -> str:
    return visitor.get(f"/cities/murcia/consultations/{consultation_id}/results").get_data(as_text=True)


def staff_export(app, consultation_id: int) -> tuple[list[list[str]], dict]:
    """The staff's CSV rows and JSON summary, as a member of Murcia's staff downloads them."""
    staff = app.test_client()
    login(staff, STAFF)
    manage = f"/cities/murcia/manage/consultations/{consultation_id}"
    rows = list(csv.reader(io.StringIO(staff.get(f"{manage}/export.csv").get_data(as_text=True).lstrip("\ufeff"))))
    return rows, json.loads(staff.get(f"{manage}/export.json").get_data(as_text=True))


def test_a_deleted_persons_quote_is_no_longer_published_and_their_texts_are_gone(app, client, visitor, answered):
    assert QUOTE in public_results(visitor, answered["parks"])

    delete_account(client)

    assert QUOTE not in public_results(visitor, answered["parks"])
    rows, _summary = staff_export(app, answered["parks"])
    everything = json.dumps(rows)
    assert QUOTE not in everything and OTHER_TEXT not in everything and "Sky" not in everything
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Answer.text.in_([QUOTE, OTHER_TEXT]))) == 0


def test_a_deleted_persons_answers_count_on_tied_to_nobody(app, client, answered):
    rows_before, summary_before = staff_export(app, answered["parks"])

    delete_account(client)

    rows, summary = staff_export(app, answered["parks"])
    assert summary["consultation"]["responses"] == summary_before["consultation"]["responses"] == 11
    assert json.dumps(summary["questions"][2]) == json.dumps(summary_before["questions"][2])  # "yes": still there
    assert len(rows) == len(rows_before) and sum("deleted account" in row for row in rows) == 1
    with app.app_context():
        assert db.session.scalars(sa.select(Response).where(Response.user_id == answered["sky"])).all() == []
        [kept] = db.session.scalars(sa.select(Response).where(Response.user_id.is_(None))).all()
        assert (kept.consultation_id, kept.gender, kept.district) == (answered["parks"], "woman", "Centro")
        moment = kept.submitted_at
        assert (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0), "kept to the day"
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Response.id)).where(Response.consultation_id == answered["buses"])
            )
            == 0
        )


def test_the_audit_log_keeps_a_deleted_persons_events_without_naming_them(app, client, answered):
    with app.app_context():
        murcia = db.session.scalar(sa.select(User).where(User.email == STAFF)).home_city
        chief = make_user("chief@example.org", city=murcia, display_name="Chief", city_role=CityRoleName.CITY_ADMIN)
        helper = make_user("helper@example.org", city=murcia, display_name="Helper")
        with app.test_request_context():
            admin.grant_role(murcia, helper, CityRoleName.MODERATOR, by=chief)
        db.session.commit()
        helper_id = helper.id
    login(client, "helper@example.org")  # a sign-in, in the log too

    delete_account(client, "helper@example.org")

    with app.app_context():
        naming = sa.or_(AuditEvent.actor_id == helper_id, AuditEvent.subject_id == helper_id)
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(naming)) == 0
        kept = set(db.session.scalars(sa.select(AuditEvent.action)))
        assert {"role.granted", "auth.login.succeeded", "account.deleted"} <= kept
    login(client, "chief@example.org")
    activity = client.get("/account/data.json").get_json()["activity_log"]
    [granted] = [event for event in activity if event["action"] == "role.granted"]
    assert granted["you_acted"] and granted["detail"] is None, "the details were about someone else"
    page = client.get("/cities/murcia/manage/audit").get_data(as_text=True)
    assert "Helper" not in page
    granted = next(row for row in page.split("<tr>") if "Granted a role" in row)
    assert "Chief" in granted and "deleted account" in granted


def test_the_delete_page_says_what_is_erased_and_what_stays_as_anonymous_numbers(client, answered):
    login(client, SKY)
    page = client.get("/account/delete").get_data(as_text=True)
    for words in (
        "Everything you wrote in answers",
        "as a quote, it is taken down",
        "no longer linked to you",
        "only as anonymous numbers",
        "without your name",
    ):
        assert words in page, words
    assert "they show “deleted account” instead" not in page
