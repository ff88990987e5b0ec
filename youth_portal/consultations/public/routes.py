"""Young people: the lists of consultations, a consultation's page, and answering it."""

import smtplib
from datetime import datetime
from email.message import Message

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from markupsafe import escape
from sqlalchemy.exc import IntegrityError

from ... import htmx, mail
from ...access import may
from ...accounts.models import User
from ...cities.local_time import city_time
from ...cities.lookup import city_or_404, get_for_city_or_404
from ...cities.models import City
from ...extensions import db, login_manager
from ...paging import requested_page
from ...permissions import Capability
from ...timeutil import utcnow
from .. import page_cache, queries
from ..models import Consultation, Response, ResponseMode, ResponseStatus, Stage, Topic, localized
from ..staff import covers
from . import answering
from .answering import AnswerSheet, Refusal
from .forms import AnswerForm, answer_form

bp = Blueprint("public", __name__)

PAGE_SIZE = 10
#: A first save racing another of the same person fails on the unique constraint once, then updates.
SAVE_ATTEMPTS = 3


def _language() -> str:
    return str(get_locale())


def _person() -> User | None:
    """The signed-in person as a model object, or None for a visitor."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def _public_or_404(slug: str, consultation_id: int, now: datetime) -> tuple[City, Consultation]:
    """The city and its consultation; 404 for a draft (nobody but staff, in their preview, sees one)."""
    city = city_or_404(slug)
    consultation = queries.public_consultation(city, consultation_id)
    if consultation is None or consultation.stage(now) == Stage.DRAFT:
        abort(404)
    return city, consultation


# Lists ----------------------------------------------------------------------------------------------------------


@bp.get("/cities/<slug>/consultations")
def city_list(slug: str):
    """A city's consultations the public may see, filtered by topic and status (htmx gets the list only)."""
    city = city_or_404(slug)
    now = utcnow()
    try:
        topic = Topic(request.args.get("topic", ""))
    except ValueError:
        topic = None
    status = request.args.get("status", "")
    status = status if status in queries.STATUS_FILTERS else ""
    pagination = db.paginate(
        queries.city_consultations(city, now, topic, status), page=requested_page(), per_page=PAGE_SIZE, error_out=False
    )
    filter_args = {"slug": city.slug, "topic": topic.value if topic else None, "status": status or None}
    context = {
        "city": city,
        "pagination": pagination,
        "now": now,
        "topic": topic,
        "status": status,
        "topics": list(Topic),
        "language": _language(),
        "filter_args": {name: value for name, value in filter_args.items() if value},
    }
    if htmx.is_htmx() and request.headers.get("HX-History-Restore-Request") != "true":
        return render_template("consultations/public/partials/list.html", **context)
    return render_template("consultations/public/list.html", **context)


@bp.get("/consultations")
def network_list():
    """Open consultations every member of the network may answer, from every city."""
    now = utcnow()
    pagination = db.paginate(
        queries.network_open_consultations(now), page=requested_page(), per_page=PAGE_SIZE, error_out=False
    )
    return render_template("consultations/public/network.html", pagination=pagination, now=now, language=_language())


# A consultation -------------------------------------------------------------------------------------------------


@bp.get("/cities/<slug>/consultations/<int:consultation_id>")
def consultation(slug: str, consultation_id: int):
    """A consultation's page: what it asks and for whom, how answers are used, and whether you can answer;
    once the outcome is published, the outcome and the city's commitments come first."""
    now = utcnow()
    city, consultation = _public_or_404(slug, consultation_id, now)
    person = _person()
    stage = consultation.stage(now)
    language = _language()
    fallback = city.default_language
    texts = {name: consultation.text(name, language) for name in ("title", "summary", "body", "cover_alt", "outcome")}
    commitments = [
        (
            commitment,
            localized(commitment.text, language, fallback)[0],
            localized(commitment.reason, language, fallback)[0],
        )
        for commitment in consultation.commitments
    ]
    page_cache.keep(consultation, now)
    return render_template(
        "consultations/public/consultation.html",
        city=city,
        consultation=consultation,
        stage=stage,
        Stage=Stage,
        texts=texts,
        fallback=fallback,
        commitments=commitments,
        refusal=answering.refusal(person, consultation, now),
        response=answering.response_of(person, consultation) if person else None,
        ResponseStatus=ResponseStatus,
        anonymous=consultation.mode == ResponseMode.ANONYMOUS,
        results_public=stage.is_closed,
    )


# Answering ------------------------------------------------------------------------------------------------------


def _respond_page(city: City, consultation: Consultation, form: AnswerForm, submitted: bool, status: int = 200):
    title, fell_back = consultation.text("title", _language())
    return render_template(
        "consultations/public/respond.html",
        city=city,
        consultation=consultation,
        form=form,
        title=title,
        title_fell_back=fell_back,
        submitted=submitted,
        anonymous=consultation.mode == ResponseMode.ANONYMOUS,
    ), status


def _refused(city: City, consultation: Consultation, reason: Refusal):
    """The plain-words reason a person cannot answer, with 403: nothing is written."""
    title, fell_back = consultation.text("title", _language())
    return render_template(
        "consultations/public/refused.html",
        city=city,
        consultation=consultation,
        refusal=reason,
        title=title,
        title_fell_back=fell_back,
    ), 403


@bp.route("/cities/<slug>/consultations/<int:consultation_id>/respond", methods=["GET", "POST"])
def respond(slug: str, consultation_id: int):
    """An eligible young person answers: saves a draft, or submits (then gets a receipt by email).

    Answers stay editable until closing; a submitted response stays submitted when changed.
    """
    now = utcnow()
    city, consultation = _public_or_404(slug, consultation_id, now)
    person = _person()
    reason = answering.refusal(person, consultation, now)
    autosave = request.method == "POST" and htmx.is_htmx() and request.form.get("autosave") == "yes"
    if autosave and reason is not None:  # a line for the form's status, not a page
        if reason == Refusal.NOT_SIGNED_IN:
            return escape(
                _(
                    "You were signed out after a while without activity, so this was not saved. Your draft "
                    "from before is kept: sign in again to go on."
                )
            ), 401
        return escape(_("This consultation no longer takes your answers: reload the page to see why.")), 403
    if reason == Refusal.NOT_SIGNED_IN:
        return login_manager.unauthorized()
    if reason is not None:
        return _refused(city, consultation, reason)
    assert person is not None  # refusal() says NOT_SIGNED_IN otherwise
    language = _language()
    resident = person.home_city_id == consultation.city_id
    if request.method == "GET":
        response = answering.response_of(person, consultation)
        form = answer_form(consultation, language, final=False, resident=resident, response=response)
        return _respond_page(city, consultation, form, submitted=_is_submitted(response))

    response = answering.response_of(person, consultation, lock=True)  # held until the save commits
    submitted_before = _is_submitted(response)
    if autosave:
        return _autosave(person, city, consultation, response, language, resident, now)
    submit = submitted_before or request.form.get("action") == "submit"
    form = answer_form(consultation, language, final=submit, resident=resident)
    if not form.validate_on_submit():
        return _respond_page(city, consultation, form, submitted=submitted_before, status=422)
    # Everything said after saving is prepared before: the commit expires what the request loaded, and reading
    # it again would cost a query for each object.
    if not submit:
        saved = _(
            "Your draft is saved. Only you can see it. Come back and submit it before %(closes)s.",
            closes=_closes(consultation),
        )
        again = url_for("consultations.public.respond", slug=city.slug, consultation_id=consultation.id)
        _save(person, consultation, response, form.sheet(), submit=False, now=now)
        flash(saved, "success")
        return redirect(again)
    receipt = answering.receipt(person, consultation)
    thanks_page = url_for("consultations.public.thanks", slug=city.slug, consultation_id=consultation.id)
    if current_app.config["MAIL_WORKER"]:  # the receipt is saved with the answers, and the worker sends it
        _save(person, consultation, response, form.sheet(), submit=True, now=now, receipt=receipt)
        return redirect(thanks_page)
    _save(person, consultation, response, form.sheet(), submit=True, now=now)
    try:
        mail.deliver(receipt)
    except (smtplib.SMTPException, OSError):
        # The answers are saved: the person is told the receipt did not go, never shown an error.
        current_app.logger.exception("Could not email the receipt of consultation %s", consultation.id)
        thanks_page += "?receipt=not-sent"
    return redirect(thanks_page)


def _autosave(
    person: User,
    city: City,
    consultation: Consultation,
    response: Response | None,
    language: str,
    resident: bool,
    now: datetime,
):
    """The draft saved as the person answers (htmx, on the form's data-autosave): a line saying so, not a page.

    Only a draft: the changes to submitted answers count once the person submits them, so they are never saved
    this way (409). The request also keeps the session from ending while the person is answering.
    """
    if _is_submitted(response):
        return escape(_("Your answers are submitted: your changes count once you submit them.")), 409
    form = answer_form(consultation, language, final=False, resident=resident)
    if not form.validate_on_submit():
        return escape(_("Your draft is not saved yet: an answer needs a change. Save the draft to see which.")), 422
    _save(person, consultation, response, form.sheet(), submit=False, now=now)
    return escape(_("Draft saved automatically at %(time)s.", time=city_time(now, city)))


def _is_submitted(response) -> bool:
    return response is not None and response.status == ResponseStatus.SUBMITTED


def _closes(consultation: Consultation) -> str:
    assert consultation.closes_at is not None  # an open consultation has a closing time
    return city_time(consultation.closes_at, consultation.city)


def _save(
    person: User,
    consultation: Consultation,
    response: Response | None,
    sheet: AnswerSheet,
    *,
    submit: bool,
    now: datetime,
    receipt: Message | None = None,
) -> None:
    """Save `response` (locked, or None), and queue `receipt` if given, and commit; a first save that raced another
    of the same person is rolled back and saved again, which then updates the response the other one made (one
    response per person, whatever the timing)."""
    attempts_left = SAVE_ATTEMPTS
    while True:
        try:
            answering.save(person, consultation, response, sheet, submit=submit, now=now)
            if receipt is not None:
                mail.queue(receipt)
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            attempts_left -= 1
            if not attempts_left:
                raise
            response = answering.response_of(person, consultation, lock=True)


@bp.get("/cities/<slug>/consultations/<int:consultation_id>/thanks")
def thanks(slug: str, consultation_id: int):
    """The confirmation after submitting: received, a receipt is on its way, editable until closing."""
    now = utcnow()
    city, consultation = _public_or_404(slug, consultation_id, now)
    person = _person()
    if person is None:
        return login_manager.unauthorized()
    response = answering.response_of(person, consultation)
    if not _is_submitted(response):
        return redirect(url_for("consultations.public.consultation", slug=city.slug, consultation_id=consultation.id))
    title, fell_back = consultation.text("title", _language())
    return render_template(
        "consultations/public/thanks.html",
        city=city,
        consultation=consultation,
        response=response,
        title=title,
        title_fell_back=fell_back,
        still_open=consultation.stage(now) == Stage.OPEN,
        anonymous=consultation.mode == ResponseMode.ANONYMOUS,
        receipt_sent=request.args.get("receipt") != "not-sent",
    )


@bp.get("/cities/<slug>/consultations/<int:consultation_id>/cover")
def cover(slug: str, consultation_id: int):
    """A consultation's cover image: for everyone once published, for the city's staff always."""
    city = city_or_404(slug)
    consultation = get_for_city_or_404(Consultation, consultation_id, city)
    if consultation.stage() == Stage.DRAFT and not _is_staff_of(city):
        abort(404)
    path = covers.path_of(consultation.cover_image)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/webp", max_age=300, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


def _is_staff_of(city) -> bool:
    return may(Capability.MANAGE_CONSULTATIONS, city)
