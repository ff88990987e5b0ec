"""What a browser's session must not carry in its cookie, which is signed but not encrypted (whoever holds the
cookie can read it): the authenticator key being set up, the addresses typed when registering. Such values are kept
here, in the database, under a random id that is all the cookie carries; they go when the session is replaced
(signing in or out) and at the latest KEPT_FOR after they were kept."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import session

from ..extensions import Model, db
from ..timeutil import utcnow

#: The name, in the cookie, of the random id of the session's private values.
COOKIE_KEY = "private_id"
#: How long a value is kept: long enough to finish what it is for (read the page after registering, scan a QR code).
KEPT_FOR = timedelta(hours=1)


class PrivateSessionValue(Model):
    """A value of one browser's session, kept on the server."""

    __tablename__ = "private_session_values"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: The SHA-256 of the random id in the cookie: a copy of this table gives no id a cookie could carry.
    session_hash: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(40))
    value: so.Mapped[Any] = so.mapped_column(sa.JSON)
    expires_at: so.Mapped[datetime] = so.mapped_column(index=True)


def keep(name: str, value: Any) -> None:
    """Keep a value of this browser's session on the server, in place of any of the same name (the caller commits)."""
    session_hash = _hash(session.setdefault(COOKIE_KEY, secrets.token_urlsafe(32)))
    now = utcnow()
    db.session.execute(
        sa.delete(PrivateSessionValue).where(
            (PrivateSessionValue.expires_at <= now)
            | ((PrivateSessionValue.session_hash == session_hash) & (PrivateSessionValue.name == name))
        )
    )
    db.session.add(PrivateSessionValue(session_hash=session_hash, name=name, value=value, expires_at=now + KEPT_FOR))
    db.session.flush()


def kept(name: str) -> Any | None:
    """A value this browser's session keeps on the server, or None."""
    if COOKIE_KEY not in session:
        return None
    return db.session.scalar(
        sa.select(PrivateSessionValue.value)
        .where(
            PrivateSessionValue.session_hash == _hash(session[COOKIE_KEY]),
            PrivateSessionValue.name == name,
            PrivateSessionValue.expires_at > utcnow(),
        )
        .order_by(PrivateSessionValue.id.desc())
        .limit(1)
    )


def forget_all() -> None:
    """Drop every value this browser's session keeps (the session is being replaced; the caller commits)."""
    if COOKIE_KEY in session:
        db.session.execute(
            sa.delete(PrivateSessionValue).where(PrivateSessionValue.session_hash == _hash(session.pop(COOKIE_KEY)))
        )


def _hash(private_id: str) -> str:
    return hashlib.sha256(private_id.encode()).hexdigest()
