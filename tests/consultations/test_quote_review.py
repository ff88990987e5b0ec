"""Identical written answers (same question, same words whatever the spaces and letter case) are one text to review,
with how many people wrote it, approved once; the public page shows an approved text once, however it was approved
(double submit, two tabs, or before this rule)."""

import re

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from support import STAFF, count_queries, login, make_user, submit
from youth_portal.accounts.models import CityRoleName
from youth_portal.cities.models import City
from youth_portal.consultations.models import Answer
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

CAMERAS = "Cámaras en la entrada"
WRITTEN = [
    CAMERAS,
    "cámaras en la entrada",
    f"  {CAMERAS} ",
    "Cámaras  en la entrada",
    CAMERAS,
    CAMERAS,
    "Más luz",
    "Un banco",
    "Fuentes",
    "Árboles",
    "Wifi",
    "Música",
]


@pytest.fixture
def closed(app, cities) -> int:
    """Murcia's closed consultation: twelve people wrote one word for their city, six of them the same."""
    with app.app_context():
        murcia = db.session.scalars(sa.select(City).where(City.slug == "murcia")).one()
        made = make_consultation(murcia, "closed")
        for number, text in enumerate(WRITTEN):
            add_response(made, make_user(f"p{number}@example.org", city=murcia), {6: {"text": text}})
        return made.id


def texts_url(app, consultation_id: int) -> str:
    with app.app_context():
        question_id = db.session.scalar(sa.select(Answer.question_id).where(Answer.text == "Wifi"))
    return f"/cities/murcia/manage/consultations/{consultation_id}/results/questions/{question_id}/texts"


def public_page(client, consultation_id: int) -> str:
    return client.get(
        f"/cities/murcia/consultations/{consultation_id}/results", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)


def forms_under(html: str, text: str) -> list[str]:
    """The approve/withdraw actions under each listed text that reads `text`."""
    pattern = rf'<p class="free-text" dir="auto">\s*{re.escape(text)}\s*</p>.*?<form method="post" action="([^"]+)"'
    return re.findall(pattern, html, re.S | re.I)


def test_identical_texts_are_one_to_review_with_their_count_and_one_approval(app, client, closed):
    login(client, STAFF)
    url = texts_url(app, closed)
    with app.app_context(), count_queries() as queries:
        page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert len(queries) <= 8, len(queries)
    [approve] = forms_under(page, CAMERAS)  # one text, one button (six before)
    assert "Written by 6 people" in page
    assert "Answers 1 to 7, sorted by text. Identical ones are shown once" in page and "Next page" not in page
    results_page = client.get(url.split("/questions/")[0], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Written answers (12)" in results_page

    assert submit(client, approve, {"next": url}, page=url).status_code == 302
    assert submit(client, approve, {"next": url}, page=url).status_code == 302  # the same click, twice
    page = client.get(url).get_data(as_text=True)
    [withdraw] = forms_under(page, CAMERAS)
    assert withdraw.endswith("/withdraw") and page.count("Approved as a public quote.") == 1
    with app.app_context():
        approved = db.session.scalars(sa.select(Answer.text).where(Answer.quote_approved_at.is_not(None))).all()
    assert len(approved) == 1
    assert public_page(client, closed).count(CAMERAS) == 1


def test_a_text_approved_twice_before_shows_once_and_one_withdrawal_takes_it_off(app, client, closed):
    with app.app_context():  # as two tabs (or the code before) left it: two identical answers approved
        for answer in db.session.scalars(sa.select(Answer).where(Answer.text.in_([CAMERAS, "cámaras en la entrada"]))):
            answer.quote_approved_at = utcnow()
        db.session.commit()
    public = public_page(client, closed)
    assert len(re.findall(re.escape(CAMERAS), public, re.I)) == 1

    login(client, STAFF)
    url = texts_url(app, closed)
    [withdraw] = forms_under(client.get(url).get_data(as_text=True), CAMERAS)
    assert submit(client, withdraw, {"next": url}, page=url).status_code == 302
    assert not re.search(re.escape(CAMERAS), public_page(client, closed), re.I)


def test_staff_of_another_city_cannot_approve(app, client, closed):
    login(client, STAFF)
    url = texts_url(app, closed)
    [approve] = forms_under(client.get(url).get_data(as_text=True), CAMERAS)
    with app.app_context():
        bilbao = db.session.scalar(sa.select(City).where(City.slug == "bilbao"))
        make_user("other@bilbao.example.org", city=bilbao, city_role=CityRoleName.STAFF)
    other = app.test_client()
    login(other, "other@bilbao.example.org")
    assert submit(other, approve, {"next": url}, page="/").status_code == 404
    assert submit(other, approve.replace("/murcia/", "/bilbao/"), {"next": url}, page="/").status_code == 404
    assert other.get(url).status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Answer.quote_approved_at.is_not(None))) == 0
