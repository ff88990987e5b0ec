"""Results through HTTP: staff see live results (charts, tables, free texts, quote approval); the public sees them
once the consultation has closed, never live, with approved quotes only; nobody else's staff reaches them."""

import re

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from consultation_support import (
    ANSWERS,
    OTHER_STAFF,
    XSS,
    city,
    events,
    every_kind,
    people,
    signed_in,
    table_rows,
    urls,
    visit,
)
from support import count_queries, csrf_token, make_city, make_user, refused_pages, submit
from youth_portal.accounts.models import CityRoleName
from youth_portal.consultations.models import (
    Answer,
    Consultation,
    Question,
    QuestionKind,
    ResponseMode,
)
from youth_portal.consultations.results.charts import CHARACTER_WIDTH, WIDTH
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

# Building data ----------------------------------------------------------------------------------------------------


def consultation(consultation_id: int) -> Consultation:
    return db.session.get(Consultation, consultation_id)


# What staff see -----------------------------------------------------------------------------------------------------


def test_staff_see_counts_percentages_averages_rankings_and_texts_of_submitted_responses_only(app, client, cities):
    consultation_id = every_kind(app, "closed")  # open and anonymous, staff see numbers in steps of k
    html = signed_in(client).get(urls(consultation_id)["staff"]).get_data(as_text=True)

    assert "4 submitted responses" in html
    assert table_rows(html, "Answers to “Which space matters most?”") == [
        ["Answer", "People", "Percent"],
        ["Parks", "2", "50%"],
        ["Libraries", "1", "25%"],
        ["Other", "1", "25%"],
    ]
    assert table_rows(html, "Answers to “What would you use?”")[1:] == [
        ["Sport", "1", "33%"],
        ["Music", "2", "67%"],
        ["Study rooms", "1", "33%"],
    ]
    assert table_rows(html, "Answers to “Do you feel safe at night?”")[1:] == [["Yes", "3", "75%"], ["No", "1", "25%"]]
    assert table_rows(html, "Answers to “How welcome do you feel?”")[1:] == [
        ["1", "0", "0%"],
        ["2", "0", "0%"],
        ["3", "1", "33%"],
        ["4", "1", "33%"],
        ["5", "1", "33%"],
    ]
    assert "Average: 4.0 on a scale from 1 to 5." in html
    assert table_rows(html, "Answers to “Rank these priorities”") == [
        ["Option", "Average position", "Ranked by"],
        ["Jobs", "1.3", "3"],
        ["Housing", "1.5", "2"],
        ["Transport", "—", "0"],
    ]
    # Free texts, and the text of "other", sorted by text; a draft's answers count nowhere.
    texts = re.findall(r'<p class="free-text" dir="auto">(.*?)</p>', html, re.S)
    assert texts == ["Skate park", "Green", "Loud", "&lt;script&gt;alert(1)&lt;/script&gt;", "More benches"]
    assert "Secret draft" not in html and "Stale other text" not in html
    assert XSS not in html


def test_staff_written_texts_are_escaped_in_charts_and_tables(app, client, cities):
    with app.app_context():
        made = make_consultation(
            city(),
            "closed",
            questions=[
                Question(
                    position=1,
                    kind=QuestionKind.SINGLE_CHOICE,
                    prompt={"en": XSS},
                    options=[{"id": "a", "label": {"en": '"><svg onload=alert(1)>'}}],
                ),
            ],
        )
        [person] = people(1)
        add_response(made, person, {1: {"choices": ["a"]}})
        consultation_id = made.id
    html = signed_in(client).get(urls(consultation_id)["staff"]).get_data(as_text=True)
    assert XSS not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("&lt;svg onload=alert(1)&gt;") >= 2  # in the chart and in the table


def test_every_charted_question_has_an_svg_chart_with_a_title_and_no_inline_style(app, client, cities):
    consultation_id = every_kind(app, "closed")  # open and anonymous, staff see numbers in steps of k
    html = signed_in(client).get(urls(consultation_id)["staff"]).get_data(as_text=True)
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(charts) == 5  # every question but the two free texts
    for chart in charts:
        assert 'role="img"' in chart and 'aria-labelledby="chart-' in chart and '<title id="chart-' in chart
        assert 'direction="ltr"' in chart
    assert "style=" not in html
    # The chart draws the same numbers the table gives: Parks is half the answers.
    parks_chart = charts[0]
    assert "Parks" in parks_chart and "50% (2)" in parks_chart
    track = float(re.search(r'class="chart-track" x="0" y="\d+" width="([\d.]+)"', parks_chart).group(1))
    bar = float(re.search(r'class="chart-bar" x="0" y="\d+" width="([\d.]+)"', parks_chart).group(1))
    assert bar == pytest.approx(track / 2)


def test_results_in_a_right_to_left_language_keep_the_chart_left_to_right(app, client, cities):
    consultation_id = every_kind(app)
    signed_in(client)
    assert submit(client, "/language", {"language": "ar", "next": "/"}).status_code == 302
    html = client.get(urls(consultation_id)["staff"]).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert all('direction="ltr"' in chart for chart in re.findall(r"<svg.*?</svg>", html, re.S))
    assert "<caption id=" in html and 'scope="col"' in html and 'scope="row"' in html


def test_anonymous_mode_never_shows_who_wrote_what_and_identified_mode_shows_staff_the_names(app, client, cities):
    anonymous_id = every_kind(app, "closed")
    signed_in(client)
    html = client.get(urls(anonymous_id)["staff"]).get_data(as_text=True)
    assert "Respondent" not in html and "respondent-" not in html
    assert "never who wrote what" in html

    with app.app_context():
        identified = make_consultation(city(), "closed", mode=ResponseMode.IDENTIFIED)
        [writer] = people(1, prefix="writer")
        writer.display_name = XSS
        db.session.commit()
        add_response(identified, writer, {6: {"text": "Hello"}})
        identified_id = identified.id
    html = client.get(urls(identified_id)["staff"]).get_data(as_text=True)
    assert "Written by &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert XSS not in html


# Quotes -----------------------------------------------------------------------------------------------------------


def approve_form(html: str, text: str) -> str:
    """The approve/withdraw action URL under the free text `text` on the staff page."""
    match = re.search(
        rf'<p class="free-text" dir="auto">{re.escape(text)}</p>.*?<form method="post" action="([^"]+)"', html, re.S
    )
    assert match, f"no form under {text!r}"
    return match.group(1).replace("&amp;", "&")


def test_staff_approve_and_withdraw_quotes_the_public_sees_approved_ones_only_without_names(app, client, cities):
    consultation_id = every_kind(app, "closed", mode=ResponseMode.IDENTIFIED)
    links = urls(consultation_id)
    signed_in(client)
    page = client.get(links["staff"]).get_data(as_text=True)
    approve = approve_form(page, "&lt;script&gt;alert(1)&lt;/script&gt;")
    assert "/quotes/" in approve and approve.endswith("/approve")
    # The key names the answer without giving away its id.
    with app.app_context():
        ids = db.session.scalars(sa.select(Answer.id)).all()
    key = approve.split("/quotes/")[1].split("/")[0]
    assert len(key) == 24 and not any(key == str(i) for i in ids)

    response = submit(client, approve, page=links["staff"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{links['staff']}#question-7")
    with app.app_context():
        [event] = events("consultation.quote_approved")
        assert (event.target_type, event.target_id) == ("consultations", consultation_id) and event.detail[
            "question_id"
        ]
        approved = db.session.scalar(sa.select(Answer).where(Answer.quote_approved_at.is_not(None)))
        assert approved.text == XSS and approved.quote_approved_by_id is not None
    page = client.get(links["staff"]).get_data(as_text=True)
    assert "Approved as a public quote." in page

    # Quotes show once k people wrote (test_written_answers_are_counted_...): 2 wrote, and now 8 more. (Published
    # results stand: the public has not seen these yet.)
    visitor = app.test_client()
    with app.app_context():
        for i, writer in enumerate(people(8, prefix="writer")):
            add_response(consultation(consultation_id), writer, {7: {"text": f"Idea {i}"}})
    public = visit(visitor, links["public"]).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in public and XSS not in public
    for unapproved in ("Green", "Loud", "More benches", "Skate park"):
        assert unapproved not in public
    assert "Respondent" not in public and "Written by" not in public

    withdraw = approve_form(page, "&lt;script&gt;alert(1)&lt;/script&gt;")
    assert withdraw.endswith("/withdraw")
    assert submit(client, withdraw, page=links["staff"]).status_code == 302
    with app.app_context():
        assert len(events("consultation.quote_withdrawn")) == 1
        assert db.session.scalar(sa.select(sa.func.count()).where(Answer.quote_approved_at.is_not(None))) == 0
    assert "alert(1)" not in visitor.get(links["public"]).get_data(as_text=True)


def test_quote_approval_needs_the_csrf_token_and_a_real_answer_of_this_consultation(app, client, cities):
    consultation_id = every_kind(app, "closed")
    links = urls(consultation_id)
    page = signed_in(client).get(links["staff"]).get_data(as_text=True)
    approve = approve_form(page, "Green")
    assert client.post(approve).status_code == 400
    fake = re.sub(r"/quotes/[^/]+/", "/quotes/0123456789abcdef01234567/", approve)
    assert submit(client, fake, page=links["staff"]).status_code == 404
    # The same key under another consultation of the city is not found either.
    other_id = every_kind_second(app)
    assert (
        submit(client, approve.replace(f"/{consultation_id}/", f"/{other_id}/"), page=links["staff"]).status_code == 404
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Answer.quote_approved_at.is_not(None))) == 0
        assert events("consultation.quote_approved") == []


def every_kind_second(app) -> int:
    with app.app_context():
        return make_consultation(city(), "closed").id


# Who may see them ---------------------------------------------------------------------------------------------------


def test_staff_of_another_city_get_404_on_results_exports_and_quotes(app, client, cities):
    consultation_id = every_kind(app, "closed")
    links = urls(consultation_id)
    page = signed_in(client).get(links["staff"]).get_data(as_text=True)
    approve = approve_form(page, "Green")

    other = signed_in(app.test_client(), OTHER_STAFF)
    for url in (links["staff"], links["csv"], links["json"]):
        assert other.get(url).status_code == 404
    # Through their own city's address, Murcia's consultation does not exist either.
    for url in urls(consultation_id, "bilbao").values():
        if "/manage/" in url:
            assert other.get(url).status_code == 404
    assert submit(other, approve, page="/").status_code == 404
    with app.app_context():
        assert events("consultation.exported") == []
        assert events("consultation.quote_approved") == []
        assert refused_pages() >= 4


@pytest.mark.parametrize("role", [None, CityRoleName.MODERATOR])
def test_people_without_a_staff_role_get_404_and_visitors_are_asked_to_sign_in(app, client, cities, role):
    consultation_id = every_kind(app, "closed")
    links = urls(consultation_id)
    assert client.get(links["staff"]).status_code == 302  # to the sign-in page
    with app.app_context():
        make_user("someone@example.org", city=city(), display_name="Someone", city_role=role)
    signed_in(client, "someone@example.org")
    for url in (links["staff"], links["csv"], links["json"]):
        assert client.get(url).status_code == 404


def test_a_draft_has_no_results_page_for_anyone(app, client, cities):
    with app.app_context():
        draft_id = make_consultation(city(), "draft").id
    links = urls(draft_id)
    assert client.get(links["public"]).status_code == 404
    signed_in(client)
    for url in links.values():
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("stage", "visible"),
    [("scheduled", False), ("open", False), ("closed", True), ("outcome-published", True), ("archived", True)],
)
def test_the_public_sees_results_once_closed_never_live(app, client, cities, stage, visible):
    consultation_id = every_kind(app, stage) if stage != "scheduled" else None
    if consultation_id is None:
        with app.app_context():
            consultation_id = make_consultation(city(), stage).id
    page = visit(client, urls(consultation_id)["public"])
    assert page.status_code == (200 if visible else 404)
    if visible and stage != "scheduled":
        html = page.get_data(as_text=True)
        # Four people: fewer than k (10), so no count of them is published (test_suppression has larger ones).
        assert "Fewer than 10 people answered." in html
        assert "Its answers are not shown: too few people gave them to show them without exposing anyone." in html
        assert "75%" not in html and "Answers to “Do you feel safe at night?”" not in html
        # Free texts are not published, only approved quotes (none yet).
        assert "Green" not in html and "Skate park" not in html and "Approve" not in html
    # Staff see them live at every stage after publishing.
    assert signed_in(client).get(urls(consultation_id)["staff"]).status_code == 200


def test_another_citys_address_does_not_show_the_public_results(app, client, cities):
    consultation_id = every_kind(app, "closed")
    assert client.get(urls(consultation_id, "bilbao")["public"]).status_code == 404
    assert client.get(urls(consultation_id)["public"]).status_code == 200


# Cost ---------------------------------------------------------------------------------------------------------------


def queries_for_results(app, client, respondents: int, slug: str) -> tuple[int, int]:
    with app.app_context():
        home = make_city(slug, districts=["Centro", "Norte"])
        make_user(f"staff@{slug}.example.org", city=home, display_name="Staffer", city_role=CityRoleName.STAFF)
        made = make_consultation(home, "closed", ask_gender=True, ask_district=True)
        for i in range(respondents):
            person = make_user(
                f"{slug}-{i}@example.org", display_name=f"{slug}{i}", birth_year=utcnow().year - 14 - i % 15
            )
            add_response(
                made,
                person,
                ANSWERS[i % 4],
                gender=["woman", "man", None][i % 3],
                district=["Centro", "Norte", None][i % 3],
            )
        consultation_id = made.id
    signed_in(client, f"staff@{slug}.example.org")
    links = urls(consultation_id, slug)
    counts = []
    for url in (links["staff"], links["staff"] + "?by=district"):
        with app.app_context(), count_queries() as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    with app.app_context(), count_queries() as queries:
        assert visit(client, links["public"] + "?by=age").status_code == 200
    counts.append(len(queries))
    return tuple(counts)


def test_the_results_page_runs_a_few_queries_whatever_the_number_of_responses(app, client):
    few = queries_for_results(app, client, 10, "few")
    many = queries_for_results(app, app.test_client(), 200, "many")
    assert few == many
    assert max(many) <= 9


SAFE_AT_NIGHT = "Answers to “Do you feel safe at night?”"


def answer_yes_no(app, consultation_id: int, answers: list[str], prefix: str) -> None:
    with app.app_context():
        made = consultation(consultation_id)
        for person, answer in zip(people(len(answers), prefix=prefix), answers, strict=True):
            add_response(made, person, {3: {"choices": [answer]}})


def public_numbers(client, consultation_id: int) -> tuple[str, list[list[str]]]:
    html = visit(client, urls(consultation_id)["public"]).get_data(as_text=True)
    answered = re.search(r"(\d+ people answered\.|Fewer than \d+ people answered\.)", html).group(1)
    return answered, table_rows(html, SAFE_AT_NIGHT)[1:]


def close(app, consultation_id: int) -> None:
    with app.app_context():
        consultation(consultation_id).closes_at = utcnow()
        db.session.commit()


def test_closed_public_results_offer_the_age_breakdown(app, client, cities):
    consultation_id = every_kind(app, "closed")
    public = visit(client, urls(consultation_id)["public"]).get_data(as_text=True)
    assert "Break the results down by" in public


def test_many_written_answers_are_read_a_page_at_a_time_and_approved_there(app, client, cities):
    """The results page shows a question's first written answers; all of them are on the question's own pages."""
    with app.app_context():
        made = make_consultation(city(), "closed")
        for person, n in zip(people(61, prefix="writer"), range(61), strict=True):
            add_response(made, person, {6: {"text": f"Idea {n:02d}"}})
        consultation_id = made.id
        question_id = next(q.id for q in made.questions if q.position == 6)
    links = urls(consultation_id)
    signed_in(client)
    results_page = client.get(links["staff"]).get_data(as_text=True)
    assert "Idea 09" in results_page and "Idea 10" not in results_page
    texts_url = f"/cities/murcia/manage/consultations/{consultation_id}/results/questions/{question_id}/texts"
    assert f'href="{texts_url}">See all 61 written answers</a>' in results_page

    with app.app_context(), count_queries() as queries:
        first = client.get(texts_url).get_data(as_text=True)
    assert len(queries) <= 8, len(queries)  # the same few statements whatever the number of texts
    assert "Answers 1 to 50, sorted by text." in first and "Page 1" in first and "Previous page" not in first
    assert "Idea 49" in first and "Idea 50" not in first and f'href="{texts_url}?page=2"' in first
    second = client.get(f"{texts_url}?page=2").get_data(as_text=True)
    assert "Answers 51 to 61, sorted by text." in second and "Idea 50" in second and "Idea 49" not in second
    assert f'href="{texts_url}?page=1">Previous page' in second and "Next page" not in second
    assert "Writer" not in second  # anonymous: no names, not even here
    assert client.get(f"{texts_url}?page=3").status_code == 404
    assert client.get(f"{texts_url}?page=0").status_code == 404

    approve = approve_form(second, "Idea 60")
    response = submit(client, approve, {"next": f"{texts_url}?page=2"}, page=f"{texts_url}?page=2")
    assert response.status_code == 302 and response.headers["Location"] == f"{texts_url}?page=2"
    assert "The quote is approved" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        [event] = events("consultation.quote_approved")
        assert event.detail["question_id"] == question_id
        assert db.session.scalar(sa.select(Answer.text).where(Answer.quote_approved_at.is_not(None))) == "Idea 60"
    with_breakdown = f"{links['staff']}?by=age"
    html = client.get(with_breakdown).get_data(as_text=True)
    [back_to] = set(re.findall(r'name="next" value="([^"]+#question-[^"]+)"', html))
    assert back_to.replace("&amp;", "&") == f"{with_breakdown}#question-{question_id}"
    back = submit(client, approve_form(html, "Idea 01"), {"next": back_to.replace("&amp;", "&")}, page=with_breakdown)
    assert back.headers["Location"] == f"{with_breakdown}#question-{question_id}"
    evil = submit(
        client, approve_form(second, "Idea 59"), {"next": "https://evil.example/"}, page=f"{texts_url}?page=2"
    )
    assert evil.headers["Location"] == "/"


def test_a_questions_written_answers_are_staff_only_and_of_this_city_only(app, client, cities):
    consultation_id = every_kind(app, "closed")
    with app.app_context():
        question_id = next(q.id for q in consultation(consultation_id).questions if q.position == 6)
    texts_url = f"/cities/murcia/manage/consultations/{consultation_id}/results/questions/{question_id}/texts"
    assert app.test_client().get(texts_url).status_code in (302, 401)
    signed_in(client, OTHER_STAFF)
    assert client.get(texts_url).status_code == 404
    assert client.get(texts_url.replace("/murcia/", "/bilbao/")).status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    signed_in(client)
    assert "Green" in client.get(texts_url).get_data(as_text=True)
    assert client.get(texts_url.replace(f"/questions/{question_id}/", "/questions/999999/")).status_code == 404


# Numbers that would give people away ----------------------------------------------------------------------------


def test_written_answers_are_counted_and_below_k_writers_the_public_sees_no_quote(app, client, cities):
    consultation_id = every_kind(app, "closed")
    with app.app_context():
        loud = db.session.scalar(sa.select(Answer).where(Answer.text == "Loud"))
        loud.quote_approved_at = utcnow()
        db.session.commit()
    staff = signed_in(client).get(urls(consultation_id)["staff"]).get_data(as_text=True)
    one_word = staff.split("One word for your city", 1)[1].split("</section>")[0]
    assert "2 people answered this question." in one_word
    assert "the public sees none of its answers, quotes included" in one_word

    public = visit(app.test_client(), urls(consultation_id)["public"]).get_data(as_text=True)
    one_word = public.split("One word for your city", 1)[1].split("</section>")[0]
    assert "Fewer than 10 people answered this question." in one_word
    assert "Its answers are not shown" in one_word and "Loud" not in public


def test_a_multiple_choice_of_at_most_one_answer_hides_a_second_count(app, client, cities):
    """Each person gave one answer: the counts add up to the people who answered, so one hidden count alone would
    be the total minus the others."""
    question = Question(
        position=1,
        kind=QuestionKind.MULTIPLE_CHOICE,
        prompt={"en": "Pick one"},
        max_choices=1,
        options=[{"id": key, "label": {"en": key.upper()}} for key in ("a", "b", "c")],
    )
    with app.app_context():
        made = make_consultation(city(), "closed", questions=[question])
        for person, choice in zip(people(25), ["a"] * 12 + ["b"] * 10 + ["c"] * 3, strict=True):
            add_response(made, person, {1: {"choices": [choice]}})
        consultation_id = made.id

    public = visit(client, urls(consultation_id)["public"]).get_data(as_text=True)
    assert table_rows(public, "Answers to “Pick one”")[1:] == [
        ["A", "12", "48%"],
        ["B", "hidden", "—"],
        ["C", "fewer than 10", "—"],
    ]
    assert "percentages add up to more than 100" not in public


def test_the_breakdown_row_of_other_with_quotes_shows_no_zero_that_would_tie_the_quotes_to_a_group(app, client, cities):
    """Three 14-year-olds wrote the published "other" texts: a zero for the older group would tell that those
    texts come from the younger one."""
    with app.app_context():
        made = make_consultation(city(), "closed")
        for i, person in enumerate(people(20, age=14, prefix="young")):
            add_response(
                made,
                person,
                {
                    1: {"choices": ["other"], "text": f"Skate park {i}"} if i < 3 else {"choices": ["park"]},
                    3: {"choices": ["yes"]},
                },
            )
        for person in people(20, age=20, prefix="older"):
            add_response(made, person, {1: {"choices": ["park"]}, 3: {"choices": ["yes"]}})
        for answer in db.session.scalars(sa.select(Answer).where(Answer.text.like("Skate park%"))):
            answer.quote_approved_at = utcnow()
        db.session.commit()
        consultation_id = made.id

    public = visit(app.test_client(), urls(consultation_id)["public"] + "?by=age").get_data(as_text=True)
    assert "Skate park 0" in public
    rows = table_rows(public, "“Which space matters most?” by age band")
    groups = rows[0][1:]
    young, older = groups.index("13-15 n = 20"), groups.index("18-24 n = 20")
    [other] = [row[1:] for row in rows if row[0] == "Other"]
    assert other[young] == other[older] == "fewer than 10"
    [library] = [row[1:] for row in rows if row[0] == "Libraries"]
    assert library[older] == "0 (0%)"  # zeros elsewhere may still show, in groups of at least 2k
    # Staff read every text and see the exact totals (3 "other"): the row keeps both its cells hidden.
    staff = signed_in(app.test_client()).get(urls(consultation_id)["staff"] + "?by=age").get_data(as_text=True)
    space = staff.split("Which space matters most?", 1)[1].split("</section>")[0]
    [other] = [row[1:] for row in table_rows(staff, "“Which space matters most?” by age band") if row[0] == "Other"]
    assert "Skate park 0" in space and other[young] == other[older] == "fewer than 10"


def test_every_value_written_after_a_bar_fits_in_its_chart(app, client, cities):
    """ "average position 1.3" ran past the chart's edge and was cut."""
    consultation_id = every_kind(app, "closed")  # open and anonymous, staff see numbers in steps of k
    html = signed_in(client).get(urls(consultation_id)["staff"]).get_data(as_text=True)
    values = re.findall(r'<text class="chart-value" x="([\d.]+)"[^>]*>([^<]*)</text>', html)
    assert any(text.startswith("average position") for _x, text in values)
    for x, text in values:
        assert float(x) + len(text) * CHARACTER_WIDTH <= WIDTH, text
