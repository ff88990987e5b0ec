"""The answer form: one field per question of the consultation, then the optional demographic fields.

The form class is built per consultation (its questions decide the fields), as survey tools built on WTForms do.
"""

from dataclasses import dataclass

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField
from wtforms.fields.choices import SelectChoice

from ...questionnaires import OTHER, Kind, kind_for
from ...questionnaires.fields import OneOf
from ...statistics.demographics import GENDERS
from ..models import Consultation, Question, QuestionKind, Response, localized
from .answering import AnswerSheet


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

    @property
    def kind_type(self) -> Kind:
        return kind_for(self.question)


class AnswerForm(FlaskForm):
    """Answers to one consultation; subclassed per consultation by `answer_form`."""

    def __init__(self, consultation: Consultation, language: str, **kwargs):
        super().__init__(**kwargs)
        self.consultation = consultation
        fallback = consultation.city.default_language
        self.items = []
        for question in consultation.questions:
            prompt, fell_back = localized(question.prompt, language, fallback)
            self.items.append(
                QuestionItem(
                    question=question,
                    field=self[f"q{question.id}"],
                    other=self._fields.get(f"q{question.id}_other"),
                    prompt=prompt,
                    fell_back=fell_back,
                    help=localized(question.help, language, fallback)[0],
                    low_label=localized(question.low_label, language, fallback)[0],
                    high_label=localized(question.high_label, language, fallback)[0],
                    max_length=kind_for(question).max_length(question),
                )
            )

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
                item.field.errors.append(
                    _("You wrote an answer under “Other”: choose “Other” as well, or clear the text.")
                )
                valid = False
        return valid

    @property
    def question_errors(self) -> list[QuestionItem]:
        return [item for item in self.items if item.field.errors or (item.other is not None and item.other.errors)]

    def sheet(self) -> AnswerSheet:
        """The validated answers, ready to be saved."""
        answers = {}
        for item in self.items:
            other_text = item.other.data if item.other is not None else None
            value = item.kind_type.answer_value(item.question, item.field.data, other_text)
            answers[item.question.id] = value
        return AnswerSheet(
            answers=answers,
            gender=self._optional("gender"),
            district=self._optional("district"),
        )

    def _optional(self, name: str) -> str | None:
        """A demographic answer, or None when not asked or left empty."""
        return (self[name].data or None) if name in self else None


def answer_form(
    consultation: Consultation,
    language: str,
    *,
    final: bool,
    resident: bool,
    response: Response | None = None,
    **kwargs,
) -> AnswerForm:
    """The form for this consultation; `final` when submitting (required questions must be answered); the city's
    districts only for a `resident` (someone from elsewhere in the network lives in none of them); filled in from
    `response` when given (the person comes back to their draft or answers)."""
    fallback = consultation.city.default_language
    fields = {}
    for question in consultation.questions:
        kind = kind_for(question)
        fields[f"q{question.id}"] = kind.answer_field(question, language, fallback, final=final)
        other = kind.other_field(question)
        if other is not None:
            fields[f"q{question.id}_other"] = other
    if consultation.ask_gender:
        fields["gender"] = RadioField(
            _l("Gender"),
            [OneOf(GENDERS)],
            choices=[SelectChoice(key, label) for key, label in GENDERS.items()],
            validate_choice=False,
        )
    if consultation.ask_district and consultation.city.districts and resident:
        districts = consultation.city.districts
        fields["district"] = SelectField(
            _l("District where you live"),
            [OneOf(districts)],
            choices=[SelectChoice("", _l("I prefer not to say"))] + [SelectChoice(d, d) for d in districts],
            validate_choice=False,
        )
    form_class = type("ConsultationAnswerForm", (AnswerForm,), fields)
    if response is not None:
        kwargs["data"] = prefill(response, consultation)
    return form_class(consultation, language, **kwargs)


def prefill(response: Response, consultation: Consultation) -> dict:
    """Form data from a saved response, so the person sees what they answered before."""
    questions = {question.id: question for question in consultation.questions}
    data = {
        "gender": response.gender,
        "district": response.district or "",
    }
    for answer in response.answers:
        question, name = questions.get(answer.question_id), f"q{answer.question_id}"
        if question is None:
            continue
        data[name] = kind_for(question).form_data(answer)
        if OTHER in answer.choices:
            data[f"{name}_other"] = answer.text
    return data
