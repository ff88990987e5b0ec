"""A city admin's consultation settings: districts one a line, and the smallest group results show (k >= 5)."""

import re

import pytest
import sqlalchemy as sa

from consultation_support import city
from support import csrf_token, login, make_city, make_user, submit
from youth_portal.accounts.models import CityRoleName
from youth_portal.audit.models import AuditEvent
from youth_portal.extensions import db

ADMIN = "admin@example.org"
SETTINGS = "/cities/murcia/manage/consultations/settings"


@pytest.fixture
def admin(app, client):
    with app.app_context():
        murcia = make_city("murcia")
        make_user(ADMIN, city=murcia, city_role=CityRoleName.CITY_ADMIN)
    assert login(client, ADMIN).status_code == 200
    return client


def error_beside(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def test_an_admin_lists_districts_and_sets_k(app, admin):
    page = admin.get(SETTINGS).get_data(as_text=True)
    assert 'id="districts"' in page and 'value="10"' in page  # the default k
    text = "Centro\n\n  El   Carmen  \ncentro\r\nEspinardo\n"
    response = submit(admin, SETTINGS, {"districts": text, "suppression_k": "7"})
    assert response.status_code == 302
    with app.app_context():
        murcia = city()
        assert murcia.districts == ["Centro", "El Carmen", "Espinardo"]  # trimmed, no blanks or repeats
        assert murcia.suppression_k == 7
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "city.settings_changed")).all()
        assert event.detail == {"districts": 3, "suppression_k": 7} and event.city_id == murcia.id
    page = admin.get(SETTINGS).get_data(as_text=True)
    assert "were saved" in page and "Centro\nEl Carmen\nEspinardo" in page
    # The consultation form now offers the district question.
    assert 'id="ask_district"' in admin.get("/cities/murcia/manage/consultations/new").get_data(as_text=True)


def test_saving_unchanged_settings_records_nothing(app, admin):
    assert submit(admin, SETTINGS, {"districts": "", "suppression_k": "10"}).status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "city.settings_changed")).all() == []


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"suppression_k": "4"}, "suppression_k", "from 5 to 100"),
        ({"suppression_k": "0"}, "suppression_k", "from 5 to 100"),
        ({"suppression_k": "101"}, "suppression_k", "from 5 to 100"),
        ({"suppression_k": ""}, "suppression_k", "Enter a number."),
        ({"suppression_k": "ten"}, "suppression_k", ""),
        ({"districts": "x" * 81}, "districts", "at most 80 characters"),
        ({"districts": "\n".join(f"D{n}" for n in range(101))}, "districts", "at most 100 districts"),
    ],
)
def test_bad_settings_are_refused_beside_the_field(app, admin, data, field_id, message):
    values = {"districts": "Centro\nNorte", "suppression_k": "12"} | data
    response = submit(admin, SETTINGS, values)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(html, field_id) and message in error_beside(html, field_id)
    assert "Centro" in html or field_id == "districts"  # typed values kept
    with app.app_context():
        murcia = city()
        assert murcia.districts == [] and murcia.suppression_k == 10


def test_staff_moderators_and_other_cities_get_404(app, client, admin):
    with app.app_context():
        lyon = make_city("lyon", default_language="fr", languages=["fr"])
        make_user("staff@example.org", city=city(), city_role=CityRoleName.STAFF)
        make_user("mod@example.org", city=city(), city_role=CityRoleName.MODERATOR)
        make_user("lyon@example.org", city=lyon, city_role=CityRoleName.CITY_ADMIN)
    for email in ("staff@example.org", "mod@example.org", "lyon@example.org"):
        other = app.test_client()
        login(other, email)
        assert other.get(SETTINGS).status_code == 404
        token = csrf_token(other, "/")
        assert other.post(SETTINGS, data={"csrf_token": token, "suppression_k": "5"}).status_code == 404
    visitor = app.test_client()
    response = visitor.get(SETTINGS)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        assert city().suppression_k == 10


def test_settings_without_csrf_token_are_refused(app, admin):
    assert admin.post(SETTINGS, data={"districts": "Centro", "suppression_k": "5"}).status_code == 400
    with app.app_context():
        assert city().suppression_k == 10
