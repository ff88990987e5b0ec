"""Publishing an outcome emails everyone who answered: staff are asked first, on a page of its own (no JavaScript
needed) that shows how many people will be told, the email in each of their languages and the commitments; the
publish button comes after the commitments. The plain-text email reads as text, not Markdown, from a sender named
in the recipient's language."""

import re

import pytest

from consultation_factory import add_response, make_consultation
from support import login, make_city, make_user, outbox_messages, submit, text_of
from youth_portal.accounts.models import CityRoleName
from youth_portal.cities.models import City
from youth_portal.consultations.models import Commitment, Consultation
from youth_portal.extensions import db

STATEMENT = {
    "outcome_es": "Arreglaremos **La iluminación** del parque. Más en [la web](https://murcia.example.org/luz).",
    "outcome_en": "We will fix **the lights** of the park.",
}


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def closed(app, staff, murcia) -> int:
    """A closed consultation with one commitment, answered by three people: two read Spanish, one Arabic."""
    with app.app_context():
        city = db.session.get_one(City, murcia)
        target = make_consultation(city, "closed")
        target.commitments = [Commitment(position=1, text={"es": "Cambiar las farolas", "en": "Change the lamps"})]
        db.session.commit()
        for number, language in enumerate(["es", "es", "ar"]):
            add_response(
                target, make_user(f"r{number}@example.org", city=city, display_name=f"R{number}", language=language)
            )
        return target.id


def outcome_url(consultation_id: int) -> str:
    return f"/cities/murcia/manage/consultations/{consultation_id}/outcome"


def published(app, consultation_id: int) -> bool:
    with app.app_context():
        return db.session.get(Consultation, consultation_id).outcome_published_at is not None


def test_publishing_asks_first_with_the_count_the_email_in_each_language_and_the_commitments(
    app, staff, closed, outbox
):
    asked = submit(staff, outcome_url(closed), STATEMENT | {"publish": ""})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Publish the outcome of “Our parks” and email 3 people?" in page
    assert "Change the lamps" not in page and "Cambiar las farolas" in page  # the commitments, as written
    assert "In Spanish, to 2 people" in page and "In Arabic, to 1 person" in page
    assert "Lo que hará Murcia después de «Parks (es)»" in page and "Hola, (su nombre):" in page
    assert page.count("Arreglaremos La iluminación del parque. Más en la web (https://murcia.example.org/luz).") == 2
    assert 'lang="ar" dir="rtl"' in page
    assert "Yes, publish and email 3 people" in page
    # Nothing happened yet: not published, nobody emailed, the statement not even saved.
    assert not published(app, closed) and outbox_messages(outbox) == []
    with app.app_context():
        assert not db.session.get(Consultation, closed).outcome

    confirm = dict(re.findall(r'<input type="hidden" name="(outcome_\w+)" value="([^"]*)"', page))
    assert confirm == STATEMENT
    done = submit(staff, outcome_url(closed), confirm | {"confirmed": "yes", "publish": ""}, follow_redirects=True)
    assert "The outcome is published. 3 respondents were told by email." in done.get_data(as_text=True)
    assert published(app, closed)
    assert sorted(message["To"] for message in outbox_messages(outbox)) == [f"r{n}@example.org" for n in range(3)]


def test_no_on_the_question_saves_the_statement_for_staff_only(app, staff, closed, outbox):
    kept = submit(staff, outcome_url(closed), STATEMENT | {"confirmed": "yes", "save": ""}, follow_redirects=True)
    assert "The outcome statement was saved. Only staff can see it until you publish it." in kept.get_data(as_text=True)
    assert not published(app, closed) and outbox_messages(outbox) == []


def test_a_statement_that_cannot_be_published_is_refused_before_asking(app, staff, closed, outbox):
    refused = submit(staff, outcome_url(closed), {"outcome_en": "Only English", "publish": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Write the outcome statement in the city&#39;s default language first." in page
    assert "email 3 people?" not in page and not published(app, closed)


def test_the_publish_button_comes_after_the_commitments(staff, closed):
    page = staff.get(outcome_url(closed)).get_data(as_text=True)
    button = page.index('form="outcome-form" name="publish"')
    assert page.index("Cambiar las farolas") < page.index('id="add-commitment-heading"') < button
    assert page.count('name="publish"') == 1


def test_the_plain_text_email_reads_as_text_and_the_sender_is_named_in_its_language(app, staff, closed, outbox):
    submit(staff, outcome_url(closed), STATEMENT | {"confirmed": "yes", "publish": ""})
    emails = {message["To"]: message for message in outbox_messages(outbox)}
    spanish = text_of(emails["r0@example.org"])
    assert "Arreglaremos La iluminación del parque. Más en la web (https://murcia.example.org/luz)." in spanish
    assert "**" not in spanish and "](" not in spanish
    assert emails["r0@example.org"]["From"] == "Portal Joven <no-reply@youth-portal.invalid>"
    assert emails["r2@example.org"]["From"] == "بوابة الشباب <no-reply@youth-portal.invalid>"


def test_staff_of_another_city_cannot_ask_to_publish(app, client, closed, outbox):
    with app.app_context():
        make_user("other@example.org", city=make_city("sevilla"), city_role=CityRoleName.STAFF)
    login(client, "other@example.org")
    assert submit(client, outcome_url(closed), STATEMENT | {"publish": ""}, page="/").status_code == 404
    assert not published(app, closed) and outbox_messages(outbox) == []
