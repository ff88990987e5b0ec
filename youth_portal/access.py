"""Who may see what: every staff page asks for a capability, checked against the person's role in the page's city (or
their network role), and answers 404 otherwise."""

from functools import wraps
from typing import Any, Protocol, cast

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .audit.services import record_refusal
from .cities.lookup import city_or_404
from .cities.models import City
from .extensions import db, login_manager
from .features import all_features
from .permissions import NETWORK_WIDE, Capability, city_capabilities, network_capabilities


def _refuse(city: City | None = None):
    """Log the refused authorisation (counted by the hour: audit.services.record_refusal) and answer 404, so the object
    is not even confirmed to exist."""
    record_refusal(request.path, city)
    db.session.commit()
    abort(404)


def _two_step_missing() -> bool:
    """A person with a staff or admin role who has not turned on two-step verification, where it is required."""
    return current_app.config["STAFF_TWO_STEP_REQUIRED"] and current_user.two_step_key is None


def _two_step_first():
    flash(_("Staff and admin pages need two-step verification. Turn it on here, then go back to your page."), "info")
    return redirect(url_for("my_account.two_step_verification"))


def may(capability: Capability, city: City | None = None) -> bool:
    """Whether the signed-in person may do `capability`: in `city` for a city capability (by their role there), across
    the network for a network-wide one (by their network role)."""
    if not current_user.is_authenticated:
        return False
    if capability in NETWORK_WIDE:
        return capability in network_capabilities(current_user.network_role)
    return city is not None and capability in city_capabilities(current_user.active_role_in(city))


def pages_for(role) -> list[tuple[str, Any]]:
    """The manage pages (endpoint, label) that a person holding `role` in a city may use, in the features' order."""
    allowed = city_capabilities(role)
    return [
        (entry.endpoint, entry.label)
        for feature in all_features()
        for entry in feature.menu
        if entry.capability in allowed
    ]


def manage_menu() -> dict[str, Any]:
    """Every page's manage menu: the pages of the city for the person's role there (set by `requires`, or by the city
    page), none elsewhere."""
    return {"manage_pages": pages_for(g.get("city_role"))}


class CapabilityView(Protocol):
    """A view behind `requires`, which says the capability it asks for."""

    capability: Capability

    def __call__(self, **kwargs: Any) -> Any: ...


def requires(capability: Capability):
    """The view runs only for people who may do `capability`; anyone else gets 404 (the refusal is logged).

    For a city capability the view takes `slug` and is called with `city` instead, and only the person's role in
    that city counts; a network-wide capability depends on the network role alone. Two-step verification comes after.
    """
    network_wide = capability in NETWORK_WIDE

    def decorator(view):
        @wraps(view)
        def wrapped(**kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if network_wide:
                if capability not in network_capabilities(current_user.network_role):
                    _refuse()
            else:
                city = city_or_404(kwargs.pop("slug"))
                role = current_user.active_role_in(city)
                if capability not in city_capabilities(role):
                    _refuse(city)
                g.city_role = role
                kwargs["city"] = city
            if _two_step_missing():
                return _two_step_first()
            return view(**kwargs)

        guarded = cast(CapabilityView, wrapped)
        guarded.capability = capability  # what the view asks for: read by tests/test_capabilities.py
        return guarded

    return decorator
