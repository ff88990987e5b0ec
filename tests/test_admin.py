"""Administration through HTTP: a network admin creates cities and appoints city admins; a city admin grants and
revokes staff and moderator roles and reads the city's audit log."""

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

import youth_portal
from consultation_factory import make_consultation
from support import (
    count_queries,
    last_message_to,
    link_in,
    login,
    make_city,
    make_user,
    outbox_messages,
    submit,
    text_of,
)
from youth_portal.accounts.models import CityRole, CityRoleName, NetworkRole, User
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City, Region
from youth_portal.consultations.staff.services import LIFE_CYCLE
from youth_portal.extensions import db
from youth_portal.features import audit_labels
from youth_portal.timeutil import utcnow

XSS = "<script>alert(1)</script>"
ADMIN = "admin@example.org"
MURCIA_ADMIN = "murcia-admin@example.org"

GOOD_CITY = {
    "name": "Santa Cruz",
    "slug": "santa-cruz",
    "country": "es",
    "region": "europe",
    "timezone": "Atlantic/Canary",
    "languages": ["es", "en"],
    "default_language": "es",
    "min_age": "14",
    "max_age": "29",
    "consent_age_override": "",
}


@pytest.fixture
def network_admin(app, client):
    """A signed-in network admin, with the city of Murcia already in the network."""
    with app.app_context():
        make_city("murcia")
        make_user(ADMIN, display_name="Netadmin", network_role=NetworkRole.NETWORK_ADMIN)
    assert login(client, ADMIN).status_code == 200
    return client


@pytest.fixture
def city_admin(app, client):
    """A signed-in admin of Murcia; Lyon is another city of the network."""
    with app.app_context():
        murcia = make_city("murcia")
        make_city("lyon", country="FR", timezone="Europe/Paris", default_language="fr", languages=["fr"])
        make_user(MURCIA_ADMIN, city=murcia, display_name="Boss", city_role=CityRoleName.CITY_ADMIN)
    assert login(client, MURCIA_ADMIN).status_code == 200
    return client


def rows(model, *where):
    return db.session.scalars(sa.select(model).where(*where)).all()


def events(action: str) -> list[AuditEvent]:
    return rows(AuditEvent, AuditEvent.action == action)


def error_beside(html: str, field_id: str) -> str:
    """The error message shown beside a field (empty if none)."""
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


# Network admin: cities ---------------------------------------------------------------------------------------------


def test_cities_page_lists_each_city_with_its_active_admins(app, network_admin):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        make_city(
            "beirut", name="Beirut", country="LB", region=Region.MENA, default_language="ar", languages=["ar", "fr"]
        )
        make_user("a1@example.org", city=murcia, city_role=CityRoleName.CITY_ADMIN)
        make_user("a2@example.org", city=murcia, display_name="Two", city_role=CityRoleName.CITY_ADMIN)
        make_user("st@example.org", city=murcia, display_name="Staffer", city_role=CityRoleName.STAFF)
        gone = make_user("gone@example.org", city=murcia, display_name="Gone", city_role=CityRoleName.CITY_ADMIN)
        db.session.execute(sa.update(CityRole).where(CityRole.user_id == gone.id).values(revoked_at=utcnow()))
        db.session.commit()

    html = network_admin.get("/admin/cities").get_data(as_text=True)

    murcia_row = re.search(
        r"<tr>\s*<th scope=\"row\"><a href=\"/cities/murcia/\">Murcia</a>.*?</tr>", html, re.S
    ).group(0)
    assert "Spain" in murcia_row and "Europe" in murcia_row and "Español" in murcia_row
    assert "2 admins" in murcia_row
    beirut_row = re.search(
        r"<tr>\s*<th scope=\"row\"><a href=\"/cities/beirut/\">Beirut</a>.*?</tr>", html, re.S
    ).group(0)
    assert "Lebanon" in beirut_row and "Middle East and North Africa" in beirut_row and "0 admins" in beirut_row


def test_cities_page_runs_the_same_number_of_queries_for_many_cities(app, network_admin):
    def queries_for_page() -> int:
        with app.app_context(), count_queries() as queries:
            assert network_admin.get("/admin/cities").status_code == 200
        return len(queries)

    few = queries_for_page()
    with app.app_context():
        for slug in ("a-city", "b-city", "c-city", "d-city"):
            city = make_city(slug)
            make_user(f"admin-{slug}@example.org", city=city, city_role=CityRoleName.CITY_ADMIN)
    assert queries_for_page() == few


def test_network_admin_creates_a_city(app, network_admin):
    response = submit(network_admin, "/admin/cities/new", GOOD_CITY, follow_redirects=True)

    assert response.status_code == 200
    assert response.request.path == "/admin/cities/santa-cruz/admins"
    assert "Santa Cruz was created" in response.get_data(as_text=True)
    with app.app_context():
        city = db.session.scalar(sa.select(City).where(City.slug == "santa-cruz"))
        assert (city.name, city.country, city.region, city.timezone) == (
            "Santa Cruz",
            "ES",
            Region.EUROPE,
            "Atlantic/Canary",
        )
        assert (city.default_language, city.languages) == ("es", ["es", "en"])
        assert (city.min_age, city.max_age, city.consent_age_override, city.consent_age) == (14, 29, None, 14)
        [event] = events("city.created")
        assert event.city_id == city.id
        assert event.actor_id == db.session.scalar(sa.select(User.id).where(User.email == ADMIN))


def test_the_default_language_is_listed_first(app, network_admin):
    data = GOOD_CITY | {"languages": ["en", "fr", "ar"], "default_language": "ar", "consent_age_override": "15"}
    submit(network_admin, "/admin/cities/new", data)
    with app.app_context():
        city = db.session.scalar(sa.select(City).where(City.slug == "santa-cruz"))
        assert city.languages == ["ar", "en", "fr"]
        assert city.consent_age == 15


BAD_CITY_INPUT = [
    ("slug", {"slug": "Santa Cruz"}, "lower-case letters", "Santa Cruz"),
    ("slug", {"slug": "murcia"}, "Another city already uses", "murcia"),
    ("slug", {"slug": ""}, "Enter the name used in the web address", None),
    ("name", {"name": "  "}, "Enter the city", None),
    ("country", {"country": "QQ"}, "two-letter ISO 3166 country code", "QQ"),
    ("country", {"country": "Spain"}, "two-letter ISO 3166 country code", "SPAIN"),
    ("region", {"region": ""}, "Choose the region", None),
    ("region", {"region": "atlantis"}, "Not a valid choice", None),
    ("timezone", {"timezone": "Mars/Olympus_Mons"}, "time zone name", "Mars/Olympus_Mons"),
    ("languages", {"languages": []}, "Choose at least one language", None),
    ("languages", {"languages": ["es", "de"]}, "not a valid choice", None),
    ("default_language", {"default_language": "fr"}, "must be one of the languages offered", None),
    ("min_age", {"min_age": "12"}, "Enter an age from 13 to 30", "12"),
    ("min_age", {"min_age": "ten"}, "Not a valid integer value", "ten"),
    ("max_age", {"max_age": "31"}, "Enter an age from 13 to 30", "31"),
    ("max_age", {"min_age": "20", "max_age": "18"}, "must be above the youngest age", "18"),
    ("consent_age_override", {"consent_age_override": "19"}, "Enter an age from 13 to 18", "19"),
]


@pytest.mark.parametrize(("field", "change", "message", "kept"), BAD_CITY_INPUT)
def test_bad_city_input_is_refused_beside_the_field(app, network_admin, field, change, message, kept):
    response = submit(network_admin, "/admin/cities/new", GOOD_CITY | change)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message.lower() in error_beside(html, field).lower()
    if kept is not None:
        assert f'value="{kept}"' in html
    assert 'value="Santa Cruz"' in html or field == "name"  # what else was typed stays
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(City.id))) == 1
        assert events("city.created") == []


def test_creating_a_city_without_the_form_token_is_refused(app, network_admin):
    response = network_admin.post("/admin/cities/new", data=GOOD_CITY)
    assert response.status_code == 400
    with app.app_context():
        assert rows(City, City.slug == "santa-cruz") == []


# Network admin: appointing city admins ------------------------------------------------------------------------------


def test_network_admin_appoints_and_revokes_a_city_admin(app, network_admin):
    with app.app_context():
        make_user("future@example.org", display_name="Future")

    response = submit(
        network_admin, "/admin/cities/murcia/admins", {"email": " Future@Example.org "}, follow_redirects=True
    )

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Future is now an admin of Murcia" in html
    with app.app_context():
        future = db.session.scalar(sa.select(User).where(User.email == "future@example.org"))
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        assert future.active_role_in(murcia) == CityRoleName.CITY_ADMIN
        [event] = events("role.granted")
        assert (event.city_id, event.subject_id, event.detail) == (murcia.id, future.id, {"role": "city-admin"})
        role_id = db.session.scalar(sa.select(CityRole.id).where(CityRole.user_id == future.id))

    response = submit(
        network_admin,
        f"/admin/cities/murcia/admins/{role_id}/revoke",
        page="/admin/cities/murcia/admins",
        follow_redirects=True,
    )

    assert "Future is no longer an admin of Murcia" in response.get_data(as_text=True)
    with app.app_context():
        role = db.session.get(CityRole, role_id)
        assert role.revoked_at is not None and role.revoked_by_id is not None
        [event] = events("role.revoked")
        assert (event.city_id, event.subject_id) == (role.city_id, role.user_id)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@example.org", "There is no account with this email address"),
        ("unverified@example.org", "has not confirmed their email address"),
        ("staffer@example.org", "already holds a role in this city"),
        ("not an address", "There is no account with this email address"),
        ("minor@example.org", "Only adults (18 or over) can hold a role in a city."),
    ],
)
def test_appointing_is_refused_with_a_clear_reason(app, network_admin, email, message):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        make_user("unverified@example.org", verified=False)
        make_user("minor@example.org", city=murcia, birth_year=utcnow().year - 17, birth_month=utcnow().month)
        make_user("staffer@example.org", city=murcia, display_name="Staffer", city_role=CityRoleName.STAFF)

    response = submit(network_admin, "/admin/cities/murcia/admins", {"email": email})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in error_beside(html, "email")
    assert f'value="{email}"' in html
    with app.app_context():
        assert events("role.granted") == []
        assert rows(CityRole, CityRole.role == CityRoleName.CITY_ADMIN) == []


def test_a_city_admin_of_another_city_cannot_be_appointed_here_twice(app, network_admin):
    with app.app_context():
        lyon = make_city("lyon", country="FR")
        make_user("lyon-admin@example.org", city=lyon, city_role=CityRoleName.CITY_ADMIN)
    # A role in Lyon does not stop a role in Murcia (roles are per city) ...
    assert submit(network_admin, "/admin/cities/murcia/admins", {"email": "lyon-admin@example.org"}).status_code == 302
    # ... but a second role in Murcia is refused.
    assert submit(network_admin, "/admin/cities/murcia/admins", {"email": "lyon-admin@example.org"}).status_code == 422


def test_admins_page_of_an_unknown_city_is_not_found(network_admin):
    assert network_admin.get("/admin/cities/atlantis/admins").status_code == 404


def test_display_names_are_escaped_on_the_admins_page(app, network_admin):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        make_user("x@example.org", city=murcia, display_name=XSS, city_role=CityRoleName.CITY_ADMIN)
    html = network_admin.get("/admin/cities/murcia/admins").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert XSS not in html


# City admin: roles ---------------------------------------------------------------------------------------------


def test_city_admin_sees_who_holds_a_role(app, city_admin):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        lyon = db.session.scalar(sa.select(City).where(City.slug == "lyon"))
        make_user("st@example.org", city=murcia, display_name="Staffer", city_role=CityRoleName.STAFF)
        make_user("mod@example.org", city=murcia, display_name="Modder", city_role=CityRoleName.MODERATOR)
        make_user("lyon@example.org", city=lyon, display_name="Lyonnais", city_role=CityRoleName.STAFF)
        make_user("resident@example.org", city=murcia, display_name="Resident")

    html = city_admin.get("/cities/murcia/manage/roles").get_data(as_text=True)

    assert "Staffer" in html and "Modder" in html and "Boss" in html
    assert "Lyonnais" not in html and "Resident" not in html
    assert html.count('class="danger"') == 2  # staff and moderator can be revoked here; the admin's own role cannot


ROLES = "/cities/murcia/manage/roles"
INVITATION = "/account/role-invitation/"


def invite(client, email: str, role: str = "staff"):
    """The city admin sends the roles form; the page it is sent back to."""
    return submit(client, ROLES, {"email": email, "role": role}, follow_redirects=True)


def invitation_link(outbox, email: str) -> str:
    return link_in(last_message_to(outbox, email), INVITATION)


def signed_in_as(app, email: str):
    person = app.test_client()
    person.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert login(person, email).status_code == 200
    return person


@pytest.mark.parametrize("role", [CityRoleName.STAFF, CityRoleName.MODERATOR])
def test_an_invited_adult_accepts_and_gets_the_role(app, city_admin, outbox, role):
    with app.app_context():
        make_user("new@example.org", city=city_named("murcia"), display_name="Newbie")

    page = invite(city_admin, "new@example.org", role.value).get_data(as_text=True)

    assert (
        "If new@example.org is the address of an adult&#39;s confirmed account, we emailed them an invitation" in page
    )
    with app.app_context():
        assert rows(CityRole, CityRole.role == role) == []  # nothing until they accept
    message = last_message_to(outbox, "new@example.org")
    assert message["Subject"] == "An invitation to a role in Murcia"
    assert f"Boss, an admin of Murcia on Youth Portal, invites you to the role “{role.label}”" in text_of(message)
    link = invitation_link(outbox, "new@example.org")
    newbie = signed_in_as(app, "new@example.org")
    offer = newbie.get(link).get_data(as_text=True)
    assert f"Boss, an admin of Murcia, invites you to the role “{role.label}” in Murcia." in offer

    accepted = submit(newbie, link, {"accept": "yes"}, follow_redirects=True)

    assert f"You now hold the role “{role.label}” in Murcia." in accepted.get_data(as_text=True)
    with app.app_context():
        murcia, newbie_id = city_named("murcia"), account_id("new@example.org")
        assert db.session.get(User, newbie_id).active_role_in(murcia) == role
        [granted] = events("role.granted")
        assert (granted.actor_id, granted.subject_id, granted.city_id) == (
            account_id(MURCIA_ADMIN),
            newbie_id,
            murcia.id,
        )
        [took] = events("role.invitation_accepted")
        assert (took.actor_id, took.city_id, took.detail) == (newbie_id, murcia.id, {"role": role.value})
    assert "Newbie" in city_admin.get(ROLES).get_data(as_text=True)
    assert submit(newbie, link, {"accept": "yes"}).status_code == 404  # the link works once


def city_named(slug: str) -> City:
    return db.session.scalar(sa.select(City).where(City.slug == slug))


def account_id(email: str) -> int:
    return db.session.scalar(sa.select(User.id).where(User.email == email))


def what_the_admin_sees(client, email: str, role: str = "staff") -> tuple[int, str, str]:
    """The roles page after inviting `email` (status after redirects, its text without the address and the form's
    token), and the audit log's newest line."""
    response = invite(client, email, role)
    page = re.sub(r'name="csrf_token" (?:type="hidden" )?value="[^"]+"', "", response.get_data(as_text=True))
    audit = client.get("/cities/murcia/manage/audit").get_data(as_text=True)
    newest = re.search(r"<tbody>\s*<tr>(.*?)</tr>", audit, re.S).group(1)
    return response.status_code, page.replace(email, "ADDRESS"), re.sub(r"<td>[^<]*</td>", "", newest, count=1)


def test_inviting_a_minor_another_citys_child_or_an_unknown_address_reads_the_same_and_grants_nothing(
    app, city_admin, outbox
):
    """The attack: a city admin gives a staff role to any verified account of the network, a 13-year-old of
    another city without guardian consent included, and the form tells which addresses have accounts."""
    this_year, this_month = utcnow().year, utcnow().month
    with app.app_context():
        murcia, lyon = city_named("murcia"), city_named("lyon")
        make_user("adult@example.org", city=murcia, display_name="Adult")
        make_user("child@example.org", city=lyon, display_name="Child", birth_year=this_year - 13)
        make_user(
            "teen@example.org", city=murcia, display_name="Teen", birth_year=this_year - 18, birth_month=this_month
        )
        make_user("unconfirmed@example.org", city=murcia, display_name="Unconfirmed", verified=False)
    invited = what_the_admin_sees(city_admin, "adult@example.org")
    assert invited[0] == 200 and "emailed them an invitation" in invited[1]

    # 18 this month is not yet 18 for certain (only the birth year and month are kept).
    for address in ("child@example.org", "teen@example.org", "ghost@example.org", "unconfirmed@example.org"):
        assert what_the_admin_sees(city_admin, address) == invited, address

    assert [message["To"] for message in outbox_messages(outbox)] == ["adult@example.org"]
    with app.app_context():
        assert rows(CityRole, CityRole.role != CityRoleName.CITY_ADMIN) == []
        assert events("role.granted") == []
        assert len(events("role.invited")) == 5
        refused = events("role.invitation_refused")
        assert sorted(event.detail["reason"] for event in refused) == [
            "no-account",
            "unconfirmed",
            "under-18",
            "under-18",
        ]
        assert {(event.actor_id, event.city_id) for event in refused} == {(None, None)}  # not in the admin's view


def test_an_adult_of_another_city_may_accept_and_then_holds_the_role_only_here(app, city_admin, outbox):
    with app.app_context():
        make_user("lyonnais@example.org", city=city_named("lyon"), display_name="Lyonnais")
    invite(city_admin, "lyonnais@example.org")
    link = invitation_link(outbox, "lyonnais@example.org")
    lyonnais = signed_in_as(app, "lyonnais@example.org")
    assert submit(lyonnais, link, {"accept": "yes"}).status_code == 302
    with app.app_context():
        person = db.session.get(User, account_id("lyonnais@example.org"))
        assert person.active_role_in(city_named("murcia")) == CityRoleName.STAFF
        assert person.active_role_in(city_named("lyon")) is None


def test_only_the_invited_person_signed_in_can_answer_the_invitation(app, city_admin, outbox, visitor):
    with app.app_context():
        make_user("new@example.org", city=city_named("murcia"))
        make_user("other@example.org", city=city_named("murcia"))
    invite(city_admin, "new@example.org")
    link = invitation_link(outbox, "new@example.org")

    assert visitor.get(link).status_code == 302 and "/login" in visitor.get(link).headers["Location"]
    other = signed_in_as(app, "other@example.org")
    assert other.get(link).status_code == 404
    assert submit(other, link, {"accept": "yes"}, page="/").status_code == 404
    assert city_admin.get(link).status_code == 404  # not the admin who invited either
    with app.app_context():
        assert events("role.granted") == []
    assert submit(signed_in_as(app, "new@example.org"), link, {"accept": "yes"}).status_code == 302


def test_declining_gives_nothing_and_is_not_shown_in_the_citys_log(app, city_admin, outbox):
    with app.app_context():
        make_user("new@example.org", city=city_named("murcia"), display_name="Newbie")
    invite(city_admin, "new@example.org")
    link = invitation_link(outbox, "new@example.org")
    newbie = signed_in_as(app, "new@example.org")

    declined = submit(newbie, link, {"decline": "yes"}, follow_redirects=True)

    assert "You declined the role “Staff” in Murcia." in declined.get_data(as_text=True)
    assert submit(newbie, link, {"accept": "yes"}).status_code == 404
    with app.app_context():
        assert events("role.granted") == []
        [event] = events("role.invitation_declined")
        assert (event.actor_id, event.city_id) == (account_id("new@example.org"), None)
    assert "Newbie" not in city_admin.get("/cities/murcia/manage/audit").get_data(as_text=True)


def test_an_invitation_lapses_when_the_admin_who_sent_it_no_longer_is_one(app, city_admin, outbox):
    with app.app_context():
        make_user("new@example.org", city=city_named("murcia"))
    invite(city_admin, "new@example.org")
    link = invitation_link(outbox, "new@example.org")
    with app.app_context():
        boss_role = db.session.scalar(sa.select(CityRole).where(CityRole.user_id == account_id(MURCIA_ADMIN)))
        boss_role.revoked_at = utcnow()
        db.session.commit()

    refused = submit(signed_in_as(app, "new@example.org"), link, {"accept": "yes"})

    assert refused.status_code == 409
    assert "This invitation can no longer be accepted, so nothing changed." in refused.get_data(as_text=True)
    with app.app_context():
        assert events("role.granted") == []
        [event] = events("role.invitation_refused")
        assert event.detail["reason"] == "inviter-not-admin"


def test_a_person_who_is_not_an_adult_cannot_accept_even_with_a_link(app, city_admin, outbox):
    """Were a link ever to reach a minor (their account's birth month corrected after it was sent), accepting checks
    the age again."""
    with app.app_context():
        make_user("new@example.org", city=city_named("murcia"))
    invite(city_admin, "new@example.org")
    link = invitation_link(outbox, "new@example.org")
    with app.app_context():
        person = db.session.get(User, account_id("new@example.org"))
        person.birth_year = utcnow().year - 16
        db.session.commit()

    refused = submit(signed_in_as(app, "new@example.org"), link, {"accept": "yes"})

    assert refused.status_code == 409
    with app.app_context():
        assert rows(CityRole, CityRole.user_id == account_id("new@example.org")) == []


@pytest.mark.parametrize("role", ["city-admin", "network-admin", "network-staff", ""])
def test_city_admin_cannot_grant_any_other_role(app, city_admin, role):
    with app.app_context():
        make_user("new@example.org", display_name="Newbie")

    response = submit(city_admin, "/cities/murcia/manage/roles", {"email": "new@example.org", "role": role})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "role")
    assert 'value="new@example.org"' in html
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "new@example.org"))
        assert user.network_role is None
        assert rows(CityRole, CityRole.user_id == user.id) == []
        assert events("role.granted") == []


def test_role_choices_offer_only_staff_and_moderator(city_admin):
    html = city_admin.get("/cities/murcia/manage/roles").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="role".*?</select>', html, re.S).group(0)
    assert re.findall(r'value="([^"]+)"', select) == ["staff", "moderator"]


def test_city_admin_revokes_a_staff_role(app, city_admin):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        staffer = make_user("st@example.org", city=murcia, display_name="Staffer", city_role=CityRoleName.STAFF)
        role_id = db.session.scalar(sa.select(CityRole.id).where(CityRole.user_id == staffer.id))

    response = submit(
        city_admin,
        f"/cities/murcia/manage/roles/{role_id}/revoke",
        page="/cities/murcia/manage/roles",
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert "Staffer no longer holds a role in Murcia" in html
    assert '<th scope="row">Staffer' not in html
    with app.app_context():
        assert db.session.get(CityRole, role_id).revoked_at is not None
        [event] = events("role.revoked")
        assert event.detail == {"role": "staff"}


def test_city_admin_cannot_revoke_their_own_admin_role(app, city_admin):
    with app.app_context():
        role_id = db.session.scalar(sa.select(CityRole.id).where(CityRole.role == CityRoleName.CITY_ADMIN))

    response = submit(city_admin, f"/cities/murcia/manage/roles/{role_id}/revoke", page="/cities/murcia/manage/roles")

    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(CityRole, role_id).revoked_at is None
        assert events("role.revoked") == []


def test_city_admin_cannot_revoke_a_role_in_another_city(app, city_admin):
    with app.app_context():
        lyon = db.session.scalar(sa.select(City).where(City.slug == "lyon"))
        other = make_user("lyon@example.org", city=lyon, display_name="Lyonnais", city_role=CityRoleName.STAFF)
        role_id = db.session.scalar(sa.select(CityRole.id).where(CityRole.user_id == other.id))

    response = submit(city_admin, f"/cities/murcia/manage/roles/{role_id}/revoke", page="/cities/murcia/manage/roles")

    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(CityRole, role_id).revoked_at is None


def test_revoking_without_the_form_token_is_refused(app, city_admin):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        staffer = make_user("st@example.org", city=murcia, display_name="Staffer", city_role=CityRoleName.STAFF)
        role_id = db.session.scalar(sa.select(CityRole.id).where(CityRole.user_id == staffer.id))
    assert city_admin.post(f"/cities/murcia/manage/roles/{role_id}/revoke").status_code == 400
    with app.app_context():
        assert db.session.get(CityRole, role_id).revoked_at is None


def test_opening_the_manage_pages_changes_nothing(app, city_admin):
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    assert city_admin.get("/cities/murcia/manage/roles").status_code == 200
    assert city_admin.get("/cities/murcia/manage/audit").status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before


# City admin: audit log ---------------------------------------------------------------------------------------------


def test_audit_log_shows_the_citys_events_newest_first(app, city_admin, outbox):
    with app.app_context():
        make_user("new@example.org", display_name="Newbie")
    invite(city_admin, "new@example.org")
    submit(signed_in_as(app, "new@example.org"), invitation_link(outbox, "new@example.org"), {"accept": "yes"})
    with app.app_context():
        role_id = db.session.scalar(sa.select(CityRole.id).where(CityRole.role == CityRoleName.STAFF))
    submit(city_admin, f"/cities/murcia/manage/roles/{role_id}/revoke", page="/cities/murcia/manage/roles")
    with app.app_context():
        lyon = db.session.scalar(sa.select(City).where(City.slug == "lyon"))
        lyonnais = make_user(
            "lyon-admin@example.org", city=lyon, display_name="Lyonnais", city_role=CityRoleName.CITY_ADMIN
        )
        db.session.add(
            AuditEvent(action="role.granted", city_id=lyon.id, actor_id=lyonnais.id, detail={"role": "staff"})
        )
        db.session.commit()

    html = city_admin.get("/cities/murcia/manage/audit").get_data(as_text=True)

    body = re.search(r"<tbody>(.*)</tbody>", html, re.S).group(1)
    assert re.findall(r"<td>(?:[A-Z][a-z]+|Boss)</td>\s*<td>([^<]+)</td>", body) == [
        "Revoked a role: Staff",
        "Accepted an invitation to a role: Staff",
        "Granted a role: Staff",
        "Invited someone to a role: Staff",
    ]
    assert body.count(">Boss<") == 3 and body.count(">Newbie<") == 3
    assert "Lyonnais" not in html


def test_a_sweep_of_refused_pages_leaves_the_staff_actions_readable_and_says_how_many(app, city_admin, clock):
    """One sweep wrote 1,089 `access.refused` events, burying the role changes: now the first refused page of a person
    in an hour is an event, and the audit log says how many pages followed in that hour, and which was the last."""
    if utcnow().minute >= 55:  # the sweep must not straddle two hours
        clock.shift(timedelta(minutes=6))
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        make_user("prober@example.org", city=murcia, display_name="Prober", city_role=CityRoleName.STAFF)
        make_user("new@example.org", display_name="Newbie")
    submit(city_admin, "/cities/murcia/manage/roles", {"email": "new@example.org", "role": "staff"})
    prober = app.test_client()
    login(prober, "prober@example.org")
    for number in range(100):
        assert prober.get(f"/cities/murcia/manage/{('roles', 'audit')[number % 2]}").status_code == 404

    def audit_rows() -> list[str]:
        html = city_admin.get("/cities/murcia/manage/audit").get_data(as_text=True)
        return re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*)</tbody>", html, re.S).group(1), re.S)

    rows = audit_rows()
    assert len(rows) == 2
    assert ">Prober<" in rows[0] and "Was refused access to a page <code>/cities/murcia/manage/roles</code>" in rows[0]
    assert "(pages refused in that hour: 100; the last: <code>/cities/murcia/manage/audit</code>)" in rows[0]
    assert "Invited someone to a role: Staff" in rows[1]
    with app.app_context():
        assert len(events("access.refused")) == 1

    for _quarter in range(4):  # an hour later (both stay signed in: each comes back before their session idles out)
        clock.shift(timedelta(minutes=15))
        city_admin.get("/")
        prober.get("/")
    prober.get("/cities/murcia/manage/roles")
    rows = audit_rows()
    assert len(rows) == 3 and "pages refused" not in rows[0] and "Invited someone to a role: Staff" in rows[2]


def test_audit_log_is_paginated_by_fifty_with_one_query_per_page(app, city_admin):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        actors = [
            make_user(f"p{i}@example.org", city=murcia, display_name=f"Person{i}", city_role=CityRoleName.STAFF)
            for i in range(3)
        ]  # staff: the city's log shows staff actions only
        for i in range(120):
            db.session.add(
                AuditEvent(
                    action="role.granted",
                    city_id=murcia.id,
                    actor_id=actors[i % 3].id,
                    subject_id=actors[(i + 1) % 3].id,
                    detail={"role": "staff", "n": i},
                )
            )
        db.session.commit()

    def page(number: int) -> tuple[str, int]:
        with app.app_context(), count_queries() as queries:
            html = city_admin.get(f"/cities/murcia/manage/audit?page={number}").get_data(as_text=True)
        return html, len(queries)

    (first, first_queries), (second, second_queries), (third, third_queries) = page(1), page(2), page(3)
    assert re.search(r"<tbody>(.*)</tbody>", first, re.S).group(1).count("<tr>") == 50
    assert re.search(r"<tbody>(.*)</tbody>", third, re.S).group(1).count("<tr>") == 20
    assert "Older events" in first and "Newer events" not in first
    assert "Older events" in second and "Newer events" in second
    assert "Older events" not in third and "Newer events" in third
    assert first_queries == second_queries == third_queries


#: Places where record() is given an action held in a variable, and where that variable's values come from.
ACTIONS_HELD_IN_VARIABLES = {
    ("consultations/staff/services.py", "audit_action"): {audit for _method, _start, audit in LIFE_CYCLE.values()},
}


class RecordedActions(ast.NodeVisitor):
    """The action strings a module passes to `recorders`; actions passed in a variable are noted apart."""

    def __init__(self, recorders: set[str]):
        self.recorders = recorders
        self.actions: set[str] = set()
        self.variables: set[str] = set()
        self.new_recorders: set[str] = set()
        self.functions: list[ast.FunctionDef] = []

    def visit_FunctionDef(self, node):
        self.functions.append(node)
        self.generic_visit(node)
        self.functions.pop()

    def visit_Call(self, node):
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        action = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "action"), None)
        if name in self.recorders and action is not None:
            strings = {c.value for c in ast.walk(action) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
            parameters = {a.arg for a in self.functions[-1].args.args} if self.functions else set()
            if strings:
                self.actions |= strings
            elif isinstance(action, ast.Name) and action.id in parameters:
                self.new_recorders.add(self.functions[-1].name)  # it records what its callers pass
            else:
                self.variables.add(ast.unparse(action))
        self.generic_visit(node)


def actions_recorded_in_the_code() -> set[str]:
    """Every action the package can write to the audit log, read from its source."""
    package = Path(youth_portal.__file__).parent
    modules = {
        path.relative_to(package).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(package.rglob("*.py"))
    }
    recorders, actions = {"record"}, set()
    while True:  # until no new function turns out to pass its parameter on to record()
        found, held = set(), set()
        for module, tree in modules.items():
            visitor = RecordedActions(recorders)
            visitor.visit(tree)
            actions |= visitor.actions
            found |= visitor.new_recorders
            held |= {(module, variable) for variable in visitor.variables}
        if found <= recorders:
            break
        recorders |= found
    assert held == set(ACTIONS_HELD_IN_VARIABLES), (
        "record() is given an action this test cannot read; list where its values come from in "
        f"ACTIONS_HELD_IN_VARIABLES: {sorted(held - set(ACTIONS_HELD_IN_VARIABLES))}"
    )
    for values in ACTIONS_HELD_IN_VARIABLES.values():
        actions |= values
    return actions


def test_every_action_the_code_records_has_a_label(app):
    actions = actions_recorded_in_the_code()
    assert {"consultation.question_added", "consultation.archived", "guardian.consented", "auth.logout"} <= actions
    with app.app_context():
        assert sorted(actions - set(audit_labels())) == []


def test_audit_log_says_what_was_done_to_which_consultation(app, city_admin):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        lyon = db.session.scalar(sa.select(City).where(City.slug == "lyon"))
        parks_id = make_consultation(murcia, title={"en": "Our parks", "es": "Nuestros parques"}).id
        squares_id = make_consultation(murcia, "draft", title={"es": "Nuestras plazas"}).id
        secret_id = make_consultation(lyon, title={"fr": "Projet lyonnais"}).id
        murcia_id = murcia.id
    edit_page = f"/cities/murcia/manage/consultations/{parks_id}/edit"
    assert (
        submit(
            city_admin, f"/cities/murcia/manage/consultations/{parks_id}/close", {"confirmed": "yes"}, page=edit_page
        ).status_code
        == 302
    )
    assert city_admin.get(f"/cities/murcia/manage/consultations/{parks_id}/export.csv").status_code == 200
    with app.app_context():
        boss = db.session.scalar(sa.select(User).where(User.email == MURCIA_ADMIN))
        consultation_actions = sorted(action for action in audit_labels() if action.startswith("consultation."))
        for action in consultation_actions:
            db.session.add(
                AuditEvent(
                    action=action,
                    city_id=murcia_id,
                    actor_id=boss.id,
                    target_type="consultations",
                    target_id=squares_id,
                )
            )
        # An event of Murcia that names a consultation of Lyon must not reveal it.
        db.session.add(
            AuditEvent(
                action="consultation.edited",
                city_id=murcia_id,
                actor_id=boss.id,
                target_type="consultations",
                target_id=secret_id,
            )
        )
        db.session.commit()

    html = city_admin.get("/cities/murcia/manage/audit").get_data(as_text=True)

    body = re.search(r"<tbody>(.*)</tbody>", html, re.S).group(1)
    parks = f'<a href="/cities/murcia/manage/consultations/{parks_id}/edit">Our parks</a>'
    assert f"Closed a consultation: {parks}" in body
    assert f"Exported results: {parks}" in body
    squares = f'<a href="/cities/murcia/manage/consultations/{squares_id}/edit" lang="es" dir="ltr">Nuestras plazas</a>'
    for label in (
        "Added a question",
        "Changed the cover image of a consultation",
        "Added a commitment",
        "Changed a commitment",
        "Edited an outcome",
        "Approved a public quote",
        "Edited a consultation",
        "Changed a question",
        "Moved a question",
    ):
        assert f"{label}: {squares}" in body, label
    assert body.count(squares) == len(consultation_actions)
    assert not [action for action in consultation_actions if action in body]
    assert "Edited a consultation</td>" in body  # the event naming Lyon's consultation
    assert "Projet lyonnais" not in html and f"consultations/{secret_id}/" not in html

    submit(city_admin, "/language", {"language": "es", "next": "/"})
    spanish = city_admin.get("/cities/murcia/manage/audit").get_data(as_text=True)
    assert (
        f'Cerró una consulta: <a href="/cities/murcia/manage/consultations/{parks_id}/edit">Nuestros parques</a>'
    ) in spanish


def test_audit_log_loads_the_consultation_titles_in_one_query(app, city_admin):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        ids = [make_consultation(murcia, title={"en": f"Topic {n}"}).id for n in range(12)]
        for i in range(70):  # the older page: all about one consultation; the newer page: about twelve
            action = "consultation.exported" if i % 2 else "consultation.question_changed"
            about = ids[0] if i < 20 else ids[i % 12]
            db.session.add(AuditEvent(action=action, city_id=murcia.id, target_type="consultations", target_id=about))
        db.session.commit()

    def page(number: int) -> tuple[str, int]:
        with app.app_context(), count_queries() as queries:
            html = city_admin.get(f"/cities/murcia/manage/audit?page={number}").get_data(as_text=True)
        return re.search(r"<tbody>(.*)</tbody>", html, re.S).group(1), len(queries)

    (full, full_queries), (rest, rest_queries) = page(1), page(2)
    assert full.count("<tr>") == 50 and rest.count("<tr>") == 20
    assert all(f"Topic {n}</a>" in full for n in range(12))
    assert rest.count("Topic 0</a>") == 20 and "Topic 1</a>" not in rest
    assert full_queries == rest_queries


def test_display_names_are_escaped_on_the_roles_and_audit_pages(app, city_admin, outbox):
    with app.app_context():
        make_user("x@example.org", display_name=XSS)
    invite(city_admin, "x@example.org", "moderator")
    assert (
        submit(
            signed_in_as(app, "x@example.org"), invitation_link(outbox, "x@example.org"), {"accept": "y"}
        ).status_code
        == 302
    )
    for url in ("/cities/murcia/manage/roles", "/cities/murcia/manage/audit"):
        html = city_admin.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert XSS not in html, url


def test_network_admins_see_refusals_anywhere_with_their_count(app, city_admin, clock):
    """Refused pages of a city, and of the network (which no city's log shows), are in the network's log, counted."""
    if utcnow().minute >= 55:  # the sweep must not straddle two hours
        clock.shift(timedelta(minutes=6))
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        make_user("prober@example.org", city=murcia, display_name="Prober", city_role=CityRoleName.STAFF)
        make_user(ADMIN, display_name="Netadmin", network_role=NetworkRole.NETWORK_ADMIN)
    prober = app.test_client()
    login(prober, "prober@example.org")
    for _ in range(3):
        assert prober.get("/cities/murcia/manage/roles").status_code == 404
        assert prober.get("/admin/cities").status_code == 404
    admin = app.test_client()
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(admin, ADMIN)
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "(pages refused in that hour: 3; the last: <code>/cities/murcia/manage/roles</code>)" in page
    assert "(pages refused in that hour: 3; the last: <code>/admin/cities</code>)" in page
