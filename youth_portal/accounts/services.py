"""What happens to accounts: registration, verification, sign-in checks, password reset, suspension.

Services only flush; the view that calls them commits once.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import mail, tokens
from ..audit.services import record
from ..cities.models import City
from ..extensions import db
from ..guardians import services as guardians
from ..pages.terms import TERMS_VERSION
from ..public_address import public_url_for
from ..timeutil import utcnow
from ..tokens import TokenPurpose
from .models import User
from .passwords import hash_password, needs_rehash, verify_password
from .sessions import end_all_sessions


def find_by_email(email: str) -> User | None:
    """The account registered with this address (compared lower-cased); deleted accounts have none."""
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def register(
    *,
    email: str,
    password: str,
    display_name: str,
    home_city: City,
    birth_year: int,
    birth_month: int,
    language: str,
    guardian_email: str | None = None,
    guardian_language: str | None = None,
    return_to: str | None = None,
) -> User:
    """Create a young person's unverified account, email them a link (back to `return_to`, a page of this site, once
    confirmed) and, below the age of consent, ask a guardian."""
    user = User(
        email=email,
        password_hash=hash_password(password),
        display_name=display_name,
        home_city=home_city,
        birth_year=birth_year,
        birth_month=birth_month,
        language=language,
        terms_version=TERMS_VERSION,
    )
    db.session.add(user)
    db.session.flush()
    record("account.registered", actor=user, city=home_city)
    send_verification(user, return_to=return_to)
    if user.needs_guardian_consent():
        assert guardian_email is not None  # the registration form asks for it below the age of consent
        guardians.request_consent(user, guardian_email, guardian_language or language)
    return user


def tell_account_exists(user: User, password: str) -> None:
    """Someone tried to register with the address of an existing account: its owner learns it by email, with the
    ways in, and the page says what it says to anyone who registers, so nobody learns who has an account. The
    password is hashed all the same: the time the page takes tells nothing either."""
    hash_password(password)
    assert user.email is not None  # the account was found by its address
    mail.send(
        user.email,
        _l("You already have a Youth Portal account"),
        "account_exists",
        user.language,
        display_name=user.display_name,
        sign_in=public_url_for("accounts.login"),
        forgot_password=public_url_for("accounts.forgot_password"),
    )


def tell_sign_in_paused(user: User, paused_for: int) -> None:
    """Tell the owner that signing in to their account is paused after many wrong passwords (once a pause), with what
    they can do: wait, sign in from a browser they used before, or choose a new password."""
    assert user.email is not None  # the account was found by its address
    mail.send(
        user.email,
        _l("Signing in to your Youth Portal account is paused"),
        "sign_in_paused",
        user.language,
        display_name=user.display_name,
        paused_for=timedelta(seconds=paused_for),
        forgot_password=public_url_for("accounts.forgot_password"),
    )
    record("auth.login.paused", actor=user, seconds=paused_for)


def send_verification(user: User, return_to: str | None = None) -> None:
    """Email the person a new link to confirm their address (earlier links stop working); the page to go back to
    once confirmed is kept with the link on the server, so the link is no longer and no different."""
    _send_link(
        user,
        TokenPurpose.VERIFY_EMAIL,
        current_app.config["VERIFY_EMAIL_MAX_AGE"],
        _l("Confirm your email address for Youth Portal"),
        "verify_email",
        "accounts.verify_email",
        payload=return_to,
    )


def _send_link(
    user: User, purpose: TokenPurpose, max_age, subject, template: str, endpoint: str, payload: str | None = None
) -> None:
    """Email the person a new single-use link to `endpoint`, valid for `max_age`; earlier unused ones stop working."""
    tokens.revoke_unused(user, purpose)
    signed = tokens.issue(user, purpose, max_age, payload=payload)
    assert user.email is not None  # links go to accounts that have an address (not deleted ones)
    mail.send(
        user.email,
        subject,
        template,
        user.language,
        display_name=user.display_name,
        link=public_url_for(endpoint, token=signed),
        valid_for=max_age,
    )


def mark_email_verified(user: User) -> None:
    """The person proved the address is theirs; other confirmation links stop working."""
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        record("account.email_verified", actor=user)
    tokens.revoke_unused(user, TokenPurpose.VERIFY_EMAIL)


def login_problem(user: User | None, password: str) -> str | None:
    """Why these credentials do not open an account (for the audit log), or None; rehashes an outdated hash."""
    if not verify_password(user.password_hash if user else None, password):
        return "unknown-account" if user is None else "wrong-password"
    assert user is not None and user.password_hash is not None  # a password matched the account's hash
    if user.deleted_at is not None:
        return "deleted"
    if user.suspended_at is not None:
        return "suspended"
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return None


def send_password_reset(email: str, language: str) -> None:
    """Answer a request for a new password by email to the typed address: a single-use link when an account that can
    sign in uses it (earlier links stop working), otherwise (in the page's `language`) that no such account does. One
    email either way, composed and sent the same way, and one audit event: the page takes as long whether or not the
    account exists, so its time tells nobody (only the link's own token is extra work, two statements)."""
    user = find_by_email(email)
    if user is not None and user.is_active:
        _send_link(
            user,
            TokenPurpose.RESET_PASSWORD,
            current_app.config["PASSWORD_RESET_MAX_AGE"],
            _l("Choose a new password for Youth Portal"),
            "reset_password",
            "accounts.reset_password",
        )
    else:
        mail.send(
            email.strip().lower(),
            _l("A new password for Youth Portal"),
            "no_password_reset",
            language,
            register=public_url_for("accounts.register"),
            forgot_password=public_url_for("accounts.forgot_password"),
        )
    record("auth.password_reset.requested", actor=user)


def reset_password(user: User, password: str) -> None:
    """Set the new password and end every session of this person, on every device."""
    user.password_hash = hash_password(password)
    end_all_sessions(user)
    tokens.revoke_unused(user, TokenPurpose.RESET_PASSWORD)
    record("auth.password_reset", actor=user)


def suspend(user: User, by: User, reason: str) -> None:
    """Suspend an account: the person is signed out everywhere at their next request and cannot sign in."""
    user.suspended_at = utcnow()
    end_all_sessions(user)
    record("account.suspended", actor=by, subject=user, city=user.home_city, reason=reason)
