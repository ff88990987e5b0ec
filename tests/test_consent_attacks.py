"""Guardian consent a child cannot fake (issue 11, section 3), each attack tried through HTTP as the child would: a
decision from the child's own session, a guardian address that reaches the child's own mailbox, a refusal got round
by asking another address, and a birthday counted from the first of the month."""

import json
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from support import (
    html_of,
    last_message_to,
    link_in,
    login,
    make_city,
    make_user,
    outbox_messages,
    submit,
    text_of,
)
from youth_portal.accounts.models import CityRoleName, NetworkRole, Participation, User
from youth_portal.accounts.participation import participation_of
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City
from youth_portal.extensions import db
from youth_portal.guardians.models import ConsentStatus, GuardianConsent
from youth_portal.timeutil import utcnow

KID = "kid@gmail.com"
MUM = "mum@example.net"
CITY_ADMIN = "boss@example.org"
NETWORK_ADMIN = "net@example.org"

pytestmark = pytest.mark.usefixtures("english")


def registration(city_id: int, **fields) -> dict:
    """What a 13-year-old of Murcia (Spain: a guardian consents below 14) types to register."""
    return {
        "email": KID,
        "password": "a long and unusual passphrase",
        "display_name": "Nico",
        "home_city": city_id,
        "birth_year": utcnow().year - 13,
        "birth_month": 1,
        "language": "en",
        "guardian_email": MUM,
        "guardian_language": "fr",
        "accept_terms": "y",
    } | fields


def register(client, outbox, city_id: int, **fields):
    """Register and confirm the address (which signs the child in on this browser)."""
    response = submit(client, "/register", registration(city_id, **fields))
    assert response.status_code == 302, response.get_data(as_text=True)
    submit(client, link_in(last_message_to(outbox, fields.get("email", KID)), "/verify/"), {})
    return client


def consent_link(outbox, guardian: str = MUM) -> str:
    return link_in(last_message_to(outbox, guardian), "/guardian/consent/")


def consent_of(app, email: str = KID) -> GuardianConsent | None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        consent = GuardianConsent.latest_for(user)
        db.session.expunge_all()
        return consent


def participation(app, email: str = KID) -> Participation:
    with app.app_context():
        return participation_of(db.session.scalar(sa.select(User).where(User.email == email)))


@pytest.fixture
def murcia_id(app) -> int:
    with app.app_context():
        return make_city("murcia", country="ES").id


@pytest.fixture
def device(app):
    """Another browser, where nobody is signed in (the guardian's own phone)."""
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser


# A decision from the young person's own session ---------------------------------------------------------------------


@pytest.mark.parametrize("button", ["agree", "decline"])
def test_the_child_cannot_decide_from_their_own_session(app, client, device, outbox, murcia_id, button):
    register(client, outbox, murcia_id)
    link = consent_link(outbox)

    page = client.get(link)
    sent = submit(client, link, {button: "yes"}, page="/account/guardian")

    for response in (page, sent):
        assert response.status_code == 403
        text = response.get_data(as_text=True)
        assert "ask them to open the link from their email on their own phone or computer" in text
        assert "without signing in as you" in text
        assert 'name="agree"' not in text
        assert "<title>This link is for your parent or guardian" in text
    assert consent_of(app).status == ConsentStatus.PENDING
    assert participation(app) == Participation.CONSENT_PENDING
    assert attempts(app) == [button], "the attempt is recorded (for the network's log)"
    assert device.get(link).status_code == 200, "the link still works for the guardian, on their own device"
    assert submit(device, link, {"agree": "yes"}).status_code == 302
    assert participation(app) == Participation.ALLOWED


def attempts(app) -> list[str]:
    """What the young person tried to decide from their own session, as the audit log recorded it."""
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "guardian.own_session_refused").order_by(AuditEvent.id)
        )
        return [event.detail["tried"] for event in events]


def test_the_refusal_is_explained_in_the_signed_in_persons_language(app, client, outbox, murcia_id):
    register(client, outbox, murcia_id, language="es", guardian_language="fr")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    page = client.get(consent_link(outbox))
    assert page.status_code == 403
    assert '<html lang="es"' in page.get_data(as_text=True)


def test_the_child_cannot_withdraw_from_their_own_session(app, client, device, outbox, murcia_id):
    register(client, outbox, murcia_id)
    submit(device, consent_link(outbox), {"agree": "yes"})
    withdraw = link_in(last_message_to(outbox, MUM), "/guardian/withdraw/")

    assert client.get(withdraw).status_code == 403
    assert submit(client, withdraw, {"withdraw": "yes"}, page="/account/guardian").status_code == 403
    assert consent_of(app).status == ConsentStatus.GRANTED
    assert attempts(app) == ["withdraw"]
    assert submit(device, withdraw, {"withdraw": "yes"}).status_code == 302
    assert consent_of(app).status == ConsentStatus.WITHDRAWN


# A guardian address that reaches the child's own mailbox ------------------------------------------------------------

ALIASES = [
    (KID, "kid+mum@gmail.com"),
    (KID, "k.i.d@gmail.com"),
    (KID, "K.I.D+Mum@GoogleMail.com"),
    ("k.i.d@gmail.com", "kid@googlemail.com"),
    ("kid@example.org", "kid+mum@example.org"),
    ("kid@example.org", "KID+@Example.org"),
    ("kid@example.org", "kid+mum+dad@example.org"),  # everything after the first "+" is the tag
]


def error_beside(html: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}-error"[^>]*>(.*?)</', html, re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize(("own", "alias"), ALIASES)
def test_registration_refuses_a_guardian_address_that_reaches_the_childs_mailbox(
    app, client, outbox, murcia_id, own, alias
):
    response = submit(client, "/register", registration(murcia_id, email=own, guardian_email=alias))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "not yours" in error_beside(page, "guardian_email")
    assert f'value="{alias}"' in page, "what was typed is kept"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(GuardianConsent.id))) == 0
    assert outbox_messages(outbox) == []


def test_dots_count_where_the_provider_reads_them(app, client, outbox, murcia_id):
    """Only Gmail ignores dots: k.i.d@example.org is another mailbox than kid@example.org."""
    register(client, outbox, murcia_id, email="kid@example.org", guardian_email="k.i.d@example.org")
    assert consent_of(app, "kid@example.org").guardian_email == "k.i.d@example.org"


def resend(client, guardian_email: str):
    """Ask a guardian (again) from the young person's account page."""
    return submit(
        client,
        "/account/guardian/resend",
        {"guardian_email": guardian_email, "guardian_language": "en"},
        page="/account/guardian",
    )


@pytest.mark.parametrize("alias", ["kid+mum@gmail.com", "k.i.d@googlemail.com"])
def test_a_new_request_refuses_an_alias_of_the_childs_address(app, client, outbox, murcia_id, alias):
    register(client, outbox, murcia_id)
    before = len(outbox_messages(outbox))

    response = resend(client, alias)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This is your own email" in error_beside(page, "guardian_email")
    assert f'value="{alias}"' in page
    assert len(outbox_messages(outbox)) == before
    assert consent_of(app).guardian_email == MUM


# After a refusal --------------------------------------------------------------------------------------------------


def city_admin_browser(app) -> object:
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        make_user(CITY_ADMIN, city=murcia, display_name="Boss", city_role=CityRoleName.CITY_ADMIN)
    assert login(browser, CITY_ADMIN).status_code == 200
    return browser


def test_after_a_refusal_a_request_to_another_address_tells_the_guardian_who_refused(
    app, client, device, outbox, murcia_id
):
    register(client, outbox, murcia_id)  # Mum reads French
    submit(device, consent_link(outbox), {"decline": "yes"})
    assert participation(app) == Participation.CONSENT_DECLINED

    submit(
        client,
        "/account/guardian/resend",
        {"guardian_email": "kid.second.address@example.org", "guardian_language": "en"},
        page="/account/guardian",
    )

    told = last_message_to(outbox, MUM)
    assert '<html lang="fr"' in html_of(told)
    assert "Nico" in str(told["Subject"])
    assert "kid.second.address" not in text_of(told), "the new address is not told"
    assert "/guardian/" not in text_of(told)
    other = app.test_client()
    assert submit(other, consent_link(outbox, "kid.second.address@example.org"), {"agree": "yes"}).status_code == 302
    assert participation(app) == Participation.ALLOWED

    audit = city_admin_browser(app).get("/cities/murcia/manage/audit").get_data(as_text=True)
    assert "1 young person takes part with a guardian's consent given after an earlier request was refused" in audit
    assert "Nico" not in audit


def test_every_guardian_of_this_child_who_refused_and_only_they_are_told_of_a_new_request(
    app, client, device, outbox, murcia_id
):
    """Each guardian of this child who refused is told (one asked again gets the request itself); another child's
    guardian who refused hears nothing, nor does one who has not decided yet."""

    def emails_to(address: str) -> int:
        return sum(1 for message in outbox_messages(outbox) if message["To"] == address)

    register(client, outbox, murcia_id)
    submit(device, consent_link(outbox), {"decline": "yes"})  # Mum refuses for Nico
    mum = emails_to(MUM)
    other = app.test_client()
    register(other, outbox, murcia_id, email="other.kid@example.org", guardian_email="dad@example.net")
    resend(other, "aunt@example.net")
    assert emails_to("dad@example.net") == 1, "Dad had not decided: only his request"
    submit(device, consent_link(outbox, "aunt@example.net"), {"decline": "yes"})
    resend(other, "uncle@example.net")
    submit(device, consent_link(outbox, "uncle@example.net"), {"decline": "yes"})
    aunt, uncle = emails_to("aunt@example.net"), emails_to("uncle@example.net")
    resend(other, "uncle@example.net")  # the latest to refuse is asked again: the request; the aunt is told
    assert (emails_to("aunt@example.net"), emails_to("uncle@example.net")) == (aunt + 1, uncle + 1)
    assert "/guardian/consent/" in text_of(last_message_to(outbox, "uncle@example.net"))
    assert "/guardian/consent/" not in text_of(last_message_to(outbox, "aunt@example.net"))
    assert emails_to(MUM) == mum, "Mum refused for Nico, not for this child"


def test_asking_the_guardian_who_refused_again_sends_them_the_request_only(app, client, device, outbox, murcia_id):
    register(client, outbox, murcia_id)
    submit(device, consent_link(outbox), {"decline": "yes"})
    before = len([m for m in outbox_messages(outbox) if m["To"] == MUM])

    submit(
        client, "/account/guardian/resend", {"guardian_email": "", "guardian_language": "fr"}, page="/account/guardian"
    )

    to_mum = [m for m in outbox_messages(outbox) if m["To"] == MUM]
    assert len(to_mum) == before + 1 and "/guardian/consent/" in text_of(to_mum[-1])


def test_a_withdrawal_is_told_too_when_another_address_is_asked(app, client, device, outbox, murcia_id):
    register(client, outbox, murcia_id, guardian_language="en")
    submit(device, consent_link(outbox), {"agree": "yes"})
    submit(device, link_in(last_message_to(outbox, MUM), "/guardian/withdraw/"), {"withdraw": "yes"})
    submit(
        client,
        "/account/guardian/resend",
        {"guardian_email": "aunt@example.net", "guardian_language": "en"},
        page="/account/guardian",
    )
    assert "you withdrew your consent for Nico" in text_of(last_message_to(outbox, MUM))


# The age of consent counts the birthday as the last day of the birth month -----------------------------------------


@pytest.mark.parametrize(
    ("today", "needs_guardian"),
    [
        (datetime(2026, 3, 1, 12, tzinfo=UTC), True),
        (datetime(2026, 3, 30, 21, tzinfo=UTC), True),
        (datetime(2026, 3, 31, 12, tzinfo=UTC), False),
        (datetime(2026, 4, 1, 12, tzinfo=UTC), False),
    ],
)
def test_registration_takes_the_birthday_as_the_last_day_of_the_month(
    app, client, clock, outbox, murcia_id, today, needs_guardian
):
    """Born in March 2012, in Murcia (14): a guardian must agree until 31 March 2026, not from the 1st."""
    clock.move_to(today)
    response = submit(client, "/register", registration(murcia_id, birth_year=2012, birth_month=3, guardian_email=""))
    page = response.get_data(as_text=True)
    if needs_guardian:
        assert response.status_code == 422
        assert "Because you are under 14, a parent or guardian must agree" in error_beside(page, "guardian_email")
    else:
        assert response.status_code == 302


@pytest.mark.parametrize(
    ("today", "allowed"),
    [
        (datetime(2026, 2, 28, 12, tzinfo=UTC), False),  # born February 2012: the 29th counts, a day this year lacks
        (datetime(2026, 3, 1, 12, tzinfo=UTC), True),
    ],
)
def test_taking_part_waits_for_the_last_day_of_the_birth_month(app, client, clock, murcia_id, today, allowed):
    clock.move_to(today)
    with app.app_context():
        make_user(KID, city=db.session.get(City, murcia_id), birth_year=2012, birth_month=2)
    login(client, KID)
    page = client.get("/account").get_data(as_text=True)
    assert ("a parent or guardian" in page.lower()) != allowed
    assert participation(app) == (Participation.ALLOWED if allowed else Participation.CONSENT_PENDING)


# Who sees the consent events --------------------------------------------------------------------------------------


def test_the_city_admin_sees_no_young_persons_account_events(app, client, device, outbox, murcia_id):
    boss = city_admin_browser(app)
    register(client, outbox, murcia_id)
    submit(device, consent_link(outbox), {"decline": "yes"})
    with app.app_context():
        make_user("staffer@example.org", display_name="Newstaff")
    submit(boss, "/cities/murcia/manage/roles", {"email": "staffer@example.org", "role": "staff"})

    page = boss.get("/cities/murcia/manage/audit").get_data(as_text=True)

    body = re.search(r"<tbody>(.*)</tbody>", page, re.S).group(1)
    assert body.count("<tr>") == 1 and "Invited someone to a role: Staff" in body, "staff actions only"
    for words in ("Nico", "Created an account", "Asked a parent", "refused consent", "Nobody signed in"):
        assert words not in page
    assert not re.search(r"\d:\d\d", body), "city staff see the day, not the time"


def test_network_admins_and_the_person_see_the_consent_events(app, client, device, outbox, murcia_id):
    register(client, outbox, murcia_id)
    submit(device, consent_link(outbox), {"decline": "yes"})

    download = json.loads(client.get("/account/data.json").get_data(as_text=True))
    actions = {event["action"] for event in download["activity_log"]}
    assert {"account.registered", "guardian.consent_requested", "guardian.declined"} <= actions

    with app.app_context():
        make_user(NETWORK_ADMIN, display_name="Net", network_role=NetworkRole.NETWORK_ADMIN)
    admin = app.test_client()
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(admin, NETWORK_ADMIN)
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "Their parent or guardian refused consent" in page and "Nico" in page
    assert re.search(r"\d\d:\d\d:\d\d", page), "to the second, for investigations"
    assert boss_refused(app) == 404


def boss_refused(app) -> int:
    """A city admin cannot open the network's log."""
    return city_admin_browser(app).get("/admin/audit").status_code


def test_the_city_log_still_shows_what_network_admins_did_in_the_city(app, murcia_id):
    with app.app_context():
        make_user(NETWORK_ADMIN, display_name="Net", network_role=NetworkRole.NETWORK_ADMIN)
        make_user("new-boss@example.org", display_name="Newboss")
    network = app.test_client()
    network.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(network, NETWORK_ADMIN)
    submit(network, "/admin/cities/murcia/admins", {"email": "new-boss@example.org"})

    page = city_admin_browser(app).get("/cities/murcia/manage/audit").get_data(as_text=True)

    body = re.search(r"<tbody>(.*)</tbody>", page, re.S).group(1)
    assert "Granted a role: City admin" in body and ">Net<" in body and ">Newboss<" in body
