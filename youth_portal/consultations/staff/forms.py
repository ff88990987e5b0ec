"""The form staff write a consultation with: texts per city language, eligibility, mode, dates, cover image.

What may change depends on the stage: everything while a draft or scheduled; once people could answer, only the
texts, the topic, the cover and a later closing time (after closing, not even that).
"""

from datetime import UTC, datetime
from typing import Any, overload
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateTimeLocalField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ...cities.models import City
from ...questionnaires.texts import language_name, text_field_name
from ...timeutil import utcnow
from ..models import Audience, Consultation, ResponseMode, Stage, Topic
from . import covers

#: The texts written per language: field name, label, widget, longest length.
TEXT_FIELDS = (
    ("title", _l("Title"), StringField, 150),
    ("summary", _l("Summary"), TextAreaField, 500),
    ("body", _l("Full text"), TextAreaField, 20000),
    ("cover_alt", _l("Description of the cover image"), StringField, 250),
)
TEXT_NAMES = tuple(name for name, *_ in TEXT_FIELDS)
#: Who may answer and how: fixed once people could answer.
ELIGIBILITY_FIELDS = ("min_age", "max_age", "audience", "mode", "ask_gender", "ask_district")
DATE_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
#: Opening and closing times fall in these years: outside them a time is a typing slip (and year 1 or 9999 in a
#: city's time zone is out of the range of Python's dates once moved to UTC).
FIRST_YEAR, LAST_YEAR = 2000, 2099

LOCKED_ONCE_OPEN = _l("This cannot change once the consultation has opened: people may already have answered.")
CLOSING_ONLY_LATER = _l(
    "While the consultation is open, the closing time can only move later. To end it now, use “Close now”."
)
LOCKED_ONCE_CLOSED = _l("This cannot change once the consultation has closed.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


@overload
def to_utc(local: datetime, timezone: str) -> datetime: ...
@overload
def to_utc(local: None, timezone: str) -> None: ...
def to_utc(local: datetime | None, timezone: str) -> datetime | None:
    """A naive wall-clock time in the city, as naive UTC."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC).replace(tzinfo=None)


def to_local(moment: datetime | None, timezone: str) -> datetime | None:
    """A naive UTC time, as the naive wall-clock time in the city."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _exists_in(local: datetime, timezone: str) -> bool:
    """False for a wall-clock time skipped when the clocks go forward."""
    return to_local(to_utc(local, timezone), timezone) == local


class ConsultationForm(FlaskForm):
    """Staff create or edit a consultation. Build it with `consultation_form(city, consultation)`."""

    topic = SelectField(_l("Topic"), validators=[InputRequired(_l("Choose a topic."))])
    min_age = IntegerField(_l("Youngest age"), validators=[InputRequired(_l("Enter an age."))])
    max_age = IntegerField(_l("Oldest age"), validators=[InputRequired(_l("Enter an age."))])
    audience = RadioField(_l("Open to"), validators=[InputRequired(_l("Choose who may answer."))])
    mode = RadioField(_l("What staff see"), validators=[InputRequired(_l("Choose what staff see."))])
    ask_gender = BooleanField(_l("Ask for gender (optional for young people, with their own description)"))
    ask_district = BooleanField(_l("Ask which district they live in (optional for young people)"))
    opens_at = DateTimeLocalField(
        _l("Opens"),
        format=DATE_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Enter a date and time, e.g. 2026-05-04 18:00."),
    )
    closes_at = DateTimeLocalField(
        _l("Closes"),
        format=DATE_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Enter a date and time, e.g. 2026-05-04 18:00."),
    )
    cover = FileField(_l("Cover image (optional)"))
    remove_cover = BooleanField(_l("Remove the cover image"))

    def __init__(
        self, *args, city: City, consultation: Consultation | None = None, now: datetime | None = None, **kwargs
    ):
        self.city = city
        self.consultation = consultation
        self.now = now or utcnow()
        self.stage = consultation.stage(self.now) if consultation is not None else Stage.DRAFT
        #: The re-encoded upload, once it passed validation (saved by the view).
        self.prepared_cover: bytes | None = None
        super().__init__(*args, data=initial_values(city, consultation), **kwargs)
        self.topic.choices = [("", _l("Choose…")), *sorted(((t.value, t.label) for t in Topic), key=lambda c: c[1])]
        self.audience.choices = [
            (Audience.RESIDENTS.value, _l("Residents of %(city)s only", city=city.name)),
            (Audience.NETWORK.value, _l("Every member of the network, wherever they live")),
        ]
        self.mode.choices = [
            (ResponseMode.ANONYMOUS.value, _l("Anonymous to staff (recommended)")),
            (ResponseMode.IDENTIFIED.value, _l("Identified")),
        ]
        self.locked = self._locked_fields()
        for name in self.locked:
            # Shown but not sent by the browser; a value sent anyway is checked in validate().
            self[name].render_kw = {"disabled": True}
            self[name].validators = [Optional()]

    # What the stage allows ---------------------------------------------------------------------------------------

    def _locked_fields(self) -> dict[str, str]:
        """Field name -> why it cannot change now."""
        if self.stage in (Stage.DRAFT, Stage.SCHEDULED):
            return {}
        if self.stage == Stage.OPEN:
            return dict.fromkeys((*ELIGIBILITY_FIELDS, "opens_at"), LOCKED_ONCE_OPEN)
        return dict.fromkeys((*ELIGIBILITY_FIELDS, "opens_at", "closes_at"), LOCKED_ONCE_CLOSED)

    def texts_for(self, language: str) -> list:
        """The text fields of one language, in order."""
        return [self[text_field_name(name, language)] for name in TEXT_NAMES]

    @property
    def cover_present(self) -> bool:
        """An image will be shown after saving: a new upload, or the current one kept."""
        kept = self.consultation is not None and self.consultation.cover_image and not self.remove_cover.data
        return bool(self.prepared_cover or kept)

    # Validation --------------------------------------------------------------------------------------------------

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, message in self.locked.items():
            if self._changed(name):
                self[name].errors.append(message)
                valid = False
        if self.stage != Stage.DRAFT:
            for field in (self.opens_at, self.closes_at):
                if field.name not in self.locked and not field.data and not field.errors:
                    field.errors.append(
                        _l("A published consultation needs this time. To take it back to a draft, use “Back to draft”.")
                        if self.stage == Stage.SCHEDULED
                        else _l("A published consultation needs this time.")
                    )
                    valid = False
        if self.cover_present:
            alt = self[text_field_name("cover_alt", self.city.default_language)]
            if not alt.data:
                alt.errors.append(_l("Describe the image for people who cannot see it."))
                valid = False
        return valid

    def _changed(self, name: str) -> bool:
        """A locked field was sent with another value (a disabled field is not sent: then it is unchanged)."""
        field = self[name]
        if not field.raw_data:
            field.data = field.object_data
            return False
        if isinstance(field.object_data, datetime):
            return field.data is None or field.data != _to_minute(field.object_data)  # the form shows minutes
        return field.data != field.object_data

    def validate_min_age(self, field) -> None:
        if field.data is not None and not self.city.min_age <= field.data <= self.city.max_age:
            raise ValidationError(
                _l(
                    "Enter an age from %(min)s to %(max)s, the ages %(city)s works with.",
                    min=self.city.min_age,
                    max=self.city.max_age,
                    city=self.city.name,
                )
            )

    def validate_max_age(self, field) -> None:
        if field.data is not None and not self.city.min_age <= field.data <= self.city.max_age:
            raise ValidationError(
                _l(
                    "Enter an age from %(min)s to %(max)s, the ages %(city)s works with.",
                    min=self.city.min_age,
                    max=self.city.max_age,
                    city=self.city.name,
                )
            )
        if isinstance(self.min_age.data, int) and field.data is not None and field.data < self.min_age.data:
            raise ValidationError(_l("The oldest age cannot be below the youngest age."))

    def validate_topic(self, field) -> None:
        if field.data not in {t.value for t in Topic}:
            raise ValidationError(_l("Choose a topic."))

    def validate_ask_district(self, field) -> None:
        if field.data and not self.city.districts:
            raise ValidationError(_l("The city has no districts yet: a city admin lists them in the settings."))

    def validate_opens_at(self, field) -> None:
        if field.data:
            self._check_time(field.data)

    def validate_closes_at(self, field) -> None:
        if field.data is None:  # empty, or not a date and time: Optional() or the field itself said so
            return
        self._check_time(field.data)
        if self.stage == Stage.OPEN and field.object_data and field.data < _to_minute(field.object_data):
            raise ValidationError(CLOSING_ONLY_LATER)
        if self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The closing time must come after the opening time."))
        if self.stage in (Stage.SCHEDULED, Stage.OPEN) and to_utc(field.data, self.city.timezone) <= self.now:
            raise ValidationError(_l("The closing time has already passed."))

    def _check_time(self, local: datetime) -> None:
        """A time staff typed exists in the city: in the years consultations run, and not skipped by the clocks."""
        if not FIRST_YEAR <= local.year <= LAST_YEAR:
            raise ValidationError(
                _l("Enter a date from the year %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
            )
        if not _exists_in(local, self.city.timezone):
            raise ValidationError(
                _l(
                    "This time does not exist in %(zone)s: the clocks change then. Choose another time.",
                    zone=self.city.timezone,
                )
            )

    def validate_cover(self, field) -> None:
        upload = field.data
        if not upload or not getattr(upload, "filename", None):
            return
        data = upload.stream.read(covers.MAX_BYTES + 1)
        try:
            self.prepared_cover = covers.prepare(data)
        except covers.CoverRejected as refusal:
            raise ValidationError(str(refusal)) from None

    # Values for the service --------------------------------------------------------------------------------------

    def values(self) -> dict:
        """What to save: texts per language, and every field the stage lets change (times in UTC)."""
        values: dict[str, Any] = {
            name: {code: self[text_field_name(name, code)].data or "" for code in self.city.languages}
            for name in TEXT_NAMES
        }
        values["topic"] = Topic(self.topic.data)
        changeable = {"min_age", "max_age", "ask_gender", "opens_at", "closes_at"} - set(self.locked)
        for name in changeable:
            values[name] = self[name].data
        if "ask_district" not in self.locked:
            values["ask_district"] = bool(self.ask_district.data and self.city.districts)
        if "audience" not in self.locked:
            values["audience"] = Audience(self.audience.data)
        if "mode" not in self.locked:
            values["mode"] = ResponseMode(self.mode.data)
        for name in ("opens_at", "closes_at"):
            if name in values:
                unchanged = self[name].object_data and values[name] == _to_minute(self[name].object_data)
                # The form shows minutes: an untouched time keeps its seconds.
                values[name] = (
                    getattr(self.consultation, name) if unchanged else to_utc(values[name], self.city.timezone)
                )
        return values


def initial_values(city: City, consultation: Consultation | None) -> dict:
    """The form's starting values: the consultation's (times in the city), or a new one's defaults."""
    if consultation is None:
        return {
            "min_age": city.min_age,
            "max_age": city.max_age,
            "audience": Audience.RESIDENTS.value,
            "mode": ResponseMode.ANONYMOUS.value,
        }
    values = {
        "topic": consultation.topic.value,
        "min_age": consultation.min_age,
        "max_age": consultation.max_age,
        "audience": consultation.audience.value,
        "mode": consultation.mode.value,
        "ask_gender": consultation.ask_gender,
        "ask_district": consultation.ask_district,
        "opens_at": to_local(consultation.opens_at, city.timezone),
        "closes_at": to_local(consultation.closes_at, city.timezone),
    }
    for name in TEXT_NAMES:
        texts = getattr(consultation, name) or {}
        for code in city.languages:
            values[text_field_name(name, code)] = texts.get(code, "")
    return values


def consultation_form(city: City, consultation: Consultation | None = None, **kwargs) -> ConsultationForm:
    """The form for this city: one set of text fields per language it offers (the default language's title
    required)."""

    class CityConsultationForm(ConsultationForm):
        pass

    for code in city.languages:
        name = language_name(code)
        for field, label, widget, longest in TEXT_FIELDS:
            validators = [Length(max=longest, message=_l("Use at most %(max)d characters."))]
            if field == "title" and code == city.default_language:
                validators.insert(0, DataRequired(_l("Enter a title in %(language)s.", language=name)))
            else:
                validators.insert(0, Optional())
            setattr(
                CityConsultationForm,
                text_field_name(field, code),
                widget(
                    _l("%(field)s (%(language)s)", field=label, language=name), filters=[_strip], validators=validators
                ),
            )
    return CityConsultationForm(city=city, consultation=consultation, **kwargs)
