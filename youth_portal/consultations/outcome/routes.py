"""Staff of a city: after a consultation closes, publish what the city will do and keep its commitments up to date
("you said, we did"); respondents are emailed. 404 for anyone but the city's staff and admins."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _, ngettext
from flask_login import current_user

from ... import access
from ...cities.models import City
from ...extensions import db
from ...permissions import Capability
from ...questionnaires.texts import language_name
from ...timeutil import utcnow
from ..models import Commitment, Consultation, ConsultationError, ConsultationUpdate, WrongStage
from . import services, update_emails
from .forms import commitment_form, outcome_form

bp = Blueprint("outcome", __name__)


OUTCOME = "/cities/<slug>/manage/consultations/<int:consultation_id>/outcome"


# Loading ------------------------------------------------------------------------------------------------------------


def _consultation(city: City, consultation_id: int) -> Consultation:
    """The city's consultation, or 404; locked for the rest of the request on a POST, so that two staff members
    acting at once cannot both publish, or both move a commitment (and email everyone twice)."""
    query = sa.select(Consultation).where(Consultation.id == consultation_id, Consultation.city_id == city.id)
    if request.method == "POST":
        query = query.with_for_update()
    return db.first_or_404(query)


def _commitment(consultation: Consultation, commitment_id: int) -> Commitment:
    """A commitment of this consultation (so of this city), or 404."""
    return db.first_or_404(
        sa.select(Commitment).where(Commitment.id == commitment_id, Commitment.consultation_id == consultation.id)
    )


def _title(consultation: Consultation) -> str:
    return consultation.text("title", str(get_locale()))[0]


def _render(template: str, city: City, consultation: Consultation, status: int = 200, **context):
    """A staff page about the consultation's outcome, with the city's manage menu."""
    now = utcnow()
    stage = consultation.stage(now)
    return render_template(
        template,
        city=city,
        consultation=consultation,
        stage=stage,
        title=_title(consultation),
        editable=stage.takes_outcome,
        language_name=language_name,
        edit_url=url_for("consultations.staff.edit", slug=city.slug, consultation_id=consultation.id),
        **context,
    ), status


def _refused(city: City, consultation: Consultation, refusal: str):
    """409 with the reason: on the outcome page once there is one; before closing, on a page that says there is
    no outcome to write yet (the consultation exists and its staff may see it: the request conflicts with its
    stage, hence 409 rather than 404)."""
    if consultation.stage().is_closed:
        return _outcome_page(city, consultation, 409, refusal=refusal)
    return _render("consultations/outcome/not_yet.html", city, consultation, 409, refusal=refusal)


def _outcome_page(
    city: City,
    consultation: Consultation,
    status: int = 200,
    *,
    form=None,
    new_commitment=None,
    refusal: str | None = None,
):
    return _render(
        "consultations/outcome/outcome.html",
        city,
        consultation,
        status,
        form=form or outcome_form(city, consultation, formdata=None),
        new_commitment=new_commitment or commitment_form(city, formdata=None),
        commitments=consultation.commitments,
        refusal=refusal,
        respondents=update_emails.respondent_count(consultation),
        emailed=update_emails.emailed_so_far(consultation),
        missing_in=lambda texts: [language_name(code) for code in city.languages if not (texts or {}).get(code)],
        public_url=url_for("consultations.public.consultation", slug=city.slug, consultation_id=consultation.id),
    )


def _back_to_outcome(city: City, consultation: Consultation, anchor: str = ""):
    return redirect(url_for("consultations.outcome.edit", slug=city.slug, consultation_id=consultation.id) + anchor)


def _notify(update: ConsultationUpdate, consultation: Consultation) -> str:
    """After the commit: email the respondents about the update (or leave them to the worker), and say so."""
    sent = update_emails.notify_respondents(update)
    if sent is None:
        count = update_emails.respondent_count(consultation)
        return ngettext(
            "%(num)d respondent is being told by email.", "%(num)d respondents are being told by email.", count
        )
    return ngettext("%(num)d respondent was told by email.", "%(num)d respondents were told by email.", sent)


# The outcome statement ----------------------------------------------------------------------------------------------


@bp.route(OUTCOME, methods=["GET", "POST"])
@access.requires(Capability.PUBLISH_OUTCOMES)
def edit(city, consultation_id: int):
    """The outcome statement and the commitments: save the statement, or publish it and tell the respondents."""
    consultation = _consultation(city, consultation_id)
    if not consultation.stage().is_closed:
        refusal = services.stage_refusal(consultation)
        assert refusal is not None  # the outcome cannot change before it is visible
        return _refused(city, consultation, refusal)
    if request.method == "GET":
        return _outcome_page(city, consultation)
    form = outcome_form(city, consultation)
    if not form.validate_on_submit():
        return _outcome_page(city, consultation, 422, form=form)
    try:
        services.save_outcome(consultation, form.texts(), by=current_user)
        update = services.publish_outcome(consultation, by=current_user) if "publish" in request.form else None
        if update is not None and request.form.get("confirmed") != "yes":
            return _confirm_publish(city, consultation, form, update)
    except WrongStage as refusal:
        db.session.rollback()
        return _outcome_page(city, consultation, 409, form=form, refusal=str(refusal))
    except ConsultationError as refusal:
        db.session.rollback()
        form.default_field.errors.append(str(refusal))
        return _outcome_page(city, consultation, 422, form=form)
    db.session.commit()
    if update is not None:
        flash(_("The outcome is published.") + " " + _notify(update, consultation), "success")
    elif consultation.outcome_published_at is not None:
        flash(_("The outcome statement was corrected. The public page shows the new text."), "success")
    else:
        flash(_("The outcome statement was saved. Only staff can see it until you publish it."), "success")
    return _back_to_outcome(city, consultation)


def _confirm_publish(city: City, consultation: Consultation, form, update: ConsultationUpdate):
    """Ask before publishing: who will be emailed, the email in each of their languages, the commitments. Shown from
    the publication tried and then undone (nothing is saved); the page sends the statement it shows back with
    "confirmed", so what is published is what staff read."""
    page = _render(
        "consultations/outcome/confirm_publish.html",
        city,
        consultation,
        form=form,
        commitments=consultation.commitments,
        respondents=update_emails.respondent_count(consultation),
        previews=update_emails.previews(update, consultation),
    )
    db.session.rollback()
    return page


# Commitments --------------------------------------------------------------------------------------------------------


@bp.post(f"{OUTCOME}/commitments")
@access.requires(Capability.PUBLISH_OUTCOMES)
def add_commitment(city, consultation_id: int):
    """Add a commitment (planned, after the others) to the consultation's outcome."""
    consultation = _consultation(city, consultation_id)
    refusal = services.stage_refusal(consultation)
    if refusal:
        return _refused(city, consultation, refusal)
    form = commitment_form(city)
    if not form.validate_on_submit():
        return _outcome_page(city, consultation, 422, new_commitment=form)
    commitment = services.add_commitment(consultation, form.values(), by=current_user)
    db.session.commit()
    flash(_("The commitment was added."), "success")
    return _back_to_outcome(city, consultation, f"#commitment-{commitment.id}")


@bp.route(f"{OUTCOME}/commitments/<int:commitment_id>", methods=["GET", "POST"])
@access.requires(Capability.PUBLISH_OUTCOMES)
def edit_commitment(city, consultation_id: int, commitment_id: int):
    """Edit a commitment and say where it stands; once the outcome is published, a new status is emailed to the
    respondents."""
    consultation = _consultation(city, consultation_id)
    commitment = _commitment(consultation, commitment_id)
    refusal = services.stage_refusal(consultation)
    if refusal:
        return _refused(city, consultation, refusal)
    form = commitment_form(city, commitment)
    if request.method == "GET" or not form.validate_on_submit():
        return _render(
            "consultations/outcome/commitment.html",
            city,
            consultation,
            422 if request.method == "POST" else 200,
            form=form,
            commitment=commitment,
        )
    update = services.change_commitment(commitment, form.values(), by=current_user)
    db.session.commit()
    if update is not None:
        now_status = _("The commitment is now “%(status)s”.", status=commitment.status.label)
        flash(now_status + " " + _notify(update, consultation), "success")
    else:
        flash(_("The commitment was saved."), "success")
    return _back_to_outcome(city, consultation, f"#commitment-{commitment.id}")


@bp.post(f"{OUTCOME}/commitments/<int:commitment_id>/remove")
@access.requires(Capability.PUBLISH_OUTCOMES)
def remove_commitment(city, consultation_id: int, commitment_id: int):
    """Remove a commitment written by mistake, while the outcome is not yet published."""
    consultation = _consultation(city, consultation_id)
    commitment = _commitment(consultation, commitment_id)
    try:
        services.remove_commitment(commitment, by=current_user)
    except WrongStage as refusal:
        db.session.rollback()
        return _refused(city, consultation, str(refusal))
    db.session.commit()
    flash(_("The commitment was removed."), "success")
    return _back_to_outcome(city, consultation, "#commitments-heading")
