"""A person's consultation answers in their data download, and what happens to them when the account is deleted or
a guardian withdraws their consent.

Erasure: drafts and withdrawn responses are deleted (they never count). Submitted responses keep counting, as the
"delete your account" page says (the results, and the numbers already published, are counted from them), but only
as anonymous answers: their free texts are erased (published quotes with them), and they are unlinked from the
person (retention.py). The records that the person took part in anonymous consultations go too.

Withdrawal: drafts are deleted; submitted responses stay with the person (their participation page and data
download say so) but are marked withdrawn, which every release leaves out (`Response.counted_in`); the retention
job deletes them once the consultation is archived.
"""

import dataclasses
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import get_locale

from ...accounts.models import User
from ...extensions import db
from ...questionnaires import kind_for
from ...statistics.demographics import GENDERS
from ...timeutil import iso_utc, utcnow
from .. import page_cache
from ..models import Answer, Consultation, ConsultationUpdate, ParticipationRecord, Response, ResponseStatus, localized
from ..results import counts
from . import retention


def export(user: User) -> dict:
    """The person's responses, draft and submitted, with their answers in words and the demographics they gave; the
    anonymous consultations they answered whose answers are no longer tied to them; and the consultation updates
    emailed to them (four queries)."""
    language = str(get_locale() or "en")
    responses = db.session.scalars(
        sa.select(Response)
        .where(Response.user_id == user.id)
        .options(so.joinedload(Response.consultation).joinedload(Consultation.city))
        .order_by(Response.created_at, Response.id)
    ).all()
    answers = db.session.scalars(
        sa.select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.user_id == user.id)
        .options(so.joinedload(Answer.question))
    ).all()
    by_response: dict[int, list[Answer]] = {}
    for answer in sorted(answers, key=lambda a: (a.question.position, a.question.id)):
        by_response.setdefault(answer.response_id, []).append(answer)
    # Updates are emailed to the respondents in the order of their ids, up to `emailed_through`.
    updates = db.session.scalars(
        sa.select(ConsultationUpdate)
        .join(Response, Response.consultation_id == ConsultationUpdate.consultation_id)
        .where(
            Response.user_id == user.id,
            Response.status == ResponseStatus.SUBMITTED,
            ConsultationUpdate.emailed_through >= user.id,
        )
        .options(so.joinedload(ConsultationUpdate.commitment))
        .order_by(ConsultationUpdate.created_at, ConsultationUpdate.id)
    ).all()
    consultations = {response.consultation_id: response.consultation for response in responses}
    records = db.session.scalars(
        sa.select(ParticipationRecord)
        .where(ParticipationRecord.user_id == user.id)
        .options(so.joinedload(ParticipationRecord.consultation).joinedload(Consultation.city))
        .order_by(ParticipationRecord.unlinked_at, ParticipationRecord.id)
    ).all()
    return {
        "consultation_responses": [
            _response_entry(response, by_response.get(response.id, []), language) for response in responses
        ],
        "consultations_you_answered_anonymously": [
            {
                "consultation": record.consultation.text("title", language)[0],
                "city": record.consultation.city.slug,
                "answers_unlinked_at": iso_utc(record.unlinked_at),
            }
            for record in records
        ],
        "consultation_updates_emailed_to_you": [
            {
                "consultation": consultations[update.consultation_id].text("title", language)[0],
                "kind": update.kind,
                "commitment": _text(update.commitment.text, consultations[update.consultation_id], language)
                if update.commitment
                else None,
                "status": update.status.label if update.status else None,
                "created_at": iso_utc(update.created_at),
            }
            for update in updates
        ],
    }


def _text(texts: dict, consultation: Consultation, language: str) -> str:
    return localized(texts or {}, language, consultation.city.default_language)[0]


def _response_entry(response: Response, answers: list[Answer], language: str) -> dict:
    consultation = response.consultation
    return {
        "consultation": consultation.text("title", language)[0],
        "city": consultation.city.slug,
        "status": response.status.value,
        "started_at": iso_utc(response.created_at),
        "submitted_at": iso_utc(response.submitted_at),
        "withdrawn_at": iso_utc(response.withdrawn_at),
        "age_band": response.age_band,
        "gender": str(GENDERS[response.gender]) if response.gender in GENDERS else response.gender,
        "district": response.district,
        "answers": [_answer_entry(answer, consultation, language) for answer in answers],
    }


def _answer_entry(answer: Answer, consultation: Consultation, language: str) -> dict:
    """One answer in words: the question's prompt, the options chosen (in order, for a ranking), a number, a text."""
    question = answer.question
    kind = kind_for(question)
    entry: dict[str, Any] = {"question": _text(question.prompt, consultation, language)}
    if kind.averaged:
        entry["number"] = answer.number
    elif kind.is_free_text:
        entry["text"] = answer.text
    else:
        labels = kind.export_labels(question, language, consultation.city.default_language)
        entry["chosen"] = [labels[choice] for choice in answer.choices or [] if choice in labels]
        if answer.text:
            entry["text"] = answer.text  # "other (please specify)"
    return entry


def withdraw(user: User) -> None:
    """A guardian withdrew the consent the person answered under: their drafts are deleted, and their submitted
    responses left out of every release from now on (results, quotes, exports), their quotes unpublished at once."""
    theirs = Response.user_id == user.id
    retention.delete(sa.select(Response.id).where(theirs, Response.status == ResponseStatus.DRAFT))
    counted = sa.and_(theirs, Response.status == ResponseStatus.SUBMITTED, Response.withdrawn_at.is_(None))
    consultations = db.session.scalars(sa.select(Consultation).join(Response).where(counted)).all()
    for consultation in consultations:  # what they added to the counts leaves them
        for response in counts.of_responses(consultation, theirs):
            counts.change(consultation, response, None)
    db.session.execute(
        sa.update(Answer)
        .where(Answer.response_id.in_(sa.select(Response.id).where(counted)))
        .values(quote_approved_at=None, quote_approved_by_id=None)
        .execution_options(synchronize_session=False)
    )
    page_cache.pages_change()  # their quotes leave the public results pages
    db.session.execute(
        sa.update(Response).where(counted).values(withdrawn_at=utcnow()).execution_options(synchronize_session=False)
    )


def erase(user: User) -> None:
    """Delete the person's drafts and withdrawn responses; erase the free texts of the others and unlink them."""
    theirs = Response.user_id == user.id
    never_counted = sa.or_(Response.status == ResponseStatus.DRAFT, Response.withdrawn_at.is_not(None))
    retention.delete(sa.select(Response.id).where(theirs, never_counted))
    consultations = db.session.scalars(sa.select(Consultation).join(Response).where(theirs)).all()
    for consultation in consultations:  # their texts leave the counts of who wrote one
        for response in counts.of_responses(consultation, theirs):
            unwritten = tuple((*answer[:3], False) for answer in response.answers)
            counts.change(consultation, response, dataclasses.replace(response, answers=unwritten))
    db.session.execute(
        sa.update(Answer)
        .where(Answer.response_id.in_(sa.select(Response.id).where(theirs)))
        .values(text=None, text_key=None, quote_approved_at=None, quote_approved_by_id=None)
        .execution_options(synchronize_session=False)
    )
    page_cache.pages_change()  # their quotes leave the public results pages
    retention.unlink(sa.select(Response.id).where(theirs))
    db.session.execute(sa.delete(ParticipationRecord).where(ParticipationRecord.user_id == user.id))
