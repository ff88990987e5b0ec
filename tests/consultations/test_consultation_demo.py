"""`flask demo` adds consultations in every stage, in the cities' languages, answered by synthetic respondents.

Most tests load 200 respondents (`flask demo --respondents 200`) to stay fast; one loads the default number.
"""

import hashlib
import re

import pytest
import sqlalchemy as sa

from support import empty_tables, login
from youth_portal.accounts.models import Participation, User
from youth_portal.accounts.participation import participation_of
from youth_portal.cities.models import City
from youth_portal.consultations.models import (
    Answer,
    Audience,
    Commitment,
    CommitmentStatus,
    Consultation,
    ConsultationUpdate,
    Question,
    QuestionKind,
    Response,
    ResponseMode,
    ResponseStatus,
    Stage,
    Topic,
)
from youth_portal.demo import DEMO_PASSWORD
from youth_portal.demo.consultations import DEFAULT_RESPONDENTS, RESPONDENT_EMAIL
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

SMALL = ["demo", "--respondents", "200"]


def load(runner, args=SMALL):
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return result


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def consultation_titled(english_or_default: str) -> Consultation:
    return next(
        c
        for c in db.session.scalars(sa.select(Consultation))
        if english_or_default in (c.title.get("en"), c.title.get(c.city.default_language))
    )


def test_demo_has_consultations_in_every_stage_across_the_cities(app, runner):
    result = load(runner)

    assert "Demo consultations: 17 consultations, 200 respondents" in result.output
    with app.app_context():
        consultations = db.session.scalars(sa.select(Consultation)).all()
        assert {c.stage() for c in consultations} == set(Stage)
        assert {c.city.slug for c in consultations} >= {"murcia", "beirut", "montreal", "lyon", "nairobi", "mombasa"}
        assert all(isinstance(c.topic, Topic) for c in consultations)
        assert len({c.topic for c in consultations}) >= 8
        assert {c.audience for c in consultations} == set(Audience)
        assert {c.mode for c in consultations} == set(ResponseMode)
        assert any(c.ask_gender for c in consultations) and any(c.ask_district for c in consultations)
        assert any(not c.ask_gender and not c.ask_district for c in consultations)
        assert {q.kind for q in db.session.scalars(sa.select(Question))} == set(QuestionKind)


def test_every_text_is_in_each_of_its_citys_languages(app, runner):
    load(runner)
    with app.app_context():
        for consultation in db.session.scalars(sa.select(Consultation)):
            languages = set(consultation.city.languages)
            for name in ("title", "summary", "body"):
                assert set(getattr(consultation, name)) == languages, (consultation.title, name)
            for question in consultation.questions:
                assert set(question.prompt) == languages, question.prompt
                for option in question.options:
                    assert set(option["label"]) == languages, option
            if consultation.outcome:
                assert set(consultation.outcome) == languages
            for commitment in consultation.commitments:
                assert set(commitment.text) == languages


def test_murcia_and_beirut_have_districts_and_respondents_say_where_they_live(app, runner):
    load(runner)
    with app.app_context():
        cities = {c.slug: c for c in db.session.scalars(sa.select(City))}
        assert len(cities["murcia"].districts) >= 8 and "El Carmen" in cities["murcia"].districts
        assert len(cities["beirut"].districts) >= 8 and "Achrafieh" in cities["beirut"].districts
        parks = consultation_titled("Safer parks at night")
        districts = set(db.session.scalars(sa.select(Response.district).where(Response.consultation_id == parks.id)))
        assert districts - {None} <= set(cities["murcia"].districts)
        assert len(districts - {None}) >= 5


def test_outcomes_have_commitments_in_every_status_and_a_timeline(app, runner):
    load(runner)
    with app.app_context():
        now = utcnow()
        with_outcome = [
            c
            for c in db.session.scalars(sa.select(Consultation))
            if c.stage() in (Stage.OUTCOME_PUBLISHED, Stage.ARCHIVED)
        ]
        assert with_outcome and all(c.outcome.get(c.city.default_language) and c.commitments for c in with_outcome)
        hours = consultation_titled("Youth centre opening hours")
        assert {c.status for c in hours.commitments} == set(CommitmentStatus)
        assert all(c.reason for c in hours.commitments if c.status == CommitmentStatus.NOT_POSSIBLE)
        updates = db.session.scalars(
            sa.select(ConsultationUpdate)
            .where(ConsultationUpdate.consultation_id == hours.id)
            .order_by(ConsultationUpdate.created_at)
        ).all()
        assert updates[0].kind == "outcome-published" and updates[0].created_at == hours.outcome_published_at
        moved = {(u.commitment_id, u.status) for u in updates[1:]}
        assert all(u.kind == "commitment-status" and u.created_at < now for u in updates[1:])
        for commitment in hours.commitments:
            assert (commitment.status == CommitmentStatus.PLANNED) == ((commitment.id, commitment.status) not in moved)
        assert count(Commitment) >= 10


def test_responses_come_only_from_eligible_people_and_only_after_opening(app, runner):
    load(runner)
    with app.app_context():
        rows = db.session.execute(
            sa.select(Response, Consultation, User)
            .join(Consultation, Response.consultation_id == Consultation.id)
            .join(User, Response.user_id == User.id)
        ).all()
        assert len(rows) == count(Response) > 300
        for response, consultation, user in rows:
            assert consultation.stage() not in (Stage.DRAFT, Stage.SCHEDULED)
            if consultation.audience == Audience.RESIDENTS:
                assert user.home_city_id == consultation.city_id
            if response.status == ResponseStatus.SUBMITTED:
                assert consultation.opens_at <= response.submitted_at <= consultation.closes_at
                assert consultation.min_age <= user.age_on(response.submitted_at.date()) <= consultation.max_age
                assert response.age_band is not None
            else:
                assert consultation.stage() == Stage.OPEN and response.submitted_at is None
            if not consultation.ask_gender:
                assert response.gender is None
            if response.district:
                assert consultation.ask_district and user.home_city_id == consultation.city_id
        assert any(r.status == ResponseStatus.DRAFT for r, _c, _u in rows)


def test_answers_fit_their_questions(app, runner):
    load(runner)
    with app.app_context():
        pairs = db.session.execute(sa.select(Answer, Question).join(Question, Answer.question_id == Question.id))
        for answer, question in pairs.all():
            option_ids = {option["id"] for option in question.options}
            if question.kind == QuestionKind.YES_NO:
                assert answer.choices in (["yes"], ["no"])
            elif question.kind == QuestionKind.SINGLE_CHOICE:
                assert len(answer.choices) == 1 and set(answer.choices) <= option_ids | {"other"}
            elif question.kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING):
                assert 1 <= len(answer.choices) <= question.max_choices
                assert len(set(answer.choices)) == len(answer.choices)
                assert set(answer.choices) <= option_ids | ({"other"} if question.allow_other else set())
            elif question.kind == QuestionKind.RATING:
                assert question.scale_min <= answer.number <= question.scale_max
            else:
                assert 0 < len(answer.text) <= question.max_length
            if "other" in answer.choices:
                assert question.allow_other and answer.text
        quotes = db.session.execute(
            sa.select(Answer, Consultation)
            .join(Response, Answer.response_id == Response.id)
            .join(Consultation, Response.consultation_id == Consultation.id)
            .where(Answer.quote_approved_at.is_not(None))
        ).all()
        assert quotes
        for answer, consultation in quotes:
            assert consultation.stage() != Stage.OPEN  # the public sees quotes once closed
            assert answer.quote_approved_by_id is not None and answer.text


def test_respondents_are_verified_young_people_with_the_demo_password(app, client, runner):
    load(runner)
    with app.test_request_context():
        respondents = db.session.scalars(sa.select(User).where(User.email.like("respondent-%"))).all()
        assert len(respondents) == 200
        assert {u.email for u in respondents} == {RESPONDENT_EMAIL.format(number=n) for n in range(1, 201)}
        today = utcnow().date()
        assert {u.age_on(today) for u in respondents} <= set(range(13, 31))
        assert len({u.age_on(today) for u in respondents}) >= 12
        assert len({u.home_city_id for u in respondents}) >= 6 and len({u.language for u in respondents}) >= 4
        assert all(participation_of(u) == Participation.ALLOWED for u in respondents)  # consent where needed
        assert len(set(db.session.scalars(sa.select(User.password_hash)))) == 1
    login(client, RESPONDENT_EMAIL.format(number=1), DEMO_PASSWORD)
    page = client.get("/account/participation", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'class="card participation"' in html and "You have not answered any consultation yet." not in html


def test_results_show_suppressed_cells_in_a_breakdown(app, client, runner):
    load(runner, ["demo"])  # the small districts need the full number of respondents to show beside big ones
    with app.app_context():
        hours = consultation_titled("Youth centre opening hours")
        url = f"/cities/murcia/consultations/{hours.id}/results"
    page = client.get(url + "?by=district", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r"<td[^>]*>\s*fewer than 10\s*</td>", html)  # a hidden cell, not only the note about them
    assert re.search(r'<th scope="col"><bdi>El Carmen</bdi>', html)  # a column of the breakdown


def test_named_residents_see_their_answers_and_outcomes(app, client, runner):
    load(runner)
    login(client, "girasol@demo.youth-portal.org", DEMO_PASSWORD)
    page = client.get("/account/participation", headers={"Accept-Language": "es"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Horario de los centros juveniles" in html
    assert "Abrir todos los centros los sábados de 16:00 a 20:00" in html
    # The open consultation is left for them to try.
    assert "Parques más seguros de noche" not in html


def test_the_default_load_has_thousands_of_responses_quickly(app, runner):
    result = load(runner, ["demo"])
    assert f"{DEFAULT_RESPONDENTS} respondents" in result.output
    with app.app_context():
        assert count(Response) >= 2500
        assert count(Answer) >= 3 * count(Response)


def test_demo_twice_adds_nothing(app, runner):
    load(runner)
    with app.app_context():
        before = {table.name: count(table) for table in db.metadata.sorted_tables}
    result = load(runner)
    assert "Demo consultations: already there, nothing added." in result.output
    with app.app_context():
        assert {table.name: count(table) for table in db.metadata.sorted_tables} == before


def test_demo_is_the_same_on_every_load(app, runner):
    def fingerprint() -> str:
        rows = db.session.execute(
            sa.select(
                User.email,
                Question.position,
                Answer.choices,
                Answer.number,
                Answer.text,
                Response.gender,
                Response.district,
                Response.status,
            )
            .select_from(Answer)
            .join(Response)
            .join(User, Response.user_id == User.id)
            .join(Question)
            .order_by(User.email, Response.consultation_id, Question.position)
        ).all()
        return hashlib.sha256(repr(rows).encode()).hexdigest()

    load(runner)
    with app.app_context():
        first = fingerprint()
        db.session.remove()
        empty_tables()
    load(runner)
    with app.app_context():
        assert fingerprint() == first


@pytest.mark.parametrize("respondents", ["0", "50"])
def test_few_or_no_respondents_still_load_every_consultation(app, runner, respondents):
    load(runner, ["demo", "--respondents", respondents])
    with app.app_context():
        assert count(Consultation) == 17
        assert count(User) >= 15 + int(respondents)
