"""A young person's draft answers are saved as they answer (with JavaScript), so that a break longer than the idle
sign-out, or a closed tab, loses nothing; pressing Submit still submits."""

import pytest

from browser_checks import sign_in
from consultation_factory import make_consultation
from support import make_city, make_user


@pytest.fixture
def respond_page(app) -> str:
    with app.app_context():
        murcia = make_city("murcia", name="Murcia", default_language="en", languages=["en"])
        make_user("young@example.org", city=murcia, display_name="Sky")
        consultation_id = make_consultation(murcia, "open").id
    return f"/cities/murcia/consultations/{consultation_id}/respond"


def test_typed_answers_are_kept_as_a_draft_without_pressing_save(page, respond_page):
    sign_in(page, "young@example.org")
    page.goto(respond_page)
    answer = page.get_by_label("What should change?")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    answer.fill("More light")
    with page.expect_event("dialog"):
        page.get_by_role("link", name="Back to the consultation").click()  # before the save: the browser asks
    assert asked == ["beforeunload"]

    answer.fill("More light on the park paths")
    page.locator("#autosave-status").get_by_text("Draft saved automatically at").wait_for(timeout=10_000)
    with page.expect_navigation():
        page.get_by_role("link", name="Back to the consultation").click()  # saved: nothing to ask
    assert asked == ["beforeunload"]
    page.goto(respond_page)
    assert page.get_by_label("What should change?").input_value() == "More light on the park paths"

    page.get_by_label("Yes", exact=True).first.check()
    page.locator("input[name^=q][type=radio]").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit", exact=True).click()
    assert "/thanks" in page.url  # the form's own submit still goes, and submits
