"""Results: live for the city's staff (with free texts, quote approval and exports); for the public once the
consultation has closed, never before (with approved quotes only). Breakdowns never expose anyone."""

import json

from flask import (
    Blueprint,
    Response as HttpResponse,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_decimal, format_percent, get_locale, gettext as _
from flask_login import current_user

from ... import access
from ...audit.services import record
from ...cities.local_time import city_time
from ...cities.lookup import city_or_404, get_for_city_or_404
from ...extensions import db
from ...navigation import safe_next
from ...permissions import Capability
from ...timeutil import utcnow
from .. import page_cache
from ..models import Consultation, ResponseMode, Stage
from . import exports, publication, tallies, written
from .charts import question_chart

bp = Blueprint("results", __name__)


MANAGE = "/cities/<slug>/manage/consultations/<int:consultation_id>"
#: Written answers on a page of a question's written answers.
TEXTS_PER_PAGE = 50


def _language() -> str:
    return str(get_locale())


def _dimension(offered: list[str]) -> tuple[str | None, bool]:
    """The one breakdown asked for (`?by=age`), and whether more than one was asked for (refused: crossing two
    dimensions would expose the people in their small intersections)."""
    asked = request.args.getlist("by")
    if len(asked) > 1:
        return None, True
    return (asked[0] if asked and asked[0] in offered else None), False


def _published_or_404(city, consultation_id: int) -> Consultation:
    """A consultation of this city that has been published (a draft has no results)."""
    consultation = get_for_city_or_404(Consultation, consultation_id, city)
    if consultation.stage() == Stage.DRAFT:
        abort(404)
    return consultation


def _render(template: str, consultation: Consultation, staff: bool, **context):
    offered = tallies.dimensions_for(consultation)
    dimension, crossed = _dimension(offered)
    data = tallies.collect(consultation, _language(), dimension=dimension, staff=staff)
    if not staff:
        publication.publish(data)
    charts = {r.question.id: question_chart(r, data.k) for r in data.questions}
    title, title_fell_back = consultation.text("title", _language())
    return render_template(
        template,
        city=consultation.city,
        consultation=consultation,
        results=data,
        charts=charts,
        title=title,
        title_fell_back=title_fell_back,
        stage=consultation.stage(),
        dimensions=offered,
        crossed=crossed,
        dimension_labels=tallies.DIMENSION_LABELS,
        staff=staff,
        number=format_decimal,
        decimal=_one_decimal,
        percent=_percent,
        **context,
    )


def _one_decimal(value: float) -> str:
    return format_decimal(value, "0.0")


def _percent(value: float) -> str:
    """A share out of 100, in the reader's language ("33 %", "33%")."""
    return format_percent(value / 100)


@bp.get(f"{MANAGE}/results", endpoint="staff")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def staff_results(city, consultation_id: int):
    """Live results for the city's staff: charts, tables, breakdowns, every free text (never who wrote it in
    anonymous mode) with quote approval, and the exports."""
    consultation = _published_or_404(city, consultation_id)
    return _render(
        "consultations/results/staff.html",
        consultation,
        staff=True,
        identified=consultation.mode == ResponseMode.IDENTIFIED,
        csv_available=exports.csv_available(consultation),
    )


@bp.get(f"{MANAGE}/results/questions/<int:question_id>/texts")
@access.requires(Capability.REVIEW_QUOTES)
def texts(city, consultation_id: int, question_id: int):
    """Every written answer to one question, TEXTS_PER_PAGE a page, for staff to read and approve as quotes."""
    consultation = _published_or_404(city, consultation_id)
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    result = tallies.question_texts(consultation, question_id, _language(), page=page, per_page=TEXTS_PER_PAGE)
    if result is None or (page > 1 and not result.texts):
        abort(404)
    title, title_fell_back = consultation.text("title", _language())
    return render_template(
        "consultations/results/texts.html",
        city=city,
        consultation=consultation,
        result=result,
        title=title,
        title_fell_back=title_fell_back,
        texts=result.texts,
        first=(page - 1) * TEXTS_PER_PAGE + 1,
        page=page,
        number=format_decimal,
        identified=consultation.mode == ResponseMode.IDENTIFIED,
    )


@bp.get("/cities/<slug>/consultations/<int:consultation_id>/results", endpoint="public")
def public_results(slug: str, consultation_id: int):
    """The public results, once the consultation has closed (never live); approved quotes only."""
    city = city_or_404(slug)
    consultation = get_for_city_or_404(Consultation, consultation_id, city)
    if not tallies.public_may_see(consultation.stage()):
        abort(404)
    page_cache.keep(consultation, utcnow())  # its numbers stand once released; quotes make kept pages stale
    return _render("consultations/results/public.html", consultation, staff=False, identified=False)


def _quote_decision(city, consultation_id: int, key: str, approve: bool):
    consultation = _published_or_404(city, consultation_id)
    answer = written.find(consultation, key)
    if answer is None:
        abort(404)
    identical = written.identical_answers(consultation, answer)  # one approval for a text, whoever wrote it
    approved = [other for other in identical if other.quote_approved_at is not None]
    if approve:
        if not approved:
            answer.quote_approved_at = utcnow()
            answer.quote_approved_by_id = current_user.id
            record(
                "consultation.quote_approved", city=city, target=consultation, question_id=answer.question_id, quote=key
            )
        message = _("The quote is approved: it appears on the public results page, without a name.")
    else:
        for other in approved:
            other.quote_approved_at = None
            other.quote_approved_by_id = None
        if approved:
            record(
                "consultation.quote_withdrawn",
                city=city,
                target=consultation,
                question_id=answer.question_id,
                quote=key,
            )
        message = _("The quote is withdrawn: it no longer appears on the public results page.")
    page_cache.pages_change()
    db.session.commit()
    flash(message, "success")
    if request.form.get("next"):  # the page the form was on (results, with its breakdown, or a page of texts)
        return redirect(safe_next(request.form["next"]))
    return redirect(
        url_for(
            "consultations.results.staff",
            slug=city.slug,
            consultation_id=consultation.id,
            _anchor=f"question-{answer.question_id}",
        )
    )


@bp.post(f"{MANAGE}/quotes/<key>/approve")
@access.requires(Capability.REVIEW_QUOTES)
def approve_quote(city, consultation_id: int, key: str):
    """Approve one free text answer for publication as a quote (never with a name)."""
    return _quote_decision(city, consultation_id, key, approve=True)


@bp.post(f"{MANAGE}/quotes/<key>/withdraw")
@access.requires(Capability.REVIEW_QUOTES)
def withdraw_quote(city, consultation_id: int, key: str):
    """Withdraw a quote from the public results page."""
    return _quote_decision(city, consultation_id, key, approve=False)


@bp.get(f"{MANAGE}/export.csv")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def export_csv(city, consultation_id: int):
    """Every submitted response as CSV, streamed in batches (constant memory whatever the size)."""
    consultation = _published_or_404(city, consultation_id)
    if not exports.csv_available(consultation):
        assert consultation.closes_at is not None  # published, so dated
        message = _(
            "In an anonymous consultation, the CSV of every response is available once the consultation closes "
            "(%(closes)s): rows that appear one at a time would show when each person answered, and what.",
            closes=city_time(consultation.closes_at, city),
        )
        return render_template("errors/error.html", title=_("Not available yet"), message=message), 409
    if not exports.csv_release(consultation):
        message = _(
            "The CSV of every response was made available when the consultation closed. Some answers have left the "
            "counts since (a withdrawn consent or a deleted account): a second CSV, beside the first, would show "
            "whose answers they were, so no other is made."
        )
        return render_template("errors/error.html", title=_("Not available"), message=message), 409
    record("consultation.exported", city=city, target=consultation, format="csv")
    db.session.commit()
    lines = exports.csv_lines(consultation_id, _language())
    return HttpResponse(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="consultation-{consultation_id}-responses.csv"'},
    )


@bp.get(f"{MANAGE}/export.json")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def export_json(city, consultation_id: int):
    """The results as JSON: aggregates, approved quotes, breakdowns with the same suppression as the pages."""
    consultation = _published_or_404(city, consultation_id)
    summary = exports.summary(consultation, _language())
    record("consultation.exported", city=city, target=consultation, format="json")
    db.session.commit()
    return HttpResponse(
        json.dumps(summary, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="consultation-{consultation.id}-results.json"'},
    )
