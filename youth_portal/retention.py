"""The retention command, `flask retention`, for a scheduler to run every day: it deletes, or unlinks from the
person, what is kept no longer than the privacy notice says. The notice (templates/pages/privacy.html) states these
periods and those of the features' jobs: change both together."""

from datetime import datetime, timedelta
from typing import cast

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from sqlalchemy.engine import CursorResult

from .accounts.models import User
from .audit import services as audit
from .extensions import db
from .features import account_events, retention_jobs
from .mail import QueuedEmail
from .my_account.services import delete_account
from .timeutil import utcnow
from .tokens import OneTimeToken

#: Sign-ins, changes to an account and a guardian's decisions stay in the audit log this long.
ACCOUNT_EVENTS_KEPT = timedelta(days=365)
#: An email the worker could not send within this time is dropped.
QUEUED_EMAILS_KEPT = timedelta(days=7)
#: An account whose email address was never confirmed is deleted this long after it was made.
UNCONFIRMED_ACCOUNTS_KEPT = timedelta(days=30)


def expired_links(now: datetime) -> int:
    """Delete the links sent by email once they expired (used or not)."""
    return _deleted(sa.delete(OneTimeToken).where(OneTimeToken.expires_at <= now))


def old_queued_emails(now: datetime) -> int:
    """Delete the emails still queued after QUEUED_EMAILS_KEPT."""
    return _deleted(sa.delete(QueuedEmail).where(QueuedEmail.queued_at < now - QUEUED_EMAILS_KEPT))


def old_account_events(now: datetime) -> int:
    """Delete everyone's own account events older than ACCOUNT_EVENTS_KEPT from the audit log."""
    return audit.delete_account_events(account_events(), before=now - ACCOUNT_EVENTS_KEPT)


def unconfirmed_accounts(now: datetime) -> int:
    """Delete the accounts whose address was never confirmed, UNCONFIRMED_ACCOUNTS_KEPT after they were made (with
    what they hold: a guardian's address asked for, a draft)."""
    abandoned = db.session.scalars(
        sa.select(User).where(
            User.email_verified_at.is_(None),
            User.deleted_at.is_(None),
            User.created_at < now - UNCONFIRMED_ACCOUNTS_KEPT,
        )
    ).all()
    for user in abandoned:
        delete_account(user)
    return len(abandoned)


def _deleted(statement: sa.Delete) -> int:
    # A DELETE gives a CursorResult, which Session.execute is not typed to say.
    return cast(CursorResult, db.session.execute(statement.execution_options(synchronize_session=False))).rowcount


def apply_retention(now: datetime) -> dict[str, int]:
    """Run every retention job at `now` (flushes): job name -> rows deleted or unlinked."""
    jobs = (expired_links, old_queued_emails, old_account_events, unconfirmed_accounts, *retention_jobs())
    return {job.__name__.replace("_", " "): job(now) for job in jobs}


@click.command("retention")
@with_appcontext
def retention_command() -> None:
    """Delete, or unlink from the person, what is past the retention the privacy notice states (run daily)."""
    done = apply_retention(utcnow())
    db.session.commit()
    for job, count in done.items():
        click.echo(f"{job}: {count}")
