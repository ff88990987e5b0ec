"""A person's account in their data download, and its erasure when they delete their account.

The account's row stays, emptied, so that what the person sent (answers, the audit log) shows "deleted account".
"""

import sqlalchemy as sa

from .. import mail
from ..cities.models import City
from ..extensions import db
from ..timeutil import iso_utc
from ..tokens import OneTimeToken, TokenPurpose
from . import sessions, two_step
from .models import User


def export(user: User) -> dict:
    """The person's profile and the links emailed to them (two queries)."""
    home_city = (
        db.session.scalar(sa.select(City.slug).where(City.id == user.home_city_id)) if user.home_city_id else None
    )
    links = db.session.scalars(
        sa.select(OneTimeToken).where(OneTimeToken.user_id == user.id).order_by(OneTimeToken.created_at)
    ).all()
    return {
        "profile": {
            "account_id": user.id,
            "email": user.email,
            "email_verified_at": iso_utc(user.email_verified_at),
            "display_name": user.display_name,
            "language": user.language,
            "home_city": home_city,
            "birth_year": user.birth_year,
            "birth_month": user.birth_month,
            "network_role": user.network_role.value if user.network_role else None,
            "terms_version": user.terms_version,
            "created_at": iso_utc(user.created_at),
            "suspended_at": iso_utc(user.suspended_at),
        },
        "links_sent_by_email": [
            {
                "purpose": link.purpose.value,
                "new_email": link.payload if link.purpose == TokenPurpose.CHANGE_EMAIL else None,
                "created_at": iso_utc(link.created_at),
                "expires_at": iso_utc(link.expires_at),
                "used_at": iso_utc(link.used_at),
            }
            for link in links
        ],
    }


def erase(user: User) -> None:
    """Empty the account: address, password, name, birth date, home city, network role, two-step key, the links
    and queued emails; and end every session."""
    db.session.execute(sa.delete(OneTimeToken).where(OneTimeToken.user_id == user.id))
    if user.email:
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
    sessions.end_all_sessions(user)
