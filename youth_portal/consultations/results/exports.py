"""Exports for a city's staff: every submitted response as CSV, streamed in constant memory, and the JSON summary
of the results. Anonymous mode: no id, name or time finer than the day, and rows in a random order."""

import csv
from collections.abc import Iterator
from datetime import UTC
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from ...accounts.models import User
from ...extensions import db
from ...questionnaires import kind_for
from ...questionnaires.kinds.base import rounded as _round
from ...statistics.demographics import GENDERS
from ...statistics.suppression import Cell
from ..models import (
    Answer,
    Consultation,
    ReleaseAudience,
    ReleaseChannel,
    Response,
    ResponseMode,
    localized,
)
from . import ledger
from .tallies import (
    QUOTES_SHOWN,
    Results,
    dimensions_for,
    response_count,
    result_settings,
    shown,
    staff_numbers,
    staff_step,
)

#: A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Rows fetched from the database at a time.
BATCH = 500


def neutralise(value):
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file whose write returns the line, so csv.writer can feed a generator."""

    def write(self, line: str) -> str:
        return line


def csv_available(consultation: Consultation) -> bool:
    """Identified mode: always. Anonymous mode: once the consultation has closed, as one release; before, staff who
    downloaded it before and after one person's submission would read that person's row."""
    return consultation.mode == ResponseMode.IDENTIFIED or consultation.stage().is_closed


def csv_release(consultation: Consultation) -> bool:
    """Record in the ledger the CSV staff download (once per set of responses); False when, in an anonymous
    consultation, it would not hold the responses of the numbers staff were shown once it closed, or of the CSV
    released before: beside those, it would show whose answers left the counts since (a withdrawn consent, a deleted
    account), so the first release stands."""
    responses = response_count(consultation)
    last = ledger.latest(consultation.id, ReleaseAudience.STAFF, ReleaseChannel.CSV)
    if last is not None and last.shown == {"responses": responses}:
        return True
    if consultation.mode == ResponseMode.ANONYMOUS:
        closing = staff_step(consultation, list(consultation.questions), result_settings(consultation)["k"])
        assert closing is not None  # anonymous
        if last is not None or closing.responses != responses:
            return False
    ledger.add(consultation.id, ReleaseAudience.STAFF, ReleaseChannel.CSV, {"responses": responses}, after=last)
    return True


def csv_lines(consultation_id: int, language: str) -> Iterator[str]:
    """The CSV, line by line: one row per submitted response, one column per question.

    It runs while the response streams, after the view's session has ended: it loads what it needs itself.
    """
    consultation = db.session.get(Consultation, consultation_id)
    assert consultation is not None  # the view has just found it, and consultations are never deleted
    identified = consultation.mode == ResponseMode.IDENTIFIED
    city = consultation.city
    questions = list(consultation.questions)
    writer = csv.writer(_Echo())
    header = [localized(q.prompt, language, city.default_language)[0] for q in questions]
    if identified:
        header = [_("Display name"), _("Submitted"), _("Age band"), _("Gender"), _("District"), *header]
    yield "\ufeff" + writer.writerow([neutralise(h) for h in header])
    labels = {q.id: kind_for(q).export_labels(q, language, city.default_language) for q in questions}
    zone = ZoneInfo(city.timezone)
    for _response_id, group in groupby(_response_rows(consultation, identified), key=lambda row: row.response_id):
        rows = list(group)
        answers = {row.question_id: row for row in rows if row.question_id is not None}
        cells = [kind_for(q).export_cell(answers.get(q.id), labels[q.id]) for q in questions]
        if identified:
            first = rows[0]
            name = first.display_name if first.deleted_at is None and first.display_name else _("deleted account")
            submitted = first.submitted_at.replace(tzinfo=UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M")
            gender = str(GENDERS[first.gender]) if first.gender in GENDERS else (first.gender or "")
            cells = [name, submitted, first.age_band or "", gender, first.district or "", *cells]
        yield writer.writerow([neutralise(c) for c in cells])


def _response_rows(consultation: Consultation, identified: bool):
    """Every answer of every submitted response, grouped by response, fetched in batches. Anonymous mode: the
    responses in a random order, drawn once per response (a materialised CTE), so their answers stay together."""
    submitted = Response.counted_in(consultation)
    answer_columns = (Answer.question_id, Answer.choices, Answer.number, Answer.text)
    if identified:
        query = (
            sa.select(
                Response.id.label("response_id"),
                *answer_columns,
                User.display_name,
                User.deleted_at,
                Response.submitted_at,
                Response.age_band,
                Response.gender,
                Response.district,
            )
            .select_from(Response)
            .outerjoin(User, Response.user_id == User.id)  # an unlinked response has nobody
            .outerjoin(Answer, Answer.response_id == Response.id)
            .where(submitted)
            .order_by(Response.submitted_at, Response.id)
        )
    else:
        shuffled = (
            sa.select(Response.id.label("id"), sa.func.random().label("draw"))
            .where(submitted)
            .cte("shuffled")
            .prefix_with("MATERIALIZED")
        )
        query = (
            sa.select(shuffled.c.id.label("response_id"), *answer_columns)
            .select_from(shuffled)
            .outerjoin(Answer, Answer.response_id == shuffled.c.id)
            .order_by(shuffled.c.draw, shuffled.c.id)
        )
    return db.session.execute(query.execution_options(yield_per=BATCH))


# JSON summary ----------------------------------------------------------------------------------------------------


def summary(consultation: Consultation, language: str) -> dict:
    """The results as data: aggregates, approved quotes, and every breakdown with the page's suppression."""
    numbers = staff_numbers(consultation)
    overall = shown(consultation, language, numbers, dimension=None, staff=True, texts=QUOTES_SHOWN, approved_only=True)
    by_dimension = {
        d: shown(consultation, language, numbers, dimension=d, staff=True, texts=0, approved_only=True)
        for d in dimensions_for(consultation)
    }
    questions = []
    for i, result in enumerate(overall.questions):
        item: dict[str, Any] = {
            "id": result.question.id,
            "position": result.question.position,
            "kind": result.kind.value,
            "prompt": result.prompt,
            "answered": result.answered,
        }
        item.update(result.kind_type.summary(result))
        if result.kind_type.broken_down:
            item["breakdowns"] = {d: _breakdown(r, r.questions[i]) for d, r in by_dimension.items()}
        questions.append(item)
    return {
        "consultation": {
            "id": consultation.id,
            "title": consultation.text("title", language)[0],
            "stage": consultation.stage().value,
            "mode": consultation.mode.value,
            "responses": overall.responses,
        },
        "suppression": {
            "k": overall.k,
            "note": _(
                "The results as staff see them: the overall counts are exact, those below %(k)d included, "
                "which the public results page hides. In the breakdowns, counts below %(k)d are hidden (null), "
                "and so are some others, so that hidden ones cannot be worked out; percentages there are of "
                "everyone in the group.",
                k=overall.k,
            ),
        },
        "questions": questions,
    }


def _breakdown(results: Results, result) -> dict | None:
    """One question's breakdown as published, or None when it cannot be shown without exposing someone."""
    if results.group_sizes is None or result.breakdown is None:
        return None
    return {
        "groups": [
            {"key": g.key, "label": g.label, **_cell_json(size)}
            for g, size in zip(results.groups, result.breakdown.sizes, strict=True)
        ],
        "rows": [
            {"id": o.key, "label": o.label, "cells": [_cell_json(c) for c in row]}
            for o, row in zip(result.options, result.breakdown.rows, strict=True)
        ],
    }


def _cell_json(cell: Cell) -> dict:
    return {
        "count": cell.value,
        "hidden": cell.hidden,
        "below_k": cell.hidden and cell.below_k,
        "percent": _round(cell.percent),
    }
