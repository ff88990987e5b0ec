"""A person's consultation answers in their data download, and what happens to them when the account is deleted.

Erasure: answers only saved as a draft are deleted (they were never counted). Submitted responses stay, as the
"delete your account" page says: the city's results, breakdowns and published quotes are counted from them and must
not change after they were published. They stay tied only to the emptied account row, which names nobody ("deleted
account" where a consultation is identified); the account's name, email and birth date are erased by accounts.
"""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import get_locale

from ...accounts.models import User
from ...extensions import db
from ...questionnaires import kind_for
from ...statistics.demographics import GENDERS
from ...timeutil import iso_utc
from ..models import Answer, Consultation, ConsultationUpdate, Response, ResponseStatus, localized


def export(user: User) -> dict:
    """The person's responses, draft and submitted, with their answers in words and the demographics they gave; and
    the consultation updates emailed to them (three queries)."""
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
    return {
        "consultation_responses": [
            _response_entry(response, by_response.get(response.id, []), language) for response in responses
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
        "age_band": response.age_band,
        "gender": str(GENDERS[response.gender]) if response.gender in GENDERS else response.gender,
        "gender_description": response.gender_description,
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


def erase(user: User) -> None:
    """Delete the person's draft responses and their answers; submitted responses stay (see the module's docstring)."""
    drafts = sa.select(Response.id).where(Response.user_id == user.id, Response.status == ResponseStatus.DRAFT)
    db.session.execute(sa.delete(Answer).where(Answer.response_id.in_(drafts)))
    db.session.execute(sa.delete(Response).where(Response.id.in_(drafts)).execution_options(synchronize_session=False))
