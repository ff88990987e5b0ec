"""Staff of a city build a consultation's questions: list, add, edit, delete, reorder (404 for anyone else).

Every page works without JavaScript; with htmx, "Add another option" swaps only the kind's settings fieldset.
Once anyone has answered (or the consultation has closed) the questions are locked: the pages say why, and
changes are refused with 409.
"""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from ... import access, htmx
from ...cities.lookup import get_for_city_or_404
from ...extensions import db
from ...permissions import Capability
from ...questionnaires import KINDS, kind_for
from ...questionnaires.texts import language_name
from ..models import Consultation, Question, QuestionKind, localized
from . import services
from .forms import MAX_OPTIONS, question_form

bp = Blueprint("builder", __name__)


QUESTIONS = "/cities/<slug>/manage/consultations/<int:consultation_id>/questions"
KIND_LABELS = {name: kind.label for name, kind in KINDS.items()}
KIND_HINTS = {name: kind.hint for name, kind in KINDS.items()}


def _page(template: str, city, consultation: Consultation, status: int = 200, **context):
    """A builder page with the city's manage menu; it varies with HX-Request (some answer htmx with a part)."""
    body = render_template(
        template,
        city=city,
        consultation=consultation,
        language_name=language_name,
        title=consultation.text("title", str(get_locale()))[0],
        kind_labels=KIND_LABELS,
        kind_hints=KIND_HINTS,
        **context,
    )
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def _list_url(city, consultation: Consultation, question: Question | None = None) -> str:
    return url_for(
        "consultations.builder.questions",
        slug=city.slug,
        consultation_id=consultation.id,
        _anchor=f"question-{question.id}" if question is not None else None,
    )


@bp.get(QUESTIONS, endpoint="questions")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def question_list(city, consultation_id: int):
    """The consultation's questions in order, with their texts per language, for its staff to change."""
    consultation = get_for_city_or_404(Consultation, consultation_id, city)
    return _list_page(city, consultation)


def _list_page(city, consultation: Consultation, status: int = 200, refusal: str | None = None):
    language = str(get_locale())
    rows = [
        {
            "question": question,
            "prompt": localized(question.prompt, language, city.default_language)[0],
            "details": kind_for(question).details(question),
            "missing": {
                language_name(code): parts
                for code, parts in services.missing_translations(question, city.languages).items()
            },
        }
        for question in consultation.questions
    ]
    return _page(
        "consultations/builder/list.html",
        city,
        consultation,
        status,
        rows=rows,
        lock=refusal or services.lock_reason(consultation),
        refused=refusal is not None,
        kinds=list(QuestionKind),
    )


def _kind_or_404(value: str | None) -> QuestionKind:
    try:
        return QuestionKind(value or "")
    except ValueError:
        abort(404)


@bp.route(f"{QUESTIONS}/new", methods=["GET", "POST"])
@access.requires(Capability.MANAGE_CONSULTATIONS)
def add_question(city, consultation_id: int):
    """Write a new question of the kind chosen on the list; it goes at the end."""
    consultation = get_for_city_or_404(Consultation, consultation_id, city)
    kind = _kind_or_404(request.args.get("kind"))
    action_url = url_for(
        "consultations.builder.add_question", slug=city.slug, consultation_id=consultation.id, kind=kind.value
    )
    lock = services.lock_reason(consultation)
    if lock:
        return _locked_form_page(city, consultation, kind, None, lock)
    form = question_form(city, kind)
    if "add_option" in request.form:
        return _with_another_option(city, consultation, form, action_url)
    if form.validate_on_submit():
        try:
            question = services.add_question(consultation, kind, form.values(), by=current_user)
        except services.QuestionsLocked as refusal:
            db.session.rollback()
            return _locked_form_page(city, consultation, kind, None, str(refusal))
        db.session.commit()
        flash(_("The question was added."), "success")
        return redirect(_list_url(city, consultation, question))
    return _form_page(city, consultation, form, action_url, 422 if form.is_submitted() else 200)


@bp.route(f"{QUESTIONS}/<int:question_id>/edit", methods=["GET", "POST"])
@access.requires(Capability.MANAGE_CONSULTATIONS)
def edit_question(city, consultation_id: int, question_id: int):
    """Change a question's texts and settings (its kind stays), until anyone answers."""
    consultation = get_for_city_or_404(Consultation, consultation_id, city)
    question = services.question_of(consultation, question_id)
    action_url = url_for(
        "consultations.builder.edit_question", slug=city.slug, consultation_id=consultation.id, question_id=question.id
    )
    lock = services.lock_reason(consultation)
    if lock:
        return _locked_form_page(city, consultation, question.kind, question, lock)
    form = question_form(city, question.kind, question)
    if "add_option" in request.form:
        return _with_another_option(city, consultation, form, action_url)
    if form.validate_on_submit():
        try:
            services.update_question(question, form.values(), by=current_user)
        except services.QuestionsLocked as refusal:
            db.session.rollback()
            return _locked_form_page(city, consultation, question.kind, question, str(refusal))
        db.session.commit()
        flash(_("Your changes to the question were saved."), "success")
        return redirect(_list_url(city, consultation, question))
    return _form_page(city, consultation, form, action_url, 422 if form.is_submitted() else 200)


def _with_another_option(city, consultation: Consultation, form, action_url: str):
    """ "Add another option": the form again as typed, with one more empty row (htmx gets the fieldset only)."""
    full = not form.add_row()
    template = (
        "consultations/builder/partials/kind_settings.html" if htmx.is_htmx() else "consultations/builder/form.html"
    )
    return _page(
        template,
        city,
        consultation,
        form=form,
        action_url=action_url,
        heading=_heading(form),
        rows_full=full,
        max_options=MAX_OPTIONS,
    )


def _form_page(city, consultation: Consultation, form, action_url: str, status: int):
    return _page(
        "consultations/builder/form.html",
        city,
        consultation,
        status,
        form=form,
        action_url=action_url,
        heading=_heading(form),
        rows_full=False,
        max_options=MAX_OPTIONS,
    )


def _heading(form) -> str:
    if form.question is not None:
        return _("Edit question %(number)d (%(kind)s)", number=form.question.position, kind=kind_for(form.kind).label)
    return _("New question: %(kind)s", kind=kind_for(form.kind).label)


def _locked_form_page(city, consultation: Consultation, kind: QuestionKind, question: Question | None, lock: str):
    """The question page says why nothing can change; a change sent anyway is refused with 409."""
    status = 409 if request.method == "POST" else 200
    return _page(
        "consultations/builder/locked.html", city, consultation, status, kind=kind, question=question, lock=lock
    )


@bp.post(f"{QUESTIONS}/<int:question_id>/delete")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def delete_question(city, consultation_id: int, question_id: int):
    """Remove a question; the ones after it move up one place."""
    consultation = get_for_city_or_404(Consultation, consultation_id, city)
    question = services.question_of(consultation, question_id)
    try:
        services.delete_question(question, by=current_user)
    except services.QuestionsLocked as refusal:
        db.session.rollback()
        return _list_page(city, consultation, 409, str(refusal))
    db.session.commit()
    flash(_("The question was deleted."), "success")
    return redirect(_list_url(city, consultation))


@bp.post(f"{QUESTIONS}/<int:question_id>/move")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def move_question(city, consultation_id: int, question_id: int):
    """Move a question one place up or down (the "direction" the button sends)."""
    consultation = get_for_city_or_404(Consultation, consultation_id, city)
    question = services.question_of(consultation, question_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    try:
        moved = services.move_question(question, direction, by=current_user)
    except services.QuestionsLocked as refusal:
        db.session.rollback()
        return _list_page(city, consultation, 409, str(refusal))
    db.session.commit()
    if moved:
        flash(_("The question is now number %(number)d.", number=question.position), "success")
    return redirect(_list_url(city, consultation, question))
