"""Registration and email verification, through HTTP as a young person does it."""

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from support import html_of, last_message_to, link_in, login, make_city, make_user, outbox_messages, submit, text_of
from youth_portal.accounts.models import CityRole, User
from youth_portal.audit.models import AuditEvent
from youth_portal.extensions import db
from youth_portal.guardians.models import ConsentStatus, GuardianConsent
from youth_portal.pages.terms import TERMS_VERSION
from youth_portal.timeutil import utcnow
from youth_portal.tokens import OneTimeToken

EMAIL = "sky@example.org"
PASSWORD = "a short sentence I remember"
GUARDIAN = "parent@example.net"
XSS = "<script>alert(1)</script>"


def born(years_ago: int) -> dict:
    """Birth year and month of someone exactly `years_ago` old today (born in January)."""
    return {"birth_year": str(utcnow().year - years_ago), "birth_month": "1"}


def form_data(city_id: int, **changes) -> dict:
    """A complete, valid registration of a 20-year-old; `changes` replace fields (None removes one)."""
    data = {
        "email": EMAIL,
        "password": PASSWORD,
        "display_name": "Sky",
        "home_city": str(city_id),
        **born(20),
        "language": "en",
        "guardian_email": "",
        "guardian_language": "en",
        "accept_terms": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def register(client, data: dict):
    return submit(client, "/register", data)


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(User.id)))


def user_by_email(app, email: str = EMAIL) -> User:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        db.session.expunge_all()
        return user


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def error_beside(page: str, field: str) -> str:
    """The error text shown beside a field (the element its input's aria-describedby points to)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert match, f"no error beside {field}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def verification_link(outbox, email: str = EMAIL) -> str:
    return link_in(last_message_to(outbox, email), "/verify/")


# The whole journey ------------------------------------------------------------------------------------------------


def test_register_confirm_by_the_emailed_link_and_sign_in(app, client, outbox, murcia):
    response = register(client, form_data(murcia, email="Sky@Example.ORG"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/register/check-email")

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check your email" in page
    assert "Welcome, Sky!" in page
    assert EMAIL in page

    user = user_by_email(app)
    assert user.email_verified_at is None
    assert user.terms_version == TERMS_VERSION
    assert user.password_hash.startswith("$argon2id$")
    assert (user.display_name, user.birth_year, user.birth_month, user.language) == ("Sky", utcnow().year - 20, 1, "en")
    assert user.network_role is None

    message = last_message_to(outbox, EMAIL)
    assert message["Subject"] == "Confirm your email address for Youth Portal"
    assert "Sky" in text_of(message)
    link = verification_link(outbox)
    assert f'href="http://localhost{link}"' in html_of(message)  # absolute links in both parts

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "Confirm my email" in confirm_page.get_data(as_text=True)
    assert user_by_email(app).email_verified_at is None  # opening the link changes nothing

    confirmed = submit(client, link, follow_redirects=True)
    assert confirmed.request.path == "/cities/murcia/"  # signed in by confirming, in their city
    assert "your email address is confirmed" in confirmed.get_data(as_text=True)
    assert user_by_email(app).email_verified_at is not None
    assert "Sign out" in confirmed.get_data(as_text=True)
    assert actions(app) == ["account.registered", "account.email_verified", "auth.login.succeeded"]


def test_verification_email_is_in_the_chosen_language(app, client, outbox, murcia):
    register(client, form_data(murcia, language="es"))
    message = last_message_to(outbox, EMAIL)
    assert message["Content-Language"] == "es"
    assert '<html lang="es"' in html_of(message)
    assert user_by_email(app).language == "es"


def test_the_form_asks_for_little_and_nothing_is_ticked_for_the_person(client, murcia):
    page = client.get("/register").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="accept_terms"[^>]*>', page)
    assert "checked" not in re.search(r'<input[^>]*id="accept_terms"[^>]*>', page).group(0)
    assert 'href="/terms"' in page and 'href="/privacy"' in page
    assert "do not use your real name" in page
    assert "At least 8 characters" in page
    assert 'name="guardian_email"' not in page  # asked only when the city and birth date need it
    assert ">March</option>" in page  # month names, in the reader's language
    assert "network_role" not in page and "role" not in re.findall(r'name="([^"]+)"', page)
    assert 'hx-post="/register/validate"' in page


def test_month_names_follow_the_language(client, murcia):
    page = client.get("/register", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert ">marzo</option>" in page


def test_a_city_page_link_can_preselect_the_city(client, murcia):
    page = client.get("/register?city=murcia").get_data(as_text=True)
    assert f'<option selected value="{murcia}">Murcia</option>' in page


# Bad input ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "Please enter your email address."),
        ({"email": "not-an-email"}, "email", "Enter an email address like name@example.org."),
        ({"email": "a" * 250 + "@example.org"}, "email", "Use at most 254 characters."),
        ({"password": ""}, "password", "Please choose a password."),
        ({"password": "short"}, "password", "Use at least 8 characters."),
        ({"password": "x" * 129}, "password", "Use at most 128 characters."),
        ({"display_name": ""}, "display_name", "Please choose a display name."),
        ({"display_name": "A"}, "display_name", "Use between 2 and 40 characters."),
        ({"display_name": "x" * 41}, "display_name", "Use between 2 and 40 characters."),
        ({"home_city": ""}, "home_city", "Please choose your city."),
        ({"home_city": "999999"}, "home_city", "Please choose one of the options in the list."),
        ({"home_city": "abc"}, "home_city", "Please choose your city."),
        ({"birth_year": ""}, "birth_year", "Please choose the year you were born."),
        ({"birth_year": "1800"}, "birth_year", "Please choose one of the options in the list."),
        ({"birth_month": ""}, "birth_month", "Please choose the month you were born."),
        ({"birth_month": "13"}, "birth_month", "Please choose one of the options in the list."),
        ({"language": "xx"}, "language", "Please choose one of the options in the list."),
        ({"guardian_email": "not-an-email"}, "guardian_email", "Enter an email address like name@example.org."),
        ({"guardian_language": "xx"}, "guardian_language", "Please choose one of the options in the list."),
        ({"accept_terms": None}, "accept_terms", "Please read and accept the terms and the privacy notice."),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(app, client, murcia, changes, field, message):
    response = register(client, form_data(murcia, **{"display_name": "Sky Blue", **changes}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in error_beside(page, field)
    described_by = re.search(rf'<(?:input|select)[^>]*\bid="{field}"[^>]*>', page).group(0)
    assert re.search(rf'aria-describedby="[^"]*{field}-error', described_by)
    assert "Please correct the highlighted fields." in page
    if field != "display_name":
        assert 'value="Sky Blue"' in page  # what was typed is kept...
    if field != "email":
        assert f'value="{EMAIL}"' in page
    assert PASSWORD not in page  # ...except the password
    assert count_users(app) == 0


def test_the_summary_above_the_form_links_to_each_field_to_correct(app, client, murcia):
    response = register(client, form_data(murcia, email="sky@example", display_name=""))
    page = response.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [("email-error", "Email address"), ("display_name-error", "Display name")]
    for target, _label in links:
        assert f'id="{target}"' in page


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Sky\u202egnp.exe", "This name has hidden characters."),
        ("Free iPhone at evil.example", "A display name cannot contain a web address."),
        ("see https://x.io", "A display name cannot contain a web address."),
    ],
)
def test_a_display_name_is_a_nickname_not_a_message(app, client, murcia, outbox, name, message):
    """Names reach guardians' inboxes and staff pages: no spoofing characters, no links."""
    response = register(client, form_data(murcia, display_name=name))
    assert response.status_code == 422
    assert message in error_beside(response.get_data(as_text=True), "display_name")
    assert count_users(app) == 0 and outbox_messages(outbox) == []


@pytest.mark.parametrize("name", ["Ana 👩‍💻", "J.R. Sky", "قمر١٥", "Zoë-Lou"])
def test_ordinary_nicknames_are_welcome(app, client, murcia, name):
    assert register(client, form_data(murcia, display_name=name)).status_code == 302


def test_a_common_password_is_refused_with_an_explanation(app, client, murcia):
    response = register(client, form_data(murcia, password="iloveyou"))
    assert response.status_code == 422
    explanation = error_beside(response.get_data(as_text=True), "password")
    assert "one of the most common ones, so it is easy to guess" in explanation
    assert "iloveyou" not in response.get_data(as_text=True)
    assert count_users(app) == 0


@pytest.mark.parametrize("length", [8, 64, 128])
def test_long_passwords_are_welcome(app, client, murcia, length):
    password = ("my cat sleeps on the warm windowsill " * 4)[:length]
    assert register(client, form_data(murcia, password=password)).status_code == 302
    with app.app_context():
        from youth_portal.accounts.passwords import verify_password

        assert verify_password(db.session.scalar(sa.select(User.password_hash)), password)


def test_an_address_already_registered_is_never_revealed_and_its_owner_is_told_by_email(app, client, murcia, outbox):
    """Whether a young person has an account is nobody else's business: registering with a taken address (in any
    case) looks exactly like registering with a new one, and only the owner learns of it, by email."""
    with app.app_context():
        make_user(EMAIL, display_name="Sky")
    new = app.test_client()
    fresh = register(new, form_data(murcia, email="new@example.org", display_name="Nova"))
    taken = register(client, form_data(murcia, email="SKY@example.org", display_name="Nova"))
    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"] == "/register/check-email"
    fresh_page = new.get("/register/check-email").get_data(as_text=True)
    taken_page = client.get("/register/check-email").get_data(as_text=True)
    assert taken_page.replace("sky@example.org", "new@example.org") == fresh_page
    assert "Welcome, Nova! Your account is created." in taken_page
    assert count_users(app) == 2  # Sky and Nova: no second account for Sky's address
    message = last_message_to(outbox, EMAIL)
    assert message["Subject"] == "You already have a Youth Portal account"
    assert "nothing new was created" in text_of(message) and "/password/forgot" in text_of(message)
    with app.app_context():
        assert db.session.scalar(sa.select(User.display_name).where(User.email == EMAIL)) == "Sky"


@pytest.mark.parametrize("worker", [False, True], ids=["sent-by-the-page", "queued-for-the-worker"])
def test_ten_registrations_with_someones_address_send_them_five_emails_an_hour(
    app, murcia, outbox, runner, clock, worker
):
    """Emails to one address are capped per kind and hour, whoever sends them and however (now or by the worker)."""
    app.config["MAIL_WORKER"] = worker
    with app.app_context():
        make_user(EMAIL, display_name="Sky")
    for attempt in range(10):
        stranger = app.test_client()
        stranger.environ_base["REMOTE_ADDR"] = f"203.0.113.{attempt}"
        assert register(stranger, form_data(murcia, display_name=f"Nova{attempt}")).status_code == 302
    runner.invoke(args=["send-emails"])
    assert len(outbox_messages(outbox)) == 5 == app.config["MAIL_PER_RECIPIENT_PER_HOUR"]

    clock.shift(timedelta(hours=1))  # a new hour: the owner is told again
    assert register(app.test_client(), form_data(murcia)).status_code == 302
    runner.invoke(args=["send-emails"])
    assert len(outbox_messages(outbox)) == 6


def test_a_taken_address_registered_as_a_minor_looks_the_same_and_emails_no_guardian(app, client, murcia, outbox):
    with app.app_context():
        make_user(EMAIL)
    young = {"birth_year": str(utcnow().year - 13), "guardian_email": "parent@example.org"}
    response = register(client, form_data(murcia, **young))
    assert response.status_code == 302
    page = client.get("/register/check-email").get_data(as_text=True)
    assert "we also emailed your parent or guardian at parent@example.org" in page
    assert [m["To"] for m in outbox_messages(outbox)] == [EMAIL]
    assert count_users(app) == 1


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (12, "Youth Portal in Murcia is for people aged 13 to 30. You are a bit too young to join now"),
        (5, "we would love to hear from you when you turn 13"),
        (31, "Youth Portal in Murcia is for people aged 13 to 30, so we cannot create an account for you."),
    ],
)
def test_outside_the_age_range_registration_is_refused_kindly(app, client, murcia, age, expected):
    response = register(client, form_data(murcia, **born(age), guardian_email=GUARDIAN))
    assert response.status_code == 422
    assert expected in error_beside(response.get_data(as_text=True), "birth_year")
    assert count_users(app) == 0


def test_the_age_range_is_the_citys_own(app, client):
    with app.app_context():
        city_id = make_city("lyon", country="FR", min_age=15, max_age=25).id
    response = register(client, form_data(city_id, **born(26)))
    message = error_beside(response.get_data(as_text=True), "birth_year")
    assert "Youth Portal in Lyon is for people aged 15 to 25" in message
    assert register(client, form_data(city_id, **born(25))).status_code == 302


def test_a_minor_without_a_guardian_email_is_refused_with_the_reason(app, client, murcia):
    response = register(client, form_data(murcia, **born(13)))
    assert response.status_code == 422
    assert "Because you are under 14, a parent or guardian must agree before you can take part." in error_beside(
        response.get_data(as_text=True), "guardian_email"
    )
    assert count_users(app) == 0


def test_the_guardian_email_cannot_be_the_persons_own(app, client, murcia):
    response = register(client, form_data(murcia, **born(13), guardian_email=" Sky@EXAMPLE.org "))
    assert response.status_code == 422
    assert "not yours" in error_beside(response.get_data(as_text=True), "guardian_email")
    assert count_users(app) == 0


def test_a_minor_registers_and_the_guardian_is_asked_in_their_language(app, client, outbox, murcia):
    response = register(client, form_data(murcia, **born(13), guardian_email=GUARDIAN, guardian_language="fr"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Because you are under 14, we also emailed your parent or guardian at parent@example.net" in page
    assert "you cannot take part yet" in page

    with app.app_context():
        consent = db.session.scalar(sa.select(GuardianConsent))
        assert (consent.guardian_email, consent.language, consent.status) == (GUARDIAN, "fr", ConsentStatus.PENDING)
    assert last_message_to(outbox, GUARDIAN)["Content-Language"] == "fr"
    assert last_message_to(outbox, EMAIL)  # the young person confirms their own address too


def test_someone_above_the_age_of_consent_needs_no_guardian(app, client, outbox, murcia):
    assert register(client, form_data(murcia, **born(14), guardian_email=GUARDIAN)).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(GuardianConsent.id))) == 0
    assert [m["To"] for m in outbox_messages(outbox)] == [EMAIL]


def test_with_a_worker_nobody_waits_for_the_mail_server_and_its_outage_stops_no_registration(
    app, client, outbox, murcia, runner
):
    app.config.update(MAIL_WORKER=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # the mail server is down
    response = register(client, form_data(murcia, **born(13), guardian_email=GUARDIAN, guardian_language="fr"))
    assert response.status_code == 302
    assert "we also emailed your parent or guardian" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert runner.invoke(args=["send-emails"]).exit_code == 1  # still down: the emails wait

    app.config["MAIL_SERVER"] = ""
    assert "2 emails sent." in runner.invoke(args=["send-emails"]).output
    assert sorted(message["To"] for message in outbox_messages(outbox)) == [GUARDIAN, EMAIL]
    assert last_message_to(outbox, GUARDIAN)["Content-Language"] == "fr"
    assert submit(client, verification_link(outbox)).status_code == 302
    assert user_by_email(app).email_verified_at is not None


def test_without_a_worker_a_mail_server_outage_saves_nothing_and_says_so(app, client, outbox, murcia):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there: the connection is refused
    response = register(client, form_data(murcia))

    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Email is not working right now" in page
    assert "We could not send an email just now, so nothing was saved." in page
    assert count_users(app) == 0
    assert actions(app) == []

    app.config["MAIL_SERVER"] = ""  # back: the same registration works
    assert register(client, form_data(murcia)).status_code == 302
    assert count_users(app) == 1


def test_an_outage_answers_a_taken_address_as_it_answers_a_new_one(app, client, murcia):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    new = register(client, form_data(murcia, email="new@example.org"))
    with app.app_context():
        make_user("taken@example.org")
    taken = register(app.test_client(), form_data(murcia, email="taken@example.org"))
    assert (new.status_code, new.get_data(as_text=True)) == (taken.status_code, taken.get_data(as_text=True))


def test_an_outage_page_is_translated(app, client, murcia):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    client.get("/", headers={"Accept-Language": "es"})
    page = submit(client, "/register", form_data(murcia), headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Email is not working right now" not in page
    assert 'lang="es"' in page


def test_roles_and_status_cannot_be_set_by_extra_form_fields(app, client, murcia):
    extra = {
        "network_role": "network-admin",
        "role": "city-admin",
        "city_role": "city-admin",
        "email_verified_at": "2020-01-01 00:00:00",
        "session_version": "99",
        "terms_version": "old",
    }
    assert register(client, form_data(murcia, **extra)).status_code == 302
    user = user_by_email(app)
    assert user.network_role is None
    assert user.email_verified_at is None
    assert user.session_version == 1
    assert user.terms_version == TERMS_VERSION
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CityRole.id))) == 0


def test_registration_without_csrf_token_is_refused(app, client, murcia):
    response = client.post("/register", data=form_data(murcia))
    assert response.status_code == 400
    assert count_users(app) == 0


def test_a_display_name_is_shown_escaped(app, client, outbox, murcia):
    response = register(client, form_data(murcia, display_name=XSS))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    link = verification_link(outbox)
    confirm_page = client.get(link).get_data(as_text=True)
    assert XSS not in confirm_page and "&lt;script&gt;" in confirm_page
    assert XSS not in html_of(last_message_to(outbox, EMAIL))


def test_a_typed_display_name_is_escaped_when_shown_back(client, murcia):
    page = register(client, form_data(murcia, display_name=XSS, password="")).get_data(as_text=True)
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_check_email_page_without_a_registration_is_general(client):
    response = client.get("/register/check-email")
    assert response.status_code == 200
    assert "We sent you a link." in response.get_data(as_text=True)


def test_a_signed_in_person_is_not_offered_registration(app, client, murcia):
    with app.app_context():
        make_user(EMAIL)
    login(client, EMAIL)
    assert client.get("/register").status_code == 302


def test_many_accounts_from_one_address_are_slowed_down(app, client, murcia):
    from youth_portal.accounts.routes import REGISTRATIONS_PER_ADDRESS_PER_HOUR as limit

    assert limit >= 30, "a school class registering together must get through"
    for number in range(limit):
        assert register(client, form_data(murcia, email=f"sky{number}@example.org")).status_code == 302
    assert register(client, form_data(murcia, email="one-too-many@example.org")).status_code == 429
    # someone at another address is not slowed down
    other = {"REMOTE_ADDR": "198.51.100.7"}
    response = submit(client, "/register", form_data(murcia, email="elsewhere@example.org"), environ_base=other)
    assert response.status_code == 302


# Inline validation (htmx) ---------------------------------------------------------------------------------------


def htmx_validate(client, data: dict, field: str):
    return submit(
        client, "/register/validate", data, page="/register", headers={"HX-Request": "true", "HX-Trigger-Name": field}
    )


def test_inline_validation_shows_the_changed_fields_error(app, client, murcia):
    response = htmx_validate(client, form_data(murcia, email="sky@example"), "email")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    fragment = re.search(r'<div class="field field-invalid" id="email-field">.*?</div>', page, re.S).group(0)
    assert "Enter an email address like name@example.org." in html.unescape(fragment)
    assert 'value="sky@example"' in fragment
    assert "HX-Request" in response.headers["Vary"]
    assert count_users(app) == 0


def test_inline_validation_never_says_an_address_has_an_account(app, client, murcia):
    with app.app_context():
        make_user(EMAIL)
    response = htmx_validate(client, form_data(murcia, email=EMAIL), "email")
    assert response.status_code == 200
    assert '<div class="field" id="email-field">' in response.get_data(as_text=True)


def test_inline_validation_of_a_good_value_shows_no_error(app, client, murcia):
    response = htmx_validate(client, form_data(murcia, display_name="Sky"), "display_name")
    assert response.status_code == 200
    assert '<div class="field" id="display_name-field">' in response.get_data(as_text=True)


def test_inline_validation_explains_the_age_range(app, client, murcia):
    response = htmx_validate(client, form_data(murcia, **born(40)), "birth_year")
    assert "for people aged 13 to 30" in error_beside(response.get_data(as_text=True), "birth_year")
    assert count_users(app) == 0


def test_inline_validation_needs_the_csrf_token(app, client, murcia):
    response = client.post("/register/validate", data=form_data(murcia), headers={"HX-Request": "true"})
    assert response.status_code == 400


# Email verification ---------------------------------------------------------------------------------------------


@pytest.fixture
def registered(app, client, outbox, murcia) -> str:
    """Sky has registered; returns the verification link from the email."""
    assert register(client, form_data(murcia)).status_code == 302
    return verification_link(outbox)


def test_a_verification_link_works_once(app, client, registered):
    assert submit(client, registered).status_code == 302  # confirmed, and signed in here
    assert "your email address is already confirmed" in client.get(registered).get_data(as_text=True)
    again = app.test_client().get(registered)  # elsewhere: the way to a new link
    assert again.status_code == 404
    assert "This link does not work" in again.get_data(as_text=True)
    assert 'href="/verify/new"' in again.get_data(as_text=True)  # the way to get a new link
    assert submit(client, registered, page="/register").status_code == 404
    assert actions(app).count("account.email_verified") == 1


def test_an_expired_verification_link_is_refused(app, client, registered):
    with app.app_context():
        db.session.execute(sa.update(OneTimeToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    response = client.get(registered)
    assert response.status_code == 404
    assert "may have expired" in response.get_data(as_text=True)
    assert submit(client, registered, page="/register").status_code == 404
    assert user_by_email(app).email_verified_at is None


@pytest.mark.parametrize(
    "tamper",
    [lambda link: link + "x", lambda link: link.rsplit(".", 1)[0] + ".AAAA", lambda link: "/verify/nonsense"],
    ids=["extended", "signature-changed", "made-up"],
)
def test_a_tampered_verification_link_is_refused(app, client, registered, tamper):
    assert client.get(tamper(registered)).status_code == 404
    assert submit(client, tamper(registered), page="/register").status_code == 404
    assert user_by_email(app).email_verified_at is None


def test_a_reset_password_link_cannot_verify_an_email(app, client, registered, outbox):
    submit(client, "/password/forgot", {"email": EMAIL})
    reset_link = link_in(last_message_to(outbox, EMAIL), "/password/reset/")
    token = reset_link.rsplit("/", 1)[1]
    assert client.get(f"/verify/{token}").status_code == 404


def test_confirming_without_csrf_token_is_refused(app, client, registered):
    client.get(registered)
    assert client.post(registered).status_code == 400
    assert user_by_email(app).email_verified_at is None


def test_a_signed_in_person_asks_for_a_new_link_and_old_links_stop_working(app, client, outbox, registered):
    login(client, EMAIL, PASSWORD)
    page = client.get("/verify/new").get_data(as_text=True)
    assert "is not confirmed yet" in page and "Send me a new link" in page

    response = submit(client, "/verify/resend", page="/verify/new", follow_redirects=True)
    assert "We sent a new link to your address." in response.get_data(as_text=True)
    assert f"Your address {EMAIL} is not confirmed yet" in response.get_data(as_text=True)
    new_link = verification_link(outbox)
    assert new_link != registered
    assert client.get(registered).status_code == 404
    assert submit(client, new_link, follow_redirects=True).request.path == "/"
    assert user_by_email(app).email_verified_at is not None
    assert "account.verification_resent" in actions(app)
    assert "Your email address is confirmed." in client.get("/verify/new").get_data(as_text=True)


def test_asking_for_new_links_is_rate_limited_per_person(app, client, registered):
    login(client, EMAIL, PASSWORD)
    for _ in range(5):
        assert submit(client, "/verify/resend", page="/verify/new").status_code == 302
    response = submit(client, "/verify/resend", page="/verify/new")
    assert response.status_code == 429
    assert "Please slow down" in response.get_data(as_text=True)
    # signing out and in again (a new session) does not reset the count
    submit(client, "/logout", page="/")
    login(client, EMAIL, PASSWORD)
    assert submit(client, "/verify/resend", page="/verify/new").status_code == 429


def test_new_links_need_sign_in(client, registered):
    assert client.get("/verify/new").status_code == 302
    assert submit(client, "/verify/resend", page="/register").status_code == 302


def test_a_suspended_persons_link_does_not_verify(app, client, registered):
    with app.app_context():
        db.session.execute(sa.update(User).values(suspended_at=utcnow()))
        db.session.commit()
    assert client.get(registered).status_code == 404
    assert user_by_email(app).email_verified_at is None
