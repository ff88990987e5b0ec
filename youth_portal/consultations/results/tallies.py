"""A consultation's results from its submitted responses: counts, percentages, averages, rankings, free texts and
breakdowns by one dimension at a time. Queries read everything in a few statements whatever the number of
responses; the tallies are pure functions over their rows."""

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ...accounts.models import User
from ...extensions import db
from ...questionnaires import OTHER, Kind, kind_for
from ...statistics.demographics import AGE_BANDS, GENDERS
from ...statistics.suppression import Breakdown, Cell, suppress_breakdown, suppress_counts, suppress_group_sizes
from ...timeutil import utcnow
from ..models import (
    Answer,
    Consultation,
    Question,
    QuestionKind,
    Release,
    ReleaseAudience,
    ReleaseChannel,
    Response,
    ResponseMode,
    Stage,
    localized,
)
from . import ledger

#: Stages in which the public sees the results: once closed, never live (numbers that move while people answer
#: would show, to someone who owns a few accounts, what one person said).
PUBLIC_STAGES = {Stage.CLOSED, Stage.OUTCOME_PUBLISHED, Stage.ARCHIVED}

#: The dimensions a breakdown may use, one at a time: name -> the response column.
DIMENSIONS = {"age": Response.age_band, "gender": Response.gender, "district": Response.district}
DIMENSION_LABELS = {"age": _l("Age band"), "gender": _l("Gender"), "district": _l("District")}
NOT_STATED = _l("Not stated")


@dataclass
class OptionResult:
    """One answer of a question: how many people gave it (None when hidden from the public, `below_k` saying
    whether it is below k), and what share of those who answered."""

    key: str
    label: str
    count: int | None
    percent: float | None = None
    below_k: bool = False


@dataclass
class RankedOption:
    """A ranking question's option: its average position (1 = first) and how many people ranked it (None, with
    the average, when hidden from the public)."""

    key: str
    label: str
    average_position: float | None
    ranked_by: int | None
    below_k: bool = False


@dataclass
class FreeText:
    """A free text answer (or the text of "other"), with the identical ones (same_text) written by others: one
    text to read and approve once. `key` names it in forms without revealing an id."""

    key: str
    text: str
    approved: bool
    #: Identified mode, for staff only (the names of everyone who wrote it).
    author: str | None = None
    #: How many people wrote this text.
    count: int = 1


def same_text(text: str) -> str:
    """What identical texts have in common: their words, whatever the spaces around them and the letter case."""
    return " ".join(text.split()).casefold()


@dataclass
class QuestionResult:
    question: Question
    prompt: str
    prompt_fell_back: bool
    answered: int = 0
    options: list[OptionResult] = field(default_factory=list)
    average: float | None = None
    ranking: list[RankedOption] = field(default_factory=list)
    texts: list[FreeText] = field(default_factory=list)
    #: None when the dimension is not chosen, or when no breakdown can be shown without exposing someone.
    breakdown: Breakdown | None = None
    breakdown_withheld: bool = False
    #: Public results: fewer than k people answered (the page says so instead of how many).
    answered_below_k: bool = False
    #: Public results: no count of this question can be shown without exposing someone.
    withheld: bool = False

    @property
    def kind(self) -> QuestionKind:
        return self.question.kind

    @property
    def written(self) -> int:
        """How many free texts people wrote (identical ones counted each)."""
        return sum(text.count for text in self.texts)

    @property
    def kind_type(self) -> Kind:
        return kind_for(self.question)

    @property
    def charted(self) -> bool:
        return self.kind_type.charted

    @property
    def one_answer_each(self) -> bool:
        """Each person who answered gave one answer, so that the counts add up to the number who answered."""
        return self.kind_type.counts_add_up(self.question)


@dataclass
class Group:
    key: str | None
    label: str


@dataclass
class Results:
    consultation: Consultation
    responses: int
    questions: list[QuestionResult]
    dimension: str | None = None
    groups: list[Group] = field(default_factory=list)
    #: Group sizes as published; None when the groups are too small for any breakdown.
    group_sizes: list[Cell] | None = None
    k: int = 10
    #: Staff of an anonymous consultation see the numbers of a step (StaffStep), not as they are now.
    step: "StaffStep | None" = None
    #: Public: the breakdown asked for would give something away beside the numbers already published.
    breakdown_refused: bool = False

    @property
    def few_responses(self) -> bool:
        """Whether the public is told "fewer than k people answered" rather than how many."""
        return 0 < self.responses < self.k


@dataclass
class Tallies:
    """What the answers add up to, by question id: how many people answered, how many gave each answer (in the
    order of the kind's answer_keys) and, for a ranking, the sum of the places each option got."""

    answered: dict[int, int]
    counts: dict[int, list[int]]
    rank_sums: dict[int, list[int]]

    def to_json(self) -> dict:
        return {
            name: {str(question_id): value for question_id, value in getattr(self, name).items()}
            for name in ("answered", "counts", "rank_sums")
        }

    @classmethod
    def from_json(cls, data: dict) -> "Tallies":
        return cls(
            *(
                {int(question_id): value for question_id, value in data[name].items()}
                for name in ("answered", "counts", "rank_sums")
            )
        )


@dataclass
class StaffStep:
    """The numbers staff see of an anonymous consultation: while it is open, taken again only once at least k
    people have submitted for the first time since; once closed, every response once (see staff_step); `taken_at`
    None before the first step."""

    responses: int
    tallies: Tallies
    #: Dimension -> (group sizes, cross tables by question id).
    breakdowns: dict[str, tuple[list[int], dict[int, list[list[int]]]]]
    taken_at: datetime | None

    def to_json(self) -> dict:
        return {
            "responses": self.responses,
            "tallies": self.tallies.to_json(),
            "breakdowns": {
                dimension: {"sizes": sizes, "cross": {str(question_id): rows for question_id, rows in cross.items()}}
                for dimension, (sizes, cross) in self.breakdowns.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict, taken_at: datetime) -> "StaffStep":
        breakdowns = {
            dimension: (value["sizes"], {int(question_id): rows for question_id, rows in value["cross"].items()})
            for dimension, value in data["breakdowns"].items()
        }
        return cls(data["responses"], Tallies.from_json(data["tallies"]), breakdowns, taken_at)


# Who sees what --------------------------------------------------------------------------------------------------


def public_may_see(stage: Stage) -> bool:
    """The public sees results once the consultation has closed."""
    return stage in PUBLIC_STAGES


def result_settings(consultation: Consultation) -> dict:
    """The k, districts and age bands of a consultation's results: fixed by its first submitted response, else the
    city's current ones."""
    if consultation.result_settings is not None:
        return consultation.result_settings
    city = consultation.city
    return {
        "k": city.suppression_k,
        "districts": list(city.districts or []),
        "age_bands": [name for name, _low, _high in AGE_BANDS],
    }


def fix_result_settings(consultation: Consultation) -> None:
    """Fix the settings of a consultation's results in the transaction that submits its first response: from then
    on, editing the city's k or districts changes none of its numbers. Two first submissions at the same moment fix
    them once (the second update waits for the first, then finds them fixed)."""
    if consultation.result_settings is not None:
        return
    settings = result_settings(consultation)
    db.session.execute(
        sa.update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.result_settings.is_(None))
        .values(result_settings=settings, updated_at=Consultation.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(consultation, ["result_settings"])


def dimensions_for(consultation: Consultation) -> list[str]:
    """The breakdowns a consultation offers: age always; gender and district when they were asked."""
    offered = ["age"]
    if consultation.ask_gender:
        offered.append("gender")
    if consultation.ask_district and result_settings(consultation)["districts"]:
        offered.append("district")
    return offered


def groups_for(dimension: str, consultation: Consultation) -> list[Group]:
    """The columns of a breakdown, "not stated" last (it also takes values no longer in the list)."""
    if dimension == "age":
        groups = [Group(name, name) for name in result_settings(consultation)["age_bands"]]
    elif dimension == "gender":
        groups = [Group(key, str(label)) for key, label in GENDERS.items()]
    else:
        groups = [Group(name, name) for name in result_settings(consultation)["districts"]]
    return [*groups, Group(None, str(NOT_STATED))]


# Queries --------------------------------------------------------------------------------------------------------


def _submitted(consultation: Consultation):
    return Response.counted_in(consultation)


def response_count(consultation: Consultation) -> int:
    return db.session.scalar(sa.select(sa.func.count(Response.id)).where(_submitted(consultation))) or 0


def _submitted_by(consultation: Consultation, submitted_by: datetime | None):
    """The responses that count, or only those first submitted by `submitted_by` (a staff step's)."""
    counted = _submitted(consultation)
    return counted if submitted_by is None else sa.and_(counted, Response.submitted_at <= submitted_by)


def group_size_rows(
    consultation: Consultation, dimension: str, submitted_by: datetime | None = None
) -> Sequence[tuple[str | None, int]]:
    """(group value, submitted responses) for one dimension."""
    column = DIMENSIONS[dimension]
    return db.session.execute(
        sa.select(column, sa.func.count(Response.id)).where(_submitted_by(consultation, submitted_by)).group_by(column)
    ).all()


def answer_rows(
    consultation: Consultation, dimension: str | None, submitted_by: datetime | None = None
) -> Iterable[tuple]:
    """(question id, choices, number, group value) of every submitted answer, streamed (a text's row says only
    that it was answered)."""
    group = DIMENSIONS[dimension] if dimension else sa.null()
    query = (
        sa.select(Answer.question_id, Answer.choices, Answer.number, group)
        .join(Response, Answer.response_id == Response.id)
        .where(_submitted_by(consultation, submitted_by))
        .execution_options(yield_per=1000)
    )
    return db.session.execute(query)


def text_rows(
    consultation: Consultation,
    *,
    approved_only: bool,
    with_authors: bool,
    question_id: int | None = None,
    submitted_by: datetime | None = None,
) -> Sequence[tuple]:
    """(answer id, question id, choices, text, approved at, display name, deleted at) of submitted free texts, of
    every question or of one; with `submitted_by`, only of the responses first submitted by then."""
    author = (User.display_name, User.deleted_at) if with_authors else (sa.null(), sa.null())
    query = (
        sa.select(Answer.id, Answer.question_id, Answer.choices, Answer.text, Answer.quote_approved_at, *author)
        .join(Response, Answer.response_id == Response.id)
        .where(Answer.text.is_not(None), Answer.text != "")
    )
    if with_authors:
        query = query.outerjoin(User, Response.user_id == User.id)  # an unlinked response has nobody
    if approved_only:
        query = query.where(Answer.quote_approved_at.is_not(None))
    if question_id is not None:
        query = query.where(Answer.question_id == question_id)
    return db.session.execute(query.where(_submitted_by(consultation, submitted_by))).all()


def identical_answers(consultation: Consultation, answer: Answer) -> list[Answer]:
    """The submitted answers to the same question with the same text as `answer` (itself included), locked until
    the request commits, so that two approvals at once make one."""
    texts = db.session.execute(
        sa.select(Answer.id, Answer.text)
        .join(Response, Answer.response_id == Response.id)
        .where(_submitted(consultation), Answer.question_id == answer.question_id, Answer.text.is_not(None))
    )
    ids = [answer_id for answer_id, text in texts if same_text(text or "") == same_text(answer.text or "")]
    return list(
        db.session.scalars(
            sa.select(Answer)
            .where(Answer.id.in_(ids))
            .order_by(Answer.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def find_text_answer(consultation: Consultation, key: str) -> Answer | None:
    """The submitted free-text answer a quote key names, within this consultation only."""
    ids = db.session.scalars(
        sa.select(Answer.id)
        .join(Response, Answer.response_id == Response.id)
        .where(_submitted(consultation), Answer.text.is_not(None), Answer.text != "")
    )
    answer_id = next((i for i in ids if hmac.compare_digest(quote_key(i), key)), None)
    return db.session.get(Answer, answer_id) if answer_id is not None else None


def quote_key(answer_id: int) -> str:
    """An opaque, stable name for an answer in forms: its id (and so its order of writing) stays private."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"quote:{answer_id}".encode(), hashlib.sha256).hexdigest()[:24]


def collect(consultation: Consultation, language: str, *, dimension: str | None = None, staff: bool) -> Results:
    """Everything the results page shows, in a constant number of queries (and a few more when staff's numbers
    take a step)."""
    city = consultation.city
    questions = list(consultation.questions)
    results = Results(consultation, 0, [], k=result_settings(consultation)["k"])
    results.step = staff_step(consultation, questions, results.k) if staff else None
    sizes = None
    if dimension in dimensions_for(consultation):
        results.dimension = dimension
        results.groups = groups_for(dimension, consultation)
        if results.step is not None:
            sizes = results.step.breakdowns[dimension][0]
        else:
            sizes = group_sizes(group_size_rows(consultation, dimension), results.groups)
        results.responses = sum(sizes)
        results.group_sizes = suppress_group_sizes(sizes, results.k)
    elif results.step is not None:
        results.responses = results.step.responses
    else:
        results.responses = response_count(consultation)
    if results.step is not None:
        tallies = results.step.tallies
        cross = results.step.breakdowns[results.dimension][1] if results.dimension else {}
    else:
        tallies, cross = tally(
            questions,
            answer_rows(consultation, results.dimension),
            groups=results.groups if results.group_sizes else None,
        )
    results.questions = results_of(questions, tallies, language, city.default_language)
    # Staff see the texts of the people their numbers count: a text appearing alone would tell when it came.
    if results.step is None or results.step.taken_at is not None:
        texts = text_rows(
            consultation,
            approved_only=not staff,
            with_authors=staff and consultation.mode == ResponseMode.IDENTIFIED,
            submitted_by=results.step.taken_at if results.step else None,
        )
        attach_texts(results.questions, texts)
    if not staff:
        withhold_small_counts(results.questions, results.k)
    if results.group_sizes is not None:
        assert sizes is not None  # the group sizes were suppressed from them
        attach_breakdowns(results.questions, cross, sizes, results.group_sizes, results.k)
    return results


def staff_step(consultation: Consultation, questions: list[Question], k: int) -> StaffStep | None:
    """The numbers staff see of an anonymous consultation, as a release in the ledger; None when they see them as
    they are (identified mode, where staff see names by design).

    Staff who compare the numbers (or the texts) before and after one person's submission must not read that
    person's answers in the change. So while it is open they see the numbers as they were at the last step, and a
    step adds at least k people who submitted for the first time since, while the k newest stay out of it.
    Re-submitting (changed or not) never moves anything by itself. Once it has closed, they see every response as
    the first view after closing found them (a step of at least the k held back), and that step stands: a consent
    withdrawn or an account deleted later would otherwise move the numbers by one person.
    """
    if consultation.mode != ResponseMode.ANONYMOUS:
        return None
    last = ledger.latest(consultation.id, ReleaseAudience.STAFF, ReleaseChannel.PAGE)
    if consultation.stage().is_closed:
        assert consultation.closes_at is not None  # closed, so dated
        if last is not None and last.made_at >= consultation.closes_at:
            return StaffStep.from_json(last.shown, last.made_at)
        cutoff: datetime | None = utcnow()
    else:
        cutoff = _step_cutoff(consultation, last, k)
    if cutoff is None:
        return StaffStep.from_json(last.shown, last.made_at) if last is not None else _step_of(consultation, questions)
    step = _step_of(consultation, questions, cutoff)
    kept = ledger.add(
        consultation.id, ReleaseAudience.STAFF, ReleaseChannel.PAGE, step.to_json(), after=last, made_at=cutoff
    )
    return StaffStep.from_json(kept.shown, kept.made_at)


def _step_cutoff(consultation: Consultation, last: Release | None, k: int) -> datetime | None:
    """Until when the next step of an open consultation reaches: the newest response but k (ties in time stay out
    together, so that k or more do), if at least k others submitted for the first time since the last step."""
    unreleased = _submitted(consultation)
    if last is not None:
        unreleased = sa.and_(unreleased, Response.submitted_at > last.made_at)
    cutoff = db.session.scalar(
        sa.select(Response.submitted_at).where(unreleased).order_by(Response.submitted_at.desc()).offset(k).limit(1)
    )
    if cutoff is None:
        return None
    stepping = sa.select(sa.func.count(Response.id)).where(unreleased, Response.submitted_at <= cutoff)
    held_back = sa.select(sa.func.count(Response.id)).where(unreleased, Response.submitted_at > cutoff)
    if (db.session.scalar(stepping) or 0) < k or (db.session.scalar(held_back) or 0) < k:
        return None
    return cutoff


def _step_of(consultation: Consultation, questions: list[Question], taken_at: datetime | None = None) -> StaffStep:
    """The numbers of a step reaching the responses first submitted by `taken_at`: the tallies, and each offered
    breakdown's group sizes and cross tables, from one query; before the first step (no `taken_at`), zeros."""
    dimensions = dimensions_for(consultation)
    columns = [DIMENSIONS[dimension] for dimension in dimensions]
    rows: Sequence[tuple] = []
    if taken_at is not None:  # each answer with its response's groups, and each response without an answer
        rows = db.session.execute(
            sa.select(Response.id, *columns, Answer.question_id, Answer.choices, Answer.number)
            .outerjoin(Answer, Answer.response_id == Response.id)
            .where(_submitted_by(consultation, taken_at))
        ).all()
    people = {row[0]: row[1 : 1 + len(columns)] for row in rows}
    answers = [(row[-3], row[-2], row[-1], row[1 : 1 + len(columns)]) for row in rows if row[-3] is not None]
    breakdowns = {}
    for i, dimension in enumerate(dimensions):
        groups = groups_for(dimension, consultation)
        sizes = group_sizes(((values[i], 1) for values in people.values()), groups)
        grouped = ((question_id, choices, number, values[i]) for question_id, choices, number, values in answers)
        cross = tally(questions, grouped, groups=groups)[1]
        breakdowns[dimension] = (sizes, cross)
    responses = len(people)
    overall = tally(questions, ((q, choices, number, None) for q, choices, number, _values in answers))[0]
    return StaffStep(responses, overall, breakdowns, taken_at)


def question_texts(consultation: Consultation, question_id: int, language: str) -> QuestionResult | None:
    """One question of the consultation with every free text staff may read, without counting any answer; None
    if the consultation has no such question."""
    question = next((q for q in consultation.questions if q.id == question_id), None)
    if question is None:
        return None
    [result] = results_of([question], tally([question], [])[0], language, consultation.city.default_language)
    step = None
    if not consultation.stage().is_closed:  # once closed, staff's numbers count every response with its texts
        step = staff_step(consultation, list(consultation.questions), result_settings(consultation)["k"])
    if step is None or step.taken_at is not None:  # the texts of the people staff's numbers count (see collect)
        rows = text_rows(
            consultation,
            approved_only=False,
            question_id=question_id,
            with_authors=consultation.mode == ResponseMode.IDENTIFIED,
            submitted_by=step.taken_at if step else None,
        )
        attach_texts([result], rows)
    return result


# Tallies (pure) --------------------------------------------------------------------------------------------------


def group_sizes(rows: Iterable[tuple[str | None, int]], groups: list[Group]) -> list[int]:
    """Responses per group, in the order of `groups`; values not in the list count as not stated."""
    index = {g.key: i for i, g in enumerate(groups)}
    sizes = [0] * len(groups)
    for value, count in rows:
        sizes[index.get(value, len(groups) - 1)] += count
    return sizes


def tally(
    questions: list[Question], rows: Iterable[tuple], *, groups: list[Group] | None = None
) -> tuple[Tallies, dict[int, list[list[int]]]]:
    """Count the rows (question id, choices, number, group value) once, and the raw cross tables by group
    (question id -> rows of counts), which must only ever leave through suppression."""
    keys = {q.id: kind_for(q).answer_keys(q) for q in questions}
    positions = {q.id: {key: i for i, key in enumerate(keys[q.id])} for q in questions}
    group_index = {g.key: i for i, g in enumerate(groups or [])}
    not_stated = len(group_index) - 1
    tallies = Tallies(
        {q.id: 0 for q in questions},
        {q.id: [0] * len(keys[q.id]) for q in questions},
        {q.id: [0] * len(keys[q.id]) for q in questions},
    )
    cross = {q.id: [[0] * len(group_index) for _ in keys[q.id]] for q in questions}
    kinds = {q.id: (q, kind_for(q)) for q in questions}
    for question_id, choices, number, group in rows:
        if question_id not in kinds:
            continue
        question, kind = kinds[question_id]
        answer = kind.tally(question, choices, number)
        if not answer.answered:
            continue
        tallies.answered[question_id] += 1
        position = positions[question_id]
        column = group_index.get(group, not_stated) if groups else None
        for key, count in answer.counts.items():
            i = position[key]
            tallies.counts[question_id][i] += count
            if column is not None:
                cross[question_id][i][column] += count
        for key, place in answer.rank_sums.items():
            tallies.rank_sums[question_id][position[key]] += place
    return tallies, cross


def results_of(questions: list[Question], tallies: Tallies, language: str, fallback: str) -> list[QuestionResult]:
    """One result per question from the tallies: counts, percentages, average, ranking (labels in `language`)."""
    results = []
    for question in questions:
        prompt, fell_back = localized(question.prompt, language, fallback)
        kind = kind_for(question)
        n = tallies.answered[question.id]
        result = QuestionResult(question, prompt, fell_back, answered=n)
        labels = kind.answer_labels(question, language, fallback)
        for (key, label), count in zip(labels, tallies.counts[question.id], strict=True):
            result.options.append(OptionResult(key, label, count, 100 * count / n if n else None))
        if kind.averaged and n:
            counts = tallies.counts[question.id]
            result.average = sum(int(o.key) * count for o, count in zip(result.options, counts, strict=True)) / n
        if kind.ranks:
            rank_sums = tallies.rank_sums[question.id]
            result.ranking = sorted(
                (
                    RankedOption(o.key, o.label, rank_sums[i] / o.count if o.count else None, o.count)
                    for i, o in enumerate(result.options)
                ),
                key=ranking_order,
            )
        results.append(result)
    return results


def ranking_order(option: RankedOption) -> tuple:
    """Best average position first; options nobody ranked (or hidden) last, by label."""
    return option.average_position is None, option.average_position or 0, option.label


def attach_texts(results: list[QuestionResult], rows: Iterable[tuple]) -> None:
    """Give each question its free texts (and the texts of "other" where other was chosen), sorted by text so
    that their order tells nothing."""
    by_question = {r.question.id: r for r in results}
    groups: dict[tuple[int, str], list[tuple]] = {}
    for answer_id, question_id, choices, text, approved_at, display_name, deleted_at in rows:
        result = by_question.get(question_id)
        if result is not None and result.kind_type.has_free_text(choices):
            groups.setdefault((question_id, same_text(text)), []).append(
                (answer_id, text, approved_at, display_name, deleted_at)
            )
    for (question_id, _same), answers in groups.items():
        by_question[question_id].texts.append(_free_text(answers))
    for result in results:
        result.texts.sort(key=lambda t: (t.text.casefold(), t.text, t.key))


def _free_text(answers: list[tuple]) -> FreeText:
    """One text for identical answers: named by its approved answer if there is one, else by the first written."""
    answers.sort(key=lambda answer: (answer[2] is None, answer[0]))
    answer_id, text, approved_at = answers[0][:3]
    authors = {_author(display_name, deleted_at) for *_rest, display_name, deleted_at in answers}
    named = ", ".join(sorted(author for author in authors if author is not None))
    return FreeText(quote_key(answer_id), text, approved_at is not None, named or None, len(answers))


def _author(display_name: str | None, deleted_at) -> str | None:
    if display_name is None and deleted_at is None:
        return None
    return display_name if deleted_at is None and display_name else str(_l("deleted account"))


def withhold_small_counts(results: list[QuestionResult], k: int) -> None:
    """What the public sees of each question's overall numbers: counts of 1 to k-1 people hidden, with enough others
    that none can be worked out, and the percentages and average that would give them away; nothing at all of a
    question that fewer than k people answered, quotes included (they would show some of what those few said).
    Staff see every count (they never see who gave it)."""
    for result in results:
        result.answered_below_k = 0 < result.answered < k
        if not result.charted:
            if result.answered_below_k:
                result.withheld, result.texts = True, []
            continue
        ranking = result.kind_type.ranks
        shown = [r.ranked_by for r in result.ranking] if ranking else [o.count for o in result.options]
        counts = [count for count in shown if count is not None]
        assert len(counts) == len(shown)  # nothing is withheld yet: each question's counts are withheld once
        cells = suppress_counts(counts, result.answered, k, add_up=result.one_answer_each)
        if cells is None:
            result.withheld, result.options, result.ranking, result.average, result.texts = True, [], [], None, []
        elif ranking:
            result.options = []  # the ranking carries what is shown
            result.ranking = sorted(
                (
                    RankedOption(r.key, r.label, None, None, below_k=c.below_k) if c.hidden else r
                    for r, c in zip(result.ranking, cells, strict=True)
                ),
                key=ranking_order,
            )
        else:
            result.options = [
                OptionResult(o.key, o.label, None, below_k=c.below_k) if c.hidden else o
                for o, c in zip(result.options, cells, strict=True)
            ]
            if any(c.hidden for c in cells):
                result.average = None  # with the shown counts, it would pin the hidden ones


def attach_breakdowns(
    results: list[QuestionResult], cross: dict[int, list[list[int]]], sizes: list[int], size_cells: list[Cell], k: int
) -> None:
    """Suppress each question's cross table; a table that cannot be shown safely is withheld whole.

    The row of "other", when the reader sees what people wrote for it, shows none of its counts below k, zeros
    included: a zero would tell which groups none of the writers is in, tying the texts to the other groups."""
    for result in results:
        if not result.kind_type.broken_down or result.withheld:
            continue
        totals = [Cell(o.count, below_k=o.below_k) for o in result.options]
        answered = result.answered if result.one_answer_each else None
        keys = [o.key for o in result.options]
        texts_row = keys.index(OTHER) if result.texts and OTHER in keys else None
        result.breakdown = suppress_breakdown(
            cross[result.question.id], sizes, size_cells, k, total_cells=totals, answered=answered, texts_row=texts_row
        )
        result.breakdown_withheld = result.breakdown is None
