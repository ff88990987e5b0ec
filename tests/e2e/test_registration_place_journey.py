"""From a consultation to an account and back: "Create one" carries the page through registration and the emailed
link, and confirming the address signs the person in on the consultation's answer page."""

from browser_checks import axe_check
from consultation_factory import make_consultation
from support import PASSWORD, last_message_to, link_in, make_city
from youth_portal.timeutil import utcnow


def test_a_newcomer_lands_back_on_the_consultation_ready_to_answer(app, page, outbox):
    with app.app_context():
        murcia = make_city("murcia", name="Murcia", default_language="en", languages=["en"])
        consultation_id = make_consultation(murcia, "open").id
    page.goto(f"/cities/murcia/consultations/{consultation_id}")
    with page.expect_navigation():
        page.get_by_role("link", name="No account yet? Create one").click()
    form = page.locator("main form")
    form.locator("[name=email]").fill("river@example.org")
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("[name=display_name]").fill("River")
    assert form.locator("[name=home_city] option:checked").inner_text() == "Murcia"
    form.locator("[name=birth_year]").select_option(str(utcnow().year - 20))
    form.locator("[name=birth_month]").select_option("1")
    form.locator("[name=accept_terms]").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Create my account").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    axe_check(page)

    page.goto(link_in(last_message_to(outbox, "river@example.org"), "/verify/"))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm my email").click()
    assert page.url.endswith(f"/cities/murcia/consultations/{consultation_id}/respond")
    assert "Welcome, River. You are signed in." in page.locator(".flashes").inner_text()
    assert page.get_by_role("button", name="Submit", exact=True).is_visible()
    axe_check(page)
