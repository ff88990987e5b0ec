"""The forms of "you said, we did": the outcome statement and the commitments, per city language.

Each form gets one text field per language the city offers (e.g. `outcome_es`, `text_en`, `reason_es`).
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ...cities.models import City
from ...questionnaires.texts import language_name, text_field_name
from ...timeutil import utcnow
from ..models import COMMITMENT_STATUS_LABELS, Commitment, CommitmentStatus, Consultation

OUTCOME_MAX_LENGTH = 20000
COMMITMENT_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 1000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def city_today(city: City, now: datetime | None = None) -> date:
    """Today's date where the city is (a due date is a day in the city)."""
    return (now or utcnow()).replace(tzinfo=UTC).astimezone(ZoneInfo(city.timezone)).date()


def _texts(form: FlaskForm, field: str, languages: list[str]) -> dict[str, str]:
    """The texts typed in one field per language, without the empty ones."""
    texts = {code: form[text_field_name(field, code)].data or "" for code in languages}
    return {code: text for code, text in texts.items() if text}


def _text_area(label, language: str, longest: int, required_message=None) -> TextAreaField:
    name = language_name(language)
    validators = [Length(max=longest, message=_l("Use at most %(max)d characters."))]
    validators.insert(0, DataRequired(required_message) if required_message else Optional())
    return TextAreaField(
        _l("%(field)s (%(language)s)", field=label, language=name), filters=[_strip], validators=validators
    )


# The outcome statement ----------------------------------------------------------------------------------------------


class OutcomeForm(FlaskForm):
    """The outcome statement in Markdown, per city language. Build it with `outcome_form(city, consultation)`.

    No text is required to save; publishing needs the default language's (the model says so)."""

    def __init__(self, *args, city: City, **kwargs):
        self.city = city
        super().__init__(*args, **kwargs)

    def statement_field(self, code: str):
        return self[text_field_name("outcome", code)]

    @property
    def default_field(self):
        return self[text_field_name("outcome", self.city.default_language)]

    def texts(self) -> dict[str, str]:
        return _texts(self, "outcome", self.city.languages)


def outcome_form(city: City, consultation: Consultation, **kwargs) -> OutcomeForm:
    """The outcome form of this city's languages, filled with the consultation's statement."""

    class CityOutcomeForm(OutcomeForm):
        pass

    for code in city.languages:
        setattr(
            CityOutcomeForm,
            text_field_name("outcome", code),
            _text_area(_l("What the city will do"), code, OUTCOME_MAX_LENGTH),
        )
    data = {text_field_name("outcome", code): (consultation.outcome or {}).get(code, "") for code in city.languages}
    return CityOutcomeForm(city=city, data=data, **kwargs)


# Commitments --------------------------------------------------------------------------------------------------------


class CommitmentForm(FlaskForm):
    """A commitment: its text per language and a due date; when editing, also its status and the reason it is
    not possible. Build it with `commitment_form(city, commitment)`."""

    due_on = DateField(
        _l("Due date (optional)"), validators=[Optional()], invalid_value_message=_l("Enter a date, e.g. 2026-09-30.")
    )

    def __init__(self, *args, city: City, commitment: Commitment | None = None, today: date | None = None, **kwargs):
        self.city = city
        self.commitment = commitment
        self.today = today or city_today(city)
        super().__init__(*args, **kwargs)
        if commitment is not None:
            self.status.choices = [(status.value, COMMITMENT_STATUS_LABELS[status]) for status in CommitmentStatus]

    def text_field(self, code: str):
        return self[text_field_name("text", code)]

    def reason_field(self, code: str):
        return self[text_field_name("reason", code)]

    @property
    def default_reason(self):
        return self[text_field_name("reason", self.city.default_language)]

    def validate_due_on(self, field) -> None:
        unchanged = self.commitment is not None and field.data == self.commitment.due_on
        if field.data and not unchanged and field.data < self.today:
            raise ValidationError(_l("This date has passed. Choose today or a later date."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.commitment is not None and self.status.data == CommitmentStatus.NOT_POSSIBLE.value:
            reason = self.default_reason
            if not reason.data and not reason.errors:
                reason.errors.append(
                    _l(
                        "Say why it is not possible, in %(language)s: young people will read it.",
                        language=language_name(self.city.default_language),
                    )
                )
                valid = False
        return valid

    def values(self) -> dict:
        """What to save: texts per language, the due date, and (when editing) the status and its reason."""
        values = {"text": _texts(self, "text", self.city.languages), "due_on": self.due_on.data}
        if self.commitment is not None:
            values["status"] = CommitmentStatus(self.status.data)
            not_possible = values["status"] == CommitmentStatus.NOT_POSSIBLE
            # A reason only means something for "not possible"; it is dropped otherwise.
            values["reason"] = _texts(self, "reason", self.city.languages) if not_possible else {}
        return values


def commitment_form(city: City, commitment: Commitment | None = None, **kwargs) -> CommitmentForm:
    """The form to add a commitment (no commitment given) or to edit one, in the city's languages."""

    class CityCommitmentForm(CommitmentForm):
        pass

    for code in city.languages:
        required = (
            _l("Say what the city commits to, in %(language)s.", language=language_name(code))
            if code == city.default_language
            else None
        )
        setattr(
            CityCommitmentForm,
            text_field_name("text", code),
            _text_area(_l("Commitment"), code, COMMITMENT_MAX_LENGTH, required),
        )
    if commitment is not None:  # a new commitment is planned: status and reason come later
        CityCommitmentForm.status = RadioField(
            _l("Where it stands"), validators=[DataRequired(_l("Choose where it stands."))]
        )
        for code in city.languages:
            setattr(
                CityCommitmentForm,
                text_field_name("reason", code),
                _text_area(_l("Why it is not possible"), code, REASON_MAX_LENGTH),
            )
    data = {}
    if commitment is not None:
        data = {"due_on": commitment.due_on, "status": commitment.status.value}
        for code in city.languages:
            data[text_field_name("text", code)] = (commitment.text or {}).get(code, "")
            data[text_field_name("reason", code)] = (commitment.reason or {}).get(code, "")
    return CityCommitmentForm(city=city, commitment=commitment, data=data, **kwargs)
