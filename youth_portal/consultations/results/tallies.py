"""A consultation's results from its submitted responses: counts, percentages, averages, rankings, free texts and
breakdowns by one dimension at a time. Queries read everything in a few statements whatever the number of
responses; the tallies are pure functions over their rows."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...questionnaires import OTHER, Kind, kind_for
from ...statistics.demographics import AGE_BANDS, GENDERS
from ...statistics.suppression import Breakdown, Cell, suppress_breakdown, suppress_counts, suppress_group_sizes
from ...timeutil import utcnow
from ..models import (
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
from . import counts, ledger, written
from .written import FreeText

#: Stages in which the public sees the results: once closed, never live (numbers that move while people answer
#: would show, to someone who owns a few accounts, what one person said).
PUBLIC_STAGES = {Stage.CLOSED, Stage.OUTCOME_PUBLISHED, Stage.ARCHIVED}

#: Written answers of a question shown on the staff results page; the rest are on the question's own pages.
TEXTS_ON_RESULTS = 10
#: Approved quotes of a question shown on the public results page (staff approve them one by one).
QUOTES_SHOWN = 100

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
    #: Staff: how many people wrote a text (identical ones counted each); `texts` holds the first few.
    written: int = 0
    #: Staff: more texts than `texts` holds (they are on the question's own pages).
    more_texts: bool = False

    @property
    def kind(self) -> QuestionKind:
        return self.question.kind

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
    #: Staff of an anonymous consultation see the numbers of a step (ResultNumbers), not as they are now.
    step: "ResultNumbers | None" = None
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
    #: How many people wrote a text (a free text, or what "other" is).
    written: dict[int, int]

    def to_json(self) -> dict:
        return {
            name: {str(question_id): value for question_id, value in getattr(self, name).items()}
            for name in ("answered", "counts", "rank_sums", "written")
        }

    @classmethod
    def from_json(cls, data: dict) -> "Tallies":
        # Steps recorded before texts were counted hold no "written": their "answered" is the nearest.
        return cls(
            *(
                {int(question_id): value for question_id, value in data.get(name, data["answered"]).items()}
                for name in ("answered", "counts", "rank_sums", "written")
            )
        )


@dataclass
class ResultNumbers:
    """A consultation's numbers before suppression: how many responded, the tallies, and the group sizes and cross
    tables of some breakdowns. Those of a staff step (staff_step) are kept in the ledger with the moment they were
    taken (`taken_at`, None before the first step); those read from the counts have no moment."""

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
    def from_json(cls, data: dict, taken_at: datetime) -> "ResultNumbers":
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


def collect(consultation: Consultation, language: str, *, dimension: str | None = None, staff: bool) -> Results:
    """Everything the results page shows, in a constant number of queries whatever the number of respondents (and
    a few more when staff's numbers take a step)."""
    questions = list(consultation.questions)
    step = staff_step(consultation, questions, result_settings(consultation)["k"]) if staff else None
    offered = dimension if dimension in dimensions_for(consultation) else None
    numbers = step or _counted(consultation, questions, [offered] if offered else [])
    results = shown(
        consultation,
        language,
        numbers,
        dimension=offered,
        staff=staff,
        texts=TEXTS_ON_RESULTS if staff else QUOTES_SHOWN,
        approved_only=not staff,
    )
    results.step = step
    return results


def staff_numbers(consultation: Consultation) -> ResultNumbers:
    """The numbers staff see, with every breakdown: the step of an anonymous consultation, else the counts."""
    questions = list(consultation.questions)
    step = staff_step(consultation, questions, result_settings(consultation)["k"])
    return step or _counted(consultation, questions, dimensions_for(consultation))


def shown(
    consultation: Consultation,
    language: str,
    numbers: ResultNumbers,
    *,
    dimension: str | None,
    staff: bool,
    texts: int,
    approved_only: bool,
) -> Results:
    """The results of `numbers` as a reader sees them: staff every count, the public with small ones withheld; a
    breakdown by `dimension` (one of the numbers'), suppressed; the first `texts` written answers of each question
    (with `approved_only`, the quotes), of the people the numbers count (a text appearing alone would tell when it
    came)."""
    questions = list(consultation.questions)
    results = Results(consultation, numbers.responses, [], k=result_settings(consultation)["k"])
    results.questions = results_of(questions, numbers.tallies, language, consultation.city.default_language)
    sizes: list[int] = []
    cross: dict[int, list[list[int]]] = {}
    if dimension is not None:
        sizes, cross = numbers.breakdowns[dimension]
        results.dimension, results.groups = dimension, groups_for(dimension, consultation)
        results.group_sizes = suppress_group_sizes(sizes, results.k)
    if texts:  # none before a first step: its numbers, and so its count of texts, are zeros
        found = written.pages(
            consultation,
            [result.question.id for result in results.questions if result.written],
            approved_only=approved_only,
            with_authors=staff and not approved_only and consultation.mode == ResponseMode.IDENTIFIED,
            submitted_by=numbers.taken_at,
            limit=texts + 1,
        )
        for result in results.questions:
            found_texts = found.get(result.question.id, [])
            result.texts, result.more_texts = found_texts[:texts], len(found_texts) > texts
    if not staff:
        withhold_small_counts(results.questions, results.k)
    if results.group_sizes is not None:
        attach_breakdowns(results.questions, cross, sizes, results.group_sizes, results.k, staff=staff)
    return results


def staff_step(consultation: Consultation, questions: list[Question], k: int) -> ResultNumbers | None:
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
            return ResultNumbers.from_json(last.shown, last.made_at)
        cutoff: datetime | None = utcnow()
    else:
        cutoff = _step_cutoff(consultation, last, k)
    if cutoff is None:
        return (
            ResultNumbers.from_json(last.shown, last.made_at) if last is not None else _step_of(consultation, questions)
        )
    step = _step_of(consultation, questions, cutoff)
    kept = ledger.add(
        consultation.id, ReleaseAudience.STAFF, ReleaseChannel.PAGE, step.to_json(), after=last, made_at=cutoff
    )
    return ResultNumbers.from_json(kept.shown, kept.made_at)


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


def _step_of(consultation: Consultation, questions: list[Question], taken_at: datetime | None = None) -> ResultNumbers:
    """The numbers of a step reaching the responses first submitted by `taken_at`: the counts, less what the
    responses submitted since add (at least k of them, few: the ones held back); before the first step (no
    `taken_at`), zeros."""
    dimensions = dimensions_for(consultation)
    if taken_at is None:
        return _tallied(consultation, questions, dimensions, [])
    rows = counts.sums(consultation, dimensions)
    if consultation.stage().is_closed:  # every response counts: nobody submits after closing
        return _tallied(consultation, questions, dimensions, rows, taken_at)
    by_questions = {question.id: question for question in questions}
    for later in counts.of_responses(consultation, Response.submitted_at > taken_at):
        for row in counts.rows_of(consultation.id, by_questions, later, -1):
            groups = [row[counts.GROUP_COLUMNS[dimension].key] for dimension in dimensions]
            rows.append((row["question_id"], row["key"], *groups, row["count"], row["rank_sum"]))
    return _tallied(consultation, questions, dimensions, rows, taken_at)


def _counted(consultation: Consultation, questions: list[Question], dimensions: list[str]) -> ResultNumbers:
    """The numbers as they are now, from the counts (with the breakdowns of `dimensions`)."""
    return _tallied(consultation, questions, dimensions, counts.sums(consultation, dimensions))


def _tallied(
    consultation: Consultation,
    questions: list[Question],
    dimensions: list[str],
    rows: Iterable[tuple],
    taken_at: datetime | None = None,
) -> ResultNumbers:
    """The numbers of count sums (question id, key, a group per dimension..., count, rank sum): how many responded,
    the tallies, and each dimension's group sizes and cross tables."""
    groups = {dimension: groups_for(dimension, consultation) for dimension in dimensions}
    return ResultNumbers(*tallied(questions, rows, groups), taken_at)


def question_texts(
    consultation: Consultation, question_id: int, language: str, *, page: int, per_page: int
) -> QuestionResult | None:
    """One question of the consultation with one page of the written texts staff may read (`more_texts` when a
    next page exists), without counting any answer; None if the consultation has no such question."""
    question = next((q for q in consultation.questions if q.id == question_id), None)
    if question is None:
        return None
    nothing = tallied([question], [], {})[1]
    [result] = results_of([question], nothing, language, consultation.city.default_language)
    step = None
    if not consultation.stage().is_closed:  # once closed, staff's numbers count every response with its texts
        step = staff_step(consultation, list(consultation.questions), result_settings(consultation)["k"])
    if step is None or step.taken_at is not None:  # the texts of the people staff's numbers count (see collect)
        texts = written.pages(
            consultation,
            [question_id],
            approved_only=False,
            with_authors=consultation.mode == ResponseMode.IDENTIFIED,
            submitted_by=step.taken_at if step else None,
            limit=per_page + 1,
            offset=(page - 1) * per_page,
        )[question_id]
        result.texts, result.more_texts = texts[:per_page], len(texts) > per_page
    return result


# Tallies (pure) --------------------------------------------------------------------------------------------------


def tallied(
    questions: list[Question], rows: Iterable[tuple], dimensions: dict[str, list[Group]]
) -> tuple[int, Tallies, dict[str, tuple[list[int], dict[int, list[list[int]]]]]]:
    """Add up count sums (question id, key, a group value per dimension..., count, rank sum): how many responded,
    the tallies, and for each dimension (its groups, "not stated" last, which also takes values no longer listed)
    the group sizes and the raw cross tables (question id -> rows of counts), which must only ever leave through
    suppression. Rows of questions no longer asked, or of keys no longer offered, are left out."""
    keys = {q.id: kind_for(q).answer_keys(q) for q in questions}
    positions = {q.id: {key: i for i, key in enumerate(keys[q.id])} for q in questions}
    tallies = Tallies(
        {q.id: 0 for q in questions},
        {q.id: [0] * len(keys[q.id]) for q in questions},
        {q.id: [0] * len(keys[q.id]) for q in questions},
        {q.id: 0 for q in questions},
    )
    indexes = [{group.key: i for i, group in enumerate(groups)} for groups in dimensions.values()]
    sizes = [[0] * len(groups) for groups in dimensions.values()]
    cross = [{q.id: [[0] * len(groups) for _ in keys[q.id]] for q in questions} for groups in dimensions.values()]
    responses = 0
    for question_id, key, *values, count, rank_sum in rows:
        columns = [index.get(value or None, len(index) - 1) for index, value in zip(indexes, values, strict=True)]
        if question_id == counts.RESPONSES:
            responses += count
            for size, column in zip(sizes, columns, strict=True):
                size[column] += count
            continue
        if question_id not in positions:
            continue
        if key == counts.ANSWERED:
            tallies.answered[question_id] += count
            continue
        if key == counts.WRITTEN:
            tallies.written[question_id] += count
            continue
        i = positions[question_id].get(key)
        if i is None:
            continue
        tallies.counts[question_id][i] += count
        tallies.rank_sums[question_id][i] += rank_sum
        for table, column in zip(cross, columns, strict=True):
            table[question_id][i][column] += count
    return responses, tallies, dict(zip(dimensions, zip(sizes, cross, strict=True), strict=True))


def results_of(questions: list[Question], tallies: Tallies, language: str, fallback: str) -> list[QuestionResult]:
    """One result per question from the tallies: counts, percentages, average, ranking (labels in `language`)."""
    results = []
    for question in questions:
        prompt, fell_back = localized(question.prompt, language, fallback)
        kind = kind_for(question)
        n = tallies.answered[question.id]
        result = QuestionResult(question, prompt, fell_back, answered=n, written=tallies.written[question.id])
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
    results: list[QuestionResult],
    cross: dict[int, list[list[int]]],
    sizes: list[int],
    size_cells: list[Cell],
    k: int,
    *,
    staff: bool,
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
        reads_texts = result.written > 0 if staff else bool(result.texts)  # staff read every text, the public quotes
        texts_row = keys.index(OTHER) if reads_texts and OTHER in keys else None
        result.breakdown = suppress_breakdown(
            cross[result.question.id], sizes, size_cells, k, total_cells=totals, answered=answered, texts_row=texts_row
        )
        result.breakdown_withheld = result.breakdown is None
