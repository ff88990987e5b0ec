"""The release ledger: every set of numbers about a consultation's respondents that was shown, to the public or to
staff, on a page, in JSON or as CSV. Releases are written in transactions of their own, so that what a request had
loaded stays loaded and a release stands even if the request fails later.

The releases of a consultation to one audience through one channel are numbered 1, 2, ... whatever their dimension,
and the number is unique: a request adds the next releases only if nobody added any since it read the last one.
Two requests adding a release at the same moment (the same one, or two breakdowns each safe alone but not together)
add one; the other reads it and decides again with it."""

from datetime import datetime

import sqlalchemy as sa

from ...extensions import db
from ...timeutil import utcnow
from ..models import Release, ReleaseAudience, ReleaseChannel


def _line(consultation_id: int, audience: ReleaseAudience, channel: ReleaseChannel):
    return sa.and_(Release.consultation_id == consultation_id, Release.audience == audience, Release.channel == channel)


def latest(consultation_id: int, audience: ReleaseAudience, channel: ReleaseChannel) -> Release | None:
    """The last release of a line, read outside the request's transaction (another request may have just added
    it)."""
    with db.engine.connect() as connection:
        row = connection.execute(
            sa.select(Release.__table__)
            .where(_line(consultation_id, audience, channel))
            .order_by(Release.number.desc())
            .limit(1)
        ).first()
    return Release(**row._mapping) if row is not None else None


def releases(consultation_id: int, audience: ReleaseAudience, channel: ReleaseChannel) -> list[Release]:
    """Every release of a line, oldest first (read like `latest`)."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            sa.select(Release.__table__).where(_line(consultation_id, audience, channel)).order_by(Release.number)
        ).all()
    return [Release(**row._mapping) for row in rows]


def append(
    consultation_id: int,
    audience: ReleaseAudience,
    channel: ReleaseChannel,
    shown: dict[str, dict],
    *,
    after: int,
    made_at: datetime | None = None,
) -> list[Release] | None:
    """Record releases (dimension -> what was shown, "" for the overall numbers) as the next of their line after
    number `after`, in one statement; None when another request recorded one meanwhile (nothing is recorded then:
    read the line again and decide with what it holds)."""
    made_at = made_at or utcnow()
    rows = [
        {
            "consultation_id": consultation_id,
            "audience": audience,
            "channel": channel,
            "dimension": dimension,
            "number": after + i,
            "shown": numbers,
            "made_at": made_at,
        }
        for i, (dimension, numbers) in enumerate(shown.items(), start=1)
    ]
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.insert(Release).values(rows))
    except sa.exc.IntegrityError:
        return None
    return [Release(**row) for row in rows]


def add(
    consultation_id: int,
    audience: ReleaseAudience,
    channel: ReleaseChannel,
    shown: dict,
    *,
    after: Release | None,
    made_at: datetime | None = None,
) -> Release:
    """Record the overall numbers `shown` as the next release of a line after `after` (its last one when read),
    unless another request recorded one meanwhile; the line's last release either way, which is the one to show."""
    number = after.number if after is not None else 0
    recorded = append(consultation_id, audience, channel, {"": shown}, after=number, made_at=made_at)
    last = recorded[0] if recorded else latest(consultation_id, audience, channel)
    assert last is not None  # just recorded, by this request or another
    return last
