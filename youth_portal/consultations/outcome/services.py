"""You said, we did: staff publish what the city will do after a consultation, keep its commitments up to date,
and respondents are told (update_emails). Functions flush and record the audit event; the view commits, then
notifies."""

from datetime import datetime

from flask_babel import gettext as _, lazy_gettext as _l

from ...accounts.models import User
from ...audit.services import record
from ...extensions import db
from ...timeutil import utcnow
from ..models import Commitment, CommitmentStatus, Consultation, ConsultationUpdate, Stage, WrongStage

OUTCOME_PUBLISHED = "outcome-published"
COMMITMENT_STATUS = "commitment-status"


def stage_refusal(consultation: Consultation, now: datetime | None = None) -> str | None:
    """Why the outcome and commitments cannot change at the consultation's stage (None: they can)."""
    stage = consultation.stage(now or utcnow())
    if stage == Stage.ARCHIVED:
        return _("The consultation is archived: its outcome and commitments no longer change.")
    if not stage.takes_outcome:
        return _(
            "The outcome can be written once the consultation has closed. It is %(stage)s now.",
            stage=stage.label.lower(),
        )
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
        record(
            "consultation.outcome_edited",
            actor=by,
            city=city,
            target=consultation,
            languages=changed,
            published=consultation.outcome_published_at is not None,
        )
        db.session.flush()
    return changed


def publish_outcome(consultation: Consultation, *, by: User, now: datetime | None = None) -> ConsultationUpdate:
    """Closed -> outcome published; WrongStage or ConsultationError (no statement in the default language)."""
    now = now or utcnow()
    stage = consultation.stage(now)
    if stage != Stage.CLOSED:
        raise WrongStage(_l("This is not possible while the consultation is %(stage)s.", stage=stage.label.lower()))
    consultation.publish_outcome(now)
    record(
        "consultation.outcome_published",
        actor=by,
        city=consultation.city,
        target=consultation,
        commitments=len(consultation.commitments),
    )
    update = ConsultationUpdate(consultation_id=consultation.id, kind=OUTCOME_PUBLISHED, created_at=now)
    db.session.add(update)
    db.session.flush()
    return update


# Commitments --------------------------------------------------------------------------------------------------------


def add_commitment(consultation: Consultation, values: dict, *, by: User) -> Commitment:
    """A new planned commitment, after the others."""
    require_editable(consultation)
    position = max((c.position for c in consultation.commitments), default=0) + 1
    commitment = Commitment(
        text=values["text"], due_on=values["due_on"], position=position, status=CommitmentStatus.PLANNED
    )
    consultation.commitments.append(commitment)
    db.session.flush()
    record(
        "consultation.commitment_added",
        actor=by,
        city=consultation.city,
        target=consultation,
        commitment_id=commitment.id,
        position=position,
    )
    return commitment


def change_commitment(
    commitment: Commitment, values: dict, *, by: User, now: datetime | None = None
) -> ConsultationUpdate | None:
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
    record("consultation.commitment_changed", actor=by, city=consultation.city, target=consultation, **detail)
    update = None
    if "status" in changed and consultation.outcome_published_at is not None:
        update = ConsultationUpdate(
            consultation_id=consultation.id,
            commitment=commitment,
            kind=COMMITMENT_STATUS,
            status=commitment.status,
            created_at=now or utcnow(),
        )
        db.session.add(update)
    db.session.flush()
    return update


def remove_commitment(commitment: Commitment, *, by: User) -> None:
    """Remove a commitment written by mistake, only before the outcome is published (after, it stays on record:
    mark it "not possible" with the reason instead)."""
    consultation = commitment.consultation
    if consultation.stage() != Stage.CLOSED:
        raise WrongStage(
            _l(
                "Once the outcome is published, commitments stay on record. If one cannot be done, "
                "set it to “Not possible” and say why."
            )
        )
    record(
        "consultation.commitment_removed",
        actor=by,
        city=consultation.city,
        target=consultation,
        commitment_id=commitment.id,
    )
    consultation.commitments.remove(commitment)
    db.session.flush()
