"""A city admin's pages under /cities/<slug>/manage/: who holds which role, and the city's audit log."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from .. import access
from ..accounts.models import CITY_ROLE_LABELS, CityRole, CityRoleName
from ..audit.services import refusal_counts
from ..extensions import db
from ..features import audit_labels
from ..paging import requested_page
from ..permissions import Capability
from . import invitations, services
from .forms import CITY_GRANTABLE_ROLES, GrantRoleForm

bp = Blueprint("manage", __name__, url_prefix="/cities/<slug>/manage")

AUDIT_PAGE_SIZE = 50


@bp.route("/roles", methods=["GET", "POST"])
@access.requires(Capability.MANAGE_ROLES)
def roles(city):
    """The city's staff, moderators and admins; invite a person to the role of staff or moderator (invitations.py)."""
    form = GrantRoleForm()
    if form.validate_on_submit():
        role = CityRoleName(form.role.data)
        invitations.invite(city, form.email.data, role, by=current_user._get_current_object())
        db.session.commit()
        # The same words whatever became of it: the page tells nobody whether the address has an account.
        invited = _(
            "If %(email)s is the address of an adult's confirmed account, we emailed them an invitation to the role "
            "“%(role)s” in %(city)s. They get the role when they accept it, and then appear in the list above.",
            email=form.email.data,
            role=role.label,
            city=city.name,
        )
        flash(invited, "info")
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
    """The city's audit log of staff actions, newest first, by day, 50 events a page; and how many young people take
    part with consent given after a refusal."""
    page = requested_page()
    events, has_older = services.audit_page(city, page, AUDIT_PAGE_SIZE)
    return render_template(
        "admin/audit.html",
        city=city,
        consented_after_refusal=services.count_consented_after_refusal(city),
        events=events,
        page=page,
        has_older=has_older,
        action_labels=audit_labels(),
        role_labels={role.value: label for role, label in CITY_ROLE_LABELS.items()},
        targets=services.audit_targets(city, [event for event, _actor, _subject in events], str(get_locale())),
        refusals=refusal_counts([event for event, _actor, _subject in events]),
    )
