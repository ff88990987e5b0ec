"""The answer form: one field per question of the consultation, then the optional demographic fields.

The form class is built per consultation (its questions decide the fields), as survey tools built on WTForms do.
"""
from dataclasses import dataclass

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...statistics.demographics import GENDERS
from .answering import AnswerSheet, AnswerValue
from ..models import Answer, Consultation, Question, QuestionKind, Response, localized

#: The choice that stands for "other (please specify)".
OTHER = "other"
OTHER_MAX_LENGTH = 200
GENDER_DESCRIPTION_MAX_LENGTH = 60
#: Free text without a limit set by staff.
DEFAULT_MAX_LENGTH = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 5000}
#: Kinds answered by choosing options (they may offer "other").
CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CheckboxesField(SelectMultipleField):
    """Several choices, shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RankingField(Field):
    """Options put in order without JavaScript: one select per option, each sending "<option id>:<position>"."""

    def __init__(self, label=None, validators=None, *, options=(), places=0, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.options = list(options)  #: [(option id, label)]
        self.places = places  #: positions 1..places may be given
        self.pairs: list[tuple[str, str]] = []  #: (option id, position) as sent
        self.data: list[str] = []

    def process_data(self, value):
        self.data = list(value or [])
        self.pairs = [(option, str(position)) for position, option in enumerate(self.data, 1)]

    def process_formdata(self, valuelist):
        self.pairs = [tuple(value.rpartition(":")[::2]) for value in valuelist if value]
        self.data = []

    def position_of(self, option_id: str) -> str:
        """The position given to an option, as sent (kept when the form is shown again)."""
        return next((position for option, position in self.pairs if option == option_id), "")

    def pre_validate(self, form):
        known = {option for option, _label in self.options}
        options = [option for option, _position in self.pairs]
        if any(option not in known for option in options) or len(set(options)) != len(options):
            raise StopValidation(_("Choose positions only for the options shown."))
        if any(not p.isdigit() or not 1 <= int(p) <= self.places for _option, p in self.pairs):
            raise StopValidation(_("Use positions from 1 to %(places)d.", places=self.places))
        positions = sorted(int(p) for _option, p in self.pairs)
        if len(set(positions)) != len(positions):
            raise StopValidation(_("Give each position to one option only."))
        if positions != list(range(1, len(positions) + 1)):
            raise StopValidation(_("Use the positions in order from 1, without gaps."))
        self.data = [option for option, _p in sorted(self.pairs, key=lambda pair: int(pair[1]))]


class RequiredAnswer:
    """On submission (not for a draft), the question must be answered."""

    def __init__(self, final: bool):
        self.final = final

    def __call__(self, form, field):
        if self.final and not field.data:
            raise StopValidation(_("Please answer this question."))


class OneOf:
    """Each value sent must be one of the choices shown (a changed page cannot store anything else)."""

    def __init__(self, allowed, allow_empty: bool = True):
        self.allowed = set(allowed)
        self.allow_empty = allow_empty

    def __call__(self, form, field):
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in self.allowed for value in values if value not in (None, "")):
            raise StopValidation(_("Choose one of the options shown."))


class MaxChoices:
    def __init__(self, maximum: int):
        self.maximum = maximum

    def __call__(self, form, field):
        if len(field.data or []) > self.maximum:
            raise ValidationError(ngettext("Choose at most %(num)d option.", "Choose at most %(num)d options.",
                                           self.maximum))


class MaxLength:
    """Free text of at most `maximum` characters."""

    def __init__(self, maximum: int):
        self.maximum = maximum

    def __call__(self, form, field):
        if field.data and len(field.data) > self.maximum:
            raise ValidationError(ngettext(
                "Please keep it to %(num)d character or fewer (now %(length)d).",
                "Please keep it to %(num)d characters or fewer (now %(length)d).",
                self.maximum, length=len(field.data),
            ))


@dataclass
class QuestionItem:
    """A question as the form shows it: its texts in the reader's language, its field and "other" field."""

    question: Question
    field: Field
    other: Field | None
    prompt: str
    #: The prompt is shown in the city's default language (no translation yet).
    fell_back: bool
    help: str
    low_label: str
    high_label: str
    max_length: int | None = None

    @property
    def kind(self) -> QuestionKind:
        return self.question.kind


class AnswerForm(FlaskForm):
    """Answers to one consultation; subclassed per consultation by `answer_form`."""

    def __init__(self, consultation: Consultation, language: str, **kwargs):
        super().__init__(**kwargs)
        self.consultation = consultation
        fallback = consultation.city.default_language
        self.items = []
        for question in consultation.questions:
            prompt, fell_back = localized(question.prompt, language, fallback)
            self.items.append(QuestionItem(
                question=question,
                field=self[f"q{question.id}"],
                other=self._fields.get(f"q{question.id}_other"),
                prompt=prompt,
                fell_back=fell_back,
                help=localized(question.help, language, fallback)[0],
                low_label=localized(question.low_label, language, fallback)[0],
                high_label=localized(question.high_label, language, fallback)[0],
                max_length=question.max_length or DEFAULT_MAX_LENGTH.get(question.kind),
            ))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for item in self.items:
            if item.other is None or item.field.errors:
                continue
            chosen = item.field.data if isinstance(item.field.data, list) else [item.field.data]
            if OTHER in chosen and not item.other.data:
                item.field.errors.append(_("Please say what “Other” is."))
                valid = False
            elif OTHER not in chosen and item.other.data:
                item.field.errors.append(_("You wrote an answer under “Other”: choose “Other” as well, or clear the text."))
                valid = False
        if "gender_description" in self and self.gender_description.data and self.gender.data != "self-described":
            self.gender_description.errors.append(_("Choose “I describe myself as…” as well, or clear the text."))
            valid = False
        return valid

    @property
    def question_errors(self) -> list[QuestionItem]:
        return [item for item in self.items if item.field.errors or (item.other is not None and item.other.errors)]

    def sheet(self) -> AnswerSheet:
        """The validated answers, ready to be saved."""
        answers = {}
        for item in self.items:
            data, kind = item.field.data, item.kind
            other_text = item.other.data if item.other is not None else None
            if kind in TEXT_KINDS:
                value = AnswerValue(text=data or None)
            elif kind == QuestionKind.RATING:
                value = AnswerValue(number=int(data) if data else None)
            elif kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING):
                value = AnswerValue(choices=list(data or []))
            else:
                value = AnswerValue(choices=[data] if data else [])
            if OTHER in value.choices:
                value.text = other_text
            answers[item.question.id] = value
        return AnswerSheet(answers=answers, gender=self._optional("gender"),
                           gender_description=self._optional("gender_description"), district=self._optional("district"))

    def _optional(self, name: str) -> str | None:
        """A demographic answer, or None when not asked or left empty."""
        return (self[name].data or None) if name in self else None


def answer_form(consultation: Consultation, language: str, *, final: bool, resident: bool,
                response: Response | None = None, **kwargs) -> AnswerForm:
    """The form for this consultation; `final` when submitting (required questions must be answered); the city's
    districts only for a `resident` (someone from elsewhere in the network lives in none of them); filled in from
    `response` when given (the person comes back to their draft or answers)."""
    fallback = consultation.city.default_language
    fields = {}
    for question in consultation.questions:
        fields[f"q{question.id}"] = _field_for(question, language, fallback, final)
        if question.allow_other and question.kind in CHOICE_KINDS:
            fields[f"q{question.id}_other"] = StringField(
                _l("Other: please specify"), [MaxLength(OTHER_MAX_LENGTH)],
                filters=[_strip],
            )
    if consultation.ask_gender:
        fields["gender"] = RadioField(
            _l("Gender"), [OneOf(GENDERS)], choices=[SelectChoice(key, label) for key, label in GENDERS.items()],
            validate_choice=False,
        )
        fields["gender_description"] = StringField(
            _l("If you describe yourself: how?"),
            [MaxLength(GENDER_DESCRIPTION_MAX_LENGTH)],
            filters=[_strip],
        )
    if consultation.ask_district and consultation.city.districts and resident:
        districts = consultation.city.districts
        fields["district"] = SelectField(
            _l("District where you live"), [OneOf(districts)],
            choices=[SelectChoice("", _l("I prefer not to say"))] + [SelectChoice(d, d) for d in districts],
            validate_choice=False,
        )
    form_class = type("ConsultationAnswerForm", (AnswerForm,), fields)
    if response is not None:
        kwargs["data"] = prefill(response, consultation)
    return form_class(consultation, language, **kwargs)


def _field_for(question: Question, language: str, fallback: str, final: bool) -> Field:
    """The form field for one question, with the checks its kind needs."""
    prompt = localized(question.prompt, language, fallback)[0]
    required = [RequiredAnswer(final)] if question.required else []
    options = [(option["id"], localized(option["label"], language, fallback)[0]) for option in question.options]
    choices = [SelectChoice(option_id, label) for option_id, label in options]
    if question.allow_other and question.kind in CHOICE_KINDS:
        choices.append(SelectChoice(OTHER, _l("Other (please specify)")))
    allowed = [choice.value for choice in choices]
    kind = question.kind
    if kind == QuestionKind.SINGLE_CHOICE:
        return RadioField(prompt, [OneOf(allowed), *required], choices=choices, validate_choice=False)
    if kind == QuestionKind.YES_NO:
        return RadioField(prompt, [OneOf(["yes", "no"]), *required],
                          choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))], validate_choice=False)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        limit = [MaxChoices(question.max_choices)] if question.max_choices else []
        return CheckboxesField(prompt, [OneOf(allowed), *limit, *required], choices=choices, validate_choice=False)
    if kind == QuestionKind.RATING:
        low, high = scale_of(question)
        numbers = [str(n) for n in range(low, high + 1)]
        return RadioField(prompt, [OneOf(numbers), *required], choices=[SelectChoice(n, n) for n in numbers],
                          validate_choice=False)
    if kind == QuestionKind.RANKING:
        places = min(question.max_choices or len(options), len(options))
        return RankingField(prompt, required, options=options, places=places)
    maximum = question.max_length or DEFAULT_MAX_LENGTH[kind]
    field_class = StringField if kind == QuestionKind.SHORT_TEXT else TextAreaField
    return field_class(prompt, [MaxLength(maximum), *required], filters=[_strip])


def scale_of(question: Question) -> tuple[int, int]:
    """The lowest and highest value of a rating question (1 to 5 unless staff chose otherwise)."""
    return (question.scale_min if question.scale_min is not None else 1,
            question.scale_max if question.scale_max is not None else 5)


def prefill(response: Response, consultation: Consultation) -> dict:
    """Form data from a saved response, so the person sees what they answered before."""
    kinds = {question.id: question.kind for question in consultation.questions}
    data = {"gender": response.gender, "gender_description": response.gender_description,
            "district": response.district or ""}
    for answer in response.answers:
        kind, name = kinds.get(answer.question_id), f"q{answer.question_id}"
        if kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING):
            data[name] = list(answer.choices)
        elif kind == QuestionKind.RATING:
            data[name] = str(answer.number) if answer.number is not None else None
        elif kind in TEXT_KINDS:
            data[name] = answer.text
        else:
            data[name] = answer.choices[0] if answer.choices else None
        if OTHER in answer.choices:
            data[f"{name}_other"] = answer.text
    return data


def answer_lines(question: Question, answer: Answer | None, language: str, fallback: str) -> list[str]:
    """A person's answer in words, one line per chosen option (ranked ones numbered); empty if unanswered."""
    if answer is None:
        return []
    labels = {option["id"]: localized(option["label"], language, fallback)[0] for option in question.options}
    labels |= {"yes": _("Yes"), "no": _("No")}
    kind = question.kind
    if kind in TEXT_KINDS:
        return [answer.text] if answer.text else []
    if kind == QuestionKind.RATING:
        if answer.number is None:
            return []
        low, high = scale_of(question)
        return [_("%(value)d on a scale from %(low)d to %(high)d", value=answer.number, low=low, high=high)]
    if kind == QuestionKind.RANKING:
        return [_("%(position)d. %(option)s", position=n, option=labels.get(option, option))
                for n, option in enumerate(answer.choices, 1)]
    return [_("Other: %(text)s", text=answer.text or "") if choice == OTHER else labels.get(choice, choice)
            for choice in answer.choices]
