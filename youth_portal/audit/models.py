"""Audit events. Rows are only ever inserted: updates and deletes are refused to the ORM's unit of work. Two services
change the log, through statements of their own (audit/services.py): erasure unlinks a deleted account from its
events, and retention deletes a person's own account events after their retention period."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..extensions import Model
from ..timeutil import utcnow

#: The longest page address kept of a refusal.
PATH_LENGTH = 300


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit event."""


class AuditEvent(Model):
    __tablename__ = "audit_events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    occurred_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)
    #: Who acted; None for an anonymous visitor (e.g. a failed login for an unknown address).
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Dotted name of what happened, e.g. "auth.login.failed", "role.granted".
    action: so.Mapped[str] = so.mapped_column(sa.String(60), index=True)
    city_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("cities.id"), index=True)
    #: The person acted upon, when it is not the actor.
    subject_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    #: What was acted upon, when it is not a person: its table name (e.g. "consultations") and id. The feature owning
    #: the type gives its title on the audit page (features.py, `audit_targets`).
    target_type: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    target_id: so.Mapped[int | None]
    #: Extra facts; never a password, a token or a typed email address. "deleted_account": ["actor", "subject"] (or
    #: one) when the person named there deleted their account and was unlinked.
    detail: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)

    __table_args__ = (sa.Index("ix_audit_events_target", "target_type", "target_id"),)


class RefusalCount(Model):
    """The refused pages that followed an `access.refused` event: the first refusal of a person in a city (or across
    the network) in an hour is an event of the log, and the later ones in that hour are counted here instead of each
    adding one, so that a sweep of refused pages cannot bury the staff actions. The log itself stays append-only."""

    __tablename__ = "refusal_counts"

    event_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("audit_events.id"), primary_key=True)
    #: Pages refused in that hour, the event's included.
    count: so.Mapped[int] = so.mapped_column(default=1)
    last_refused_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    #: The last page refused (the event holds the first).
    last_path: so.Mapped[str] = so.mapped_column(sa.String(PATH_LENGTH))


@sa.event.listens_for(AuditEvent, "before_update")
@sa.event.listens_for(AuditEvent, "before_delete")
def _refuse_change(_mapper, _connection, _target) -> None:
    raise AuditLogIsAppendOnly("Audit events cannot be changed or deleted.")
