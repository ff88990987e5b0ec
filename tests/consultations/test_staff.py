"""Staff of a city create, edit, preview and run consultations through their pages; nobody else reaches them."""
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from support import count_queries, login, make_city, make_user, submit
from youth_portal.accounts.models import CityRoleName
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City
from youth_portal.consultations.models import (
    Audience, Consultation, Question, QuestionKind, ResponseMode, Stage, Topic,
)
from youth_portal.consultations.staff_forms import to_local
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

XSS = "<script>alert(1)</script>"
STAFF = "staff@example.org"
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


@pytest.fixture
def staff(app, client):
    """A signed-in member of Murcia's staff (Murcia offers Spanish, its default, and English)."""
    with app.app_context():
        murcia = make_city("murcia", min_age=13, max_age=30)
        make_user(STAFF, city=murcia, display_name="Staffer", city_role=CityRoleName.STAFF)
    assert login(client, STAFF).status_code == 200
    return client


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
        assert not consultation.results_live and not consultation.ask_gender and not consultation.ask_district
        # Madrid is UTC+1 in January and UTC+2 in July.
        assert consultation.opens_at == datetime(2030, 1, 15, 9, 0)
        assert consultation.closes_at == datetime(2030, 7, 15, 16, 30)
        assert consultation.stage() == Stage.DRAFT
        [event] = events("consultation.created")
        assert event.detail == {"consultation_id": consultation.id}
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
    data = GOOD | {"title_en": "", "summary_es": "", "body_es": "", "opens_at": "", "closes_at": "",
                   "mode": "identified", "audience": "network", "results_live": "y", "ask_gender": "y",
                   "ask_district": "y"}
    assert submit(staff, f"{MANAGE}/new", data).status_code == 302
    with app.app_context():
        [consultation] = consultations()
        assert consultation.title == {"es": "Parques para todos"}
        assert consultation.opens_at is None and consultation.closes_at is None
        assert consultation.mode == ResponseMode.IDENTIFIED and consultation.audience == Audience.NETWORK
        assert consultation.results_live and consultation.ask_gender and consultation.ask_district


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


@pytest.mark.parametrize("field_id, change, message", BAD_INPUT)
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


def form_of(consultation_id: int, client) -> dict:
    """What the edit page sends back unchanged: every enabled field with its current value."""
    html = client.get(f"{MANAGE}/{consultation_id}/edit").get_data(as_text=True)
    data = {}
    for tag in re.findall(r"<(?:input|textarea|select)[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or "disabled" in tag or name.group(1) == "csrf_token":
            continue
        type_ = re.search(r'type="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if type_ and type_.group(1) in ("radio", "checkbox"):
            if "checked" in tag:
                data[name.group(1)] = value.group(1) if value else "y"
        elif type_ and type_.group(1) == "file":
            continue
        elif tag.startswith("<textarea"):
            text = re.search(rf'<textarea[^>]*name="{name.group(1)}"[^>]*>\n?(.*?)</textarea>', html, re.S)
            data[name.group(1)] = text.group(1)
        elif tag.startswith("<select"):
            selected = re.search(rf'name="{name.group(1)}".*?<option selected value="([^"]*)"', html, re.S)
            data[name.group(1)] = selected.group(1) if selected else ""
        else:
            data[name.group(1)] = value.group(1) if value else ""
    return data


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
        assert event.detail == {"consultation_id": consultation_id, "changed": ["min_age", "mode", "title"]}


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
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", data | {"closes_at": "2020-01-01T10:00",
                                                                       "opens_at": "2019-12-01T10:00"})
    assert "already passed" in error_beside(response.get_data(as_text=True), "closes_at")
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", data | {"closes_at": "2099-01-01T10:00", "max_age": "20"})
    assert response.status_code == 302
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        assert consultation.closes_at == datetime(2099, 1, 1, 9, 0) and consultation.max_age == 20
        assert consultation.stage() == Stage.SCHEDULED


@pytest.mark.parametrize("field_id, value", [
    ("min_age", "16"), ("max_age", "20"), ("audience", "network"), ("mode", "identified"),
    ("opens_at", "2020-01-01T10:00"), ("ask_gender", "y"), ("results_live", "y"),
])
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
        assert not consultation.ask_gender and not consultation.results_live
        assert events("consultation.edited") == []


def test_an_open_consultation_can_change_its_texts_and_close_later_but_not_earlier(app, staff):
    consultation_id = make_in_stage(app, "open")
    data = form_of(consultation_id, staff)
    earlier = to_local(utcnow() + timedelta(days=2), "Europe/Madrid").strftime("%Y-%m-%dT%H:%M")
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", data | {"closes_at": earlier})
    assert response.status_code == 422
    assert "can only move later" in error_beside(response.get_data(as_text=True), "closes_at")
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit",
                      data | {"closes_at": "2099-06-01T12:00", "title_es": "Nuevo título", "topic": "safety"})
    assert response.status_code == 302
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        assert consultation.title["es"] == "Nuevo título" and consultation.topic == Topic.SAFETY
        assert consultation.closes_at == datetime(2099, 6, 1, 10, 0)
        assert consultation.stage() == Stage.OPEN


@pytest.mark.parametrize("stage", ["closed", "outcome-published", "archived"])
def test_after_closing_only_texts_change(app, staff, stage):
    consultation_id = make_in_stage(app, stage)
    data = form_of(consultation_id, staff)
    assert "closes_at" not in data  # shown disabled
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", data | {"closes_at": "2099-06-01T12:00"})
    assert response.status_code == 422
    assert "cannot change once the consultation has closed" in error_beside(response.get_data(as_text=True), "closes_at")
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", data | {"summary_es": "Gracias a todos."})
    assert response.status_code == 302
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        assert consultation.summary["es"] == "Gracias a todos." and consultation.stage() == Stage(stage)
