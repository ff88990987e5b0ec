"""The page where staff review written answers, identical ones grouped with their count, passes axe."""

from browser_checks import axe_check, sign_in
from consultation_factory import add_response, make_consultation
from support import make_city, make_user
from youth_portal.accounts.models import CityRoleName


def test_identical_answers_are_reviewed_once_on_an_accessible_page(app, page):
    with app.app_context():
        murcia = make_city("murcia", name="Murcia", default_language="en", languages=["en"])
        make_user("staff@example.org", city=murcia, city_role=CityRoleName.STAFF)
        consultation = make_consultation(murcia, "closed")
        for number, text in enumerate(["Cameras at the door", "cameras at the door ", "More light"]):
            add_response(consultation, make_user(f"p{number}@example.org", city=murcia), {6: {"text": text}})
        question_id = next(q.id for q in consultation.questions if q.position == 6)
        url = f"/cities/murcia/manage/consultations/{consultation.id}/results/questions/{question_id}/texts"
    sign_in(page, "staff@example.org")
    page.goto(url)
    assert page.get_by_text("Written by 2 people").count() == 1
    assert page.get_by_role("button", name="Approve as a public quote").count() == 2
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Approve as a public quote").first.click()
    assert page.get_by_text("Approved as a public quote.").count() == 1
    axe_check(page)
