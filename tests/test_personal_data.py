"""A person's data download holds what every feature keeps about them, and deleting the account erases what each
feature says it erases (youth_portal/*/personal_data.py)."""

import json

import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from support import PASSWORD, count_queries, login, make_city, make_user, submit
from youth_portal.accounts.models import User
from youth_portal.consultations.models import Answer, ConsultationUpdate, Response, ResponseStatus
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

SKY = "sky@example.org"
SKY_ANSWERS = {
    1: {"choices": ["other"], "text": "Skate parks"},
    2: {"choices": ["sport", "music"]},
    3: {"choices": ["yes"]},
    4: {"number": 4},
    5: {"choices": ["housing", "jobs"]},
    6: {"text": "Sunny"},
    7: {"text": "More benches by the river"},
}


def people_answering(app) -> dict[str, int]:
    """Sky answered "Our parks" (submitted) and began "Night buses" (draft); River answered "Our parks" too."""
    with app.app_context():
        murcia = make_city("murcia")
        sky = make_user(SKY, city=murcia, display_name="Sky")
        river = make_user("river@example.org", city=murcia, display_name="River")
        parks = make_consultation(murcia, "closed")
        buses = make_consultation(murcia, title={"en": "Night buses", "es": "Autobuses nocturnos"})
        add_response(parks, sky, SKY_ANSWERS, gender="woman", district="Centro")
        add_response(buses, sky, {3: {"choices": ["no"]}}, submitted=False)
        add_response(parks, river, {6: {"text": "River's own word"}}, gender="man", district="Norte")
        db.session.add(
            ConsultationUpdate(
                consultation_id=parks.id, kind="outcome-published", emailed_through=river.id, emailed_at=utcnow()
            )
        )
        db.session.commit()
        return {"sky": sky.id, "river": river.id, "parks": parks.id, "buses": buses.id}


def download(client) -> dict:
    response = client.get("/account/data.json")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def test_the_data_download_holds_the_persons_answers_and_demographics_and_nobody_elses(app, client):
    people_answering(app)
    login(client, SKY)

    data = download(client)

    submitted, draft = data["consultation_responses"]
    assert (submitted["consultation"], submitted["city"], submitted["status"]) == ("Our parks", "murcia", "submitted")
    assert (submitted["age_band"], submitted["gender"], submitted["district"]) == ("18-24", "Woman", "Centro")
    assert submitted["submitted_at"].endswith("Z")
    assert submitted["answers"] == [
        {"question": "Which space matters most?", "chosen": ["Other"], "text": "Skate parks"},
        {"question": "What would you use?", "chosen": ["Sport", "Music"]},
        {"question": "Do you feel safe at night?", "chosen": ["Yes"]},
        {"question": "How welcome do you feel?", "number": 4},
        {"question": "Rank these priorities", "chosen": ["Housing", "Jobs"]},
        {"question": "One word for your city", "text": "Sunny"},
        {"question": "What should change?", "text": "More benches by the river"},
    ]
    assert (draft["consultation"], draft["status"], draft["submitted_at"]) == ("Night buses", "draft", None)
    assert draft["answers"] == [{"question": "Do you feel safe at night?", "chosen": ["No"]}]
    [update] = data["consultation_updates_emailed_to_you"]
    assert (update["consultation"], update["kind"]) == ("Our parks", "outcome-published")
    raw = json.dumps(data)
    assert "River" not in raw and "Norte" not in raw


def test_the_data_download_is_in_the_persons_language(app, client):
    people_answering(app)
    login(client, SKY)
    submit(client, "/language", {"language": "es", "next": "/"})

    [submitted, _draft] = download(client)["consultation_responses"]

    assert submitted["consultation"] == "Parks (es)" and submitted["gender"] == "Mujer"
    assert submitted["answers"][0] == {
        "question": "¿Qué espacio importa más?",
        "chosen": ["Otro"],
        "text": "Skate parks",
    }


def test_the_data_download_runs_the_same_number_of_queries_however_many_answers(app, client):
    people_answering(app)
    with app.app_context():
        make_user("empty@example.org", city=db.session.scalar(sa.select(User).where(User.email == SKY)).home_city)
    login(client, "empty@example.org")
    with app.app_context(), count_queries() as few:
        assert download(client)["consultation_responses"] == []
    login(client, SKY)
    download(client)
    with app.app_context(), count_queries() as many:
        assert len(download(client)["consultation_responses"]) == 2
    assert len(many) == len(few)


def test_deleting_the_account_erases_drafts_and_texts_and_keeps_submitted_choices_tied_to_nobody(app, client):
    ids = people_answering(app)
    login(client, SKY)

    response = submit(client, "/account/delete", {"current_password": PASSWORD, "confirm": "y"}, follow_redirects=True)

    assert response.status_code == 200 and "Your account was deleted" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(sa.select(Response.id).where(Response.user_id == ids["sky"])).all() == []
        left = db.session.execute(
            sa.select(Response.consultation_id, Response.status).where(Response.user_id.is_(None))
        ).all()
        assert left == [(ids["parks"], ResponseStatus.SUBMITTED)]  # counted in the results: stays, tied to nobody
        answers = db.session.execute(
            sa.select(Answer.choices, Answer.number, Answer.text).join(Response).where(Response.user_id.is_(None))
        ).all()
        assert len(answers) == len(SKY_ANSWERS) and all(text is None for _c, _n, text in answers)
        assert sorted(c for choices, _n, _t in answers for c in choices) == sorted(
            c for values in SKY_ANSWERS.values() for c in values.get("choices", [])
        )
        sky = db.session.get(User, ids["sky"])
        assert (sky.email, sky.display_name, sky.birth_year) == (None, None, None)
        river = db.session.scalar(
            sa.select(sa.func.count()).select_from(Response).where(Response.user_id == ids["river"])
        )
        assert river == 1
