"""Demo consultations for `flask demo`: every stage, in the demo cities' languages, answered by synthetic young
respondents in bulk, so that results, breakdowns and suppressed cells are there to see.

Idempotent: nothing is added once the first demo consultation (Murcia's "Parques más seguros de noche") exists.
A fixed random seed gives the same respondents and answers on every load; only the dates follow the loading day.
The respondents are ordinary demo accounts (respondent-0001@demo.youth-portal.org, ...) with the demo password.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from ..accounts.models import CityRole, CityRoleName, NetworkRole, User, age_on, consent_age_on
from ..cities.models import City
from ..consultations.models import (
    Answer,
    Audience,
    Commitment,
    CommitmentStatus,
    Consultation,
    ConsultationUpdate,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Stage,
)
from ..consultations.results import counts, written
from ..consultations.results.tallies import fix_result_settings
from ..extensions import db
from ..guardians.models import CONSENT_TEXT_VERSION, ConsentStatus, GuardianConsent
from ..pages.terms import TERMS_VERSION
from ..statistics.demographics import age_band
from ..timeutil import utcnow
from .accounts import DEMO_ACCOUNTS
from .consultation_content import (
    AGE_WEIGHTS,
    DEMO_CONSULTATIONS,
    DISTRICTS,
    GENDER_WEIGHTS,
    LANGUAGES_BY_CITY,
    RESPONDENTS_BY_CITY,
    DemoConsultation,
    DemoQuestion,
)

#: Synthetic respondents `flask demo` creates unless told otherwise (`--respondents`).
DEFAULT_RESPONDENTS = 1600
SEED = 20261125
RESPONDENT_EMAIL = "respondent-{number:04d}@demo.youth-portal.org"
#: The demo is loaded when this consultation exists in this city.
MARKER_CITY, MARKER_TITLE = DEMO_CONSULTATIONS[0].city, DEMO_CONSULTATIONS[0].title
#: Share of people answering an open consultation who have only saved a draft so far.
DRAFT_SHARE = 0.05
#: Free texts approved as quotes per text question, where results are public.
QUOTES_PER_QUESTION = 3
OTHER = "other"


@dataclass
class Person:
    """A respondent as the demo sees them: where they live, their language, age and what they would say about
    themselves when asked."""

    user_id: int
    city_slug: str
    language: str
    birth_year: int
    birth_month: int
    gender: str | None
    district: str | None
    #: Named demo residents answer only consultations that are closed, so that they can try answering the open ones.
    answers_open: bool = True

    def age_on(self, day: date) -> int:
        return age_on(day, self.birth_year, self.birth_month)


@dataclass
class ConsultationDemoAdded:
    """What a load added, and how long it took."""

    consultations: int = 0
    respondents: int = 0
    responses: int = 0
    answers: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        if not self.consultations:
            return "Demo consultations: already there, nothing added."
        return (
            f"Demo consultations: {self.consultations} consultations, {self.respondents} respondents, "
            f"{self.responses} responses and {self.answers} answers added in {self.seconds:.1f} s."
        )


def load_consultation_demo(
    respondents: int = DEFAULT_RESPONDENTS, *, password_hash: Callable[[], str]
) -> ConsultationDemoAdded:
    """Add the demo consultations with their respondents, responses and outcomes, unless already there;
    `password_hash` gives the demo password's hash (computed once). The caller commits."""
    started = time.perf_counter()
    slugs = {spec.city for spec in DEMO_CONSULTATIONS}
    cities = {city.slug: city for city in db.session.scalars(sa.select(City).where(City.slug.in_(slugs)))}
    if MARKER_CITY not in cities or _already_loaded(cities[MARKER_CITY]):
        return ConsultationDemoAdded()
    now = utcnow()
    rng = random.Random(SEED)
    _give_districts(cities)
    people, created = _respondents(rng, cities, respondents, password_hash, now)
    people += _named_residents(rng, cities)
    added = ConsultationDemoAdded(respondents=created)
    response_rows, answer_rows = [], []
    for spec in DEMO_CONSULTATIONS:
        if spec.city not in cities:
            continue
        consultation = _consultation(spec, cities[spec.city], now)
        added.consultations += 1
        for response, answers in _responses(rng, spec, consultation, people, now):
            response_rows.append(response)
            answer_rows.append(answers)
            if response["status"] == ResponseStatus.SUBMITTED:
                fix_result_settings(consultation)
    _insert(Response, response_rows)
    ids = {
        (consultation_id, user_id): response_id
        for consultation_id, user_id, response_id in db.session.execute(
            sa.select(Response.consultation_id, Response.user_id, Response.id).where(
                Response.consultation_id.in_({row["consultation_id"] for row in response_rows})
            )
        )
    }
    flat_answers = [
        answer | {"response_id": ids[(response["consultation_id"], response["user_id"])]}
        for response, answers in zip(response_rows, answer_rows, strict=True)
        for answer in answers
    ]
    _insert(Answer, flat_answers)
    added.responses, added.answers = len(response_rows), len(flat_answers)
    for consultation in db.session.scalars(
        sa.select(Consultation).where(Consultation.id.in_({row["consultation_id"] for row in response_rows}))
    ):
        counts.rebuild(consultation)
    db.session.flush()
    added.seconds = time.perf_counter() - started
    return added


def _already_loaded(city: City) -> bool:
    titles = db.session.scalars(sa.select(Consultation.title).where(Consultation.city_id == city.id))
    return any(title.get(city.default_language) == MARKER_TITLE.get(city.default_language) for title in titles)


def _give_districts(cities: dict[str, City]) -> None:
    """Districts for the cities that ask for one, unless their admins have set some."""
    for slug, districts in DISTRICTS.items():
        if slug in cities and not cities[slug].districts:
            cities[slug].districts = list(districts)


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


# Respondents ----------------------------------------------------------------------------------------------------


def _respondents(
    rng: random.Random, cities: dict[str, City], count: int, password_hash: Callable[[], str], now: datetime
) -> tuple[list[Person], int]:
    """`count` synthetic young residents across the cities, as accounts (inserted in bulk, one shared password
    hash) with a guardian's consent where their age needs one; those already there are reused."""
    shares = {slug: share for slug, share in RESPONDENTS_BY_CITY.items() if slug in cities}
    today = now.date()
    specs = []
    for number in range(1, count + 1):
        slug = _weighted(rng, shares)
        city = cities[slug]
        age = _weighted(rng, {a: w for a, w in AGE_WEIGHTS.items() if city.min_age <= a <= city.max_age})
        birth_month = rng.randint(1, 12)
        gender = _weighted(rng, GENDER_WEIGHTS)
        district = None
        if slug in DISTRICTS and rng.random() > 0.08:
            district = _weighted(rng, DISTRICTS[slug])
        specs.append(
            (
                number,
                city,
                age,
                Person(
                    user_id=0,
                    city_slug=slug,
                    language=_weighted(rng, LANGUAGES_BY_CITY.get(slug, {city.default_language: 1})),
                    birth_year=today.year - age - (1 if birth_month > today.month else 0),
                    birth_month=birth_month,
                    gender=gender,
                    district=district,
                ),
            )
        )
    emails = {number: RESPONDENT_EMAIL.format(number=number) for number, _city, _age, _person in specs}
    existing = _respondent_ids()
    new = [(number, city, age, person) for number, city, age, person in specs if emails[number] not in existing]
    if new:
        hashed = password_hash()
        registered = now - timedelta(days=420)
        _insert(
            User,
            [
                {
                    "email": emails[number],
                    "password_hash": hashed,
                    "display_name": f"Respondent {number:04d}",
                    "home_city_id": city.id,
                    "birth_year": person.birth_year,
                    "birth_month": person.birth_month,
                    "language": person.language,
                    "email_verified_at": registered,
                    "terms_version": TERMS_VERSION,
                    "created_at": registered,
                }
                for number, city, age, person in new
            ],
        )
        existing = _respondent_ids()
        consents = [
            {
                "user_id": existing[emails[number]],
                "guardian_email": f"guardian-of-{emails[number]}",
                "language": person.language,
                "status": ConsentStatus.GRANTED,
                "text_version": CONSENT_TEXT_VERSION,
                "requested_at": registered,
                "decided_at": registered + timedelta(days=1),
            }
            for number, city, _age, person in new
            if consent_age_on(today, person.birth_year, person.birth_month) < city.consent_age
        ]
        if consents:
            db.session.execute(sa.insert(GuardianConsent), consents)
    for number, _city, _age, person in specs:
        person.user_id = existing[emails[number]]
    return [person for _number, _city, _age, person in specs], len(new)


def _respondent_ids() -> dict[str, int]:
    """The respondents' accounts already there: email -> id."""
    pattern = RESPONDENT_EMAIL.replace("{number:04d}", "%")
    rows = db.session.execute(sa.select(User.email, User.id).where(User.email.like(pattern)))
    return {email: user_id for email, user_id in rows if email is not None}  # LIKE never matches NULL anyway


def _named_residents(rng: random.Random, cities: dict[str, City]) -> list[Person]:
    """The young residents in the table of demo logins (not the one awaiting consent), so that their
    participation page has answers, outcomes and commitments to show."""
    emails = [
        a.email for a in DEMO_ACCOUNTS if a.city_role is None and a.network_role is None and a.guardian_email is None
    ]
    users = db.session.scalars(sa.select(User).where(User.email.in_(emails)).order_by(User.email))
    by_city_id: dict[int | None, str] = {city.id: slug for slug, city in cities.items()}
    people = []
    for user in users:
        slug = by_city_id.get(user.home_city_id)
        if slug is None or user.birth_year is None:
            continue
        gender = _weighted(rng, GENDER_WEIGHTS)
        people.append(
            Person(
                user_id=user.id,
                city_slug=slug,
                language=user.language,
                birth_year=user.birth_year,
                birth_month=user.birth_month or 1,
                gender=gender,
                district=_weighted(rng, DISTRICTS[slug]) if slug in DISTRICTS else None,
                answers_open=False,
            )
        )
    return people


# Consultations --------------------------------------------------------------------------------------------------


def _dates(stage: Stage, now: datetime) -> dict[str, datetime | None]:
    """Opening, closing and publication times that put a consultation in `stage` today."""
    days = {
        Stage.DRAFT: (10, 40, None, None, None),
        Stage.SCHEDULED: (5, 35, -2, None, None),
        Stage.OPEN: (-12, 20, -14, None, None),
        Stage.CLOSED: (-50, -6, -52, None, None),
        Stage.OUTCOME_PUBLISHED: (-130, -70, -132, -40, None),
        Stage.ARCHIVED: (-400, -340, -402, -300, -20),
    }[stage]
    names = ("opens_at", "closes_at", "published_at", "outcome_published_at", "archived_at")
    return {
        name: None if offset is None else (now + timedelta(days=offset)).replace(minute=0, second=0, microsecond=0)
        for name, offset in zip(names, days, strict=True)
    }


def _consultation(spec: DemoConsultation, city: City, now: datetime) -> Consultation:
    """The consultation with its questions, outcome, commitments and "you said, we did" timeline."""
    dates = _dates(spec.stage, now)
    opens_at = dates["opens_at"]
    assert opens_at is not None  # every stage has an opening time
    author = _staff_member(city)
    consultation = Consultation(
        city=city,
        title=spec.title,
        summary=spec.summary,
        body=spec.body,
        topic=spec.topic,
        min_age=spec.min_age or city.min_age,
        max_age=spec.max_age or city.max_age,
        audience=spec.audience,
        mode=spec.mode,
        ask_gender=spec.ask_gender,
        ask_district=spec.ask_district,
        outcome=spec.outcome if dates["outcome_published_at"] else {},
        created_by_id=author.id if author else None,
        created_at=opens_at - timedelta(days=20),
        **dates,
    )
    consultation.questions = [_question(position, question) for position, question in enumerate(spec.questions, 1)]
    db.session.add(consultation)
    db.session.flush()
    if dates["outcome_published_at"]:
        _outcome(consultation, spec, dates["outcome_published_at"], now)
        db.session.flush()
    return consultation


def _question(position: int, spec: DemoQuestion) -> Question:
    low, high = spec.scale or (None, None)
    return Question(
        position=position,
        kind=spec.kind,
        required=spec.required,
        prompt=spec.prompt,
        options=[{"id": c.id, "label": c.label} for c in spec.choices] if spec.kind != QuestionKind.YES_NO else [],
        allow_other=spec.allow_other,
        max_choices=spec.max_choices,
        scale_min=low,
        scale_max=high,
        low_label=spec.low_label,
        high_label=spec.high_label,
        max_length=spec.max_length,
    )


def _outcome(consultation: Consultation, spec: DemoConsultation, published: datetime, now: datetime) -> None:
    """Commitments, and the timeline respondents were told about (already emailed): the outcome, then each change of
    status."""
    today = now.date()
    updates = [
        ConsultationUpdate(
            consultation_id=consultation.id, kind="outcome-published", created_at=published, emailed_at=published
        )
    ]
    moves = {
        CommitmentStatus.IN_PROGRESS: (CommitmentStatus.IN_PROGRESS,),
        CommitmentStatus.DONE: (CommitmentStatus.IN_PROGRESS, CommitmentStatus.DONE),
        CommitmentStatus.NOT_POSSIBLE: (CommitmentStatus.NOT_POSSIBLE,),
    }
    for position, item in enumerate(spec.commitments, 1):
        commitment = Commitment(
            position=position,
            text=item.text,
            status=item.status,
            reason=item.reason,
            due_on=today + timedelta(days=item.due_in_days),
            updated_at=published,
        )
        consultation.commitments.append(commitment)
        for step, status in enumerate(moves.get(item.status, ()), 1):
            moved = min(published + timedelta(days=7 * step + position), now - timedelta(days=1))
            updates.append(
                ConsultationUpdate(
                    consultation_id=consultation.id,
                    commitment=commitment,
                    kind="commitment-status",
                    status=status,
                    created_at=moved,
                    emailed_at=moved,
                )
            )
            commitment.updated_at = moved
    db.session.add_all(updates)


def _staff_member(city: City) -> User | None:
    """Who wrote the city's consultations and approved its quotes: its staff, else a network admin."""
    return db.session.scalar(
        sa.select(User)
        .join(CityRole, CityRole.user_id == User.id)
        .where(
            CityRole.city_id == city.id,
            CityRole.revoked_at.is_(None),
            CityRole.role.in_([CityRoleName.STAFF, CityRoleName.CITY_ADMIN]),
        )
        .order_by(CityRole.role.desc(), User.id)
        .limit(1)
    ) or db.session.scalar(sa.select(User).where(User.network_role == NetworkRole.NETWORK_ADMIN).order_by(User.id))


# Responses ------------------------------------------------------------------------------------------------------


def _responses(
    rng: random.Random, spec: DemoConsultation, consultation: Consultation, people: list[Person], now: datetime
):
    """(response row, answer rows) for the eligible people who answer, drafts included while it is open."""
    if spec.stage in (Stage.DRAFT, Stage.SCHEDULED):
        return
    assert consultation.opens_at is not None and consultation.closes_at is not None  # it has opened
    is_open = spec.stage == Stage.OPEN
    last = min(consultation.closes_at, now - timedelta(hours=1))
    span = (last - consultation.opens_at).total_seconds()
    quotes_public = not is_open
    approver = _staff_member(consultation.city) if quotes_public else None
    approved: dict[int, set[str]] = {}
    for person in people:
        at_home = person.city_slug == spec.city
        if not person.answers_open and (is_open or not at_home):
            continue
        rate = spec.participation if at_home else spec.network_participation
        if not at_home and spec.audience != Audience.NETWORK:
            continue
        if person.answers_open and rng.random() >= rate:
            continue
        answered_at = consultation.opens_at + timedelta(seconds=rng.uniform(0, span))
        if not consultation.min_age <= person.age_on(answered_at.date()) <= consultation.max_age:
            continue
        draft = is_open and person.answers_open and rng.random() < DRAFT_SHARE
        gender = person.gender if spec.ask_gender else None
        response = {
            "consultation_id": consultation.id,
            "user_id": person.user_id,
            "status": ResponseStatus.DRAFT if draft else ResponseStatus.SUBMITTED,
            "age_band": None if draft else age_band(person.age_on(answered_at.date())),
            "gender": gender,
            "district": person.district if spec.ask_district and at_home else None,
            "created_at": answered_at - timedelta(minutes=rng.randint(3, 600)),
            "updated_at": answered_at,
            "submitted_at": None if draft else answered_at,
        }
        answers = []
        # A draft answers the first half of the questions only, so it is shorter than the spec's list.
        questions = consultation.questions[: len(consultation.questions) // 2 or 1] if draft else consultation.questions
        for question, question_spec in zip(questions, spec.questions, strict=False):
            values = _answer(rng, question_spec, person.language, gender)
            if values is None:
                continue
            quote_at, quote_by = None, None
            seen = approved.setdefault(question.id, set())
            if (
                approver
                and not draft
                and question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
                and len(seen) < QUOTES_PER_QUESTION
                and values["text"] not in seen
            ):
                seen.add(values["text"])
                quote_at, quote_by = min(last + timedelta(days=2), now - timedelta(hours=2)), approver.id
            answers.append(
                {
                    "question_id": question.id,
                    **values,
                    "text_key": written.key_of(question, values["choices"], values["text"]),
                    "quote_approved_at": quote_at,
                    "quote_approved_by_id": quote_by,
                }
            )
        yield response, answers


def _answer(rng: random.Random, spec: DemoQuestion, language: str, gender: str | None) -> dict | None:
    """One answer as the Answer columns hold it, drawn from the question's weights; None when skipped."""
    if rng.random() >= spec.answer_rate:
        return None
    weights = {c.id: c.weight for c in spec.choices} | spec.weights_by_gender.get(gender or "", {})
    choices, number, text = [], None, None
    kind = spec.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        text = _text(rng, spec, language)
    elif kind == QuestionKind.RATING:
        assert spec.scale is not None  # every rating question has its scale
        low, high = spec.scale
        number = rng.choices(range(low, high + 1), spec.scale_weights)[0]
    elif kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO):
        choices = [_weighted(rng, weights | ({OTHER: 0.6} if spec.allow_other else {}))]
    else:
        places = min(spec.max_choices or len(weights), len(weights))
        how_many = places if kind == QuestionKind.RANKING else rng.randint(1, places)
        choices = _ordered_sample(rng, weights | ({OTHER: 0.4} if spec.allow_other else {}), how_many)
    if OTHER in choices:
        text = _text(rng, spec, language)
    return {"choices": choices, "number": number, "text": text}


def _ordered_sample(rng: random.Random, weights: dict[str, float], count: int) -> list[str]:
    """`count` different options, more likely the heavier ones, the heaviest-drawn first (a ranking's order)."""
    keys = sorted(weights, key=lambda key: rng.random() ** (1 / weights[key]), reverse=True)
    return keys[:count]


def _text(rng: random.Random, spec: DemoQuestion, language: str) -> str:
    """A free text in the respondent's language, else in the first language the question has texts in."""
    texts = spec.texts.get(language) or next(iter(spec.texts.values()))
    return rng.choice(texts)


def _insert(model, rows: list[dict]) -> None:
    """Insert rows in bulk: one executemany on the table (the ORM's bulk insert would split the rows into a
    statement for each run of rows whose None values differ)."""
    if rows:
        db.session.execute(sa.insert(model.__table__), rows)
