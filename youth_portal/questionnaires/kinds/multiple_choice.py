"""Multiple choice: people pick one or more options, up to a maximum staff may set."""

from typing import Any

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from wtforms import Field
from wtforms.validators import Optional, ValidationError

from ..fields import CheckboxesField, MaxChoices, OneOf, whole_number
from .base import AnswerLike, AnswerValue, QuestionLike, prompt_of, required_check
from .choice import ChoiceKind


def _max_choices_check(form, field) -> None:
    """At most as many as there are options, and at least one."""
    count = len(form.filled_rows)
    if field.data is not None and count >= 2 and not 1 <= field.data <= count:
        raise ValidationError(_("Enter a number from 1 to %(max)d, the number of options.", max=count))


class MultipleChoice(ChoiceKind):
    name = "multiple-choice"
    label = _l("Multiple choice")
    hint = _l("People pick one or more options, up to a maximum you may set.")

    def answer_field(self, question: QuestionLike, language: str, fallback: str, *, final: bool) -> Field:
        choices = self.choices(question, language, fallback)
        limit = [MaxChoices(question.max_choices)] if question.max_choices else []
        return CheckboxesField(
            prompt_of(question, language, fallback),
            [OneOf([c.value for c in choices]), *limit, *required_check(question, final)],
            choices=choices,
            validate_choice=False,
        )

    def value_of(self, data: Any) -> AnswerValue:
        return AnswerValue(choices=list(data or []))

    def form_data(self, answer: AnswerLike) -> Any:
        return list(answer.choices)

    def counts_add_up(self, question: QuestionLike) -> bool:
        """Only when people may choose one option (then their counts add up like a single choice's)."""
        return question.max_choices == 1

    def details(self, question: QuestionLike) -> list[str]:
        details = super().details(question)
        if question.max_choices:
            details.append(ngettext("at most %(num)d choice", "at most %(num)d choices", question.max_choices))
        return details

    def settings_fields(self) -> dict[str, Any]:
        return super().settings_fields() | {
            "max_choices": whole_number(
                _l("At most how many options people may choose (optional)"), validators=[Optional(), _max_choices_check]
            )
        }

    def initial_settings(self, question: QuestionLike, languages: list[str]) -> dict:
        return super().initial_settings(question, languages) | {"max_choices": question.max_choices}

    def settings_values(self, form: Any, languages: list[str]) -> dict:
        return super().settings_values(form, languages) | {"max_choices": form.max_choices.data}
