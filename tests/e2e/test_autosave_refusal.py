"""A draft save the server refuses says why in the form's status line, in place of an earlier "Draft saved"; a save
that fails without a reason (server error, no network) says the draft was not saved rather than keep a stale line."""

import pytest

from browser_checks import axe_check, sign_in
from consultation_factory import make_consultation
from support import make_city, make_user

SAVED = "Draft saved automatically at"
REFUSED = "Your draft is not saved yet: an answer needs a change. Save the draft to see which."
FAILED = "Your draft could not be saved just now. Save the draft with the button below."


@pytest.fixture
def respond_page(app) -> str:
    with app.app_context():
        murcia = make_city("murcia", name="Murcia", default_language="en", languages=["en"])
        make_user("young@example.org", city=murcia, display_name="Sky")
        consultation_id = make_consultation(murcia, "open").id
    return f"/cities/murcia/consultations/{consultation_id}/respond"


def saved_first(page, respond_page):
    """Signed in on the answer page, with a first save that went through."""
    sign_in(page, "young@example.org")
    page.goto(respond_page)
    page.get_by_label("What should change?").fill("More light")
    page.locator("#autosave-status").get_by_text(SAVED).wait_for(timeout=10_000)
    return page.locator("#autosave-status")


def test_a_refused_save_says_why_in_place_of_the_saved_line(page, respond_page):
    status = saved_first(page, respond_page)
    word = page.get_by_label("One word for your city")
    word.evaluate("field => field.removeAttribute('maxlength')")  # longer than the question allows
    word.fill("x" * 60)
    status.get_by_text(REFUSED).wait_for(timeout=10_000)
    assert status.inner_text() == REFUSED
    axe_check(page)

    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Back to the consultation").click()  # nothing was saved: the browser asks
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]


def test_a_save_that_fails_without_a_reason_clears_the_saved_line(page, respond_page):
    status = saved_first(page, respond_page)
    page.route(f"**{respond_page}", lambda route: route.fulfill(status=500, body="Internal Server Error"))
    page.get_by_label("What should change?").fill("More light on the paths")
    status.get_by_text(FAILED).wait_for(timeout=10_000)
    assert SAVED not in status.inner_text()
