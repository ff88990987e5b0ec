"""Every page passes axe-core's WCAG 2.2 A and AA rules: public pages in English and Arabic, down to 320 px,
and the pages of signed-in people (my account, city admin, network admin)."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from browser_checks import assert_language, axe_check, sign_in
from support import make_user
from youth_portal import tokens
from youth_portal.accounts.models import CityRoleName, NetworkRole, User
from youth_portal.cities.models import City
from youth_portal.extensions import db
from youth_portal.guardians.models import ConsentStatus, GuardianConsent
from youth_portal.tokens import TokenPurpose

PUBLIC_PAGES = [
    "/",
    "/?q=mur",
    "/?q=nowhere",
    "/cities/murcia/",
    "/privacy",
    "/terms",
    "/login",
    "/register",
    "/password/forgot",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_violations(page, cities, path):
    response = page.goto(path)
    assert response.status == 200
    assert_language(page, "en", "ltr")
    axe_check(page)


def test_missing_page_is_a_404_without_violations(page):
    response = page.goto("/cities/nowhere/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    axe_check(page)


@pytest.mark.parametrize("path", ["/", "/cities/beirut/", "/privacy", "/terms", "/login", "/register"])
def test_arabic_pages_are_right_to_left_without_violations(new_page, cities, path):
    page = new_page(locale="ar")
    assert page.goto(path).status == 200
    assert_language(page, "ar", "rtl")
    axe_check(page)


@pytest.mark.parametrize("path", ["/", "/register"])
@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_narrow_screen_has_no_horizontal_scroll(new_page, cities, path, locale):
    page = new_page(locale=locale, viewport={"width": 320, "height": 640})
    page.goto(path)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 320, f"{path} is {width} px wide at 320 px"
    axe_check(page)


def test_axe_check_reports_a_violation(page):
    """The check itself can fail: an image without a text alternative and an unlabelled field."""
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"><input></main></html>')
    with pytest.raises(AssertionError) as failure:
        axe_check(page)
    assert "image-alt" in str(failure.value)
    assert "label" in str(failure.value)


@pytest.fixture
def people(app, cities):
    """A young resident awaiting guardian consent, a city admin of Murcia and a network admin."""
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        minor = make_user("minor@example.org", display_name="Luz", city=murcia, birth_year=date.today().year - 13)
        db.session.add(
            GuardianConsent(
                user=minor, guardian_email="parent@example.org", language="es", status=ConsentStatus.PENDING
            )
        )
        db.session.commit()
        make_user("admin@example.org", display_name="Ana", city=murcia, city_role=CityRoleName.CITY_ADMIN)
        make_user("network@example.org", display_name="Net", network_role=NetworkRole.NETWORK_ADMIN)


SIGNED_IN_PAGES = [
    ("minor@example.org", "/account"),
    ("minor@example.org", "/account/profile"),
    ("minor@example.org", "/account/password"),
    ("minor@example.org", "/account/email"),
    ("minor@example.org", "/account/data"),
    ("minor@example.org", "/account/delete"),
    ("minor@example.org", "/account/guardian"),
    ("minor@example.org", "/account/two-step"),
    ("admin@example.org", "/cities/murcia/manage/roles"),
    ("admin@example.org", "/cities/murcia/manage/audit"),
    ("network@example.org", "/admin/audit"),
    ("network@example.org", "/admin/cities"),
    ("network@example.org", "/admin/cities/new"),
    ("network@example.org", "/admin/cities/murcia/admins"),
]


@pytest.mark.parametrize(("email", "path"), SIGNED_IN_PAGES)
def test_signed_in_page_has_no_violations(page, people, email, path):
    sign_in(page, email)
    assert page.locator("header a[href='/account']").count() == 1, f"{email} is not signed in"
    axe_check(page)
    response = page.goto(path)
    assert response.status == 200
    axe_check(page)


def test_the_invitation_to_a_role_has_no_violations_and_accepting_gives_the_role(app, page, people):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        admin = db.session.scalar(sa.select(User).where(User.email == "admin@example.org"))
        invitee = make_user("invitee@example.org", display_name="Rosa", city=murcia)
        link = "/account/role-invitation/" + tokens.issue(
            invitee, TokenPurpose.ROLE_INVITATION, timedelta(hours=1), f"{murcia.id}:staff:{admin.id}"
        )
        db.session.commit()
    sign_in(page, "invitee@example.org")
    assert page.goto(link).status == 200
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Accept the role").click()
    assert "You now hold the role “Staff” in Murcia." in page.locator("main").inner_text()
    axe_check(page)


def test_a_young_person_opening_their_own_guardian_link_is_told_why_without_violations(app, page, people):
    with app.app_context():
        minor = db.session.scalar(sa.select(User).where(User.email == "minor@example.org"))
        consent = GuardianConsent.latest_for(minor)
        link = "/guardian/consent/" + tokens.issue(
            minor, TokenPurpose.GUARDIAN_CONSENT, timedelta(days=14), str(consent.id)
        )
        db.session.commit()
    sign_in(page, "minor@example.org")
    assert page.goto(link).status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "This link is for your parent or guardian"
    axe_check(page)
