"""The requests sent to a person's parent or guardian, in the person's data download; erased with the account."""

from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..extensions import db
from ..timeutil import iso_utc
from .models import GuardianConsent

if TYPE_CHECKING:  # accounts asks guardians for consent, so guardians never imports accounts
    from ..accounts.models import User


def export(user: "User") -> dict:
    """Every consent request about the person, oldest first, with the guardian's decision (one query)."""
    consents = db.session.scalars(
        sa.select(GuardianConsent)
        .where(GuardianConsent.user_id == user.id)
        .order_by(GuardianConsent.requested_at, GuardianConsent.id)
    ).all()
    return {
        "guardian_consent_requests": [
            {
                "guardian_email": consent.guardian_email,
                "language": consent.language,
                "status": consent.status.value,
                "text_version": consent.text_version,
                "requested_at": iso_utc(consent.requested_at),
                "decided_at": iso_utc(consent.decided_at),
                "withdrawn_at": iso_utc(consent.withdrawn_at),
            }
            for consent in consents
        ],
    }


def erase(user: "User") -> None:
    """Delete the consent requests, and with them the guardian's address and decision."""
    db.session.execute(sa.delete(GuardianConsent).where(GuardianConsent.user_id == user.id))
