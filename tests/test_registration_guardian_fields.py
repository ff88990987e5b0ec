"""The guardian's fields appear at registration only when the chosen city and birth date need them: htmx brings
them as the city, year and month are chosen; without JavaScript, the page sent back asks for them and keeps
everything typed but the password, and says so."""

import re

import pytest
import sqlalchemy as sa

from support import PASSWORD, csrf_token, submit
from youth_portal.accounts.models import User
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

HTMX = {"HX-Request": "true", "HX-Trigger-Name": "birth_month"}


def registration(city_id: int, age: int, **changes) -> dict:
    """What a person of `age` (born in January) types, without guardian."""
    return {
        "email": "luz@example.org",
        "password": PASSWORD,
        "display_name": "Luz",
        "home_city": str(city_id),
        "birth_year": str(utcnow().year - age),
        "birth_month": "1",
        "language": "en",
        "accept_terms": "y",
    } | changes


def guardian_section(page: str) -> str:
    match = re.search(r'<div id="guardian-section">(.*?)</div>\s*</div>', page, re.S)
    assert match, "no guardian section"
    return match.group(1)


def test_the_page_first_asks_nothing_of_a_guardian(client, murcia):
    page = client.get("/register?city=murcia").get_data(as_text=True)
    assert 'name="guardian_email"' not in page and "Parent or guardian" not in page
    assert 'hx-select-oob="#guardian-section"' in page  # city, year and month bring the section when needed


@pytest.mark.parametrize(("age", "asked"), [(13, True), (14, False), (20, False)])
def test_choosing_the_birth_date_brings_the_guardian_fields_when_needed(client, murcia, age, asked):
    data = registration(murcia, age, csrf_token=csrf_token(client, "/register"))
    del data["password"]
    checked = client.post("/register/validate", data=data, headers=HTMX)
    section = guardian_section(checked.get_data(as_text=True))
    assert ('name="guardian_email"' in section) == asked
    assert ("Because of your age, a parent or guardian must agree" in section) == asked


def test_without_javascript_the_page_asks_for_the_guardian_and_keeps_all_but_the_password(app, client, murcia):
    sent = submit(client, "/register", registration(murcia, 13, display_name="Luz13"))
    page = sent.get_data(as_text=True)
    assert sent.status_code == 422
    section = guardian_section(page)
    assert "Because you are under 14, a parent or guardian must agree" in section
    assert 'value="luz@example.org"' in page and 'value="Luz13"' in page
    assert re.search(rf'<option selected value="{murcia}">|<option value="{murcia}" selected>', page)
    assert re.search(rf'<option selected value="{utcnow().year - 13}">', page)
    assert PASSWORD not in page
    assert "Everything you typed is kept except your password" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0

    done = submit(
        client, "/register", registration(murcia, 13, guardian_email="mum@example.org", guardian_language="es")
    )
    assert done.status_code == 302


def test_an_adult_is_never_asked_for_a_guardian(client, murcia):
    page = submit(client, "/register", registration(murcia, 20, display_name="")).get_data(as_text=True)
    assert "Please choose a display name." in page and 'name="guardian_email"' not in page
