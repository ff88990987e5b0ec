"""The email worker, `flask send-emails --watch 10`: it sends what pages leave to it under MAIL_WORKER (the queued
emails, then the updates of consultations to their respondents), and retries while the mail server is down. Run
one."""
import smtplib
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from . import mail
from .consultations.outcome import update_emails
from .extensions import db


@click.command("send-emails")
@click.option("--watch", type=float, metavar="SECONDS", help="Keep going: look for new emails every SECONDS.")
@with_appcontext
def send_emails_command(watch: float | None) -> None:
    """Send the emails pages left to the worker: the queued ones, then the updates (run with --watch as a service)."""
    while True:
        try:
            sent = mail.send_queued() + update_emails.email_pending_updates()
        except (smtplib.SMTPException, OSError) as error:
            db.session.rollback()
            if not watch:
                raise click.ClickException(f"Emailing stopped: {error}. Run again to go on.")
            current_app.logger.warning("Emailing stopped (%s); trying again in %s s", error, watch)
        else:
            if sent or not watch:
                click.echo(f"{sent} emails sent.")
        if not watch:
            return
        db.session.remove()
        time.sleep(watch)
