"""Rating scale: people give a number on a scale of 1 to 5 or 0 to 10, whose two ends staff name."""

from typing import Any

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import Field, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..fields import OneOf, strip
from ..texts import text_field_name
from .base import AnswerLike, AnswerValue, Kind, QuestionLike, Tally, prompt_of, required_check, rounded

#: Rating scales offered: form value -> (lowest, highest).
SCALES = {"1-5": (1, 5), "0-10": (0, 10)}
SCALE_LABELS = {"1-5": _l("1 to 5"), "0-10": _l("0 to 10")}
END_LABEL_NAMES = ("low_label", "high_label")
END_LABEL_MAX = 60


def scale_of(question: QuestionLike) -> tuple[int, int]:
    """The lowest and highest value of a rating question (1 to 5 unless staff chose otherwise)."""
    return (
        question.scale_min if question.scale_min is not None else 1,
        question.scale_max if question.scale_max is not None else 5,
    )


def _scale_check(form, field) -> None:
    if field.data not in SCALES:
        raise ValidationError(_("Choose 1 to 5 or 0 to 10."))


class Rating(Kind):
    name = "rating"
    label = _l("Rating scale")
    hint = _l("People give a number on a scale of 1 to 5 or 0 to 10.")
    averaged = True

    def answer_field(self, question: QuestionLike, language: str, fallback: str, *, final: bool) -> Field:
        low, high = scale_of(question)
        numbers = [str(n) for n in range(low, high + 1)]
        return RadioField(
            prompt_of(question, language, fallback),
            [OneOf(numbers), *required_check(question, final)],
            choices=[SelectChoice(n, n) for n in numbers],
            validate_choice=False,
        )

    def value_of(self, data: Any) -> AnswerValue:
        return AnswerValue(number=int(data) if data else None)

    def form_data(self, answer: AnswerLike) -> Any:
        return str(answer.number) if answer.number is not None else None

    def lines_of(self, question: QuestionLike, answer: AnswerLike, language: str, fallback: str) -> list[str]:
        if answer.number is None:
            return []
        low, high = scale_of(question)
        return [_("%(value)d on a scale from %(low)d to %(high)d", value=answer.number, low=low, high=high)]

    def export_cell(self, answer: AnswerLike | None, labels: dict[str, str]) -> str | int:
        return answer.number if answer is not None and answer.number is not None else ""

    def summary(self, result: Any) -> dict:
        return super().summary(result) | {"average": rounded(result.average, 2)}

    def answer_keys(self, question: QuestionLike) -> list[str]:
        return [str(value) for value in range(question.scale_min or 0, (question.scale_max or 0) + 1)]

    def tally(self, question: QuestionLike, choices: list[str] | None, number: int | None) -> Tally:
        """1 for the number given, when on the scale."""
        if number is None or not (question.scale_min or 0) <= number <= (question.scale_max or 0):
            return Tally()
        return Tally(1, {str(number): 1})

    def counts_add_up(self, question: QuestionLike) -> bool:
        return True

    def details(self, question: QuestionLike) -> list[str]:
        return [_("scale %(low)d to %(high)d", low=question.scale_min or 0, high=question.scale_max or 0)]

    def translated_parts(self, question: QuestionLike) -> list[tuple[Any, list]]:
        return [(_l("end labels"), [question.low_label, question.high_label])]

    def language_settings(self, code: str, language: str, default: bool) -> dict[str, Any]:
        fields = {}
        for name, label, message in (
            (
                "low_label",
                _l("Label of the lowest number (%(language)s)", language=language),
                _l("Say what the lowest number means, in %(language)s.", language=language),
            ),
            (
                "high_label",
                _l("Label of the highest number (%(language)s)", language=language),
                _l("Say what the highest number means, in %(language)s.", language=language),
            ),
        ):
            fields[text_field_name(name, code)] = StringField(
                label,
                filters=[strip],
                validators=[
                    DataRequired(message) if default else Optional(),
                    Length(max=END_LABEL_MAX, message=_l("Use at most %(max)d characters.")),
                ],
            )
        return fields

    def end_label_fields(self, form: Any, code: str) -> list:
        """The form's fields naming the two ends of the scale in one language (the template shows them)."""
        return [form[text_field_name(name, code)] for name in END_LABEL_NAMES]

    def settings_fields(self) -> dict[str, Any]:
        return {
            "scale": RadioField(
                _l("Scale"),
                validate_choice=False,
                choices=[SelectChoice(value, label) for value, label in SCALE_LABELS.items()],
                validators=[InputRequired(_l("Choose 1 to 5 or 0 to 10.")), _scale_check],
            )
        }

    def settings_defaults(self) -> dict:
        return {"scale": "1-5"}

    def initial_settings(self, question: QuestionLike, languages: list[str]) -> dict:
        values = {
            "scale": next(
                (name for name, scale in SCALES.items() if scale == (question.scale_min, question.scale_max)), "1-5"
            )
        }
        for name in END_LABEL_NAMES:
            texts = getattr(question, name) or {}
            for code in languages:
                values[text_field_name(name, code)] = texts.get(code, "")
        return values

    def settings_values(self, form: Any, languages: list[str]) -> dict:
        values: dict[str, Any] = dict(zip(("scale_min", "scale_max"), SCALES[form.scale.data], strict=True))
        for name in END_LABEL_NAMES:
            values[name] = {code: form[text_field_name(name, code)].data or "" for code in languages}
        return values
