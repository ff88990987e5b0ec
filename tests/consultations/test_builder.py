"""Staff build a consultation's questions through their pages: add every kind, fix bad input, add option rows
with and without JavaScript, reorder, delete; questions lock once anyone answers; nobody else reaches them."""

import html as html_lib
import re

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation, option
from support import csrf_token, login, make_city, make_user, refused_pages, submit
from youth_portal.accounts.models import CityRoleName
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City
from youth_portal.consultations.models import Consultation, Question, QuestionKind
from youth_portal.extensions import db

XSS = "<script>alert(1)</script>"
MANAGE = "/cities/murcia/manage/consultations"
LOCKED = (
    "People have already answered. Changing questions now would change what they answered, so questions are locked."
)

TEXTS = {"prompt_es": "¿Qué espacio usas?", "prompt_en": "Which space do you use?", "help_es": "", "help_en": ""}


def rows(*labels: tuple[str, str], ids: tuple[str, ...] = ()) -> dict:
    """Option rows as the form posts them: (Spanish, English) labels, with the given ids first."""
    data = {}
    for index, (es, en) in enumerate(labels):
        data |= {
            f"options-{index}-id": ids[index] if index < len(ids) else "",
            f"options-{index}-label_es": es,
            f"options-{index}-label_en": en,
        }
    return data


THREE_ROWS = rows(("Parques", "Parks"), ("Bibliotecas", "Libraries"), ("", ""))

GOOD = {
    "single-choice": TEXTS | THREE_ROWS | {"allow_other": "y", "required": "y"},
    "multiple-choice": TEXTS | THREE_ROWS | {"max_choices": "2"},
    "yes-no": TEXTS | {"required": "y"},
    "rating": TEXTS
    | {
        "scale": "0-10",
        "low_label_es": "Nada",
        "low_label_en": "Not at all",
        "high_label_es": "Mucho",
        "high_label_en": "Very much",
    },
    "ranking": TEXTS | rows(("Empleo", "Jobs"), ("Vivienda", "Housing"), ("Transporte", "")) | {"rank_up_to": "2"},
    "short-text": TEXTS | {"max_length": "150"},
    "long-text": TEXTS | {"max_length": "3000"},
}


def city(slug: str = "murcia") -> City:
    return db.session.scalar(sa.select(City).where(City.slug == slug))


def yes_no(position: int, prompt: str) -> Question:
    return Question(position=position, kind=QuestionKind.YES_NO, prompt={"es": prompt, "en": prompt})


def consultation_with(app, questions: list[Question] | None = None, stage: str = "draft") -> int:
    with app.app_context():
        return make_consultation(city(), stage, questions=questions or []).id


def questions_of(app, consultation_id: int) -> list[Question]:
    with app.app_context():
        found = db.session.scalars(
            sa.select(Question).where(Question.consultation_id == consultation_id).order_by(Question.position)
        ).all()
        db.session.expunge_all()
        return found


def snapshot(app, consultation_id: int) -> list[tuple]:
    """Everything about the consultation's questions, to check that nothing changed."""
    return [
        (
            q.id,
            q.position,
            q.kind,
            q.required,
            q.prompt,
            q.help,
            q.options,
            q.allow_other,
            q.max_choices,
            q.scale_min,
            q.scale_max,
            q.low_label,
            q.high_label,
            q.max_length,
        )
        for q in questions_of(app, consultation_id)
    ]


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        found = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()
        db.session.expunge_all()
        return found


def error_beside(html: str, field_id: str) -> str:
    """The error message shown beside a field (empty if none)."""
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", match.group(1)).strip()) if match else ""


def value_of(html: str, field_id: str) -> str | None:
    match = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', html)
    if not match:
        return None
    value = re.search(r'value="([^"]*)"', match.group(0))
    return html_lib.unescape(value.group(1)) if value else ""


def option_rows(html: str) -> int:
    return len(re.findall(r'class="option-row"', html))


def questions_url(consultation_id: int) -> str:
    return f"{MANAGE}/{consultation_id}/questions"


# Adding ----------------------------------------------------------------------------------------------------------


def test_the_list_offers_every_kind_and_the_consultation_pages_link_to_it(app, staff):
    consultation_id = consultation_with(app)
    page = staff.get(questions_url(consultation_id))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "No questions yet" in html
    for label in (
        "Single choice",
        "Multiple choice",
        "Yes or no",
        "Rating scale",
        "Ranking",
        "Short text",
        "Long text",
    ):
        assert label in html
    assert f'action="{MANAGE}/{consultation_id}/questions/new"' in html and 'method="get"' in html
    assert 'name="kind" id="kind-rating" value="rating"' in html
    for page in (f"{MANAGE}/{consultation_id}/edit", MANAGE):
        assert f'href="{questions_url(consultation_id)}"' in staff.get(page).get_data(as_text=True), page


@pytest.mark.parametrize("kind", list(GOOD))
def test_staff_add_each_kind_and_it_appears_last_on_the_list(app, staff, kind):
    consultation_id = consultation_with(app, [yes_no(1, "¿Vives aquí?")])
    new_url = f"{questions_url(consultation_id)}/new?kind={kind}"
    page = staff.get(new_url)
    assert page.status_code == 200
    assert 'id="prompt_es"' in page.get_data(as_text=True)

    response = submit(staff, new_url, GOOD[kind])

    assert response.status_code == 302
    first, added = questions_of(app, consultation_id)
    assert response.headers["Location"].endswith(f"{questions_url(consultation_id)}#question-{added.id}")
    assert (first.position, added.position) == (1, 2)
    assert added.kind == QuestionKind(kind)
    assert added.prompt == {"es": "¿Qué espacio usas?", "en": "Which space do you use?"}
    assert added.help == {}
    [event] = events(app, "consultation.question_added")
    assert (event.target_type, event.target_id) == ("consultations", consultation_id)
    assert event.detail == {"question_id": added.id, "kind": kind}
    assert event.city_id is not None and event.actor_id is not None

    html = staff.get(questions_url(consultation_id)).get_data(as_text=True)
    assert "The question was added." in html
    assert html.index("Question 1: ¿Vives aquí?") < html.index("Question 2: Which space do you use?")
    assert f'id="question-{added.id}"' in html


def test_what_each_kind_saves(app, staff):
    consultation_id = consultation_with(app)
    for kind, data in GOOD.items():
        assert submit(staff, f"{questions_url(consultation_id)}/new?kind={kind}", data).status_code == 302
    single, multiple, yes_no_q, rating, ranking, short, long = questions_of(app, consultation_id)

    assert [q.position for q in (single, multiple, yes_no_q, rating, ranking, short, long)] == [1, 2, 3, 4, 5, 6, 7]
    assert single.required and single.allow_other and single.max_choices is None
    assert [o["label"] for o in single.options] == [
        {"es": "Parques", "en": "Parks"},
        {"es": "Bibliotecas", "en": "Libraries"},
    ]  # empty row left out
    assert all(re.fullmatch(r"[0-9a-f]{6}", o["id"]) for o in single.options)
    assert len({o["id"] for o in single.options}) == 2
    assert not multiple.required and multiple.max_choices == 2 and not multiple.allow_other
    assert yes_no_q.required and yes_no_q.options == []
    assert (rating.scale_min, rating.scale_max) == (0, 10)
    assert rating.low_label == {"es": "Nada", "en": "Not at all"}
    assert rating.high_label == {"es": "Mucho", "en": "Very much"}
    assert ranking.max_choices == 2 and ranking.options[2]["label"] == {"es": "Transporte"}
    assert not ranking.allow_other
    assert (short.max_length, long.max_length) == (150, 3000)

    html = staff.get(questions_url(consultation_id)).get_data(as_text=True)
    assert "with “Other (please specify)”" in html
    assert "at most 2 choices" in html and "scale 0 to 10" in html and "up to 150 characters" in html
    # The missing English label of the third ranking option is flagged.
    assert "Not yet translated into English: options." in html
    assert "Option 3 not yet translated." in html


def test_a_new_question_starts_with_three_empty_rows_and_sensible_limits(app, staff):
    consultation_id = consultation_with(app)
    html = staff.get(f"{questions_url(consultation_id)}/new?kind=single-choice").get_data(as_text=True)
    assert option_rows(html) == 3
    assert value_of(html, "options-0-label_es") == "" and value_of(html, "options-2-label_en") == ""
    assert "Option 1 (Spanish)" in html and "Option 3 (English)" in html
    short = staff.get(f"{questions_url(consultation_id)}/new?kind=short-text").get_data(as_text=True)
    assert value_of(short, "max_length") == "200"
    assert staff.get(f"{questions_url(consultation_id)}/new?kind=essay").status_code == 404
    assert staff.get(f"{questions_url(consultation_id)}/new").status_code == 404


# Bad input -------------------------------------------------------------------------------------------------------


BAD = [
    ("yes-no", {"prompt_es": ""}, "prompt_es", "Write the question in Spanish."),
    ("single-choice", {"prompt_es": "x" * 501}, "prompt_es", "Use at most 500 characters."),
    ("single-choice", rows(("Parques", "Parks"), ("", ""), ("", "")), "options", "Give at least two options."),
    ("ranking", rows(("", "Jobs"), ("", ""), ("", "")), "options", "Give at least two options."),
    (
        "single-choice",
        rows(("Parques", "Parks"), ("Plazas", "parks"), ("", "")),
        "options",
        "Two options have the same words in English: results could not tell them apart. Give each option its own.",
    ),
    (
        "single-choice",
        rows(("Parques", "Parks"), ("", "Libraries"), ("", "")),
        "options-1-label_es",
        "Write this option in Spanish too.",
    ),
    ("multiple-choice", {"max_choices": "3"}, "max_choices", "Enter a number from 1 to 2, the number of options."),
    ("multiple-choice", {"max_choices": "0"}, "max_choices", "Enter a number from 1 to 2, the number of options."),
    ("multiple-choice", {"max_choices": "two"}, "max_choices", "Enter a whole number, for example 3."),
    ("ranking", {"rank_up_to": "1"}, "rank_up_to", "Enter a number from 2 to 3, the number of options."),
    ("ranking", {"rank_up_to": "4"}, "rank_up_to", "Enter a number from 2 to 3, the number of options."),
    ("rating", {"scale": "1-7"}, "scale", "Choose 1 to 5 or 0 to 10."),
    ("rating", {"scale": ""}, "scale", "Choose 1 to 5 or 0 to 10."),
    ("rating", {"low_label_es": ""}, "low_label_es", "Say what the lowest number means, in Spanish."),
    ("short-text", {"max_length": "201"}, "max_length", "Enter a number from 1 to 200."),
    ("short-text", {"max_length": ""}, "max_length", "Enter a number."),
    ("long-text", {"max_length": "5001"}, "max_length", "Enter a number from 1 to 5000."),
    ("long-text", {"max_length": "0"}, "max_length", "Enter a number from 1 to 5000."),
]


@pytest.mark.parametrize(("kind", "change", "field_id", "message"), BAD)
def test_bad_input_is_shown_beside_the_field_everything_typed_is_kept_and_nothing_is_written(
    app, staff, kind, change, field_id, message
):
    consultation_id = consultation_with(app)
    data = GOOD[kind] | {"prompt_en": "Typed <kept>", "help_es": "Ayuda escrita"} | change

    response = submit(staff, f"{questions_url(consultation_id)}/new?kind={kind}", data)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(html, field_id) == message
    assert "Please correct the highlighted fields." in html
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert f"{field_id}-error" in links and all(f'id="{target}"' in html for target in links)
    assert value_of(html, "prompt_en") == "Typed <kept>"
    assert "Typed &lt;kept&gt;" in html
    assert "Ayuda escrita</textarea>" in html
    for name, value in data.items():
        if (name.startswith("options-") and not name.endswith("-id")) or name in (
            "max_choices",
            "rank_up_to",
            "max_length",
            "low_label_en",
        ):
            assert value_of(html, name) == value, name
    if kind == "rating":
        assert re.search(r'checked[^>]*value="0-10"|value="0-10"[^>]*checked', html) or "scale" in change
    assert questions_of(app, consultation_id) == []
    assert events(app, "consultation.question_added") == []


def test_checkboxes_are_kept_as_ticked_after_bad_input(app, staff):
    consultation_id = consultation_with(app)
    data = GOOD["single-choice"] | {"prompt_es": ""}
    html = submit(staff, f"{questions_url(consultation_id)}/new?kind=single-choice", data).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*id="allow_other"|<input[^>]*id="allow_other"[^>]*checked', html)
    assert re.search(r'<input[^>]*checked[^>]*id="required"|<input[^>]*id="required"[^>]*checked', html)


# Option rows: without JavaScript, with htmx, and their ids -------------------------------------------------------


def test_add_another_option_without_javascript_gives_one_more_row_and_keeps_what_was_typed(app, staff):
    consultation_id = consultation_with(app)
    url = f"{questions_url(consultation_id)}/new?kind=multiple-choice"
    data = TEXTS | rows(("Deporte", "Sport"), ("Música", ""), ("", "Study")) | {"max_choices": "9", "add_option": "1"}

    response = submit(staff, url, data)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>" in html and 'id="prompt_es"' in html  # the whole page
    assert option_rows(html) == 4
    assert value_of(html, "options-3-label_es") == ""
    assert re.search(r'<input[^>]*autofocus[^>]*id="options-3-label_es"|id="options-3-label_es"[^>]*autofocus', html)
    assert value_of(html, "options-0-label_en") == "Sport"
    assert value_of(html, "options-1-label_es") == "Música"
    assert value_of(html, "options-2-label_en") == "Study"
    assert value_of(html, "max_choices") == "9"
    assert value_of(html, "prompt_en") == "Which space do you use?"
    assert "Please correct" not in html and 'class="error"' not in html  # adding a row is not saving
    assert response.headers["Vary"] and "HX-Request" in response.headers["Vary"]
    assert questions_of(app, consultation_id) == []


def test_add_another_option_with_htmx_returns_only_the_options_fieldset(app, staff):
    consultation_id = consultation_with(app)
    url = f"{questions_url(consultation_id)}/new?kind=ranking"
    page = staff.get(url).get_data(as_text=True)
    assert f'hx-post="{url}"' in html_lib.unescape(page)
    assert 'hx-target="#kind-settings"' in page and 'name="add_option"' in page
    data = TEXTS | rows(("Empleo", "Jobs"), ("", ""), ("", "")) | {"add_option": "1"}

    response = staff.post(url, data={"csrf_token": csrf_token(staff, url), **data}, headers={"HX-Request": "true"})

    fragment = response.get_data(as_text=True).strip()
    assert response.status_code == 200
    assert fragment.startswith('<fieldset id="kind-settings"')
    assert fragment.endswith("</fieldset>")
    assert "<h1>" not in fragment and "<html" not in fragment and 'id="prompt_es"' not in fragment
    assert option_rows(fragment) == 4
    assert value_of(fragment, "options-0-label_en") == "Jobs"
    assert "HX-Request" in response.headers["Vary"]
    assert questions_of(app, consultation_id) == []


def test_rows_stop_at_the_most_a_question_may_have(app, staff):
    consultation_id = consultation_with(app)
    url = f"{questions_url(consultation_id)}/new?kind=single-choice"
    data = TEXTS | rows(*[(f"Opción {n}", "") for n in range(20)]) | {"add_option": "1"}
    html = submit(staff, url, data).get_data(as_text=True)
    assert option_rows(html) == 20
    assert "A question can have at most 20 options." in html
    assert 'name="add_option"' not in html


def choice_question() -> Question:
    return Question(
        position=1,
        kind=QuestionKind.SINGLE_CHOICE,
        prompt={"es": "¿Qué espacio?", "fr": "Quel espace ?"},
        options=[option("park", "Parks", es="Parques", fr="Parcs"), option("library", "Libraries", es="Bibliotecas")],
    )


def test_option_ids_stay_the_same_across_an_edit(app, staff):
    consultation_id = consultation_with(app, [choice_question()])
    [question] = questions_of(app, consultation_id)
    url = f"{questions_url(consultation_id)}/{question.id}/edit"
    html = staff.get(url).get_data(as_text=True)
    assert value_of(html, "options-0-id") == "park" and value_of(html, "options-1-id") == "library"
    assert value_of(html, "options-0-label_es") == "Parques" and value_of(html, "options-2-id") == ""
    assert option_rows(html) == 3

    # Libraries moved first and renamed, a new option added, Parks kept.
    data = TEXTS | rows(
        ("Bibliotecas y salas", "Libraries and rooms"),
        ("Parques", "Parks"),
        ("Plazas", "Squares"),
        ids=("library", "park"),
    )
    assert submit(staff, url, data).status_code == 302

    [question] = questions_of(app, consultation_id)
    assert [o["id"] for o in question.options[:2]] == ["library", "park"]
    assert question.options[0]["label"] == {"es": "Bibliotecas y salas", "en": "Libraries and rooms"}
    # A language the city no longer offers keeps its text.
    assert question.options[1]["label"] == {"es": "Parques", "en": "Parks", "fr": "Parcs"}
    assert question.prompt == {"es": "¿Qué espacio usas?", "en": "Which space do you use?", "fr": "Quel espace ?"}
    new_id = question.options[2]["id"]
    assert re.fullmatch(r"[0-9a-f]{6}", new_id)
    [event] = events(app, "consultation.question_changed")
    assert (event.target_type, event.target_id) == ("consultations", consultation_id)
    assert event.detail == {"question_id": question.id, "changed": ["options", "prompt"]}

    # Saved again as shown: nothing changes, the new option keeps its id too.
    html = staff.get(url).get_data(as_text=True)
    assert value_of(html, "options-2-id") == new_id
    data = TEXTS | rows(
        ("Bibliotecas y salas", "Libraries and rooms"),
        ("Parques", "Parks"),
        ("Plazas", "Squares"),
        ids=("library", "park", new_id),
    )
    assert submit(staff, url, data).status_code == 302
    assert [o["id"] for o in questions_of(app, consultation_id)[0].options] == ["library", "park", new_id]
    assert len(events(app, "consultation.question_changed")) == 1


def test_adding_a_row_while_editing_keeps_the_ids(app, staff):
    consultation_id = consultation_with(app, [choice_question()])
    [question] = questions_of(app, consultation_id)
    url = f"{questions_url(consultation_id)}/{question.id}/edit"
    data = (
        TEXTS | rows(("Parques", "Parks"), ("Bibliotecas", ""), ("", ""), ids=("park", "library")) | {"add_option": "1"}
    )
    html = submit(staff, url, data).get_data(as_text=True)
    assert option_rows(html) == 4
    assert [value_of(html, f"options-{n}-id") for n in range(4)] == ["park", "library", "", ""]


@pytest.mark.parametrize("ids", [("park", "invented"), ("park", "park"), ("park", "other")])
def test_a_posted_option_id_that_the_question_does_not_have_is_refused(app, staff, ids):
    consultation_id = consultation_with(app, [choice_question()])
    [question] = questions_of(app, consultation_id)
    before = snapshot(app, consultation_id)
    url = f"{questions_url(consultation_id)}/{question.id}/edit"
    data = TEXTS | rows(("Parques", "Parks"), ("Nueva", "New"), ids=ids)

    response = submit(staff, url, data)

    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "options") == (
        "An option was not recognised. Open the question again and retype your changes."
    )
    assert snapshot(app, consultation_id) == before
    assert events(app, "consultation.question_changed") == []


def test_a_new_question_accepts_no_option_id_at_all(app, staff):
    consultation_id = consultation_with(app)
    data = TEXTS | rows(("Parques", "Parks"), ("Bibliotecas", "Libraries"), ids=("park",))
    response = submit(staff, f"{questions_url(consultation_id)}/new?kind=single-choice", data)
    assert response.status_code == 422
    assert questions_of(app, consultation_id) == []


def test_editing_keeps_the_kind_and_empties_what_it_does_not_use(app, staff):
    consultation_id = consultation_with(
        app,
        [
            Question(
                position=1,
                kind=QuestionKind.RATING,
                prompt={"es": "¿Cuánto?"},
                scale_min=1,
                scale_max=5,
                low_label={"es": "Poco"},
                high_label={"es": "Mucho"},
            )
        ],
    )
    [question] = questions_of(app, consultation_id)
    url = f"{questions_url(consultation_id)}/{question.id}/edit"
    html = staff.get(url).get_data(as_text=True)
    assert "Edit question 1 (Rating scale)" in html
    assert value_of(html, "low_label_es") == "Poco"
    assert re.search(r'checked[^>]*value="1-5"|value="1-5"[^>]*checked', html)
    data = GOOD["rating"] | {"scale": "1-5", "max_length": "10", **rows(("A", "A"), ("B", "B"))}
    assert submit(staff, url, data).status_code == 302
    [question] = questions_of(app, consultation_id)
    assert question.kind == QuestionKind.RATING
    assert (question.scale_min, question.scale_max, question.max_length, question.options) == (1, 5, None, [])


# Reorder and delete ----------------------------------------------------------------------------------------------


def three_questions(app) -> tuple[int, list[int]]:
    consultation_id = consultation_with(app, [yes_no(1, "Uno"), yes_no(2, "Dos"), yes_no(3, "Tres")])
    return consultation_id, [q.id for q in questions_of(app, consultation_id)]


def prompts(app, consultation_id: int) -> list[tuple[int, str]]:
    return [(q.position, q.prompt["es"]) for q in questions_of(app, consultation_id)]


def test_move_up_and_down_swap_neighbours_without_javascript(app, staff):
    consultation_id, (one, two, three) = three_questions(app)
    list_url = questions_url(consultation_id)
    html = staff.get(list_url).get_data(as_text=True)
    assert html.count('name="direction" value="up"') == 2 and html.count('name="direction" value="down"') == 2

    response = submit(staff, f"{list_url}/{three}/move", {"direction": "up"}, page=list_url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#question-{three}")
    assert prompts(app, consultation_id) == [(1, "Uno"), (2, "Tres"), (3, "Dos")]
    assert "The question is now number 2." in staff.get(list_url).get_data(as_text=True)

    submit(staff, f"{list_url}/{one}/move", {"direction": "down"}, page=list_url)
    assert prompts(app, consultation_id) == [(1, "Tres"), (2, "Uno"), (3, "Dos")]
    [first, second] = events(app, "consultation.questions_reordered")
    assert (first.target_type, first.target_id) == ("consultations", consultation_id)
    assert first.detail == {"question_id": three, "direction": "up", "order": [one, three, two]}
    assert second.detail["order"] == [three, one, two]

    # At either end nothing moves and nothing is recorded.
    submit(staff, f"{list_url}/{three}/move", {"direction": "up"}, page=list_url)
    submit(staff, f"{list_url}/{two}/move", {"direction": "down"}, page=list_url)
    assert prompts(app, consultation_id) == [(1, "Tres"), (2, "Uno"), (3, "Dos")]
    assert len(events(app, "consultation.questions_reordered")) == 2
    assert submit(staff, f"{list_url}/{two}/move", {"direction": "sideways"}, page=list_url).status_code == 400


def test_deleting_keeps_positions_one_to_n(app, staff):
    consultation_id, (one, two, _three) = three_questions(app)
    list_url = questions_url(consultation_id)

    response = submit(staff, f"{list_url}/{two}/delete", page=list_url)

    assert response.status_code == 302
    assert prompts(app, consultation_id) == [(1, "Uno"), (2, "Tres")]
    [event] = events(app, "consultation.question_deleted")
    assert (event.target_type, event.target_id) == ("consultations", consultation_id)
    assert event.detail == {"question_id": two, "kind": "yes-no"}
    html = staff.get(list_url).get_data(as_text=True)
    assert "The question was deleted." in html and "Question 2: Tres" in html

    submit(staff, f"{list_url}/{one}/delete", page=list_url)
    assert prompts(app, consultation_id) == [(1, "Tres")]
    # A question added after deletions goes right after the last one.
    submit(staff, f"{list_url}/new?kind=yes-no", TEXTS)
    assert [p for p, _ in prompts(app, consultation_id)] == [1, 2]


def test_a_question_of_another_consultation_is_not_found(app, staff):
    consultation_id, _ = three_questions(app)
    other_id, (other_question, *_) = three_questions(app)
    list_url = questions_url(consultation_id)
    assert staff.get(f"{list_url}/{other_question}/edit").status_code == 404
    assert submit(staff, f"{list_url}/{other_question}/delete", page=list_url).status_code == 404
    assert len(questions_of(app, other_id)) == 3


# Lock ------------------------------------------------------------------------------------------------------------


def answered(app, stage: str = "open", submitted: bool = False) -> tuple[int, list[int]]:
    """A consultation with two questions and one response (a draft unless `submitted`)."""
    consultation_id = consultation_with(app, [yes_no(1, "Uno"), yes_no(2, "Dos")], stage=stage)
    with app.app_context():
        young = make_user("young@example.org", city=city())
        add_response(
            db.session.get(Consultation, consultation_id), young, {1: {"choices": ["yes"]}}, submitted=submitted
        )
    return consultation_id, [q.id for q in questions_of(app, consultation_id)]


@pytest.mark.parametrize("submitted", [False, True])
def test_questions_lock_after_the_first_response_and_staff_are_told_why(app, staff, submitted):
    consultation_id, (one, two) = answered(app, submitted=submitted)
    list_url = questions_url(consultation_id)
    before = snapshot(app, consultation_id)
    token = csrf_token(staff, list_url)

    html = staff.get(list_url).get_data(as_text=True)
    assert LOCKED in html
    assert "Uno" in html and "Dos" in html
    assert f"{list_url}/{one}/edit" not in html and f"{list_url}/{two}/edit" not in html
    assert 'name="direction"' not in html and "/delete" not in html and "Add a question" not in html
    for page in (f"{list_url}/new?kind=yes-no", f"{list_url}/{one}/edit"):
        assert LOCKED in staff.get(page).get_data(as_text=True)

    attempts = [
        (f"{list_url}/new?kind=yes-no", TEXTS),
        (f"{list_url}/new?kind=single-choice", TEXTS | THREE_ROWS | {"add_option": "1"}),
        (f"{list_url}/{one}/edit", TEXTS | {"prompt_es": "Cambiado"}),
        (f"{list_url}/{one}/delete", {}),
        (f"{list_url}/{two}/move", {"direction": "up"}),
    ]
    for url, data in attempts:
        response = staff.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 409, url
        assert LOCKED in response.get_data(as_text=True), url

    assert snapshot(app, consultation_id) == before
    for action in ("question_added", "question_changed", "question_deleted", "questions_reordered"):
        assert events(app, f"consultation.{action}") == []


@pytest.mark.parametrize("stage", ["closed", "outcome-published", "archived"])
def test_questions_of_a_closed_consultation_cannot_change_even_without_answers(app, staff, stage):
    consultation_id = consultation_with(app, [yes_no(1, "Uno"), yes_no(2, "Dos")], stage=stage)
    list_url = questions_url(consultation_id)
    [one, _] = [q.id for q in questions_of(app, consultation_id)]
    before = snapshot(app, consultation_id)
    assert "The consultation has closed, so its questions can no longer change." in staff.get(list_url).get_data(
        as_text=True
    )
    response = submit(staff, f"{list_url}/{one}/move", {"direction": "down"}, page=list_url)
    assert response.status_code == 409
    assert submit(staff, f"{list_url}/new?kind=yes-no", TEXTS, page=list_url).status_code == 409
    assert snapshot(app, consultation_id) == before


def test_an_open_consultation_nobody_answered_yet_can_still_change(app, staff):
    consultation_id = consultation_with(app, [yes_no(1, "Uno")], stage="open")
    list_url = questions_url(consultation_id)
    assert "Questions are locked" not in staff.get(list_url).get_data(as_text=True)
    assert submit(staff, f"{list_url}/new?kind=yes-no", TEXTS).status_code == 302


# Who may ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff of another city", "resident", "moderator"])
def test_nobody_but_the_citys_staff_reaches_the_builder(app, client, who):
    with app.app_context():
        murcia = make_city("murcia")
        beirut = make_city("beirut", default_language="ar", languages=["ar", "en"], timezone="Asia/Beirut")
        consultation = make_consultation(murcia, "draft", questions=[yes_no(1, "Uno"), yes_no(2, "Dos")])
        consultation_id, question_id = consultation.id, consultation.questions[1].id
        if who == "staff of another city":
            make_user("other@example.org", city=beirut, city_role=CityRoleName.STAFF)
        elif who == "moderator":
            make_user("other@example.org", city=murcia, city_role=CityRoleName.MODERATOR)
        else:
            make_user("other@example.org", city=murcia)
    login(client, "other@example.org")
    before = snapshot(app, consultation_id)
    list_url = questions_url(consultation_id)
    token = csrf_token(client, "/")

    for url in (list_url, f"{list_url}/new?kind=yes-no", f"{list_url}/{question_id}/edit"):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (f"{list_url}/new?kind=yes-no", TEXTS),
        (f"{list_url}/{question_id}/edit", TEXTS),
        (f"{list_url}/{question_id}/delete", {}),
        (f"{list_url}/{question_id}/move", {"direction": "up"}),
    ):
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 404, url
    # Not under the other city's address either.
    assert client.get(f"/cities/beirut/manage/consultations/{consultation_id}/questions").status_code == 404

    assert snapshot(app, consultation_id) == before
    with app.app_context():
        murcia = db.session.scalar(sa.select(City.id).where(City.slug == "murcia"))
        assert refused_pages(murcia) == 7


def test_staff_of_another_city_cannot_reach_it_through_their_own_city(app, staff):
    with app.app_context():
        beirut = make_city("beirut", default_language="ar", languages=["ar", "en"], timezone="Asia/Beirut")
        consultation_id = make_consultation(beirut, "draft", questions=[yes_no(1, "Uno")]).id
    assert staff.get(questions_url(consultation_id)).status_code == 404


def test_a_city_admin_may_build_questions(app, client):
    with app.app_context():
        murcia = make_city("murcia")
        make_user("admin@example.org", city=murcia, city_role=CityRoleName.CITY_ADMIN)
        consultation_id = make_consultation(murcia, "draft", questions=[]).id
    login(client, "admin@example.org")
    assert submit(client, f"{questions_url(consultation_id)}/new?kind=yes-no", TEXTS).status_code == 302
    with app.app_context():
        [question] = db.session.get(Consultation, consultation_id).questions
        assert (question.kind, question.prompt["en"]) == (QuestionKind.YES_NO, "Which space do you use?")


def test_posts_without_the_csrf_token_are_refused(app, staff):
    consultation_id, (one, two, _) = three_questions(app)
    list_url = questions_url(consultation_id)
    before = snapshot(app, consultation_id)
    for url, data in (
        (f"{list_url}/new?kind=yes-no", TEXTS),
        (f"{list_url}/{one}/edit", TEXTS),
        (f"{list_url}/{one}/delete", {}),
        (f"{list_url}/{two}/move", {"direction": "up"}),
        (f"{list_url}/new?kind=single-choice", TEXTS | THREE_ROWS | {"add_option": "1"}),
    ):
        assert staff.post(url, data=data).status_code == 400, url
    assert snapshot(app, consultation_id) == before


def test_typed_html_is_shown_as_text_on_the_list(app, staff):
    consultation_id = consultation_with(app)
    data = GOOD["single-choice"] | {
        "prompt_es": XSS,
        "help_en": XSS,
        "options-0-label_es": XSS,
        "options-1-label_en": XSS,
    }
    assert submit(staff, f"{questions_url(consultation_id)}/new?kind=single-choice", data).status_code == 302
    [question] = questions_of(app, consultation_id)
    assert question.prompt["es"] == XSS and question.options[0]["label"]["es"] == XSS

    for url in (questions_url(consultation_id), f"{questions_url(consultation_id)}/{question.id}/edit"):
        html = staff.get(url).get_data(as_text=True)
        assert XSS not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
