"""The home page (cities by region, searchable with and without htmx) and each city's page."""

import re

import pytest
import sqlalchemy as sa

from support import login, make_city, make_user
from youth_portal.accounts.models import CityRoleName, NetworkRole
from youth_portal.cities.models import City, Region
from youth_portal.extensions import db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://localhost/"}


@pytest.fixture
def network(app):
    """Four cities in three regions."""
    with app.app_context():
        make_city("murcia")
        make_city("lyon", country="FR", timezone="Europe/Paris", default_language="fr", languages=["fr"])
        make_city(
            "beirut",
            country="LB",
            region=Region.MENA,
            timezone="Asia/Beirut",
            default_language="ar",
            languages=["ar", "fr", "en"],
            min_age=15,
            max_age=25,
        )
        make_city(
            "nairobi",
            country="KE",
            region=Region.EAST_SOUTHERN_AFRICA,
            timezone="Africa/Nairobi",
            default_language="en",
            languages=["en"],
        )


def region_of(html: str, city: str) -> str:
    """The heading of the region section a city is listed in."""
    for section in re.findall(r"<section.*?</section>", html, re.S):
        if f">{city}</a>" in section:
            return re.search(r"<h3[^>]*>(.*?)</h3>", section).group(1)
    raise AssertionError(f"{city} not listed")


def test_home_lists_the_cities_by_region(client, network):
    html = client.get("/").get_data(as_text=True)
    assert region_of(html, "Murcia") == region_of(html, "Lyon") == "Europe"
    assert region_of(html, "Beirut") == "Middle East and North Africa"
    assert region_of(html, "Nairobi") == "East and Southern Africa"
    assert html.index(">Lyon<") < html.index(">Murcia<")  # by name within a region


def test_search_without_javascript_returns_the_whole_page(client, network):
    response = client.get("/?q=MUR")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>" in html and 'value="MUR"' in html
    assert ">Murcia</a>" in html and ">Lyon</a>" not in html and ">Beirut</a>" not in html
    assert "1 city matches “MUR”." in html


def test_search_finds_cities_by_country_code(client, network):
    html = client.get("/?q=lb").get_data(as_text=True)
    assert ">Beirut</a>" in html and ">Murcia</a>" not in html


def test_search_with_htmx_returns_only_the_results(client, network):
    response = client.get("/?q=i", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "<h1>" not in html and "<form" not in html
    assert "3 cities match “i”." in html
    assert ">Murcia</a>" in html and ">Beirut</a>" in html and ">Nairobi</a>" in html
    assert "HX-Request" in response.headers.get("Vary", "")


def test_htmx_restoring_history_gets_the_whole_page(client, network):
    html = client.get("/?q=i", headers=HTMX | {"HX-History-Restore-Request": "true"}).get_data(as_text=True)
    assert "<h1>" in html and 'id="city-results"' in html


def test_search_without_match_says_so(client, network):
    html = client.get("/?q=zzz", headers=HTMX).get_data(as_text=True)
    assert "No city matches your search." in html


def test_search_form_works_with_and_without_htmx(client, network):
    html = client.get("/").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/"[^>]*>', html, re.S).group(0)
    assert 'hx-get="/"' in form and 'hx-target="#city-results"' in form
    assert 'id="city-results"' in html


def test_search_text_is_escaped(client, network):
    html = client.get("/?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_city_page_tells_what_the_city_offers(client, network):
    html = client.get("/cities/beirut/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h1>Beirut</h1>" in html
    assert "Lebanon" in html
    assert (
        '<span lang="ar" dir="rtl">العربية</span>, <span lang="fr" dir="ltr">Français</span>, '
        '<span lang="en" dir="ltr">English</span>'
    ) in html
    assert "aged 15 to 25" in html
    assert 'href="/cities/beirut/consultations"' in html
    assert "Opportunities and youth councils in Beirut come soon" in html
    assert "Manage" not in html


def test_city_page_names_the_country_in_the_readers_language(client, network):
    html = client.get("/cities/murcia/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "España" in html


def test_unknown_city_is_not_found(client, network):
    assert client.get("/cities/atlantis/").status_code == 404


def test_city_admin_sees_the_manage_pages_of_their_city(app, client, network):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        make_user("boss@example.org", city=murcia, city_role=CityRoleName.CITY_ADMIN)
    login(client, "boss@example.org")

    html = client.get("/cities/murcia/").get_data(as_text=True)
    assert "Your role in Murcia: City admin." in html
    assert 'href="/cities/murcia/manage/roles"' in html and 'href="/cities/murcia/manage/audit"' in html
    other = client.get("/cities/lyon/").get_data(as_text=True)
    assert "/manage/" not in other and "Your role" not in other


@pytest.mark.parametrize("role", [CityRoleName.STAFF, CityRoleName.MODERATOR])
def test_staff_see_their_role_but_no_admin_pages(app, client, network, role):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        make_user("staff@example.org", city=murcia, city_role=role)
    login(client, "staff@example.org")

    html = client.get("/cities/murcia/").get_data(as_text=True)
    assert f"Your role in Murcia: {role.label}." in html
    assert "/manage/roles" not in html and "/manage/audit" not in html
    # Staff run consultations; moderators have no consultation pages.
    assert ('href="/cities/murcia/manage/consultations"' in html) == (role == CityRoleName.STAFF)


@pytest.mark.parametrize("network_role", [None, NetworkRole.NETWORK_STAFF, NetworkRole.NETWORK_ADMIN])
def test_people_without_a_city_role_see_no_manage_links(app, client, network, network_role):
    with app.app_context():
        make_user("someone@example.org", network_role=network_role)
    login(client, "someone@example.org")
    html = client.get("/cities/murcia/").get_data(as_text=True)
    assert "/manage/" not in html and "Your role" not in html
    assert ('href="/admin/cities/murcia/admins"' in html) == (network_role == NetworkRole.NETWORK_ADMIN)
