"""What a person can do with their own account: change it, download everything held, delete it.

Services only flush; the view commits once per request.
"""
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from .. import mail, tokens
from ..accounts import sessions, two_step
from ..accounts.models import CityRole, User
from ..accounts.passwords import hash_password
from ..audit.models import AuditEvent
from ..audit.services import record
from ..cities.models import City
from ..extensions import db
from ..guardians.models import GuardianConsent
from ..timeutil import utcnow
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
        name for name, old, new in (("display_name", user.display_name, display_name), ("language", user.language, language))
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
    return db.session.execute(
        sa.select(sa.func.count(User.id)).where(sa.func.lower(User.email) == address.lower(), User.id != by_other_than.id)
    ).scalar_one() > 0


def request_email_change(user: User, new_email: str) -> str:
    """Issue a link that switches the account to `new_email` once opened; returns the link's token.

    Whether the address is taken is checked only when the link is used, by the person who received it,
    so this form never tells anyone which addresses have an account.
    """
    tokens.revoke_unused(user, TokenPurpose.CHANGE_EMAIL)
    token = tokens.issue(user, TokenPurpose.CHANGE_EMAIL, current_app.config["VERIFY_EMAIL_MAX_AGE"], payload=new_email)
    record("account.email_change_requested", actor=user)
    return token


def send_email_change_link(user: User, new_email: str, token: str) -> None:
    """Email the confirmation link to the new address, in the person's language."""
    mail.send(
        new_email,
        _l("Confirm your new email address"),
        "change_email",
        user.language,
        display_name=user.display_name,
        confirm_url=url_for("my_account.confirm_email", token=token, _external=True),
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


def _date(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def data_of(user: User) -> dict:
    """Everything held about this person, as one JSON-ready document (a fixed number of queries)."""
    home_city = db.session.scalar(sa.select(City.slug).where(City.id == user.home_city_id)) if user.home_city_id else None
    roles = db.session.execute(
        sa.select(CityRole.role, CityRole.granted_at, CityRole.revoked_at, City.slug)
        .join(City, City.id == CityRole.city_id)
        .where(CityRole.user_id == user.id)
        .order_by(CityRole.granted_at, CityRole.id)
    ).all()
    consents = db.session.scalars(
        sa.select(GuardianConsent).where(GuardianConsent.user_id == user.id).order_by(GuardianConsent.requested_at, GuardianConsent.id)
    ).all()
    links = db.session.scalars(
        sa.select(OneTimeToken).where(OneTimeToken.user_id == user.id).order_by(OneTimeToken.created_at)
    ).all()
    events = db.session.execute(
        sa.select(AuditEvent, City.slug)
        .outerjoin(City, City.id == AuditEvent.city_id)
        .where(sa.or_(AuditEvent.actor_id == user.id, AuditEvent.subject_id == user.id))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    return {
        "about": str(
            _l(
                "Everything Youth Portal holds about you. Your password is not in this file: we only keep a "
                "scrambled form of it that cannot be turned back into your password."
            )
        ),
        "downloaded_at": _date(utcnow()),
        "profile": {
            "account_id": user.id,
            "email": user.email,
            "email_verified_at": _date(user.email_verified_at),
            "display_name": user.display_name,
            "language": user.language,
            "home_city": home_city,
            "birth_year": user.birth_year,
            "birth_month": user.birth_month,
            "network_role": user.network_role.value if user.network_role else None,
            "terms_version": user.terms_version,
            "created_at": _date(user.created_at),
            "suspended_at": _date(user.suspended_at),
        },
        "city_roles": [
            {"city": slug, "role": role.value, "granted_at": _date(granted), "revoked_at": _date(revoked)}
            for role, granted, revoked, slug in roles
        ],
        "guardian_consent_requests": [
            {
                "guardian_email": consent.guardian_email,
                "language": consent.language,
                "status": consent.status.value,
                "text_version": consent.text_version,
                "requested_at": _date(consent.requested_at),
                "decided_at": _date(consent.decided_at),
                "withdrawn_at": _date(consent.withdrawn_at),
            }
            for consent in consents
        ],
        "links_sent_by_email": [
            {
                "purpose": link.purpose.value,
                "new_email": link.payload if link.purpose == TokenPurpose.CHANGE_EMAIL else None,
                "created_at": _date(link.created_at),
                "expires_at": _date(link.expires_at),
                "used_at": _date(link.used_at),
            }
            for link in links
        ],
        "activity_log": [_event_entry(user, event, slug) for event, slug in events],
    }


def _event_entry(user: User, event: AuditEvent, city_slug: str | None) -> dict:
    """One audit event; its details only when nobody else took part (they may be about that other person)."""
    only_this_person = event.actor_id in (None, user.id) and event.subject_id in (None, user.id)
    return {
        "action": event.action,
        "occurred_at": _date(event.occurred_at),
        "city": city_slug,
        "you_acted": event.actor_id == user.id,
        "about_you": event.subject_id == user.id,
        "detail": event.detail if only_this_person else None,
    }


def delete_account(user: User) -> None:
    """Erase the person's personal data; the row stays so their later content shows "deleted account"."""
    now = utcnow()
    db.session.execute(
        sa.update(CityRole)
        .where(CityRole.user_id == user.id, CityRole.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(sa.delete(GuardianConsent).where(GuardianConsent.user_id == user.id))
    db.session.execute(sa.delete(OneTimeToken).where(OneTimeToken.user_id == user.id))
    if user.email is not None:  # always, for an account signed in to delete itself
        mail.drop_queued_to(user.email)
    user.email = None
    user.email_verified_at = None
    user.password_hash = None
    user.display_name = None
    user.birth_year = None
    user.birth_month = None
    user.home_city = None
    user.network_role = None
    two_step.turn_off(user)
    user.deleted_at = now
    sessions.end_all_sessions(user)
    record("account.deleted", actor=user)
    db.session.flush()
