"""The admin feature: the network's cities and their admins; in each city, its roles and its audit log."""

from flask_babel import lazy_gettext as _l

from ..features import Feature, MenuEntry
from ..permissions import Capability
from . import personal_data
from .invitation_routes import bp as invitations_bp
from .routes import bp

feature = Feature(
    "admin",
    blueprints=(bp, invitations_bp),
    menu=(
        MenuEntry("admin.manage.roles", _l("Roles"), Capability.MANAGE_ROLES),
        MenuEntry("admin.manage.audit", _l("Audit log"), Capability.VIEW_AUDIT_LOG),
    ),
    audit_labels={
        "access.refused": _l("Was refused access to a page"),  # recorded by access.py for every feature
        "city.created": _l("Created the city"),
        "role.granted": _l("Granted a role"),
        "role.revoked": _l("Revoked a role"),
        "role.invited": _l("Invited someone to a role"),
        "role.invitation_accepted": _l("Accepted an invitation to a role"),
        "role.invitation_declined": _l("Declined an invitation to a role"),
        "role.invitation_refused": _l("An invitation to a role was not sent or could not be accepted"),
    },
    export_personal_data=personal_data.export,
    erase_personal_data=personal_data.erase,
    personal_data_columns=frozenset({"city_roles.user_id", "audit_events.actor_id", "audit_events.subject_id"}),
    kept_columns={
        "city_roles.granted_by_id": "The city's history of who appointed whom; names the emptied account only.",
        "city_roles.revoked_by_id": "As city_roles.granted_by_id.",
    },
)
