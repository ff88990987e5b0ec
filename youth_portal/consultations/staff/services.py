"""What staff do to consultations, each step recorded in the audit log. Functions flush; the view commits."""

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...accounts.models import User
from ...audit.services import record
from ...cities.models import City
from ...extensions import db
from ...timeutil import utcnow
from ..models import STEP_STARTS, Consultation, Response, ResponseStatus, Stage, WrongStage

#: The per-language text columns.
TEXT_COLUMNS = ("title", "summary", "body", "cover_alt")


def city_consultations_query(city: City) -> sa.Select:
    """A city's consultations, newest first."""
    return (
        sa.select(Consultation)
        .where(Consultation.city_id == city.id)
        .order_by(Consultation.created_at.desc(), Consultation.id.desc())
    )


def response_counts(city: City) -> dict[int, dict[ResponseStatus, int]]:
    """Responses per consultation of the city and status (not the withdrawn ones), in one grouped query."""
    rows = db.session.execute(
        sa.select(Response.consultation_id, Response.status, sa.func.count())
        .join(Consultation, Consultation.id == Response.consultation_id)
        .where(Consultation.city_id == city.id, Response.withdrawn_at.is_(None))
        .group_by(Response.consultation_id, Response.status)
    )
    counts: dict[int, dict[ResponseStatus, int]] = {}
    for consultation_id, status, count in rows:
        counts.setdefault(consultation_id, {})[status] = count
    return counts


def missing_titles(consultation: Consultation, languages: list[str]) -> list[str]:
    """The city's languages in which the consultation has no title yet."""
    return [code for code in languages if not (consultation.title or {}).get(code)]


def create_consultation(city: City, values: dict, *, by: User) -> Consultation:
    """A new draft consultation of the city, written by a member of its staff."""
    consultation = Consultation(
        city=city, created_by_id=by.id, topic=values["topic"], min_age=values["min_age"], max_age=values["max_age"]
    )
    _apply(consultation, values)
    db.session.add(consultation)
    db.session.flush()
    record("consultation.created", actor=by, city=city, target=consultation)
    return consultation


def update_consultation(consultation: Consultation, values: dict, *, by: User) -> list[str]:
    """Save the changes the form allowed; the audit event names what changed (never the texts themselves)."""
    changed = _apply(consultation, values)
    if changed:
        record("consultation.edited", actor=by, city=consultation.city, target=consultation, changed=changed)
    return changed


def _apply(consultation: Consultation, values: dict) -> list[str]:
    """Copy values onto the consultation; texts keep the languages the form does not show. Returns what changed."""
    changed = []
    for name, value in values.items():
        if name in TEXT_COLUMNS:
            texts = {code: text for code, text in (getattr(consultation, name) or {}).items() if code not in value}
            texts.update({code: text for code, text in value.items() if text})
            value = texts  # a new dict, so the JSON column sees the change
        if getattr(consultation, name) != value:
            setattr(consultation, name, value)
            changed.append(name)
    return sorted(changed)


def set_cover(consultation: Consultation, name: str | None, *, by: User) -> str | None:
    """Use a stored image (or none) as the cover; returns the name of the image it replaced, to delete after
    the commit."""
    previous = consultation.cover_image
    if previous == name:
        return None
    consultation.cover_image = name
    record(
        "consultation.cover_changed" if name else "consultation.cover_removed",
        actor=by,
        city=consultation.city,
        target=consultation,
    )
    return previous


# Life cycle ---------------------------------------------------------------------------------------------------------

#: Action -> (model method, the stage it starts from, audit action).
LIFE_CYCLE: dict[str, tuple[Callable[[Consultation, datetime], None], Stage, str]] = {
    "publish": (Consultation.publish, STEP_STARTS["publish"], "consultation.published"),
    "unpublish": (Consultation.unpublish, STEP_STARTS["unpublish"], "consultation.unpublished"),
    "close": (Consultation.close_now, STEP_STARTS["close"], "consultation.closed"),
    "archive": (Consultation.archive, STEP_STARTS["archive"], "consultation.archived"),
}


def allowed_actions(consultation: Consultation, now: datetime | None = None) -> list[str]:
    """The life-cycle buttons to show at the consultation's stage."""
    stage = consultation.stage(now or utcnow())
    return [action for action, (_method, start, _audit) in LIFE_CYCLE.items() if start == stage]


def move(consultation: Consultation, action: str, *, by: User, now: datetime | None = None) -> None:
    """Publish, unpublish, close or archive; WrongStage or ConsultationError (with a message) when refused."""
    now = now or utcnow()
    method, start, audit_action = LIFE_CYCLE[action]
    stage = consultation.stage(now)
    if stage != start:
        raise WrongStage(_l("This is not possible while the consultation is %(stage)s.", stage=stage.label.lower()))
    method(consultation, now)
    record(audit_action, actor=by, city=consultation.city, target=consultation, stage=consultation.stage(now).value)
    db.session.flush()
