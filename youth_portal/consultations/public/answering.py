"""Young people answering: who may answer, saving a draft, submitting, and the email receipt."""

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import Message

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import force_locale, gettext as _

from ... import mail
from ...accounts.models import Participation, User
from ...accounts.participation import participation_of
from ...extensions import db
from ...public_address import public_url_for
from ...questionnaires import AnswerValue
from ...statistics.demographics import age_band
from ..models import Answer, Audience, Consultation, Response, ResponseMode, ResponseStatus, Stage
from ..results import counts, written
from ..results.tallies import fix_result_settings


class Refusal(enum.StrEnum):
    """Why a person may not answer a consultation now; the pages explain each in plain words."""

    NOT_OPEN_YET = "not-open-yet"
    CLOSED = "closed"
    NOT_SIGNED_IN = "not-signed-in"
    SUSPENDED = "suspended"
    EMAIL_UNVERIFIED = "email-unverified"
    CONSENT_PENDING = "consent-pending"
    CONSENT_DECLINED = "consent-declined"
    CONSENT_WITHDRAWN = "consent-withdrawn"
    NOT_RESIDENT = "not-resident"
    AGE = "age"


_PARTICIPATION_REFUSALS = {
    Participation.SUSPENDED: Refusal.SUSPENDED,
    Participation.EMAIL_UNVERIFIED: Refusal.EMAIL_UNVERIFIED,
    Participation.CONSENT_PENDING: Refusal.CONSENT_PENDING,
    Participation.CONSENT_DECLINED: Refusal.CONSENT_DECLINED,
    Participation.CONSENT_WITHDRAWN: Refusal.CONSENT_WITHDRAWN,
}


def refusal(
    user: User | None, consultation: Consultation, now: datetime, *, participation: Participation | None = None
) -> Refusal | None:
    """Why `user` may not answer `consultation` at `now`, or None when they may (`participation`: the person's in
    their home city, when already known).

    A closed consultation says so first (nobody can answer it, so that is the useful reason); one not open yet
    says when it opens, unless the person is not among those it is for (coming back would not help them); then
    the account, then who the consultation is for.
    """
    stage = consultation.stage(now)
    person = user if user is not None and not user.is_anonymous else None  # None when not signed in
    if stage in (Stage.DRAFT, Stage.SCHEDULED):
        return (_audience_refusal(person, consultation, now) if person is not None else None) or Refusal.NOT_OPEN_YET
    if stage != Stage.OPEN:
        return Refusal.CLOSED
    if person is None:
        return Refusal.NOT_SIGNED_IN
    if consultation.audience == Audience.NETWORK:  # the stricter of the home city's and the host's ages of consent
        participation = participation_of(person, host=consultation.city)
    elif participation is None:
        participation = participation_of(person)
    if participation != Participation.ALLOWED:
        return _PARTICIPATION_REFUSALS[participation]
    return _audience_refusal(person, consultation, now)


def _audience_refusal(user: User, consultation: Consultation, now: datetime) -> Refusal | None:
    """Why the consultation is not for this person (where they live, their age), or None."""
    if consultation.audience == Audience.RESIDENTS and user.home_city_id != consultation.city_id:
        return Refusal.NOT_RESIDENT
    age = user.age_on(now.date())
    if age is None or not consultation.min_age <= age <= consultation.max_age:
        return Refusal.AGE
    return None


@dataclass
class AnswerSheet:
    """Everything a person sent: answers by question id, and the optional demographic facts."""

    answers: dict[int, AnswerValue]
    gender: str | None = None
    district: str | None = None


def response_of(user: User, consultation: Consultation, *, lock: bool = False) -> Response | None:
    """The person's one response to this consultation with its answers; `lock` holds the row until commit."""
    query = (
        sa.select(Response)
        .where(Response.consultation_id == consultation.id, Response.user_id == user.id)
        .options(so.selectinload(Response.answers))
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def save(
    user: User,
    consultation: Consultation,
    response: Response | None,
    sheet: AnswerSheet,
    *,
    submit: bool,
    now: datetime,
) -> Response:
    """Create or update the person's one response, `response` (from `response_of` with `lock`, in this
    transaction; None when there is none yet): a draft, or submitted (then with their age band).

    Two first saves at the same moment both try to insert; the database's unique constraint refuses the
    second with an IntegrityError, and the caller rolls back, reads the response again and calls this again,
    which then updates. A submitted response stays submitted: saving it again is resubmitting.
    """
    if response is None:
        response = Response(consultation=consultation, user=user, status=ResponseStatus.DRAFT)
        db.session.add(response)
    counted_before = _as_counted(response) if _counted(response) else None
    if submit or response.status == ResponseStatus.SUBMITTED:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = response.submitted_at or now
        response.age_band = age_band(user.age_on(now.date()))
        fix_result_settings(consultation)
    response.gender = sheet.gender if consultation.ask_gender else None
    response.district = sheet.district if consultation.ask_district else None
    response.withdrawn_at = None  # answering again, under a consent given since a guardian withdrew one
    response.updated_at = now  # even when only answers change: live public results count the people who changed
    added = _update_answers(response, consultation, sheet)
    if _counted(response):
        counts.change(consultation, counted_before, _as_counted(response, added))
    db.session.flush()
    if added:
        db.session.execute(sa.insert(Answer), [{"response_id": response.id, **row} for row in added])
        db.session.expire(response, ["answers"])  # the insert bypassed the collection
    return response


def _counted(response: Response) -> bool:
    return response.status == ResponseStatus.SUBMITTED and response.withdrawn_at is None


def _as_counted(response: Response, added: Sequence[dict] = ()) -> counts.Counted:
    """The response as the counts see it: its answers, and those about to be added."""
    answers = [(a.question_id, a.choices, a.number, a.text_key is not None) for a in response.answers]
    answers += [(row["question_id"], row["choices"], row["number"], row["text_key"] is not None) for row in added]
    return counts.counted(response, answers)


def _update_answers(response: Response, consultation: Consultation, sheet: AnswerSheet) -> list[dict]:
    """Update answers in place and drop the ones now left empty (one row per question); a text approved as a quote
    goes back to review when its words change. The rows of the answers to add, inserted by the caller in one
    statement."""
    existing = {answer.question_id: answer for answer in response.answers}
    added = []
    for question in consultation.questions:
        value = sheet.answers.get(question.id)
        answer = existing.get(question.id)
        if value is None or value.is_empty:
            if answer is not None:
                response.answers.remove(answer)
        elif answer is None:
            added.append(
                {
                    "question_id": question.id,
                    "choices": list(value.choices),
                    "number": value.number,
                    "text": value.text,
                    "text_key": written.key_of(question, value.choices, value.text),
                }
            )
        else:
            if answer.text != value.text:  # staff approved the words as they were, not new ones
                answer.quote_approved_at = answer.quote_approved_by_id = None
            answer.choices, answer.number, answer.text = list(value.choices), value.number, value.text
            answer.text_key = written.key_of(question, value.choices, value.text)
    return added


def receipt(user: User, consultation: Consultation) -> Message:
    """The email receipt of a person's submitted answers, in their language, with their participation page."""
    assert user.email is not None  # only a deleted account has none, and it cannot sign in to answer
    with force_locale(user.language):
        title, _fell_back = consultation.text("title", user.language)
        subject = _("We received your answers: %(title)s", title=title)
    return mail.compose(
        user.email,
        subject,
        "response_receipt",
        user.language,
        display_name=user.display_name,
        title=title,
        city=consultation.city,
        anonymous=consultation.mode == ResponseMode.ANONYMOUS,
        closes_at=consultation.closes_at,
        link=public_url_for("consultations.participation.index"),
    )
