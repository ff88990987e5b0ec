"""Email in the recipient's language, plain text and HTML: SMTP when configured, else .eml files; with MAIL_WORKER,
queued in the database and sent by the worker (`flask send-emails`, mail_worker.py).

Each kind of email (its template) goes to one address at most MAIL_PER_RECIPIENT_PER_HOUR times an hour, however
often a page asks (ten registrations with someone's address must not send them ten emails): the others are dropped,
counted where the rate limits are (RATELIMIT_STORAGE_URI). Kind by kind, so that a stranger filling one kind's quota
(e.g. "you already have an account") cannot stop another (a password reset the owner asks for). Answer receipts (to
the signed-in person, for their own answers) and the updates to a consultation's respondents (one per respondent
and update, sent by staff) are not capped: only their own action, or audited staff actions, send them.

A page that queues an email adds it to its own transaction, so the email goes if and only if what it tells of is
saved, and the page never waits for the mail server. The worker sends the queue in order, in batches over one SMTP
connection, and deletes each email once it is sent: nothing is kept after, and deleting an account drops what is
queued for it.

Messages are built with the email.mime classes and their compat32 policy: the default policy's header registry
parses and refolds every header, which made an email cost a few milliseconds of CPU. Addresses outside ASCII
(RFC 6532) still get the default policy, which smtplib needs to send them with SMTPUTF8.
"""

import hashlib
import smtplib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from email import message_from_bytes
from email.charset import BASE64, QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import EmailPolicy, compat32, default as default_policy
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, render_template
from flask_babel import force_locale, gettext as _
from limits import parse
from werkzeug.exceptions import ServiceUnavailable

from .extensions import Model, db, limiter
from .timeutil import utcnow

#: UTF-8 bodies as quoted-printable (7-bit safe for any SMTP server, mostly readable in an .eml file); UTF-8
#: headers in base64, as the email package measures quoted-printable headers byte by byte, once for every word.
UTF8 = Charset("utf-8")
UTF8.header_encoding, UTF8.body_encoding = BASE64, QP

#: What the mail server says of one address it will not take, which the next email need not wait for: a mailbox it
#: refuses, or an address outside ASCII when it does not offer SMTPUTF8 (RFC 6531).
UNDELIVERABLE = (smtplib.SMTPRecipientsRefused, smtplib.SMTPNotSupportedError)

#: Queued emails sent over one SMTP connection, between two commits of which were sent.
QUEUE_BATCH = 50


class MailServerDown(ServiceUnavailable):
    """An email a page sends itself (no MAIL_WORKER) could not go. Raised before the page commits, so nothing it
    did is saved: the person is told so, with 503, and tries again later (errors.py)."""


def send(to: str, subject, template: str, language: str, **context) -> Message | None:
    """Render templates/emails/<template>.txt and .html in `language` and send them to `to`: now, or with MAIL_WORKER
    queued in the current transaction (sent by the worker once the caller commits). Callers send before they commit:
    when sending now fails, MailServerDown leaves their changes unsaved. None when `to` already had this kind of email
    MAIL_PER_RECIPIENT_PER_HOUR times this hour: it is composed all the same (a page takes as long either way)."""
    message = compose(to, subject, template, language, **context)
    if not within_cap(to, template):
        current_app.logger.warning("An email (%s) was not sent: its recipient had enough of them this hour", template)
        return None
    if current_app.config["MAIL_WORKER"]:
        queue(message)
        return message
    try:
        deliver(message)
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.exception("Could not send an email (%s); the page's changes are not saved", template)
        raise MailServerDown() from error
    return message


def within_cap(to: str, kind: str) -> bool:
    """Count one more email of `kind` to `to` this hour; False once it is over MAIL_PER_RECIPIENT_PER_HOUR (the
    address is hashed: the counts never hold it). Uncapped when rate limits are off (RATELIMIT_ENABLED)."""
    if not limiter.enabled:
        return True
    cap = parse(f"{current_app.config['MAIL_PER_RECIPIENT_PER_HOUR']}/hour")
    recipient = hashlib.sha256(to.strip().lower().encode()).hexdigest()[:32]
    return limiter.limiter.hit(cap, "email", kind, recipient)


def compose(to: str, subject, template: str, language: str, **context) -> Message:
    """The email of templates/emails/<template>.txt and .html in `language` to `to`, ready for `deliver`."""
    sender_address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    ascii_addresses = f"{sender_address}{to}".isascii()
    with force_locale(language):
        sender_name = _("Youth Portal")
        # In the recipient's language (a lazy text is read here), on one line: a subject carries texts people wrote
        # (a title), and a line break in a header would end it there.
        subject = " ".join(str(subject).split())
        # "=_" never occurs in quoted-printable or base64 text: the generator need not search the parts for it.
        message = MIMEMultipart(
            "alternative", boundary=f"=_{uuid.uuid4().hex}", policy=compat32 if ascii_addresses else default_policy
        )
        # typeshed takes MIME messages' header values to be str; compat32 messages take an encoded Header too.
        message["Subject"] = Header(subject, UTF8) if ascii_addresses else subject  # type: ignore[assignment]
        message["From"] = formataddr((sender_name, sender_address))  # the name in the recipient's language
        message["To"] = to
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="youth-portal.invalid")
        message["Content-Language"] = language
        message.attach(_part(render_template(f"emails/{template}.txt", language=language, **context), "plain"))
        message.attach(_part(render_template(f"emails/{template}.html", language=language, **context), "html"))
    return message


def deliver(message: Message) -> None:
    """Send a composed email: by SMTP when MAIL_SERVER is set, else as an .eml file in the outbox."""
    with delivery() as send_message:
        send_message(message)


@contextmanager
def delivery() -> Iterator[Callable[[Message], object]]:
    """A way to send many composed emails: one SMTP connection for all of them (or the outbox folder)."""
    if not current_app.config["MAIL_SERVER"]:
        yield _write_to_outbox
        return
    with _smtp_connection() as smtp:
        yield smtp.send_message


def _part(text: str, subtype: str) -> MIMEText:
    """A text part in UTF-8, ending with a line break."""
    # typeshed takes the charset to be a name; MIMEText takes a Charset too, and UTF8 sets its encodings.
    return MIMEText(text if text.endswith("\n") else text + "\n", subtype, UTF8)  # type: ignore[arg-type]


@contextmanager
def _smtp_connection() -> Iterator[smtplib.SMTP]:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        yield smtp


def _write_to_outbox(message: Message) -> None:
    outbox = Path(current_app.config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(message.as_bytes())
    current_app.logger.info("Email to the outbox (no MAIL_SERVER set): %s", path)


# The queue the worker sends ------------------------------------------------------------------------------------------


class QueuedEmail(Model):
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
    policy = message.policy.clone(utf8=True) if isinstance(message.policy, EmailPolicy) else message.policy
    db.session.add(QueuedEmail(recipient=str(message["To"]), message=message.as_bytes(policy=policy)))


def drop_queued_to(address: str) -> None:
    """Forget the emails queued for an address (its account is being deleted): none of them is sent."""
    db.session.execute(sa.delete(QueuedEmail).where(QueuedEmail.recipient == address))


def send_queued() -> int:
    """Send every queued email, oldest first, and return how many went. An address the mail server refuses is
    dropped; any other failure stops the run (raised) after saving which were sent, so none goes twice."""
    sent = 0
    while batch := db.session.scalars(sa.select(QueuedEmail).order_by(QueuedEmail.id).limit(QUEUE_BATCH)).all():
        try:
            with delivery() as send_message:
                for email in batch:
                    try:
                        send_message(email.composed())
                        sent += 1
                    except UNDELIVERABLE:
                        current_app.logger.warning("The mail server refused the address of queued email %s", email.id)
                    db.session.delete(email)
        finally:
            db.session.commit()
    return sent
