"""City isolation: every staff and admin route answers 404 to everyone who may not use it, logs the refusal, and
writes nothing; and everyone who may use it gets it.

Who may use what is written out below (REQUIRED, HOLDERS) and never read from the code under test, so a view asking
for another capability, or a capability given to another role, fails here until this file agrees. The routes come
from the app's URL map, so a new staff route without an entry in REQUIRED fails too."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import url_for

from consultation_factory import add_response, make_consultation
from support import TEST_SETTINGS, csrf_token, login, make_city, make_user
from youth_portal import create_app
from youth_portal.accounts.models import CityRole, CityRoleName, NetworkRole, User
from youth_portal.audit.models import AuditEvent, RefusalCount
from youth_portal.cities.models import Region
from youth_portal.consultations.models import Answer, Commitment
from youth_portal.consultations.results.written import quote_key
from youth_portal.extensions import db
from youth_portal.permissions import Capability

_APP = create_app(TEST_SETTINGS | {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
_URL_MAP = _APP.url_map
_VIEWS = _APP.view_functions

CITY_MANAGE = "/cities/<slug>/manage/"
NETWORK_ADMIN = "/admin/"
CONSULTATION = "/cities/<slug>/manage/consultations/<int:consultation_id>"

#: What each staff and admin route asks for, by URL rule (its address stays when its view moves to another module).
REQUIRED = {
    "/cities/<slug>/manage/consultations": Capability.MANAGE_CONSULTATIONS,
    "/cities/<slug>/manage/consultations/new": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/edit": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/preview": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/publish": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/unpublish": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/close": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/archive": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/questions": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/questions/new": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/questions/<int:question_id>/edit": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/questions/<int:question_id>/delete": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/questions/<int:question_id>/move": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/results": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/export.csv": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/export.json": Capability.MANAGE_CONSULTATIONS,
    f"{CONSULTATION}/results/questions/<int:question_id>/texts": Capability.REVIEW_QUOTES,
    f"{CONSULTATION}/quotes/<key>/approve": Capability.REVIEW_QUOTES,
    f"{CONSULTATION}/quotes/<key>/withdraw": Capability.REVIEW_QUOTES,
    f"{CONSULTATION}/outcome": Capability.PUBLISH_OUTCOMES,
    f"{CONSULTATION}/outcome/commitments": Capability.PUBLISH_OUTCOMES,
    f"{CONSULTATION}/outcome/commitments/<int:commitment_id>": Capability.PUBLISH_OUTCOMES,
    f"{CONSULTATION}/outcome/commitments/<int:commitment_id>/remove": Capability.PUBLISH_OUTCOMES,
    "/cities/<slug>/manage/consultations/settings": Capability.MANAGE_CITY_SETTINGS,
    "/cities/<slug>/manage/roles": Capability.MANAGE_ROLES,
    "/cities/<slug>/manage/roles/<int:role_id>/revoke": Capability.MANAGE_ROLES,
    "/cities/<slug>/manage/audit": Capability.VIEW_AUDIT_LOG,
    "/admin/audit": Capability.MANAGE_NETWORK,
    "/admin/cities": Capability.MANAGE_NETWORK,
    "/admin/cities/new": Capability.MANAGE_NETWORK,
    "/admin/cities/<slug>/admins": Capability.MANAGE_NETWORK,
    "/admin/cities/<slug>/admins/<int:role_id>/revoke": Capability.MANAGE_NETWORK,
}

#: The roles that hold each capability: a city role in the route's city, or a network role. Moderators reach no staff
#: page, staff no admin page, network roles no city's staff pages.
HOLDERS = {
    Capability.MANAGE_CONSULTATIONS: {CityRoleName.STAFF, CityRoleName.CITY_ADMIN},
    Capability.REVIEW_QUOTES: {CityRoleName.STAFF, CityRoleName.CITY_ADMIN},
    Capability.PUBLISH_OUTCOMES: {CityRoleName.STAFF, CityRoleName.CITY_ADMIN},
    Capability.MANAGE_CITY_SETTINGS: {CityRoleName.CITY_ADMIN},
    Capability.MANAGE_ROLES: {CityRoleName.CITY_ADMIN},
    Capability.VIEW_AUDIT_LOG: {CityRoleName.CITY_ADMIN},
    Capability.MANAGE_NETWORK: {NetworkRole.NETWORK_ADMIN},
}

#: Query values some pages need besides their address (the kind of a new question).
QUERY = {f"{CONSULTATION}/questions/new": {"kind": "long-text"}}


def _routes() -> list[tuple[str, str, str]]:
    """(rule, endpoint, method) for every staff and admin route of the app's URL map: under the manage and admin
    prefixes, or wherever a view asks for a capability."""
    return sorted(
        (rule.rule, rule.endpoint, method)
        for rule in _URL_MAP.iter_rules()
        if rule.rule.startswith((CITY_MANAGE, NETWORK_ADMIN)) or hasattr(_VIEWS[rule.endpoint], "capability")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


ROUTES = _routes()

#: What every POST carries: values any of these forms would act on, so a missing check would write something.
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
    "direction": "down",
}


def test_every_staff_and_admin_route_is_in_the_table_and_the_table_has_no_other():
    assert {rule for rule, _endpoint, _method in ROUTES} == set(REQUIRED)
    assert set(REQUIRED.values()) <= set(HOLDERS)


@pytest.mark.parametrize(("rule", "endpoint"), sorted({(rule, endpoint) for rule, endpoint, _method in ROUTES}))
def test_each_view_asks_for_the_capability_of_the_table(rule, endpoint):
    assert getattr(_VIEWS[endpoint], "capability", None) == REQUIRED[rule]


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
            "b": make_city(
                "beirut",
                country="LB",
                region=Region.MENA,
                timezone="Asia/Beirut",
                default_language="ar",
                languages=["ar", "en"],
            ),
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
        roles = db.session.execute(sa.select(CityRole.role, CityRole.id).where(CityRole.city_id == cities["a"].id))
        role_ids = {role: role_id for role, role_id in roles}  # noqa: C416 (a Result has keys(): dict() would read it as a mapping)
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


def url(app, endpoint: str, world: World) -> str:
    """The route's address for city A, aiming at real objects of A (on a network admin page, A's admin role row;
    elsewhere, A's staff role row)."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    role_id = world.a_admin_role_id if rule.rule.startswith(NETWORK_ADMIN) else world.a_role_id
    known = {"slug": "murcia", "role_id": role_id, **world.a_objects}
    with app.test_request_context():
        return url_for(endpoint, **{arg: known[arg] for arg in rule.arguments}, **QUERY.get(rule.rule, {}))


def snapshot() -> dict:
    """Every row of every table but the audit log (and its counts of refusals)."""
    return {
        table.name: sorted(map(repr, db.session.execute(sa.select(table)).all()))
        for table in db.metadata.sorted_tables
        if table.name not in (AuditEvent.__tablename__, RefusalCount.__tablename__)
    }


def refusals(address: str) -> list[AuditEvent]:
    path = urlsplit(address).path
    return [
        e
        for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "access.refused"))
        if e.detail.get("path") == path
    ]


def request(client, method: str, address: str):
    if method == "GET":
        return client.get(address)
    return client.post(address, data={"csrf_token": csrf_token(client, "/login"), **POSTED})


def admitted(email: str, rule: str) -> bool:
    """Whether the table lets this person use the route in city A: by their role in A, or by their network role."""
    holders = HOLDERS[REQUIRED[rule]]
    return ROLE_IN_A[email] in holders or NETWORK_ROLE[email] in holders


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
NETWORK_ROLE = {email: network_role for email, (_home, _role, _city, network_role) in PEOPLE.items()}


def test_the_table_refuses_moderators_staff_pages_staff_admin_pages_and_network_roles_city_pages():
    """The complement the HTTP tests below walk, spelled out for the cases that matter most."""
    staff_pages = [rule for rule, capability in REQUIRED.items() if capability == Capability.MANAGE_CONSULTATIONS]
    admin_pages = [
        rule
        for rule, capability in REQUIRED.items()
        if capability in {Capability.MANAGE_CITY_SETTINGS, Capability.MANAGE_ROLES, Capability.VIEW_AUDIT_LOG}
    ]
    assert staff_pages and admin_pages
    assert not any(admitted("a-moderator@example.org", rule) for rule in REQUIRED)
    assert not any(admitted("a-staff@example.org", rule) for rule in admin_pages)
    assert not any(
        admitted(email, rule)
        for rule in REQUIRED
        if rule.startswith(CITY_MANAGE)
        for email in ("b-admin@example.org", "b-staff@example.org", "network-admin@example.org")
    )
    assert all(admitted("a-staff@example.org", rule) for rule in staff_pages)


@pytest.mark.parametrize("email", ROLE_IN_A)
def test_staff_and_admin_routes_are_not_found_for_anyone_the_table_does_not_admit(app, client, world, email):
    """Signed in once, the person tries every route the table does not admit them to: each answers 404, logs the
    refusal with who it was, and writes nothing."""
    assert login(client, email).status_code == 200
    wrong = []
    tried = 0
    for rule, endpoint, method in ROUTES:
        if admitted(email, rule):
            continue
        address = url(app, endpoint, world)
        with app.app_context():
            before = snapshot()

        response = request(client, method, address)

        tried += 1
        with app.app_context():
            events = refusals(address)
            if response.status_code != 404 or len(events) != 1 or events[0].actor_id is None or snapshot() != before:
                wrong.append((method, address, response.status_code, len(events)))
            db.session.execute(sa.delete(RefusalCount))
            db.session.execute(sa.delete(AuditEvent).where(AuditEvent.action == "access.refused"))
            db.session.commit()
    assert tried > 0
    assert wrong == []


@pytest.mark.parametrize("email", [email for email in ROLE_IN_A if any(admitted(email, rule) for rule in REQUIRED)])
def test_everyone_the_table_admits_gets_the_pages(app, client, world, email):
    """Every GET route the table admits the person to opens (or redirects), aiming at real objects of city A."""
    login(client, email)
    wrong = []
    for rule, endpoint, method in ROUTES:
        if method == "GET" and admitted(email, rule):
            address = url(app, endpoint, world)
            response = client.get(address)
            with app.app_context():
                if response.status_code not in (200, 302, 303) or refusals(address):
                    wrong.append((address, response.status_code))
            response.close()  # a streamed download ends here, as when a browser has read it
    assert wrong == []


def _admitted_posts() -> list[tuple[str, str]]:
    return [
        (email, endpoint)
        for rule, endpoint, method in ROUTES
        if method == "POST"
        for email in ROLE_IN_A
        if admitted(email, rule)
    ]


@pytest.mark.parametrize(("email", "endpoint"), _admitted_posts())
def test_everyone_the_table_admits_may_post(app, client, world, email, endpoint):
    """A POST the table admits reaches the view: it acts (3xx), sends the form back (422), or the consultation's
    stage refuses it with a page saying why (409); never 404, never a logged refusal."""
    login(client, email)
    address = url(app, endpoint, world)

    response = request(client, "POST", address)

    assert response.status_code in (200, 302, 303, 409, 422), (address, response.status_code)
    with app.app_context():
        assert refusals(address) == []


def test_staff_and_admin_routes_ask_anonymous_visitors_to_sign_in(app, client, world):
    with app.app_context():
        before = snapshot()
    for _rule, endpoint, method in ROUTES:
        address = url(app, endpoint, world)
        response = request(client, method, address)
        assert response.status_code == 302, (method, address)
        assert re.match(r"^/login\?next=", response.headers["Location"])
    with app.app_context():
        assert snapshot() == before


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
