"""Guardian consent from both sides: the guardian's link, decision and withdrawal; the young person's requests."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from support import (
    csrf_token,
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
from youth_portal import tokens
from youth_portal.accounts.models import Participation, User
from youth_portal.accounts.participation import participation_of
from youth_portal.audit.models import AuditEvent
from youth_portal.extensions import db
from youth_portal.guardians import services
from youth_portal.guardians.models import CONSENT_TEXT_VERSION, ConsentStatus, GuardianConsent
from youth_portal.timeutil import utcnow
from youth_portal.tokens import OneTimeToken, TokenPurpose

YOUNG = "nico@example.org"
GUARDIAN = "parent@example.net"
XSS = "<script>alert(1)</script>"


@pytest.fixture
def minor(app):
    """Nico, 13, in Murcia (Spain: a guardian consents below 14), verified, reading in English."""
    with app.app_context():
        city = make_city("murcia", country="ES")
        user = make_user(YOUNG, city=city, display_name="Nico", birth_year=utcnow().year - 13, birth_month=1)
        return user.id


def ask_guardian(app, guardian_email=GUARDIAN, language="fr", email=YOUNG):
    """What registration does for a minor: ask the guardian (in the guardian's language) and commit."""
    with app.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        services.request_consent(user, guardian_email, language)
        db.session.commit()


def consent_link(outbox, guardian_email=GUARDIAN):
    return link_in(last_message_to(outbox, guardian_email), "/guardian/consent/")


def latest(app, email=YOUNG) -> GuardianConsent:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        consent = GuardianConsent.latest_for(user)
        db.session.expunge_all()
        return consent


def participation(app, email=YOUNG) -> Participation:
    with app.app_context():
        return participation_of(db.session.scalar(sa.select(User).where(User.email == email)))


def events(app, action) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()
        db.session.expunge_all()
        return rows


def html_lang(response) -> str:
    return response.get_data(as_text=True).split('<html lang="', 1)[1].split('"', 1)[0]


def email_lang(message) -> str:
    """The language an email was written in (the lang of its HTML part)."""
    return html_of(message).split('<html lang="', 1)[1].split('"', 1)[0]


# From registration to taking part, as the two people do it


def test_a_minor_registers_and_takes_part_once_the_guardian_agrees(app, client, outbox):
    with app.app_context():
        city_id = make_city("murcia", country="ES").id
    guardian = client.application.test_client()

    submit(
        client,
        "/register",
        {
            "email": YOUNG,
            "password": "a long and unusual passphrase",
            "display_name": "Nico",
            "home_city": city_id,
            "birth_year": utcnow().year - 13,
            "birth_month": 1,
            "language": "en",
            "guardian_email": GUARDIAN,
            "guardian_language": "fr",
            "accept_terms": "y",
        },
    )
    verify = link_in(last_message_to(outbox, YOUNG), "/verify/")
    submit(client, verify, {})
    assert participation(app) == Participation.CONSENT_PENDING

    page = guardian.get(consent_link(outbox))
    assert page.status_code == 200 and html_lang(page) == "fr"
    submit(guardian, consent_link(outbox), {"agree": "yes"})

    assert participation(app) == Participation.ALLOWED
    assert "agreed" in text_of(last_message_to(outbox, YOUNG))


# The request


def test_request_emails_the_guardian_in_their_language_and_is_audited(app, outbox, minor):
    ask_guardian(app, language="fr")

    message = last_message_to(outbox, GUARDIAN)
    assert email_lang(message) == "fr"
    assert message["Subject"] == "Nico vous demande votre consentement pour utiliser Portail Jeunesse"
    assert "Nico" in text_of(message) and "Murcia" in text_of(message)
    assert consent_link(outbox).startswith("/guardian/consent/")
    assert "/guardian/consent/" in html_of(message)
    consent = latest(app)
    assert consent.status == ConsentStatus.PENDING and consent.language == "fr"
    assert participation(app) == Participation.CONSENT_PENDING
    [event] = events(app, "guardian.consent_requested")
    assert event.subject_id == minor
    assert event.city_id is not None and event.detail["language"] == "fr"
    assert GUARDIAN not in str(event.detail) and YOUNG not in str(event.detail)


@pytest.mark.parametrize("own_email", [YOUNG, "  NICO@Example.ORG "])
def test_request_refuses_the_young_persons_own_email(app, outbox, minor, own_email):
    with pytest.raises(services.SameEmailError):
        ask_guardian(app, guardian_email=own_email)
    assert latest(app) is None
    assert outbox_messages(outbox) == []


# The guardian's page


def test_guardian_page_explains_the_platform_in_the_guardians_language_without_changing_anything(
    app, client, outbox, minor
):
    ask_guardian(app, language="fr")
    link = consent_link(outbox)

    first = client.get(link)
    second = client.get(link)

    assert first.status_code == second.status_code == 200
    assert first.headers["Cache-Control"] == "no-store", "a page naming a young person is never cached"
    assert html_lang(first) == "fr"
    page = first.get_data(as_text=True)
    assert "Nico" in page and "Murcia" in page
    assert CONSENT_TEXT_VERSION in page
    # Two buttons of equal weight: same element, no class to make one stand out.
    assert '<button type="submit" name="agree" value="yes">' in page
    assert '<button type="submit" name="decline" value="yes">' in page
    assert latest(app).status == ConsentStatus.PENDING
    with app.app_context():
        used = sa.select(OneTimeToken.used_at).where(OneTimeToken.purpose == TokenPurpose.GUARDIAN_CONSENT)
        assert db.session.scalar(used) is None


def test_guardian_page_lists_the_data_kept_and_the_rights(app, client, outbox, minor):
    ask_guardian(app, language="en")
    page = client.get(consent_link(outbox)).get_data(as_text=True)
    for words in (
        "birth year and month",
        "email address",
        "numbers only",
        "download all their data",
        "withdraw your consent at any time",
        "I agree",
        "I do not agree",
    ):
        assert words in page


def test_guardian_consents(app, client, outbox, minor):
    ask_guardian(app, language="fr")
    link = consent_link(outbox)

    response = submit(client, link, {"agree": "yes"})

    assert response.status_code == 302
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200 and html_lang(thanks) == "fr"
    consent = latest(app)
    assert consent.status == ConsentStatus.GRANTED
    assert consent.text_version == CONSENT_TEXT_VERSION
    assert consent.decided_at is not None
    assert participation(app) == Participation.ALLOWED
    told = last_message_to(outbox, YOUNG)
    assert email_lang(told) == "en"
    assert told["Subject"] == "Your guardian said yes"
    assert "agreed" in text_of(told) and "Hello Nico," in text_of(told)
    assert link_in(told, "/account/guardian") == "/account/guardian"
    confirmation = last_message_to(outbox, GUARDIAN)
    assert email_lang(confirmation) == "fr"
    assert confirmation["Subject"] == "Vous avez donné votre consentement pour Nico sur Portail Jeunesse"
    assert "Nico" in text_of(confirmation)
    assert link_in(confirmation, "/guardian/withdraw/")
    [event] = events(app, "guardian.consented")
    assert event.actor_id is None and event.subject_id == minor
    assert event.city_id is not None, "filed under the young person's city"
    assert event.detail["text_version"] == CONSENT_TEXT_VERSION


def test_guardian_declines(app, client, outbox, minor):
    ask_guardian(app)
    response = submit(client, consent_link(outbox), {"decline": "yes"})

    assert response.status_code == 302
    consent = latest(app)
    assert consent.status == ConsentStatus.DECLINED and consent.decided_at is not None
    assert consent.text_version == CONSENT_TEXT_VERSION
    assert participation(app) == Participation.CONSENT_DECLINED
    told = last_message_to(outbox, YOUNG)
    assert "did not agree" in text_of(told) and told["Subject"] == "Your guardian said no"
    assert not any("/guardian/withdraw/" in text_of(m) for m in outbox_messages(outbox))
    [event] = events(app, "guardian.declined")
    assert event.actor_id is None


def test_consent_link_works_once(app, client, outbox, minor):
    ask_guardian(app)
    link = consent_link(outbox)
    submit(client, link, {"decline": "yes"})

    again = client.get(link)
    assert again.status_code == 404
    assert "If you already gave your answer with it, there is nothing more to do." in again.get_data(as_text=True)
    assert "ask the young person to send you a new request" in again.get_data(as_text=True)
    token = csrf_token(client, "/login")
    second = client.post(link, data={"csrf_token": token, "agree": "yes"})
    assert second.status_code == 404
    assert latest(app).status == ConsentStatus.DECLINED
    assert events(app, "guardian.consented") == []


def test_expired_link_is_refused(app, client, outbox, minor):
    ask_guardian(app)
    link = consent_link(outbox)
    with app.app_context():
        db.session.execute(sa.update(OneTimeToken).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()

    assert client.get(link).status_code == 404
    token = csrf_token(client, "/login")
    assert client.post(link, data={"csrf_token": token, "agree": "yes"}).status_code == 404
    assert latest(app).status == ConsentStatus.PENDING
    assert participation(app) == Participation.CONSENT_PENDING


def test_a_tampered_link_is_refused(client, minor):
    assert client.get("/guardian/consent/not-a-real-token").status_code == 404


def test_a_new_request_replaces_the_old_link(app, client, outbox, minor):
    ask_guardian(app)
    old_link = consent_link(outbox)
    ask_guardian(app, guardian_email="other.parent@example.net")

    assert client.get(old_link).status_code == 404
    assert client.get(consent_link(outbox, "other.parent@example.net")).status_code == 200


def test_decision_without_csrf_token_is_refused(app, client, outbox, minor):
    ask_guardian(app)
    response = client.post(consent_link(outbox), data={"agree": "yes"})
    assert response.status_code == 400
    assert latest(app).status == ConsentStatus.PENDING


def test_decision_needs_exactly_one_button(app, client, outbox, minor):
    ask_guardian(app)
    link = consent_link(outbox)
    assert submit(client, link, {}).status_code == 400
    assert submit(client, link, {"agree": "yes", "decline": "yes"}).status_code == 400
    assert latest(app).status == ConsentStatus.PENDING
    assert client.get(link).status_code == 200, "a refused POST must not use up the link"


def test_display_name_is_escaped_on_the_guardian_page_and_in_the_email(app, client, outbox):
    with app.app_context():
        make_user("x@example.org", city=make_city(country="ES"), display_name=XSS, birth_year=utcnow().year - 13)
    ask_guardian(app, email="x@example.org", language="en")

    assert XSS not in html_of(last_message_to(outbox, GUARDIAN))
    page = client.get(consent_link(outbox)).get_data(as_text=True)
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Withdrawal


def grant(app, client, outbox, language="fr") -> str:
    """The guardian agrees; returns the withdrawal link from their confirmation email."""
    ask_guardian(app, language=language)
    submit(client, consent_link(outbox), {"agree": "yes"})
    return link_in(last_message_to(outbox, GUARDIAN), "/guardian/withdraw/")


def test_guardian_withdraws_consent_from_the_confirmation_email(app, client, outbox, minor):
    link = grant(app, client, outbox, language="fr")

    page = client.get(link)
    assert page.status_code == 200 and html_lang(page) == "fr"
    assert latest(app).status == ConsentStatus.GRANTED, "GET changes nothing"

    response = submit(client, link, {"withdraw": "yes"})

    assert response.status_code == 302
    consent = latest(app)
    assert consent.status == ConsentStatus.WITHDRAWN and consent.withdrawn_at is not None
    assert participation(app) == Participation.CONSENT_WITHDRAWN
    told = last_message_to(outbox, YOUNG)
    assert "withdrew" in text_of(told) and told["Subject"] == "Your guardian withdrew their consent"
    [event] = events(app, "guardian.withdrawn")
    assert event.actor_id is None and event.subject_id == minor
    assert client.get(link).status_code == 404, "the withdrawal link works once"


def test_withdrawal_page_explains_what_happens(app, client, outbox, minor):
    link = grant(app, client, outbox, language="en")
    page = client.get(link).get_data(as_text=True)
    assert "can no longer take part" in page
    assert "Their account stays until they delete it" in page
    assert "We tell Nico by email" in page


def test_withdrawal_without_csrf_token_is_refused(app, client, outbox, minor):
    link = grant(app, client, outbox)
    assert client.post(link, data={"withdraw": "yes"}).status_code == 400
    assert participation(app) == Participation.ALLOWED


def test_consent_link_cannot_withdraw_and_withdrawal_link_cannot_consent(app, client, outbox, minor):
    ask_guardian(app)
    consent = consent_link(outbox)
    assert client.get(consent.replace("/guardian/consent/", "/guardian/withdraw/")).status_code == 404
    submit(client, consent, {"agree": "yes"})
    withdraw = link_in(last_message_to(outbox, GUARDIAN), "/guardian/withdraw/")
    assert client.get(withdraw.replace("/guardian/withdraw/", "/guardian/consent/")).status_code == 404


# The young person's page: see where things stand, ask again


def signed_in(client, email=YOUNG):
    response = login(client, email)
    assert response.status_code == 200
    return client


def test_resend_needs_sign_in(client, minor):
    response = client.get("/account/guardian")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_young_person_sees_the_request_waiting(app, client, outbox, minor):
    ask_guardian(app)
    page = signed_in(client).get("/account/guardian")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "waiting for your guardian" in text
    assert GUARDIAN in text, "the person sees where the request went (their own data)"


def test_resend_to_the_same_guardian_with_an_empty_field(app, client, outbox, minor):
    ask_guardian(app, language="fr")
    old_link = consent_link(outbox)
    signed_in(client)

    response = submit(
        client, "/account/guardian/resend", {"guardian_email": "", "guardian_language": "es"}, page="/account/guardian"
    )

    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    consent = latest(app)
    assert consent.guardian_email == GUARDIAN and consent.language == "es"
    assert email_lang(last_message_to(outbox, GUARDIAN)) == "es"
    assert client.get(old_link).status_code == 404
    assert len(events(app, "guardian.consent_requested")) == 2


def test_resend_to_a_new_guardian(app, client, outbox, minor):
    ask_guardian(app)
    signed_in(client)
    submit(
        client,
        "/account/guardian/resend",
        {"guardian_email": "aunt@example.net", "guardian_language": "en"},
        page="/account/guardian",
    )
    assert latest(app).guardian_email == "aunt@example.net"
    aunt = client.application.test_client()  # on her own device: the young person's session may not decide
    assert aunt.get(consent_link(outbox, "aunt@example.net")).status_code == 200


@pytest.mark.parametrize(
    ("typed", "message"),
    [(YOUNG.upper(), "This is your own email"), ("not-an-email", "Enter an email address like")],
)
def test_resend_refuses_bad_input_beside_the_field(app, client, outbox, minor, typed, message):
    ask_guardian(app)
    signed_in(client)
    before = len(outbox_messages(outbox))

    response = submit(
        client,
        "/account/guardian/resend",
        {"guardian_email": typed, "guardian_language": "en"},
        page="/account/guardian",
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="guardian_email-error"' in page and message in page
    assert f'value="{typed}"' in page
    assert len(outbox_messages(outbox)) == before
    assert len(events(app, "guardian.consent_requested")) == 1


def test_first_request_needs_an_email(app, client, outbox, minor):
    signed_in(client)
    response = submit(
        client, "/account/guardian/resend", {"guardian_email": "", "guardian_language": "en"}, page="/account/guardian"
    )
    assert response.status_code == 422
    assert "Enter your parent" in response.get_data(as_text=True)
    assert latest(app) is None


def test_resend_is_refused_once_consent_is_granted(app, client, outbox, minor):
    grant(app, client, outbox)
    signed_in(client)
    assert "Your guardian agreed" in client.get("/account/guardian").get_data(as_text=True)

    response = submit(
        client,
        "/account/guardian/resend",
        {"guardian_email": "aunt@example.net", "guardian_language": "en"},
        page="/account/guardian",
    )

    assert response.status_code == 302
    assert latest(app).status == ConsentStatus.GRANTED
    assert participation(app) == Participation.ALLOWED


def test_resend_is_refused_for_a_person_who_needs_no_consent(app, client, outbox):
    with app.app_context():
        make_user("adult@example.org", city=make_city(country="ES"))
    signed_in(client, "adult@example.org")
    response = submit(
        client,
        "/account/guardian/resend",
        {"guardian_email": GUARDIAN, "guardian_language": "en"},
        page="/account/guardian",
    )
    assert response.status_code == 302
    assert latest(app, "adult@example.org") is None
    assert outbox_messages(outbox) == []


def test_resend_without_csrf_token_is_refused(app, client, outbox, minor):
    signed_in(client)
    response = client.post("/account/guardian/resend", data={"guardian_email": GUARDIAN, "guardian_language": "en"})
    assert response.status_code == 400
    assert latest(app) is None


def test_resend_is_rate_limited_per_person(app, client, outbox, minor):
    signed_in(client)
    data = {"guardian_email": GUARDIAN, "guardian_language": "en"}
    statuses = [
        submit(client, "/account/guardian/resend", data, page="/account/guardian").status_code for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert len(events(app, "guardian.consent_requested")) == 3


def test_resend_from_a_form_without_a_language_keeps_the_guardians_language(app, client, outbox, minor):
    ask_guardian(app, language="fr")
    signed_in(client)
    response = submit(client, "/account/guardian/resend", {"guardian_email": ""}, page="/account/guardian")
    assert response.status_code == 302
    assert latest(app).language == "fr"


def test_a_request_in_a_language_the_platform_does_not_speak_is_sent_in_the_default_one(app, outbox, minor):
    ask_guardian(app, language="xx")
    assert latest(app).language == "en"
    assert email_lang(last_message_to(outbox, GUARDIAN)) == "en"


@pytest.mark.parametrize("purpose", [TokenPurpose.GUARDIAN_CONSENT, TokenPurpose.GUARDIAN_WITHDRAW])
@pytest.mark.parametrize("names", ["another consent", "no consent"])
def test_a_link_naming_another_consent_or_none_is_refused(app, client, outbox, minor, purpose, names):
    """A validly signed link whose payload is not the person's current consent (an older one, or one that is gone)
    is refused, not an error."""
    if purpose == TokenPurpose.GUARDIAN_WITHDRAW:
        grant(app, client, outbox)
    else:
        ask_guardian(app)
    with app.test_request_context():
        user = db.session.get(User, minor)
        current = GuardianConsent.latest_for(user)
        if names == "no consent":
            payload = str(current.id)
            db.session.delete(current)
        else:
            payload = str(current.id + 1000)
        signed = tokens.issue(user, purpose, timedelta(hours=1), payload=payload)
        db.session.commit()
    path = "/guardian/consent/" if purpose == TokenPurpose.GUARDIAN_CONSENT else "/guardian/withdraw/"
    assert client.get(path + signed).status_code == 404
