"""Staff of a city: list, create, edit, preview and run the city's consultations (404 for anyone else)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from ... import access
from ...cities.lookup import get_for_city_or_404
from ...extensions import db
from ...permissions import Capability
from ...questionnaires.texts import language_name
from ...request_size import accepts_bodies_up_to
from ...timeutil import utcnow
from ..models import Consultation, ConsultationError, ResponseStatus, Stage, WrongStage, localized
from . import covers, services
from .forms import consultation_form

bp = Blueprint("staff", __name__)


MANAGE = "/cities/<slug>/manage/consultations"


def _links(city, consultation: Consultation) -> dict[str, str | None]:
    """Where staff go from a consultation: pages of other parts are linked only when they exist."""
    return {
        "edit": url_for("consultations.staff.edit", slug=city.slug, consultation_id=consultation.id),
        "preview": url_for("consultations.staff.preview", slug=city.slug, consultation_id=consultation.id),
        "questions": _url_if_any("consultations.builder.questions", slug=city.slug, consultation_id=consultation.id),
        "results": _url_if_any("consultations.results.staff", slug=city.slug, consultation_id=consultation.id),
        "outcome": _url_if_any("consultations.outcome.edit", slug=city.slug, consultation_id=consultation.id),
    }


def _url_if_any(endpoint: str, **values) -> str | None:
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _page(template: str, city, **context):
    """Render a staff page with the city's manage menu."""
    return render_template(template, city=city, language_name=language_name, **context)


@bp.get(MANAGE, endpoint="list")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def consultation_list(city):
    """The city's consultations for its staff: stage, dates, responses, titles still missing per language."""
    consultations = db.session.scalars(services.city_consultations_query(city)).all()
    counts = services.response_counts(city)
    now = utcnow()
    rows = [
        {
            "consultation": c,
            "title": c.text("title", str(get_locale()))[0],
            "stage": c.stage(now),
            "submitted": counts.get(c.id, {}).get(ResponseStatus.SUBMITTED, 0),
            "drafts": counts.get(c.id, {}).get(ResponseStatus.DRAFT, 0),
            "missing": [language_name(code) for code in services.missing_titles(c, city.languages)],
            "links": _links(city, c),
        }
        for c in consultations
    ]
    return _page("consultations/staff/list.html", city, rows=rows)


@bp.route(f"{MANAGE}/new", methods=["GET", "POST"])
@accepts_bodies_up_to(covers.MAX_REQUEST_BYTES)
@access.requires(Capability.MANAGE_CONSULTATIONS)
def new(city):
    """Write a new consultation; it stays a draft, seen by staff only, until published."""
    form = consultation_form(city)
    if form.validate_on_submit():
        consultation = services.create_consultation(city, form.values(), by=current_user)
        if form.prepared_cover:
            services.set_cover(consultation, covers.store(form.prepared_cover), by=current_user)
        db.session.commit()
        flash(_("The consultation was saved as a draft. Only staff can see it."), "success")
        return _after_save(city, consultation)
    return _page("consultations/staff/new.html", city, form=form), 422 if form.is_submitted() else 200


@bp.route(f"{MANAGE}/<int:consultation_id>/edit", methods=["GET", "POST"])
@accepts_bodies_up_to(covers.MAX_REQUEST_BYTES)
@access.requires(Capability.MANAGE_CONSULTATIONS)
def edit(city, consultation_id: int):
    """Edit a consultation as far as its stage allows, and move it through its life cycle."""
    consultation = get_for_city_or_404(Consultation, consultation_id, city)
    form = consultation_form(city, consultation)
    if form.validate_on_submit():
        services.update_consultation(consultation, form.values(), by=current_user)
        replaced = None
        if form.prepared_cover:
            replaced = services.set_cover(consultation, covers.store(form.prepared_cover), by=current_user)
        elif form.remove_cover.data:
            replaced = services.set_cover(consultation, None, by=current_user)
        db.session.commit()
        covers.remove(replaced)
        flash(_("Your changes were saved."), "success")
        return _after_save(city, consultation)
    return _edit_page(city, consultation, form, 422 if form.is_submitted() else 200)


def _after_save(city, consultation: Consultation):
    endpoint = "consultations.staff.preview" if "save_and_preview" in request.form else "consultations.staff.edit"
    return redirect(url_for(endpoint, slug=city.slug, consultation_id=consultation.id))


def _edit_page(city, consultation: Consultation, form, status: int, refusal: str | None = None):
    now = utcnow()
    return _page(
        "consultations/staff/edit.html",
        city,
        form=form,
        consultation=consultation,
        stage=consultation.stage(now),
        actions=services.allowed_actions(consultation, now),
        links=_links(city, consultation),
        refusal=refusal,
        title=consultation.text("title", str(get_locale()))[0],
    ), status


@bp.post(f"{MANAGE}/<int:consultation_id>/publish")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def publish(city, consultation_id: int):
    """Publish a draft: young people see it, and it opens and closes at its times."""
    return _life_cycle(city, consultation_id, "publish")


@bp.post(f"{MANAGE}/<int:consultation_id>/unpublish")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def unpublish(city, consultation_id: int):
    """Take a scheduled consultation back to a draft, before anyone could answer."""
    return _life_cycle(city, consultation_id, "unpublish")


@bp.post(f"{MANAGE}/<int:consultation_id>/close")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def close(city, consultation_id: int):
    """Close an open consultation now, earlier than planned, once staff have confirmed it (it cannot be undone)."""
    if request.form.get("confirmed") != "yes":
        consultation = get_for_city_or_404(Consultation, consultation_id, city)
        if "close" in services.allowed_actions(consultation, utcnow()):
            return _page(
                "consultations/staff/confirm_close.html",
                city,
                consultation=consultation,
                title=consultation.text("title", str(get_locale()))[0],
            )
    return _life_cycle(city, consultation_id, "close")


@bp.post(f"{MANAGE}/<int:consultation_id>/archive")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def archive(city, consultation_id: int):
    """Archive a consultation whose outcome is published."""
    return _life_cycle(city, consultation_id, "archive")


def _life_cycle(city, consultation_id: int, action: str):
    """Move the consultation on; refused with 409 at the wrong stage, 422 when something is missing."""
    consultation = get_for_city_or_404(Consultation, consultation_id, city)
    try:
        services.move(consultation, action, by=current_user)
    except ConsultationError as refusal:
        db.session.rollback()
        status = 409 if isinstance(refusal, WrongStage) else 422
        form = consultation_form(city, consultation, formdata=None)
        return _edit_page(city, consultation, form, status, str(refusal))
    db.session.commit()
    flash(_life_cycle_message(action, consultation), "success")
    return redirect(url_for("consultations.staff.edit", slug=city.slug, consultation_id=consultation.id))


def _life_cycle_message(action: str, consultation: Consultation) -> str:
    if action == "publish":
        if consultation.stage() == Stage.OPEN:
            return _("The consultation is published and open: young people can answer now.")
        return _("The consultation is published. It opens at the time you set.")
    return {
        "unpublish": _("The consultation is a draft again: only staff can see it."),
        "close": _("The consultation is closed: nobody can answer any more."),
        "archive": _("The consultation is archived."),
    }[action]


@bp.get(f"{MANAGE}/<int:consultation_id>/preview")
@access.requires(Capability.MANAGE_CONSULTATIONS)
def preview(city, consultation_id: int):
    """The consultation as a young person would see it, in any of the city's languages, for its staff only."""
    consultation = get_for_city_or_404(Consultation, consultation_id, city)
    language = request.args.get("language")
    if language not in city.languages:
        language = str(get_locale()) if str(get_locale()) in city.languages else city.default_language
    texts = {name: consultation.text(name, language) for name in ("title", "summary", "body", "cover_alt")}
    return _page(
        "consultations/staff/preview.html",
        city,
        consultation=consultation,
        language=language,
        texts=texts,
        stage=consultation.stage(),
        links=_links(city, consultation),
        localized=lambda texts, code: localized(texts or {}, code, city.default_language),
    )
