"""Ranking: people put the options staff wrote in order of importance (all of them, or the top few)."""

from typing import Any

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from wtforms import Field
from wtforms.validators import Optional, ValidationError

from ..fields import RankingField, whole_number
from ..texts import localized
from .base import AnswerLike, AnswerValue, Kind, QuestionLike, Tally, prompt_of, required_check, rounded


def _rank_up_to_check(form, field) -> None:
    """From 2 to the number of options."""
    count = len(form.filled_rows)
    if field.data is not None and count >= 2 and not 2 <= field.data <= count:
        raise ValidationError(_("Enter a number from 2 to %(max)d, the number of options.", max=count))


class Ranking(Kind):
    name = "ranking"
    label = _l("Ranking")
    hint = _l("People put options in order of importance.")
    has_options = True
    ranks = True

    def answer_field(self, question: QuestionLike, language: str, fallback: str, *, final: bool) -> Field:
        options = [(option["id"], localized(option["label"], language, fallback)[0]) for option in question.options]
        places = min(question.max_choices or len(options), len(options))
        return RankingField(
            prompt_of(question, language, fallback), required_check(question, final), options=options, places=places
        )

    def value_of(self, data: Any) -> AnswerValue:
        return AnswerValue(choices=list(data or []))

    def form_data(self, answer: AnswerLike) -> Any:
        return list(answer.choices)

    def lines_of(self, question: QuestionLike, answer: AnswerLike, language: str, fallback: str) -> list[str]:
        labels = dict(self.answer_labels(question, language, fallback))
        return [
            _("%(position)d. %(option)s", position=n, option=labels.get(option, option))
            for n, option in enumerate(answer.choices, 1)
        ]

    def export_cell(self, answer: AnswerLike | None, labels: dict[str, str]) -> str | int:
        """The options ranked, numbered in order: "1. Parks; 2. Buses"."""
        if answer is None:
            return ""
        choices = [c for c in answer.choices or [] if c in labels]
        return "; ".join(f"{place}. {labels[c]}" for place, c in enumerate(choices, start=1))

    def summary(self, result: Any) -> dict:
        return {
            "ranking": [
                {
                    "id": r.key,
                    "label": r.label,
                    "average_position": rounded(r.average_position),
                    "ranked_by": r.ranked_by,
                }
                for r in result.ranking
            ]
        }

    def answer_keys(self, question: QuestionLike) -> list[str]:
        return [o["id"] for o in question.options]

    def tally(self, question: QuestionLike, choices: list[str] | None, number: int | None) -> Tally:
        """1 for each option ranked, and its place (1 = first) towards the option's average place."""
        keys = set(self.answer_keys(question))
        ranked = [c for c in dict.fromkeys(choices or []) if c in keys]
        if not ranked:
            return Tally()
        return Tally(1, dict.fromkeys(ranked, 1), {key: place for place, key in enumerate(ranked, start=1)})

    def details(self, question: QuestionLike) -> list[str]:
        return [
            ngettext("%(num)d option", "%(num)d options", len(question.options or [])),
            ngettext("the top %(num)d put in order", "the top %(num)d put in order", question.max_choices)
            if question.max_choices
            else _("all put in order"),
        ]

    def translated_parts(self, question: QuestionLike) -> list[tuple[Any, list]]:
        return [(_l("options"), [option["label"] for option in question.options or []])]

    def settings_fields(self) -> dict[str, Any]:
        return {
            "rank_up_to": whole_number(
                _l("How many options people put in order (optional)"), validators=[Optional(), _rank_up_to_check]
            )
        }

    def initial_settings(self, question: QuestionLike, languages: list[str]) -> dict:
        return {"rank_up_to": question.max_choices}

    def settings_values(self, form: Any, languages: list[str]) -> dict:
        return {"max_choices": form.rank_up_to.data}
