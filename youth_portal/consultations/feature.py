"""The consultations feature: city staff ask, young people answer, everyone sees results and what the city did."""

from collections.abc import Collection

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..cities.models import City
from ..extensions import db
from ..features import AuditTarget, Feature, MenuEntry
from ..permissions import Capability
from .models import Commitment, Consultation, Question
from .outcome import update_emails
from .participation import personal_data, retention
from .routes import bp


def consultation_titles(city: City, ids: Collection[int], language: str) -> dict[int, AuditTarget]:
    """Id -> title in `language` (or the city's default) and staff page of the city's consultations among `ids`."""
    consultations = db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.city_id == city.id, Consultation.id.in_(ids))
        .options(so.load_only(Consultation.id, Consultation.city_id, Consultation.title))
    )
    return {
        consultation.id: AuditTarget(
            *consultation.text("title", language),
            url_for("consultations.staff.edit", slug=city.slug, consultation_id=consultation.id),
        )
        for consultation in consultations
    }


feature = Feature(
    "consultations",
    blueprints=(bp,),
    menu=(
        MenuEntry("consultations.staff.list", _l("Consultations"), Capability.MANAGE_CONSULTATIONS),
        MenuEntry("consultations.settings.edit", _l("Consultation settings"), Capability.MANAGE_CITY_SETTINGS),
    ),
    # The audit page names the consultation, the event's target.
    audit_labels={
        "city.settings_changed": _l("Changed the consultation settings"),
        "consultation.created": _l("Created a consultation"),
        "consultation.edited": _l("Edited a consultation"),
        "consultation.cover_changed": _l("Changed the cover image of a consultation"),
        "consultation.cover_removed": _l("Removed the cover image of a consultation"),
        "consultation.question_added": _l("Added a question"),
        "consultation.question_changed": _l("Changed a question"),
        "consultation.question_deleted": _l("Deleted a question"),
        "consultation.questions_reordered": _l("Moved a question"),
        "consultation.published": _l("Published a consultation"),
        "consultation.unpublished": _l("Turned a consultation back into a draft"),
        "consultation.closed": _l("Closed a consultation"),
        "consultation.exported": _l("Exported results"),
        "consultation.quote_approved": _l("Approved a public quote"),
        "consultation.quote_withdrawn": _l("Withdrew a public quote"),
        "consultation.outcome_edited": _l("Edited an outcome"),
        "consultation.outcome_published": _l("Published an outcome"),
        "consultation.commitment_added": _l("Added a commitment"),
        "consultation.commitment_changed": _l("Changed a commitment"),
        "consultation.commitment_removed": _l("Removed a commitment"),
        "consultation.archived": _l("Archived a consultation"),
    },
    audit_targets={Consultation.__tablename__: consultation_titles},
    export_personal_data=personal_data.export,
    erase_personal_data=personal_data.erase,
    withdraw_personal_data=personal_data.withdraw,
    personal_data_columns=frozenset({"responses.user_id", "participation_records.user_id"}),
    kept_columns={
        "consultations.created_by_id": "The staff member who wrote a city's consultation: the city's record, which "
        "names the emptied account only; the person's activity log has the event.",
        "answers.quote_approved_by_id": "The staff member who approved a quote: as consultations.created_by_id.",
    },
    page_cache_models=(Consultation, Question, Commitment),
    worker_jobs=(update_emails.email_pending_updates,),
    retention_jobs=(retention.unlink_finished_consultations,),
)
