"""The stage rules in their two forms on the model, Python (`consultation.stage(now)`) and SQL
(`Consultation.stage(now)`, which the public lists filter and sort by), agree over every combination of dates."""

import itertools
from datetime import timedelta

import sqlalchemy as sa

from support import make_city
from youth_portal.consultations.models import CLOSED_STAGES, OUTCOME_STAGES, STEP_STARTS, Consultation, Stage, Topic
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

#: Each moment a consultation keeps: unset, before now, exactly now, after now.
MOMENTS = ("unset", "before", "now", "after")
FIELDS = ("published_at", "opens_at", "closes_at", "outcome_published_at", "archived_at")


def test_python_and_sql_stages_agree_over_every_combination_of_dates(app):
    now = utcnow().replace(microsecond=0)
    at = {"unset": None, "before": now - timedelta(hours=1), "now": now, "after": now + timedelta(hours=1)}
    combinations = list(itertools.product(MOMENTS, repeat=len(FIELDS)))
    with app.app_context():
        city = make_city("murcia")
        ids = {}
        for combination in combinations:
            consultation = Consultation(
                city=city,
                title={"en": "Parks"},
                topic=Topic.ENVIRONMENT,
                min_age=city.min_age,
                max_age=city.max_age,
                **{field: at[moment] for field, moment in zip(FIELDS, combination, strict=True)},
            )
            db.session.add(consultation)
            ids[combination] = consultation
        db.session.commit()
        in_sql = dict(db.session.execute(sa.select(Consultation.id, Consultation.stage(now))).all())
        seen = set()
        for combination, consultation in ids.items():
            stage = consultation.stage(now)
            assert in_sql[consultation.id] == stage.value, combination
            seen.add(stage)
        assert seen == set(Stage)  # every stage is reached, so the comparison covers every rule


def test_the_rules_in_plain_words(app):
    """A few cases read as the rules say, so that both forms cannot agree on a wrong rule."""
    now = utcnow()
    hour = timedelta(hours=1)

    def stage(**fields) -> Stage:
        return Consultation(**fields).stage(now)

    published = {"published_at": now - 3 * hour}
    assert stage(opens_at=now - hour, closes_at=now + hour) == Stage.DRAFT  # never published
    assert stage(**published, opens_at=now - hour) == Stage.DRAFT  # no closing time
    assert stage(**published, opens_at=now + hour, closes_at=now + 2 * hour) == Stage.SCHEDULED
    assert stage(**published, opens_at=now - hour, closes_at=now + hour) == Stage.OPEN
    assert stage(**published, opens_at=now - 2 * hour, closes_at=now) == Stage.CLOSED  # closes at its time
    assert stage(opens_at=now - 2 * hour, outcome_published_at=now) == Stage.OUTCOME_PUBLISHED
    assert stage(outcome_published_at=now, archived_at=now) == Stage.ARCHIVED


def test_stage_sets_and_steps():
    assert {Stage.CLOSED, Stage.OUTCOME_PUBLISHED, Stage.ARCHIVED} == CLOSED_STAGES
    assert {stage for stage in Stage if stage.is_closed} == CLOSED_STAGES
    assert (
        {stage for stage in Stage if stage.takes_outcome} == OUTCOME_STAGES == {Stage.CLOSED, Stage.OUTCOME_PUBLISHED}
    )
    assert STEP_STARTS == {
        "publish": Stage.DRAFT,
        "unpublish": Stage.SCHEDULED,
        "close": Stage.OPEN,
        "publish_outcome": Stage.CLOSED,
        "archive": Stage.OUTCOME_PUBLISHED,
    }
