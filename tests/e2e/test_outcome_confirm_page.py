"""Publishing an outcome, in a browser: the button after the commitments sends the statement typed above it and
opens the question, which passes axe."""

from browser_checks import axe_check, sign_in
from consultation_factory import add_response, make_consultation
from support import make_city, make_user
from youth_portal.accounts.models import CityRoleName


def test_the_publish_button_below_the_commitments_asks_first_on_an_accessible_page(app, page):
    with app.app_context():
        murcia = make_city("murcia", name="Murcia")
        make_user("staff@example.org", city=murcia, city_role=CityRoleName.STAFF)
        consultation = make_consultation(murcia, "closed")
        add_response(consultation, make_user("young@example.org", city=murcia, language="es"))
        url = f"/cities/murcia/manage/consultations/{consultation.id}/outcome"
    sign_in(page, "staff@example.org")
    page.goto(url)
    page.get_by_label("What the city will do (Spanish)").fill("Abriremos **dos** parques.")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the outcome…").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Publish the outcome of “Our parks” and email 1 person?"
    assert page.get_by_text("Abriremos dos parques.").count() == 1
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, publish and email 1 person").click()
    assert page.get_by_text("The outcome is published. 1 respondent was told by email.").count() == 1
