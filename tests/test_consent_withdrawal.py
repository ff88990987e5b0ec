"""A guardian withdraws their consent (issue 11, section 3): the young person's quote is taken down at once, their
drafts deleted, and their answers left out of everything released from then on (results, quotes, exports); their
participation page says so."""

import csv
import io
import json

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from support import STAFF, last_message_to, link_in, login, make_city, make_user, submit, text_of
from youth_portal.accounts.models import CityRoleName, User
from youth_portal.consultations.models import Consultation, Response, ResponseMode
from youth_portal.extensions import db
from youth_portal.guardians import services
from youth_portal.timeutil import utcnow

NICO = "nico@example.org"
GUARDIAN = "parent@example.net"
QUOTE = "At school they call me names and nobody stops them"


@pytest.fixture
def answered(app, client, outbox) -> dict:
    """Nico, 13, in Murcia (a guardian consents below 14), answered a closed consultation with a quote staff approved,
    beside ten others, and began an open one; then the guardian consented. Returns the ids and the withdrawal link."""
    with app.app_context():
        murcia = make_city("murcia", country="ES")
        make_user(STAFF, city=murcia, display_name="Staffer", city_role=CityRoleName.STAFF)
        nico = make_user(NICO, city=murcia, display_name="Nico", birth_year=utcnow().year - 13, birth_month=1)
        with app.test_request_context():
            services.request_consent(nico, GUARDIAN, "en")
        db.session.commit()
    assert (
        submit(client, link_in(last_message_to(outbox, GUARDIAN), "/guardian/consent/"), {"agree": "yes"}).status_code
        == 302
    )
    with app.app_context():
        nico = db.session.scalar(sa.select(User).where(User.email == NICO))
        school = make_consultation(nico.home_city, "closed", title={"en": "Safe schools"})
        mine = add_response(school, nico, {3: {"choices": ["yes"]}, 7: {"text": QUOTE}})
        for number in range(10):
            person = make_user(f"p{number}@example.org", city=nico.home_city, display_name=f"Person{number}")
            add_response(school, person, {3: {"choices": ["no"]}, 7: {"text": f"Idea {number}"}})
        next(answer for answer in mine.answers if answer.text == QUOTE).quote_approved_at = utcnow()
        # Identified, so that staff see each answer while it is open (anonymous numbers move in steps of k people).
        buses = make_consultation(
            nico.home_city, "open", title={"en": "Night buses"}, min_age=13, mode=ResponseMode.IDENTIFIED
        )
        add_response(buses, nico, {3: {"choices": ["no"]}}, submitted=False)
        db.session.commit()
        ids = {"nico": nico.id, "school": school.id, "buses": buses.id}
    return ids | {"withdraw": link_in(last_message_to(outbox, GUARDIAN), "/guardian/withdraw/")}


def public_results(visitor, consultation_id: int) -> str:
    return visitor.get(f"/cities/murcia/consultations/{consultation_id}/results").get_data(as_text=True)


def staff_export(app, consultation_id: int) -> tuple[list[list[str]] | None, dict]:
    """The CSV's rows (None when it is refused) and the JSON summary, as staff download them."""
    staff = app.test_client()
    login(staff, STAFF)
    manage = f"/cities/murcia/manage/consultations/{consultation_id}"
    exported = staff.get(f"{manage}/export.csv")
    rows = None
    if exported.status_code == 200:
        rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    else:
        assert exported.status_code == 409
    return rows, json.loads(staff.get(f"{manage}/export.json").get_data(as_text=True))


def test_withdrawal_takes_the_quote_down_at_once(app, client, visitor, answered):
    assert QUOTE in public_results(visitor, answered["school"])

    assert submit(client, answered["withdraw"], {"withdraw": "yes"}).status_code == 302

    assert QUOTE not in public_results(visitor, answered["school"])


def test_withdrawn_answers_are_left_out_of_every_later_release_and_drafts_deleted(app, client, visitor, answered):
    rows_before, summary_before = staff_export(app, answered["school"])
    assert summary_before["consultation"]["responses"] == 11 and QUOTE in json.dumps(rows_before)

    submit(client, answered["withdraw"], {"withdraw": "yes"})

    # What staff were shown stands (beside a new one, it would show the answers that left); the quote is down.
    rows, summary = staff_export(app, answered["school"])
    assert summary["consultation"]["responses"] == 11 and QUOTE not in json.dumps(summary)
    # An anonymous consultation's rows are released once: a second CSV beside the first would show whose left.
    assert rows is None
    staff = app.test_client()
    login(staff, STAFF)
    listing = staff.get("/cities/murcia/manage/consultations", headers={"Accept-Language": "en"})
    assert "10 submitted" in listing.get_data(as_text=True)
    # The first public release, made after the withdrawal, leaves the answers out.
    assert "10 people answered." in public_results(visitor, answered["school"])
    with app.app_context():
        left = db.session.execute(
            sa.select(Response.consultation_id, Response.withdrawn_at).where(Response.user_id == answered["nico"])
        ).all()
        assert [consultation for consultation, _at in left] == [answered["school"]], "the draft is deleted"
        assert left[0][1] is not None


def test_the_guardian_and_the_young_person_are_told_the_answers_stop_counting_and_the_page_says_so(
    app, client, outbox, answered
):
    before = client.get(answered["withdraw"]).get_data(as_text=True)
    assert "already sent stop counting at once" in before and "quote of theirs is taken down" in before

    submit(client, answered["withdraw"], {"withdraw": "yes"})

    assert "The answers you already sent no longer count" in text_of(last_message_to(outbox, NICO))

    login(client, NICO)
    page = client.get("/account/participation", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Safe schools" in page and "Night buses" not in page
    assert "Your parent or guardian withdrew their consent" in page and "left out of the results" in page


def test_answers_sent_again_under_a_new_consent_count_again(app, client, outbox, answered):
    respond = f"/cities/murcia/consultations/{answered['buses']}/respond"
    with app.app_context():
        questions = {q.position: q.id for q in db.session.get(Consultation, answered["buses"]).questions}
    answers = {f"q{questions[1]}": "park", f"q{questions[3]}": "yes", "action": "submit"}
    login(client, NICO)
    assert submit(client, respond, answers).status_code == 302
    assert staff_export(app, answered["buses"])[1]["consultation"]["responses"] == 1
    guardian = app.test_client()  # on their own device: a decision from Nico's session is refused
    assert submit(guardian, answered["withdraw"], {"withdraw": "yes"}).status_code == 302
    assert staff_export(app, answered["buses"])[1]["consultation"]["responses"] == 0
    with app.app_context(), app.test_request_context():
        services.request_consent(db.session.get(User, answered["nico"]), GUARDIAN, "en")
        db.session.commit()
    assert (
        submit(guardian, link_in(last_message_to(outbox, GUARDIAN), "/guardian/consent/"), {"agree": "yes"}).status_code
        == 302
    )

    login(client, NICO)
    assert submit(client, respond, answers).status_code == 302

    assert staff_export(app, answered["buses"])[1]["consultation"]["responses"] == 1
