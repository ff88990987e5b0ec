"""The release ledger: every set of numbers about a consultation's respondents that was shown, to the public or to
staff, on a page, in JSON or as CSV. Releases are written in transactions of their own, so that what a request had
loaded stays loaded and a release stands even if the request fails later; two requests adding the next release of
the same line at the same moment add one (its number is unique), and both show that one."""

from datetime import datetime

import sqlalchemy as sa

from ...extensions import db
from ...timeutil import utcnow
from ..models import Release, ReleaseAudience, ReleaseChannel


def _line(consultation_id: int, audience: ReleaseAudience, channel: ReleaseChannel, dimension: str):
    return sa.and_(
        Release.consultation_id == consultation_id,
        Release.audience == audience,
        Release.channel == channel,
        Release.dimension == dimension,
    )


def latest(
    consultation_id: int, audience: ReleaseAudience, channel: ReleaseChannel, dimension: str = ""
) -> Release | None:
    """The last release of a line, read outside the request's transaction (another request may have just added
    it)."""
    with db.engine.connect() as connection:
        row = connection.execute(
            sa.select(Release.__table__)
            .where(_line(consultation_id, audience, channel, dimension))
            .order_by(Release.number.desc())
            .limit(1)
        ).first()
    return Release(**row._mapping) if row is not None else None


def releases(consultation_id: int, audience: ReleaseAudience) -> list[Release]:
    """Every release of a consultation to an audience, oldest first."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            sa.select(Release.__table__)
            .where(Release.consultation_id == consultation_id, Release.audience == audience)
            .order_by(Release.id)
        ).all()
    return [Release(**row._mapping) for row in rows]


def add(
    consultation_id: int,
    audience: ReleaseAudience,
    channel: ReleaseChannel,
    dimension: str,
    shown: dict,
    *,
    after: Release | None,
    made_at: datetime | None = None,
) -> Release:
    """Record the next release of a line after `after` (its last one when read), unless another request recorded one
    meanwhile; the line's last release either way, which is the one to show."""
    values = {
        "consultation_id": consultation_id,
        "audience": audience,
        "channel": channel,
        "dimension": dimension,
        "number": (after.number if after is not None else 0) + 1,
        "shown": shown,
        "made_at": made_at or utcnow(),
    }
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.insert(Release).values(**values))
    except sa.exc.IntegrityError:
        pass  # another request recorded this one at the same moment: show theirs
    last = latest(consultation_id, audience, channel, dimension)
    assert last is not None  # just recorded, by this request or another
    return last


def record_first(
    consultation_id: int, audience: ReleaseAudience, channel: ReleaseChannel, shown: dict[str, dict]
) -> bool:
    """Record the first release of several lines at once (dimension -> what was shown), in one statement; False
    when another request recorded one of them meanwhile (nothing is recorded then)."""
    now = utcnow()
    rows = [
        {
            "consultation_id": consultation_id,
            "audience": audience,
            "channel": channel,
            "dimension": dimension,
            "number": 1,
            "shown": numbers,
            "made_at": now,
        }
        for dimension, numbers in shown.items()
    ]
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.insert(Release).values(rows))
    except sa.exc.IntegrityError:
        return False
    return True
