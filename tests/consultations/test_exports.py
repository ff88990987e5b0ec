"""Exports for staff through HTTP: the CSV streamed in batches (anonymous mode keeps no identity, formulas are
neutralised) and the JSON summary (aggregates, approved quotes, suppressed breakdowns); audited; city-bound."""

import csv
import io
import json
import re
import types

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from consultation_support import OTHER_STAFF, XSS, city, events, every_kind, people, signed_in, urls
from support import make_user
from youth_portal.consultations.models import Answer, Question, QuestionKind, ResponseMode
from youth_portal.consultations.results import exports
from youth_portal.extensions import db

FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+2",
    "-3+4",
    "@SUM(A1:A2)",
    "\tstarts with a tab",
    "\rstarts with a return",
]


def read_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # spreadsheets then read it as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_has_one_row_per_submitted_response_and_one_column_per_question(app, client, cities):
    consultation_id = every_kind(app, "closed")
    response = signed_in(client).get(urls(consultation_id)["csv"])
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f'filename="consultation-{consultation_id}-responses.csv"' in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "Which space matters most?",
        "What would you use?",
        "Do you feel safe at night?",
        "How welcome do you feel?",
        "Rank these priorities",
        "One word for your city",
        "What should change?",
    ]
    assert len(rows) == 1 + 4  # the draft is left out
    assert sorted(rows[1:]) == sorted(
        [
            ["Parks", "Sport; Music", "Yes", "5", "1. Jobs; 2. Housing", "Green", "More benches"],
            ["Parks", "Music", "No", "3", "1. Housing; 2. Jobs", "Loud", ""],
            ["Other: Skate park", "Study rooms", "Yes", "4", "1. Jobs", "", XSS],
            ["Libraries", "", "Yes", "", "", "", ""],
        ]
    )
    with app.app_context():
        [event] = events("consultation.exported")
        assert (event.target_type, event.target_id) == ("consultations", consultation_id)
        assert event.detail == {"format": "csv"}
        assert event.actor_id is not None and event.city_id is not None


def test_the_csv_is_streamed_in_batches(app, client, cities, monkeypatch):
    consultation_id = every_kind(app, "closed")
    monkeypatch.setattr(exports, "BATCH", 2)  # four responses, seven answers each: many batches
    response = signed_in(client).get(urls(consultation_id)["csv"])
    assert response.is_streamed and not isinstance(response.response, (list, tuple, bytes))
    chunks = [chunk.decode() for chunk in response.response]
    assert len(chunks) == 1 + 4  # one chunk per line, produced as the rows arrive
    rows = list(csv.reader(io.StringIO("".join(chunks)[1:])))
    assert len(rows) == 5 and sorted(r[0] for r in rows[1:]) == ["Libraries", "Other: Skate park", "Parks", "Parks"]


def test_the_csv_generator_fetches_with_yield_per(app, cities):
    """Constant memory: the answers are read through a batched (yield_per) result, never loaded at once."""
    consultation_id = every_kind(app, "closed")
    with app.test_request_context(), app.app_context():
        from youth_portal.consultations.models import Consultation

        consultation = db.session.get(Consultation, consultation_id)
        lines = exports.csv_lines(consultation_id, "en")
        assert isinstance(lines, types.GeneratorType)
        result = exports._response_rows(consultation, identified=False)
        assert result.context.execution_options.get("yield_per") == exports.BATCH
        result.close()
        assert len(list(lines)) == 5


def test_anonymous_csv_has_no_names_ids_emails_or_times(app, client, cities):
    consultation_id = every_kind(app, "closed")
    text = signed_in(client).get(urls(consultation_id)["csv"]).get_data(as_text=True)
    for identity in ("Respondent", "respondent-", "@example.org", "Display name", "Submitted"):
        assert identity not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text) and not re.search(r"\d{1,2}:\d{2}", text)
    assert "Age band" not in text and "District" not in text


def test_anonymous_csv_rows_come_in_a_random_order(app, client, cities):
    with app.app_context():
        made = make_consultation(city(), "closed")
        for i, person in enumerate(people(30, prefix="shuffled")):
            add_response(made, person, {6: {"text": f"answer {i:02d}"}, 7: {"text": f"more {i:02d}"}})
        consultation_id = made.id
    signed_in(client)
    orders = set()
    for _ in range(4):
        rows = read_csv(client.get(urls(consultation_id)["csv"]))
        texts = [row[5] for row in rows[1:]]
        assert sorted(texts) == [f"answer {i:02d}" for i in range(30)]
        # Each person's answers stay on their row, whatever the order.
        assert all(row[6] == row[5].replace("answer", "more") for row in rows[1:])
        orders.add(tuple(texts))
    # Not the order of writing, and not the same twice (4 orders of 30 rows: a repeat is vanishingly rare).
    assert tuple(f"answer {i:02d}" for i in range(30)) not in orders
    assert len(orders) == 4


def test_identified_csv_names_the_respondents(app, client, cities):
    consultation_id = every_kind(app, "closed", mode=ResponseMode.IDENTIFIED)
    rows = read_csv(signed_in(client).get(urls(consultation_id)["csv"]))
    assert rows[0][:5] == ["Display name", "Submitted", "Age band", "Gender", "District"]
    assert sorted(row[0] for row in rows[1:]) == ["Respondent0", "Respondent1", "Respondent2", "Respondent3"]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row[1]) for row in rows[1:])
    assert all(row[2] == "18-24" for row in rows[1:])


def test_formulas_are_neutralised_in_every_cell(app, client, cities):
    with app.app_context():
        made = make_consultation(
            city(),
            "closed",
            mode=ResponseMode.IDENTIFIED,
            questions=[
                Question(position=1, kind=QuestionKind.SHORT_TEXT, prompt={"en": "=Question as formula"}),
                Question(
                    position=2,
                    kind=QuestionKind.SINGLE_CHOICE,
                    prompt={"en": "Pick"},
                    allow_other=True,
                    options=[{"id": "a", "label": {"en": "@option"}}],
                ),
            ],
        )
        for i, formula in enumerate(FORMULAS):
            [person] = people(1, prefix=f"formula{i}")
            person.display_name = "=cmd|' /C calc'!A0" if i == 0 else person.display_name
            db.session.commit()
            add_response(made, person, {1: {"text": formula}, 2: {"choices": ["a"]}})
        consultation_id = made.id
    rows = read_csv(signed_in(client).get(urls(consultation_id)["csv"]))
    assert rows[0][5] == "'=Question as formula"
    assert sorted(row[5] for row in rows[1:]) == sorted("'" + f for f in FORMULAS)
    assert all(row[6] == "'@option" for row in rows[1:])
    assert "'=cmd|' /C calc'!A0" in [row[0] for row in rows[1:]]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_json_summary_gives_aggregates_and_approved_quotes_without_identities(app, client, cities):
    consultation_id = every_kind(app, "closed", ask_gender=True)
    with app.app_context():
        loud = db.session.scalar(sa.select(Answer).where(Answer.text == "Loud"))
        loud.quote_approved_at = loud.response.submitted_at
        db.session.commit()
    response = signed_in(client).get(urls(consultation_id)["json"])
    assert response.status_code == 200 and response.mimetype == "application/json"
    text = response.get_data(as_text=True)
    summary = json.loads(text)
    assert summary["consultation"]["responses"] == 4 and summary["consultation"]["mode"] == "anonymous"
    assert summary["suppression"]["k"] == 10
    assert "the overall counts are exact, those below 10 included" in summary["suppression"]["note"]
    questions = {q["position"]: q for q in summary["questions"]}
    assert [(o["id"], o["count"], o["percent"]) for o in questions[1]["options"]] == [
        ("park", 2, 50.0),
        ("library", 1, 25.0),
        ("other", 1, 25.0),
    ]
    assert questions[4]["average"] == 4.0
    assert [(r["id"], r["average_position"], r["ranked_by"]) for r in questions[5]["ranking"]] == [
        ("jobs", 1.3, 3),
        ("housing", 1.5, 2),
        ("transport", None, 0),
    ]
    assert questions[6] == {
        "id": questions[6]["id"],
        "position": 6,
        "kind": "short-text",
        "prompt": "One word for your city",
        "answered": 2,
        "texts": 2,
        "approved_quotes": ["Loud"],
    }
    assert questions[7]["approved_quotes"] == []
    # Four people, all 18-24: every breakdown is suppressed or withheld, never shown in small numbers.
    for question in summary["questions"]:
        for breakdown in question.get("breakdowns", {}).values():
            if breakdown is None:
                continue
            for row in breakdown["rows"]:
                assert all(cell["count"] in (None, 0) for cell in row["cells"])
    for identity in ("Respondent", "respondent-", "@example.org", "user_id", "Green", "More benches"):
        assert identity not in text
    with app.app_context():
        [event] = events("consultation.exported")
        assert (event.target_type, event.target_id) == ("consultations", consultation_id)
        assert event.detail == {"format": "json"}


@pytest.mark.parametrize("export", ["csv", "json"])
def test_staff_of_another_city_cannot_export(app, client, cities, export):
    consultation_id = every_kind(app, "closed")
    other = signed_in(client, OTHER_STAFF)
    assert other.get(urls(consultation_id)[export]).status_code == 404
    assert other.get(urls(consultation_id, "bilbao")[export]).status_code == 404
    with app.app_context():
        assert events("consultation.exported") == []


def test_exports_of_a_draft_do_not_exist(app, client, cities):
    with app.app_context():
        draft_id = make_consultation(city(), "draft").id
    signed_in(client)
    assert client.get(urls(draft_id)["csv"]).status_code == 404
    assert client.get(urls(draft_id)["json"]).status_code == 404


def test_a_young_person_cannot_export(app, client, cities):
    consultation_id = every_kind(app, "closed")
    with app.app_context():
        make_user("young@example.org", city=city(), display_name="Young")
    signed_in(client, "young@example.org")
    assert client.get(urls(consultation_id)["csv"]).status_code == 404
