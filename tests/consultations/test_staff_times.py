"""Staff type a time that is not a date and time: they are told so beside the field, at every stage."""

import re

import pytest
import sqlalchemy as sa

from consultation_factory import make_consultation
from support import submit
from youth_portal.cities.models import City
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


def test_a_new_consultation_with_a_closing_time_that_is_not_a_date_is_refused_beside_it(staff):
    response = submit(staff, f"{MANAGE}/new", NEW | {"closes_at": "next tuesday"})
    assert response.status_code == 422
    assert "Enter a date and time" in error_beside(response.get_data(as_text=True), "closes_at")


@pytest.mark.parametrize("stage", ["scheduled", "open"])
def test_a_closing_time_that_is_not_a_date_is_refused_beside_it_at_every_stage(app, staff, stage):
    with app.app_context():
        consultation_id = make_consultation(db.session.scalar(sa.select(City)), stage).id
    response = submit(staff, f"{MANAGE}/{consultation_id}/edit", NEW | {"closes_at": "next tuesday"})
    assert response.status_code == 422
    assert "Enter a date and time" in error_beside(response.get_data(as_text=True), "closes_at")
