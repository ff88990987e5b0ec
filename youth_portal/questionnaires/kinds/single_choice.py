"""Single choice: people pick one option."""

from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField

from ..fields import OneOf
from .base import QuestionLike, prompt_of, required_check
from .choice import ChoiceKind


class SingleChoice(ChoiceKind):
    name = "single-choice"
    label = _l("Single choice")
    hint = _l("People pick one option.")

    def answer_field(self, question: QuestionLike, language: str, fallback: str, *, final: bool) -> Field:
        choices = self.choices(question, language, fallback)
        return RadioField(
            prompt_of(question, language, fallback),
            [OneOf([c.value for c in choices]), *required_check(question, final)],
            choices=choices,
            validate_choice=False,
        )

    def counts_add_up(self, question: QuestionLike) -> bool:
        return True
