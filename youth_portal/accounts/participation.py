"""Whether a person may take part now, and if not, why not (shown to them in plain words)."""

from ..cities.models import City
from ..guardians.models import ConsentStatus, GuardianConsent
from .models import Participation, User

_CONSENT_TO_PARTICIPATION = {
    ConsentStatus.PENDING: Participation.CONSENT_PENDING,
    ConsentStatus.DECLINED: Participation.CONSENT_DECLINED,
    ConsentStatus.WITHDRAWN: Participation.CONSENT_WITHDRAWN,
}


def participation_of(user: User, host: City | None = None) -> Participation:
    """ALLOWED only for an active, verified account, with a guardian's consent where the person needs one: below their
    home city's age of consent, or below that of `host` (the city of a consultation open to the whole network) when
    it is higher."""
    if user.suspended_at is not None or user.deleted_at is not None:
        return Participation.SUSPENDED
    if user.email_verified_at is None:
        return Participation.EMAIL_UNVERIFIED
    if user.needs_guardian_consent(host=host):
        consent = GuardianConsent.latest_for(user)
        if consent is None:
            return Participation.CONSENT_PENDING
        if consent.status != ConsentStatus.GRANTED:
            return _CONSENT_TO_PARTICIPATION[consent.status]
    return Participation.ALLOWED
