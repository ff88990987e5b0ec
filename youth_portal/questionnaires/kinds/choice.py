"""What the kinds answered by choosing among options staff write have in common (single and multiple choice)."""

from typing import Any

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from wtforms import BooleanField
from wtforms.fields.choices import SelectChoice

from ..texts import localized
from .base import OTHER, Kind, QuestionLike


class ChoiceKind(Kind):
    """People choose among the options staff wrote, and "Other (please specify)" when staff offer it."""

    is_choice = True
    has_options = True
    offers_other = True

    def choices(self, question: QuestionLike, language: str, fallback: str) -> list[SelectChoice]:
        """The options as the form shows them, "Other" last when offered."""
        choices = [
            SelectChoice(option["id"], localized(option["label"], language, fallback)[0]) for option in question.options
        ]
        if question.allow_other:
            choices.append(SelectChoice(OTHER, _l("Other (please specify)")))
        return choices

    def answer_keys(self, question: QuestionLike) -> list[str]:
        return [o["id"] for o in question.options] + ([OTHER] if question.allow_other else [])

    def details(self, question: QuestionLike) -> list[str]:
        details = [ngettext("%(num)d option", "%(num)d options", len(question.options or []))]
        if question.allow_other:
            details.append(_("with “Other (please specify)”"))
        return details

    def translated_parts(self, question: QuestionLike) -> list[tuple[Any, list]]:
        return [(_l("options"), [option["label"] for option in question.options or []])]

    def settings_fields(self) -> dict[str, Any]:
        return {"allow_other": BooleanField(_l("Offer “Other (please specify)” with a box to write in"))}

    def initial_settings(self, question: QuestionLike, languages: list[str]) -> dict:
        return {"allow_other": question.allow_other}

    def settings_values(self, form: Any, languages: list[str]) -> dict:
        return {"allow_other": bool(form.allow_other.data)}
