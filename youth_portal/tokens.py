"""Links sent by email: signed, expiring and single use.

The link carries a signed token id (itsdangerous); the row behind it records purpose, expiry and use,
so a link works once and only for what it was made for.
"""

import enum
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.engine import CursorResult

from .columns import enum_column
from .extensions import Model, db
from .timeutil import utcnow

if TYPE_CHECKING:  # a link belongs to a person; tokens need no more of accounts than the users table
    from .accounts.models import User


class TokenPurpose(enum.StrEnum):
    VERIFY_EMAIL = "verify-email"
    CHANGE_EMAIL = "change-email"
    RESET_PASSWORD = "reset-password"
    GUARDIAN_CONSENT = "guardian-consent"
    GUARDIAN_WITHDRAW = "guardian-withdraw"
    ROLE_INVITATION = "role-invitation"


class OneTimeToken(Model):
    """The server-side half of a link sent by email: expiring, single use, bound to a purpose."""

    __tablename__ = "one_time_tokens"

    id: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True, default=lambda: secrets.token_urlsafe(32))
    purpose: so.Mapped[TokenPurpose] = so.mapped_column(enum_column(TokenPurpose))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: Purpose-specific value, e.g. the new address for an email change.
    payload: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    expires_at: so.Mapped[datetime]
    used_at: so.Mapped[datetime | None]

    user: so.Mapped["User"] = so.relationship("User")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="one-time-link")


def issue(user: "User", purpose: TokenPurpose, max_age: timedelta, payload: str | None = None) -> str:
    """Create a single-use token for this person and purpose, and return its signed form for a link."""
    token = OneTimeToken(user=user, purpose=purpose, payload=payload, expires_at=utcnow() + max_age)
    db.session.add(token)
    db.session.flush()
    return _serializer().dumps([token.id, purpose.value])


def find(signed: str, purpose: TokenPurpose) -> OneTimeToken | None:
    """The unused, unexpired token behind a link, without using it (for the page a GET shows)."""
    try:
        token_id, signed_purpose = _serializer().loads(signed)
    except (BadSignature, ValueError, TypeError):
        return None
    if signed_purpose != purpose.value:
        return None
    token = db.session.get(OneTimeToken, token_id)
    if token is None or token.purpose != purpose or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token


def redeem(signed: str, purpose: TokenPurpose) -> OneTimeToken | None:
    """Use the token behind a link; None if it is invalid, expired or already used (even concurrently)."""
    token = find(signed, purpose)
    if token is None:
        return None
    # An UPDATE gives a CursorResult, which Session.execute is not typed to say.
    used = cast(
        CursorResult,
        db.session.execute(
            sa.update(OneTimeToken)
            .where(OneTimeToken.id == token.id, OneTimeToken.used_at.is_(None))
            .values(used_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    if used.rowcount != 1:
        return None
    db.session.refresh(token)
    return token


def outstanding(user: "User", purpose: TokenPurpose) -> OneTimeToken | None:
    """The person's link of this purpose that still works, if any (the newest)."""
    return db.session.scalar(
        sa.select(OneTimeToken)
        .where(
            OneTimeToken.user_id == user.id,
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.expires_at > utcnow(),
        )
        .order_by(OneTimeToken.created_at.desc())
        .limit(1)
    )


def revoke_unused(user: "User", purpose: TokenPurpose) -> None:
    """Make every outstanding link of this purpose stop working (e.g. after a new one is sent)."""
    db.session.execute(
        sa.update(OneTimeToken)
        .where(OneTimeToken.user_id == user.id, OneTimeToken.purpose == purpose, OneTimeToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
