"""A city admin's pages under /cities/<slug>/manage/: who holds which role, and the city's audit log."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user

from .. import access
from ..accounts.models import CITY_ROLE_LABELS, CityRole, CityRoleName
from ..extensions import db
from ..paging import requested_page
from ..permissions import Capability, city_capabilities
from . import services
from .forms import CITY_GRANTABLE_ROLES, GrantRoleForm

bp = Blueprint("manage", __name__, url_prefix="/cities/<slug>/manage")

AUDIT_PAGE_SIZE = 50

#: Plain words for every action the code records (tests/test_admin.py checks none is missing); the page would
#: otherwise show the dotted name.
ACTION_LABELS = {
    "access.refused": _l("Was refused access to a page"),
    "city.created": _l("Created the city"),
    "city.settings_changed": _l("Changed the consultation settings"),
    "role.granted": _l("Granted a role"),
    "role.revoked": _l("Revoked a role"),
    # Accounts (most have no city, so they appear in no city's log; labelled all the same).
    "account.registered": _l("Created an account"),
    "account.email_verified": _l("Confirmed their email address"),
    "account.verification_resent": _l("Asked for a new confirmation link"),
    "account.profile_changed": _l("Changed their profile"),
    "account.password_changed": _l("Changed their password"),
    "account.email_change_requested": _l("Asked to change their email address"),
    "account.email_changed": _l("Changed their email address"),
    "account.data_downloaded": _l("Downloaded their data"),
    "account.deleted": _l("Deleted their account"),
    "account.suspended": _l("Suspended an account"),
    "account.two_step_on": _l("Turned on two-step verification"),
    "account.two_step_off": _l("Turned off two-step verification"),
    "account.two_step_moved": _l("Moved two-step verification to a new phone"),
    "account.backup_codes_renewed": _l("Got new backup codes"),
    "auth.login.succeeded": _l("Signed in"),
    "auth.login.failed": _l("Failed to sign in"),
    "auth.logout": _l("Signed out"),
    "auth.password_reset.requested": _l("Asked to reset their password"),
    "auth.password_reset": _l("Reset their password"),
    # The young person is in "Concerning"; a guardian has no account, so their decisions have nobody in "Who".
    "guardian.consent_requested": _l("Asked a parent or guardian for consent"),
    "guardian.consented": _l("Their parent or guardian gave consent"),
    "guardian.declined": _l("Their parent or guardian refused consent"),
    "guardian.withdrawn": _l("Their parent or guardian withdrew consent"),
    # Consultations: the page names which one (the event's detail holds its id).
    "consultation.created": _l("Created a consultation"),
    "consultation.edited": _l("Edited a consultation"),
    "consultation.cover_changed": _l("Changed the cover image of a consultation"),
    "consultation.cover_removed": _l("Removed the cover image of a consultation"),
    "consultation.question_added": _l("Added a question"),
    "consultation.question_changed": _l("Changed a question"),
    "consultation.question_deleted": _l("Deleted a question"),
    "consultation.questions_reordered": _l("Moved a question"),
    "consultation.published": _l("Published a consultation"),
    "consultation.unpublished": _l("Turned a consultation back into a draft"),
    "consultation.closed": _l("Closed a consultation"),
    "consultation.exported": _l("Exported results"),
    "consultation.quote_approved": _l("Approved a public quote"),
    "consultation.quote_withdrawn": _l("Withdrew a public quote"),
    "consultation.outcome_edited": _l("Edited an outcome"),
    "consultation.outcome_published": _l("Published an outcome"),
    "consultation.commitment_added": _l("Added a commitment"),
    "consultation.commitment_changed": _l("Changed a commitment"),
    "consultation.commitment_removed": _l("Removed a commitment"),
    "consultation.archived": _l("Archived a consultation"),
}


#: The manage pages, their names, and the capability each asks for (shown on the city page and in the menu).
PAGES = (
    ("consultations.staff.list", _l("Consultations"), Capability.MANAGE_CONSULTATIONS),
    ("consultations.settings.edit", _l("Consultation settings"), Capability.MANAGE_CITY_SETTINGS),
    ("admin.manage.roles", _l("Roles"), Capability.MANAGE_ROLES),
    ("admin.manage.audit", _l("Audit log"), Capability.VIEW_AUDIT_LOG),
)


def pages_for(role: CityRoleName | None) -> list[tuple[str, str]]:
    """The manage pages (endpoint, name) a person holding `role` in a city may use."""
    return [(endpoint, label) for endpoint, label, capability in PAGES if capability in city_capabilities(role)]


@bp.context_processor
def manage_menu() -> dict:
    return {"manage_pages": pages_for(g.get("city_role"))}


@bp.route("/roles", methods=["GET", "POST"])
@access.requires(Capability.MANAGE_ROLES)
def roles(city):
    """The city's staff, moderators and admins; grant the role of staff or moderator."""
    form = GrantRoleForm()
    if form.validate_on_submit():
        role = CityRoleName(form.role.data)
        try:
            user = services.grant_role_by_email(city, form.email.data, role, by=current_user)
        except services.CannotGrant as refusal:
            form.email.errors.append(str(refusal))
        else:
            db.session.commit()
            flash(_("%(name)s now holds the role “%(role)s” in %(city)s.", name=user.public_name, role=role.label, city=city.name), "success")
            return redirect(url_for(".roles", slug=city.slug))
    holders = db.session.scalars(services.active_role_query(city)).all()
    status = 422 if form.is_submitted() else 200
    return render_template(
        "admin/roles.html", city=city, form=form, holders=holders, revocable=CITY_GRANTABLE_ROLES
    ), status


@bp.post("/roles/<int:role_id>/revoke")
@access.requires(Capability.MANAGE_ROLES)
def revoke(city, role_id: int):
    """End a staff or moderator role in this city (a city admin's role is ended by a network admin)."""
    query = services.active_role_query(city, *CITY_GRANTABLE_ROLES).where(CityRole.id == role_id)
    role_row = db.first_or_404(query)
    services.revoke_role(role_row, by=current_user)
    db.session.commit()
    flash(_("%(name)s no longer holds a role in %(city)s.", name=role_row.user.public_name, city=city.name), "success")
    return redirect(url_for(".roles", slug=city.slug))


@bp.get("/audit")
@access.requires(Capability.VIEW_AUDIT_LOG)
def audit(city):
    """The city's audit log, newest first, 50 events a page."""
    page = requested_page()
    events, has_older = services.audit_page(city, page, AUDIT_PAGE_SIZE)
    return render_template(
        "admin/audit.html",
        city=city,
        events=events,
        page=page,
        has_older=has_older,
        action_labels=ACTION_LABELS,
        role_labels={role.value: label for role, label in CITY_ROLE_LABELS.items()},
        consultation_titles=services.consultation_titles(city, [event for event, _actor, _subject in events],
                                                         str(get_locale())),
    )

