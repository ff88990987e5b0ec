"""How long a person's responses stay tied to them, and the unlinking that ends it.

An unlinked response names nobody: its person is gone (`user_id` None), its times are kept to the day only (an exact
time could be matched with a sign-in), and it keeps counting in the results with its answers and the groups it falls
in (age band, gender, district), which the breakdowns need. Drafts and withdrawn responses never count, so they are
deleted rather than unlinked.

The privacy notice (templates/pages/privacy.html) states these periods: change both together.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from ...extensions import db
from ..models import (
    Answer,
    Consultation,
    ConsultationUpdate,
    ParticipationRecord,
    Response,
    ResponseMode,
    ResponseStatus,
)

#: An anonymous consultation's responses are unlinked once it is archived, or this long after it closed if its city
#: never archives it.
ANONYMOUS_LINK_AFTER_CLOSING = timedelta(days=730)


def unlink(responses: sa.Select) -> int:
    """Tie the responses (`responses`, a select of their ids) to nobody, their times kept to the day; how many."""
    rows = db.session.execute(
        sa.select(Response.id, Response.created_at, Response.updated_at, Response.submitted_at).where(
            Response.id.in_(responses)
        )
    ).all()
    if rows:
        db.session.execute(
            sa.update(Response),
            [
                {
                    "id": response_id,
                    "user_id": None,
                    "created_at": _day(created),
                    "updated_at": _day(updated),
                    "submitted_at": _day(submitted) if submitted else None,
                }
                for response_id, created, updated, submitted in rows
            ],
        )
    return len(rows)


def _day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def delete(responses: sa.Select) -> int:
    """Delete the responses (`responses`, a select of their ids) with their answers; how many."""
    ids = list(db.session.scalars(responses))
    if ids:
        db.session.execute(sa.delete(Answer).where(Answer.response_id.in_(ids)))
        db.session.execute(sa.delete(Response).where(Response.id.in_(ids)).execution_options(synchronize_session=False))
    return len(ids)


def unlink_finished_consultations(now: datetime) -> int:
    """The retention job: once a consultation is archived (or long closed), its drafts and withdrawn responses are
    deleted, and, in anonymous mode, the submitted ones unlinked, leaving each person a record that they took part.
    A consultation whose updates are still being emailed to its respondents waits for the next run. Returns how many
    responses were deleted or unlinked."""
    finished = sa.select(Consultation.id).where(
        sa.or_(Consultation.archived_at <= now, Consultation.closes_at <= now - ANONYMOUS_LINK_AFTER_CLOSING),
        ~Consultation.id.in_(
            sa.select(ConsultationUpdate.consultation_id).where(ConsultationUpdate.emailed_at.is_(None))
        ),
    )
    linked = sa.and_(Response.consultation_id.in_(finished), Response.user_id.is_not(None))
    never_counted = sa.or_(Response.status == ResponseStatus.DRAFT, Response.withdrawn_at.is_not(None))
    done = delete(sa.select(Response.id).where(linked, never_counted))
    anonymous = sa.select(Response.id, Response.user_id, Response.consultation_id).where(
        linked, Response.consultation.has(Consultation.mode == ResponseMode.ANONYMOUS)
    )
    rows = db.session.execute(anonymous).all()
    if rows:
        db.session.execute(
            sa.insert(ParticipationRecord),
            [{"user_id": person, "consultation_id": of, "unlinked_at": now} for _, person, of in rows],
        )
        done += unlink(sa.select(anonymous.subquery().c.id))
    return done
