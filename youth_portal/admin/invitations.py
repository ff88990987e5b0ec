"""Roles in a city by invitation: a city admin invites a person by email, and the role is given when that person
accepts it, signed in to their own account.

The page that invites says the same whatever the address (an account or none, an adult or not, of this city or
another), and the city's audit log shows the same "invited" line: it tells nobody who has an account. Only an
adult (18 or over) with a confirmed, active account gets the email. Accepting checks again that the person is an
adult and that whoever invited them is still an admin of the city.

A person of another city may accept: staff often live in a neighbouring town, their home city is only where they
take part as young people, and the role reaches this city's staff pages and nothing of their own city. What stops a
role being pressed on someone is their own decision, made signed in, after reading what the role lets them do.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, gettext as _

from .. import mail, tokens
from ..accounts.models import CityRoleName, User
from ..audit.models import AuditEvent
from ..audit.services import record
from ..cities.models import City
from ..extensions import db
from ..permissions import Capability, city_capabilities
from ..public_address import public_url_for
from ..timeutil import utcnow
from ..tokens import TokenPurpose
from .services import find_account, grant_role, is_adult

#: How long an invitation link works.
INVITATION_MAX_AGE = timedelta(days=7)


def invite(city: City, email: str, role: CityRoleName, by: User) -> None:
    """Email the account with this address an invitation to `role` in `city`, if it may hold one; say nothing of which.

    The city's audit log records the invitation alike in every case; why one was not sent (no such account, not
    confirmed, suspended, under 18, already holding a role here) is recorded apart from the city, for network admins
    looking into misuse."""
    invited = record("role.invited", actor=by, city=city, role=role.value)
    db.session.flush()
    person = find_account(email)
    reason = _why_not_invited(person, city, utcnow().date())
    if reason is not None or person is None:
        # Written without an actor (record() would name the admin), so that not even the admin's own data download
        # tells which addresses have accounts; `invitation` leads network admins to who invited.
        detail = {"invitation": invited.id, "reason": reason, "in_city": city.slug}
        db.session.add(
            AuditEvent(action="role.invitation_refused", subject_id=person.id if person else None, detail=detail)
        )
        return
    signed = tokens.issue(person, TokenPurpose.ROLE_INVITATION, INVITATION_MAX_AGE, f"{city.id}:{role.value}:{by.id}")
    assert person.email is not None  # find_account finds no deleted account
    with force_locale(person.language):
        subject = _("An invitation to a role in %(city)s", city=city.name)
        role_name = role.label
    try:
        mail.send(
            person.email,
            subject,
            "role_invitation",
            person.language,
            display_name=person.display_name,
            city=city.name,
            role=role_name,
            inviter=by.public_name,
            link=public_url_for("role_invitations.page", token=signed),
            valid_for=INVITATION_MAX_AGE,
        )
    except mail.MailServerDown:  # the page must not differ from one for an address that got no invitation
        current_app.logger.warning("The invitation of audit event %s could not be emailed", invited.id)


def _why_not_invited(person: User | None, city: City, today: date) -> str | None:
    if person is None:
        return "no-account"
    if person.email_verified_at is None:
        return "unconfirmed"
    if not person.is_active:
        return "suspended"
    if not is_adult(person, today):
        return "under-18"
    if person.active_role_in(city) is not None:
        return "holds-a-role"
    return None


@dataclass(frozen=True)
class Invitation:
    """What an invitation link offers: a role in a city, from an admin of that city."""

    city: City
    role: CityRoleName
    invited_by: User


class InvitationLapsed(ValueError):
    """The invitation cannot be accepted any more; the person reads one reason for every case."""


def invitation_of(token: tokens.OneTimeToken) -> Invitation | None:
    """The invitation behind a link's token, or None if what it names is gone."""
    try:
        city_id, role, inviter_id = (token.payload or "").split(":")
        city, inviter = db.session.get(City, int(city_id)), db.session.get(User, int(inviter_id))
        return Invitation(city, CityRoleName(role), inviter) if city and inviter else None
    except ValueError:
        return None


def accept(invitation: Invitation, person: User) -> None:
    """Give the role to the person who accepted (raises InvitationLapsed if it may no longer be given)."""
    inviter, city = invitation.invited_by, invitation.city
    still_admin = inviter.is_active and Capability.MANAGE_ROLES in city_capabilities(inviter.active_role_in(city))
    reason = _why_not_invited(person, city, utcnow().date()) or (None if still_admin else "inviter-not-admin")
    if reason is not None:
        record("role.invitation_refused", actor=person, city=None, reason=reason, in_city=city.slug)
        raise InvitationLapsed(reason)
    grant_role(city, person, invitation.role, by=inviter)
    record("role.invitation_accepted", actor=person, city=city, role=invitation.role.value)


def decline(invitation: Invitation, person: User) -> None:
    """The person says no: recorded for them and network admins, not in the city's log (which would name them)."""
    record(
        "role.invitation_declined", actor=person, city=None, role=invitation.role.value, in_city=invitation.city.slug
    )
