"""The lists of consultations: a city's (filters, htmx, pages) and the network-wide list of open ones."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation_factory import make_consultation
from support import count_queries, make_city
from youth_portal.cities.models import City, Region
from youth_portal.consultations.models import Audience, Topic
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

XSS = "<script>alert(1)</script>"
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://localhost/cities/murcia/consultations"}
LIST = "/cities/murcia/consultations"


pytestmark = pytest.mark.usefixtures("english")


def titled(city_slug: str, stage: str, title: str, **fields):
    """A consultation whose English title is `title` in the city `city_slug`."""
    return make_consultation(city_named(city_slug), stage, title={"en": title, "es": f"{title} (es)"}, **fields)


def city_named(slug: str) -> City:
    return db.session.scalar(sa.select(City).where(City.slug == slug))


def listed(html: str) -> list[str]:
    """The titles of the consultations listed, in order."""
    return re.findall(r'<h2 class="card-title"><a href="[^"]+"[^>]*>([^<]*)</a>', html)


@pytest.fixture
def every_stage(app, murcia):
    with app.app_context():
        for stage in ("draft", "scheduled", "open", "closed", "outcome-published", "archived"):
            titled("murcia", stage, f"Stage {stage}")


def test_city_list_shows_what_the_public_may_see_open_first(client, every_stage):
    html = client.get(LIST).get_data(as_text=True)
    assert listed(html) == ["Stage open", "Stage scheduled", "Stage outcome-published", "Stage closed"]
    assert "Stage draft" not in html and "Stage archived" not in html
    assert "4 consultations" in html


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", ["Stage open"]),
        ("upcoming", ["Stage scheduled"]),
        ("closed", ["Stage outcome-published", "Stage closed"]),
        ("archive", ["Stage archived"]),
        ("nonsense", ["Stage open", "Stage scheduled", "Stage outcome-published", "Stage closed"]),
    ],
)
def test_city_list_filters_by_status(client, every_stage, status, expected):
    html = client.get(f"{LIST}?status={status}").get_data(as_text=True)
    assert listed(html) == expected
    assert "Stage draft" not in html


def test_city_list_filters_by_topic(app, client, murcia):
    with app.app_context():
        titled("murcia", "open", "About safety", topic=Topic.SAFETY)
        titled("murcia", "open", "About jobs", topic=Topic.EMPLOYMENT)
    html = client.get(f"{LIST}?topic=safety").get_data(as_text=True)
    assert listed(html) == ["About safety"]
    assert '<option value="safety" selected>Safety</option>' in html
    assert listed(client.get(f"{LIST}?topic=unknown").get_data(as_text=True)) == ["About safety", "About jobs"]


def test_filters_with_htmx_return_only_the_list(client, every_stage):
    response = client.get(f"{LIST}?status=open", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "<h1" not in html and "<form" not in html
    assert listed(html) == ["Stage open"]
    assert "HX-Request" in response.headers.get("Vary", "")


def test_filter_form_works_without_javascript_and_is_enhanced_with_htmx(client, every_stage):
    html = client.get(LIST).get_data(as_text=True)
    form = re.search(r'<form method="get" action="/cities/murcia/consultations"[^>]*>', html, re.S).group(0)
    assert 'hx-get="/cities/murcia/consultations"' in form and 'hx-target="#consultation-list"' in form
    assert '<label for="filter-topic">Topic</label>' in html and '<label for="filter-status">Status</label>' in html
    assert '<button type="submit">Show</button>' in html


def test_htmx_history_restore_gets_the_whole_page(client, every_stage):
    html = client.get(LIST, headers=HTMX | {"HX-History-Restore-Request": "true"}).get_data(as_text=True)
    assert "<h1" in html and 'id="consultation-list"' in html


def test_city_list_is_paginated_ten_a_page_keeping_the_filters(app, client, murcia):
    with app.app_context():
        now = utcnow()
        for number in range(12):
            titled(
                "murcia", "open", f"Open {number:02d}", topic=Topic.SAFETY, closes_at=now + timedelta(days=2 + number)
            )
    first = client.get(f"{LIST}?topic=safety").get_data(as_text=True)
    assert listed(first) == [f"Open {n:02d}" for n in range(10)]
    assert "12 consultations" in first
    assert '<nav class="pagination" aria-label="Pages">' in first
    assert 'aria-current="page">Page 1</a>' in first
    next_link = re.search(r'<a href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "topic=safety" in next_link and "page=2" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert listed(second) == ["Open 10", "Open 11"]
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert listed(client.get(f"{LIST}?page=9").get_data(as_text=True)) == []
    assert listed(client.get(f"{LIST}?page=abc").get_data(as_text=True))[0] == "Open 00"


def test_pagination_links_are_enhanced_with_htmx(app, client, murcia):
    with app.app_context():
        for number in range(11):
            titled("murcia", "open", f"Open {number:02d}")
    html = client.get(LIST, headers=HTMX).get_data(as_text=True)
    link = re.search(r'<a href="[^"]+" rel="next"[^>]*>', html).group(0)
    assert 'hx-get="/cities/murcia/consultations?page=2"' in link and 'hx-target="#consultation-list"' in link


def test_each_item_shows_topic_stage_and_closing_time_in_city_time(app, client, murcia):
    with app.app_context():
        closes = utcnow().replace(hour=11, minute=0, second=0, microsecond=0) + timedelta(days=30)
        titled("murcia", "open", "Timed", closes_at=closes, topic=Topic.MENTAL_HEALTH)
    html = client.get(LIST).get_data(as_text=True)
    assert "Mental health" in html and "<dd>Open</dd>" in html
    # Madrid is one or two hours ahead of UTC: 11:00 UTC is 12:00 or 13:00 there.
    assert re.search(r"Open until [^<]*\b(12|1):00\s?PM", html)  # to the minute, no seconds


def test_title_missing_in_the_readers_language_falls_back_with_a_note(app, client, murcia):
    with app.app_context():
        make_consultation(city_named("murcia"), "open", title={"es": "Solo en español"})
    html = client.get(LIST, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="es" dir="ltr">Solo en español</a>' in html
    assert "Not yet available in your language" in html


def test_titles_are_escaped(app, client, murcia):
    with app.app_context():
        titled("murcia", "open", XSS)
    html = client.get(LIST).get_data(as_text=True)
    assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_list_of_an_unknown_city_is_not_found(client, murcia):
    assert client.get("/cities/atlantis/consultations").status_code == 404


def test_list_shows_only_this_citys_consultations(app, client, murcia):
    with app.app_context():
        make_city("lyon", country="FR", timezone="Europe/Paris", default_language="fr", languages=["fr"])
        titled("murcia", "open", "In Murcia")
        titled("lyon", "open", "In Lyon")
    assert listed(client.get(LIST).get_data(as_text=True)) == ["In Murcia"]


# The network-wide list --------------------------------------------------------------------------------------------


@pytest.fixture
def network(app, murcia):
    with app.app_context():
        make_city(
            "beirut",
            country="LB",
            region=Region.MENA,
            timezone="Asia/Beirut",
            default_language="ar",
            languages=["ar", "en"],
        )
        now = utcnow()
        titled("murcia", "open", "Murcia for everyone", audience=Audience.NETWORK, closes_at=now + timedelta(days=3))
        titled("beirut", "open", "Beirut for everyone", audience=Audience.NETWORK, closes_at=now + timedelta(days=5))
        titled("murcia", "open", "Murcia residents only", audience=Audience.RESIDENTS)
        titled("beirut", "scheduled", "Beirut upcoming", audience=Audience.NETWORK)
        titled("beirut", "closed", "Beirut closed", audience=Audience.NETWORK)
        titled("murcia", "draft", "Murcia draft", audience=Audience.NETWORK)


def test_network_list_shows_only_open_consultations_for_every_member(client, network):
    html = client.get("/consultations").get_data(as_text=True)
    assert listed(html) == ["Murcia for everyone", "Beirut for everyone"]
    assert "<dt>City</dt><dd>Murcia</dd>" in html and "<dt>City</dt><dd>Beirut</dd>" in html
    for hidden in ("residents only", "upcoming", "closed", "draft"):
        assert hidden not in html
    assert "2 open consultations" in html


def test_network_list_runs_the_same_queries_however_many_cities(app, client, network):
    with app.app_context(), count_queries() as few:
        assert client.get("/consultations").status_code == 200
    with app.app_context():
        for number in range(6):
            slug = f"city{number}"
            make_city(
                slug,
                country="KE",
                region=Region.EAST_SOUTHERN_AFRICA,
                timezone="Africa/Nairobi",
                default_language="en",
                languages=["en"],
            )
            titled(slug, "open", f"Open in {slug}", audience=Audience.NETWORK)
    with app.app_context(), count_queries() as many:
        html = client.get("/consultations").get_data(as_text=True)
    assert len(listed(html)) == 8
    assert len(many) == len(few) <= 3


def test_city_list_runs_the_same_queries_however_many_consultations(app, client, murcia):
    with app.app_context():
        titled("murcia", "open", "One")
    with app.app_context(), count_queries() as few:
        client.get(LIST)
    with app.app_context():
        for number in range(9):
            titled("murcia", "closed", f"More {number}")
    with app.app_context(), count_queries() as many:
        html = client.get(LIST).get_data(as_text=True)
    assert len(listed(html)) == 10
    assert len(many) == len(few) <= 3


def test_network_list_says_so_when_nothing_is_open(client, murcia):
    html = client.get("/consultations").get_data(as_text=True)
    assert "No consultation is open to every member of the network right now." in html
