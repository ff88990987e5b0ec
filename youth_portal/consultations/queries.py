"""Queries young people's pages run: public lists, one public consultation, a person's own responses."""

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..accounts.models import User
from ..cities.models import City
from ..extensions import db
from .models import Audience, Consultation, ConsultationUpdate, ParticipationRecord, Response, Stage, Topic

#: Status filters of a city's list: the stages each one shows. No filter shows every stage but drafts and archive.
STATUS_FILTERS = {
    "open": (Stage.OPEN,),
    "upcoming": (Stage.SCHEDULED,),
    "closed": (Stage.CLOSED, Stage.OUTCOME_PUBLISHED),
    "archive": (Stage.ARCHIVED,),
}
CURRENT_STAGES = (Stage.OPEN, Stage.SCHEDULED, Stage.CLOSED, Stage.OUTCOME_PUBLISHED)


def city_consultations(city: City, now: datetime, topic: Topic | None = None, status: str | None = None) -> sa.Select:
    """A city's consultations the public may see (never drafts): open first (closing soonest), then upcoming
    (opening soonest), then closed (most recently closed first)."""
    stage = Consultation.stage(now)
    stages = STATUS_FILTERS.get(status or "", CURRENT_STAGES)
    query = sa.select(Consultation).where(Consultation.city_id == city.id, stage.in_([s.value for s in stages]))
    if topic is not None:
        query = query.where(Consultation.topic == topic)
    rank = sa.case((stage == Stage.OPEN.value, 0), (stage == Stage.SCHEDULED.value, 1), else_=2)
    soonest = sa.case(
        (stage == Stage.OPEN.value, Consultation.closes_at), (stage == Stage.SCHEDULED.value, Consultation.opens_at)
    )
    return query.order_by(rank, soonest, Consultation.closes_at.desc(), Consultation.id.desc())


def network_open_consultations(now: datetime) -> sa.Select:
    """Open consultations every member of the network may answer, with their city (one query, no N+1)."""
    return (
        sa.select(Consultation)
        .join(Consultation.city)
        .options(so.contains_eager(Consultation.city))
        .where(Consultation.audience == Audience.NETWORK, Consultation.stage(now) == Stage.OPEN.value)
        .order_by(Consultation.closes_at, City.name, Consultation.id)
    )


def public_consultation(city: City, consultation_id: int) -> Consultation | None:
    """A consultation of this city with its questions (the caller refuses drafts); its commitments load when
    read, as its page does, not when answering it."""
    return db.session.scalar(
        sa.select(Consultation)
        .where(Consultation.id == consultation_id, Consultation.city_id == city.id)
        .options(so.selectinload(Consultation.questions))
    )


def responses_of(user: User) -> list[Response]:
    """A person's own responses, newest activity first, with everything the participation page shows."""
    consultation = so.joinedload(Response.consultation)
    return list(
        db.session.scalars(
            sa.select(Response)
            .where(Response.user_id == user.id)
            .options(
                consultation.joinedload(Consultation.city),
                consultation.selectinload(Consultation.questions),
                consultation.selectinload(Consultation.commitments),
                so.selectinload(Response.answers),
            )
            .order_by(Response.updated_at.desc(), Response.id.desc())
        ).unique()
    )


def participation_records_of(user: User) -> list[ParticipationRecord]:
    """The anonymous consultations a person answered whose answers are no longer tied to them, newest first."""
    consultation = so.joinedload(ParticipationRecord.consultation)
    return list(
        db.session.scalars(
            sa.select(ParticipationRecord)
            .where(ParticipationRecord.user_id == user.id)
            .options(consultation.joinedload(Consultation.city))
            .order_by(ParticipationRecord.unlinked_at.desc(), ParticipationRecord.id.desc())
        )
    )


def updates_by_consultation(consultation_ids: list[int]) -> dict[int, list[ConsultationUpdate]]:
    """The "you said, we did" timeline of these consultations, oldest first, in one query."""
    updates: dict[int, list[ConsultationUpdate]] = defaultdict(list)
    if consultation_ids:
        for update in db.session.scalars(
            sa.select(ConsultationUpdate)
            .where(ConsultationUpdate.consultation_id.in_(consultation_ids))
            .order_by(ConsultationUpdate.created_at, ConsultationUpdate.id)
        ):
            updates[update.consultation_id].append(update)
    return updates
