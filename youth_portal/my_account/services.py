"""What a person can do with their own account: change it, download everything held, delete it.

Services only flush; the view commits once per request.
"""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import mail, tokens
from ..accounts import sessions
from ..accounts.models import CityRole, User
from ..accounts.passwords import hash_password
from ..audit.services import record
from ..extensions import db
from ..features import all_features
from ..public_address import public_url_for
from ..timeutil import iso_utc, utcnow
from ..tokens import OneTimeToken, TokenPurpose


class EmailAddressTaken(Exception):
    """The new address belongs to another account by now."""


def roles_of(user: User) -> list[CityRole]:
    """This person's city roles, current and past, newest first, with their cities (one query)."""
    return list(
        db.session.scalars(
            sa.select(CityRole)
            .where(CityRole.user_id == user.id)
            .options(so.joinedload(CityRole.city))
            .order_by(CityRole.granted_at.desc(), CityRole.id.desc())
        )
    )


def update_profile(user: User, display_name: str, language: str) -> None:
    """Save the person's display name and language."""
    changed = sorted(
        name
        for name, old, new in (("display_name", user.display_name, display_name), ("language", user.language, language))
        if old != new
    )
    user.display_name = display_name
    user.language = language
    record("account.profile_changed", actor=user, changed=changed)
    db.session.flush()


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every session of this person; the caller starts a fresh one here."""
    user.password_hash = hash_password(new_password)
    tokens.revoke_unused(user, TokenPurpose.RESET_PASSWORD)
    sessions.end_all_sessions(user)
    record("account.password_changed", actor=user)
    db.session.flush()


def email_in_use(address: str, by_other_than: User) -> bool:
    """True if another account already uses this address (compared without case)."""
    return (
        db.session.execute(
            sa.select(sa.func.count(User.id)).where(
                sa.func.lower(User.email) == address.lower(), User.id != by_other_than.id
            )
        ).scalar_one()
        > 0
    )


def request_email_change(user: User, new_email: str) -> str:
    """Issue a link that switches the account to `new_email` once opened; returns the link's token.

    Whether the address is taken is checked only when the link is used, by the person who received it,
    so this form never tells anyone which addresses have an account.
    """
    tokens.revoke_unused(user, TokenPurpose.CHANGE_EMAIL)
    token = tokens.issue(user, TokenPurpose.CHANGE_EMAIL, current_app.config["VERIFY_EMAIL_MAX_AGE"], payload=new_email)
    record("account.email_change_requested", actor=user)
    return token


def new_email_waiting(user: User) -> str | None:
    """The address the person asked to change to, while its link still works (shown on their account page, never
    carried in the session cookie)."""
    link = tokens.outstanding(user, TokenPurpose.CHANGE_EMAIL)
    return link.payload if link is not None else None


def send_email_change_link(user: User, new_email: str, token: str) -> None:
    """Email the confirmation link to the new address, in the person's language."""
    mail.send(
        new_email,
        _l("Confirm your new email address"),
        "change_email",
        user.language,
        display_name=user.display_name,
        confirm_url=public_url_for("my_account.confirm_email", token=token),
        hours=int(current_app.config["VERIFY_EMAIL_MAX_AGE"].total_seconds() // 3600),
    )


def confirm_email_change(user: User, token: OneTimeToken, signed: str) -> str:
    """Switch the account to the address in the redeemed link; returns the old address.

    Raises EmailAddressTaken (and uses nothing) if another account took the address meanwhile.
    """
    new_email = token.payload or ""
    if email_in_use(new_email, by_other_than=user):
        raise EmailAddressTaken(new_email)
    if tokens.redeem(signed, TokenPurpose.CHANGE_EMAIL) is None:
        raise LookupError("link already used")
    old_email = user.email or ""
    user.email = new_email
    user.email_verified_at = utcnow()
    tokens.revoke_unused(user, TokenPurpose.CHANGE_EMAIL)
    record("account.email_changed", actor=user)
    db.session.flush()
    return old_email


def send_email_changed_notice(user: User, old_email: str, when: datetime) -> None:
    """Tell the old address that the account now uses another one (in case it was not them)."""
    mail.send(
        old_email,
        _l("The email address of your Youth Portal account was changed"),
        "email_changed",
        user.language,
        display_name=user.display_name,
        when=when,
    )


def data_of(user: User) -> dict:
    """Everything held about this person, as one JSON-ready document: each feature's part, in the order of the
    features (a fixed number of queries)."""
    document: dict[str, object] = {
        "about": str(
            _l(
                "Everything Youth Portal holds about you. Your password is not in this file: we only keep a "
                "scrambled form of it that cannot be turned back into your password."
            )
        ),
        "downloaded_at": iso_utc(utcnow()),
    }
    for feature in all_features():
        if feature.export_personal_data is not None:
            document.update(feature.export_personal_data(user))
    return document


def delete_account(user: User) -> None:
    """Erase the person's personal data, each feature its own (the audit log's events, this one included, are
    unlinked from them); the emptied row stays so that what they did shows "deleted account"."""
    record("account.deleted", actor=user)
    db.session.flush()
    for feature in all_features():
        if feature.erase_personal_data is not None:
            feature.erase_personal_data(user)
    user.deleted_at = utcnow()
    db.session.flush()
