"""The form staff write a question with: its texts in each city language, and what its kind needs.

The class is built per city and kind (the city's languages and the kind decide the fields). Options are rows of
labels, one per language; a row keeps its option's id in a hidden field, checked against the question's own ids.
"""
from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, IntegerField, RadioField, StringField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ...cities.models import City
from ..models import Question, QuestionKind
from .services import CHOICE_KINDS, OPTION_KINDS, TEXT_KINDS
from ..languages import language_name, text_field_name

#: Empty option rows a new question starts with; rows a question may have at most.
EMPTY_ROWS = 3
MAX_OPTIONS = 20
PROMPT_MAX = 500
HELP_MAX = 1000
OPTION_MAX = 200
END_LABEL_MAX = 60
#: The longest free-text answer staff may allow, and the limit a new question starts with.
TEXT_LIMITS = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 5000}
TEXT_DEFAULTS = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 2000}
#: Rating scales offered: form value -> (lowest, highest).
SCALES = {"1-5": (1, 5), "0-10": (0, 10)}
SCALE_LABELS = {"1-5": _l("1 to 5"), "0-10": _l("0 to 10")}

TEXT_NAMES = ("prompt", "help")
END_LABEL_NAMES = ("low_label", "high_label")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def whole_number(label, validators) -> IntegerField:
    """A whole number, with a message staff understand when it is not one."""
    return IntegerField(label, validators=validators,
                        invalid_value_message=_l("Enter a whole number, for example 3."))


class OptionRow(Form):
    """One option: its id (empty for a new row) and a label per language; subclassed per city."""

    id = HiddenField(filters=[_strip])
    languages: tuple[str, ...] = ()
    default_language = ""

    def label_fields(self) -> list:
        return [self[text_field_name("label", code)] for code in self.languages]

    @property
    def filled(self) -> bool:
        """The row has a label in some language (empty rows are ignored)."""
        return any(f.data for f in self.label_fields())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        default = self[text_field_name("label", self.default_language)]
        if self.filled and not default.data:
            default.errors.append(_("Write this option in %(language)s too.",
                                    language=language_name(self.default_language)))
            valid = False
        return valid


class QuestionForm(FlaskForm):
    """Staff write one question. Build it with `question_form(city, kind, question)`."""

    required = BooleanField(_l("People must answer this question"))

    def __init__(self, *args, city: City, kind: QuestionKind, question: Question | None = None, **kwargs):
        self.city = city
        self.kind = kind
        self.question = question
        #: The ids a posted row may carry: the question's own options.
        self.existing_ids = {option["id"] for option in question.options or []} if question else set()
        super().__init__(*args, **kwargs)
        self._name_rows()

    @property
    def has_options(self) -> bool:
        return self.kind in OPTION_KINDS

    @property
    def text_limit(self) -> int | None:
        """The longest free-text answer staff may allow for this kind."""
        return TEXT_LIMITS.get(self.kind)

    def texts_for(self, language: str) -> list:
        return [self[text_field_name(name, language)] for name in TEXT_NAMES]

    def end_labels_for(self, language: str) -> list:
        return [self[text_field_name(name, language)] for name in END_LABEL_NAMES]

    @property
    def filled_rows(self) -> list[OptionRow]:
        return [entry.form for entry in self.options if entry.form.filled] if self.has_options else []

    def add_row(self) -> bool:
        """One more empty option row ("Add another option"); False when the question has as many as allowed."""
        if len(self.options) >= MAX_OPTIONS:
            return False
        entry = self.options.append_entry()
        entry.form.label_fields()[0].render_kw = {"autofocus": True}
        self._name_rows()
        return True

    def _name_rows(self) -> None:
        """Label each row's fields "Option 2 (English)", so every input says which option and language it is."""
        if not self.has_options:
            return
        for number, entry in enumerate(self.options, 1):
            for code, field in zip(entry.form.languages, entry.form.label_fields()):
                field.label.text = _("Option %(number)d (%(language)s)", number=number,
                                     language=language_name(code))

    # Validation --------------------------------------------------------------------------------------------------

    def validate_options(self, field) -> None:
        ids = [row.id.data for row in self.filled_rows if row.id.data]
        if any(option_id not in self.existing_ids for option_id in ids) or len(ids) != len(set(ids)):
            raise ValidationError(_("An option was not recognised. Open the question again and retype your "
                                    "changes."))
        if len(self.filled_rows) < 2:
            raise ValidationError(_("Give at least two options."))
        for code in self.filled_rows[0].languages:
            labels = [(row[text_field_name("label", code)].data or "").strip().casefold() for row in self.filled_rows]
            labels = [label for label in labels if label]
            if len(labels) != len(set(labels)):
                raise ValidationError(_("Two options have the same words in %(language)s: results could not tell "
                                        "them apart. Give each option its own.", language=language_name(code)))

    def validate_max_choices(self, field) -> None:
        count = len(self.filled_rows)
        if field.data is not None and count >= 2 and not 1 <= field.data <= count:
            raise ValidationError(_("Enter a number from 1 to %(max)d, the number of options.", max=count))

    def validate_rank_up_to(self, field) -> None:
        count = len(self.filled_rows)
        if field.data is not None and count >= 2 and not 2 <= field.data <= count:
            raise ValidationError(_("Enter a number from 2 to %(max)d, the number of options.", max=count))

    def validate_scale(self, field) -> None:
        if field.data not in SCALES:
            raise ValidationError(_("Choose 1 to 5 or 0 to 10."))

    def validate_max_length(self, field) -> None:
        limit = TEXT_LIMITS[self.kind]
        if field.data is not None and not 1 <= field.data <= limit:
            raise ValidationError(_("Enter a number from 1 to %(max)d.", max=limit))

    # Values for the service --------------------------------------------------------------------------------------

    def values(self) -> dict:
        """What to save; fields the kind does not use are emptied."""
        languages = self.city.languages
        values = {
            "required": bool(self.required.data),
            "prompt": {code: self[text_field_name("prompt", code)].data or "" for code in languages},
            "help": {code: self[text_field_name("help", code)].data or "" for code in languages},
            "options": [], "allow_other": False, "max_choices": None, "scale_min": None, "scale_max": None,
            "low_label": {}, "high_label": {}, "max_length": None,
        }
        if self.has_options:
            values["options"] = [
                {"id": row.id.data or None,
                 "label": {code: f.data or "" for code, f in zip(languages, row.label_fields())}}
                for row in self.filled_rows
            ]
        if self.kind in CHOICE_KINDS:
            values["allow_other"] = bool(self.allow_other.data)
        if self.kind == QuestionKind.MULTIPLE_CHOICE:
            values["max_choices"] = self.max_choices.data
        if self.kind == QuestionKind.RANKING:
            values["max_choices"] = self.rank_up_to.data
        if self.kind == QuestionKind.RATING:
            values["scale_min"], values["scale_max"] = SCALES[self.scale.data]
            for name in END_LABEL_NAMES:
                values[name] = {code: self[text_field_name(name, code)].data or "" for code in languages}
        if self.kind in TEXT_KINDS:
            values["max_length"] = self.max_length.data
        return values


def initial_values(city: City, kind: QuestionKind, question: Question | None) -> dict:
    """The form's starting values: the question's, or a new question's defaults."""
    if question is None:
        return {"scale": "1-5", "max_length": TEXT_DEFAULTS.get(kind)}
    values = {
        "required": question.required,
        "allow_other": question.allow_other,
        "max_choices": question.max_choices,
        "rank_up_to": question.max_choices,
        "scale": next((name for name, scale in SCALES.items()
                       if scale == (question.scale_min, question.scale_max)), "1-5"),
        "max_length": question.max_length,
        "options": [
            {"id": option["id"], **{text_field_name("label", code): option["label"].get(code, "")
                                    for code in city.languages}}
            for option in question.options or []
        ],
    }
    for name in (*TEXT_NAMES, *END_LABEL_NAMES):
        texts = getattr(question, name) or {}
        for code in city.languages:
            values[text_field_name(name, code)] = texts.get(code, "")
    return values


def question_form(city: City, kind: QuestionKind, question: Question | None = None) -> QuestionForm:
    """The form for this city and kind; the question's texts in the city's default language are required."""
    default = city.default_language

    class CityQuestionForm(QuestionForm):
        pass

    class CityOptionRow(OptionRow):
        languages = tuple(city.languages)
        default_language = default

    form = CityQuestionForm
    for code in city.languages:
        name = language_name(code)
        required = code == default
        setattr(form, text_field_name("prompt", code), StringField(
            _l("Question (%(language)s)", language=name), filters=[_strip],
            validators=[DataRequired(_l("Write the question in %(language)s.", language=name)) if required
                        else Optional(), Length(max=PROMPT_MAX, message=_l("Use at most %(max)d characters."))]))
        setattr(form, text_field_name("help", code), TextAreaField(
            _l("Help text (%(language)s, optional)", language=name), filters=[_strip],
            validators=[Optional(), Length(max=HELP_MAX, message=_l("Use at most %(max)d characters."))]))
        if kind in OPTION_KINDS:
            setattr(CityOptionRow, text_field_name("label", code), StringField(
                name, filters=[_strip],
                validators=[Optional(), Length(max=OPTION_MAX, message=_l("Use at most %(max)d characters."))]))
        if kind == QuestionKind.RATING:
            for field, label, message in (
                ("low_label", _l("Label of the lowest number (%(language)s)", language=name),
                 _l("Say what the lowest number means, in %(language)s.", language=name)),
                ("high_label", _l("Label of the highest number (%(language)s)", language=name),
                 _l("Say what the highest number means, in %(language)s.", language=name)),
            ):
                setattr(form, text_field_name(field, code), StringField(
                    label, filters=[_strip],
                    validators=[DataRequired(message) if required else Optional(),
                                Length(max=END_LABEL_MAX, message=_l("Use at most %(max)d characters."))]))
    if kind in OPTION_KINDS:
        form.options = FieldList(FormField(CityOptionRow), _l("Options"), min_entries=EMPTY_ROWS,
                                 max_entries=MAX_OPTIONS)
    if kind in CHOICE_KINDS:
        form.allow_other = BooleanField(_l("Offer “Other (please specify)” with a box to write in"))
    if kind == QuestionKind.MULTIPLE_CHOICE:
        form.max_choices = whole_number(_l("At most how many options people may choose (optional)"),
                                        validators=[Optional()])
    if kind == QuestionKind.RANKING:
        form.rank_up_to = whole_number(_l("How many options people put in order (optional)"),
                                       validators=[Optional()])
    if kind == QuestionKind.RATING:
        form.scale = RadioField(_l("Scale"), validate_choice=False,
                                choices=[SelectChoice(value, label) for value, label in SCALE_LABELS.items()],
                                validators=[InputRequired(_l("Choose 1 to 5 or 0 to 10."))])
    if kind in TEXT_KINDS:
        form.max_length = whole_number(_l("Longest answer, in characters"),
                                       validators=[InputRequired(_l("Enter a number."))])
    # A posted form is read as typed; only a form shown for the first time starts from the question.
    data = None if request.method == "POST" else initial_values(city, kind, question)
    return form(city=city, kind=kind, question=question, data=data)
