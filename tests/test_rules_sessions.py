"""Sessions at their edges: what a signed-out person is told, a cookie that outlives the browser, the idle timeout to
the second, activity that keeps a session alive, and a page rendered in the request that starts a new session."""

import re
import time
from datetime import timedelta

import pytest

from support import PASSWORD, code, make_city, make_user, submit, typed_key
from youth_portal.accounts.models import CityRoleName

EMAIL = "sky@example.org"


@pytest.fixture
def sky(app) -> None:
    with app.app_context():
        make_user(EMAIL, city=make_city("murcia"), display_name="Sky")


def sign_in(client):
    response = submit(client, "/login", {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    return response


def signed_in(client) -> bool:
    return "Sign out" in client.get("/").get_data(as_text=True)


def flashes(page: str) -> list[tuple[str, str]]:
    """(category, message) of each message the page shows once."""
    return re.findall(r'<p class="flash flash-([^"]*)">(.*?)</p>', page, re.S)


def test_a_page_that_needs_sign_in_sends_there_and_says_why(client):
    response = client.get("/account", headers={"Accept-Language": "en"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert flashes(page) == [("info", "Please sign in to see this page.")]


def test_signing_in_keeps_the_session_when_the_browser_closes(client, sky):
    cookies = sign_in(client).headers.getlist("Set-Cookie")
    [session_cookie] = [cookie for cookie in cookies if cookie.split("=")[0].endswith("session")]
    assert "Expires=" in session_cookie


def test_the_idle_timeout_ends_a_session_one_second_after_it_not_at_it(app, client, sky, clock):
    sign_in(client)
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    clock.move_to(time.time() + idle.total_seconds(), tick=False)
    assert signed_in(client), "exactly the timeout: still signed in"
    clock.shift(idle + timedelta(seconds=1))
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sign out" not in page
    assert flashes(page) == [("info", "You were signed out after a period of inactivity. Please sign in again.")]


def test_a_person_who_keeps_using_the_site_stays_signed_in(app, client, sky, clock):
    sign_in(client)
    step = app.config["SESSION_IDLE_TIMEOUT"] * 2 / 3
    for _ in range(5):  # well past the idle timeout in all, never that long between two pages
        clock.shift(step)
        assert signed_in(client)


def test_the_page_that_starts_a_new_session_carries_that_sessions_form_token(client, sky):
    """Turning on two-step verification starts a new session and shows the backup codes in the same response: the
    sign-out button on that page must work (a token of the old session would be refused)."""
    sign_in(client)
    key = typed_key(client.get("/account/two-step").get_data(as_text=True))
    codes_page = submit(client, "/account/two-step", {"code": code(key), "current_password": PASSWORD})
    token = re.search(r'name="csrf_token" value="([^"]+)"', codes_page.get_data(as_text=True)).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not signed_in(client)


@pytest.mark.parametrize(("role", "hours"), [(None, 12), (CityRoleName.STAFF, 8)])
def test_a_session_ends_one_second_after_its_lifetime_not_at_it(app, client, clock, role, hours):
    with app.app_context():
        make_user("long@example.org", city=make_city("murcia"), display_name="Long", city_role=role)
    clock.move_to(time.time(), tick=False)
    assert submit(client, "/login", {"email": "long@example.org", "password": PASSWORD}).status_code == 302
    now = int(time.time())
    for age, still_in in ((hours * 3600, True), (hours * 3600 + 1, False)):
        with client.session_transaction() as session:
            session["started_at"], session["seen_at"] = now - age, now
        page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert ("Sign out" in page) is still_in, age
    assert flashes(page) == [
        (
            "info",
            "You have been signed in for many hours, so for your safety you were signed out. Please sign in again.",
        )
    ]
