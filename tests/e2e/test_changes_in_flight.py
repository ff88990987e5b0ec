"""A person who changes their mind while the page is still checking or filtering keeps their last choice: an
answer to an earlier change that comes back late never puts back what they had before (a slow phone line makes
this common). Each test holds the first request in the browser, makes the second change, then lets the first go."""

import re
from contextlib import suppress
from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import Error as PlaywrightError

from consultation_factory import make_consultation
from youth_portal.cities.models import City
from youth_portal.extensions import db


@pytest.fixture
def consultations(app, cities):
    """An open and a closed consultation in Murcia."""
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        make_consultation(murcia, "open", title={"en": "Open about parks"})
        make_consultation(murcia, "closed", title={"en": "Closed about libraries"})


def change_twice(page, url: str, first_change, second_change) -> None:
    """Make `first_change`, hold the request it sends to `url` (a regular expression), make `second_change`, then
    release the first request."""
    held = []

    def hold_the_first(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(url), hold_the_first)
    first_change()
    page.wait_for_function("() => document.querySelector('.htmx-request')")  # htmx is waiting for its answer
    second_change()
    with suppress(PlaywrightError):  # the page may have given up the first request already: that is the point
        held[0].continue_()
    page.wait_for_load_state("networkidle")
    page.unroute_all()


def test_a_birth_year_changed_during_its_check_stays_as_chosen(page, cities):
    page.goto("/register")
    birth_year = page.locator("[name=birth_year]")
    adult, minor = str(date.today().year - 20), str(date.today().year - 13)

    change_twice(
        page, r"/register/validate$", lambda: birth_year.select_option(adult), lambda: birth_year.select_option(minor)
    )

    assert birth_year.input_value() == minor


def test_a_filter_changed_while_the_list_loads_shows_the_last_choice(page, consultations):
    page.goto("/cities/murcia/consultations")
    status = page.get_by_label("Status")

    change_twice(
        page,
        r"/cities/murcia/consultations\?",
        lambda: status.select_option("closed"),
        lambda: status.select_option("open"),
    )

    assert status.input_value() == "open"
    listed = page.locator("#consultation-list").inner_text()
    assert "Open about parks" in listed and "Closed about libraries" not in listed
    assert page.url.endswith("status=open")


def test_a_city_search_typed_on_while_results_load_shows_the_last_words(page, cities):
    page.goto("/")
    search = page.get_by_label("Find a city")

    def type_beirut_until_answered():
        with page.expect_response(re.compile(r"/\?q=Beirut")):  # searched after a pause in typing, and answered
            search.fill("Beirut")

    change_twice(page, r"/\?q=", lambda: search.fill("Murcia"), type_beirut_until_answered)

    results = page.locator("#city-results").inner_text()
    assert "Beirut" in results and "Murcia" not in results


def test_typing_on_in_a_field_while_it_is_checked_keeps_what_was_typed(page, cities):
    page.goto("/register")
    email = page.get_by_label("Email address", exact=True)

    def leave_the_field_half_typed():
        email.fill("ana")
        email.press("Tab")  # leaving the field sends its check

    def come_back_and_finish_typing():
        email.click()
        email.press("End")
        email.press_sequentially("@example.org")

    change_twice(page, r"/register/validate$", leave_the_field_half_typed, come_back_and_finish_typing)

    assert email.input_value() == "ana@example.org"
    with page.expect_response(re.compile(r"/register/validate$")):
        email.press("Tab")  # leaving it again checks what is there now
    page.wait_for_load_state("networkidle")
    assert email.input_value() == "ana@example.org"
    assert page.locator("#email-error").count() == 0
