"""Consultations: what a city asks young people, their answers, and what the city did with them."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_method

from ..accounts.models import User
from ..cities.models import City
from ..columns import enum_column
from ..extensions import Model
from ..questionnaires.texts import Translated, localized
from ..timeutil import utcnow


class Topic(enum.StrEnum):
    """One network-wide list, so that cities can be compared."""

    SOCIAL_COHESION = "social-cohesion"
    HATE_PREVENTION = "hate-prevention"
    PREVENTING_VIOLENT_EXTREMISM = "preventing-violent-extremism"
    POLARISATION = "polarisation"
    SAFETY = "safety"
    MENTAL_HEALTH = "mental-health"
    EDUCATION = "education"
    EMPLOYMENT = "employment"
    ENVIRONMENT = "environment"
    CULTURE_SPORT = "culture-sport"
    DIGITAL_LIFE = "digital-life"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(TOPIC_LABELS[self])


TOPIC_LABELS = {
    Topic.SOCIAL_COHESION: _l("Social cohesion"),
    Topic.HATE_PREVENTION: _l("Hate prevention"),
    Topic.PREVENTING_VIOLENT_EXTREMISM: _l("Preventing violent extremism"),
    Topic.POLARISATION: _l("Polarisation"),
    Topic.SAFETY: _l("Safety"),
    Topic.MENTAL_HEALTH: _l("Mental health"),
    Topic.EDUCATION: _l("Education"),
    Topic.EMPLOYMENT: _l("Employment"),
    Topic.ENVIRONMENT: _l("Environment"),
    Topic.CULTURE_SPORT: _l("Culture and sport"),
    Topic.DIGITAL_LIFE: _l("Digital life"),
    Topic.OTHER: _l("Other"),
}


class Stage(enum.StrEnum):
    """Where a consultation is in its life; derived from its dates, so no job is needed to move it on."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    OUTCOME_PUBLISHED = "outcome-published"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return str(STAGE_LABELS[self])

    @property
    def is_closed(self) -> bool:
        """Closed for answers: results public, questions locked (closed, outcome published, archived)."""
        return self in CLOSED_STAGES

    @property
    def takes_outcome(self) -> bool:
        """Staff may write the outcome and its commitments (closed, or outcome published and not archived)."""
        return self in OUTCOME_STAGES


#: Closed for answers: the results are public and the questions locked.
CLOSED_STAGES = frozenset({Stage.CLOSED, Stage.OUTCOME_PUBLISHED, Stage.ARCHIVED})
#: Staff write the outcome and its commitments.
OUTCOME_STAGES = frozenset({Stage.CLOSED, Stage.OUTCOME_PUBLISHED})
#: The life cycle, each step once: the stage it starts from. The model's methods refuse any other stage, and the
#: staff pages offer a step only at its stage.
STEP_STARTS = {
    "publish": Stage.DRAFT,
    "unpublish": Stage.SCHEDULED,
    "close": Stage.OPEN,
    "publish_outcome": Stage.CLOSED,
    "archive": Stage.OUTCOME_PUBLISHED,
}


STAGE_LABELS = {
    Stage.DRAFT: _l("Draft"),
    Stage.SCHEDULED: _l("Upcoming"),
    Stage.OPEN: _l("Open"),
    Stage.CLOSED: _l("Closed"),
    Stage.OUTCOME_PUBLISHED: _l("Outcome published"),
    Stage.ARCHIVED: _l("Archived"),
}


class Audience(enum.StrEnum):
    RESIDENTS = "residents"  #: residents of the city only
    NETWORK = "network"  #: every member of the network


class ResponseMode(enum.StrEnum):
    ANONYMOUS = "anonymous"  #: staff see aggregates and free text, never who wrote what
    IDENTIFIED = "identified"


class ConsultationError(Exception):
    """A life-cycle rule refused an action; the message is translated and shown to the person."""


class WrongStage(ConsultationError):
    """The action is not possible at the consultation's stage (as opposed to something missing)."""


class Consultation(Model):
    __tablename__ = "consultations"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    city_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cities.id"), index=True)
    title: so.Mapped[Translated] = so.mapped_column(sa.JSON, default=dict)
    summary: so.Mapped[Translated] = so.mapped_column(sa.JSON, default=dict)
    #: Markdown, rendered and sanitised on display.
    body: so.Mapped[Translated] = so.mapped_column(sa.JSON, default=dict)
    topic: so.Mapped[Topic] = so.mapped_column(enum_column(Topic))
    #: Server-chosen file name of the re-encoded cover image under instance/uploads/covers/.
    cover_image: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    cover_alt: so.Mapped[Translated] = so.mapped_column(sa.JSON, default=dict)
    min_age: so.Mapped[int]
    max_age: so.Mapped[int]
    audience: so.Mapped[Audience] = so.mapped_column(enum_column(Audience), default=Audience.RESIDENTS)
    mode: so.Mapped[ResponseMode] = so.mapped_column(enum_column(ResponseMode), default=ResponseMode.ANONYMOUS)
    ask_gender: so.Mapped[bool] = so.mapped_column(default=False)
    ask_district: so.Mapped[bool] = so.mapped_column(default=False)
    #: The k, districts and age bands its results use ({"k": 10, "districts": [...], "age_bands": [...]}), fixed by
    #: its first results with answers: a city edit must not republish its tables with other hidden cells. None
    #: until then (the city's current settings apply).
    result_settings: so.Mapped[dict | None] = so.mapped_column(sa.JSON(none_as_null=True))
    #: UTC; staff enter them in the city's timezone.
    opens_at: so.Mapped[datetime | None]
    closes_at: so.Mapped[datetime | None]
    published_at: so.Mapped[datetime | None]
    #: "You said, we did": what the city will do, Markdown per language.
    outcome: so.Mapped[Translated] = so.mapped_column(sa.JSON, default=dict)
    outcome_published_at: so.Mapped[datetime | None]
    archived_at: so.Mapped[datetime | None]
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)

    city: so.Mapped[City] = so.relationship()
    questions: so.Mapped[list["Question"]] = so.relationship(
        back_populates="consultation", order_by="Question.position", cascade="all, delete-orphan"
    )
    commitments: so.Mapped[list["Commitment"]] = so.relationship(
        back_populates="consultation", order_by="Commitment.position", cascade="all, delete-orphan"
    )

    @hybrid_method
    def stage(self, now: datetime | None = None) -> Stage:
        """Where the consultation is at `now`; on the class, the same rules as SQL (tests check they agree)."""
        now = now or utcnow()
        if self.archived_at is not None:
            return Stage.ARCHIVED
        if self.outcome_published_at is not None:
            return Stage.OUTCOME_PUBLISHED
        if self.published_at is None or self.opens_at is None or self.closes_at is None:
            return Stage.DRAFT
        if now < self.opens_at:
            return Stage.SCHEDULED
        if now < self.closes_at:
            return Stage.OPEN
        return Stage.CLOSED

    # `expression` sets the SQL form on `stage` itself (hybrid_method has no copy to keep apart, so no `inplace`,
    # whose Self mypy reads through the descriptor); `_stage_expression` is only a second name for the same hybrid.
    @stage.expression
    @classmethod
    def _stage_expression(cls, now: datetime | None = None) -> sa.Case:
        """Consultation.stage(now) as SQL, so lists filter and sort by stage in the database."""
        now = now or utcnow()
        return sa.case(
            (cls.archived_at.is_not(None), Stage.ARCHIVED.value),
            (cls.outcome_published_at.is_not(None), Stage.OUTCOME_PUBLISHED.value),
            (sa.or_(cls.published_at.is_(None), cls.opens_at.is_(None), cls.closes_at.is_(None)), Stage.DRAFT.value),
            (cls.opens_at > now, Stage.SCHEDULED.value),
            (cls.closes_at > now, Stage.OPEN.value),
            else_=Stage.CLOSED.value,
        )

    def text(self, field: str, language: str) -> tuple[str, bool]:
        """The text in `language`, or in the city's default language; the flag says a fallback was used."""
        return localized(getattr(self, field), language, self.city.default_language)

    # Life cycle ------------------------------------------------------------------------------------------------

    def publish(self, now: datetime | None = None) -> None:
        """Draft -> scheduled (or open, if the opening time has passed)."""
        now = now or utcnow()
        self._require("publish", now)
        if not self.title.get(self.city.default_language):
            raise ConsultationError(_l("Give the consultation a title in the city's default language first."))
        if not self.questions:
            raise ConsultationError(_l("Add at least one question before publishing."))
        if self.opens_at is None or self.closes_at is None or self.closes_at <= self.opens_at:
            raise ConsultationError(_l("Set an opening time before the closing time."))
        if self.closes_at <= now:
            raise ConsultationError(_l("The closing time has already passed."))
        self.published_at = now

    def unpublish(self, now: datetime | None = None) -> None:
        """Scheduled -> draft, before anyone could answer."""
        self._require("unpublish", now or utcnow())
        self.published_at = None

    def close_now(self, now: datetime | None = None) -> None:
        """Open -> closed, earlier than planned."""
        now = now or utcnow()
        self._require("close", now)
        self.closes_at = now

    def publish_outcome(self, now: datetime | None = None) -> None:
        """Closed -> outcome published ("you said, we did")."""
        now = now or utcnow()
        self._require("publish_outcome", now)
        if not self.outcome.get(self.city.default_language):
            raise ConsultationError(_l("Write the outcome statement in the city's default language first."))
        self.outcome_published_at = now

    def archive(self, now: datetime | None = None) -> None:
        """Outcome published -> archived."""
        now = now or utcnow()
        self._require("archive", now)
        self.archived_at = now

    def _require(self, step: str, now: datetime) -> None:
        if self.stage(now) != STEP_STARTS[step]:
            raise ConsultationError(
                _l("This is not possible while the consultation is %(stage)s.", stage=self.stage(now).label.lower())
            )


class QuestionKind(enum.StrEnum):
    SINGLE_CHOICE = "single-choice"
    MULTIPLE_CHOICE = "multiple-choice"
    YES_NO = "yes-no"
    RATING = "rating"
    RANKING = "ranking"
    SHORT_TEXT = "short-text"
    LONG_TEXT = "long-text"


class Question(Model):
    __tablename__ = "questions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    consultation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: so.Mapped[int] = so.mapped_column(default=0)
    kind: so.Mapped[QuestionKind] = so.mapped_column(enum_column(QuestionKind))
    required: so.Mapped[bool] = so.mapped_column(default=False)
    prompt: so.Mapped[Translated] = so.mapped_column(sa.JSON, default=dict)
    help: so.Mapped[Translated] = so.mapped_column(sa.JSON, default=dict)
    #: Choice and ranking questions: [{"id": "a1b2", "label": {"es": "...", "en": "..."}}, ...]; ids never change.
    options: so.Mapped[list[dict]] = so.mapped_column(sa.JSON, default=list)
    #: Choice questions: offer "other (please specify)".
    allow_other: so.Mapped[bool] = so.mapped_column(default=False)
    #: Multiple choice: at most this many; ranking: order up to this many.
    max_choices: so.Mapped[int | None]
    #: Rating: 1-5 or 0-10.
    scale_min: so.Mapped[int | None]
    scale_max: so.Mapped[int | None]
    low_label: so.Mapped[Translated] = so.mapped_column(sa.JSON, default=dict)
    high_label: so.Mapped[Translated] = so.mapped_column(sa.JSON, default=dict)
    #: Free text: at most this many characters.
    max_length: so.Mapped[int | None]

    consultation: so.Mapped[Consultation] = so.relationship(back_populates="questions")


class ResponseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Response(Model):
    """One person's answers to one consultation (one per person, enforced by the database)."""

    __tablename__ = "responses"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    consultation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    #: Kept in both modes so a person has one response and can edit it; never shown to staff in anonymous mode.
    #: None once unlinked: the person deleted their account, or (anonymous mode) the retention period ended
    #: (retention.py); the answers then count anonymously, tied to nobody.
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    status: so.Mapped[ResponseStatus] = so.mapped_column(enum_column(ResponseStatus), default=ResponseStatus.DRAFT)
    #: Age band at the time of answering (never the age itself), for breakdowns: "13-15", "16-17", "18-24", "25-30".
    age_band: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    #: Optional demographic answers, asked separately and never required.
    gender: so.Mapped[str | None] = so.mapped_column(sa.String(30))
    district: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: so.Mapped[datetime | None]
    #: When a guardian withdrew the consent the person answered under: left out of every release from then on.
    withdrawn_at: so.Mapped[datetime | None]

    consultation: so.Mapped[Consultation] = so.relationship()
    user: so.Mapped[User | None] = so.relationship()
    answers: so.Mapped[list["Answer"]] = so.relationship(back_populates="response", cascade="all, delete-orphan")

    __table_args__ = (sa.UniqueConstraint("consultation_id", "user_id"),)

    @classmethod
    def counted_in(cls, consultation: Consultation) -> sa.ColumnElement[bool]:
        """The responses a consultation's results, breakdowns, quotes and exports count (the one filter they all
        use): submitted, and not withdrawn."""
        return sa.and_(
            cls.consultation_id == consultation.id,
            cls.status == ResponseStatus.SUBMITTED,
            cls.withdrawn_at.is_(None),
        )


class Answer(Model):
    __tablename__ = "answers"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    response_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    question_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    #: Option ids chosen (in order, for ranking); "yes"/"no" for yes-no; "other" when other was chosen.
    choices: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    #: Rating value.
    number: so.Mapped[int | None]
    #: Free text, or the text of "other (please specify)".
    text: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: What identical written texts share (results/written.py), None when the answer has no written text: the
    #: texts are grouped and sorted by it, with an index. Byte order everywhere, as Python sorts.
    text_key: so.Mapped[str | None] = so.mapped_column(
        sa.String(250).with_variant(sa.String(250, collation="C"), "postgresql")
    )
    #: Set when staff approve this free text for publication as a quote.
    quote_approved_at: so.Mapped[datetime | None]
    quote_approved_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))

    response: so.Mapped[Response] = so.relationship(back_populates="answers")
    question: so.Mapped[Question] = so.relationship()

    __table_args__ = (
        sa.UniqueConstraint("response_id", "question_id"),
        sa.Index("ix_answers_question_id_text_key", "question_id", "text_key"),
        # The quotes of a question, read without going through every other text.
        sa.Index(
            "ix_answers_quotes",
            "question_id",
            "text_key",
            sqlite_where=sa.text("quote_approved_at IS NOT NULL"),
            postgresql_where=sa.text("quote_approved_at IS NOT NULL"),
        ),
    )


class ResultCount(Model):
    """What some submitted responses add to a consultation's results, by question, answer and group: the results are
    the sums of these rows (results/counts.py), never a reading of every answer.

    A submission appends its rows (and a re-submission or a withdrawal the opposite of the rows it added before), so
    that people answering at the same moment never wait on one another's row; the rows of a consultation are folded
    into one per (question, key, groups) now and then."""

    __tablename__ = "result_counts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    consultation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    #: The question, or 0 for the responses themselves (a group's size).
    question_id: so.Mapped[int]
    #: The answer key (an option, a rating value...), or "" for "answered" (or, with question 0, "responded").
    key: so.Mapped[str] = so.mapped_column(sa.String(64))
    #: The response's groups, "" when not stated.
    age_band: so.Mapped[str] = so.mapped_column(sa.String(10))
    gender: so.Mapped[str] = so.mapped_column(sa.String(30))
    district: so.Mapped[str] = so.mapped_column(sa.String(80))
    #: The month the response was first submitted ("2026-11", UTC): the network's view sums participation by period.
    month: so.Mapped[str] = so.mapped_column(sa.String(7))
    count: so.Mapped[int]
    #: For a ranking: the sum of the places the option got.
    rank_sum: so.Mapped[int] = so.mapped_column(default=0)


class ReleaseAudience(enum.StrEnum):
    PUBLIC = "public"
    STAFF = "staff"


class ReleaseChannel(enum.StrEnum):
    PAGE = "page"
    JSON = "json"
    CSV = "csv"


class Release(Model):
    """A set of numbers about a consultation's respondents as shown to an audience: the release ledger.

    Each (consultation, audience, channel) is a line of releases numbered 1, 2, ..., whatever their dimension; the
    unique number makes two requests that would add a release at the same moment add one. A published release
    stands: later views show it again rather than the numbers as they have become (results/ledger.py)."""

    __tablename__ = "result_releases"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    consultation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    audience: so.Mapped[ReleaseAudience] = so.mapped_column(enum_column(ReleaseAudience, 10))
    channel: so.Mapped[ReleaseChannel] = so.mapped_column(enum_column(ReleaseChannel, 10))
    #: The breakdown's dimension ("age", "gender", "district"), or "" for the overall numbers.
    dimension: so.Mapped[str] = so.mapped_column(sa.String(20), default="")
    number: so.Mapped[int]
    #: What was shown: the numbers, hidden ones with their "fewer than k" flag (see ledger.py for the layout).
    shown: so.Mapped[dict] = so.mapped_column(sa.JSON)
    made_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("consultation_id", "audience", "channel", "number"),)


class CommitmentStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    NOT_POSSIBLE = "not-possible"

    @property
    def label(self) -> str:
        return str(COMMITMENT_STATUS_LABELS[self])


COMMITMENT_STATUS_LABELS = {
    CommitmentStatus.PLANNED: _l("Planned"),
    CommitmentStatus.IN_PROGRESS: _l("In progress"),
    CommitmentStatus.DONE: _l("Done"),
    CommitmentStatus.NOT_POSSIBLE: _l("Not possible"),
}


class Commitment(Model):
    """Something the city commits to do after a consultation, and where it stands."""

    __tablename__ = "commitments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    consultation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: so.Mapped[int] = so.mapped_column(default=0)
    text: so.Mapped[Translated] = so.mapped_column(sa.JSON, default=dict)
    status: so.Mapped[CommitmentStatus] = so.mapped_column(
        enum_column(CommitmentStatus), default=CommitmentStatus.PLANNED
    )
    #: Why it is not possible (required for NOT_POSSIBLE).
    reason: so.Mapped[Translated] = so.mapped_column(sa.JSON, default=dict)
    due_on: so.Mapped[date | None]
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)

    consultation: so.Mapped[Consultation] = so.relationship(back_populates="commitments")


class ConsultationUpdate(Model):
    """A "you said, we did" event that respondents are told about (outcome published, a commitment moved)."""

    __tablename__ = "consultation_updates"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    consultation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    commitment_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("commitments.id", ondelete="CASCADE"))
    #: "outcome-published" or "commitment-status".
    kind: so.Mapped[str] = so.mapped_column(sa.String(30))
    #: For commitment-status: the new status.
    status: so.Mapped[CommitmentStatus | None] = so.mapped_column(enum_column(CommitmentStatus))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)
    #: Emailing the respondents, in the order of their ids: the last one done, and when everyone was.
    emailed_through: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    emailed_at: so.Mapped[datetime | None]

    commitment: so.Mapped[Commitment | None] = so.relationship()


class ParticipationRecord(Model):
    """That a person took part in an anonymous consultation, kept once the link between them and their answers is
    dropped (retention.py), so that their participation page can still say so."""

    __tablename__ = "participation_records"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    consultation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    #: When the link to the answers was dropped.
    unlinked_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    consultation: so.Mapped[Consultation] = so.relationship()

    __table_args__ = (sa.UniqueConstraint("consultation_id", "user_id"),)
