"""Fixtures of the consultations tests (those of every test are in tests/conftest.py)."""

import pytest

from consultation_support import OTHER_STAFF
from support import STAFF, login, make_city, make_user
from youth_portal.accounts.models import CityRoleName
from youth_portal.cities.models import City
from youth_portal.extensions import db


@pytest.fixture
def staff(app, client, murcia):
    """The client, signed in as a member of Murcia's staff (Murcia offers Spanish, its default, and English)."""
    with app.app_context():
        make_user(STAFF, city=db.session.get(City, murcia), display_name="Staffer", city_role=CityRoleName.STAFF)
    assert login(client, STAFF).status_code == 200
    return client


@pytest.fixture
def cities(app):
    """Murcia (staff member STAFF) and Bilbao (staff member OTHER_STAFF)."""
    with app.app_context():
        murcia = make_city("murcia", districts=["Centro", "Norte"])
        bilbao = make_city("bilbao")
        make_user(STAFF, city=murcia, display_name="Staffer", city_role=CityRoleName.STAFF)
        make_user(OTHER_STAFF, city=bilbao, display_name="Other staffer", city_role=CityRoleName.STAFF)
