"""Telling respondents about a "you said, we did" update (outcome published, a commitment moved) by email.

A consultation may have thousands of respondents, so they are emailed in batches, in the order of their ids, over
one SMTP connection per batch; the update remembers the last one done after each batch, so a run cut short (the mail
server going away, a restart) picks up where it stopped. The page that made the update sends the emails itself, or,
with MAIL_WORKER set, leaves them to the worker (`flask send-emails --watch`, mail_worker.py), which also retries
what a page could not finish. Run one worker: two would email the same people.
"""

import smtplib
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, gettext as _

from ... import mail
from ...accounts.models import User
from ...extensions import db
from ...public_address import public_url_for
from ...timeutil import utcnow
from ..models import CommitmentStatus, Consultation, ConsultationUpdate, Response, localized
from .services import OUTCOME_PUBLISHED

#: Respondents emailed over one SMTP connection, between two saves of how far it got.
BATCH = 50


def respondents_query(consultation: Consultation) -> sa.Select:
    """Who submitted a response to the consultation that counts (not withdrawn) and still has an account: id, email,
    language, name."""
    return (
        sa.select(User.id, User.email, User.language, User.display_name)
        .join(Response, Response.user_id == User.id)
        .where(
            Response.counted_in(consultation),
            User.email.is_not(None),
            User.deleted_at.is_(None),
        )
        .order_by(User.id)
    )


def respondent_count(consultation: Consultation) -> int:
    """How many people an update of this consultation is emailed to."""
    counted = sa.select(sa.func.count()).select_from(respondents_query(consultation).subquery())
    return db.session.execute(counted).scalar_one()


def emailed_so_far(consultation: Consultation) -> int | None:
    """How many respondents the oldest update of the consultation not yet emailed to everyone has reached; None
    when every update has been emailed."""
    pending = db.session.scalar(
        sa.select(ConsultationUpdate)
        .where(ConsultationUpdate.consultation_id == consultation.id, ConsultationUpdate.emailed_at.is_(None))
        .order_by(ConsultationUpdate.id)
        .limit(1)
    )
    if pending is None:
        return None
    people = respondents_query(consultation).where(User.id <= pending.emailed_through).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(people))


def notify_respondents(update: ConsultationUpdate) -> int | None:
    """After the commit that made the update, in its request: email the respondents now and return how many were
    emailed, or return None when they are left to the worker (MAIL_WORKER, or the mail server failing now)."""
    if current_app.config["MAIL_WORKER"]:
        return None
    try:
        return email_respondents(update)
    except (smtplib.SMTPException, OSError):
        current_app.logger.exception("Emailing consultation update %s stopped; the worker will go on", update.id)
        return None


def email_respondents(update: ConsultationUpdate) -> int:
    """Email the respondents not yet told about the update, each in their language, and mark it emailed; returns how
    many emails went. An address the mail server refuses is skipped; any other failure stops the run (raised) after
    saving how far it got, so that nobody is emailed twice when it goes on."""
    consultation = db.session.get_one(Consultation, update.consultation_id)
    links = _links(consultation)
    sent = 0
    while batch := db.session.execute(
        respondents_query(consultation).where(User.id > update.emailed_through).limit(BATCH)
    ).all():
        try:
            with mail.delivery() as send_message:
                for user_id, email, language, display_name in batch:
                    try:
                        send_message(_email(update, consultation, email, language, display_name, links))
                        sent += 1
                    except mail.UNDELIVERABLE:
                        current_app.logger.warning("The mail server refused user %s's address", user_id)
                    update.emailed_through = user_id
        finally:
            db.session.commit()
    update.emailed_at = utcnow()
    db.session.commit()
    return sent


def email_pending_updates() -> int:
    """Email the respondents of every update not yet emailed, oldest first; returns how many emails went."""
    sent = 0
    pending = sa.select(ConsultationUpdate.id).where(ConsultationUpdate.emailed_at.is_(None))
    for update_id in db.session.scalars(pending.order_by(ConsultationUpdate.id)).all():
        update = db.session.get_one(ConsultationUpdate, update_id)
        with current_app.test_request_context():  # on the public address (SERVER_NAME, PREFERRED_URL_SCHEME)
            sent += email_respondents(update)
    return sent


class EmailPreview(NamedTuple):
    """The email the respondents reading one language get about an update, and how many they are."""

    language: str
    people: int
    subject: str
    text: str


def previews(update: ConsultationUpdate, consultation: Consultation) -> list[EmailPreview]:
    """For staff about to make an update of the consultation: per language of the respondents, how many of them, and
    the subject and plain text of the email they will get (with a stand-in for each person's name)."""
    respondents = respondents_query(consultation).subquery()
    languages = db.session.execute(
        sa.select(respondents.c.language, sa.func.count())
        .group_by(respondents.c.language)
        .order_by(respondents.c.language)
    ).all()
    found = []
    for language, people in languages:
        with force_locale(language):
            name = _("(their name)")
        message = _email(update, consultation, "preview@youth-portal.invalid", language, name, _links(consultation))
        text = message.get_payload()[0].get_payload(decode=True).decode("utf-8")
        found.append(EmailPreview(language, people, _subject(update, consultation, language), text))
    return found


def _links(consultation: Consultation) -> dict[str, str]:
    return {
        "consultation_link": public_url_for(
            "consultations.public.consultation", slug=consultation.city.slug, consultation_id=consultation.id
        ),
        "participation_link": public_url_for("consultations.participation.index"),
    }


def _subject(update: ConsultationUpdate, consultation: Consultation, language: str) -> str:
    city, title = consultation.city, consultation.text("title", language)[0]
    with force_locale(language):
        if update.kind == OUTCOME_PUBLISHED:
            return _("What %(city)s will do after “%(title)s”", city=city.name, title=title)
        return _("News from %(city)s on “%(title)s”", city=city.name, title=title)


def _email(
    update: ConsultationUpdate,
    consultation: Consultation,
    email: str,
    language: str,
    display_name: str,
    links: dict[str, str],
):
    title = consultation.text("title", language)[0]
    subject = _subject(update, consultation, language)
    template = "outcome_published" if update.kind == OUTCOME_PUBLISHED else "commitment_updated"
    return mail.compose(
        email,
        subject,
        template,
        language,
        display_name=display_name,
        title=title,
        city=consultation.city,
        **links,
        **_email_context(consultation, update, language),
    )


def _email_context(consultation: Consultation, update: ConsultationUpdate, language: str) -> dict:
    fallback = consultation.city.default_language
    if update.kind == OUTCOME_PUBLISHED:
        outcome, fell_back = localized(consultation.outcome or {}, language, fallback)
        return {"outcome": outcome, "fell_back": fell_back, "commitment_count": len(consultation.commitments)}
    commitment = update.commitment
    assert commitment is not None  # every update but the outcome's is about a commitment
    text, fell_back = localized(commitment.text or {}, language, fallback)
    reason = localized(commitment.reason or {}, language, fallback)[0]
    return {
        "commitment": commitment,
        "commitment_text": text,
        "fell_back": fell_back,
        "status": update.status,
        "reason": reason if update.status == CommitmentStatus.NOT_POSSIBLE else "",
    }
