"""Every public page passes axe-core's WCAG 2.2 A and AA rules, in English and in Arabic, down to 320 px."""
import pytest

from browser_checks import assert_language, axe_check
from support import make_city
from youth_portal.cities.models import Region


@pytest.fixture
def cities(app):
    with app.app_context():
        make_city("murcia", name="Murcia")
        make_city("beirut", name="Beirut", country="LB", region=Region.MENA, timezone="Asia/Beirut",
                  default_language="ar", languages=["ar", "fr", "en"])


PUBLIC_PAGES = [
    "/", "/?q=mur", "/?q=nowhere", "/cities/murcia/", "/privacy", "/terms", "/login", "/register", "/password/forgot",
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
    page.goto(path)
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
