"""One response per person: two people answering the same consultation each keep their own draft and answers."""

import pytest
import sqlalchemy as sa

from consultation_factory import make_consultation
from support import login, make_city, make_user, submit
from youth_portal.accounts.models import User
from youth_portal.consultations.models import Answer, Question, Response, ResponseStatus
from youth_portal.extensions import db

ANA, BEA = "ana@example.org", "bea@example.org"


@pytest.fixture
def consultation_id(app) -> int:
    with app.app_context():
        city = make_city("murcia")
        make_user(ANA, city=city, display_name="Ana")
        make_user(BEA, city=city, display_name="Bea")
        return make_consultation(city, "open").id


def signed_in(app, email: str):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, email)
    return client


def fields(app, consultation_id: int) -> dict[int, str]:
    with app.app_context():
        questions = db.session.scalars(sa.select(Question).where(Question.consultation_id == consultation_id))
        return {q.position: f"q{q.id}" for q in questions}


def answers(q: dict[int, str], word: str, action: str) -> dict:
    """Complete answers to the factory's questions, the short text being `word`."""
    return {
        q[1]: "park",
        q[2]: ["sport"],
        q[3]: "yes",
        q[4]: "4",
        q[5]: ["housing:1", "jobs:2", ""],
        q[6]: word,
        q[7]: f"{word} for everyone.",
        "action": action,
    }


def short_text_by_person(app, consultation_id: int) -> dict[str, tuple[ResponseStatus, str]]:
    """Each person's response status and short-text answer, read from the database."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(User.email, Response.status, Answer.text)
            .join(Response, Response.user_id == User.id)
            .join(Answer, Answer.response_id == Response.id)
            .join(Question, Question.id == Answer.question_id)
            .where(Response.consultation_id == consultation_id, Question.position == 6)
        ).all()
    return {email: (status, text) for email, status, text in rows}


def test_two_people_answering_keep_their_own_drafts_and_answers(app, consultation_id):
    ana, bea = signed_in(app, ANA), signed_in(app, BEA)
    q = fields(app, consultation_id)
    form = f"/cities/murcia/consultations/{consultation_id}/respond"

    assert submit(ana, form, answers(q, "Apples", "draft")).status_code == 302
    assert "Apples" not in bea.get(form).get_data(as_text=True)
    assert submit(bea, form, answers(q, "Bananas", "draft")).status_code == 302
    ana_form, bea_form = ana.get(form).get_data(as_text=True), bea.get(form).get_data(as_text=True)
    assert 'value="Apples"' in ana_form and "Bananas" not in ana_form
    assert 'value="Bananas"' in bea_form and "Apples" not in bea_form
    assert short_text_by_person(app, consultation_id) == {
        ANA: (ResponseStatus.DRAFT, "Apples"),
        BEA: (ResponseStatus.DRAFT, "Bananas"),
    }

    assert submit(ana, form, answers(q, "Apricots", "submit")).status_code == 302
    assert submit(bea, form, answers(q, "Blueberries", "submit")).status_code == 302
    assert short_text_by_person(app, consultation_id) == {
        ANA: (ResponseStatus.SUBMITTED, "Apricots"),
        BEA: (ResponseStatus.SUBMITTED, "Blueberries"),
    }
    ana_page = ana.get("/account/participation").get_data(as_text=True)
    bea_page = bea.get("/account/participation").get_data(as_text=True)
    assert "Apricots" in ana_page and "Blueberries" not in ana_page
    assert "Blueberries" in bea_page and "Apricots" not in bea_page
