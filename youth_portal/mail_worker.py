"""The email worker, `flask send-emails --watch 10`: it sends what pages leave to it under MAIL_WORKER (the queued
emails, then the jobs the features register, e.g. the updates of consultations to their respondents), and retries
while the mail server is down. Run one."""

import smtplib
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from . import mail
from .extensions import db
from .features import worker_jobs


@click.command("send-emails")
@click.option("--watch", type=float, metavar="SECONDS", help="Keep going: look for new emails every SECONDS.")
@with_appcontext
def send_emails_command(watch: float | None) -> None:
    """Send the emails pages left to the worker: the queued ones, then the features' jobs (run with --watch as a
    service)."""
    while True:
        try:
            sent = mail.send_queued() + sum(job() for job in worker_jobs())
        except (smtplib.SMTPException, OSError) as error:
            db.session.rollback()
            if not watch:
                raise click.ClickException(f"Emailing stopped: {error}. Run again to go on.") from error
            current_app.logger.warning("Emailing stopped (%s); trying again in %s s", error, watch)
        else:
            if sent or not watch:
                click.echo(f"{sent} emails sent.")
        if not watch:
            return
        db.session.remove()
        time.sleep(watch)
