"""access.requires and access.may, on views decorated inside the test: the app's own views are decorated once, when
the app is imported, so only a view decorated here shows what the decorator does now (who gets 404, who signs in
first, where two-step verification comes, what the refusal logs: one event a person, city and hour, which counts the
refusals that follow). The app's pages themselves are covered by
test_city_isolation.py."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import g

from support import TEST_SETTINGS, login, make_city, make_user
from youth_portal import create_app
from youth_portal.access import manage_menu, may, pages_for, requires
from youth_portal.accounts.models import CityRoleName, NetworkRole, User
from youth_portal.audit.models import AuditEvent, RefusalCount
from youth_portal.extensions import db
from youth_portal.permissions import Capability
from youth_portal.timeutil import utcnow


@pytest.fixture
def guarded(app, database_url):
    """A new app (same database as `app`) with three test views behind `requires`, and one that asks `may`."""
    fresh = create_app(TEST_SETTINGS | {"SQLALCHEMY_DATABASE_URI": database_url})

    @requires(Capability.MANAGE_CITY_SETTINGS)
    def city_settings(city):
        pages = [endpoint for endpoint, _label in manage_menu()["manage_pages"]]
        return f"settings of {city.slug} as {g.city_role}; menu {len(pages)}"

    @requires(Capability.REVIEW_QUOTES)
    def quotes(city):
        return f"quotes of {city.slug}"

    @requires(Capability.MANAGE_NETWORK)
    def network():
        return "network"

    def answers(slug):
        from youth_portal.cities.models import City

        city = db.session.scalar(sa.select(City).where(City.slug == slug))
        asked = [Capability.MANAGE_CITY_SETTINGS, Capability.VIEW_NETWORK_AGGREGATES, Capability.MANAGE_NETWORK]
        return " ".join(str(may(capability, city)) for capability in asked) + f" {may(Capability.MODERATE)}"

    fresh.add_url_rule("/test/<slug>/settings", view_func=city_settings)
    fresh.add_url_rule("/test/<slug>/quotes", view_func=quotes)
    fresh.add_url_rule("/test/network", view_func=network)
    fresh.add_url_rule("/test/<slug>/may", view_func=answers)
    with fresh.app_context():
        murcia = make_city("murcia")
        make_city("valencia")
        make_user("admin@example.org", city_role=CityRoleName.CITY_ADMIN, role_city=murcia)
        make_user("staff@example.org", city_role=CityRoleName.STAFF, role_city=murcia)
        make_user("network@example.org", network_role=NetworkRole.NETWORK_ADMIN)
        make_user("watcher@example.org", network_role=NetworkRole.NETWORK_STAFF)
        make_user("young@example.org")
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()


def browser(app, email: str | None = None):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    if email:
        login(client, email)
    return client


def refusals(app) -> list[tuple[str | None, str]]:
    """The logged refusals: (city slug or None, path)."""
    from youth_portal.cities.models import City

    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "access.refused")).all()
        slugs = {city.id: city.slug for city in db.session.scalars(sa.select(City))}
        return [(slugs.get(event.city_id), event.detail["path"]) for event in events]


def counted_refusals(app) -> list[tuple[str, str | None, str, int, str]]:
    """Each logged refusal with what counted on it: (who, city slug or None, first path, pages refused, last path)."""
    from youth_portal.cities.models import City

    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEvent, RefusalCount, User.email)
            .join(RefusalCount)
            .join(User, User.id == AuditEvent.actor_id)
            .where(AuditEvent.action == "access.refused")
            .order_by(AuditEvent.id)
        ).all()
        slugs = {city.id: city.slug for city in db.session.scalars(sa.select(City))}
        return [
            (email, slugs.get(event.city_id), event.detail["path"], count.count, count.last_path)
            for event, count, email in rows
        ]


def test_refusals_are_counted_on_one_event_per_person_city_and_hour(guarded, clock):
    if utcnow().minute >= 55:  # the refusals below must not straddle two hours
        clock.shift(timedelta(minutes=6))
    staff, admin = browser(guarded, "staff@example.org"), browser(guarded, "admin@example.org")
    for path in ("/test/murcia/settings", "/test/valencia/quotes", "/test/murcia/settings", "/test/murcia/settings?x"):
        assert staff.get(path).status_code == 404
    assert admin.get("/test/network").status_code == 404
    assert admin.get("/test/valencia/settings").status_code == 404
    staff.get("/test/murcia/quotes")  # allowed: not counted
    assert counted_refusals(guarded) == [
        ("staff@example.org", "murcia", "/test/murcia/settings", 3, "/test/murcia/settings"),
        ("staff@example.org", "valencia", "/test/valencia/quotes", 1, "/test/valencia/quotes"),
        ("admin@example.org", None, "/test/network", 1, "/test/network"),
        ("admin@example.org", "valencia", "/test/valencia/settings", 1, "/test/valencia/settings"),
    ]
    for _quarter in range(4):  # the next hour, the session kept alive
        clock.shift(timedelta(minutes=15))
        staff.get("/test/murcia/quotes")
    assert staff.get("/test/murcia/settings").status_code == 404
    assert counted_refusals(guarded)[-1] == (
        "staff@example.org",
        "murcia",
        "/test/murcia/settings",
        1,
        "/test/murcia/settings",
    )
    assert len(refusals(guarded)) == 5


def test_the_views_say_the_capability_they_ask_for(guarded):
    assert guarded.view_functions["city_settings"].capability is Capability.MANAGE_CITY_SETTINGS
    assert guarded.view_functions["network"].capability is Capability.MANAGE_NETWORK


def test_a_visitor_is_sent_to_sign_in_first(guarded):
    for path in ("/test/murcia/settings", "/test/network"):
        response = browser(guarded).get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    assert refusals(guarded) == []


def test_a_city_admin_reaches_the_page_of_their_city_only_and_the_view_gets_the_city_and_role(guarded):
    admin = browser(guarded, "admin@example.org")
    response = admin.get("/test/murcia/settings")
    assert response.status_code == 200
    with guarded.app_context():
        menu = len(pages_for(CityRoleName.CITY_ADMIN))
    assert menu > 0
    assert response.text == f"settings of murcia as city-admin; menu {menu}"
    assert admin.get("/test/valencia/settings").status_code == 404
    assert admin.get("/test/nowhere/settings").status_code == 404
    assert admin.get("/test/network").status_code == 404
    assert refusals(guarded) == [("valencia", "/test/valencia/settings"), (None, "/test/network")]


def test_staff_get_their_capabilities_and_a_404_for_the_others(guarded):
    staff = browser(guarded, "staff@example.org")
    assert staff.get("/test/murcia/quotes").text == "quotes of murcia"
    assert staff.get("/test/murcia/settings").status_code == 404
    assert refusals(guarded) == [("murcia", "/test/murcia/settings")]


def test_a_network_role_reaches_network_pages_by_its_own_capabilities_and_no_city_page(guarded):
    network = browser(guarded, "network@example.org")
    assert network.get("/test/network").text == "network"
    assert network.get("/test/murcia/settings").status_code == 404
    watcher = browser(guarded, "watcher@example.org")
    assert watcher.get("/test/network").status_code == 404
    assert browser(guarded, "young@example.org").get("/test/network").status_code == 404


def test_two_step_verification_is_asked_for_only_after_the_capability_check(guarded):
    guarded.config["STAFF_TWO_STEP_REQUIRED"] = True
    admin = browser(guarded, "admin@example.org")
    response = admin.get("/test/murcia/settings")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/two-step")
    followed = admin.get(response.headers["Location"])
    notice = "Staff and admin pages need two-step verification. Turn it on here, then go back to your page."
    assert f'<p class="flash flash-info">{notice}</p>' in followed.text
    assert admin.get("/test/valencia/settings").status_code == 404
    assert browser(guarded, "young@example.org").get("/test/murcia/settings").status_code == 404
    guarded.config["STAFF_TWO_STEP_REQUIRED"] = False
    assert admin.get("/test/murcia/settings").status_code == 200


def test_may_answers_by_the_role_in_the_city_or_the_network_role(guarded):
    assert browser(guarded).get("/test/murcia/may").text == "False False False False"
    assert browser(guarded, "admin@example.org").get("/test/murcia/may").text == "True False False False"
    assert browser(guarded, "admin@example.org").get("/test/valencia/may").text == "False False False False"
    assert browser(guarded, "network@example.org").get("/test/murcia/may").text == "False True True False"
    assert browser(guarded, "watcher@example.org").get("/test/murcia/may").text == "False True False False"
