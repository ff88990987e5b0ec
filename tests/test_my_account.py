"""My account: a person sees and changes only their own details, downloads their data, deletes their account."""

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from support import (
    PASSWORD,
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
from youth_portal import mail
from youth_portal.accounts.models import CityRole, CityRoleName, User
from youth_portal.audit.models import AuditEvent
from youth_portal.extensions import db
from youth_portal.guardians.models import ConsentStatus, GuardianConsent
from youth_portal.mail import QueuedEmail
from youth_portal.timeutil import utcnow
from youth_portal.tokens import OneTimeToken

XSS = "<script>alert(1)</script>"
NEW_PASSWORD = "a kite over the harbour at noon"


# --- helpers -------------------------------------------------------------------------------------------


def html(response) -> str:
    return response.get_data(as_text=True)


def field_error(response, field_id: str) -> str:
    """The error text shown beside one field ("" if none)."""
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html(response), re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def input_value(response, field_id: str) -> str | None:
    match = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html(response))
    assert match, f"no input {field_id}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


def user_by_id(user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def actions_of(user_id: int) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.actor_id == user_id)))


@pytest.fixture
def city(app):
    with app.app_context():
        city = make_city("lyon", country="FR", default_language="fr", languages=["fr", "en"], timezone="Europe/Paris")
        return city.id


@pytest.fixture
def sky(app, city):
    """A verified 20-year-old in Lyon, born in March."""
    with app.app_context():
        from youth_portal.cities.models import City

        user = make_user(
            "sky@example.org", city=db.session.get(City, city), birth_year=utcnow().year - 21, birth_month=3
        )
        return user.id


@pytest.fixture
def signed_in(client, sky):
    response = login(client, "sky@example.org")
    assert response.status_code == 200
    assert client.get("/account").status_code == 200, "sign-in did not work"
    return client


# --- overview ------------------------------------------------------------------------------------------


def test_overview_needs_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_overview_shows_the_persons_own_details(app, signed_in, sky):
    response = signed_in.get("/account")
    page = html(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Sky" in page
    assert "sky@example.org" in page
    assert "English" in page
    assert "Lyon" in page
    assert f"March {utcnow().year - 21}" in page
    assert f"{21 if utcnow().month >= 3 else 20} years old" in page  # born in March (frozen: test_rules_ages.py)
    assert "You can take part" in page
    for endpoint in ("/account/profile", "/account/password", "/account/email", "/account/data", "/account/delete"):
        assert f'href="{endpoint}"' in page


def test_display_name_is_shown_escaped(app, client, city):
    with app.app_context():
        make_user("xss@example.org", display_name=XSS)
    login(client, "xss@example.org")
    page = html(client.get("/account"))
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_overview_shows_city_roles_current_and_past(app, signed_in, sky, city):
    with app.app_context():
        murcia = make_city("murcia")
        db.session.add_all(
            [
                CityRole(user_id=sky, city_id=city, role=CityRoleName.MODERATOR),
                CityRole(user_id=sky, city_id=murcia.id, role=CityRoleName.STAFF, revoked_at=utcnow()),
            ]
        )
        db.session.commit()
    page = html(signed_in.get("/account"))
    roles = page.split("Your roles in cities", 1)[1]
    assert "Lyon" in roles and "Moderator" in roles and "Current role" in roles
    assert "Murcia" in roles and "Staff" in roles


def test_another_person_sees_only_their_own_account(app, client, sky, city):
    with app.app_context():
        db.session.add(CityRole(user_id=sky, city_id=city, role=CityRoleName.CITY_ADMIN))
        db.session.commit()
        make_user("river@example.org", display_name="River", birth_year=utcnow().year - 15, birth_month=7)
    login(client, "river@example.org")
    page = html(client.get("/account"))
    assert "River" in page and "river@example.org" in page
    assert "sky@example.org" not in page
    assert "Sky" not in page
    assert "City admin" not in page and "Your roles in cities" not in page
    assert "March" not in page
    # No page shows another person's account by id.
    assert client.get(f"/account/{sky}").status_code == 404


def test_unverified_person_is_told_and_can_ask_for_the_link_again(app, client):
    with app.app_context():
        make_user("new@example.org", verified=False)
    login(client, "new@example.org")
    page = html(client.get("/account"))
    assert "Please confirm your email address first" in page
    assert 'action="/verify/resend"' in page


@pytest.mark.parametrize(
    ("status", "explanation"),
    [
        (None, "We have not asked a parent or guardian yet"),
        (ConsentStatus.PENDING, "a parent or guardian has to agree"),
        (ConsentStatus.DECLINED, "Your parent or guardian said no"),
        (ConsentStatus.WITHDRAWN, "Your parent or guardian took back their agreement"),
    ],
)
def test_minor_without_consent_sees_why_and_can_ask_again(app, client, status, explanation):
    with app.app_context():
        city = make_city("nairobi", country="KE", consent_age_override=16, default_language="en", languages=["en"])
        user = make_user("minor@example.org", city=city, birth_year=utcnow().year - 14)
        if status is not None:
            db.session.add(
                GuardianConsent(user_id=user.id, guardian_email="parent@example.org", language="en", status=status)
            )
            db.session.commit()
    login(client, "minor@example.org")
    page = html(client.get("/account"))
    assert explanation in page
    assert "You can take part" not in page
    assert 'action="/account/guardian/resend"' in page
    assert 'name="guardian_email"' in page
    if status is not None:
        assert "parent@example.org" in page


def test_minor_asks_the_guardian_again_from_the_overview(app, client, outbox):
    with app.app_context():
        city = make_city("nairobi", country="KE", consent_age_override=16, default_language="en", languages=["en"])
        user = make_user("minor@example.org", city=city, birth_year=utcnow().year - 14)
        db.session.add(
            GuardianConsent(
                user_id=user.id,
                guardian_email="parent@example.org",
                language="fr",
                status=ConsentStatus.DECLINED,
                decided_at=utcnow(),
            )
        )
        db.session.commit()
    login(client, "minor@example.org")
    page = html(client.get("/account"))
    assert re.search(r'<option value="fr" lang="fr" dir="ltr" selected>', page), (
        "the guardian's language is preselected"
    )
    response = submit(
        client, "/account/guardian/resend", {"guardian_email": "", "guardian_language": "fr"}, page="/account"
    )
    assert response.status_code == 302
    assert last_message_to(outbox, "parent@example.org")
    assert "a parent or guardian has to agree" in html(client.get("/account"))


def test_minor_with_consent_can_take_part(app, client):
    with app.app_context():
        city = make_city("nairobi", country="KE", consent_age_override=16, default_language="en", languages=["en"])
        user = make_user("minor@example.org", city=city, birth_year=utcnow().year - 14)
        db.session.add(
            GuardianConsent(
                user_id=user.id,
                guardian_email="parent@example.org",
                language="en",
                status=ConsentStatus.GRANTED,
                decided_at=utcnow(),
            )
        )
        db.session.commit()
    login(client, "minor@example.org")
    page = html(client.get("/account"))
    assert "You can take part" in page
    assert "guardian/resend" not in page


# --- profile -------------------------------------------------------------------------------------------


def test_change_display_name_and_language(app, signed_in, sky):
    response = submit(signed_in, "/account/profile", {"display_name": "Skylark", "language": "fr"})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    page = html(signed_in.get("/account"))
    assert "Skylark" in page
    assert '<html lang="fr"' in page
    with app.app_context():
        user = user_by_id(sky)
        assert (user.display_name, user.language) == ("Skylark", "fr")
        assert "account.profile_changed" in actions_of(sky)


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"display_name": "S", "language": "en"}, "display_name", "Use between 2 and 40 characters."),
        ({"display_name": "S" * 41, "language": "en"}, "display_name", "Use between 2 and 40 characters."),
        ({"display_name": "   ", "language": "en"}, "display_name", "Please choose a display name."),
        ({"display_name": "Skylark", "language": "xx"}, "language", "Not a valid choice."),
        ({"display_name": "Sky\u202e", "language": "en"}, "display_name", "This name has hidden characters."),
        (
            {"display_name": "win at prize.example", "language": "en"},
            "display_name",
            "A display name cannot contain a web address.",
        ),
    ],
)
def test_profile_bad_input_is_refused_beside_the_field(app, signed_in, sky, data, field_id, message):
    response = submit(signed_in, "/account/profile", data)
    assert response.status_code == 422
    assert message in field_error(response, field_id)
    if field_id == "display_name" and data["display_name"].strip():
        assert input_value(response, "display_name") == data["display_name"]
    with app.app_context():
        user = user_by_id(sky)
        assert (user.display_name, user.language) == ("Sky", "en")
        assert "account.profile_changed" not in actions_of(sky)


# --- password ------------------------------------------------------------------------------------------


def test_password_change_keeps_this_device_and_signs_out_the_others(app, signed_in, sky):
    other_device = app.test_client()
    login(other_device, "sky@example.org")
    assert other_device.get("/account").status_code == 200

    response = submit(
        signed_in,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Your password was changed" in html(response)
    assert signed_in.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302

    with app.app_context():
        assert "account.password_changed" in actions_of(sky)
    fresh = app.test_client()
    login(fresh, "sky@example.org", PASSWORD)
    assert fresh.get("/account").status_code == 302, "the old password still signs in"
    login(fresh, "sky@example.org", NEW_PASSWORD)
    assert fresh.get("/account").status_code == 200


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        (
            {"current_password": "not my password", "new_password": NEW_PASSWORD},
            "current_password",
            "That is not your current password.",
        ),
        ({"current_password": PASSWORD, "new_password": "short"}, "new_password", "Use at least 8 characters."),
        ({"current_password": PASSWORD, "new_password": "password1"}, "new_password", "most common"),
        ({"current_password": PASSWORD, "new_password": ""}, "new_password", "Enter a new password."),
    ],
)
def test_password_bad_input_is_refused_beside_the_field(app, signed_in, sky, data, field_id, message):
    with app.app_context():
        old_hash = user_by_id(sky).password_hash
    response = submit(signed_in, "/account/password", data)
    assert response.status_code == 422
    assert message in field_error(response, field_id)
    for typed in data.values():
        if typed:
            assert f'value="{typed}"' not in html(response), "a typed password was sent back"
    with app.app_context():
        user = user_by_id(sky)
        assert user.password_hash == old_hash and user.session_version == 1
    assert signed_in.get("/account").status_code == 200


# --- email ---------------------------------------------------------------------------------------------


def ask_for_email_change(client, new_email: str = "sky.new@example.org"):
    return submit(client, "/account/email", {"new_email": new_email, "current_password": PASSWORD})


def test_email_change_takes_effect_only_once_confirmed(app, signed_in, sky, outbox):
    response = ask_for_email_change(signed_in, "Sky.New@Example.org")
    assert response.status_code == 302
    assert "We sent a link to sky.new@example.org" in html(signed_in.get("/account"))
    with app.app_context():
        assert user_by_id(sky).email == "sky@example.org"

    message = last_message_to(outbox, "sky.new@example.org")
    link = link_in(message, "/account/email/confirm/")

    # Opening the link shows a button and changes nothing.
    page = signed_in.get(link)
    assert page.status_code == 200
    assert "sky.new@example.org" in html(page) and "Yes, use this address" in html(page)
    with app.app_context():
        assert user_by_id(sky).email == "sky@example.org"

    response = submit(signed_in, link, follow_redirects=True)
    assert "Your email address is changed: it is the one shown below." in html(response)
    assert "sky.new@example.org" in html(response)
    with app.app_context():
        user = user_by_id(sky)
        assert user.email == "sky.new@example.org" and user.email_verified_at is not None
        assert "account.email_changed" in actions_of(sky)
        assert all("sky" not in json.dumps(e.detail) for e in db.session.scalars(sa.select(AuditEvent)))
    notice = last_message_to(outbox, "sky@example.org")
    assert "was changed" in text_of(notice)

    # The link works once; the person signs in with the new address only.
    assert signed_in.get(link).status_code == 404
    fresh = app.test_client()
    login(fresh, "sky@example.org")
    assert fresh.get("/account").status_code == 302
    login(fresh, "sky.new@example.org")
    assert fresh.get("/account").status_code == 200


def test_only_the_latest_email_change_link_works(app, signed_in, outbox):
    ask_for_email_change(signed_in, "first@example.org")
    first = link_in(last_message_to(outbox, "first@example.org"), "/account/email/confirm/")
    ask_for_email_change(signed_in, "second@example.org")
    assert signed_in.get(first).status_code == 404


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"new_email": "not-an-address", "current_password": PASSWORD}, "new_email", "Enter an email address like"),
        ({"new_email": "", "current_password": PASSWORD}, "new_email", "Enter your new email address."),
        ({"new_email": "sky@example.org", "current_password": PASSWORD}, "new_email", "already your email address"),
        (
            {"new_email": "sky.new@example.org", "current_password": "wrong password"},
            "current_password",
            "That is not your current password.",
        ),
    ],
)
def test_email_bad_input_is_refused_beside_the_field(app, signed_in, sky, outbox, data, field_id, message):
    response = submit(signed_in, "/account/email", data)
    assert response.status_code == 422
    assert message in field_error(response, field_id)
    assert (input_value(response, "new_email") or "") == data["new_email"]
    assert not input_value(response, "current_password"), "the typed password was sent back"
    assert outbox_messages(outbox) == []
    with app.app_context():
        assert user_by_id(sky).email == "sky@example.org"
        assert db.session.scalar(sa.select(sa.func.count(OneTimeToken.id))) == 0


def test_email_change_to_an_address_taken_meanwhile_is_refused_clearly(app, signed_in, sky, outbox):
    ask_for_email_change(signed_in, "taken@example.org")
    link = link_in(last_message_to(outbox, "taken@example.org"), "/account/email/confirm/")
    with app.app_context():
        make_user("taken@example.org", display_name="Someone")
    response = submit(signed_in, link)
    assert response.status_code == 409
    assert "Another account now uses taken@example.org" in html(response)
    with app.app_context():
        assert user_by_id(sky).email == "sky@example.org"


def test_email_change_link_does_nothing_for_another_account(app, signed_in, sky, outbox):
    ask_for_email_change(signed_in)
    link = link_in(last_message_to(outbox, "sky.new@example.org"), "/account/email/confirm/")
    with app.app_context():
        river = make_user("river@example.org", display_name="River")
        river_id = river.id
    other = app.test_client()
    login(other, "river@example.org")
    assert other.get(link).status_code == 404
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html(other.get("/account/email"))).group(1)
    assert other.post(link, data={"csrf_token": csrf}).status_code == 404
    with app.app_context():
        assert user_by_id(river_id).email == "river@example.org"
        assert user_by_id(sky).email == "sky@example.org"


# --- data download -------------------------------------------------------------------------------------


def test_data_page_explains_the_download(signed_in):
    page = html(signed_in.get("/account/data"))
    assert "Download my data" in page and 'href="/account/data.json"' in page


def test_data_download_holds_the_persons_data_and_nobody_elses(app, signed_in, sky, city):
    with app.app_context():
        river = make_user("river@example.org", display_name="River")
        db.session.add_all(
            [
                CityRole(user_id=sky, city_id=city, role=CityRoleName.STAFF, revoked_at=utcnow()),
                CityRole(user_id=river.id, city_id=city, role=CityRoleName.CITY_ADMIN),
                GuardianConsent(
                    user_id=sky,
                    guardian_email="guardian@example.org",
                    language="fr",
                    status=ConsentStatus.GRANTED,
                    text_version="2026-11",
                    decided_at=utcnow(),
                ),
                GuardianConsent(user_id=river.id, guardian_email="rivers.parent@example.org", language="en"),
            ]
        )
        db.session.commit()
    response = signed_in.get("/account/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="youth-portal-my-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))

    profile = data["profile"]
    assert profile["email"] == "sky@example.org" and profile["display_name"] == "Sky"
    assert profile["home_city"] == "lyon" and profile["birth_month"] == 3 and profile["terms_version"] == "2026-11"
    assert data["city_roles"] == [
        {
            "city": "lyon",
            "role": "staff",
            "granted_at": data["city_roles"][0]["granted_at"],
            "revoked_at": data["city_roles"][0]["revoked_at"],
        }
    ]
    assert data["city_roles"][0]["revoked_at"] is not None
    [consent] = data["guardian_consent_requests"]
    assert consent["guardian_email"] == "guardian@example.org" and consent["text_version"] == "2026-11"
    assert any(event["action"].startswith("auth.login") for event in data["activity_log"]), data["activity_log"]

    raw = response.get_data(as_text=True)
    assert "river" not in raw.lower() and "city-admin" not in raw
    assert "password" not in json.dumps(data["profile"])
    with app.app_context():
        assert "account.data_downloaded" in actions_of(sky)


def test_data_download_runs_the_same_number_of_queries_however_much_data(app, signed_in, sky, city):
    signed_in.get("/account/data.json")
    with app.app_context():
        with count_queries() as few:
            signed_in.get("/account/data.json")
        murcia = make_city("murcia")
        for n in range(5):
            db.session.add(
                CityRole(
                    user_id=sky, city_id=murcia.id if n % 2 else city, role=CityRoleName.STAFF, revoked_at=utcnow()
                )
            )
            db.session.add(GuardianConsent(user_id=sky, guardian_email=f"g{n}@example.org", language="en"))
            db.session.add(AuditEvent(action="test.event", actor_id=sky, city_id=murcia.id))
        db.session.commit()
        with count_queries() as many:
            response = signed_in.get("/account/data.json")
    assert len(json.loads(response.get_data(as_text=True))["city_roles"]) == 5
    assert len(many) == len(few)


# --- deletion ------------------------------------------------------------------------------------------


def test_delete_page_explains_in_plain_words(signed_in):
    response = signed_in.get("/account/delete")
    page = html(response)
    assert response.status_code == 200
    assert "What we erase" in page and "What stays" in page and "anonymous numbers" in page
    assert re.search(r'<input[^>]*id="confirm"[^>]*>', page) and "checked" not in re.search(
        r'<input[^>]*id="confirm"[^>]*>', page
    ).group(0)


def test_deleting_the_account_erases_personal_data_and_signs_out(app, signed_in, sky, city):
    with app.app_context():
        db.session.add(CityRole(user_id=sky, city_id=city, role=CityRoleName.MODERATOR))
        db.session.add(GuardianConsent(user_id=sky, guardian_email="guardian@example.org", language="fr"))
        with app.test_request_context():  # emails left to the worker (MAIL_WORKER), not sent yet
            for to in ("sky@example.org", "someone-else@example.org"):
                mail.queue(
                    mail.compose(
                        to, "News", "reset_password", "en", display_name="Sky", link="/", valid_for=timedelta(hours=1)
                    )
                )
        db.session.commit()
    ask_for_email_change(signed_in)  # leaves an unused link behind

    response = submit(
        signed_in, "/account/delete", {"current_password": PASSWORD, "confirm": "y"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Your account was deleted" in html(response)
    assert "My account" not in html(response)
    assert signed_in.get("/account").status_code == 302

    with app.app_context():
        user = user_by_id(sky)
        assert user.deleted_at is not None
        assert (user.email, user.password_hash, user.display_name) == (None, None, None)
        assert (user.birth_year, user.birth_month, user.home_city_id) == (None, None, None)
        with app.test_request_context():
            assert user.public_name == "deleted account"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(GuardianConsent)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OneTimeToken)) == 0
        assert db.session.scalar(sa.select(CityRole.revoked_at).where(CityRole.user_id == sky)) is not None
        assert db.session.scalars(sa.select(QueuedEmail.recipient)).all() == ["someone-else@example.org"]
        deleted = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "account.deleted"))
        assert deleted.actor_id is None and deleted.detail == {"deleted_account": ["actor"]}  # tied to nobody

    fresh = app.test_client()
    login(fresh, "sky@example.org")
    assert fresh.get("/account").status_code == 302, "a deleted account still signs in"
    with app.app_context():
        again = make_user("sky@example.org", display_name="Sky again")  # the address is free again
        assert again.id != sky
    login(fresh, "sky@example.org")
    assert "Sky again" in html(fresh.get("/account"))


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"current_password": PASSWORD}, "confirm", "Tick this box"),
        (
            {"current_password": "wrong password", "confirm": "y"},
            "current_password",
            "That is not your current password.",
        ),
        ({"current_password": "", "confirm": "y"}, "current_password", "Enter your password."),
    ],
)
def test_deletion_bad_input_is_refused_beside_the_field(app, signed_in, sky, data, field_id, message):
    response = submit(signed_in, "/account/delete", data)
    assert response.status_code == 422
    assert message in field_error(response, field_id)
    with app.app_context():
        user = user_by_id(sky)
        assert user.deleted_at is None and user.email == "sky@example.org"
    assert signed_in.get("/account").status_code == 200


# --- CSRF and GET ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/account/profile", {"display_name": "Skylark", "language": "fr"}),
        ("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        ("/account/email", {"new_email": "sky.new@example.org", "current_password": PASSWORD}),
        ("/account/delete", {"current_password": PASSWORD, "confirm": "y"}),
    ],
)
def test_forms_refuse_a_post_without_csrf_token(app, signed_in, sky, outbox, url, data):
    with app.app_context():
        before = user_by_id(sky)
        before = (before.display_name, before.password_hash, before.email, before.deleted_at)
    assert signed_in.post(url, data=data).status_code == 400
    with app.app_context():
        after = user_by_id(sky)
        assert (after.display_name, after.password_hash, after.email, after.deleted_at) == before
    assert outbox_messages(outbox) == []


def test_email_confirmation_refuses_a_post_without_csrf_token(app, signed_in, sky, outbox):
    ask_for_email_change(signed_in)
    link = link_in(last_message_to(outbox, "sky.new@example.org"), "/account/email/confirm/")
    assert signed_in.post(link).status_code == 400
    with app.app_context():
        assert user_by_id(sky).email == "sky@example.org"


def test_opening_the_pages_changes_nothing(app, signed_in, sky):
    with app.app_context():
        events_before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    for url in (
        "/account",
        "/account/profile",
        "/account/password",
        "/account/email",
        "/account/data",
        "/account/delete",
    ):
        assert signed_in.get(url).status_code == 200
    with app.app_context():
        user = user_by_id(sky)
        assert (user.display_name, user.email, user.deleted_at, user.session_version) == (
            "Sky",
            "sky@example.org",
            None,
            1,
        )
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == events_before
        assert db.session.scalar(sa.select(sa.func.count(OneTimeToken.id))) == 0


def test_expired_email_change_link_does_not_work(app, signed_in, sky, outbox):
    ask_for_email_change(signed_in)
    link = link_in(last_message_to(outbox, "sky.new@example.org"), "/account/email/confirm/")
    with app.app_context():
        db.session.execute(sa.update(OneTimeToken).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    response = signed_in.get(link)
    assert response.status_code == 404
    assert "This link does not work" in html(response)


def test_wrong_current_passwords_are_limited_per_person(app, signed_in, sky):
    for url, data in [
        ("/account/password", {"new_password": NEW_PASSWORD}),
        ("/account/email", {"new_email": "sky.new@example.org"}),
    ] * 5:
        assert submit(signed_in, url, {**data, "current_password": "a wrong guess"}).status_code == 422
    response = submit(signed_in, "/account/delete", {"current_password": PASSWORD, "confirm": "y"})
    assert response.status_code == 429
    with app.app_context():
        assert user_by_id(sky).deleted_at is None
    # Mistakes other than a wrong password do not count.
    other = app.test_client()
    with app.app_context():
        make_user("river@example.org", display_name="River")
    login(other, "river@example.org")
    for _ in range(11):
        assert (
            submit(other, "/account/password", {"current_password": PASSWORD, "new_password": "short"}).status_code
            == 422
        )
    assert (
        submit(other, "/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}).status_code
        == 302
    )
