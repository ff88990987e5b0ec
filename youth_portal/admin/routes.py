"""Network administration: network admins list and create cities and appoint each city's admins."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import access
from ..accounts.models import CityRole, CityRoleName
from ..audit.services import refusal_counts
from ..cities.lookup import city_or_404
from ..cities.models import City
from ..extensions import db
from ..features import audit_labels
from ..paging import requested_page
from ..permissions import Capability
from . import services
from .forms import AppointAdminForm, CityForm
from .manage import AUDIT_PAGE_SIZE, bp as manage_bp

bp = Blueprint("admin", __name__)
bp.register_blueprint(manage_bp)


@bp.get("/admin/cities")
@access.requires(Capability.MANAGE_NETWORK)
def cities():
    """The network's cities, each with its number of active city admins."""
    return render_template("admin/cities.html", cities=services.cities_with_admin_counts())


@bp.route("/admin/cities/new", methods=["GET", "POST"])
@access.requires(Capability.MANAGE_NETWORK)
def new_city():
    """Create a city (a new tenant of the network)."""
    form = CityForm()
    if form.validate_on_submit():
        city = services.create_city(current_user, **form.city_fields())
        db.session.commit()
        flash(_("%(city)s was created. Now appoint its admin.", city=city.name), "success")
        return redirect(url_for("admin.city_admins", slug=city.slug))
    return render_template("admin/new_city.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/admin/cities/<slug>/admins", methods=["GET", "POST"])
@access.requires(Capability.MANAGE_NETWORK)
def city_admins(slug: str):
    """A city's admins; appoint one by the email address of an existing account."""
    city = city_or_404(slug)
    form = AppointAdminForm()
    if form.validate_on_submit():
        try:
            user = services.grant_role_by_email(city, form.email.data, CityRoleName.CITY_ADMIN, by=current_user)
        except services.CannotGrant as refusal:
            form.email.errors.append(str(refusal))
        else:
            db.session.commit()
            flash(_("%(name)s is now an admin of %(city)s.", name=user.public_name, city=city.name), "success")
            return redirect(url_for("admin.city_admins", slug=city.slug))
    admins = db.session.scalars(services.active_role_query(city, CityRoleName.CITY_ADMIN)).all()
    status = 422 if form.is_submitted() else 200
    return render_template("admin/city_admins.html", city=city, form=form, admins=admins), status


@bp.post("/admin/cities/<slug>/admins/<int:role_id>/revoke")
@access.requires(Capability.MANAGE_NETWORK)
def revoke_city_admin(slug: str, role_id: int):
    """End a person's city admin role (the row stays as history)."""
    city = city_or_404(slug)
    role_row = db.first_or_404(services.active_role_query(city, CityRoleName.CITY_ADMIN).where(CityRole.id == role_id))
    services.revoke_role(role_row, by=current_user)
    db.session.commit()
    flash(_("%(name)s is no longer an admin of %(city)s.", name=role_row.user.public_name, city=city.name), "success")
    return redirect(url_for("admin.city_admins", slug=city.slug))


@bp.get("/admin/audit")
@access.requires(Capability.MANAGE_NETWORK)
def audit():
    """Every event of the network, young people's own included, to the second: for security investigations."""
    page = requested_page()
    events, has_older = services.network_audit_page(page, AUDIT_PAGE_SIZE)
    return render_template(
        "admin/network_audit.html",
        events=events,
        page=page,
        has_older=has_older,
        action_labels=audit_labels(),
        refusals=refusal_counts([event for event, _actor, _subject in events]),
        city_names={city.id: city.name for city in db.session.execute(sa.select(City.id, City.name))},
    )
