"""Staff of a city create, edit, preview and run consultations through their pages; nobody else reaches them."""

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from consultation_support import form_of
from support import count_queries, csrf_token, login, make_city, make_user, refused_pages, submit
from youth_portal.accounts.models import CityRoleName, User
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City
from youth_portal.consultations.models import (
    Audience,
    Consultation,
    Question,
    QuestionKind,
    ResponseMode,
    Stage,
    Topic,
)
from youth_portal.consultations.staff.forms import to_local
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

XSS = "<script>alert(1)</script>"
MANAGE = "/cities/murcia/manage/consultations"

GOOD = {
    "title_es": "Parques para todos",
    "title_en": "Parks for everyone",
    "summary_es": "Cuéntanos qué parques usas.",
    "summary_en": "",
    "body_es": "Queremos **escucharte**.",
    "body_en": "",
    "cover_alt_es": "",
    "cover_alt_en": "",
    "topic": "environment",
    "min_age": "14",
    "max_age": "25",
    "audience": "residents",
    "mode": "anonymous",
    "opens_at": "2030-01-15T10:00",
    "closes_at": "2030-07-15T18:30",
}


def city(slug: str = "murcia") -> City:
    return db.session.scalar(sa.select(City).where(City.slug == slug))


def consultations() -> list[Consultation]:
    return db.session.scalars(sa.select(Consultation).order_by(Consultation.id)).all()


def events(action: str) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def error_beside(html: str, field_id: str) -> str:
    """The error message shown beside a field (empty if none)."""
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def value_of(html: str, field_id: str) -> str | None:
    match = re.search(rf'<input[^>]*id="{field_id}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def question() -> Question:
    return Question(position=1, kind=QuestionKind.YES_NO, required=True, prompt={"es": "¿Te sientes seguro?"})


def draft(app, **fields) -> int:
    with app.app_context():
        return make_consultation(city(), "draft", **fields).id


def make_in_stage(app, stage: str, **fields) -> int:
    with app.app_context():
        return make_consultation(city(), stage, **fields).id


# Creating ---------------------------------------------------------------------------------------------------------


def test_staff_creates_a_draft_in_the_city_languages_with_times_in_the_city(app, staff):
    page = staff.get(f"{MANAGE}/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for field_id in ("title_es", "title_en", "summary_es", "body_en", "cover_alt_es", "opens_at", "closes_at"):
        assert f'id="{field_id}"' in html
    assert "Title (Spanish)" in html and "Title (English)" in html
    assert "Markdown: **bold**" in html
    assert "Anonymous to staff (recommended)" in html and "never who wrote what" in html
    assert 'value="anonymous" checked' in html or re.search(r'checked[^>]*value="anonymous"', html)
    assert "Europe/Madrid" in html
    assert 'id="ask_gender-hint">Asked separately from the questions, never required.' in html
    assert "a city admin first lists the city's districts" in html  # Murcia has none yet: no district question

    response = submit(staff, f"{MANAGE}/new", GOOD)
    assert response.status_code == 302
    with app.app_context():
        [consultation] = consultations()
        assert response.headers["Location"].endswith(f"{MANAGE}/{consultation.id}/edit")
        assert consultation.title == {"es": "Parques para todos", "en": "Parks for everyone"}
        assert consultation.summary == {"es": "Cuéntanos qué parques usas."}  # empty texts are not stored
        assert consultation.body == {"es": "Queremos **escucharte**."}
        assert consultation.topic == Topic.ENVIRONMENT
        assert (consultation.min_age, consultation.max_age) == (14, 25)
        assert consultation.audience == Audience.RESIDENTS and consultation.mode == ResponseMode.ANONYMOUS
        assert not consultation.ask_gender and not consultation.ask_district
        # Madrid is UTC+1 in January and UTC+2 in July.
        assert consultation.opens_at == datetime(2030, 1, 15, 9, 0)
        assert consultation.closes_at == datetime(2030, 7, 15, 16, 30)
        assert consultation.stage() == Stage.DRAFT
        [event] = events("consultation.created")
        assert (event.target_type, event.target_id) == ("consultations", consultation.id)
        assert event.detail == {}
        assert event.city_id == consultation.city_id and event.actor_id is not None
        consultation_id = consultation.id

    page = staff.get(f"{MANAGE}/{consultation_id}/edit").get_data(as_text=True)
    assert "The consultation was saved as a draft" in page
    assert value_of(page, "opens_at") == "2030-01-15T10:00"
    assert value_of(page, "closes_at") == "2030-07-15T18:30"


def test_only_the_default_language_title_is_required_and_options_are_saved(app, staff):
    with app.app_context():
        city().districts = ["Centro", "El Carmen"]
        db.session.commit()
    data = GOOD | {
        "title_en": "",
        "summary_es": "",
        "body_es": "",
        "opens_at": "",
        "closes_at": "",
        "mode": "identified",
        "audience": "network",
        "ask_gender": "y",
        "ask_district": "y",
    }
    assert submit(staff, f"{MANAGE}/new", data).status_code == 302
    with app.app_context():
        [consultation] = consultations()
        assert consultation.title == {"es": "Parques para todos"}
        assert consultation.opens_at is None and consultation.closes_at is None
        assert consultation.mode == ResponseMode.IDENTIFIED and consultation.audience == Audience.NETWORK
        assert consultation.ask_gender and consultation.ask_district


def test_save_and_preview_goes_to_the_preview(app, staff):
    response = submit(staff, f"{MANAGE}/new", GOOD | {"save_and_preview": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith("/preview")


BAD_INPUT = [
    ("title_es", {"title_es": ""}, "Enter a title in Spanish."),
    ("title_es", {"title_es": "x" * 151}, "at most 150 characters"),
    ("summary_en", {"summary_en": "x" * 501}, "at most 500 characters"),
    ("topic", {"topic": ""}, "Choose a topic."),
    ("topic", {"topic": "gossip"}, "Choose a topic"),
    ("min_age", {"min_age": "12"}, "Enter an age from 13 to 30"),
    ("min_age", {"min_age": ""}, "Enter an age."),
    ("max_age", {"max_age": "31"}, "Enter an age from 13 to 30"),
    ("max_age", {"min_age": "20", "max_age": "18"}, "cannot be below the youngest age"),
    ("audience", {"audience": "everyone"}, "Not a valid choice"),
    ("mode", {"mode": ""}, "Choose what staff see."),
    ("opens_at", {"opens_at": "next tuesday"}, "Enter a date and time"),
    ("closes_at", {"closes_at": "2030-01-15T09:00"}, "must come after the opening time"),
    # Clocks go forward in Madrid at 02:00 on the last Sunday of March: 02:30 never happens.
    ("opens_at", {"opens_at": "2030-03-31T02:30"}, "does not exist in Europe/Madrid"),
    ("ask_district", {"ask_district": "y"}, "no districts yet"),
]


@pytest.mark.parametrize(("field_id", "change", "message"), BAD_INPUT)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_written(app, staff, field_id, change, message):
    response = submit(staff, f"{MANAGE}/new", GOOD | change)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in error_beside(html, field_id)
    assert "Please correct the highlighted fields." in html
    assert value_of(html, "title_en") == "Parks for everyone"  # typed values kept
    with app.app_context():
        assert consultations() == []
        assert events("consultation.created") == []


# Editing, stage by stage ------------------------------------------------------------------------------------------


def test_a_draft_can_change_everything_and_the_audit_names_what_changed(app, staff):
    consultation_id = draft(app, questions=[question()])
    data = form_of(consultation_id, staff) | {"min_age": "16", "mode": "identified", "title_en": "New title"}
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", data)
    assert response.status_code == 302
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        assert consultation.min_age == 16 and consultation.mode == ResponseMode.IDENTIFIED
        assert consultation.title["en"] == "New title"
        [event] = events("consultation.edited")
        assert (event.target_type, event.target_id) == ("consultations", consultation_id)
        assert event.detail == {"changed": ["min_age", "mode", "title"]}


def test_resaving_an_unchanged_form_changes_nothing(app, staff):
    consultation_id = make_in_stage(app, "open")
    with app.app_context():
        before = db.session.get(Consultation, consultation_id).closes_at
    assert submit(staff, f"{MANAGE}/{consultation_id}/edit", form_of(consultation_id, staff)).status_code == 302
    with app.app_context():
        assert db.session.get(Consultation, consultation_id).closes_at == before
        assert events("consultation.edited") == []


def test_a_scheduled_consultation_can_move_its_dates_but_not_lose_them(app, staff):
    consultation_id = make_in_stage(app, "scheduled")
    data = form_of(consultation_id, staff)
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", data | {"opens_at": ""})
    assert response.status_code == 422
    assert "needs this time" in error_beside(response.get_data(as_text=True), "opens_at")
    response = submit(
        staff,
        f"{MANAGE}/{consultation_id}/edit",
        data | {"closes_at": "2020-01-01T10:00", "opens_at": "2019-12-01T10:00"},
    )
    assert "already passed" in error_beside(response.get_data(as_text=True), "closes_at")
    response = submit(
        staff, f"{MANAGE}/{consultation_id}/edit", data | {"closes_at": "2099-01-01T10:00", "max_age": "20"}
    )
    assert response.status_code == 302
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        assert consultation.closes_at == datetime(2099, 1, 1, 9, 0) and consultation.max_age == 20
        assert consultation.stage() == Stage.SCHEDULED


@pytest.mark.parametrize(
    ("field_id", "value"),
    [
        ("min_age", "16"),
        ("max_age", "20"),
        ("audience", "network"),
        ("mode", "identified"),
        ("opens_at", "2020-01-01T10:00"),
        ("ask_gender", "y"),
    ],
)
def test_an_open_consultation_refuses_changes_to_who_may_answer_and_how(app, staff, field_id, value):
    consultation_id = make_in_stage(app, "open")
    page = staff.get(f"{MANAGE}/{consultation_id}/edit").get_data(as_text=True)
    assert re.search(rf'<input[^>]*disabled[^>]*id="{field_id}|<input[^>]*id="{field_id}[^>]*disabled', page)
    assert "only the texts, the topic, the cover image and a later closing time can change" in page
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", form_of(consultation_id, staff) | {field_id: value})
    assert response.status_code == 422
    assert "cannot change once the consultation has opened" in error_beside(response.get_data(as_text=True), field_id)
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        assert (consultation.min_age, consultation.max_age) == (13, 30)
        assert consultation.mode == ResponseMode.ANONYMOUS and consultation.audience == Audience.RESIDENTS
        assert not consultation.ask_gender
        assert events("consultation.edited") == []


def test_an_open_consultation_can_change_its_texts_and_close_later_but_not_earlier(app, staff):
    consultation_id = make_in_stage(app, "open")
    data = form_of(consultation_id, staff)
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", data | {"closes_at": ""})
    assert response.status_code == 422
    assert "needs this time" in error_beside(response.get_data(as_text=True), "closes_at")
    earlier = to_local(utcnow() + timedelta(days=2), "Europe/Madrid").strftime("%Y-%m-%dT%H:%M")
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", data | {"closes_at": earlier})
    assert response.status_code == 422
    assert "can only move later" in error_beside(response.get_data(as_text=True), "closes_at")
    response = submit(
        staff,
        f"{MANAGE}/{consultation_id}/edit",
        data | {"closes_at": "2099-06-01T12:00", "title_es": "Nuevo título", "topic": "safety"},
    )
    assert response.status_code == 302
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        assert consultation.title["es"] == "Nuevo título" and consultation.topic == Topic.SAFETY
        assert consultation.closes_at == datetime(2099, 6, 1, 10, 0)
        assert consultation.stage() == Stage.OPEN


def test_a_locked_field_sent_with_its_current_value_is_accepted(app, staff):
    consultation_id = make_in_stage(app, "open")
    with app.app_context():
        opens = to_local(db.session.get(Consultation, consultation_id).opens_at, "Europe/Madrid")
    data = form_of(consultation_id, staff) | {
        "min_age": "13",
        "mode": "anonymous",
        "title_es": "Otro título",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
    }
    assert submit(staff, f"{MANAGE}/{consultation_id}/edit", data).status_code == 302
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        assert consultation.title["es"] == "Otro título"  # saved, the locked fields as they were
        assert (to_local(consultation.opens_at, "Europe/Madrid"), consultation.min_age) == (opens, 13)


@pytest.mark.parametrize("stage", ["closed", "outcome-published", "archived"])
def test_after_closing_only_texts_change(app, staff, stage):
    consultation_id = make_in_stage(app, stage)
    data = form_of(consultation_id, staff)
    assert "closes_at" not in data  # shown disabled
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", data | {"closes_at": "2099-06-01T12:00"})
    assert response.status_code == 422
    assert "cannot change once the consultation has closed" in error_beside(
        response.get_data(as_text=True), "closes_at"
    )
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", data | {"summary_es": "Gracias a todos."})
    assert response.status_code == 302
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        assert consultation.summary["es"] == "Gracias a todos." and consultation.stage() == Stage(stage)


# Life cycle -------------------------------------------------------------------------------------------------------


def post_action(client, consultation_id: int, action: str):
    """The action's button pressed (and, for closing, confirmed on the page that asks)."""
    return submit(
        client, f"{MANAGE}/{consultation_id}/{action}", {"confirmed": "yes"}, page=f"{MANAGE}/{consultation_id}/edit"
    )


def stage_of(app, consultation_id: int) -> Stage:
    with app.app_context():
        return db.session.get(Consultation, consultation_id).stage()


def test_publishing_a_complete_draft_schedules_it_and_is_recorded(app, staff):
    consultation_id = draft(app, questions=[question()])
    page = staff.get(f"{MANAGE}/{consultation_id}/edit").get_data(as_text=True)
    assert ">Publish</button>" in page and "Close now" not in page and "Back to draft" not in page
    response = post_action(staff, consultation_id, "publish")
    assert response.status_code == 302
    assert stage_of(app, consultation_id) == Stage.SCHEDULED
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "The consultation is published. It opens at the time you set." in page
    assert "Back to draft</button>" in page and ">Publish</button>" not in page
    with app.app_context():
        [event] = events("consultation.published")
        assert (event.target_type, event.target_id) == ("consultations", consultation_id)
        assert event.detail == {"stage": "scheduled"}


def test_publishing_after_the_opening_time_opens_at_once(app, staff):
    now = utcnow()
    consultation_id = draft(app, questions=[question()], opens_at=now - timedelta(hours=1))
    response = post_action(staff, consultation_id, "publish")
    assert response.status_code == 302
    assert stage_of(app, consultation_id) == Stage.OPEN
    assert "young people can answer now" in staff.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"questions": []}, "Add at least one question before publishing."),
        (
            {"title": {"en": "Only in English"}},
            "Give the consultation a title in the city&#39;s default language first.",
        ),
        ({"opens_at": None}, "Set an opening time before the closing time."),
        ({"closes_at": None}, "Set an opening time before the closing time."),
        (
            {"opens_at": datetime(2030, 2, 1), "closes_at": datetime(2030, 1, 1)},
            "Set an opening time before the closing time.",
        ),
        ({"opens_at": datetime(2020, 1, 1), "closes_at": datetime(2020, 2, 1)}, "The closing time has already passed."),
    ],
)
def test_publishing_an_incomplete_draft_is_refused_with_the_reason(app, staff, fields, message):
    consultation_id = draft(app, **({"questions": [question()]} | fields))
    response = post_action(staff, consultation_id, "publish")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'role="alert" id="life-cycle-refusal"><p>' + re.escape(message), html)
    assert stage_of(app, consultation_id) == Stage.DRAFT
    with app.app_context():
        assert events("consultation.published") == []


@pytest.mark.parametrize(
    ("stage", "action", "after", "audit"),
    [
        ("scheduled", "unpublish", Stage.DRAFT, "consultation.unpublished"),
        ("open", "close", Stage.CLOSED, "consultation.closed"),
        ("outcome-published", "archive", Stage.ARCHIVED, "consultation.archived"),
    ],
)
def test_each_life_cycle_step_from_its_stage(app, staff, stage, action, after, audit):
    consultation_id = make_in_stage(app, stage)
    response = post_action(staff, consultation_id, action)
    assert response.status_code == 302
    assert stage_of(app, consultation_id) == after
    with app.app_context():
        [event] = events(audit)
        assert (event.target_type, event.target_id) == ("consultations", consultation_id)


def test_closing_early_asks_first_and_changes_nothing_until_confirmed(app, staff):
    consultation_id = make_in_stage(app, "open")
    edit = f"{MANAGE}/{consultation_id}/edit"
    asked = submit(staff, f"{MANAGE}/{consultation_id}/close", page=edit)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Close “" in html and "now?" in html
    assert "This cannot be undone." in html and f'href="{edit}">No, keep it open</a>' in html
    assert stage_of(app, consultation_id) == Stage.OPEN
    with app.app_context():
        assert events("consultation.closed") == []
    confirmed = staff.post(
        f"{MANAGE}/{consultation_id}/close",
        data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1), "confirmed": "yes"},
    )
    assert confirmed.status_code == 302 and stage_of(app, consultation_id) == Stage.CLOSED


ALLOWED = {"draft": "publish", "scheduled": "unpublish", "open": "close", "outcome-published": "archive"}


WRONG_STAGE = [
    (stage, action)
    for stage in ("draft", "scheduled", "open", "closed", "outcome-published", "archived")
    for action in ("publish", "unpublish", "close", "archive")
    if ALLOWED.get(stage) != action
]


@pytest.mark.parametrize(("stage", "action"), WRONG_STAGE)
def test_a_step_at_the_wrong_stage_is_refused_with_409_and_nothing_changes(app, staff, stage, action):
    consultation_id = make_in_stage(app, stage, questions=[question()])
    with app.app_context():
        before = {
            c: getattr(db.session.get(Consultation, consultation_id), c)
            for c in ("published_at", "closes_at", "archived_at", "outcome_published_at")
        }
    response = post_action(staff, consultation_id, action)
    assert response.status_code == 409
    assert "This is not possible while the consultation is" in response.get_data(as_text=True)
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        assert {c: getattr(consultation, c) for c in before} == before
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action.like("consultation.%"))
            )
            == 0
        )


@pytest.mark.parametrize(
    ("stage", "shown"),
    [
        ("draft", "Publish"),
        ("scheduled", "Back to draft"),
        ("open", "Close now"),
        ("closed", None),
        ("outcome-published", "Move to the archive"),
        ("archived", None),
    ],
)
def test_only_the_allowed_button_is_shown(app, staff, stage, shown):
    consultation_id = make_in_stage(app, stage)
    html = staff.get(f"{MANAGE}/{consultation_id}/edit").get_data(as_text=True)
    buttons = re.findall(r'/(publish|unpublish|close|archive)" class="inline-form">', html)
    assert buttons == ([ALLOWED[stage]] if shown else [])
    if shown:
        assert f">{shown}</button>" in html


def test_no_state_changes_on_get(app, staff):
    consultation_id = draft(app, questions=[question()])
    for action in ("publish", "unpublish", "close", "archive"):
        assert staff.get(f"{MANAGE}/{consultation_id}/{action}").status_code == 405
    assert stage_of(app, consultation_id) == Stage.DRAFT


def test_posts_without_csrf_token_are_refused(app, staff):
    consultation_id = draft(app, questions=[question()])
    assert staff.post(f"{MANAGE}/new", data=GOOD).status_code == 400
    assert staff.post(f"{MANAGE}/{consultation_id}/edit", data=GOOD | {"title_es": "Changed"}).status_code == 400
    assert staff.post(f"{MANAGE}/{consultation_id}/publish").status_code == 400
    with app.app_context():
        [consultation] = consultations()
        assert consultation.title["es"] != "Changed" and consultation.stage() == Stage.DRAFT


# Preview ----------------------------------------------------------------------------------------------------------


def test_staff_preview_a_draft_in_each_language(app, staff):
    consultation_id = draft(
        app,
        questions=[question()],
        title={"es": "Parques", "en": "Parks"},
        summary={"es": "Resumen"},
        body={"es": "Texto **fuerte**"},
    )
    html = staff.get(f"{MANAGE}/{consultation_id}/preview").get_data(as_text=True)
    assert "Preview — not visible to young people." in html
    assert "<h1>Parks</h1>" in html  # the staff member reads English
    assert "Not yet available in your language" in html  # summary and body fall back to Spanish
    assert "<strong>fuerte</strong>" in html and "¿Te sientes seguro?" in html
    html = staff.get(f"{MANAGE}/{consultation_id}/preview?language=es").get_data(as_text=True)
    assert "<h1>Parques</h1>" in html and 'lang="es"' in html and "Not yet available" not in html


@pytest.fixture
def people(app):
    """Besides Murcia's staff: Lyon's admin, a Murcia moderator and a Murcia resident."""
    with app.app_context():
        lyon = make_city("lyon", country="FR", timezone="Europe/Paris", default_language="fr", languages=["fr"])
        make_user("lyon@example.org", city=lyon, city_role=CityRoleName.CITY_ADMIN)
        make_user("moderator@example.org", city=city(), city_role=CityRoleName.MODERATOR)
        make_user("resident@example.org", city=city())


STAFF_PAGES = ["", "/new", "/{id}/edit", "/{id}/preview"]


@pytest.mark.parametrize("email", ["lyon@example.org", "moderator@example.org", "resident@example.org"])
def test_everyone_else_gets_404_on_every_staff_page_and_action(app, client, staff, people, email):
    consultation_id = draft(app, questions=[question()])
    other = app.test_client()
    login(other, email)
    for page in STAFF_PAGES:
        assert other.get(MANAGE + page.format(id=consultation_id)).status_code == 404
    csrf = csrf_token(other, "/")
    for action in ("publish", "edit"):
        response = other.post(f"{MANAGE}/{consultation_id}/{action}", data=GOOD | {"csrf_token": csrf})
        assert response.status_code == 404
    assert other.post(f"{MANAGE}/new", data=GOOD | {"csrf_token": csrf}).status_code == 404
    with app.app_context():
        assert len(consultations()) == 1 and consultations()[0].stage() == Stage.DRAFT
        assert refused_pages() == len(STAFF_PAGES) + 3


def test_a_consultation_of_another_city_is_404_for_murcia_staff(app, staff, people):
    with app.app_context():
        lyon_id = make_consultation(city("lyon"), "draft").id
    for page in ("/{id}/edit", "/{id}/preview"):
        assert staff.get(MANAGE + page.format(id=lyon_id)).status_code == 404
    response = submit(staff, f"{MANAGE}/{lyon_id}/publish", page=f"{MANAGE}/new")
    assert response.status_code == 404
    assert staff.get(f"/cities/lyon/manage/consultations/{lyon_id}/preview").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    with app.app_context():
        consultation_id = make_consultation(make_city("murcia"), "draft").id
    for page in STAFF_PAGES:
        response = client.get(MANAGE + page.format(id=consultation_id))
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# The list ---------------------------------------------------------------------------------------------------------


def test_the_list_shows_stage_times_in_the_city_responses_and_missing_titles(app, staff):
    with app.app_context():
        murcia = city()
        open_one = make_consultation(
            murcia, "open", title={"es": "Abierta", "en": "Open one"}, opens_at=datetime(2025, 1, 15, 9, 0)
        )
        make_consultation(murcia, "draft", title={"es": "Borrador"})
        for n in range(3):
            add_response(open_one, make_user(f"y{n}@example.org", city=murcia))
        add_response(open_one, make_user("slow@example.org", city=murcia), submitted=False)
    html = staff.get(MANAGE).get_data(as_text=True)
    assert "Open one" in html and "Borrador" in html  # English if written, else the default language
    assert "Open</span>" in html and "Draft</span>" in html
    assert "Jan 15, 2025, 10:00\u202fAM" in html  # 09:00 UTC is 10:00 in Madrid
    assert "3 submitted" in html and "1 in progress" in html
    assert "No title yet in: English" in html
    assert html.count("No title yet in") == 1


def test_the_list_runs_the_same_number_of_queries_for_1_or_10_consultations(app, staff):
    def queries_for_list() -> int:
        with app.app_context(), count_queries() as statements:
            assert staff.get(MANAGE).status_code == 200
        return len(statements)

    with app.app_context():
        murcia = city()
        make_consultation(murcia, "open")
        young_id = make_user("young1@example.org", city=murcia).id
    one = queries_for_list()
    with app.app_context():
        murcia = city()
        for n in range(9):
            consultation = make_consultation(murcia, ["draft", "open", "closed"][n % 3])
            add_response(consultation, db.session.get(User, young_id))
    assert queries_for_list() == one


# Escaping ---------------------------------------------------------------------------------------------------------


def test_typed_html_is_inert_on_the_list_and_the_preview(app, staff):
    data = GOOD | {
        "title_es": XSS,
        "title_en": "",
        "summary_es": XSS,
        "body_es": f"{XSS}\n\n[click me](javascript:alert(1)) and [ok](https://example.org)",
    }
    assert submit(staff, f"{MANAGE}/new", data).status_code == 302
    with app.app_context():
        consultation_id = consultations()[0].id
    for url in (MANAGE, f"{MANAGE}/{consultation_id}/preview?language=es", f"{MANAGE}/{consultation_id}/edit"):
        html = staff.get(url).get_data(as_text=True)
        assert XSS not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert not re.search(r"href=\"\s*javascript:", html, re.I)
    preview = staff.get(f"{MANAGE}/{consultation_id}/preview?language=es").get_data(as_text=True)
    assert '<a href="https://example.org"' in preview and "click me" in preview
    assert not re.search(r"<a [^>]*>click me", preview)


# Nobody but staff sees a draft ------------------------------------------------------------------------------------


def test_nobody_but_staff_sees_a_draft_and_everyone_sees_it_once_published(app, staff, people):
    consultation_id = draft(
        app, questions=[question()], title={"es": "Borrador secreto", "en": "Secret draft"}, audience=Audience.NETWORK
    )
    public = f"/cities/murcia/consultations/{consultation_id}"
    visitor, resident = app.test_client(), app.test_client()
    login(resident, "resident@example.org")
    for client in (visitor, resident, staff):
        assert client.get(public).status_code == 404
        assert client.get(f"{public}/respond").status_code in (302, 404)
        listed = client.get("/cities/murcia/consultations").get_data(as_text=True)
        assert "Secret draft" not in listed and "Borrador secreto" not in listed
    assert "Secret draft" in staff.get(f"{MANAGE}/{consultation_id}/preview").get_data(as_text=True)

    assert post_action(staff, consultation_id, "publish").status_code == 302
    for client, title in ((visitor, "Borrador secreto"), (resident, "Secret draft")):  # the city's language, or theirs
        response = client.get(public)
        assert response.status_code == 200 and title in response.get_data(as_text=True)
