"""You said, we did: staff publish what the city will do after a consultation, keep its commitments up to date,
and respondents are told. Functions flush and record the audit event; the view commits, then notifies."""
import smtplib
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import mail
from ..accounts.models import User
from ..audit.services import record
from ..extensions import db
from ..timeutil import utcnow
from .models import (
    Commitment, CommitmentStatus, Consultation, ConsultationUpdate, Response, ResponseStatus, Stage, localized,
)
from .services import WrongStage

OUTCOME_PUBLISHED = "outcome-published"
COMMITMENT_STATUS = "commitment-status"
#: Stages in which staff write the outcome and the commitments (archived: read only).
EDITABLE_STAGES = (Stage.CLOSED, Stage.OUTCOME_PUBLISHED)
VISIBLE_STAGES = (*EDITABLE_STAGES, Stage.ARCHIVED)


def stage_refusal(consultation: Consultation, now: datetime | None = None) -> str | None:
    """Why the outcome and commitments cannot change at the consultation's stage (None: they can)."""
    stage = consultation.stage(now or utcnow())
    if stage == Stage.ARCHIVED:
        return _("The consultation is archived: its outcome and commitments no longer change.")
    if stage not in EDITABLE_STAGES:
        return _("The outcome can be written once the consultation has closed. It is %(stage)s now.",
                 stage=stage.label.lower())
    return None


def require_editable(consultation: Consultation, now: datetime | None = None) -> None:
    """WrongStage (with the reason for staff) unless the outcome and commitments can change now."""
    refusal = stage_refusal(consultation, now)
    if refusal:
        raise WrongStage(refusal)


def _merged(current: dict | None, typed: dict[str, str], languages: list[str]) -> dict[str, str]:
    """The typed texts of the city's languages, keeping texts in languages the form does not show."""
    kept = {code: text for code, text in (current or {}).items() if code not in languages}
    return kept | typed


# The outcome statement ----------------------------------------------------------------------------------------------

def save_outcome(consultation: Consultation, texts: dict[str, str], *, by: User) -> list[str]:
    """Save the statement (still unpublished while closed; a correction once published); returns the languages
    whose text changed."""
    require_editable(consultation)
    city = consultation.city
    outcome = _merged(consultation.outcome, texts, city.languages)
    before = consultation.outcome or {}
    changed = sorted(code for code in set(before) | set(outcome) if before.get(code) != outcome.get(code))
    if changed:
        consultation.outcome = outcome
        record("consultation.outcome_edited", actor=by, city=city, consultation_id=consultation.id,
               languages=changed, published=consultation.outcome_published_at is not None)
        db.session.flush()
    return changed


def publish_outcome(consultation: Consultation, *, by: User, now: datetime | None = None) -> ConsultationUpdate:
    """Closed -> outcome published; WrongStage or ConsultationError (no statement in the default language)."""
    now = now or utcnow()
    stage = consultation.stage(now)
    if stage != Stage.CLOSED:
        raise WrongStage(_l("This is not possible while the consultation is %(stage)s.", stage=stage.label.lower()))
    consultation.publish_outcome(now)
    record("consultation.outcome_published", actor=by, city=consultation.city, consultation_id=consultation.id,
           commitments=len(consultation.commitments))
    update = ConsultationUpdate(consultation_id=consultation.id, kind=OUTCOME_PUBLISHED, created_at=now)
    db.session.add(update)
    db.session.flush()
    return update


# Commitments --------------------------------------------------------------------------------------------------------

def add_commitment(consultation: Consultation, values: dict, *, by: User) -> Commitment:
    """A new planned commitment, after the others."""
    require_editable(consultation)
    position = max((c.position for c in consultation.commitments), default=0) + 1
    commitment = Commitment(text=values["text"], due_on=values["due_on"], position=position,
                            status=CommitmentStatus.PLANNED)
    consultation.commitments.append(commitment)
    db.session.flush()
    record("consultation.commitment_added", actor=by, city=consultation.city, consultation_id=consultation.id,
           commitment_id=commitment.id, position=position)
    return commitment


def change_commitment(commitment: Commitment, values: dict, *, by: User,
                      now: datetime | None = None) -> ConsultationUpdate | None:
    """Save a commitment's texts, due date, status and reason. When the status moved after the outcome was
    published, returns the update respondents are to be told about (a status "changed" to itself is no change)."""
    consultation = commitment.consultation
    require_editable(consultation, now)
    languages = consultation.city.languages
    old_status = commitment.status
    new_values = {
        "text": _merged(commitment.text, values["text"], languages),
        "due_on": values["due_on"],
        "status": values["status"],
        "reason": _merged(commitment.reason, values["reason"], languages) if values["reason"] else {},
    }
    changed = sorted(name for name, value in new_values.items() if getattr(commitment, name) != value)
    if not changed:
        return None
    for name in changed:
        setattr(commitment, name, new_values[name])
    detail = {"commitment_id": commitment.id, "changed": changed}
    if "status" in changed:
        detail |= {"old_status": old_status.value, "new_status": commitment.status.value}
    record("consultation.commitment_changed", actor=by, city=consultation.city, consultation_id=consultation.id,
           **detail)
    update = None
    if "status" in changed and consultation.outcome_published_at is not None:
        update = ConsultationUpdate(consultation_id=consultation.id, commitment=commitment,
                                    kind=COMMITMENT_STATUS, status=commitment.status, created_at=now or utcnow())
        db.session.add(update)
    db.session.flush()
    return update


def remove_commitment(commitment: Commitment, *, by: User) -> None:
    """Remove a commitment written by mistake, only before the outcome is published (after, it stays on record:
    mark it "not possible" with the reason instead)."""
    consultation = commitment.consultation
    if consultation.stage() != Stage.CLOSED:
        raise WrongStage(_l("Once the outcome is published, commitments stay on record. If one cannot be done, "
                            "set it to “Not possible” and say why."))
    record("consultation.commitment_removed", actor=by, city=consultation.city, consultation_id=consultation.id,
           commitment_id=commitment.id)
    consultation.commitments.remove(commitment)
    db.session.flush()


# Telling respondents ------------------------------------------------------------------------------------------------

def respondents_query(consultation: Consultation) -> sa.Select:
    """Who submitted a response to the consultation and still has an account: id, email, language, name."""
    return (
        sa.select(User.id, User.email, User.language, User.display_name)
        .join(Response, Response.user_id == User.id)
        .where(Response.consultation_id == consultation.id, Response.status == ResponseStatus.SUBMITTED,
               User.email.is_not(None), User.deleted_at.is_(None))
        .order_by(User.id)
    )


def respondent_count(consultation: Consultation) -> int:
    """How many people an update of this consultation is emailed to."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(respondents_query(consultation).subquery()))


def notify_respondents(update: ConsultationUpdate) -> int:
    """Email everyone who submitted a response about the update, each in their language; run after the commit,
    so that nobody hears of a change that was not saved. Returns how many emails were sent."""
    consultation = db.session.get(Consultation, update.consultation_id)
    city = consultation.city
    links = {
        "consultation_link": url_for("consultations.consultation", slug=city.slug, consultation_id=consultation.id,
                                     _external=True),
        "participation_link": url_for("consultations.participation", _external=True),
    }
    template = "outcome_published" if update.kind == OUTCOME_PUBLISHED else "commitment_updated"
    sent = 0
    for user_id, email, language, display_name in db.session.execute(respondents_query(consultation)):
        title = consultation.text("title", language)[0]
        with force_locale(language):
            if update.kind == OUTCOME_PUBLISHED:
                subject = _("What %(city)s will do after “%(title)s”", city=city.name, title=title)
            else:
                subject = _("News from %(city)s on “%(title)s”", city=city.name, title=title)
        context = _email_context(consultation, update, language)
        try:
            mail.send(email, subject, template, language, display_name=display_name, title=title, city=city,
                      **links, **context)
        except (smtplib.SMTPException, OSError):
            # One address failing must not stop the others; the update stays on the participation page.
            current_app.logger.exception("Could not email consultation update %s to user %s", update.id, user_id)
            continue
        sent += 1
    return sent


def _email_context(consultation: Consultation, update: ConsultationUpdate, language: str) -> dict:
    fallback = consultation.city.default_language
    if update.kind == OUTCOME_PUBLISHED:
        outcome, fell_back = localized(consultation.outcome or {}, language, fallback)
        return {"outcome": outcome, "fell_back": fell_back, "commitment_count": len(consultation.commitments)}
    commitment = update.commitment
    text, fell_back = localized(commitment.text or {}, language, fallback)
    reason = localized(commitment.reason or {}, language, fallback)[0]
    return {"commitment": commitment, "commitment_text": text, "fell_back": fell_back, "status": update.status,
            "reason": reason if update.status == CommitmentStatus.NOT_POSSIBLE else ""}
