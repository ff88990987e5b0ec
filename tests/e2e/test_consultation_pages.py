"""The consultation pages pass axe-core's WCAG 2.2 A and AA rules: lists, a consultation, answering (with its
errors), results, My participation, and the staff pages (list, form, question builder, results, outcome)."""

import pytest

from browser_checks import assert_language, axe_check, sign_in
from consultation_factory import add_response, make_consultation
from support import make_city, make_user
from youth_portal.accounts.models import CityRoleName
from youth_portal.cities.models import Region
from youth_portal.consultations.models import Audience, Consultation
from youth_portal.extensions import db


@pytest.fixture
def consultations(app) -> dict:
    """Murcia with an open, a closed and an outcome-published consultation with answers; Beirut in Arabic."""
    with app.app_context():
        murcia = make_city("murcia", name="Murcia")
        beirut = make_city(
            "beirut",
            name="Beirut",
            country="LB",
            region=Region.MENA,
            timezone="Asia/Beirut",
            default_language="ar",
            languages=["ar", "en"],
        )
        make_user("staff@example.org", city=murcia, display_name="Staff", city_role=CityRoleName.STAFF)
        resident = make_user("resident@example.org", city=murcia, display_name="Sol")
        ids = {
            "open": make_consultation(murcia, "open", audience=Audience.NETWORK).id,
            "closed": make_consultation(murcia, "closed", ask_gender=True).id,
            "outcome": make_consultation(murcia, "outcome-published").id,
            "beirut": make_consultation(beirut, "open").id,
        }
        for stage in ("closed", "outcome"):
            consultation = db.session.get(Consultation, ids[stage])
            for n in range(3):
                voter = make_user(f"voter{stage}{n}@example.org", city=murcia, display_name=f"V{n}")
                add_response(
                    consultation,
                    voter,
                    {1: {"choices": ["park"]}, 3: {"choices": ["yes"]}, 7: {"text": "More light"}},
                    gender="woman",
                )
        add_response(db.session.get(Consultation, ids["outcome"]), resident, {3: {"choices": ["no"]}})
        closed = db.session.get(Consultation, ids["closed"])
        ids["closed text question"] = next(q.id for q in closed.questions if q.position == 7)
        return ids


def visit(page, path: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response.status == status, path
    axe_check(page)


def test_public_consultation_pages(page, consultations):
    for path in (
        "/consultations",
        "/cities/murcia/consultations",
        "/cities/murcia/consultations?status=closed",
        f"/cities/murcia/consultations/{consultations['open']}",
        f"/cities/murcia/consultations/{consultations['outcome']}",
        f"/cities/murcia/consultations/{consultations['closed']}/results",
        f"/cities/murcia/consultations/{consultations['closed']}/results?by=gender",
    ):
        visit(page, path)
        assert_language(page, "en", "ltr")


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_results_on_a_small_phone(app, new_page, consultations, locale):
    """At 360 px the breakdown table scrolls sideways: it can be reached and scrolled with the keyboard, and its
    caption stays in view."""
    with app.app_context():
        murcia = db.session.get(Consultation, consultations["closed"]).city
        many = make_consultation(murcia, "closed", ask_gender=True)
        for n in range(24):
            voter = make_user(f"many{n}@example.org", city=murcia, display_name=f"M{n}")
            add_response(
                many,
                voter,
                {1: {"choices": ["park"]}, 3: {"choices": ["yes" if n % 3 else "no"]}},
                gender="woman" if n % 2 else "man",
            )
        many_id = many.id
    page = new_page(locale=locale, viewport={"width": 360, "height": 640})
    visit(page, f"/cities/murcia/consultations/{many_id}/results?by=gender")
    scroller = page.locator(".table-scroll:has(.breakdown-table)").first
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth"), "the breakdown table is wider than the phone"
    caption = scroller.locator("caption").bounding_box()
    box = scroller.bounding_box()
    assert box["x"] - 1 <= caption["x"] and caption["x"] + caption["width"] <= box["x"] + box["width"] + 1


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_consultation_pages_fit_a_small_phone(new_page, consultations, locale):
    """A 15-year-old on a 360 px phone: no page scrolls sideways as a whole, and axe finds nothing."""
    page = new_page(locale=locale, viewport={"width": 360, "height": 640})
    sign_in(page, "resident@example.org")
    for path in (
        "/consultations",
        "/cities/murcia/consultations",
        f"/cities/murcia/consultations/{consultations['open']}",
        f"/cities/murcia/consultations/{consultations['open']}/respond",
        f"/cities/murcia/consultations/{consultations['outcome']}",
        f"/cities/murcia/consultations/{consultations['closed']}/results",
        "/account/participation",
    ):
        visit(page, path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide at 360 px"


def test_arabic_consultation_pages(new_page, consultations):
    page = new_page(locale="ar")
    for path in ("/cities/beirut/consultations", f"/cities/beirut/consultations/{consultations['beirut']}"):
        visit(page, path)
        assert_language(page, "ar", "rtl")


def test_answering_and_my_participation(page, consultations):
    sign_in(page, "resident@example.org")
    respond = f"/cities/murcia/consultations/{consultations['open']}/respond"
    visit(page, respond)
    with page.expect_navigation():
        page.locator("main button[value=submit]").click()
    assert page.locator(".error").count() > 0, "an empty submission shows errors beside the questions"
    axe_check(page)
    visit(page, "/account/participation")


def test_staff_consultation_pages(page, consultations):
    sign_in(page, "staff@example.org")
    manage = "/cities/murcia/manage/consultations"
    for path in (
        manage,
        f"{manage}/new",
        f"{manage}/{consultations['open']}/edit",
        f"{manage}/{consultations['open']}/preview",
        f"{manage}/{consultations['open']}/questions",
        f"{manage}/{consultations['open']}/questions/new?kind=single-choice",
        f"{manage}/{consultations['closed']}/results",
        f"{manage}/{consultations['closed']}/outcome",
        f"{manage}/{consultations['closed']}/results/questions/{consultations['closed text question']}/texts",
    ):
        visit(page, path)
    visit(page, f"{manage}/{consultations['open']}/edit")
    with page.expect_navigation():
        page.get_by_role("button", name="Close now").click()
    assert "now?" in page.get_by_role("heading", level=1).inner_text()  # it asks before closing
    axe_check(page)
