"""Staff type a time that is not a date and time: they are told so beside the field, at every stage."""

import re

import pytest
import sqlalchemy as sa

from consultation_factory import make_consultation
from support import login, make_city, make_user, submit
from youth_portal.accounts.models import CityRoleName
from youth_portal.cities.models import City
from youth_portal.consultations.models import Consultation
from youth_portal.extensions import db

MANAGE = "/cities/murcia/manage/consultations"
NEW = {
    "title_es": "Parques para todos",
    "title_en": "",
    "summary_es": "",
    "summary_en": "",
    "body_es": "",
    "body_en": "",
    "cover_alt_es": "",
    "cover_alt_en": "",
    "topic": "environment",
    "min_age": "14",
    "max_age": "25",
    "audience": "residents",
    "mode": "anonymous",
    "opens_at": "2030-01-15T10:00",
}


def error_beside(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def value_of(html: str, field_id: str) -> str | None:
    match = re.search(rf'<input[^>]*id="{field_id}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.mark.parametrize("typed", ["next tuesday", "garbage", "2026-13-45T24:61", "2026-02-30T10:00", "²"])
def test_a_new_consultation_with_a_closing_time_that_is_not_a_date_is_refused_beside_it(staff, typed):
    response = submit(staff, f"{MANAGE}/new", NEW | {"closes_at": typed})
    assert response.status_code == 422
    assert "Enter a date and time" in error_beside(response.get_data(as_text=True), "closes_at")
    assert value_of(response.get_data(as_text=True), "title_es") == "Parques para todos"


#: Cities east and west of Greenwich: year 1 in Beirut and year 9999 in Montreal are outside Python's dates in UTC.
FAR_TIMES = [
    ("Asia/Beirut", {"opens_at": "0001-01-01T00:00"}, "opens_at"),
    ("Asia/Beirut", {"opens_at": "0001-01-01T00:00", "closes_at": "2030-07-15T18:30"}, "opens_at"),
    ("America/Montreal", {"closes_at": "9999-12-31T23:59"}, "closes_at"),
    ("Europe/Madrid", {"opens_at": "1999-12-31T23:59"}, "opens_at"),
    ("Europe/Madrid", {"closes_at": "2100-01-01T00:00"}, "closes_at"),
]


@pytest.mark.parametrize(("timezone", "change", "field_id"), FAR_TIMES)
def test_a_time_outside_the_years_consultations_run_is_refused_beside_it(app, client, timezone, change, field_id):
    with app.app_context():
        city = make_city("far", timezone=timezone, default_language="en", languages=["en"])
        make_user("far-staff@example.org", city=city, city_role=CityRoleName.STAFF)
    login(client, "far-staff@example.org")
    typed = {"title_en": "Parks", "topic": "environment", "min_age": "14", "max_age": "25"}
    typed |= {"audience": "residents", "mode": "anonymous", "opens_at": "2030-01-15T10:00"} | change
    response = submit(client, "/cities/far/manage/consultations/new", typed, headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(html, field_id) == "Enter a date from the year 2000 to 2099."
    assert value_of(html, field_id) == change[field_id]  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0


@pytest.mark.parametrize("stage", ["scheduled", "open"])
def test_a_closing_time_that_is_not_a_date_is_refused_beside_it_at_every_stage(app, staff, stage):
    with app.app_context():
        consultation_id = make_consultation(db.session.scalar(sa.select(City)), stage).id
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", NEW | {"closes_at": "next tuesday"})
    assert response.status_code == 422
    assert "Enter a date and time" in error_beside(response.get_data(as_text=True), "closes_at")
