"""A city admin's pages under /cities/<slug>/manage/: who holds which role, and the city's audit log."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import access
from ..accounts.models import CITY_ROLE_LABELS, CityRole, CityRoleName
from ..extensions import db
from . import services
from .forms import CITY_GRANTABLE_ROLES, GrantRoleForm

bp = Blueprint("manage", __name__, url_prefix="/cities/<slug>/manage")

city_admin_required = access.city_role_required(CityRoleName.CITY_ADMIN)

AUDIT_PAGE_SIZE = 50

#: Plain words for the actions of the audit log; an action not listed is shown by its dotted name.
ACTION_LABELS = {
    "access.refused": _l("Was refused access to a page"),
    "city.created": _l("Created the city"),
    "role.granted": _l("Granted a role"),
    "role.revoked": _l("Revoked a role"),
    "consultation.created": _l("Created a consultation"),
    "consultation.published": _l("Published a consultation"),
    "consultation.closed": _l("Closed a consultation"),
    "consultation.outcome_published": _l("Published an outcome"),
    "consultation.exported": _l("Exported results"),
}


#: The manage pages, their names, and the city roles that may use them (shown on the city page and in the menu).
PAGES = (
    ("consultations.staff_list", _l("Consultations"), {CityRoleName.STAFF, CityRoleName.CITY_ADMIN}),
    ("consultations.city_settings", _l("Consultation settings"), {CityRoleName.CITY_ADMIN}),
    ("admin.manage.roles", _l("Roles"), {CityRoleName.CITY_ADMIN}),
    ("admin.manage.audit", _l("Audit log"), {CityRoleName.CITY_ADMIN}),
)


def pages_for(role: CityRoleName | None) -> list[tuple[str, str]]:
    """The manage pages (endpoint, name) a person holding `role` in a city may use."""
    return [(endpoint, label) for endpoint, label, roles in PAGES if role in roles]


@bp.context_processor
def manage_menu() -> dict:
    return {"manage_pages": pages_for(g.get("city_role"))}


@bp.route("/roles", methods=["GET", "POST"])
@city_admin_required
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
@city_admin_required
def revoke(city, role_id: int):
    """End a staff or moderator role in this city (a city admin's role is ended by a network admin)."""
    query = services.active_role_query(city, *CITY_GRANTABLE_ROLES).where(CityRole.id == role_id)
    role_row = db.first_or_404(query)
    services.revoke_role(role_row, by=current_user)
    db.session.commit()
    flash(_("%(name)s no longer holds a role in %(city)s.", name=role_row.user.public_name, city=city.name), "success")
    return redirect(url_for(".roles", slug=city.slug))


@bp.get("/audit")
@city_admin_required
def audit(city):
    """The city's audit log, newest first, 50 events a page."""
    page = max(request.args.get("page", 1, type=int), 1)
    events, has_older = services.audit_page(city, page, AUDIT_PAGE_SIZE)
    return render_template(
        "admin/audit.html",
        city=city,
        events=events,
        page=page,
        has_older=has_older,
        action_labels=ACTION_LABELS,
        role_labels={role.value: label for role, label in CITY_ROLE_LABELS.items()},
    )
