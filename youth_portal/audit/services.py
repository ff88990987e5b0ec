"""Recording audit events."""

from flask_login import current_user

from ..extensions import db
from .models import AuditEvent


def record(action: str, *, actor=None, city=None, subject=None, target=None, **detail) -> AuditEvent:
    """Add an event to the log; the caller's request commits it with the action it records. `target` is the object
    acted upon (a model instance with an id), when it is not a person."""
    if actor is None and current_user and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        city_id=city.id if city is not None else None,
        subject_id=subject.id if subject is not None else None,
        target_type=target.__tablename__ if target is not None else None,
        target_id=target.id if target is not None else None,
        detail=detail,
    )
    db.session.add(event)
    return event
