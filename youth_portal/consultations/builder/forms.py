"""The form staff write a question with: its texts in each city language, and what its kind needs.

The class is built per city and kind (the city's languages and the kind decide the fields). Options are rows of
labels, one per language; a row keeps its option's id in a hidden field, checked against the question's own ids.
"""

from flask import request
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ...cities.models import City
from ...questionnaires import Kind, kind_for
from ...questionnaires.fields import strip
from ...questionnaires.texts import language_name, text_field_name
from ..models import Question, QuestionKind

#: Empty option rows a new question starts with; rows a question may have at most.
EMPTY_ROWS = 3
MAX_OPTIONS = 20
PROMPT_MAX = 500
HELP_MAX = 1000
OPTION_MAX = 200

TEXT_NAMES = ("prompt", "help")


class OptionRow(Form):
    """One option: its id (empty for a new row) and a label per language; subclassed per city."""

    id = HiddenField(filters=[strip])
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
            default.errors.append(
                _("Write this option in %(language)s too.", language=language_name(self.default_language))
            )
            valid = False
        return valid


class QuestionForm(FlaskForm):
    """Staff write one question. Build it with `question_form(city, kind, question)`."""

    required = BooleanField(_l("People must answer this question"))

    def __init__(self, *args, city: City, kind: QuestionKind, question: Question | None = None, **kwargs):
        self.city = city
        self.kind = kind
        #: What the kind asks of the form (its settings), from the question engine.
        self.kind_type: Kind = kind_for(kind)
        self.question = question
        #: The ids a posted row may carry: the question's own options.
        self.existing_ids = {option["id"] for option in question.options or []} if question else set()
        super().__init__(*args, **kwargs)
        self._name_rows()

    @property
    def has_options(self) -> bool:
        return self.kind_type.has_options

    def texts_for(self, language: str) -> list:
        return [self[text_field_name(name, language)] for name in TEXT_NAMES]

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
            for code, field in zip(entry.form.languages, entry.form.label_fields(), strict=True):
                field.label.text = _("Option %(number)d (%(language)s)", number=number, language=language_name(code))

    # Validation --------------------------------------------------------------------------------------------------

    def validate_options(self, field) -> None:
        ids = [row.id.data for row in self.filled_rows if row.id.data]
        if any(option_id not in self.existing_ids for option_id in ids) or len(ids) != len(set(ids)):
            raise ValidationError(_("An option was not recognised. Open the question again and retype your changes."))
        if len(self.filled_rows) < 2:
            raise ValidationError(_("Give at least two options."))
        for code in self.filled_rows[0].languages:
            labels = [(row[text_field_name("label", code)].data or "").strip().casefold() for row in self.filled_rows]
            labels = [label for label in labels if label]
            if len(labels) != len(set(labels)):
                raise ValidationError(
                    _(
                        "Two options have the same words in %(language)s: results could not tell "
                        "them apart. Give each option its own.",
                        language=language_name(code),
                    )
                )

    # Values for the service --------------------------------------------------------------------------------------

    def values(self) -> dict:
        """What to save; fields the kind does not use are emptied."""
        languages = self.city.languages
        values = {
            "required": bool(self.required.data),
            "prompt": {code: self[text_field_name("prompt", code)].data or "" for code in languages},
            "help": {code: self[text_field_name("help", code)].data or "" for code in languages},
            "options": [],
            "allow_other": False,
            "max_choices": None,
            "scale_min": None,
            "scale_max": None,
            "low_label": {},
            "high_label": {},
            "max_length": None,
        }
        if self.has_options:
            values["options"] = [
                {
                    "id": row.id.data or None,
                    "label": {code: f.data or "" for code, f in zip(languages, row.label_fields(), strict=True)},
                }
                for row in self.filled_rows
            ]
        values.update(self.kind_type.settings_values(self, languages))
        return values


def initial_values(city: City, kind: QuestionKind, question: Question | None) -> dict:
    """The form's starting values: the question's, or a new question's defaults."""
    if question is None:
        return kind_for(kind).settings_defaults()
    values = {
        "required": question.required,
        **kind_for(kind).initial_settings(question, city.languages),
        "options": [
            {
                "id": option["id"],
                **{text_field_name("label", code): option["label"].get(code, "") for code in city.languages},
            }
            for option in question.options or []
        ],
    }
    for name in TEXT_NAMES:
        texts = getattr(question, name) or {}
        for code in city.languages:
            values[text_field_name(name, code)] = texts.get(code, "")
    return values


def question_form(city: City, kind: QuestionKind, question: Question | None = None) -> QuestionForm:
    """The form for this city and kind; the question's texts in the city's default language are required."""
    default = city.default_language
    kind_type = kind_for(kind)

    class CityQuestionForm(QuestionForm):
        pass

    class CityOptionRow(OptionRow):
        languages = tuple(city.languages)
        default_language = default

    form = CityQuestionForm
    for code in city.languages:
        name = language_name(code)
        required = code == default
        setattr(
            form,
            text_field_name("prompt", code),
            StringField(
                _l("Question (%(language)s)", language=name),
                filters=[strip],
                validators=[
                    DataRequired(_l("Write the question in %(language)s.", language=name)) if required else Optional(),
                    Length(max=PROMPT_MAX, message=_l("Use at most %(max)d characters.")),
                ],
            ),
        )
        setattr(
            form,
            text_field_name("help", code),
            TextAreaField(
                _l("Help text (%(language)s, optional)", language=name),
                filters=[strip],
                validators=[Optional(), Length(max=HELP_MAX, message=_l("Use at most %(max)d characters."))],
            ),
        )
        if kind_type.has_options:
            setattr(
                CityOptionRow,
                text_field_name("label", code),
                StringField(
                    name,
                    filters=[strip],
                    validators=[Optional(), Length(max=OPTION_MAX, message=_l("Use at most %(max)d characters."))],
                ),
            )
        for field_name, field in kind_type.language_settings(code, name, required).items():
            setattr(form, field_name, field)
    if kind_type.has_options:
        form.options = FieldList(
            FormField(CityOptionRow), _l("Options"), min_entries=EMPTY_ROWS, max_entries=MAX_OPTIONS
        )
    for field_name, field in kind_type.settings_fields().items():
        setattr(form, field_name, field)
    # A posted form is read as typed; only a form shown for the first time starts from the question.
    data = None if request.method == "POST" else initial_values(city, kind, question)
    return form(city=city, kind=kind, question=question, data=data)
