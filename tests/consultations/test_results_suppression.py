"""Results pages never expose anyone: the public and staff pages and the JSON summary publish the numbers the
suppression functions leave (tested in tests/statistics/test_suppression.py), one dimension at a time."""

import json
import re

import pytest

from consultation_factory import add_response, every_kind_of_question, make_consultation
from consultation_support import city, signed_in, table_rows, urls, visit
from support import make_user
from youth_portal.consultations.models import Question, QuestionKind
from youth_portal.timeutil import utcnow

# Through the pages ------------------------------------------------------------------------------------------------

#: (age, answer) -> how many people: 13-15 has 3 people, 16-17 has 12, 18-24 has 40, 25-30 has 20.
PEOPLE = {
    (14, "yes"): 2,
    (14, "no"): 1,
    (16, "yes"): 7,
    (16, "no"): 5,
    (20, "yes"): 25,
    (20, "no"): 15,
    (27, "yes"): 12,
    (27, "no"): 8,
}
SAFE = "Do you feel safe?"


@pytest.fixture
def safety(app, cities):
    """Murcia's closed yes/no consultation answered by 75 people of four age bands."""
    with app.app_context():
        made = make_consultation(
            city(),
            "closed",
            ask_gender=True,
            questions=[
                Question(position=1, kind=QuestionKind.YES_NO, required=True, prompt={"en": SAFE}),
                Question(position=2, kind=QuestionKind.SHORT_TEXT, prompt={"en": "Why?"}),
            ],
        )
        number = 0
        for (age, answer), count in PEOPLE.items():
            for _ in range(count):
                person = make_user(
                    f"young-{number}@example.org", display_name=f"Young{number}", birth_year=utcnow().year - age
                )
                add_response(made, person, {1: {"choices": [answer]}}, gender=["woman", "man"][number % 2])
                number += 1
        return made.id


EXPECTED_BY_AGE = [
    ["Answer", "13-15 fewer than 10", "16-17 hidden", "18-24 n = 40", "25-30 n = 20", "Not stated n = 0"],
    ["Yes", "fewer than 10", "fewer than 10", "25 (62%)", "hidden", "0"],
    ["No", "fewer than 10", "fewer than 10", "15 (38%)", "fewer than 10", "0"],
]


def test_the_public_breakdown_hides_small_groups_and_enough_other_numbers(client, safety):
    html = visit(client, urls(safety)["public"] + "?by=age").get_data(as_text=True)
    assert table_rows(html, f"Answers to “{SAFE}”")[1:] == [["Yes", "46", "61%"], ["No", "29", "39%"]]
    assert table_rows(html, f"“{SAFE}” by age band") == EXPECTED_BY_AGE
    assert "Numbers below 10 are hidden" in html or "numbers below 10 are hidden" in html
    assert "some other numbers too" in html and "cannot be worked out" in html
    assert "Percentages are of everyone in the group" in html  # a breakdown says how its percentages work


def test_total_minus_visible_cells_never_isolates_one_hidden_number(client, safety):
    html = visit(client, urls(safety)["public"] + "?by=age").get_data(as_text=True)
    table = table_rows(html, f"“{SAFE}” by age band")
    hidden = [
        [cell in ("fewer than 10", "hidden") or cell.endswith(("fewer than 10", "hidden")) for cell in row[1:]]
        for row in table
    ]
    for line in hidden + [list(column) for column in zip(*hidden, strict=True)]:
        assert sum(line) != 1
    # Yes: 46 people in all, 25 visible: the other 21 are spread over three hidden cells.
    assert sum(hidden[1]) == 3


def test_a_group_of_three_is_shown_as_fewer_than_10_with_no_percentages(client, safety):
    html = visit(client, urls(safety)["public"] + "?by=age").get_data(as_text=True)
    table = table_rows(html, f"“{SAFE}” by age band")
    assert table[0][1] == "13-15 fewer than 10"
    assert [row[1] for row in table[1:]] == ["fewer than 10", "fewer than 10"]
    # No percentage over a hidden or small group: 2 of 3 (67%), 7 of 12 (58%), 8 of 20 (40%) never appear.
    for share in ("67%", "33%", "58%", "42%", "40%", "60%"):
        assert share not in html


def test_staff_pages_and_the_json_summary_hide_the_same_numbers(client, safety):
    signed_in(client)
    html = client.get(urls(safety)["staff"] + "?by=age").get_data(as_text=True)
    assert table_rows(html, f"“{SAFE}” by age band") == EXPECTED_BY_AGE

    summary = json.loads(client.get(urls(safety)["json"]).get_data(as_text=True))
    [yes_no] = [q for q in summary["questions"] if q["kind"] == "yes-no"]
    by_age = yes_no["breakdowns"]["age"]
    assert [g["count"] for g in by_age["groups"]] == [None, None, 40, 20, 0]
    assert [g["below_k"] for g in by_age["groups"]] == [True, False, False, False, False]
    assert [[c["count"] for c in row["cells"]] for row in by_age["rows"]] == [
        [None, None, 25, None, 0],
        [None, None, 15, None, 0],
    ]
    assert [c["percent"] for c in by_age["rows"][0]["cells"]] == [None, None, 62.5, None, None]
    assert set(yes_no["breakdowns"]) == {"age", "gender"}  # one dimension each, never crossed
    for dimension in yes_no["breakdowns"].values():
        assert dimension is None or all(" x " not in str(g["label"]) for g in dimension["groups"])


def test_two_dimensions_at_once_are_refused(client, safety):
    html = visit(client, urls(safety)["public"] + "?by=age&by=gender").get_data(as_text=True)
    assert "breakdown-table" not in html
    assert "Only one breakdown can be shown at a time" in html
    signed_in(client)
    html = client.get(urls(safety)["staff"] + "?by=gender&by=age").get_data(as_text=True)
    assert "breakdown-table" not in html
    # A made-up dimension is ignored, as is one the consultation did not ask (district).
    for by in ("age,gender", "district", "user_id"):
        assert "breakdown-table" not in visit(client, urls(safety)["public"] + f"?by={by}").get_data(as_text=True)


def test_gender_breakdown_works_and_never_shows_self_descriptions(client, safety):
    html = visit(client, urls(safety)["public"] + "?by=gender").get_data(as_text=True)
    table = table_rows(html, f"“{SAFE}” by gender")
    assert table[0][1:3] == ["Woman n = 38", "Man n = 37"]
    assert re.search(r"Non-binary n = 0", " ".join(table[0]))


# The public's overall counts ---------------------------------------------------------------------------------------

#: 40 people: 25 aged 20, 15 aged 27. What they answered to each question of every_kind_of_question().
OVERALL = {
    1: ["park"] * 30 + ["library"] * 7 + ["other"] * 3,  # single choice: 7 and 3 are below k
    2: [["sport", "music"]] * 5 + [["sport"]] * 1,  # multiple choice answered by 6 people only
    3: ["yes"] * 36 + ["no"] * 4,  # yes/no: the 4 who said no are all 18-24
    4: [4] * 38 + [1] * 2,  # rating: two people said 1
    5: [["jobs", "housing"]] * 37 + [["transport", "jobs"]] * 3,  # ranking: transport ranked by 3
}


@pytest.fixture
def overall(app, cities):
    """Murcia's closed consultation of every kind of question, answered by the 40 people of OVERALL."""
    with app.app_context():
        made = make_consultation(city(), "closed")
        for number in range(40):
            person = make_user(
                f"overall-{number}@example.org",
                display_name=f"Overall{number}",
                birth_year=utcnow().year - (20 if number < 25 else 27),
            )
            answers = {
                1: {"choices": [OVERALL[1][number]]},
                3: {"choices": [OVERALL[3][number]]},
                4: {"number": OVERALL[4][number]},
                5: {"choices": OVERALL[5][number]},
            }
            if number < len(OVERALL[2]):
                answers[2] = {"choices": OVERALL[2][number]}
            add_response(made, person, answers)
        return made.id


def answers(html: str, question: str) -> list[list[str]]:
    return table_rows(html, f"Answers to “{question}”")[1:]


def test_the_public_never_sees_a_count_of_1_to_k_minus_1_nor_one_it_could_work_out(client, overall):
    html = visit(client, urls(overall)["public"]).get_data(as_text=True)
    assert "40 people answered." in html
    # 7 and 3 are hidden; 30 stays, as the two hidden ones share the other 10 people in a way nobody can tell.
    assert answers(html, "Which space matters most?") == [
        ["Parks", "30", "75%"],
        ["Libraries", "fewer than 10", "—"],
        ["Other", "fewer than 10", "—"],
    ]
    # 4 is hidden, so 36 is hidden too: 40 - 36 would give it away.
    assert answers(html, "Do you feel safe at night?") == [["Yes", "hidden", "—"], ["No", "fewer than 10", "—"]]
    # Nor in the charts, which write "percent (count)" after each bar.
    for leak in ("17.5%", "7.5%", "90%", "10%", "(36)", "(4)", "(7)", "(3)"):
        assert leak not in html
    assert "numbers below 10 are hidden" in html and "cannot be worked out from the totals" in html
    assert "Percentages are of everyone in the group" not in html  # no groups here


def test_a_rating_hides_its_average_and_a_ranking_the_position_of_what_few_people_ranked(client, overall):
    html = visit(client, urls(overall)["public"]).get_data(as_text=True)
    rating = answers(html, "How welcome do you feel?")
    assert ["1", "fewer than 10", "—"] in rating and ["4", "hidden", "—"] in rating
    assert "Average:" not in html  # 1 x 2 + 4 x 38 over 40 = 3.85 would give both counts away
    ranking = answers(html, "Rank these priorities")
    assert ranking[-1] == ["Transport", "—", "fewer than 10"]
    assert ranking[:2] == [["Jobs", "1.1", "40"], ["Housing", "2.0", "37"]]
    chart = re.search(r'<svg[^>]*aria-labelledby="chart-\d+-title".*?Rank these priorities.*?</svg>', html, re.S)
    assert chart and "fewer than 10" in chart.group(0) and "not ranked" not in chart.group(0)


def test_a_question_fewer_than_k_people_answered_shows_none_of_its_answers(client, overall):
    html = visit(client, urls(overall)["public"]).get_data(as_text=True)
    section = re.search(r'<section class="result"[^>]*>\s*<h2[^>]*><bdi>What would you use\?.*?</section>', html, re.S)
    text = section.group(0)
    assert "Fewer than 10 people answered this question." in text
    assert "Its answers are not shown" in text
    assert "<table" not in text and "<svg" not in text and "Sport" not in text


def test_no_breakdown_row_adds_up_to_an_overall_count_the_public_cannot_see(app, client, cities):
    """Parks 32, Libraries 30, Other 3: the public sees 32 only (3 is hidden, and 30, which would give it away).
    Libraries by age band, all 30 aged 18-24, shown in full would give 30 again, and 65 - 32 - 30 the 3."""
    by_age = {20: {"park": 2, "library": 30, "other": 0}, 27: {"park": 30, "library": 0, "other": 3}}
    with app.app_context():
        made = make_consultation(city(), "closed", questions=every_kind_of_question()[:1])
        number = 0
        for age, chosen in by_age.items():
            for choice, count in chosen.items():
                for _ in range(count):
                    person = make_user(
                        f"row-{number}@example.org", display_name=f"Row{number}", birth_year=utcnow().year - age
                    )
                    text = "Skate" if choice == "other" else None
                    add_response(made, person, {1: {"choices": [choice], "text": text}})
                    number += 1
        consultation_id = made.id
    html = visit(client, urls(consultation_id)["public"] + "?by=age").get_data(as_text=True)
    overall_rows = answers(html, "Which space matters most?")
    assert overall_rows == [["Parks", "32", "49%"], ["Libraries", "hidden", "—"], ["Other", "fewer than 10", "—"]]
    table = table_rows(html, "“Which space matters most?” by age band")
    for (label, count, _percent), row in zip(overall_rows, table[1:], strict=True):
        assert row[0] == label
        if count in ("hidden", "fewer than 10"):
            assert any(cell in ("hidden", "fewer than 10") for cell in row[1:]), (label, row)


def test_staff_see_every_overall_count(client, overall):
    signed_in(client)
    html = client.get(urls(overall)["staff"]).get_data(as_text=True)
    assert answers(html, "Do you feel safe at night?") == [["Yes", "36", "90%"], ["No", "4", "10%"]]
    assert answers(html, "What would you use?")[1] == ["Music", "5", "83%"]
    assert "Average: 3.8 on a scale from 1 to 5." in html


def test_fewer_than_k_respondents_are_not_counted_in_public(app, client, cities):
    with app.app_context():
        made = make_consultation(city(), "closed")
        for number in range(4):
            add_response(
                made, make_user(f"few-{number}@example.org", display_name=f"Few{number}"), {3: {"choices": ["yes"]}}
            )
        consultation_id = made.id
    html = visit(client, urls(consultation_id)["public"]).get_data(as_text=True)
    assert "Fewer than 10 people answered." in html and "4 people" not in html
    assert "Answers to “Do you feel safe at night?”" not in html
