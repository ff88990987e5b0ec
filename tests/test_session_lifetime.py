"""A session has an absolute lifetime besides its idle timeout: however active the person, it ends SESSION_MAX_AGE
(12 hours) after signing in, STAFF_SESSION_MAX_AGE (8 hours) for staff and admins, and the sign-in page says why."""

from datetime import timedelta

import pytest

from support import login, make_city, make_user
from youth_portal.accounts.models import CityRoleName, NetworkRole

ENDED = "You have been signed in for many hours, so for your safety you were signed out. Please sign in again."
#: Less than the idle timeout (30 minutes): the person never stops using the site.
STEP = timedelta(minutes=20)


@pytest.fixture
def people(app):
    with app.app_context():
        murcia = make_city("murcia")
        make_user("young@example.org", city=murcia)
        make_user("staff@example.org", city=murcia, city_role=CityRoleName.STAFF)
        make_user("admin@example.org", network_role=NetworkRole.NETWORK_ADMIN)


def busy_for(client, clock, duration: timedelta) -> None:
    """Keep using the site (one page every STEP) for `duration`."""
    for _ in range(int(duration / STEP)):
        clock.shift(STEP)
        assert client.get("/account").status_code == 200, "signed out early"


def test_a_session_ends_twelve_hours_after_signing_in_however_active_and_the_sign_in_page_says_why(
    app, client, clock, people
):
    login(client, "young@example.org")
    busy_for(client, clock, timedelta(hours=11, minutes=40))  # 11 h 40 min after signing in: still signed in

    clock.shift(STEP + timedelta(minutes=1))
    response = client.get("/account", follow_redirects=True)

    assert response.request.path == "/login"
    assert ENDED in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # and it stays ended
    login(client, "young@example.org")
    assert client.get("/account").status_code == 200  # a new sign-in starts a new lifetime


@pytest.mark.parametrize("email", ["staff@example.org", "admin@example.org"])
def test_staff_and_admin_sessions_end_after_eight_hours(app, client, clock, people, email):
    login(client, email)
    busy_for(client, clock, timedelta(hours=7, minutes=40))

    clock.shift(STEP + timedelta(minutes=1))
    response = client.get("/account", follow_redirects=True)

    assert response.request.path == "/login" and ENDED in response.get_data(as_text=True)


def test_the_lifetimes_are_settings(app, client, clock, people):
    app.config["SESSION_MAX_AGE"] = timedelta(hours=1)
    login(client, "young@example.org")
    busy_for(client, clock, timedelta(minutes=40))
    clock.shift(STEP + timedelta(minutes=1))
    assert client.get("/account").status_code == 302
