"""My participation: the consultations a person answered or drafted, their answers, and what came of them."""

import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from consultation_support import city
from support import count_queries, last_message_to, link_in, login, make_city, make_user, submit
from youth_portal.accounts.models import User
from youth_portal.consultations.models import (
    Commitment,
    CommitmentStatus,
    ConsultationUpdate,
    ResponseMode,
)
from youth_portal.extensions import db
from youth_portal.guardians.models import ConsentStatus, GuardianConsent

PAGE = "/account/participation"
XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def people(app):
    """Sky (who will sign in) and River, both of Murcia."""
    with app.app_context():
        city = make_city("murcia")
        make_user("sky@example.org", city=city, display_name="Sky")
        make_user("river@example.org", city=city, display_name="River")


def person(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def sections(html: str) -> list[str]:
    return re.findall(r'<article class="card participation".*?</article>', html, re.S)


def test_participation_needs_signing_in(client, people):
    response = client.get(PAGE)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_nothing_yet_says_so(client, people):
    login(client, "sky@example.org")
    html = client.get(PAGE).get_data(as_text=True)
    assert "You have not answered any consultation yet." in html
    assert 'href="/consultations"' in html


def test_my_submitted_answers_are_shown_readably(app, client, people):
    with app.app_context():
        consultation = make_consultation(city(), "open")
        add_response(
            consultation,
            person("sky@example.org"),
            {
                1: {"choices": ["other"], "text": "Skate parks"},
                2: {"choices": ["sport", "study"]},
                3: {"choices": ["no"]},
                4: {"number": 4},
                5: {"choices": ["transport", "jobs"]},
                7: {"text": XSS},
            },
        )
        consultation_id = consultation.id
    login(client, "sky@example.org")
    html = client.get(PAGE).get_data(as_text=True)
    (section,) = sections(html)
    assert f'href="/cities/murcia/consultations/{consultation_id}"' in section
    assert "Our parks" in section and "Murcia" in section
    assert "Open" in section and "Submitted on" in section
    assert "Anonymous to staff" in section
    assert "Change my answers" in section
    assert "<dt>Which space matters most?</dt>" in section and "Other: Skate parks" in section
    assert "Sport<br>Study rooms" in section
    assert "No" in section
    assert "4 on a scale from 1 to 5" in section
    assert "1. Transport<br>2. Jobs" in section
    assert ESCAPED in section and XSS not in html
    assert "Not answered" in section  # question 6
    assert "The consultation is still open." in section


def test_once_a_guardian_withdraws_consent_answers_are_no_longer_offered_for_change(app, client, people):
    with app.app_context():
        minor = make_user("minor@example.org", city=city(), display_name="Kit", birth_year=date.today().year - 13)
        consent = GuardianConsent(
            user_id=minor.id, guardian_email="parent@example.org", language="en", status=ConsentStatus.GRANTED
        )
        db.session.add(consent)
        db.session.commit()
        consent_id = consent.id
        add_response(make_consultation(city(), "open"), minor, {3: {"choices": ["yes"]}})
    login(client, "minor@example.org")
    (section,) = sections(client.get(PAGE).get_data(as_text=True))
    assert "Change my answers" in section
    with app.app_context():
        db.session.get(GuardianConsent, consent_id).status = ConsentStatus.WITHDRAWN
        db.session.commit()
    (section,) = sections(client.get(PAGE).get_data(as_text=True))
    assert "Change my answers" not in section
    assert "Your parent or guardian took back their agreement, so you cannot answer for now." in section


def test_a_draft_is_shown_as_not_sent(app, client, people):
    with app.app_context():
        add_response(
            make_consultation(city(), "open"), person("sky@example.org"), {6: {"text": "Half"}}, submitted=False
        )
    login(client, "sky@example.org")
    (section,) = sections(client.get(PAGE).get_data(as_text=True))
    assert "Draft, not sent yet" in section and "Finish and submit my answers" in section


def test_only_my_own_responses_are_shown(app, client, people):
    with app.app_context():
        mine = make_consultation(city(), "open", title={"en": "Mine", "es": "Mía"})
        theirs = make_consultation(city(), "open", title={"en": "Theirs", "es": "Suya"})
        add_response(mine, person("sky@example.org"), {6: {"text": "Sky's words"}})
        add_response(theirs, person("river@example.org"), {6: {"text": "River's words"}})
        add_response(mine, person("river@example.org"), {6: {"text": "River again"}})
    login(client, "sky@example.org")
    html = client.get(PAGE).get_data(as_text=True)
    assert len(sections(html)) == 1
    assert "Mine" in html and "Sky&#39;s words" in html
    assert "Theirs" not in html and "River" not in html


def test_outcome_commitments_and_what_happened_since(app, client, people):
    with app.app_context():
        consultation = make_consultation(city(), "outcome-published", mode=ResponseMode.IDENTIFIED)
        late = Commitment(
            position=1, text={"en": "Open two parks late"}, status=CommitmentStatus.DONE, due_on=date(2031, 3, 1)
        )
        skate = Commitment(
            position=2,
            text={"en": "A skate park"},
            status=CommitmentStatus.NOT_POSSIBLE,
            reason={"en": "No land available"},
        )
        consultation.commitments = [late, skate]
        db.session.flush()
        db.session.add_all(
            [
                ConsultationUpdate(
                    consultation_id=consultation.id, kind="outcome-published", created_at=datetime(2030, 5, 1, 10, 0)
                ),
                ConsultationUpdate(
                    consultation_id=consultation.id,
                    kind="commitment-status",
                    commitment_id=late.id,
                    status=CommitmentStatus.DONE,
                    created_at=datetime(2030, 6, 2, 10, 0),
                ),
            ]
        )
        add_response(consultation, person("sky@example.org"), {3: {"choices": ["yes"]}})
    login(client, "sky@example.org")
    (section,) = sections(client.get(PAGE).get_data(as_text=True))
    assert "Outcome published" in section and "Identified: staff see your display name" in section
    assert "<p>We will open two parks late.</p>" in section
    assert "Open two parks late" in section and "Done" in section and "Mar 1, 2031" in section
    assert "A skate park" in section and "Not possible" in section and "No land available" in section
    assert "What happened since" in section
    assert section.index("May 1, 2030") < section.index("Jun 2, 2030")
    assert "The city published what it will do." in section
    assert "“Open two parks late” is now: Done" in section
    assert "Change my answers" not in section


def test_closed_without_outcome_says_it_is_coming(app, client, people):
    with app.app_context():
        add_response(make_consultation(city(), "closed"), person("sky@example.org"), {3: {"choices": ["yes"]}})
    login(client, "sky@example.org")
    (section,) = sections(client.get(PAGE).get_data(as_text=True))
    assert "The city has not published what it will do yet" in section


def test_page_runs_the_same_queries_however_many_consultations(app, client, people):
    def answer(count: int) -> None:
        with app.app_context():
            for _ in range(count):
                consultation = make_consultation(city(), "outcome-published")
                consultation.commitments = [Commitment(text={"en": "Do it"}, status=CommitmentStatus.PLANNED)]
                db.session.add(ConsultationUpdate(consultation_id=consultation.id, kind="outcome-published"))
                db.session.commit()
                add_response(consultation, person("sky@example.org"), {3: {"choices": ["yes"]}, 6: {"text": "Hi"}})

    login(client, "sky@example.org")
    answer(2)
    with app.app_context(), count_queries() as few:
        assert len(sections(client.get(PAGE).get_data(as_text=True))) == 2
    answer(4)
    with app.app_context(), count_queries() as many:
        assert len(sections(client.get(PAGE).get_data(as_text=True))) == 6
    assert len(many) == len(few) <= 8, (len(few), len(many))


def test_the_receipt_links_here(app, client, people, outbox):
    with app.app_context():
        consultation = make_consultation(city(), "open")
        questions = {q.position: q.id for q in consultation.questions}
        consultation_id = consultation.id
    login(client, "sky@example.org")
    url = f"/cities/murcia/consultations/{consultation_id}/respond"
    sent = submit(client, url, {f"q{questions[1]}": "park", f"q{questions[3]}": "yes", "action": "submit"})
    assert sent.status_code == 302
    link = link_in(last_message_to(outbox, "sky@example.org"), PAGE)
    assert len(sections(client.get(link).get_data(as_text=True))) == 1
