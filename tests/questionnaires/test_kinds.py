"""The question engine on its own: each kind's answer field and its checks, the value stored, the tally, the export
cell and the answer in words, on a question that belongs to no consultation (any questionnaire may use the engine)."""

from dataclasses import dataclass, field

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from youth_portal.consultations.models import QuestionKind
from youth_portal.questionnaires import KINDS, OTHER, AnswerValue, Tally, kind_for


@dataclass
class Question:
    """A question of some questionnaire: only the columns the engine reads."""

    kind: str
    id: int = 1
    required: bool = True
    prompt: dict = field(default_factory=lambda: {"en": "What matters?", "es": "¿Qué importa?"})
    options: list = field(default_factory=list)
    allow_other: bool = False
    max_choices: int | None = None
    scale_min: int | None = None
    scale_max: int | None = None
    low_label: dict = field(default_factory=dict)
    high_label: dict = field(default_factory=dict)
    max_length: int | None = None


@dataclass
class Answer:
    choices: list = field(default_factory=list)
    number: int | None = None
    text: str | None = None


OPTIONS = [
    {"id": "a1", "label": {"en": "Parks", "es": "Parques"}},
    {"id": "b2", "label": {"en": "Buses", "es": "Autobuses"}},
    {"id": "c3", "label": {"en": "Lights", "es": "Luces"}},
]


def answered(question: Question, *values: str, other: str | None = None, final: bool = True):
    """The kind's field bound to what a person sent; (valid, errors, stored value)."""
    kind = kind_for(question)
    fields = {"answer": kind.answer_field(question, "en", "es", final=final)}
    other_field = kind.other_field(question)
    if other_field is not None:
        fields["other"] = other_field
    form = type("AnswerForm", (Form,), fields)(
        MultiDict([("answer", value) for value in values] + ([("other", other)] if other is not None else []))
    )
    valid = form.validate()
    return valid, form.answer.errors, kind.answer_value(question, form.answer.data, other)


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def test_every_stored_kind_has_its_class_and_templates(app):
    assert set(KINDS) == {kind.value for kind in QuestionKind}
    for kind in KINDS.values():
        assert app.jinja_env.get_template(kind.answer_template)
        if kind.settings_template:
            assert app.jinja_env.get_template(kind.settings_template)
    assert [name for name, kind in KINDS.items() if not kind.has_settings] == ["yes-no"]


def test_the_traits_of_the_kinds():
    def having(trait: str) -> set[str]:
        return {name for name, kind in KINDS.items() if getattr(kind, trait)}

    assert having("is_choice") == {"single-choice", "multiple-choice", "yes-no"}
    assert having("offers_other") == {"single-choice", "multiple-choice"}
    assert having("has_options") == {"single-choice", "multiple-choice", "ranking"}
    assert having("is_free_text") == {"short-text", "long-text"}
    assert having("charted") == set(KINDS) - {"short-text", "long-text"}
    assert having("broken_down") == {"single-choice", "multiple-choice", "yes-no", "rating"}
    assert having("ranks") == {"ranking"} and having("averaged") == {"rating"}
    adds_up = {name for name, kind in KINDS.items() if kind.counts_add_up(Question(name, options=OPTIONS))}
    assert adds_up == {"single-choice", "yes-no", "rating"}
    assert kind_for("multiple-choice").counts_add_up(Question("multiple-choice", max_choices=1))


def test_tallies_add_up():
    total = sum([Tally(1, {"a1": 1}), Tally(1, {"a1": 1, "b2": 1}, {"a1": 2, "b2": 1})], Tally())
    assert total == Tally(2, {"a1": 2, "b2": 1}, {"a1": 2, "b2": 1})


# Single choice ---------------------------------------------------------------------------------------------------


def test_single_choice(request_context):
    question = Question("single-choice", options=OPTIONS, allow_other=True)
    kind = kind_for(question)
    assert answered(question, "b2") == (True, [], AnswerValue(choices=["b2"]))
    assert answered(question, OTHER, other="Libraries") == (True, [], AnswerValue([OTHER], text="Libraries"))
    assert answered(question, "zz")[:2] == (False, ["Choose one of the options shown."])
    assert answered(question)[:2] == (False, ["Please answer this question."])
    assert answered(question, final=False)[0]  # a draft may leave it empty
    assert kind.tally(question, ["b2"], None) == Tally(1, {"b2": 1})
    assert kind.tally(question, ["gone"], None) == Tally()
    labels = kind.export_labels(question, "es", "en")
    assert kind.export_cell(Answer(["a1"]), labels) == "Parques"
    assert kind.export_cell(Answer([OTHER], text="Bibliotecas"), labels) == "Other: Bibliotecas"
    assert kind.export_cell(None, labels) == ""
    assert kind.answer_lines(question, Answer([OTHER], text="Bibliotecas"), "en", "es") == ["Other: Bibliotecas"]
    assert kind.answer_lines(question, Answer(["c3"]), "es", "en") == ["Luces"]
    assert kind.answer_lines(question, None, "en", "es") == []
    assert kind.has_free_text([OTHER]) and not kind.has_free_text(["a1"])
    assert kind.details(question) == ["3 options", "with “Other (please specify)”"]


def test_other_is_refused_when_not_offered(request_context):
    question = Question("single-choice", options=OPTIONS)
    assert kind_for(question).other_field(question) is None
    assert answered(question, OTHER)[:2] == (False, ["Choose one of the options shown."])


# Multiple choice -------------------------------------------------------------------------------------------------


def test_multiple_choice(request_context):
    question = Question("multiple-choice", options=OPTIONS, max_choices=2)
    kind = kind_for(question)
    assert answered(question, "a1", "c3") == (True, [], AnswerValue(choices=["a1", "c3"]))
    assert answered(question, "a1", "b2", "c3")[:2] == (False, ["Choose at most 2 options."])
    assert answered(question, "a1", "zz")[:2] == (False, ["Choose one of the options shown."])
    assert kind.tally(question, ["c3", "a1", "a1"], None) == Tally(1, {"a1": 1, "c3": 1})
    assert kind.export_cell(Answer(["a1", "c3"]), kind.export_labels(question, "en", "es")) == "Parks; Lights"
    assert kind.answer_lines(question, Answer(["a1", "c3"]), "en", "es") == ["Parks", "Lights"]
    assert kind.form_data(Answer(["a1", "c3"])) == ["a1", "c3"]


# Yes or no -------------------------------------------------------------------------------------------------------


def test_yes_no(request_context):
    question = Question("yes-no")
    kind = kind_for(question)
    assert answered(question, "no") == (True, [], AnswerValue(choices=["no"]))
    assert answered(question, "maybe")[:2] == (False, ["Choose one of the options shown."])
    assert kind.answer_keys(question) == ["yes", "no"]
    assert kind.tally(question, ["yes"], None) == Tally(1, {"yes": 1})
    assert kind.export_cell(Answer(["yes"]), kind.export_labels(question, "en", "es")) == "Yes"
    assert kind.answer_lines(question, Answer(["no"]), "en", "es") == ["No"]
    assert kind.form_data(Answer(["no"])) == "no"


# Rating ----------------------------------------------------------------------------------------------------------


def test_rating(request_context):
    question = Question("rating", scale_min=0, scale_max=10)
    kind = kind_for(question)
    assert answered(question, "7") == (True, [], AnswerValue(number=7))
    assert answered(question, "11")[:2] == (False, ["Choose one of the options shown."])
    assert kind.answer_keys(question) == [str(n) for n in range(11)]
    assert kind.tally(question, [], 7) == Tally(1, {"7": 1})
    assert kind.tally(question, [], 11) == Tally() and kind.tally(question, [], None) == Tally()
    assert kind.export_cell(Answer(number=0), {}) == 0 and kind.export_cell(Answer(), {}) == ""
    assert kind.answer_lines(question, Answer(number=7), "en", "es") == ["7 on a scale from 0 to 10"]
    assert kind.answer_lines(question, Answer(), "en", "es") == []
    assert kind.form_data(Answer(number=7)) == "7"
    assert kind.details(question) == ["scale 0 to 10"]


def test_a_rating_without_a_scale_is_answered_from_1_to_5(request_context):
    question = Question("rating")
    assert answered(question, "5")[0] and not answered(question, "0")[0]


# Ranking ---------------------------------------------------------------------------------------------------------


def test_ranking(request_context):
    question = Question("ranking", options=OPTIONS, max_choices=2)
    kind = kind_for(question)
    assert answered(question, "c3:1", "a1:2") == (True, [], AnswerValue(choices=["c3", "a1"]))
    assert answered(question, "c3:1", "a1:1")[:2] == (False, ["Give each position to one option only."])
    assert answered(question, "c3:1", "a1:3")[:2] == (False, ["Use positions from 1 to 2."])
    assert answered(question, "c3:2")[:2] == (False, ["Use the positions in order from 1, without gaps."])
    assert answered(question, "zz:1")[:2] == (False, ["Choose positions only for the options shown."])
    assert kind.tally(question, ["c3", "a1"], None) == Tally(1, {"c3": 1, "a1": 1}, {"c3": 1, "a1": 2})
    assert kind.tally(question, ["gone"], None) == Tally()
    labels = kind.export_labels(question, "en", "es")
    assert kind.export_cell(Answer(["c3", "a1"]), labels) == "1. Lights; 2. Parks"
    assert kind.answer_lines(question, Answer(["c3", "a1"]), "en", "es") == ["1. Lights", "2. Parks"]
    assert kind.details(question) == ["3 options", "the top 2 put in order"]


# Free text -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "limit"), [("short-text", 200), ("long-text", 5000)])
def test_free_text(request_context, name, limit):
    question = Question(name)
    kind = kind_for(question)
    assert kind.max_length(question) == limit
    assert answered(question, "  More buses at night  ") == (True, [], AnswerValue(text="More buses at night"))
    too_long = f"Please keep it to {limit} characters or fewer (now {limit + 1})."
    assert answered(question, "x" * (limit + 1))[1] == [too_long]
    short = Question(name, max_length=10)
    assert answered(short, "x" * 11)[1] == ["Please keep it to 10 characters or fewer (now 11)."]
    assert kind.tally(question, [], None) == Tally(1)
    assert kind.has_free_text(None)
    assert kind.export_cell(Answer(text="=1+1"), {}) == "=1+1"  # the export neutralises formulas, for every cell
    assert kind.answer_lines(question, Answer(text="More buses"), "en", "es") == ["More buses"]
    assert kind.details(short) == ["up to 10 characters"]


# Builder settings ------------------------------------------------------------------------------------------------


def settings_form(name: str, options: int = 3, **sent):
    """The kind's builder fields, bound to what staff sent, on a form with `options` filled option rows."""
    kind = kind_for(name)
    fields = {}
    for code in ("en", "es"):
        fields |= kind.language_settings(code, code, code == "en")
    fields |= kind.settings_fields()
    form = type("SettingsForm", (Form,), fields)(MultiDict(sent))
    form.kind_type, form.filled_rows = kind, [object()] * options
    return form


@pytest.mark.parametrize(
    ("name", "sent", "errors"),
    [
        (
            "multiple-choice",
            {"max_choices": "4"},
            {"max_choices": ["Enter a number from 1 to 3, the number of options."]},
        ),
        ("multiple-choice", {"max_choices": "two"}, {"max_choices": ["Enter a whole number, for example 3."]}),
        ("ranking", {"rank_up_to": "1"}, {"rank_up_to": ["Enter a number from 2 to 3, the number of options."]}),
        (
            "rating",
            {"scale": "1-7", "low_label_en": "No", "high_label_en": "Yes"},
            {"scale": ["Choose 1 to 5 or 0 to 10."]},
        ),
        (
            "rating",
            {"scale": "1-5"},
            {
                "low_label_en": ["Say what the lowest number means, in en."],
                "high_label_en": ["Say what the highest number means, in en."],
            },
        ),
        ("short-text", {"max_length": "201"}, {"max_length": ["Enter a number from 1 to 200."]}),
        ("long-text", {}, {"max_length": ["Enter a number."]}),
    ],
)
def test_builder_settings_refused(request_context, name, sent, errors):
    form = settings_form(name, **sent)
    assert not form.validate()
    assert form.errors == errors


def test_builder_settings_saved(request_context):
    rating = settings_form(
        "rating", scale="0-10", low_label_en="Not at all", high_label_en="Very much", high_label_es="Mucho"
    )
    assert rating.validate()
    assert kind_for("rating").settings_values(rating, ["en", "es"]) == {
        "scale_min": 0,
        "scale_max": 10,
        "low_label": {"en": "Not at all", "es": ""},
        "high_label": {"en": "Very much", "es": "Mucho"},
    }
    choice = settings_form("multiple-choice", allow_other="y", max_choices="2")
    assert choice.validate()
    assert kind_for("multiple-choice").settings_values(choice, ["en"]) == {"allow_other": True, "max_choices": 2}
    ranking = settings_form("ranking", rank_up_to="")
    assert ranking.validate()
    assert kind_for("ranking").settings_values(ranking, ["en"]) == {"max_choices": None}
    assert kind_for("long-text").settings_defaults() == {"max_length": 2000}
    assert kind_for("rating").initial_settings(
        Question("rating", scale_min=0, scale_max=10, low_label={"en": "No"}), ["en"]
    ) == {"scale": "0-10", "low_label_en": "No", "high_label_en": ""}
