"""Receipts and the updates emailed to respondents link to the site's public address, whatever host the page that
sent them was reached by, and so do the emails the worker sends outside any request."""

import pytest

from consultation_factory import add_response, make_consultation
from consultation_support import city, outcome_url
from support import BrowserOnAnotherName, links_of, login, make_user, outbox_messages, submit
from youth_portal.config import apply_public_url
from youth_portal.consultations.models import Question, QuestionKind

pytestmark = pytest.mark.usefixtures("english")

PUBLIC = "https://youth.example.org"
PUBLISH = {"outcome_es": "Abriremos dos parques.", "outcome_en": "We will open two parks.", "publish": ""}


@pytest.fixture
def client(app):
    """Every browser of these tests reached the site by another name than its public address."""
    return BrowserOnAnotherName(app, app.response_class, use_cookies=True)


@pytest.fixture(autouse=True)
def public_address(app):
    app.config["PUBLIC_URL"] = PUBLIC
    apply_public_url(app.config)  # app.config is put back after each test


def all_links(outbox) -> list[str]:
    links = [link for message in outbox_messages(outbox) for link in links_of(message)]
    assert links
    return links


def test_a_receipt_links_to_the_public_address(app, client, murcia, outbox):
    with app.app_context():
        question = Question(position=1, kind=QuestionKind.SHORT_TEXT, prompt={"en": "One word"}, max_length=40)
        consultation = make_consultation(city(), "open", questions=[question])
        page, field = f"/cities/murcia/consultations/{consultation.id}", f"q{question.id}"
        make_user("river@example.org", city=city())
    login(client, "river@example.org")

    assert submit(client, f"{page}/respond", {field: "Sunny", "action": "submit"}).status_code == 302

    assert all(link.startswith(f"{PUBLIC}/") for link in all_links(outbox))


@pytest.mark.parametrize("worker", [False, True], ids=["sent-by-the-page", "sent-by-the-worker"])
def test_the_emails_about_an_outcome_link_to_the_public_address(app, staff, outbox, runner, worker):
    app.config["MAIL_WORKER"] = worker
    with app.app_context():
        closed = make_consultation(city(), "closed")
        add_response(closed, make_user("river@example.org", city=city()))
        closed_id = closed.id

    assert submit(staff, outcome_url(closed_id), PUBLISH | {"confirmed": "yes"}).status_code == 302
    if worker:
        assert runner.invoke(args=["send-emails"]).exit_code == 0

    assert all(
        link.startswith(f"{PUBLIC}/cities/murcia/") or link == f"{PUBLIC}/account/participation"
        for link in all_links(outbox)
    )
