"""Every consultations view, registered on the one blueprint."""
from . import covers, participation_routes, public_routes, settings_routes, staff_routes  # noqa: F401
from . import results_routes  # noqa: F401
from . import outcome_routes  # noqa: F401
from . import builder_routes  # noqa: F401
from .blueprint import bp  # noqa: F401
