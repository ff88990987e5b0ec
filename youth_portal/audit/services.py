"""Recording audit events; unlinking a deleted account from them; deleting account events past their retention."""

from collections.abc import Collection
from datetime import datetime
from typing import cast

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.engine import CursorResult

from ..extensions import db
from ..timeutil import utcnow
from .models import PATH_LENGTH, AuditEvent, RefusalCount


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


def record_refusal(path: str, city=None) -> None:
    """Log that the signed-in person was refused the page at `path` (in `city`, or a network page): the first refusal
    of the hour is an `access.refused` event, and the next ones in that hour count on it (RefusalCount)."""
    path, now = path[:PATH_LENGTH], utcnow()
    hour = now.replace(minute=0, second=0, microsecond=0)
    event_id = db.session.scalar(
        sa.select(AuditEvent.id)
        .where(
            AuditEvent.action == "access.refused",
            AuditEvent.actor_id == current_user.id,
            AuditEvent.city_id == city.id if city is not None else AuditEvent.city_id.is_(None),
            AuditEvent.occurred_at >= hour,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    if event_id is None:
        event = record("access.refused", city=city, path=path)
        db.session.flush()
        db.session.add(RefusalCount(event_id=event.id, last_path=path, last_refused_at=now))
        return
    db.session.execute(
        sa.update(RefusalCount)
        .where(RefusalCount.event_id == event_id)
        .values(count=RefusalCount.count + 1, last_path=path, last_refused_at=now)
    )


def refusal_counts(events: list[AuditEvent]) -> dict[int, RefusalCount]:
    """event id -> how many pages followed each of these `access.refused` events in its hour (and the last one)."""
    ids = [event.id for event in events if event.action == "access.refused"]
    if not ids:
        return {}
    return {
        count.event_id: count
        for count in db.session.scalars(sa.select(RefusalCount).where(RefusalCount.event_id.in_(ids)))
    }


def unlink(person_id: int) -> None:
    """Tie the events a deleted account did, or was the subject of, to nobody: they stay (the record of the cities
    and of the network's safety), and say "deleted account" where they named the person."""
    rows = db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.actor_id, AuditEvent.subject_id, AuditEvent.detail).where(
            sa.or_(AuditEvent.actor_id == person_id, AuditEvent.subject_id == person_id)
        )
    ).all()
    changes = []
    for event_id, actor_id, subject_id, detail in rows:
        named = {role for role, who in (("actor", actor_id), ("subject", subject_id)) if who == person_id}
        detail = detail or {}
        changes.append(
            {
                "event": event_id,
                "actor": None if "actor" in named else actor_id,
                "subject": None if "subject" in named else subject_id,
                "facts": {**detail, "deleted_account": sorted(named.union(detail.get("deleted_account", ())))},
            }
        )
    if changes:
        events = _table()
        db.session.execute(
            sa.update(events)
            .where(events.c.id == sa.bindparam("event"))
            .values(actor_id=sa.bindparam("actor"), subject_id=sa.bindparam("subject"), detail=sa.bindparam("facts")),
            changes,
        )


def delete_account_events(actions: Collection[str], before: datetime) -> int:
    """Delete the events of these actions that occurred before `before`; returns how many."""
    if not actions:
        return 0
    events = _table()
    expired = sa.and_(events.c.action.in_(sorted(actions)), events.c.occurred_at < before)
    result = db.session.execute(sa.delete(events).where(expired))
    return cast(CursorResult, result).rowcount  # a DELETE gives a CursorResult, which execute is not typed to say


def _table() -> sa.Table:
    """The events' table: statements on it bypass the model, which refuses changes (models.py)."""
    return cast(sa.Table, AuditEvent.__table__)
