"""Yes or no: people answer yes or no."""

from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField
from wtforms.fields.choices import SelectChoice

from ..fields import OneOf
from .base import Kind, QuestionLike, prompt_of, required_check

#: The two answers: key stored in `choices`, label.
YES_NO = (("yes", _l("Yes")), ("no", _l("No")))


class YesNo(Kind):
    name = "yes-no"
    label = _l("Yes or no")
    hint = _l("People answer yes or no.")
    is_choice = True
    has_settings = False

    def answer_field(self, question: QuestionLike, language: str, fallback: str, *, final: bool) -> Field:
        return RadioField(
            prompt_of(question, language, fallback),
            [OneOf([key for key, _label in YES_NO]), *required_check(question, final)],
            choices=[SelectChoice(key, label) for key, label in YES_NO],
            validate_choice=False,
        )

    def answer_keys(self, question: QuestionLike) -> list[str]:
        return [key for key, _label in YES_NO]

    def answer_labels(self, question: QuestionLike, language: str, fallback: str) -> list[tuple[str, str]]:
        return [(key, str(label)) for key, label in YES_NO]

    def export_labels(self, question: QuestionLike, language: str, fallback: str) -> dict[str, str]:
        return {key: str(label) for key, label in YES_NO}

    def counts_add_up(self, question: QuestionLike) -> bool:
        return True
