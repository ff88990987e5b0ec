"""Every consultations view, registered on the one blueprint."""
from . import (  # noqa: F401
    builder_routes,
    covers,
    outcome_routes,
    participation_routes,
    public_routes,
    results_routes,
    settings_routes,
    staff_routes,
)
from .blueprint import bp  # noqa: F401
