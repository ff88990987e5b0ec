"""A consultation's results kept as counts (ResultCount rows), so that showing them costs the same whatever the
number of respondents: questions x answers x groups rows, summed by the database.

Whatever changes what a counted response adds (a submission, a re-submission, a withdrawn consent) appends rows: the
opposite of what the response added before, and what it adds now. Rows are only ever inserted by people answering,
so that two people submitting at the same moment never wait on one row. Reading sums them; once a consultation has
many more rows than sums, the reader folds them into one row per sum (`fold`), in a transaction of its own.

The rows are also what the network's dashboard sums across cities and periods: they carry the groups (age band,
gender, district), the month of first submission, and nothing about a person.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ...extensions import db
from ...questionnaires import kind_for
from ..models import Answer, Consultation, Question, Response, ResultCount

#: The question id of the rows that count responses (a group's size).
RESPONSES = 0
#: The key of the rows that count the people who answered a question (with RESPONSES: who responded).
ANSWERED = ""
#: The key of the rows that count the people who wrote a text for a question (a free text, or what "other" is).
WRITTEN = "~written"
#: The columns of a response's groups, by dimension.
GROUP_COLUMNS = {"age": ResultCount.age_band, "gender": ResultCount.gender, "district": ResultCount.district}
#: Rows a consultation may hold beyond its sums before a reader folds them: the database sums 10,000 rows in a few
#: milliseconds, and a fold costs five statements, so a consultation folds once per few hundred submissions.
FOLD_AFTER = 10_000
#: Responses read at a time when counting them all again.
BATCH = 1000


@dataclass(frozen=True)
class Counted:
    """A response as the counts see it: its groups and its answers (question id, choices, number, whether it holds
    a written text)."""

    age_band: str | None
    gender: str | None
    district: str | None
    submitted_at: datetime | None
    answers: tuple[tuple[int, list[str] | None, int | None, bool], ...]


def counted(response: Response, answers: Iterable[tuple[int, list[str] | None, int | None, bool]]) -> Counted:
    return Counted(response.age_band, response.gender, response.district, response.submitted_at, tuple(answers))


def rows_of(consultation_id: int, questions: dict[int, Question], response: Counted, sign: int) -> list[dict]:
    """The rows a response adds to the counts (sign 1), or takes away (sign -1)."""
    groups = {
        "consultation_id": consultation_id,
        "age_band": response.age_band or "",
        "gender": response.gender or "",
        "district": response.district or "",
        "month": response.submitted_at.strftime("%Y-%m") if response.submitted_at else "",
    }
    rows = [{**groups, "question_id": RESPONSES, "key": ANSWERED, "count": sign, "rank_sum": 0}]
    for question_id, choices, number, written in response.answers:
        question = questions.get(question_id)
        if question is None:
            continue
        if written:
            rows.append({**groups, "question_id": question_id, "key": WRITTEN, "count": sign, "rank_sum": 0})
        tally = kind_for(question).tally(question, choices, number)
        if not tally.answered:
            continue
        rows.append({**groups, "question_id": question_id, "key": ANSWERED, "count": sign, "rank_sum": 0})
        for key in {**tally.counts, **tally.rank_sums}:
            count, rank_sum = tally.counts.get(key, 0), tally.rank_sums.get(key, 0)
            rows.append(
                {**groups, "question_id": question_id, "key": key, "count": sign * count, "rank_sum": sign * rank_sum}
            )
    return rows


def change(consultation: Consultation, before: Counted | None, after: Counted | None) -> None:
    """Record that a response added `before` to the counts and now adds `after` (None: nothing, e.g. it was not
    counted, or no longer is), in the request's transaction."""
    questions = {question.id: question for question in consultation.questions}
    rows = []
    if before is not None:
        rows += rows_of(consultation.id, questions, before, -1)
    if after is not None:
        rows += rows_of(consultation.id, questions, after, 1)
    if rows:
        db.session.execute(sa.insert(ResultCount), rows)


def of_responses(consultation: Consultation, responses: sa.ColumnElement[bool]) -> list[Counted]:
    """The counted responses of a consultation that `responses` selects, as the counts see them (two queries)."""
    found = db.session.execute(
        sa.select(Response.id, Response.age_band, Response.gender, Response.district, Response.submitted_at).where(
            Response.counted_in(consultation), responses
        )
    ).all()
    if not found:
        return []
    answers: dict[int, list] = {response_id: [] for response_id, *_groups in found}
    for response_id, question_id, choices, number, written in db.session.execute(
        sa.select(
            Answer.response_id, Answer.question_id, Answer.choices, Answer.number, Answer.text_key.is_not(None)
        ).where(Answer.response_id.in_(answers))
    ):
        answers[response_id].append((question_id, choices, number, bool(written)))
    return [
        Counted(age_band, gender, district, submitted_at, tuple(answers[response_id]))
        for response_id, age_band, gender, district, submitted_at in found
    ]


def sums(consultation: Consultation, dimensions: Sequence[str]) -> list[tuple]:
    """(question id, key, the group of each dimension..., count, rank sum) of a consultation's counts, summed by the
    database; folds the rows first when there are many more of them than sums."""
    groups = [GROUP_COLUMNS[dimension] for dimension in dimensions]
    query = (
        sa.select(
            ResultCount.question_id,
            ResultCount.key,
            *groups,
            sa.func.sum(ResultCount.count),
            sa.func.sum(ResultCount.rank_sum),
            sa.func.count(ResultCount.id),
        )
        .where(ResultCount.consultation_id == consultation.id)
        .group_by(ResultCount.question_id, ResultCount.key, *groups)
    )
    found = db.session.execute(query).all()
    if sum(int(row[-1]) for row in found) > len(found) + FOLD_AFTER:
        fold(consultation.id)
    return [(*row[:-3], int(row[-3]), int(row[-2])) for row in found if row[-3] or row[-2]]


def fold(consultation_id: int) -> None:
    """Replace a consultation's rows by one per sum, in a transaction of its own. The consultation's row is locked
    first (a write that changes nothing), so that two readers never fold the same rows twice; rows people add
    meanwhile come after the last one folded and stay as they are."""
    this = ResultCount.consultation_id == consultation_id
    columns = ("consultation_id", "question_id", "key", "age_band", "gender", "district", "month")
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(Consultation)
            .where(Consultation.id == consultation_id)
            .values(id=Consultation.id, updated_at=Consultation.updated_at)
        )
        last = connection.scalar(sa.select(sa.func.max(ResultCount.id)).where(this))
        if last is None:
            return
        folded = this, ResultCount.id <= last
        grouped = [getattr(ResultCount, name) for name in columns]
        total_count, total_rank = sa.func.sum(ResultCount.count), sa.func.sum(ResultCount.rank_sum)
        sums_of_rows = (
            sa.select(*grouped, total_count, total_rank)
            .where(*folded)
            .group_by(*grouped)
            .having(sa.or_(total_count != 0, total_rank != 0))
        )
        rows = [
            dict(zip((*columns, "count", "rank_sum"), row, strict=True)) for row in connection.execute(sums_of_rows)
        ]
        connection.execute(sa.delete(ResultCount).where(*folded))
        if rows:
            connection.execute(sa.insert(ResultCount), rows)


def rebuild(consultation: Consultation) -> None:
    """Count every counted response of a consultation again, from its answers (after loading answers in bulk, as
    the demo does, or to check the counts kept): the straightforward computation the kept counts must equal."""
    questions = {question.id: question for question in consultation.questions}
    db.session.execute(sa.delete(ResultCount).where(ResultCount.consultation_id == consultation.id))
    last_id = 0
    while True:
        ids = db.session.scalars(
            sa.select(Response.id)
            .where(Response.counted_in(consultation), Response.id > last_id)
            .order_by(Response.id)
            .limit(BATCH)
        ).all()
        if not ids:
            break
        last_id = ids[-1]
        rows = []
        for response in of_responses(consultation, Response.id.in_(ids)):
            rows += rows_of(consultation.id, questions, response, 1)
        if rows:
            db.session.execute(sa.insert(ResultCount), _summed(rows))


def _summed(rows: list[dict]) -> list[dict]:
    """The same counts in fewer rows: one per (question, key, groups)."""
    columns = ("consultation_id", "question_id", "key", "age_band", "gender", "district", "month")
    summed: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[name] for name in columns)
        if key in summed:
            summed[key]["count"] += row["count"]
            summed[key]["rank_sum"] += row["rank_sum"]
        else:
            summed[key] = dict(row)
    return list(summed.values())
