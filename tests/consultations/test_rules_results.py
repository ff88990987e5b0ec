"""Results' rules at their edges: which texts a quote approval reaches, whose names a question's texts carry, where
a group value no longer listed is counted, and the district breakdown's rows."""

import re

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from consultation_support import city, people, signed_in, table_rows, urls
from support import submit
from youth_portal.consultations.models import Answer, Question, QuestionKind, ResponseMode
from youth_portal.consultations.results.tallies import Group, tallied
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

pytestmark = pytest.mark.usefixtures("english")
SHORT_TEXT, LONG_TEXT = 6, 7


def texts_url(consultation_id: int, question_id: int) -> str:
    return f"/cities/murcia/manage/consultations/{consultation_id}/results/questions/{question_id}/texts"


def forms_under(html: str, text: str) -> list[str]:
    """The approve/withdraw actions under each listed text that reads `text`."""
    pattern = rf'<p class="free-text" dir="auto">\s*{re.escape(text)}\s*</p>.*?<form method="post" action="([^"]+)"'
    return re.findall(pattern, html, re.S)


def question_id(consultation_id: int, position: int) -> int:
    return db.session.scalar(
        sa.select(Answer.question_id)
        .join(Answer.question)
        .where(Answer.question.has(consultation_id=consultation_id, position=position))
        .limit(1)
    )


def test_a_quote_approved_or_withdrawn_here_is_not_one_of_another_question_or_consultation(app, client, staff):
    """The same words, already approved for another question or another consultation, were not reviewed here:
    approving here approves here, and withdrawing here leaves them."""
    with app.app_context():
        here, elsewhere = make_consultation(city(), "closed"), make_consultation(city(), "closed")
        writers = people(3)
        add_response(here, writers[0], {SHORT_TEXT: {"text": "Wifi"}, LONG_TEXT: {"text": "Wifi"}})
        add_response(here, writers[1], {SHORT_TEXT: {"text": "Trees"}})
        add_response(elsewhere, writers[2], {SHORT_TEXT: {"text": "Wifi"}})
        for answer in db.session.scalars(sa.select(Answer).where(Answer.text == "Wifi")):
            if answer.question.position == LONG_TEXT or answer.question.consultation_id == elsewhere.id:
                answer.quote_approved_at = utcnow()
        db.session.commit()
        here_id, short_id = here.id, question_id(here.id, SHORT_TEXT)

    def approved() -> int:
        with app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).where(Answer.quote_approved_at.is_not(None)))

    signed_in(client)
    url = texts_url(here_id, short_id)
    [approve] = forms_under(client.get(url).get_data(as_text=True), "Wifi")
    assert approve.endswith("/approve")
    assert submit(client, approve, {"next": url}, page=url).status_code == 302
    assert approved() == 3
    [withdraw] = forms_under(client.get(url).get_data(as_text=True), "Wifi")
    assert withdraw.endswith("/withdraw")
    assert submit(client, withdraw, {"next": url}, page=url).status_code == 302
    assert approved() == 2


@pytest.mark.parametrize("mode", [ResponseMode.ANONYMOUS, ResponseMode.IDENTIFIED])
def test_a_questions_texts_are_its_own_with_names_only_in_identified_mode(app, client, staff, mode):
    with app.app_context():
        made = make_consultation(city(), "closed", mode=mode)
        writer, gone = people(2, prefix="writer")
        add_response(made, writer, {SHORT_TEXT: {"text": "Benches"}, LONG_TEXT: {"text": "Longer lights"}})
        add_response(made, gone, {SHORT_TEXT: {"text": "Trees"}})
        gone.deleted_at = utcnow()
        db.session.commit()
        made_id, short_id = made.id, question_id(made.id, SHORT_TEXT)
    signed_in(client)
    page = client.get(texts_url(made_id, short_id)).get_data(as_text=True)
    assert "Benches" in page and "Trees" in page and "Longer lights" not in page
    identified = mode == ResponseMode.IDENTIFIED
    assert ("Written by Writer0" in page) is identified
    assert ("Written by deleted account" in page) is identified
    assert "Writer1" not in page


def test_a_group_value_no_longer_listed_counts_as_not_stated():
    groups = [Group("Centro", "Centro"), Group("Norte", "Norte"), Group(None, "Not stated")]
    rows = [(0, "", "Centro", 3, 0), (0, "", "Barrio renamed", 2, 0), (0, "", "Barrio gone", 4, 0), (0, "", "", 1, 0)]
    responses, _tallies, breakdowns = tallied([], rows, {"district": groups})
    assert responses == 10 and breakdowns["district"][0] == [3, 0, 7]


def test_the_district_breakdown_has_a_row_per_district_and_not_stated(app, client, staff):
    with app.app_context():
        home = city()
        home.districts = ["Centro", "Norte"]
        made = make_consultation(home, "closed", ask_district=True)
        for i, person in enumerate(people(60)):  # 20 a district, half of them yes: every count is shown
            add_response(
                made, person, {3: {"choices": [("yes", "no")[i // 3 % 2]]}}, district=["Centro", "Norte", None][i % 3]
            )
        made_id = made.id
    signed_in(client)
    page = client.get(urls(made_id)["staff"] + "?by=district").get_data(as_text=True)
    assert '<option value="district" >District</option>' in client.get(urls(made_id)["staff"]).get_data(as_text=True)
    header = table_rows(page, "“Do you feel safe at night?” by district")[0]
    assert header[1:] == ["Centro n = 20", "Norte n = 20", "Not stated n = 20"], header


def test_a_consultation_nobody_answered_says_so(app, client, staff):
    with app.app_context():
        made_id = make_consultation(city(), "closed").id
    signed_in(client)
    assert "0 people answered" in client.get(urls(made_id)["staff"]).get_data(as_text=True)


def test_count_sums_are_added_up_and_unlisted_groups_filed_as_not_stated():
    """Sums of a question no longer asked, or of an answer no longer offered, are skipped and the rest still counted;
    a group value no longer listed counts as not stated; a ranking's place sums follow their option."""
    yes_no = Question(id=3, position=3, kind=QuestionKind.YES_NO, prompt={"en": "Safe?"})
    groups = [Group("Centro", "Centro"), Group("Norte", "Norte"), Group(None, "Not stated")]
    rows = [
        (99, "yes", "Centro", 5, 0),  # a question removed since
        (3, "maybe", "Centro", 4, 0),  # an answer no longer offered
        (3, "", "Centro", 1, 0),
        (3, "yes", "Centro", 1, 0),
        (3, "", "Barrio gone", 1, 0),
        (3, "no", "Barrio gone", 1, 0),
        (3, "", "", 1, 0),
        (3, "yes", "", 1, 2),
    ]
    _responses, tallies, breakdowns = tallied([yes_no], rows, {"district": groups})
    assert tallies.answered[3] == 3 and tallies.counts[3] == [2, 1] and tallies.rank_sums[3] == [2, 0]
    assert breakdowns["district"][1][3] == [[1, 0, 1], [0, 0, 1]]


def test_a_question_withheld_first_leaves_the_next_ones_suppressed_and_broken_down(app, client, murcia):
    """The first question, answered by three people, shows nothing; the next one is still protected (its small
    count hidden) and still broken down."""
    with app.app_context():
        made = make_consultation(city(), "closed")
        for i, person in enumerate(people(24)):
            answers = {3: {"choices": ["no" if i < 3 else "yes"]}} | ({1: {"choices": ["park"]}} if i < 3 else {})
            add_response(made, person, answers)
        made_id = made.id
    page = client.get(urls(made_id)["public"]).get_data(as_text=True)
    assert "Its answers are not shown" in page
    assert table_rows(page, "Answers to “Do you feel safe at night?”")[1:] == [
        ["Yes", "hidden", "—"],
        ["No", "fewer than 10", "—"],
    ]
    by_age = client.get(urls(made_id)["public"] + "?by=age").get_data(as_text=True)
    assert table_rows(by_age, "“Do you feel safe at night?” by age band")
