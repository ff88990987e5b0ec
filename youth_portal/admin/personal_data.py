"""A person's city roles and activity log in their data download; their roles end with the account, and the log's
events are unlinked from them."""

import sqlalchemy as sa

from ..accounts.models import CityRole, User
from ..audit import services as audit
from ..audit.models import AuditEvent
from ..cities.models import City
from ..extensions import db
from ..timeutil import iso_utc, utcnow


def export(user: User) -> dict:
    """The person's roles, current and past, and the audit events they did or that were about them (two queries)."""
    roles = db.session.execute(
        sa.select(CityRole.role, CityRole.granted_at, CityRole.revoked_at, City.slug)
        .join(City, City.id == CityRole.city_id)
        .where(CityRole.user_id == user.id)
        .order_by(CityRole.granted_at, CityRole.id)
    ).all()
    events = db.session.execute(
        sa.select(AuditEvent, City.slug)
        .outerjoin(City, City.id == AuditEvent.city_id)
        .where(sa.or_(AuditEvent.actor_id == user.id, AuditEvent.subject_id == user.id))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    return {
        "city_roles": [
            {"city": slug, "role": role.value, "granted_at": iso_utc(granted), "revoked_at": iso_utc(revoked)}
            for role, granted, revoked, slug in roles
        ],
        "activity_log": [_event_entry(user, event, slug) for event, slug in events],
    }


def _event_entry(user: User, event: AuditEvent, city_slug: str | None) -> dict:
    """One audit event; its details only when nobody else took part (they may be about that other person, a deleted
    account included)."""
    only_this_person = (
        event.actor_id in (None, user.id)
        and event.subject_id in (None, user.id)
        and not (event.detail or {}).get("deleted_account")
    )
    return {
        "action": event.action,
        "occurred_at": iso_utc(event.occurred_at),
        "city": city_slug,
        "you_acted": event.actor_id == user.id,
        "about_you": event.subject_id == user.id,
        "target": {"type": event.target_type, "id": event.target_id} if event.target_type else None,
        "detail": event.detail if only_this_person else None,
    }


def erase(user: User) -> None:
    """End the person's active roles (the rows stay as the city's history of who held which role); the events of the
    audit log stay, tied to nobody."""
    db.session.execute(
        sa.update(CityRole)
        .where(CityRole.user_id == user.id, CityRole.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    audit.unlink(user.id)
