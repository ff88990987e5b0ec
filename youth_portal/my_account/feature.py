"""The my-account feature: a person's own details, password, email, two-step verification, data and deletion.

Its data download and deletion gather what every feature exports and erases (features.py), so it declares none.
"""

from flask_babel import lazy_gettext as _l

from ..features import Feature
from .routes import bp

#: Every event of the feature is the person's own account's.
ACCOUNT_EVENTS = {
    "account.profile_changed": _l("Changed their profile"),
    "account.password_changed": _l("Changed their password"),
    "account.email_change_requested": _l("Asked to change their email address"),
    "account.email_changed": _l("Changed their email address"),
    "account.data_downloaded": _l("Downloaded their data"),
    "account.deleted": _l("Deleted their account"),
    "account.two_step_on": _l("Turned on two-step verification"),
    "account.two_step_off": _l("Turned off two-step verification"),  # also by an operator (accounts/two_step.py)
    "account.two_step_moved": _l("Moved two-step verification to a new phone"),
    "account.backup_codes_renewed": _l("Got new backup codes"),
}

feature = Feature("my_account", blueprints=(bp,), audit_labels=ACCOUNT_EVENTS, account_events=frozenset(ACCOUNT_EVENTS))
