"""Emails a request leaves to the worker (MAIL_WORKER): kept in the database with what they tell of, then sent.

A request that queues an email adds it to its own transaction, so the email goes if and only if what it tells of is
saved, and the request never waits for the mail server. The worker (`flask send-emails`) sends the queue in order,
in batches over one SMTP connection, and deletes each email once it is sent: nothing is kept after, and deleting an
account drops what is queued for it. Run one worker.
"""
import smtplib
from datetime import datetime
from email import message_from_bytes
from email.message import Message
from email.policy import compat32, default as default_policy

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app

from . import mail
from .extensions import db
from .timeutil import utcnow

#: Emails sent over one SMTP connection, between two commits of which were sent.
BATCH = 50


class QueuedEmail(db.Model):
    """An email composed by a request, waiting for the worker; deleted once sent."""

    __tablename__ = "queued_emails"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    recipient: so.Mapped[str] = so.mapped_column(sa.String(254))  # to drop what is queued for a deleted account
    message: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
    queued_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    def composed(self) -> Message:
        return message_from_bytes(self.message, policy=default_policy)


def queue(message: Message) -> None:
    """Add a composed email to the queue in the current transaction: it is sent once the caller commits."""
    policy = message.policy if message.policy is compat32 else message.policy.clone(utf8=True)
    db.session.add(QueuedEmail(recipient=str(message["To"]), message=message.as_bytes(policy=policy)))


def drop_queued_to(address: str) -> None:
    """Forget the emails queued for an address (its account is being deleted): none of them is sent."""
    db.session.execute(sa.delete(QueuedEmail).where(QueuedEmail.recipient == address))


def send_queued() -> int:
    """Send every queued email, oldest first, and return how many went. An address the mail server refuses is
    dropped; any other failure stops the run (raised) after saving which were sent, so none goes twice."""
    sent = 0
    while batch := db.session.scalars(sa.select(QueuedEmail).order_by(QueuedEmail.id).limit(BATCH)).all():
        try:
            with mail.delivery() as send_message:
                for email in batch:
                    try:
                        send_message(email.composed())
                        sent += 1
                    except smtplib.SMTPRecipientsRefused:
                        current_app.logger.warning("The mail server refused the address of queued email %s", email.id)
                    db.session.delete(email)
        finally:
            db.session.commit()
    return sent
