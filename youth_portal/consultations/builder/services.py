"""What staff do to a consultation's questions: add, change, delete, reorder, each recorded in the audit log.

Questions are locked once anyone has answered (a draft response counts) or once the consultation has closed:
changing them then would change what people answered. Functions flush; the view commits.
"""

import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...accounts.models import User
from ...audit.services import record
from ...extensions import db
from ...questionnaires import kind_for
from ...timeutil import utcnow
from ..models import Consultation, ConsultationError, Question, QuestionKind, Response, Stage

LOCKED_BY_ANSWERS = _l(
    "People have already answered. Changing questions now would change what they answered, so questions are locked."
)
LOCKED_BY_CLOSING = _l("The consultation has closed, so its questions can no longer change.")
CLOSED_STAGES = frozenset({Stage.CLOSED, Stage.OUTCOME_PUBLISHED, Stage.ARCHIVED})


class QuestionsLocked(ConsultationError):
    """The questions cannot change any more; the message says why, in plain words."""


def lock_reason(consultation: Consultation) -> str | None:
    """Why the consultation's questions cannot change now, or None while they still can."""
    answered = db.session.scalar(sa.select(sa.exists().where(Response.consultation_id == consultation.id)))
    if answered:
        return str(LOCKED_BY_ANSWERS)
    if consultation.stage(utcnow()) in CLOSED_STAGES:
        return str(LOCKED_BY_CLOSING)
    return None


def _require_unlocked(consultation: Consultation) -> None:
    reason = lock_reason(consultation)
    if reason:
        raise QuestionsLocked(reason)


def question_of(consultation: Consultation, question_id: int) -> Question:
    """One of the consultation's questions, or 404: a question of another consultation is never reached."""
    return db.first_or_404(
        sa.select(Question).where(Question.id == question_id, Question.consultation_id == consultation.id)
    )


def new_option_id(taken: set[str]) -> str:
    """A short random option id, unused in the question (ids are what answers store, so they never change)."""
    while True:
        option_id = secrets.token_hex(3)
        if option_id not in taken:
            return option_id


def add_question(consultation: Consultation, kind: QuestionKind, values: dict, *, by: User) -> Question:
    """A new question at the end of the consultation, unless its questions are locked."""
    _require_unlocked(consultation)
    last = max((q.position for q in consultation.questions), default=0)
    question = Question(kind=kind, position=last + 1)
    _apply(question, values, consultation.city.languages)
    consultation.questions.append(question)
    db.session.flush()
    record(
        "consultation.question_added",
        actor=by,
        city=consultation.city,
        target=consultation,
        question_id=question.id,
        kind=kind.value,
    )
    return question


def update_question(question: Question, values: dict, *, by: User) -> list[str]:
    """Save a question's changes, unless locked; the audit event names what changed (never the texts)."""
    consultation = question.consultation
    _require_unlocked(consultation)
    changed = _apply(question, values, consultation.city.languages)
    if changed:
        record(
            "consultation.question_changed",
            actor=by,
            city=consultation.city,
            target=consultation,
            question_id=question.id,
            changed=changed,
        )
    db.session.flush()
    return changed


def delete_question(question: Question, *, by: User) -> None:
    """Remove a question, unless locked; the others close ranks so positions stay 1..n."""
    consultation = question.consultation
    _require_unlocked(consultation)
    question_id, kind = question.id, question.kind
    consultation.questions.remove(question)  # delete-orphan
    _renumber(consultation.questions)
    db.session.flush()
    record(
        "consultation.question_deleted",
        actor=by,
        city=consultation.city,
        target=consultation,
        question_id=question_id,
        kind=kind.value,
    )


def move_question(question: Question, direction: str, *, by: User) -> bool:
    """Swap a question with the one above ("up") or below ("down"), unless locked; False at either end."""
    consultation = question.consultation
    _require_unlocked(consultation)
    questions = list(consultation.questions)
    index = questions.index(question)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return False
    questions[index], questions[other] = questions[other], questions[index]
    _renumber(questions)
    db.session.flush()
    record(
        "consultation.questions_reordered",
        actor=by,
        city=consultation.city,
        target=consultation,
        question_id=question.id,
        direction=direction,
        order=[q.id for q in questions],
    )
    return True


def _renumber(questions: list[Question]) -> None:
    for position, question in enumerate(questions, 1):
        if question.position != position:
            question.position = position


def _apply(question: Question, values: dict, languages: list[str]) -> list[str]:
    """Copy the form's values onto the question. Texts keep languages the city no longer offers; option rows
    without an id get a new one. Returns the names of what changed."""
    values = dict(values)
    for name in ("prompt", "help", "low_label", "high_label"):
        if name in values:
            values[name] = _merge_texts(getattr(question, name) or {}, values[name], languages)
    if "options" in values:
        previous = {option["id"]: option["label"] for option in question.options or []}
        taken = set(previous)
        options = []
        for row in values["options"]:
            option_id = row["id"] or new_option_id(taken)
            taken.add(option_id)
            options.append(
                {"id": option_id, "label": _merge_texts(previous.get(option_id, {}), row["label"], languages)}
            )
        values["options"] = options
    changed = []
    for name, value in values.items():
        if getattr(question, name) != value:
            setattr(question, name, value)  # a new object, so the JSON column sees the change
            changed.append(name)
    return sorted(changed)


def _merge_texts(previous: dict[str, str], typed: dict[str, str], languages: list[str]) -> dict[str, str]:
    texts = {code: text for code, text in previous.items() if code not in languages}
    texts.update({code: text for code, text in typed.items() if text})
    return texts


def missing_translations(question: Question, languages: list[str]) -> dict[str, list[str]]:
    """Language -> the parts of the question written in some other language but not in this one (an empty help
    text is not missing; the default language counts too, for questions written before it was required)."""
    parts = [
        (_l("question"), [question.prompt]),
        (_l("help text"), [question.help]),
        *kind_for(question).translated_parts(question),
    ]
    missing: dict[str, list[str]] = {}
    for code in languages:
        for part, texts in parts:
            if any(any((t or {}).values()) and not (t or {}).get(code) for t in texts):
                missing.setdefault(code, []).append(str(part))
    return missing
