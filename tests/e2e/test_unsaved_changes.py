"""Typed changes are not lost without a question: leaving a page any other way than sending the form typed in (for
example adding a commitment while the outcome statement is not saved) asks first, in the browser's own words."""

import pytest

from browser_checks import sign_in
from consultation_factory import make_consultation
from support import make_city, make_user
from youth_portal.accounts.models import CityRoleName


@pytest.fixture
def outcome_page(app) -> str:
    with app.app_context():
        murcia = make_city("murcia", name="Murcia", default_language="en", languages=["en"])
        make_user("staff@example.org", city=murcia, display_name="Staff", city_role=CityRoleName.STAFF)
        consultation_id = make_consultation(murcia, "closed").id
    return f"/cities/murcia/manage/consultations/{consultation_id}/outcome"


def test_adding_a_commitment_asks_before_losing_the_statement_being_typed(page, outcome_page):
    sign_in(page, "staff@example.org")
    page.goto(outcome_page)
    statement = page.get_by_label("What the city will do (English)")
    statement.fill("We will light the park paths.")
    page.get_by_label("Commitment (English)").fill("New lamps")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    with page.expect_event("dialog"):
        page.get_by_role("button", name="Add the commitment").click()
    assert asked == ["beforeunload"]
    assert statement.input_value() == "We will light the park paths."  # still on the page, still typed

    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()  # sending the form itself asks nothing
    assert "The outcome statement was saved." in page.content()
    assert page.get_by_label("What the city will do (English)").input_value() == "We will light the park paths."
