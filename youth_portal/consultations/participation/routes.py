"""My participation: the consultations a person answered or drafted, their answers, and what came of them."""

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_login import current_user, login_required

from ...accounts.participation import participation_of
from ...questionnaires import kind_for
from ...timeutil import utcnow
from .. import queries
from ..models import ResponseMode, ResponseStatus, Stage, localized
from ..public import answering

bp = Blueprint("participation", __name__)


@bp.get("/account/participation")
@login_required
def index():
    """The signed-in person's own responses (never anyone else's), with outcomes, commitments and updates; and the
    anonymous consultations they took part in whose answers are no longer tied to them."""
    language = str(get_locale())
    now = utcnow()
    responses = queries.responses_of(current_user)
    updates = queries.updates_by_consultation([response.consultation_id for response in responses])
    participation = participation_of(current_user)
    entries = [
        _entry(response, updates.get(response.consultation_id, []), language, now, participation)
        for response in responses
    ]
    records = [
        (record, record.consultation.text("title", language))
        for record in queries.participation_records_of(current_user)
    ]
    return render_template(
        "consultations/participation/index.html",
        entries=entries,
        records=records,
        ResponseStatus=ResponseStatus,
        Stage=Stage,
    )


def _entry(response, updates, language: str, now, participation) -> dict:
    """What the page shows of one response, with every text in the reader's language (or the city's)."""
    consultation = response.consultation
    fallback = consultation.city.default_language
    answers = {answer.question_id: answer for answer in response.answers}
    return {
        "response": response,
        "consultation": consultation,
        "city": consultation.city,
        "stage": consultation.stage(now),
        "refusal": answering.refusal(current_user, consultation, now, participation=participation),
        "title": consultation.text("title", language),
        "outcome": consultation.text("outcome", language),
        "anonymous": consultation.mode == ResponseMode.ANONYMOUS,
        "answers": [
            (
                localized(question.prompt, language, fallback)[0],
                kind_for(question).answer_lines(question, answers.get(question.id), language, fallback),
            )
            for question in consultation.questions
        ],
        "commitments": [
            (
                commitment,
                localized(commitment.text, language, fallback)[0],
                localized(commitment.reason, language, fallback)[0],
            )
            for commitment in consultation.commitments
        ],
        "updates": [
            (update, localized(update.commitment.text, language, fallback)[0] if update.commitment else "")
            for update in updates
        ],
    }
