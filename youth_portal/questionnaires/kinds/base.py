"""What every question kind does, whatever the questionnaire: the base class of the kinds, the value of an answer and
the tally of answers. A kind is one class (one module in this package, with its templates under
templates/questionnaires/); it registers itself by naming the value `Question.kind` stores for it."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import Field, StringField

from ..fields import MaxLength, RequiredAnswer, strip
from ..texts import Translated, localized

#: The choice that stands for "other (please specify)", with the text written for it.
OTHER = "other"
OTHER_MAX_LENGTH = 200


class QuestionLike(Protocol):
    """What the engine reads of a question, whichever questionnaire it belongs to."""

    id: Any
    kind: Any
    required: bool
    prompt: Translated
    #: [{"id": "a1b2", "label": {"es": "...", "en": "..."}}, ...]: what staff wrote for people to choose or rank.
    options: list[dict]
    allow_other: bool
    max_choices: int | None
    scale_min: int | None
    scale_max: int | None
    low_label: Translated
    high_label: Translated
    max_length: int | None


class AnswerLike(Protocol):
    """What the engine reads of a stored answer (an `Answer` row, or a row of a query with these columns)."""

    choices: list[str]
    number: int | None
    text: str | None


@dataclass
class AnswerValue:
    """One question's answer as typed: option ids (in order for ranking), a number, a text."""

    choices: list[str] = field(default_factory=list)
    number: int | None = None
    text: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.choices and self.number is None and not self.text


@dataclass(frozen=True)
class Tally:
    """What answers add to a question's results: how many people answered, how many gave each answer (by answer
    key) and, for a ranking, the sum of the places each key got. Tallies add up: the tally of many answers is the
    sum of theirs, so they can be kept and summed per question instead of counting every answer again."""

    answered: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)
    rank_sums: Mapping[str, int] = field(default_factory=dict)

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.answered + other.answered, _added(self.counts, other.counts), _added(self.rank_sums, other.rank_sums)
        )


def _added(one: Mapping[str, int], other: Mapping[str, int]) -> dict[str, int]:
    return {key: one.get(key, 0) + other.get(key, 0) for key in {**one, **other}}


#: Every kind, by the value `Question.kind` stores (filled as the kind modules are imported).
KINDS: dict[str, "Kind"] = {}


class Kind:
    """One kind of question: the field people answer with, its checks, what an answer adds to the results, its
    export cell, an answer in words, and what staff set for it in the builder. Subclasses are stateless (one
    instance each, in KINDS): every method is given the question."""

    #: The value stored in `Question.kind`.
    name: ClassVar[str]
    #: The kind's name for staff, and what people do to answer it.
    label: ClassVar[Any]
    hint: ClassVar[Any]

    # Traits --------------------------------------------------------------------------------------------------------
    #: People pick among a fixed set of answers (options staff wrote, or yes and no), counted per answer.
    is_choice: ClassVar[bool] = False
    #: Staff write the options people choose or rank.
    has_options: ClassVar[bool] = False
    #: Options staff write, to which they may add "Other (please specify)" with a box to write in.
    offers_other: ClassVar[bool] = False
    #: People write freely: no counts, only texts.
    is_free_text: ClassVar[bool] = False
    #: People put options in order: results give each option's average place.
    ranks: ClassVar[bool] = False
    #: People give a number on a scale: results give the average.
    averaged: ClassVar[bool] = False
    #: Staff set more than texts for it (options, scale, length): it has a settings template.
    has_settings: ClassVar[bool] = True
    #: Free text: the longest answer staff may allow.
    text_limit: ClassVar[int | None] = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            KINDS[cls.name] = cls()

    def __repr__(self) -> str:
        return f"<kind {self.name}>"

    @property
    def charted(self) -> bool:
        """Results show counts (in a chart and a table), not texts."""
        return not self.is_free_text

    @property
    def broken_down(self) -> bool:
        """Results are broken down by age band, gender and district: those of choices and of scales."""
        return self.is_choice or self.averaged

    @property
    def answer_template(self) -> str:
        """The template of the question in an answer form (templates/questionnaires/answer/)."""
        return f"questionnaires/answer/{self.name.replace('-', '_')}.html"

    @property
    def settings_template(self) -> str | None:
        """The template of what staff set for the kind in the builder, if anything."""
        return f"questionnaires/settings/{self.name.replace('-', '_')}.html" if self.has_settings else None

    # Answering -----------------------------------------------------------------------------------------------------

    def answer_field(self, question: QuestionLike, language: str, fallback: str, *, final: bool) -> Field:
        """The (unbound) form field people answer with, with the checks the kind needs; `final` when submitting
        (a required question must then be answered)."""
        raise NotImplementedError

    def other_field(self, question: QuestionLike) -> Field | None:
        """The box to say what "Other" is, when the question offers it."""
        if not (self.offers_other and question.allow_other):
            return None
        return StringField(_l("Other: please specify"), [MaxLength(OTHER_MAX_LENGTH)], filters=[strip])

    def answer_value(self, question: QuestionLike, data: Any, other_text: str | None = None) -> AnswerValue:
        """What to store from the field's validated data (and the text of "other", when chosen)."""
        value = self.value_of(data)
        if OTHER in value.choices:
            value.text = other_text
        return value

    def value_of(self, data: Any) -> AnswerValue:
        """The field's data as an answer value (choices by default: one option or none)."""
        return AnswerValue(choices=[data] if data else [])

    def form_data(self, answer: AnswerLike) -> Any:
        """The field's data from a stored answer, so that people see what they answered before."""
        return answer.choices[0] if answer.choices else None

    def max_length(self, question: QuestionLike) -> int | None:
        """Free text: the longest answer the question takes."""
        return None

    # Display -------------------------------------------------------------------------------------------------------

    def answer_lines(
        self, question: QuestionLike, answer: AnswerLike | None, language: str, fallback: str
    ) -> list[str]:
        """A person's answer in words (in My participation), one line per chosen option (ranked ones numbered);
        empty if unanswered."""
        return self.lines_of(question, answer, language, fallback) if answer is not None else []

    def lines_of(self, question: QuestionLike, answer: AnswerLike, language: str, fallback: str) -> list[str]:
        """A stored answer in words: the chosen options' labels, "Other: ..." with its text."""
        labels = dict(self.answer_labels(question, language, fallback))
        return [
            _("Other: %(text)s", text=answer.text or "") if choice == OTHER else labels.get(choice, choice)
            for choice in answer.choices
        ]

    # Export --------------------------------------------------------------------------------------------------------

    def export_labels(self, question: QuestionLike, language: str, fallback: str) -> dict[str, str]:
        """Answer key -> label as the export writes it (worked out once per question, not per answer)."""
        labels = option_labels(question, language, fallback)
        labels[OTHER] = _("Other")
        return labels

    def export_cell(self, answer: AnswerLike | None, labels: dict[str, str]) -> str | int:
        """One answer as a spreadsheet cell: the choices' labels joined by "; ", "Other: ..." with its text."""
        if answer is None:
            return ""
        parts = []
        for choice in [c for c in answer.choices or [] if c in labels]:
            if choice == OTHER and answer.text:
                parts.append(_("Other: %(text)s", text=answer.text))
            else:
                parts.append(labels[choice])
        return "; ".join(parts)

    def summary(self, result: Any) -> dict:
        """A question's results as data (the JSON export): each answer's count and percentage."""
        return {
            "options": [
                {"id": o.key, "label": o.label, "count": o.count, "percent": rounded(o.percent)} for o in result.options
            ]
        }

    # Results -------------------------------------------------------------------------------------------------------

    def answer_keys(self, question: QuestionLike) -> list[str]:
        """Every answer the question offers, in order (what tallies count, and the rows of its results)."""
        return []

    def answer_labels(self, question: QuestionLike, language: str, fallback: str) -> list[tuple[str, str]]:
        """(key, label) of every answer the question offers, in the order of answer_keys."""
        labels = option_labels(question, language, fallback) | {OTHER: str(_l("Other"))}
        return [(key, labels.get(key, key)) for key in self.answer_keys(question)]

    def tally(self, question: QuestionLike, choices: list[str] | None, number: int | None) -> Tally:
        """What one stored answer adds to the question's results (nothing, if it chose nothing the question
        offers): 1 for each answer key chosen, once each."""
        chosen = set(choices or []) & set(self.answer_keys(question))
        return Tally(1, dict.fromkeys(chosen, 1)) if chosen else Tally()

    def counts_add_up(self, question: QuestionLike) -> bool:
        """Each person who answered gave one answer, so that the counts add up to the number who answered."""
        return False

    def has_free_text(self, choices: list[str] | None) -> bool:
        """The stored answer's text is one people wrote (a free text, or what "Other" is)."""
        return self.offers_other and OTHER in (choices or [])

    # Builder -------------------------------------------------------------------------------------------------------

    def details(self, question: QuestionLike) -> list[str]:
        """What else staff need to know about a question in the list, in a few words each."""
        return []

    def translated_parts(self, question: QuestionLike) -> list[tuple[Any, list[Translated]]]:
        """The parts of the question besides its prompt and help written per language: (name, texts)."""
        return []

    def language_settings(self, code: str, language: str, default: bool) -> dict[str, Any]:
        """The builder's fields of the kind written in one language (`language`, its name; `default` when the
        city's default language): name -> unbound field."""
        return {}

    def settings_fields(self) -> dict[str, Any]:
        """The builder's other fields of the kind, with their checks (they may read the form's `filled_rows`)."""
        return {}

    def settings_defaults(self) -> dict:
        """The builder form's starting values for a new question of the kind."""
        return {}

    def initial_settings(self, question: QuestionLike, languages: list[str]) -> dict:
        """The builder form's starting values for the kind's fields, from the question."""
        return {}

    def settings_values(self, form: Any, languages: list[str]) -> dict:
        """What to save of the kind's fields, as the question's columns."""
        return {}


def option_labels(question: QuestionLike, language: str, fallback: str) -> dict[str, str]:
    """Option id -> its label in `language` (or the fallback's)."""
    return {o["id"]: localized(o.get("label", {}), language, fallback)[0] for o in question.options or []}


def prompt_of(question: QuestionLike, language: str, fallback: str) -> str:
    return localized(question.prompt, language, fallback)[0]


def required_check(question: QuestionLike, final: bool) -> list:
    return [RequiredAnswer(final)] if question.required else []


def rounded(value: float | None, digits: int = 1) -> float | None:
    return round(value, digits) if value is not None else None
