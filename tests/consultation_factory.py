"""Consultations made directly in the database, for tests to act on through HTTP."""

from datetime import timedelta

from youth_portal.accounts.models import User
from youth_portal.cities.models import City
from youth_portal.consultations.models import (
    Answer,
    Consultation,
    Question,
    QuestionKind,
    Response,
    ResponseMode,
    ResponseStatus,
    Topic,
)
from youth_portal.consultations.results import counts, written
from youth_portal.consultations.results.tallies import fix_result_settings
from youth_portal.extensions import db
from youth_portal.statistics.demographics import age_band
from youth_portal.timeutil import utcnow


def option(option_id: str, en: str, **other_languages) -> dict:
    return {"id": option_id, "label": {"en": en, **other_languages}}


def every_kind_of_question() -> list[Question]:
    """One question of each kind, in English (and Spanish for the first)."""
    return [
        Question(
            position=1,
            kind=QuestionKind.SINGLE_CHOICE,
            required=True,
            prompt={"en": "Which space matters most?", "es": "¿Qué espacio importa más?"},
            options=[option("park", "Parks", es="Parques"), option("library", "Libraries", es="Bibliotecas")],
            allow_other=True,
        ),
        Question(
            position=2,
            kind=QuestionKind.MULTIPLE_CHOICE,
            prompt={"en": "What would you use?"},
            options=[option("sport", "Sport"), option("music", "Music"), option("study", "Study rooms")],
            max_choices=2,
        ),
        Question(position=3, kind=QuestionKind.YES_NO, required=True, prompt={"en": "Do you feel safe at night?"}),
        Question(
            position=4,
            kind=QuestionKind.RATING,
            prompt={"en": "How welcome do you feel?"},
            scale_min=1,
            scale_max=5,
            low_label={"en": "Not at all"},
            high_label={"en": "Very"},
        ),
        Question(
            position=5,
            kind=QuestionKind.RANKING,
            prompt={"en": "Rank these priorities"},
            options=[option("jobs", "Jobs"), option("housing", "Housing"), option("transport", "Transport")],
            max_choices=2,
        ),
        Question(position=6, kind=QuestionKind.SHORT_TEXT, prompt={"en": "One word for your city"}, max_length=40),
        Question(position=7, kind=QuestionKind.LONG_TEXT, prompt={"en": "What should change?"}, max_length=2000),
    ]


def make_consultation(
    city: City,
    stage: str = "open",
    *,
    questions: list[Question] | None = None,
    mode: ResponseMode = ResponseMode.ANONYMOUS,
    **fields,
) -> Consultation:
    """A consultation in `stage` (draft, scheduled, open, closed, outcome-published, archived)."""
    now = utcnow()
    dates = {
        "draft": (now + timedelta(days=1), now + timedelta(days=10), None),
        "scheduled": (now + timedelta(days=1), now + timedelta(days=10), now),
        "open": (now - timedelta(days=1), now + timedelta(days=10), now - timedelta(days=2)),
    }.get(stage, (now - timedelta(days=20), now - timedelta(days=1), now - timedelta(days=21)))
    defaults = {
        "title": {"en": "Our parks", city.default_language: f"Parks ({city.default_language})"},
        "summary": {"en": "Tell us about parks."},
        "body": {"en": "We want to **hear** from you."},
        "topic": Topic.ENVIRONMENT,
        "min_age": city.min_age,
        "max_age": city.max_age,
        "opens_at": dates[0],
        "closes_at": dates[1],
        "published_at": dates[2],
    }
    consultation = Consultation(city=city, mode=mode, **(defaults | fields))
    consultation.questions = questions if questions is not None else every_kind_of_question()
    if stage in ("outcome-published", "archived"):
        consultation.outcome = {"en": "We will open two parks late.", city.default_language: "Outcome"}
        consultation.outcome_published_at = now - timedelta(hours=12)
    if stage == "archived":
        consultation.archived_at = now - timedelta(hours=1)
    db.session.add(consultation)
    db.session.commit()
    return consultation


def add_response(
    consultation: Consultation,
    user: User,
    answers: dict[int, dict] | None = None,
    *,
    submitted: bool = True,
    gender: str | None = None,
    district: str | None = None,
) -> Response:
    """A response; `answers` maps question position -> Answer fields, e.g. {1: {"choices": ["park"]}}."""
    by_position = {q.position: q for q in consultation.questions}
    response = Response(
        consultation=consultation,
        user=user,
        status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.DRAFT,
        submitted_at=utcnow() if submitted else None,
        age_band=age_band(user.age_on(utcnow().date())),
        gender=gender,
        district=district,
    )
    response.answers = [
        Answer(
            question=by_position[pos],
            text_key=written.key_of(by_position[pos], values.get("choices"), values.get("text")),
            **values,
        )
        for pos, values in (answers or {}).items()
    ]
    db.session.add(response)
    if submitted:
        fix_result_settings(consultation)
        answered = [(a.question.id, a.choices, a.number, a.text_key is not None) for a in response.answers]
        db.session.flush()
        counts.change(consultation, None, counts.counted(response, answered))
    db.session.commit()
    return response
