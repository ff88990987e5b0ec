"""Who may see what: every staff page checks the role AND the city, and answers 404 otherwise."""
from functools import wraps

import sqlalchemy as sa
from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .accounts.models import CityRoleName, NetworkRole
from .audit.services import record
from .cities.models import City
from .extensions import db, login_manager


def city_or_404(slug: str) -> City:
    """The city with this slug, remembered for the request (its default language, its pages)."""
    city = db.first_or_404(sa.select(City).where(City.slug == slug))
    g.city = city
    return city


def get_for_city_or_404(model, object_id: int, city: City):
    """An object that belongs to this city, or 404: the safe way to load anything by id."""
    return db.first_or_404(sa.select(model).where(model.id == object_id, model.city_id == city.id))


def _refuse(city: City | None = None):
    """Log the refused authorisation and answer 404, so the object is not even confirmed to exist."""
    record("access.refused", city=city, path=request.path)
    db.session.commit()
    abort(404)


def _two_step_missing() -> bool:
    """A person with a staff or admin role who has not turned on two-step verification, where it is required."""
    return current_app.config["STAFF_TWO_STEP_REQUIRED"] and current_user.two_step_key is None


def _two_step_first():
    flash(_("Staff and admin pages need two-step verification. Turn it on here, then go back to your page."), "info")
    return redirect(url_for("my_account.two_step_verification"))


def city_role_required(*roles: CityRoleName):
    """The view takes `slug`; it runs only for people holding one of `roles` in that city."""

    def decorator(view):
        @wraps(view)
        def wrapped(slug: str, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            city = city_or_404(slug)
            role = current_user.active_role_in(city)
            if role not in roles:
                _refuse(city)
            if _two_step_missing():
                return _two_step_first()
            g.city_role = role
            return view(city=city, **kwargs)

        wrapped.city_roles = roles  # read by the isolation tests
        return wrapped

    return decorator


def network_role_required(*roles: NetworkRole):
    """The view runs only for people holding one of these network-wide roles."""

    def decorator(view):
        @wraps(view)
        def wrapped(**kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.network_role not in roles:
                _refuse()
            if _two_step_missing():
                return _two_step_first()
            return view(**kwargs)

        return wrapped

    return decorator
