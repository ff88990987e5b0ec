"""Email in the recipient's language, plain text and HTML: SMTP when configured, else .eml files."""
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from .timeutil import utcnow


def send(to: str, subject, template: str, language: str, **context) -> EmailMessage:
    """Render templates/emails/<template>.txt and .html in `language` and send them to `to`."""
    with force_locale(language):
        message = EmailMessage()
        message["Subject"] = str(subject)
        message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
        message["To"] = to
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="youth-portal.invalid")
        message.set_content(render_template(f"emails/{template}.txt", language=language, **context))
        message.add_alternative(
            render_template(f"emails/{template}.html", language=language, **context), subtype="html"
        )
        message["Content-Language"] = language  # after set_content, which drops Content-* headers
    if current_app.config["MAIL_SERVER"]:
        _send_smtp(message)
    else:
        _write_to_outbox(message)
    return message


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _write_to_outbox(message: EmailMessage) -> None:
    outbox = Path(current_app.config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(bytes(message))
    current_app.logger.info("Email to the outbox (no MAIL_SERVER set): %s", path)
