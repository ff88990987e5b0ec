"""What the free-text kinds have in common (short and long text)."""

from typing import Any, ClassVar

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from wtforms import Field
from wtforms.validators import InputRequired, ValidationError

from ..fields import MaxLength, strip, whole_number
from .base import AnswerLike, AnswerValue, Kind, QuestionLike, Tally, prompt_of, required_check


def _max_length_check(form, field) -> None:
    """From 1 to the longest answer the kind allows."""
    limit = form.kind_type.text_limit
    if field.data is not None and not 1 <= field.data <= limit:
        raise ValidationError(_("Enter a number from 1 to %(max)d.", max=limit))


class TextKind(Kind):
    """People write freely, up to a number of characters staff set."""

    is_free_text = True
    #: The form field people write in.
    field_class: ClassVar[type[Field]]
    #: The longest answer staff may allow (also the limit of a question without one), and a new question's limit.
    text_limit: ClassVar[int]
    default_limit: ClassVar[int]

    def answer_field(self, question: QuestionLike, language: str, fallback: str, *, final: bool) -> Field:
        return self.field_class(
            prompt_of(question, language, fallback),
            [MaxLength(self.max_length(question)), *required_check(question, final)],
            filters=[strip],
        )

    def value_of(self, data: Any) -> AnswerValue:
        return AnswerValue(text=data or None)

    def form_data(self, answer: AnswerLike) -> Any:
        return answer.text

    def max_length(self, question: QuestionLike) -> int:
        return question.max_length or self.text_limit

    def lines_of(self, question: QuestionLike, answer: AnswerLike, language: str, fallback: str) -> list[str]:
        return [answer.text] if answer.text else []

    def export_cell(self, answer: AnswerLike | None, labels: dict[str, str]) -> str | int:
        return (answer.text or "") if answer is not None else ""

    def summary(self, result: Any) -> dict:
        """How many texts people wrote (identical ones counted each), and those approved as quotes."""
        return {"texts": result.written, "approved_quotes": sorted(t.text for t in result.texts if t.approved)}

    def tally(self, question: QuestionLike, choices: list[str] | None, number: int | None) -> Tally:
        """An answer (an empty text is never stored, so a stored answer is one)."""
        return Tally(1)

    def has_free_text(self, choices: list[str] | None) -> bool:
        return True

    def details(self, question: QuestionLike) -> list[str]:
        if not question.max_length:
            return []
        return [ngettext("up to %(num)d character", "up to %(num)d characters", question.max_length)]

    def settings_fields(self) -> dict[str, Any]:
        return {
            "max_length": whole_number(
                _l("Longest answer, in characters"),
                validators=[InputRequired(_l("Enter a number.")), _max_length_check],
            )
        }

    def settings_defaults(self) -> dict:
        return {"max_length": self.default_limit}

    def initial_settings(self, question: QuestionLike, languages: list[str]) -> dict:
        return {"max_length": question.max_length}

    def settings_values(self, form: Any, languages: list[str]) -> dict:
        return {"max_length": form.max_length.data}
