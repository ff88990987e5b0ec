"""City isolation: every staff and admin route, found in the URL map (so new routes are covered without editing this
file), answers 404 to everyone outside the role and the city, logs the refusal, and writes nothing."""
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import url_for

from consultation_factory import add_response, make_consultation
from support import csrf_token, login, make_city, make_user
from youth_portal import create_app
from youth_portal.accounts.models import CityRole, CityRoleName, NetworkRole, User
from youth_portal.consultations.models import Answer, Commitment
from youth_portal.consultations.results.tallies import quote_key
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import Region
from youth_portal.extensions import db


_APP = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
_URL_MAP = _APP.url_map
_VIEWS = _APP.view_functions


def _routes(prefix: str, pages_only: bool = False) -> list[tuple[str, str]]:
    """(endpoint, method) for every rule under `prefix`, read from the app's URL map; with `pages_only`, the GET
    routes that need nothing but the city's slug (the pages a permitted person simply opens)."""
    found = set()
    for rule in _URL_MAP.iter_rules():
        if not rule.rule.startswith(prefix):
            continue
        if pages_only:
            if "GET" in rule.methods and rule.arguments <= {"slug"}:
                found.add((rule.endpoint, "GET"))
        else:
            found |= {(rule.endpoint, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return sorted(found)


CITY_MANAGE_ROUTES = _routes("/cities/<slug>/manage/")
NETWORK_ADMIN_ROUTES = _routes("/admin/")

#: What a refused POST carries: values any of these forms would act on, so a missing check would write something.
POSTED = {
    "email": "target@example.org",
    "role": "staff",
    "slug": "intruded",
    "name": "Intruded",
    "country": "ES",
    "region": "europe",
    "timezone": "Europe/Madrid",
    "languages": ["es"],
    "default_language": "es",
    "min_age": "13",
    "max_age": "30",
}


def test_the_route_lists_are_not_empty():
    assert ("admin.manage.roles", "GET") in CITY_MANAGE_ROUTES
    assert ("admin.manage.revoke", "POST") in CITY_MANAGE_ROUTES
    assert ("admin.cities", "GET") in NETWORK_ADMIN_ROUTES
    assert ("admin.new_city", "POST") in NETWORK_ADMIN_ROUTES


@dataclass
class World:
    """City A (Murcia) and city B (Beirut), a person in each role, and objects of A to aim at."""

    a_role_id: int
    a_admin_role_id: int
    #: URL argument -> a real object of city A (a closed consultation with answers and a commitment).
    a_objects: dict


PEOPLE = {
    # email: (home city, city role, city of the role, network role)
    "a-admin@example.org": ("a", CityRoleName.CITY_ADMIN, "a", None),
    "a-staff@example.org": ("a", CityRoleName.STAFF, "a", None),
    "a-moderator@example.org": ("a", CityRoleName.MODERATOR, "a", None),
    "b-admin@example.org": ("b", CityRoleName.CITY_ADMIN, "b", None),
    "b-staff@example.org": ("b", CityRoleName.STAFF, "b", None),
    "b-moderator@example.org": ("b", CityRoleName.MODERATOR, "b", None),
    "network-staff@example.org": (None, None, None, NetworkRole.NETWORK_STAFF),
    "network-admin@example.org": (None, None, None, NetworkRole.NETWORK_ADMIN),
    "resident@example.org": ("a", None, None, None),
    "target@example.org": ("a", None, None, None),
}


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        cities = {
            "a": make_city("murcia"),
            "b": make_city("beirut", country="LB", region=Region.MENA, timezone="Asia/Beirut", default_language="ar",
                           languages=["ar", "en"]),
        }
        for email, (home, role, role_city, network_role) in PEOPLE.items():
            make_user(
                email,
                city=cities.get(home),
                display_name=email.split("@")[0],
                city_role=role,
                role_city=cities.get(role_city),
                network_role=network_role,
            )
        role_ids = {
            role: role_id
            for role, role_id in db.session.execute(
                sa.select(CityRole.role, CityRole.id).where(CityRole.city_id == cities["a"].id)
            )
        }
        consultation = make_consultation(cities["a"], "closed")
        respondent = db.session.scalar(sa.select(User).where(User.email == "resident@example.org"))
        add_response(consultation, respondent, {7: {"text": "More benches"}})
        consultation.commitments = [Commitment(text={"es": "Bancos", "en": "Benches"})]
        db.session.commit()
        text_answer = db.session.scalar(sa.select(Answer.id).where(Answer.text == "More benches"))
        with app.test_request_context():
            quote = quote_key(text_answer)
        a_objects = {
            "consultation_id": consultation.id,
            "question_id": consultation.questions[0].id,
            "commitment_id": consultation.commitments[0].id,
            "key": quote,
        }
        return World(
            a_role_id=role_ids[CityRoleName.STAFF],
            a_admin_role_id=role_ids[CityRoleName.CITY_ADMIN],
            a_objects=a_objects,
        )


def url(app, endpoint: str, role_id: int, objects: dict | None = None) -> str:
    """The route's address for city A, aiming at real objects of A (a role row wherever a role id is asked for)."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    known = {"slug": "murcia", "role_id": role_id, **(objects or {})}
    with app.test_request_context():
        return url_for(endpoint, **{arg: known[arg] for arg in rule.arguments})


def admitted_roles(endpoint: str) -> tuple:
    """The city roles the route's view admits (recorded by access.city_role_required)."""
    return _VIEWS[endpoint].city_roles


def snapshot() -> dict:
    """Every row of every table but the audit log."""
    return {
        table.name: sorted(map(repr, db.session.execute(sa.select(table)).all()))
        for table in db.metadata.sorted_tables
        if table.name != AuditEvent.__tablename__
    }


def refusals(path: str) -> list[AuditEvent]:
    return [
        e for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "access.refused"))
        if e.detail.get("path") == path
    ]


def request(client, method: str, address: str):
    if method == "GET":
        return client.get(address)
    return client.post(address, data={"csrf_token": csrf_token(client, "/login"), **POSTED})


def assert_refused(app, client, world, email, endpoint, method, role_id):
    assert login(client, email).status_code == 200
    address = url(app, endpoint, role_id, world.a_objects)
    with app.app_context():
        before = snapshot()

    response = request(client, method, address)

    assert response.status_code == 404, (email, method, address)
    with app.app_context():
        [event] = refusals(address)
        assert event.actor_id is not None
        assert snapshot() == before


#: Everyone who might try city A's pages, with the role they hold in A (None: no role in A).
ROLE_IN_A = {
    "a-admin@example.org": CityRoleName.CITY_ADMIN,
    "a-staff@example.org": CityRoleName.STAFF,
    "a-moderator@example.org": CityRoleName.MODERATOR,
    "b-admin@example.org": None,
    "b-staff@example.org": None,
    "b-moderator@example.org": None,
    "network-staff@example.org": None,
    "network-admin@example.org": None,
    "resident@example.org": None,
}


def _refused_cases() -> list[tuple[str, str, str]]:
    """(email, endpoint, method) for every manage route and every person the route does not admit."""
    return [
        (email, endpoint, method)
        for endpoint, method in CITY_MANAGE_ROUTES
        for email, role in ROLE_IN_A.items()
        if role not in admitted_roles(endpoint)
    ]


def test_every_manage_route_admits_only_city_roles_and_never_a_moderator_to_staff_pages():
    for endpoint, _method in CITY_MANAGE_ROUTES:
        assert set(admitted_roles(endpoint)) <= {CityRoleName.STAFF, CityRoleName.CITY_ADMIN, CityRoleName.MODERATOR}
    assert admitted_roles("admin.manage.roles") == (CityRoleName.CITY_ADMIN,)
    assert CityRoleName.MODERATOR not in admitted_roles("consultations.results.staff")


@pytest.mark.parametrize(("email", "endpoint", "method"), _refused_cases())
def test_city_manage_routes_are_not_found_for_anyone_the_route_does_not_admit(app, client, world, email, endpoint,
                                                                              method):
    assert_refused(app, client, world, email, endpoint, method, world.a_role_id)


@pytest.mark.parametrize(("endpoint", "method"), CITY_MANAGE_ROUTES)
def test_city_manage_routes_ask_anonymous_visitors_to_sign_in(app, client, world, endpoint, method):
    address = url(app, endpoint, world.a_role_id, world.a_objects)
    with app.app_context():
        before = snapshot()
    response = request(client, method, address)
    assert response.status_code == 302
    assert re.match(r"^/login\?next=", response.headers["Location"])
    with app.app_context():
        assert snapshot() == before


@pytest.mark.parametrize(("endpoint", "method"), _routes("/cities/<slug>/manage/", pages_only=True))
def test_everyone_the_route_admits_gets_the_pages(app, client, world, endpoint, method):
    for email, role in ROLE_IN_A.items():
        if role in admitted_roles(endpoint):
            login(client, email)
            assert client.get(url(app, endpoint, world.a_role_id)).status_code == 200, (email, endpoint)
            client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


@pytest.mark.parametrize("email", ["network-staff@example.org", "a-admin@example.org", "a-staff@example.org", "b-admin@example.org", "resident@example.org"])
@pytest.mark.parametrize(("endpoint", "method"), NETWORK_ADMIN_ROUTES)
def test_network_admin_routes_are_not_found_for_anyone_but_network_admins(app, client, world, email, endpoint, method):
    assert_refused(app, client, world, email, endpoint, method, world.a_admin_role_id)


@pytest.mark.parametrize(("endpoint", "method"), NETWORK_ADMIN_ROUTES)
def test_network_admin_routes_ask_anonymous_visitors_to_sign_in(app, client, world, endpoint, method):
    address = url(app, endpoint, world.a_admin_role_id)
    with app.app_context():
        before = snapshot()
    response = request(client, method, address)
    assert response.status_code == 302
    assert re.match(r"^/login\?next=", response.headers["Location"])
    with app.app_context():
        assert snapshot() == before


@pytest.mark.parametrize(("endpoint", "method"), _routes("/admin/", pages_only=True))
def test_network_admins_get_the_admin_pages(app, client, world, endpoint, method):
    login(client, "network-admin@example.org")
    assert client.get(url(app, endpoint, world.a_admin_role_id)).status_code == 200


def test_a_city_role_in_b_does_not_reach_objects_of_a_through_bs_address(app, client, world):
    """B's admin aiming at A's role row through B's own pages finds nothing, and nothing changes."""
    login(client, "b-admin@example.org")
    with app.app_context():
        before = snapshot()
    response = client.post(
        f"/cities/beirut/manage/roles/{world.a_role_id}/revoke", data={"csrf_token": csrf_token(client, "/")}
    )
    assert response.status_code == 404
    with app.app_context():
        assert snapshot() == before
