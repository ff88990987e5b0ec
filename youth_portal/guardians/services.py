"""Guardian consent: asking a guardian, recording their decision, and its withdrawal.

Each step emails the people concerned in their own language and writes an audit event. Services only
flush; the request that calls them commits.
"""

from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import mail, tokens
from ..audit.services import record
from ..extensions import db
from ..features import all_features
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..public_address import public_url_for
from ..timeutil import utcnow
from ..tokens import TokenPurpose
from .models import CONSENT_TEXT_VERSION, ConsentStatus, GuardianConsent

if TYPE_CHECKING:  # accounts asks guardians for consent, so guardians never imports accounts
    from ..accounts.models import User

#: How long the withdrawal link in the guardian's confirmation email keeps working.
WITHDRAW_LINK_MAX_AGE = timedelta(days=5 * 365)


class SameEmailError(ValueError):
    """The guardian's email is the young person's own: a child cannot consent for themselves."""


class SubjectsOwnSession(PermissionError):
    """A guardian's decision sent while the young person is signed in on this browser: a child cannot decide for
    themselves, so the link is not used and nothing changes."""


#: Providers that deliver name.surname@ and namesurname@ to the same mailbox (dots in the name are ignored), and
#: the domain each one's addresses come to.
DOTS_IGNORED = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox(address: str) -> str:
    """The mailbox an address reaches: lower-cased, without a "+tag", and without dots where the provider ignores
    them (kid+mum@gmail.com and K.I.D@googlemail.com both reach kid@gmail.com)."""
    local, _at, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in DOTS_IGNORED:
        local, domain = local.replace(".", ""), DOTS_IGNORED[domain]
    return f"{local}@{domain}"


def same_mailbox(email: str | None, guardian_email: str | None) -> bool:
    """True when the guardian email reaches the young person's own mailbox: a child cannot consent for themselves."""
    return bool(email and guardian_email) and mailbox(email or "") == mailbox(guardian_email or "")


def same_person_email(user: "User", guardian_email: str) -> bool:
    """True when the guardian email reaches the person's own mailbox (`mailbox`)."""
    return same_mailbox(user.email, guardian_email)


def request_consent(user: "User", guardian_email: str, language: str) -> GuardianConsent:
    """Ask the guardian to consent: a new pending request, a fresh link (older ones stop working), an email."""
    if same_person_email(user, guardian_email):
        raise SameEmailError("The guardian's email must differ from the young person's own.")
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    consent = GuardianConsent(user=user, guardian_email=guardian_email.strip(), language=language)
    db.session.add(consent)
    db.session.flush()
    tokens.revoke_unused(user, TokenPurpose.GUARDIAN_CONSENT)
    max_age = current_app.config["GUARDIAN_CONSENT_MAX_AGE"]
    signed = tokens.issue(user, TokenPurpose.GUARDIAN_CONSENT, max_age, payload=str(consent.id))
    mail.send(
        consent.guardian_email,
        _l("%(name)s asks for your consent to use Youth Portal", name=user.display_name),
        "guardian_request",
        language,
        user=user,
        link=public_url_for("guardians.consent_page", token=signed),
        days=max_age.days,
    )
    record("guardian.consent_requested", subject=user, city=user.home_city, language=language)
    _tell_who_refused(user, consent)
    return consent


def _refusals_of(user: "User") -> list[GuardianConsent]:
    """The person's requests that a guardian declined or withdrew, latest first, one per mailbox."""
    refused = db.session.scalars(
        sa.select(GuardianConsent)
        .where(
            GuardianConsent.user_id == user.id,
            GuardianConsent.status.in_([ConsentStatus.DECLINED, ConsentStatus.WITHDRAWN]),
        )
        .order_by(GuardianConsent.requested_at.desc(), GuardianConsent.id.desc())
    ).all()
    latest_by_mailbox: dict[str, GuardianConsent] = {}
    for consent in refused:
        latest_by_mailbox.setdefault(mailbox(consent.guardian_email), consent)
    return list(latest_by_mailbox.values())


def _tell_who_refused(user: "User", request: GuardianConsent) -> None:
    """After a guardian said no (or withdrew), a request to another address is told to them, in their language: a
    child cannot get round a refusal by asking an address of their own in silence. The new address is not told."""
    for refusal in _refusals_of(user):
        if mailbox(refusal.guardian_email) == mailbox(request.guardian_email):
            continue  # they receive the new request itself
        mail.send(
            refusal.guardian_email,
            _l("%(name)s asked someone else for consent on Youth Portal", name=user.display_name),
            "guardian_asked_after_refusal",
            refusal.language,
            user=user,
            refusal=refusal,
        )


def pending_consent_for_link(signed: str) -> GuardianConsent | None:
    """The pending request behind a consent link, without using the link (for the page a GET shows)."""
    token = tokens.find(signed, TokenPurpose.GUARDIAN_CONSENT)
    return _pending_consent_of(token)


def _pending_consent_of(token) -> GuardianConsent | None:
    if token is None or token.user.deleted_at is not None:
        return None
    consent = GuardianConsent.latest_for(token.user)
    if consent is None or consent.status != ConsentStatus.PENDING or str(consent.id) != token.payload:
        return None
    return consent


def is_subjects_own_session(user: "User") -> bool:
    """True when the person a consent is about is the one signed in on this browser."""
    return current_user.is_authenticated and current_user.id == user.id


def _refuse_subjects_own_session(consent: GuardianConsent | None, action: str) -> None:
    """Raise SubjectsOwnSession, with an event for the network's log, when the young person tries to decide."""
    if consent is not None and is_subjects_own_session(consent.user):
        record("guardian.own_session_refused", actor=consent.user, city=consent.user.home_city, tried=action)
        raise SubjectsOwnSession(consent.user_id)


def decide(signed: str, granted: bool) -> GuardianConsent | None:
    """Record the guardian's decision (once per link) and tell the young person; None if the link is not valid.
    Raises SubjectsOwnSession, leaving the link unused, when the young person is signed in on this browser (the
    caller commits the event that records the attempt)."""
    _refuse_subjects_own_session(pending_consent_for_link(signed), "agree" if granted else "decline")
    consent = _pending_consent_of(tokens.redeem(signed, TokenPurpose.GUARDIAN_CONSENT))
    if consent is None:
        return None
    user = consent.user
    consent.status = ConsentStatus.GRANTED if granted else ConsentStatus.DECLINED
    consent.decided_at = utcnow()
    consent.text_version = CONSENT_TEXT_VERSION
    _record_guardian_event(
        "guardian.consented" if granted else "guardian.declined", user, text_version=CONSENT_TEXT_VERSION
    )
    db.session.flush()
    _tell_young_person(
        user,
        "guardian_consented" if granted else "guardian_declined",
        _l("Your guardian said yes") if granted else _l("Your guardian said no"),
    )
    if granted:
        withdraw = tokens.issue(user, TokenPurpose.GUARDIAN_WITHDRAW, WITHDRAW_LINK_MAX_AGE, payload=str(consent.id))
        mail.send(
            consent.guardian_email,
            _l("You gave consent for %(name)s on Youth Portal", name=user.display_name),
            "guardian_confirmation",
            consent.language,
            user=user,
            consent=consent,
            link=public_url_for("guardians.withdraw_page", token=withdraw),
        )
    return consent


def granted_consent_for_link(signed: str) -> GuardianConsent | None:
    """The consent a withdrawal link can still withdraw, without using the link."""
    return _granted_consent_of(tokens.find(signed, TokenPurpose.GUARDIAN_WITHDRAW))


def _granted_consent_of(token) -> GuardianConsent | None:
    if token is None or token.user.deleted_at is not None:
        return None
    consent = GuardianConsent.latest_for(token.user)
    if consent is None or consent.status != ConsentStatus.GRANTED or str(consent.id) != token.payload:
        return None
    return consent


def withdraw(signed: str) -> GuardianConsent | None:
    """Withdraw a guardian's consent: participation stops, each feature stops using what the young person gave under
    it (features.py), and the young person is told; None if the link is not valid. Raises SubjectsOwnSession, leaving
    the link unused, when the young person is signed in on this browser."""
    _refuse_subjects_own_session(granted_consent_for_link(signed), "withdraw")
    consent = _granted_consent_of(tokens.redeem(signed, TokenPurpose.GUARDIAN_WITHDRAW))
    if consent is None:
        return None
    user = consent.user
    consent.status = ConsentStatus.WITHDRAWN
    consent.withdrawn_at = utcnow()
    for feature in all_features():
        if feature.withdraw_personal_data is not None:
            feature.withdraw_personal_data(user)
    _record_guardian_event("guardian.withdrawn", user)
    db.session.flush()
    _tell_young_person(user, "guardian_withdrawn", _l("Your guardian withdrew their consent"))
    return consent


def _record_guardian_event(action: str, user: "User", **detail) -> None:
    """An event with no actor (a guardian has no account; the young person's own session is refused before)."""
    event = record(action, subject=user, city=user.home_city, **detail)
    event.actor_id = None  # record() would otherwise name whoever is signed in on this browser


def _tell_young_person(user: "User", template: str, subject) -> None:
    """Email the young person, in their language, what their guardian decided and what it means."""
    if user.email:
        mail.send(
            user.email,
            subject,
            template,
            user.language,
            user=user,
            account_link=public_url_for("guardians.request_page"),
        )
