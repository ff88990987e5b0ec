"""A consultation's page and answering it: who may answer and why not, the form, drafts, submission, receipt."""

import re
import socket
import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlalchemy.exc import IntegrityError

from consultation_factory import add_response, make_consultation
from support import (
    count_queries,
    csrf_token,
    html_of,
    last_message_to,
    link_in,
    login,
    make_city,
    make_user,
    outbox_messages,
    submit,
    text_of,
)
from youth_portal import mail
from youth_portal.accounts.models import CityRoleName
from youth_portal.cities.models import City
from youth_portal.consultations.models import (
    Answer,
    Audience,
    Commitment,
    CommitmentStatus,
    Consultation,
    Question,
    QuestionKind,
    Response,
    ResponseMode,
    ResponseStatus,
)
from youth_portal.consultations.public import answering
from youth_portal.consultations.public.answering import Refusal
from youth_portal.extensions import db
from youth_portal.guardians.models import ConsentStatus, GuardianConsent
from youth_portal.mail import QueuedEmail
from youth_portal.timeutil import utcnow

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
YOUNG = "young@example.org"


pytestmark = pytest.mark.usefixtures("english")


def city_named(slug: str = "murcia") -> City:
    return db.session.scalar(sa.select(City).where(City.slug == slug))


def consultation_by_id(consultation_id: int) -> Consultation:
    return db.session.get(Consultation, consultation_id)


def responses() -> list[Response]:
    return db.session.scalars(sa.select(Response).order_by(Response.id)).all()


def questions_of(consultation_id: int) -> dict[int, Question]:
    """The factory's questions by position: 1 single choice (with other), 2 multiple choice (max 2), 3 yes/no,
    4 rating 1-5, 5 ranking (3 options, up to 2), 6 short text (40), 7 long text (2000)."""
    return {q.position: q for q in consultation_by_id(consultation_id).questions}


@pytest.fixture
def districts(app, murcia):
    """Murcia lists two districts, for the optional district question."""
    with app.app_context():
        city_named().districts = ["Centro", "El Carmen"]
        db.session.commit()


@pytest.fixture
def open_consultation(app, murcia) -> int:
    with app.app_context():
        return make_consultation(city_named(), "open").id


@pytest.fixture
def young(app, client, murcia):
    """A verified 20-year-old resident of Murcia, signed in."""
    with app.app_context():
        make_user(YOUNG, city=city_named())
    login(client, YOUNG)
    return client


def page_of(consultation_id: int, slug: str = "murcia") -> str:
    return f"/cities/{slug}/consultations/{consultation_id}"


def respond_url(consultation_id: int) -> str:
    return f"{page_of(consultation_id)}/respond"


def good_answers(app, consultation_id: int, **overrides) -> dict:
    """A complete, valid set of answers to the factory's questions."""
    with app.app_context():
        q = {position: question.id for position, question in questions_of(consultation_id).items()}
    data = {
        f"q{q[1]}": "park",
        f"q{q[2]}": ["sport", "music"],
        f"q{q[3]}": "yes",
        f"q{q[4]}": "4",
        f"q{q[5]}": ["housing:1", "jobs:2", ""],
        f"q{q[6]}": "Sunny",
        f"q{q[7]}": "More benches in the shade.",
        "action": "submit",
    }
    return data | overrides


def field(app, consultation_id: int, position: int) -> str:
    with app.app_context():
        return f"q{questions_of(consultation_id)[position].id}"


# The consultation's page -------------------------------------------------------------------------------------------


def test_page_shows_the_consultation_and_how_to_take_part(client, open_consultation):
    response = client.get(page_of(open_consultation))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Our parks</h1>" in html
    assert "Tell us about parks." in html
    assert "We want to <strong>hear</strong> from you." in html
    assert "Environment" in html
    assert "Young people aged 13 to 30 who live in Murcia" in html
    assert "7 questions" in html
    assert "Times are in Murcia time (Europe/Madrid)." in html
    assert "Sign in to answer this consultation." in html
    assert f'href="/login?next=/cities/murcia/consultations/{open_consultation}/respond"' in html


def test_page_explains_anonymous_mode_before_answering(client, open_consultation):
    html = client.get(page_of(open_consultation)).get_data(as_text=True)
    assert "Anonymous to staff:" in html
    assert "city staff see answers and free text but never who wrote them." in html
    assert html.index("Who sees your answers") < html.index("Take part")


def test_page_explains_identified_mode_before_answering(app, client, murcia):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "open", mode=ResponseMode.IDENTIFIED).id
    html = client.get(page_of(consultation_id)).get_data(as_text=True)
    assert "Identified:" in html and "staff see your display name with your answers." in html
    assert "Anonymous to staff" not in html


def test_network_consultation_says_who_may_answer(app, client, murcia):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "open", audience=Audience.NETWORK, min_age=16, max_age=24).id
    html = client.get(page_of(consultation_id)).get_data(as_text=True)
    assert "Young people aged 16 to 24 from any city of the network" in html


def test_page_shows_dates_in_the_citys_time(app, client, murcia):
    with app.app_context():
        consultation_id = make_consultation(
            city_named(),
            "open",
            opens_at=datetime(2025, 1, 10, 9, 0),
            closes_at=datetime(2099, 7, 15, 16, 30),
        ).id
    html = client.get(page_of(consultation_id)).get_data(as_text=True)
    assert "Jan 10, 2025, 10:00\u202fAM" in html  # winter in Madrid: UTC+1
    assert "Jul 15, 2099, 6:30\u202fPM" in html  # summer in Madrid: UTC+2
    assert not re.search(r"\d:\d\d:\d\d", html)  # to the minute


@pytest.mark.parametrize("who", ["visitor", "young", "staff"])
def test_drafts_are_not_found_by_anyone_here(app, client, murcia, who):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "draft").id
        if who != "visitor":
            role = CityRoleName.STAFF if who == "staff" else None
            make_user("someone@example.org", city=city_named(), city_role=role)
    if who != "visitor":
        login(client, "someone@example.org")
    for url in (page_of(consultation_id), respond_url(consultation_id), f"{page_of(consultation_id)}/thanks"):
        assert client.get(url).status_code == 404
    assert "Our parks" not in client.get("/cities/murcia/consultations").get_data(as_text=True)


def test_a_consultation_is_not_found_under_another_city(app, client, open_consultation):
    with app.app_context():
        make_city("lyon", country="FR", timezone="Europe/Paris", default_language="fr", languages=["fr"])
    assert client.get(page_of(open_consultation, "lyon")).status_code == 404
    assert client.get(f"/cities/lyon/consultations/{open_consultation}/respond").status_code == 404
    assert client.get("/cities/murcia/consultations/99999").status_code == 404


def test_closed_consultation_with_outcome_shows_the_outcome_first(app, client, murcia):
    with app.app_context():
        consultation = make_consultation(city_named(), "outcome-published")
        consultation.commitments = [
            Commitment(
                position=1,
                text={"en": "Open two parks late"},
                status=CommitmentStatus.IN_PROGRESS,
                due_on=datetime(2031, 3, 1).date(),
            ),
            Commitment(
                position=2,
                text={"en": "A skate park"},
                status=CommitmentStatus.NOT_POSSIBLE,
                reason={"en": "No land available"},
            ),
        ]
        db.session.commit()
        consultation_id = consultation.id
    html = client.get(page_of(consultation_id)).get_data(as_text=True)
    assert "You said, we did" in html
    assert html.index("We will open two parks late.") < html.index("We want to <strong>hear</strong> from you.")
    assert html.index("You said, we did") < html.index("About this consultation")
    assert "Open two parks late" in html and "In progress" in html and "Mar 1, 2031" in html
    assert "A skate park" in html and "Not possible" in html and "No land available" in html
    assert "This consultation closed on" in html and "no longer takes answers" in html


def test_outcome_in_another_language_falls_back_with_a_note(app, client, murcia):
    with app.app_context():
        consultation = make_consultation(city_named(), "outcome-published")
        consultation.outcome = {"es": "Abriremos dos parques."}
        db.session.commit()
        consultation_id = consultation.id
    html = client.get(page_of(consultation_id)).get_data(as_text=True)
    assert '<div class="richtext" lang="es" dir="ltr"><p>Abriremos dos parques.</p>' in html
    assert "Not yet available in your language" in html


def test_text_in_a_right_to_left_language_reads_right_to_left_on_any_page(app, client, murcia):
    """A network-wide consultation of Beirut, in Arabic only, read in English: its title runs right to left."""
    with app.app_context():
        beirut = make_city(
            "beirut", country="LB", timezone="Asia/Beirut", default_language="ar", languages=["ar", "en"]
        )
        consultation_id = make_consultation(beirut, "open", title={"ar": "حدائق أكثر أمانًا"}).id
    html = client.get(page_of(consultation_id, "beirut"), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert re.search(r'<h1[^>]* lang="ar" dir="rtl"[^>]*>حدائق أكثر أمانًا</h1>', html)


def test_closed_consultation_without_outcome_has_no_outcome_section(app, client, murcia):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "closed").id
    html = client.get(page_of(consultation_id)).get_data(as_text=True)
    assert "You said, we did" not in html
    assert "This consultation closed on" in html


@pytest.mark.parametrize(
    ("stage", "linked"),
    [
        ("open", False),
        ("scheduled", False),
        ("closed", True),
        ("outcome-published", True),
        ("archived", True),
    ],
)
def test_results_are_linked_once_public(app, client, murcia, stage, linked):
    with app.app_context():
        consultation_id = make_consultation(city_named(), stage).id
    html = client.get(page_of(consultation_id)).get_data(as_text=True)
    assert (f'href="{page_of(consultation_id)}/results"' in html) is linked


def test_cover_image_is_shown_with_its_alt_text_only_when_there_is_one(app, client, murcia):
    with app.app_context():
        with_cover = make_consultation(
            city_named(), "open", cover_image="c0ffee.webp", cover_alt={"en": "Children playing in a park"}
        ).id
        without = make_consultation(city_named(), "open").id
    html = client.get(page_of(with_cover)).get_data(as_text=True)
    assert f'src="{page_of(with_cover)}/cover" alt="Children playing in a park"' in html
    assert "<img" not in client.get(page_of(without)).get_data(as_text=True)


def test_titles_and_texts_are_escaped_or_sanitised(app, client, murcia):
    with app.app_context():
        consultation_id = make_consultation(
            city_named(),
            "open",
            title={"en": XSS, "es": XSS},
            summary={"en": XSS},
            body={"en": f"{XSS}\n\n[link](javascript:alert(1))"},
        ).id
    html = client.get(page_of(consultation_id)).get_data(as_text=True)
    assert XSS not in html and 'href="javascript:' not in html
    assert f"<h1>{ESCAPED}</h1>" in html and f'<p class="summary">{ESCAPED}</p>' in html


def test_page_runs_at_most_ten_queries_whatever_the_answers(app, client, open_consultation):
    with app.app_context():
        consultation = consultation_by_id(open_consultation)
        for number in range(50):
            person = make_user(f"person{number}@example.org", city=city_named())
            add_response(consultation, person, {1: {"choices": ["park"]}, 6: {"text": "Fine"}})
        make_user(YOUNG, city=city_named())
    with app.app_context(), count_queries() as visitor:
        assert client.get(page_of(open_consultation)).status_code == 200
    login(client, "person7@example.org")
    with app.app_context(), count_queries() as respondent:
        html = client.get(page_of(open_consultation)).get_data(as_text=True)
    assert "You answered this consultation on" in html
    assert len(visitor) <= 10 and len(respondent) <= 10, (len(visitor), len(respondent))


# Who may answer, and why not ---------------------------------------------------------------------------------------


def test_visitor_is_sent_to_sign_in_and_back(client, open_consultation):
    response = client.get(respond_url(open_consultation))
    assert response.status_code == 302
    assert (
        response.headers["Location"]
        == f"/login?next=%2Fcities%2Fmurcia%2Fconsultations%2F{open_consultation}%2Frespond"
    )


def test_eligible_person_is_invited_to_answer(young, open_consultation):
    html = young.get(page_of(open_consultation)).get_data(as_text=True)
    assert "Answer this consultation" in html and 'class="status status-warning refusal"' not in html


def _assert_refused(app, client, consultation_id: int, words: str) -> None:
    """The page explains; the form page and sending answers answer 403 with the same words; nothing written."""
    page = client.get(page_of(consultation_id)).get_data(as_text=True)
    assert words in page and "Answer this consultation" not in page
    form_page = client.get(respond_url(consultation_id))
    assert form_page.status_code == 403 and words in form_page.get_data(as_text=True)
    sent = submit(
        client, respond_url(consultation_id), good_answers(app, consultation_id), page=page_of(consultation_id)
    )
    assert sent.status_code == 403 and words in sent.get_data(as_text=True)
    with app.app_context():
        assert responses() == []


def test_unverified_email_is_refused(app, client, open_consultation):
    with app.app_context():
        make_user(YOUNG, city=city_named(), verified=False)
    login(client, YOUNG)
    _assert_refused(app, client, open_consultation, "Please confirm your email address first")


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (None, "a parent or guardian has to agree before you can answer"),
        (ConsentStatus.PENDING, "a parent or guardian has to agree before you can answer"),
        (ConsentStatus.DECLINED, "Your parent or guardian said no"),
        (ConsentStatus.WITHDRAWN, "Your parent or guardian took back their agreement"),
    ],
)
def test_minor_without_guardian_consent_is_refused(app, client, open_consultation, status, words):
    with app.app_context():
        minor = make_user(YOUNG, city=city_named(), birth_year=utcnow().year - 13)  # Spain: consent from 14
        if status is not None:
            db.session.add(
                GuardianConsent(user_id=minor.id, guardian_email="parent@example.org", language="en", status=status)
            )
            db.session.commit()
    login(client, YOUNG)
    _assert_refused(app, client, open_consultation, words)


def test_minor_with_guardian_consent_may_answer(app, client, open_consultation):
    with app.app_context():
        minor = make_user(YOUNG, city=city_named(), birth_year=utcnow().year - 13)
        db.session.add(
            GuardianConsent(
                user_id=minor.id, guardian_email="parent@example.org", language="en", status=ConsentStatus.GRANTED
            )
        )
        db.session.commit()
    login(client, YOUNG)
    form_page = client.get(respond_url(open_consultation))
    assert form_page.status_code == 200
    assert '<button type="submit" name="action" value="submit">Submit</button>' in form_page.get_data(as_text=True)


def test_non_resident_is_refused_for_a_residents_only_consultation(app, client, open_consultation):
    with app.app_context():
        lyon = make_city("lyon", country="FR", timezone="Europe/Paris", default_language="fr", languages=["fr"])
        make_user(YOUNG, city=lyon)
    login(client, YOUNG)
    _assert_refused(app, client, open_consultation, "only for young people who live in Murcia")


def test_non_resident_may_answer_a_network_consultation(app, client, murcia):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "open", audience=Audience.NETWORK).id
        lyon = make_city("lyon", country="FR", timezone="Europe/Paris", default_language="fr", languages=["fr"])
        make_user(YOUNG, city=lyon)
    login(client, YOUNG)
    form_page = client.get(respond_url(consultation_id))
    assert form_page.status_code == 200
    assert '<button type="submit" name="action" value="submit">Submit</button>' in form_page.get_data(as_text=True)


@pytest.mark.parametrize("age", [15, 25])
def test_age_outside_the_consultations_range_is_refused(app, client, murcia, age):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "open", min_age=16, max_age=24).id
        user = make_user(YOUNG, city=city_named(), birth_year=utcnow().year - age, birth_month=1)
        if age < 16:
            db.session.add(
                GuardianConsent(
                    user_id=user.id, guardian_email="parent@example.org", language="en", status=ConsentStatus.GRANTED
                )
            )
            db.session.commit()
    login(client, YOUNG)
    _assert_refused(app, client, consultation_id, "for young people aged 16 to 24, so you cannot answer it")


@pytest.mark.parametrize("age", [16, 24])
def test_ages_at_both_ends_of_the_range_may_answer(app, client, murcia, age):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "open", min_age=16, max_age=24).id
        make_user(YOUNG, city=city_named(), birth_year=utcnow().year - age, birth_month=1)
    login(client, YOUNG)
    form_page = client.get(respond_url(consultation_id))
    assert '<button type="submit" name="action" value="submit">Submit</button>' in form_page.get_data(as_text=True)


def test_answers_to_one_consultation_are_not_anothers(app, young, murcia):
    """Having answered one consultation neither fills nor closes the form of the next."""
    with app.app_context():
        first, second = (make_consultation(city_named(), "open").id for _ in range(2))
    assert submit(young, respond_url(first), good_answers(app, first)).status_code == 302
    form_page = young.get(respond_url(second)).get_data(as_text=True)
    assert "Sunny" not in form_page
    assert '<button type="submit" name="action" value="submit">Submit</button>' in form_page
    assert submit(young, respond_url(second), good_answers(app, second)).status_code == 302
    with app.app_context():
        assert sorted(response.consultation_id for response in responses()) == [first, second]


def test_not_open_yet_for_someone_it_is_not_for_says_so_rather_than_come_back(app, client, murcia):
    """A 15-year-old is never told to come back to a consultation for 16 to 24."""
    with app.app_context():
        consultation_id = make_consultation(city_named(), "scheduled", min_age=16, max_age=24).id
        user = make_user(YOUNG, city=city_named(), birth_year=utcnow().year - 15, birth_month=1)
        db.session.add(
            GuardianConsent(
                user_id=user.id, guardian_email="parent@example.org", language="en", status=ConsentStatus.GRANTED
            )
        )
        db.session.commit()
    login(client, YOUNG)
    page = client.get(page_of(consultation_id)).get_data(as_text=True)
    assert "for young people aged 16 to 24, so you cannot answer it" in page and "Come back then" not in page
    visitor = app.test_client()
    assert "Come back then to answer" in visitor.get(
        page_of(consultation_id), headers={"Accept-Language": "en"}
    ).get_data(as_text=True)


def test_not_open_yet_is_refused(app, young, murcia):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "scheduled").id
    _assert_refused(app, young, consultation_id, "This consultation opens on")


@pytest.mark.parametrize("stage", ["closed", "outcome-published", "archived"])
def test_closed_is_refused(app, young, murcia, stage):
    with app.app_context():
        consultation_id = make_consultation(city_named(), stage).id
    _assert_refused(app, young, consultation_id, "no longer takes answers")


def test_a_suspended_person_is_signed_out_and_cannot_answer(app, young, open_consultation):
    with app.app_context():
        user = db.session.scalar(sa.select(answering.User).where(answering.User.email == YOUNG))
        user.suspended_at = utcnow()
        db.session.commit()
        assert answering.refusal(user, consultation_by_id(open_consultation), utcnow()) == Refusal.SUSPENDED
    assert young.get(respond_url(open_consultation)).status_code == 302
    assert "Sign in to answer" in young.get(page_of(open_consultation)).get_data(as_text=True)
    with app.app_context():
        assert responses() == []


def test_refusals_come_in_a_useful_order(app, murcia):
    """Closed beats everything; then the account; then who the consultation is for."""
    with app.app_context():
        closed = make_consultation(city_named(), "closed")
        opened = make_consultation(city_named(), "open", min_age=25, max_age=30)
        lyon = make_city("lyon", country="FR", timezone="Europe/Paris", default_language="fr", languages=["fr"])
        unverified_elsewhere = make_user("u@example.org", city=lyon, verified=False)
        now = utcnow()
        assert answering.refusal(None, closed, now) == Refusal.CLOSED
        assert answering.refusal(unverified_elsewhere, opened, now) == Refusal.EMAIL_UNVERIFIED
        assert answering.refusal(make_user("v@example.org", city=lyon), opened, now) == Refusal.NOT_RESIDENT
        assert answering.refusal(make_user("w@example.org", city=city_named()), opened, now) == Refusal.AGE


# The form ----------------------------------------------------------------------------------------------------------


def test_form_shows_each_kind_of_question_accessibly(app, young, open_consultation):
    html = young.get(respond_url(open_consultation)).get_data(as_text=True)
    q = {position: field(app, open_consultation, position) for position in range(1, 8)}
    # Single choice: radios in a fieldset with the prompt as legend, "other" with its text field.
    assert re.search(
        r"<fieldset[^>]*>\s*<legend>1\. <span>Which space matters most\?</span> "
        r'<span class="required">\(required\)</span></legend>',
        html,
    )
    assert f'<input id="{q[1]}-0" name="{q[1]}" type="radio" value="park">' in html
    assert f'name="{q[1]}" type="radio" value="other">' in html and "Other (please specify)" in html
    assert f'<label for="{q[1]}_other">Other: please specify</label>' in html
    # Multiple choice: checkboxes and their maximum.
    assert f'<input id="{q[2]}-0" name="{q[2]}" type="checkbox" value="sport">' in html
    assert "Choose up to 2 options." in html
    assert '<span class="hint">(optional)</span></legend>' in html
    # Yes/no.
    assert f'name="{q[3]}" type="radio" value="yes"' in html and f'name="{q[3]}" type="radio" value="no"' in html
    # Rating with end labels.
    assert "From 1 (Not at all) to 5 (Very)." in html
    assert f'name="{q[4]}" type="radio" value="5"' in html
    # Ranking without JavaScript: one select per option, positions 1..2.
    assert html.count(f'name="{q[5]}"') == 3
    assert '<option value="jobs:2">Position 2</option>' in html and "jobs:3" not in html
    # Text with a limit and a hint.
    assert re.search(rf'<input[^>]*id="{q[6]}"[^>]*maxlength="40"', html)
    assert re.search(rf'<textarea[^>]*id="{q[7]}"[^>]*maxlength="2000"', html)
    assert "Up to 40 characters." in html
    # Equal buttons: save a draft or submit.
    assert '<button type="submit" name="action" value="draft">Save draft</button>' in html
    assert '<button type="submit" name="action" value="submit">Submit</button>' in html
    # No demographic questions unless staff asked for them.
    assert "About you (optional)" not in html


def test_form_explains_the_mode_before_the_questions(young, open_consultation):
    html = young.get(respond_url(open_consultation)).get_data(as_text=True)
    form = f'<form method="post" action="{respond_url(open_consultation)}"'
    assert html.index("city staff see answers and free text but never who wrote them.") < html.index(form)


def test_demographic_questions_are_separate_and_optional(app, young, districts):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "open", ask_gender=True, ask_district=True).id
    html = young.get(respond_url(consultation_id)).get_data(as_text=True)
    demographics = re.search(
        r'<fieldset class="demographics".*?</fieldset>\s*</div>\s*</fieldset>|'
        r'<fieldset class="demographics".*</fieldset>',
        html,
        re.S,
    ).group(0)
    assert "<legend>About you (optional)</legend>" in demographics
    assert "You do not have to answer these." in demographics
    assert 'value="self-described"' in demographics and "In another way" in demographics
    assert "gender_description" not in demographics and "describe yourself" not in demographics, "never used"
    assert '<option value="Centro">Centro</option>' in demographics
    assert "(required)" not in demographics
    sent = submit(young, respond_url(consultation_id), good_answers(app, consultation_id))
    assert sent.status_code == 302
    with app.app_context():
        (response,) = responses()
        assert response.gender is None and response.district is None


def test_someone_from_another_city_is_not_asked_which_district_of_this_one_they_live_in(app, client, districts):
    with app.app_context():
        consultation_id = make_consultation(
            city_named(), "open", audience=Audience.NETWORK, ask_gender=True, ask_district=True
        ).id
        lyon = make_city("lyon", country="FR", timezone="Europe/Paris", default_language="fr", languages=["fr"])
        make_user(YOUNG, city=lyon)
    login(client, YOUNG)
    html = client.get(respond_url(consultation_id), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "District where you live" not in html and "Centro" not in html and "Gender" in html
    data = good_answers(app, consultation_id, district="Centro")  # sent all the same: ignored
    assert submit(client, respond_url(consultation_id), data).status_code == 302
    with app.app_context():
        (response,) = responses()
        assert response.district is None


def test_demographic_answers_are_saved_and_a_description_of_ones_gender_is_not_kept(app, young, districts):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "open", ask_gender=True, ask_district=True).id
    data = good_answers(
        app,
        consultation_id,
        gender="self-described",
        gender_description="trans girl, still closeted",
        district="El Carmen",
    )
    assert submit(young, respond_url(consultation_id), data).status_code == 302
    with app.app_context():
        (response,) = responses()
        assert (response.gender, response.district) == ("self-described", "El Carmen")
    download = young.get("/account/data.json").get_data(as_text=True)
    assert "still closeted" not in download and "gender_description" not in download


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"district": "Atlantis"}, "Choose one of the options shown."),
        ({"gender": "robot"}, "Choose one of the options shown."),
    ],
)
def test_bad_demographic_answers_are_refused(app, young, districts, change, message):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "open", ask_gender=True, ask_district=True).id
    sent = submit(young, respond_url(consultation_id), good_answers(app, consultation_id, **change))
    assert sent.status_code == 422 and message in sent.get_data(as_text=True)
    with app.app_context():
        assert responses() == []


def test_the_form_says_that_a_long_pause_signs_out_and_how_to_keep_answers(young, open_consultation):
    html = young.get(respond_url(open_consultation)).get_data(as_text=True)
    assert "you are signed out after 30 minutes without sending anything" in html
    assert "Save them now and then with the button below." in html


def test_a_draft_is_saved_without_required_answers_and_comes_back(app, young, open_consultation):
    short = field(app, open_consultation, 6)
    sent = submit(young, respond_url(open_consultation), {short: "Half done", "action": "draft"})
    assert sent.status_code == 302 and sent.headers["Location"] == respond_url(open_consultation)
    with app.app_context():
        (response,) = responses()
        assert response.status == ResponseStatus.DRAFT and response.submitted_at is None
        assert [answer.text for answer in response.answers] == ["Half done"]
    html = young.get(respond_url(open_consultation)).get_data(as_text=True)
    assert "Your draft is saved. Only you can see it." in html
    assert 'value="Half done"' in html
    page = young.get(page_of(open_consultation)).get_data(as_text=True)
    assert "You have a draft that is not sent yet." in page and "Continue answering" in page


def test_submitting_saves_the_answers_and_sends_a_receipt(app, young, open_consultation, outbox):
    data = good_answers(app, open_consultation)
    data[field(app, open_consultation, 1)] = "other"
    data[f"{field(app, open_consultation, 1)}_other"] = "  Skate parks  "
    sent = submit(young, respond_url(open_consultation), data)
    assert sent.status_code == 302 and sent.headers["Location"] == f"{page_of(open_consultation)}/thanks"
    with app.app_context():
        (response,) = responses()
        assert response.status == ResponseStatus.SUBMITTED and response.submitted_at is not None
        assert response.age_band == "18-24"
        by_position = {answer.question.position: answer for answer in response.answers}
        assert (by_position[1].choices, by_position[1].text) == (["other"], "Skate parks")
        assert by_position[2].choices == ["sport", "music"]
        assert by_position[3].choices == ["yes"]
        assert by_position[4].number == 4
        assert by_position[5].choices == ["housing", "jobs"]
        assert by_position[6].text == "Sunny" and by_position[7].text == "More benches in the shade."
    thanks = young.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Thank you: your answers were received" in thanks and "We sent a receipt" in thanks
    message = last_message_to(outbox, YOUNG)
    assert message["Subject"] == "We received your answers: Our parks"
    assert "This receipt is only for you." in text_of(message)
    assert "Hello Sky," in text_of(message)
    assert link_in(message, "/account/participation") == "/account/participation"
    assert "Our parks" in html_of(message)


def test_a_receipt_that_cannot_be_sent_leaves_the_answers_saved_and_says_so(app, young, open_consultation, outbox):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there: the connection is refused
    sent = submit(young, respond_url(open_consultation), good_answers(app, open_consultation))
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"{page_of(open_consultation)}/thanks?receipt=not-sent"
    with app.app_context():
        (response,) = responses()
        assert response.status == ResponseStatus.SUBMITTED
    thanks = young.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Thank you: your answers were received" in thanks
    assert "We could not email you a receipt just now. Your answers are saved all the same" in thanks
    assert "We sent a receipt" not in thanks
    assert outbox_messages(outbox) == []


def test_with_a_worker_the_receipt_is_saved_with_the_answers_and_the_worker_sends_it_once(
    app, young, open_consultation, outbox, runner
):
    app.config.update(MAIL_WORKER=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # the mail server is down
    sent = submit(young, respond_url(open_consultation), good_answers(app, open_consultation))
    assert sent.headers["Location"] == f"{page_of(open_consultation)}/thanks"  # the page never waited for it
    assert "We sent a receipt" in young.get(sent.headers["Location"]).get_data(as_text=True)
    failed = runner.invoke(args=["send-emails"])
    assert failed.exit_code == 1 and "Emailing stopped" in failed.output
    assert outbox_messages(outbox) == []

    app.config["MAIL_SERVER"] = ""
    result = runner.invoke(args=["send-emails"])
    assert result.exit_code == 0 and "1 emails sent." in result.output
    (message,) = outbox_messages(outbox)
    assert message["To"] == YOUNG and message["Subject"] == "We received your answers: Our parks"
    assert link_in(message, "/account/participation") == "/account/participation"
    again = runner.invoke(args=["send-emails"])
    assert again.exit_code == 0 and "0 emails sent." in again.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QueuedEmail)) == 0  # nothing kept


def test_the_worker_sends_the_queue_in_batches_and_a_run_cut_short_sends_no_receipt_twice(
    app, murcia, open_consultation, outbox, runner, monkeypatch
):
    app.config["MAIL_WORKER"] = True
    people = [f"p{number}@example.org" for number in range(5)]
    with app.app_context():
        for address in people:
            make_user(address, city=city_named())
    for address in people:
        person = app.test_client()
        login(person, address)
        assert submit(person, respond_url(open_consultation), good_answers(app, open_consultation)).status_code == 302
    monkeypatch.setattr(mail, "QUEUE_BATCH", 2)
    write = mail._write_to_outbox

    def disk_full_at_the_fourth(message):
        if len(outbox_messages(outbox)) == 3:
            raise OSError("No space left on device")
        write(message)

    monkeypatch.setattr(mail, "_write_to_outbox", disk_full_at_the_fourth)
    failed = runner.invoke(args=["send-emails"])
    assert failed.exit_code == 1 and "No space left on device" in failed.output
    assert [message["To"] for message in outbox_messages(outbox)] == people[:3]

    monkeypatch.setattr(mail, "_write_to_outbox", write)
    result = runner.invoke(args=["send-emails"])
    assert result.exit_code == 0 and "2 emails sent." in result.output
    assert [message["To"] for message in outbox_messages(outbox)] == people


def test_with_a_worker_a_draft_or_refused_answers_queue_no_receipt(app, young, open_consultation, outbox, runner):
    app.config["MAIL_WORKER"] = True
    draft = good_answers(app, open_consultation, action="draft")
    assert submit(young, respond_url(open_consultation), draft).status_code == 302
    incomplete = good_answers(app, open_consultation)
    del incomplete[field(app, open_consultation, 1)]
    assert submit(young, respond_url(open_consultation), incomplete).status_code == 422
    result = runner.invoke(args=["send-emails"])
    assert "0 emails sent." in result.output and outbox_messages(outbox) == []


#: A title sent with a line break (a browser's one-line box never sends one; a crafted request does), which a
#: receipt's subject must neither break on nor turn into a header of its own.
TITLE_WITH_A_HEADER = "Parks\r\nBcc: intruder@example.org"
#: An address outside ASCII, as the registration form takes it (RFC 6531: sent with SMTPUTF8).
ZOE = "zoé@exämple.org"


@pytest.mark.parametrize("worker", [False, True])
def test_a_title_with_a_line_break_and_an_address_outside_ascii_get_their_receipt(
    app, client, murcia, outbox, runner, worker
):
    app.config["MAIL_WORKER"] = worker
    with app.app_context():
        title = {"en": TITLE_WITH_A_HEADER, "es": TITLE_WITH_A_HEADER}
        consultation_id = make_consultation(city_named(), "open", title=title).id
        make_user(ZOE, city=city_named())
    login(client, ZOE)
    sent = submit(client, respond_url(consultation_id), good_answers(app, consultation_id))
    assert sent.status_code == 302 and sent.headers["Location"] == f"{page_of(consultation_id)}/thanks"
    with app.app_context():
        (response,) = responses()
        assert response.status == ResponseStatus.SUBMITTED
    if worker:
        assert "1 emails sent." in runner.invoke(args=["send-emails"]).output
    (message,) = outbox_messages(outbox)
    assert message["To"] == ZOE
    assert message["Subject"] == "We received your answers: Parks Bcc: intruder@example.org"
    (path,) = outbox.glob("*.eml")
    headers = path.read_bytes().split(b"\n\n", 1)[0]
    assert message["Bcc"] is None and not re.search(rb"^Bcc:", headers, re.MULTILINE), headers


class MailServer:
    """An SMTP server on loopback that records who it received emails for; without SMTPUTF8 unless told."""

    def __init__(self):
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def mail_server(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = MailServer()
    controller = Controller(server, hostname="127.0.0.1", port=port, enable_SMTPUTF8=False)  # as many servers
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    yield server
    controller.stop()


def test_a_mail_server_without_smtputf8_does_not_hold_up_the_other_receipts(
    app, murcia, open_consultation, runner, mail_server
):
    """The worker leaves out an address outside ASCII that the server cannot take (logged) and sends the rest;
    before, the queue stopped at it on every run."""
    app.config["MAIL_WORKER"] = True
    for address in (ZOE, YOUNG):
        with app.app_context():
            make_user(address, city=city_named())
        person = app.test_client()
        login(person, address)
        assert submit(person, respond_url(open_consultation), good_answers(app, open_consultation)).status_code == 302
    result = runner.invoke(args=["send-emails"])
    assert result.exit_code == 0 and "1 emails sent." in result.output
    assert mail_server.received == [YOUNG]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QueuedEmail)) == 0
        assert len(responses()) == 2


def test_without_a_worker_a_receipt_the_server_cannot_take_leaves_the_answers_saved(
    app, client, murcia, open_consultation, mail_server
):
    with app.app_context():
        make_user(ZOE, city=city_named())
    login(client, ZOE)
    sent = submit(client, respond_url(open_consultation), good_answers(app, open_consultation))
    assert sent.headers["Location"] == f"{page_of(open_consultation)}/thanks?receipt=not-sent"
    with app.app_context():
        (response,) = responses()
        assert response.status == ResponseStatus.SUBMITTED
    assert mail_server.received == []


def test_receipt_is_in_the_persons_language_and_says_when_identified(app, client, murcia, outbox):
    with app.app_context():
        consultation_id = make_consultation(city_named(), "open", mode=ResponseMode.IDENTIFIED).id
        make_user(YOUNG, city=city_named(), language="es")
    login(client, YOUNG)
    assert submit(client, respond_url(consultation_id), good_answers(app, consultation_id)).status_code == 302
    message = last_message_to(outbox, YOUNG)
    assert message["Content-Language"] == "es"
    assert "Parks (es)" in message["Subject"]
    assert "This receipt is only for you" not in text_of(message)


def test_missing_required_answers_are_explained_beside_each_question_and_typed_text_kept(app, young, open_consultation):
    q1, q3, q6 = (field(app, open_consultation, p) for p in (1, 3, 6))
    data = good_answers(app, open_consultation)
    del data[q1], data[q3]
    data[q6] = XSS
    sent = submit(young, respond_url(open_consultation), data)
    html = sent.get_data(as_text=True)
    assert sent.status_code == 422
    assert html.count("Please answer this question.") == 2
    assert f'<p class="error" id="{q1}-error"><span>Please answer this question.</span>' in html
    assert f'<p class="error" id="{q3}-error"><span>Please answer this question.</span>' in html
    assert f'<a href="#{q1}-field">Which space matters most?</a>' in html
    assert f'value="{ESCAPED}"' in html and XSS not in html
    assert 'value="sport" checked' in html or re.search(r'checked[^>]*value="sport"', html)
    with app.app_context():
        assert responses() == []


@pytest.mark.parametrize(
    ("position", "value", "message"),
    [
        (1, "library-of-babel", "Choose one of the options shown."),
        (2, ["sport", "music", "study"], "Choose at most 2 options."),
        (2, ["sport", "invented"], "Choose one of the options shown."),
        (3, "maybe", "Choose one of the options shown."),
        (4, "6", "Choose one of the options shown."),
        (4, "abc", "Choose one of the options shown."),
        (5, ["jobs:1", "housing:1", ""], "Give each position to one option only."),
        (5, ["jobs:3", "", ""], "Use positions from 1 to 2."),
        (5, ["jobs:2", "", ""], "Use the positions in order from 1, without gaps."),
        (5, ["jobs:²", "", ""], "Use positions from 1 to 2."),  # a digit to str.isdigit(), not to int()
        (5, ["jobs:1²", "", ""], "Use positions from 1 to 2."),
        (5, ["jobs:" + "1" * 5000, "", ""], "Use positions from 1 to 2."),  # too long for int() to read
        (5, ["jobs:-1", "", ""], "Use positions from 1 to 2."),
        (5, ["jobs:1", "jobs:2", ""], "Choose positions only for the options shown."),
        (5, ["cars:1", "", ""], "Choose positions only for the options shown."),
        (6, "x" * 41, "Please keep it to 40 characters or fewer (now 41)."),
    ],
)
def test_invalid_answers_are_refused_beside_the_question(app, young, open_consultation, position, value, message):
    name = field(app, open_consultation, position)
    sent = submit(young, respond_url(open_consultation), good_answers(app, open_consultation, **{name: value}))
    html = sent.get_data(as_text=True)
    assert sent.status_code == 422
    assert re.search(rf'<p class="error" id="{name}-error"><span>{re.escape(message)}</span>', html), html
    with app.app_context():
        assert responses() == []


def test_optional_questions_may_be_left_unanswered(app, young, open_consultation):
    q1, q3 = field(app, open_consultation, 1), field(app, open_consultation, 3)
    sent = submit(young, respond_url(open_consultation), {q1: "library", q3: "no", "action": "submit"})
    assert sent.status_code == 302
    with app.app_context():
        (response,) = responses()
        assert response.status == ResponseStatus.SUBMITTED
        assert sorted(answer.question.position for answer in response.answers) == [1, 3]


AUTOSAVE = {"HX-Request": "true"}


def test_answers_are_saved_as_a_draft_while_the_person_answers(app, young, open_consultation):
    """What the form's htmx sends as the person types (data-autosave): a status line, no page, no flash."""
    short = field(app, open_consultation, 6)
    sent = submit(young, respond_url(open_consultation), {short: "Half done", "autosave": "yes"}, headers=AUTOSAVE)

    assert sent.status_code == 200
    assert sent.get_data(as_text=True).startswith("Draft saved automatically at ")
    with app.app_context():
        (response,) = responses()
        assert response.status == ResponseStatus.DRAFT
        assert [answer.text for answer in response.answers] == ["Half done"]
    html = young.get(respond_url(open_consultation)).get_data(as_text=True)
    assert 'value="Half done"' in html
    assert "Your draft is saved." not in html  # no flash waiting for the next page
    assert 'data-autosave hx-post="' in html and 'id="autosave-status" role="status"' in html


def test_an_answer_that_needs_a_change_stops_the_automatic_save_and_says_so(app, young, open_consultation):
    rating = field(app, open_consultation, 4)
    sent = submit(young, respond_url(open_consultation), {rating: "99", "autosave": "yes"}, headers=AUTOSAVE)
    assert sent.status_code == 422
    assert sent.get_data(as_text=True) == (
        "Your draft is not saved yet: an answer needs a change. Save the draft to see which."
    )
    with app.app_context():
        assert responses() == []


def test_an_automatic_save_after_the_idle_sign_out_says_so_in_a_line(app, young, open_consultation):
    short = field(app, open_consultation, 6)
    token = csrf_token(young, respond_url(open_consultation))
    with young.session_transaction() as session:
        session["seen_at"] -= int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds()) + 5

    sent = young.post(
        respond_url(open_consultation), data={"csrf_token": token, short: "Late", "autosave": "yes"}, headers=AUTOSAVE
    )

    assert sent.status_code == 401  # not the sign-in page, which htmx would follow and put in the status line
    assert sent.get_data(as_text=True).startswith("You were signed out after a while without activity")
    with app.app_context():
        assert responses() == []


def test_an_automatic_save_after_closing_says_so_in_a_line(app, young, open_consultation):
    token = csrf_token(young, respond_url(open_consultation))
    with app.app_context():
        consultation_by_id(open_consultation).closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    sent = young.post(
        respond_url(open_consultation),
        data={"csrf_token": token, field(app, open_consultation, 6): "Late", "autosave": "yes"},
        headers=AUTOSAVE,
    )
    assert sent.status_code == 403
    assert sent.get_data(as_text=True) == "This consultation no longer takes your answers: reload the page to see why."


def test_submitted_answers_are_never_changed_by_the_automatic_save(app, young, open_consultation):
    assert submit(young, respond_url(open_consultation), good_answers(app, open_consultation)).status_code == 302
    short = field(app, open_consultation, 6)

    sent = submit(young, respond_url(open_consultation), {short: "Changed", "autosave": "yes"}, headers=AUTOSAVE)

    assert sent.status_code == 409
    with app.app_context():
        (response,) = responses()
        assert response.status == ResponseStatus.SUBMITTED
        assert "Changed" not in [answer.text for answer in response.answers]
    html = young.get(respond_url(open_consultation)).get_data(as_text=True)
    assert "data-autosave" not in html and "autosave-status" not in html  # its form saves only on Submit


@pytest.mark.parametrize("position", ["²", "1²", "1" * 5000])
def test_a_position_that_is_not_a_number_is_refused_in_a_draft_and_an_automatic_save(
    app, young, open_consultation, position
):
    ranking = field(app, open_consultation, 5)
    draft = submit(young, respond_url(open_consultation), {ranking: [f"jobs:{position}", ""], "action": "draft"})
    assert draft.status_code == 422
    assert "Use positions from 1 to 2." in draft.get_data(as_text=True)
    autosave = submit(
        young, respond_url(open_consultation), {ranking: [f"jobs:{position}", ""], "autosave": "yes"}, headers=AUTOSAVE
    )
    assert autosave.status_code == 422 and autosave.get_data(as_text=True).startswith("Your draft is not saved yet")
    with app.app_context():
        assert responses() == []


def test_invalid_answers_are_refused_in_a_draft_too(app, young, open_consultation):
    name = field(app, open_consultation, 4)
    sent = submit(young, respond_url(open_consultation), {name: "99", "action": "draft"})
    assert sent.status_code == 422
    with app.app_context():
        assert responses() == []


def test_a_nul_character_is_refused_before_it_reaches_the_database(app, young, open_consultation):
    """Nobody types one, and PostgreSQL refuses it in text: 400, never a 500 or a half-saved response."""
    sent = submit(
        young,
        respond_url(open_consultation),
        good_answers(app, open_consultation, **{field(app, open_consultation, 6): "abc\x00def"}),
    )
    assert sent.status_code == 400 and "Something was wrong with that request" in sent.get_data(as_text=True)
    with app.app_context():
        assert responses() == []
    assert young.get(page_of(open_consultation) + "?x=%00").status_code == 400
    assert young.get(page_of(open_consultation) + "?x=a&x=b%00").status_code == 400  # any value, not the first
    assert young.get("/cities/mur%00cia/").status_code == 400


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/cities/murcia/consultations/99999999999999999999999", 404),
        ("/cities/murcia/consultations/99999999999999999999999/respond", 404),
        ("/cities/murcia/consultations/99999999999999999999999/results", 404),
        ("/cities/murcia/consultations?page=99999999999999999999", 200),
        ("/consultations?page=99999999999999999999", 200),
    ],
)
def test_numbers_too_large_for_the_database_find_nothing_rather_than_fail(client, open_consultation, path, status):
    assert client.get(path).status_code == status


@pytest.mark.parametrize(
    ("chosen", "text", "message"),
    [
        ("other", "", "Please say what “Other” is."),
        ("park", "Skate parks", "You wrote an answer under “Other”: choose “Other” as well, or clear the text."),
    ],
)
def test_other_needs_its_text_and_only_with_it(app, young, open_consultation, chosen, text, message):
    name = field(app, open_consultation, 1)
    sent = submit(
        young,
        respond_url(open_consultation),
        good_answers(app, open_consultation, **{name: chosen, f"{name}_other": text}),
    )
    assert sent.status_code == 422 and message in sent.get_data(as_text=True)
    assert f'value="{text}"' in sent.get_data(as_text=True) or not text


def test_ranking_positions_are_kept_when_the_form_comes_back(app, young, open_consultation):
    ranking, q1 = field(app, open_consultation, 5), field(app, open_consultation, 1)
    data = good_answers(app, open_consultation, **{ranking: ["jobs:2", "housing:1", ""]})
    del data[q1]
    html = submit(young, respond_url(open_consultation), data).get_data(as_text=True)
    assert '<option value="jobs:2" selected>' in html and '<option value="housing:1" selected>' in html


def test_answers_can_be_changed_until_closing_and_stay_one_response(app, young, open_consultation, outbox):
    assert submit(young, respond_url(open_consultation), good_answers(app, open_consultation)).status_code == 302
    html = young.get(respond_url(open_consultation)).get_data(as_text=True)
    short = field(app, open_consultation, 6)
    assert 'value="Sunny"' in html and 'value="draft"' not in html and "Submit my changes" in html
    assert '<option value="housing:1" selected>' in html
    # Even a "draft" action keeps a submitted response submitted (and complete).
    with app.app_context():
        first_saved = responses()[0].updated_at
    changed = good_answers(app, open_consultation, **{short: "Windy", "action": "draft"})
    assert submit(young, respond_url(open_consultation), changed).status_code == 302
    with app.app_context():
        (response,) = responses()
        assert response.status == ResponseStatus.SUBMITTED
        assert {a.question.position: a.text for a in response.answers}[6] == "Windy"
        assert response.updated_at > first_saved  # a change of answers alone is a change (live results count it)
    incomplete = {short: "Only this", "action": "draft"}
    assert submit(young, respond_url(open_consultation), incomplete).status_code == 422
    assert len(outbox_messages(outbox)) == 2


def test_a_quote_rewritten_by_its_author_goes_back_to_review(app, young, open_consultation):
    """Staff approved the words they read: new words must not reach the public page unread."""
    assert submit(young, respond_url(open_consultation), good_answers(app, open_consultation)).status_code == 302
    long_text = field(app, open_consultation, 7)

    def approved() -> dict[str, bool]:
        with app.app_context():
            return {
                a.text: a.quote_approved_at is not None
                for a in db.session.scalars(sa.select(Answer))
                if a.question.position in (6, 7)
            }

    with app.app_context():
        for answer in db.session.scalars(sa.select(Answer).where(Answer.text.is_not(None))):
            answer.quote_approved_at = utcnow()
        db.session.commit()
    unchanged = good_answers(app, open_consultation)
    assert submit(young, respond_url(open_consultation), unchanged).status_code == 302
    assert approved() == {"Sunny": True, "More benches in the shade.": True}

    rewritten = good_answers(app, open_consultation, **{long_text: "Something nobody has read"})
    assert submit(young, respond_url(open_consultation), rewritten).status_code == 302
    assert approved() == {"Sunny": True, "Something nobody has read": False}


def test_clearing_an_answer_removes_it(app, young, open_consultation):
    assert submit(young, respond_url(open_consultation), good_answers(app, open_consultation)).status_code == 302
    long_text = field(app, open_consultation, 7)
    assert (
        submit(
            young, respond_url(open_consultation), good_answers(app, open_consultation, **{long_text: "   "})
        ).status_code
        == 302
    )
    with app.app_context():
        (response,) = responses()
        assert 7 not in {answer.question.position for answer in response.answers}


def test_after_closing_answers_can_no_longer_change(app, young, open_consultation):
    assert submit(young, respond_url(open_consultation), good_answers(app, open_consultation)).status_code == 302
    with app.app_context():
        consultation_by_id(open_consultation).closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    sent = submit(
        young,
        respond_url(open_consultation),
        good_answers(app, open_consultation, action="submit"),
        page=page_of(open_consultation),
    )
    assert sent.status_code == 403 and "no longer takes answers" in sent.get_data(as_text=True)
    page = young.get(page_of(open_consultation)).get_data(as_text=True)
    assert "You answered this consultation on" in page and "See your answers in My participation" in page


def test_sending_answers_without_the_form_token_is_refused(app, young, open_consultation):
    sent = young.post(respond_url(open_consultation), data=good_answers(app, open_consultation))
    assert sent.status_code == 400
    with app.app_context():
        assert responses() == []


def test_thanks_page_without_a_submission_goes_back_to_the_consultation(young, open_consultation):
    response = young.get(f"{page_of(open_consultation)}/thanks")
    assert response.status_code == 302 and response.headers["Location"] == page_of(open_consultation)


def test_question_texts_written_by_staff_are_escaped_in_the_form(app, young, murcia):
    with app.app_context():
        consultation_id = make_consultation(
            city_named(),
            "open",
            questions=[
                Question(
                    position=1,
                    kind=QuestionKind.SINGLE_CHOICE,
                    prompt={"en": XSS},
                    help={"en": XSS},
                    options=[{"id": "a", "label": {"en": XSS}}],
                ),
                Question(
                    position=2,
                    kind=QuestionKind.RANKING,
                    prompt={"en": "Rank"},
                    options=[{"id": "b", "label": {"en": XSS}}, {"id": "c", "label": {"en": "Fine"}}],
                ),
                Question(
                    position=3,
                    kind=QuestionKind.RATING,
                    prompt={"en": "Rate"},
                    scale_min=0,
                    scale_max=10,
                    low_label={"en": XSS},
                    high_label={"en": "High"},
                ),
            ],
        ).id
    html = young.get(respond_url(consultation_id)).get_data(as_text=True)
    assert XSS not in html and html.count(ESCAPED) >= 5


def test_free_text_answers_are_rendered_inert_when_shown_again(app, young, open_consultation):
    long_text = field(app, open_consultation, 7)
    assert (
        submit(
            young, respond_url(open_consultation), good_answers(app, open_consultation, **{long_text: XSS})
        ).status_code
        == 302
    )
    html = young.get(respond_url(open_consultation)).get_data(as_text=True)
    assert XSS not in html and ESCAPED in html


# One response per person, whatever the timing ------------------------------------------------------------------------


def test_two_parallel_first_submissions_leave_one_response(app, open_consultation, monkeypatch):
    """Two devices of one person submit at the same moment: both find no response, both insert; the database
    refuses the second insert and that request saves its answers as an update of the first."""
    with app.app_context():
        make_user(YOUNG, city=city_named())
    devices = [app.test_client(), app.test_client()]
    for device in devices:
        device.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        login(device, YOUNG)
    tokens = [
        re.search(
            r'name="csrf_token" value="([^"]+)"', device.get(respond_url(open_consultation)).get_data(as_text=True)
        ).group(1)
        for device in devices
    ]
    both_looked = threading.Barrier(2, timeout=10)
    looked = []
    original = answering.response_of

    def response_of_then_wait(user, consultation, *, lock=False):
        found = original(user, consultation, lock=lock)
        if lock and len(looked) < 2:
            looked.append(found)
            both_looked.wait()  # neither inserts before both have seen that there is no response yet
        return found

    monkeypatch.setattr(answering, "response_of", response_of_then_wait)
    refused_inserts = []
    original_save = answering.save

    def save_noting_refusals(*args, **kwargs):
        try:
            return original_save(*args, **kwargs)
        except IntegrityError:
            refused_inserts.append(True)
            raise

    monkeypatch.setattr(answering, "save", save_noting_refusals)
    short = field(app, open_consultation, 6)
    results = {}

    def send(number: int) -> None:
        data = good_answers(app, open_consultation, **{short: f"Device {number}"}, csrf_token=tokens[number])
        results[number] = devices[number].post(respond_url(open_consultation), data=data).status_code

    threads = [threading.Thread(target=send, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert looked == [None, None]
    assert results == {0: 302, 1: 302}
    assert refused_inserts == [True]  # the database refused the second insert; that request then updated
    with app.app_context():
        (response,) = responses()
        assert response.status == ResponseStatus.SUBMITTED
        texts = db.session.scalars(
            sa.select(Answer.text).where(Answer.response_id == response.id, Answer.text.like("Device %"))
        ).all()
        assert len(texts) == 1 and texts[0] in ("Device 0", "Device 1")
