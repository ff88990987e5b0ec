"""A consultation's page is kept rendered for visitors, and never shows them anything stale or personal."""

import os
import re
import uuid
from datetime import timedelta

import pytest
import redis
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from support import TEST_SETTINGS, count_queries, login, make_city, make_user, submit
from youth_portal import create_app
from youth_portal.accounts.models import CityRoleName, User
from youth_portal.cities.models import City
from youth_portal.consultations.models import Consultation, Question
from youth_portal.extensions import cache, db
from youth_portal.timeutil import utcnow


def consultation_in(app, stage: str = "open", **fields) -> int:
    with app.app_context():
        city = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        return make_consultation(city, stage, **fields).id


def page_url(consultation_id: int) -> str:
    return f"/cities/murcia/consultations/{consultation_id}"


def test_a_visitor_gets_the_kept_page_without_touching_the_database(app, visitor, murcia):
    consultation_id = consultation_in(app)
    first = visitor.get(page_url(consultation_id))
    assert first.status_code == 200 and "Our parks" in first.get_data(as_text=True)
    with app.app_context(), count_queries() as queries:
        again = visitor.get(page_url(consultation_id))
    assert queries == []
    assert again.get_data() == first.get_data()
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert {"Accept-Language", "Cookie"} <= set(again.headers["Vary"].replace(" ", "").split(","))
    assert visitor.get_cookie("session") is None  # nothing personal was stored for the visitor


def test_a_browser_sending_a_cookie_is_answered_by_the_app(app, visitor, murcia):
    consultation_id = consultation_in(app)
    visitor.get(page_url(consultation_id))
    visitor.get("/login")  # the sign-in form's token is kept in a session cookie
    assert visitor.get_cookie("session") is not None
    with app.app_context(), count_queries() as queries:
        assert visitor.get(page_url(consultation_id)).status_code == 200
    assert queries != []


def test_each_language_is_kept_apart(app, visitor, murcia):
    consultation_id = consultation_in(app)
    assert "Our parks" in visitor.get(page_url(consultation_id)).get_data(as_text=True)
    spanish = visitor.get(page_url(consultation_id), headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es"' in spanish and "Parks (es)" in spanish
    city_default = app.test_client().get(page_url(consultation_id)).get_data(as_text=True)
    assert '<html lang="es"' in city_default  # no Accept-Language: Murcia's default language
    visitor.post("/language", data={"language": "fr", "next": "/"})
    french = visitor.get(page_url(consultation_id)).get_data(as_text=True)
    assert '<html lang="fr"' in french


def test_signed_in_people_always_get_their_own_page(app, visitor, murcia):
    consultation_id = consultation_in(app)
    visitor.get(page_url(consultation_id))
    with app.app_context():
        city = db.session.get(City, murcia)
        make_user("ana@example.org", city=city)
        add_response(
            db.session.get(Consultation, consultation_id),
            db.session.scalar(sa.select(User).where(User.email == "ana@example.org")),
        )
    person = app.test_client()
    person.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(person, "ana@example.org")
    html = person.get(page_url(consultation_id)).get_data(as_text=True)
    assert "You answered this consultation on" in html and "Sign out" in html
    assert "Sign in to answer this consultation." not in html
    assert "You answered" not in visitor.get(page_url(consultation_id)).get_data(as_text=True)


def test_a_kept_page_is_never_served_under_another_citys_address(app, visitor, murcia):
    consultation_id = consultation_in(app)
    with app.app_context():
        make_city("beirut")
    assert visitor.get(page_url(consultation_id)).status_code == 200
    assert visitor.get(f"/cities/beirut/consultations/{consultation_id}").status_code == 404


def test_staff_changes_show_at_once(app, staff, visitor, murcia):
    """The outcome published by staff (through their page) replaces the kept page of the closed consultation."""
    consultation_id = consultation_in(app, "closed")
    assert "You said, we did" not in visitor.get(page_url(consultation_id)).get_data(as_text=True)
    outcome = f"/cities/murcia/manage/consultations/{consultation_id}/outcome"
    response = submit(
        staff,
        outcome,
        {
            "outcome_es": "Abriremos dos parques.",
            "outcome_en": "We will open two parks.",
            "publish": "",
            "confirmed": "yes",
        },
    )
    assert response.status_code == 302
    html = visitor.get(page_url(consultation_id)).get_data(as_text=True)
    assert "You said, we did" in html and "We will open two parks." in html


def test_changes_to_questions_and_the_city_show_at_once(app, visitor, murcia):
    consultation_id = consultation_in(app)
    assert "Our parks" in visitor.get(page_url(consultation_id)).get_data(as_text=True)
    with app.app_context():
        db.session.delete(db.session.scalars(sa.select(Question).filter_by(consultation_id=consultation_id)).first())
        db.session.commit()
        count = db.session.scalar(sa.select(sa.func.count()).where(Question.consultation_id == consultation_id))
    assert f"{count} questions" in visitor.get(page_url(consultation_id)).get_data(as_text=True)
    with app.app_context():
        db.session.get(City, murcia).name = "Murcia la Bella"
        db.session.commit()
    assert "Consultations in Murcia la Bella" in visitor.get(page_url(consultation_id)).get_data(as_text=True)


def test_an_answer_does_not_throw_the_kept_page_away(app, visitor, murcia):
    consultation_id = consultation_in(app)
    visitor.get(page_url(consultation_id))
    with app.app_context():
        make_user("ana@example.org", city=db.session.get(City, murcia))
        add_response(
            db.session.get(Consultation, consultation_id),
            db.session.scalar(sa.select(User).where(User.email == "ana@example.org")),
        )
    with app.app_context(), count_queries() as queries:
        visitor.get(page_url(consultation_id))
    assert queries == []


def test_a_page_is_not_kept_past_the_closing_time(app, visitor, murcia, clock):
    consultation_id = consultation_in(app, closes_at=utcnow() + timedelta(seconds=30))  # sooner than PAGE_SECONDS
    assert "Sign in to answer this consultation." in visitor.get(page_url(consultation_id)).get_data(as_text=True)
    clock.shift(timedelta(seconds=31))
    html = visitor.get(page_url(consultation_id)).get_data(as_text=True)
    assert "Sign in to answer" not in html and "so it no longer takes answers" in html


def test_a_draft_is_never_kept_or_shown(app, visitor, murcia):
    consultation_id = consultation_in(app, "draft")
    assert visitor.get(page_url(consultation_id)).status_code == 404
    assert visitor.get(page_url(consultation_id)).status_code == 404


def redis_url() -> str:
    """A Redis database for the test; without Redis the test is skipped, except in CI (CI=true, or REQUIRE_REDIS=1)
    where it fails: .ci/run starts Redis."""
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        reason = "Redis is not running on 127.0.0.1:6379"
        if os.environ.get("CI") == "true" or os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"{reason} (it is required in CI)", pytrace=False)
        pytest.skip(reason)
    return url


def test_with_redis_a_change_in_one_process_shows_in_every_other(app, database_url, tmp_path, murcia):
    """Two app processes sharing Redis: staff change the consultation in one, visitors of the other see it."""
    settings = TEST_SETTINGS | {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_OUTBOX": str(tmp_path),
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": redis_url(),
        "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}/",
    }
    staff_process, visitor_process = create_app(settings), create_app(settings)
    consultation_id = consultation_in(app)
    browser = visitor_process.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "Our parks" in browser.get(page_url(consultation_id)).get_data(as_text=True)
    with visitor_process.app_context(), count_queries() as queries:
        browser.get(page_url(consultation_id))
    assert queries == []
    with staff_process.app_context():
        db.session.get(Consultation, consultation_id).title = {"en": "Safer parks at night", "es": "Parques"}
        db.session.commit()
    assert "Safer parks at night" in browser.get(page_url(consultation_id)).get_data(as_text=True)
    for process in (staff_process, visitor_process):
        with process.app_context():
            cache.clear()
            db.engine.dispose()


def test_a_closed_consultations_results_are_kept_for_visitors_and_a_quote_approved_shows_at_once(
    app, client, visitor, murcia
):
    consultation_id = consultation_in(app, "closed")
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        for i in range(12):
            person = make_user(f"resident{i}@example.org", city=consultation.city)
            add_response(consultation, person, {3: {"choices": ["yes"]}, 6: {"text": f"Idea {i}"}})
        make_user("staff@murcia.example.org", city=consultation.city, city_role=CityRoleName.STAFF)
    results = f"{page_url(consultation_id)}/results"
    first = visitor.get(results, headers={"Accept-Language": "en"})
    assert first.status_code == 200 and "Idea 3" not in first.get_data(as_text=True)
    with app.app_context(), count_queries() as queries:
        again = visitor.get(results, headers={"Accept-Language": "en"})
    assert queries == [] and again.get_data() == first.get_data()

    login(client, "staff@murcia.example.org")
    staff_page = f"/cities/murcia/manage/consultations/{consultation_id}/results"
    page = client.get(staff_page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    [approve] = re.findall(r"Idea 3\s*</p>.*?<form method=\"post\" action=\"([^\"]+)\"", page, re.S)
    assert submit(client, approve, page=staff_page).status_code == 302

    assert "Idea 3" in visitor.get(results, headers={"Accept-Language": "en"}).get_data(as_text=True)
