"""The guardians feature: consent of a parent or guardian for the young people who need it."""

from flask_babel import lazy_gettext as _l

from ..features import Feature
from . import personal_data
from .routes import bp

#: Every event of the feature is about a person's own account.
ACCOUNT_EVENTS = {
    "guardian.consent_requested": _l("Asked a parent or guardian for consent"),
    "guardian.consented": _l("Their parent or guardian gave consent"),
    "guardian.declined": _l("Their parent or guardian refused consent"),
    "guardian.withdrawn": _l("Their parent or guardian withdrew consent"),
    "guardian.own_session_refused": _l("Tried to answer their guardian's request while signed in as themselves"),
}

feature = Feature(
    "guardians",
    blueprints=(bp,),
    # The young person is in "Concerning"; a guardian has no account, so their decisions have nobody in "Who". They
    # tell that someone is below the age of consent: the network's log shows them, a city's does not (admin/services).
    audit_labels=ACCOUNT_EVENTS,
    account_events=frozenset(ACCOUNT_EVENTS),
    export_personal_data=personal_data.export,
    erase_personal_data=personal_data.erase,
    personal_data_columns=frozenset({"guardian_consents.user_id"}),
)
