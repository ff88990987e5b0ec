"""A guardian's consent (or refusal) for one young person, with the text version they saw."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..columns import enum_column
from ..extensions import Model, db
from ..timeutil import utcnow

if TYPE_CHECKING:  # accounts asks guardians for consent, so guardians never imports accounts
    from ..accounts.models import User

#: Version of the guardian information page. Bump it whenever its wording changes.
CONSENT_TEXT_VERSION = "2026-11"


class ConsentStatus(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class GuardianConsent(Model):
    """One request to a guardian. The latest request of a person decides whether they may take part."""

    __tablename__ = "guardian_consents"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    guardian_email: so.Mapped[str] = so.mapped_column(sa.String(254))
    #: The language the guardian reads the information page and emails in.
    language: so.Mapped[str] = so.mapped_column(sa.String(8))
    status: so.Mapped[ConsentStatus] = so.mapped_column(enum_column(ConsentStatus), default=ConsentStatus.PENDING)
    #: CONSENT_TEXT_VERSION shown to the guardian when they decided.
    text_version: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    requested_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    decided_at: so.Mapped[datetime | None]
    withdrawn_at: so.Mapped[datetime | None]

    user: so.Mapped["User"] = so.relationship("User")

    @staticmethod
    def latest_for(user: "User") -> "GuardianConsent | None":
        return db.session.scalar(
            sa.select(GuardianConsent)
            .where(GuardianConsent.user_id == user.id)
            .order_by(GuardianConsent.requested_at.desc(), GuardianConsent.id.desc())
            .limit(1)
        )
