"""The accounts feature: registration, email confirmation, sign-in and out, password reset."""

from flask_babel import lazy_gettext as _l

from ..features import Feature
from . import personal_data
from .routes import bp

#: A person's own account events (all but a suspension, a staff action).
ACCOUNT_EVENTS = {
    "account.registered": _l("Created an account"),
    "account.email_verified": _l("Confirmed their email address"),
    "account.verification_resent": _l("Asked for a new confirmation link"),
    "auth.login.succeeded": _l("Signed in"),
    "auth.login.failed": _l("Failed to sign in"),
    "auth.login.paused": _l("Signing in was paused after many wrong passwords"),
    "auth.logout": _l("Signed out"),
    "auth.password_reset.requested": _l("Asked to reset their password"),
    "auth.password_reset": _l("Reset their password"),
}

feature = Feature(
    "accounts",
    blueprints=(bp,),
    # A young person's own events appear in no city's log (staff actions only: admin/services), in the network's.
    audit_labels={**ACCOUNT_EVENTS, "account.suspended": _l("Suspended an account")},
    account_events=frozenset(ACCOUNT_EVENTS),
    export_personal_data=personal_data.export,
    erase_personal_data=personal_data.erase,
    personal_data_columns=frozenset({"one_time_tokens.user_id"}),
)
