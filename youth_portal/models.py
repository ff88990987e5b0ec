"""Every model of the app in one import, for Alembic and the shell."""

from .accounts.models import CityRole, User  # noqa: F401
from .accounts.private_session import PrivateSessionValue  # noqa: F401
from .audit.models import AuditEvent  # noqa: F401
from .cities.models import City  # noqa: F401
from .consultations.models import (  # noqa: F401
    Answer,
    Commitment,
    Consultation,
    ConsultationUpdate,
    ParticipationRecord,
    Question,
    Release,
    Response,
)
from .guardians.models import GuardianConsent  # noqa: F401
from .mail import QueuedEmail  # noqa: F401
from .tokens import OneTimeToken  # noqa: F401
