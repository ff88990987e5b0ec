"""You said, we did: staff publish the outcome and the commitments of a closed consultation, keep them up to date,
and everyone who submitted a response is told, once per change, in their language."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from consultation_support import city, outcome_url, public_url
from support import (
    count_queries,
    html_of,
    link_in,
    login,
    make_city,
    make_user,
    outbox_messages,
    submit,
    text_of,
)
from youth_portal.accounts.models import CityRoleName, User
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City, Region
from youth_portal.consultations.models import (
    Commitment,
    CommitmentStatus,
    Consultation,
    ConsultationUpdate,
    Stage,
)
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
MANAGE = "/cities/murcia/manage/consultations"
#: Who submitted a response to the consultation under test, and in which language they read.
RESPONDENTS = {"ana@example.org": "en", "bea@example.org": "es"}


pytestmark = pytest.mark.usefixtures("english")


def consultation(consultation_id: int) -> Consultation:
    return db.session.get(Consultation, consultation_id)


def commitments_of(consultation_id: int) -> list[Commitment]:
    return consultation(consultation_id).commitments


def updates() -> list[ConsultationUpdate]:
    return db.session.scalars(sa.select(ConsultationUpdate).order_by(ConsultationUpdate.id)).all()


def events(action: str) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def error_beside(html: str, field_id: str) -> str:
    """The error shown beside a field (empty if none)."""
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def textarea(html: str, field_id: str) -> str | None:
    match = re.search(rf'<textarea[^>]*id="{field_id}"[^>]*>(.*?)</textarea>', html, re.S)
    return unescape(match.group(1)).strip() if match else None


def input_value(html: str, field_id: str) -> str | None:
    match = re.search(rf'<input[^>]*id="{field_id}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def commitment_url(consultation_id: int, commitment_id: int) -> str:
    return f"{outcome_url(consultation_id)}/commitments/{commitment_id}"


def commitment_data(**overrides) -> dict:
    """What staff send to edit a commitment: everything the form shows."""
    return {
        "text_es": "Abrir dos parques",
        "text_en": "Open two parks",
        "due_on": "",
        "status": "planned",
        "reason_es": "",
        "reason_en": "",
    } | overrides


def person(email: str, city: City, language: str = "en") -> User:
    """The account with this address, made once (two consultations of a test share their respondents)."""
    existing = db.session.scalar(sa.select(User).where(User.email == email))
    return existing or make_user(email, city=city, display_name=email.split("@")[0].title(), language=language)


def respondents(city: City, target: Consultation) -> None:
    """Ana (English) and Bea (Spanish) submitted; Carla only drafted; Dani answered another consultation; Eli
    submitted, then deleted the account."""
    for email, language in RESPONDENTS.items():
        add_response(target, person(email, city, language))
    add_response(target, person("carla@example.org", city), submitted=False)
    add_response(make_consultation(city, "closed"), person("dani@example.org", city))
    deleted = make_user(f"eli-{target.id}@example.org", city=city)
    add_response(target, deleted)
    deleted.email, deleted.display_name, deleted.deleted_at = None, None, utcnow()
    db.session.commit()


@pytest.fixture
def closed(app, staff) -> int:
    """A closed consultation of Murcia with its respondents, its outcome not yet written."""
    with app.app_context():
        target = make_consultation(city(), "closed")
        respondents(city(), target)
        return target.id


@pytest.fixture
def published(app, staff) -> int:
    """A consultation whose outcome is published, with two planned commitments and its respondents."""
    with app.app_context():
        target = make_consultation(city(), "outcome-published")
        target.commitments = [
            Commitment(position=1, text={"es": "Abrir dos parques", "en": "Open two parks"}),
            Commitment(position=2, text={"es": "Un skatepark"}, due_on=date(2031, 3, 1)),
        ]
        respondents(city(), target)
        return target.id


def someone_else(app, email: str):
    """Another person's browser, signed in as `email`."""
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert login(browser, email).status_code == 200
    return browser


def first_commitment(app, consultation_id: int) -> int:
    with app.app_context():
        return commitments_of(consultation_id)[0].id


# Before closing -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["draft", "scheduled", "open"])
def test_there_is_no_outcome_to_write_before_closing(app, staff, stage):
    """409 rather than 404: the consultation exists and staff may see it; it is its stage that conflicts."""
    with app.app_context():
        consultation_id = make_consultation(city(), stage).id

    page = staff.get(outcome_url(consultation_id))
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "The outcome can be written once the consultation has closed." in html
    assert 'id="outcome_es"' not in html

    refused = submit(
        staff,
        outcome_url(consultation_id),
        {"outcome_es": "Haremos algo", "publish": "", "confirmed": "yes"},
        page=f"{MANAGE}/{consultation_id}/edit",
    )
    assert refused.status_code == 409
    added = submit(
        staff,
        f"{outcome_url(consultation_id)}/commitments",
        {"text_es": "Algo"},
        page=f"{MANAGE}/{consultation_id}/edit",
    )
    assert added.status_code == 409
    with app.app_context():
        assert consultation(consultation_id).outcome == {}
        assert consultation(consultation_id).commitments == []
        assert events("consultation.outcome_edited") == [] and events("consultation.commitment_added") == []


def test_the_edit_page_links_to_the_outcome(staff, closed):
    html = staff.get(f"{MANAGE}/{closed}/edit").get_data(as_text=True)
    assert f'href="{outcome_url(closed)}"' in html


# The outcome statement ----------------------------------------------------------------------------------------------


def test_the_page_asks_for_the_statement_in_each_city_language(staff, closed):
    page = staff.get(outcome_url(closed))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="outcome_es"' in html and 'id="outcome_en"' in html
    assert "What the city will do (Spanish)" in html and "Required to publish" in html
    assert "Save" in html and "Publish the outcome" in html
    assert "emails the 2 people who answered" in html  # submitted, with an account: not Carla, Dani or Eli


def test_saving_keeps_the_statement_for_staff_only(app, visitor, staff, closed, outbox):
    response = submit(
        staff, outcome_url(closed), {"outcome_es": "Abriremos **dos** parques.", "outcome_en": "", "save": ""}
    )
    assert response.status_code == 302
    assert "The outcome statement was saved. Only staff can see it" in staff.get(response.headers["Location"]).get_data(
        as_text=True
    )
    with app.app_context():
        assert consultation(closed).outcome == {"es": "Abriremos **dos** parques."}
        assert consultation(closed).stage() == Stage.CLOSED
        [event] = events("consultation.outcome_edited")
        assert (event.target_type, event.target_id) == ("consultations", closed)
        assert event.detail == {"languages": ["es"], "published": False}
        assert updates() == []
    assert outbox_messages(outbox) == []
    public = visitor.get(public_url(closed)).get_data(as_text=True)
    assert "Abriremos" not in public and "You said, we did" not in public


def test_publishing_needs_the_statement_in_the_default_language(app, staff, closed, outbox):
    response = submit(
        staff,
        outcome_url(closed),
        {"outcome_es": "  ", "outcome_en": "We will open two parks.", "publish": "", "confirmed": "yes"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(html, "outcome_es") == "Write the outcome statement in the city's default language first."
    assert textarea(html, "outcome_en") == "We will open two parks."  # typed text kept
    with app.app_context():
        assert consultation(closed).outcome == {}
        assert consultation(closed).stage() == Stage.CLOSED
        assert updates() == [] and events("consultation.outcome_published") == []
    assert outbox_messages(outbox) == []


def test_a_statement_too_long_is_refused_beside_the_field(app, staff, closed):
    response = submit(staff, outcome_url(closed), {"outcome_es": "x" * 20001, "save": ""})
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "outcome_es") == "Use at most 20000 characters."
    with app.app_context():
        assert consultation(closed).outcome == {}


def test_publishing_tells_each_respondent_once_in_their_language(app, visitor, staff, closed, outbox):
    response = submit(
        staff,
        outcome_url(closed),
        {
            "outcome_es": "Abriremos dos parques.",
            "outcome_en": "We will open two parks.",
            "publish": "",
            "confirmed": "yes",
        },
    )
    assert response.status_code == 302
    assert "The outcome is published. 2 respondents were told by email." in staff.get(
        response.headers["Location"]
    ).get_data(as_text=True)

    with app.app_context():
        target = consultation(closed)
        assert target.stage() == Stage.OUTCOME_PUBLISHED
        [update] = updates()
        assert (update.consultation_id, update.kind, update.status, update.commitment_id) == (
            closed,
            "outcome-published",
            None,
            None,
        )
        [event] = events("consultation.outcome_published")
        assert (event.target_type, event.target_id) == ("consultations", closed) and event.city_id == target.city_id

    messages = outbox_messages(outbox)
    assert sorted(m["To"] for m in messages) == sorted(RESPONDENTS)  # not drafts, other consultations, deleted
    by_address = {m["To"]: m for m in messages}
    for address, language in RESPONDENTS.items():
        message = by_address[address]
        assert message["Content-Language"] == language
        assert link_in(message, "/consultations/") == public_url(closed)
        assert link_in(message, "/account/") == "/account/participation"
        assert f'href="http://localhost{public_url(closed)}"' in html_of(message)
    english = by_address["ana@example.org"]
    assert english["Subject"] == "What Murcia will do after “Our parks”"
    assert "Hello Ana," in text_of(english) and "We will open two parks." in text_of(english)
    spanish = by_address["bea@example.org"]
    assert "Abriremos dos parques." in text_of(spanish)  # the statement in her language
    assert "Parks (es)" in spanish["Subject"]  # the title in her language

    public = visitor.get(public_url(closed)).get_data(as_text=True)
    assert "You said, we did" in public and "We will open two parks." in public


def test_publishing_twice_is_refused_and_tells_nobody_again(app, staff, closed, outbox):
    data = {"outcome_es": "Abriremos dos parques.", "publish": "", "confirmed": "yes"}
    assert submit(staff, outcome_url(closed), data).status_code == 302
    again = submit(staff, outcome_url(closed), data)
    assert again.status_code == 409
    assert "This is not possible while the consultation is outcome published." in again.get_data(as_text=True)
    assert len(outbox_messages(outbox)) == 2
    with app.app_context():
        assert len(updates()) == 1 and len(events("consultation.outcome_published")) == 1


def test_respondents_are_found_in_one_query_whatever_their_number(app, staff, outbox):
    """Publishing runs as many queries with two respondents as with six: no query per person."""
    counts = []
    for number in (2, 6):
        with app.app_context():
            target = make_consultation(city(), "closed")
            for index in range(number):
                add_response(
                    target,
                    make_user(f"r{number}-{index}@example.org", city=city(), language="es" if index % 2 else "en"),
                )
            target_id = target.id
        data = {"outcome_es": "Abriremos dos parques.", "publish": "", "confirmed": "yes"}
        staff.get(outcome_url(target_id))
        with app.app_context(), count_queries() as queries:
            assert submit(staff, outcome_url(target_id), data, page=f"{MANAGE}/{target_id}/edit").status_code == 302
        counts.append(len(queries))
    assert len(outbox_messages(outbox)) == 8
    assert counts[0] == counts[1]


def test_the_statement_can_be_corrected_after_publishing(app, visitor, staff, published, outbox):
    page = staff.get(outcome_url(published)).get_data(as_text=True)
    assert "Save the correction" in page and "Publish the outcome" not in page
    assert textarea(page, "outcome_en") == "We will open two parks late."

    response = submit(
        staff,
        outcome_url(published),
        {"outcome_es": "Resultado corregido", "outcome_en": "We will open three parks late.", "save": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        assert consultation(published).outcome == {"es": "Resultado corregido", "en": "We will open three parks late."}
        [event] = events("consultation.outcome_edited")
        assert (event.target_type, event.target_id) == ("consultations", published)
        assert event.detail == {"languages": ["en", "es"], "published": True}
        assert updates() == []
    assert outbox_messages(outbox) == []  # a correction is not news
    assert "We will open three parks late." in visitor.get(public_url(published)).get_data(as_text=True)


def test_an_archived_outcome_is_read_only(app, staff):
    with app.app_context():
        target = make_consultation(city(), "archived")
        target.commitments = [Commitment(position=1, text={"es": "Abrir dos parques"})]
        db.session.commit()
        target_id, commitment_id = target.id, target.commitments[0].id
    page = staff.get(outcome_url(target_id))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Archived: the outcome and the commitments stay as they are." in html
    assert "Abrir dos parques" in html and "<textarea" not in html
    refused = submit(staff, outcome_url(target_id), {"outcome_es": "Otro", "save": ""}, page=outcome_url(target_id))
    assert refused.status_code == 409
    assert "The consultation is archived" in refused.get_data(as_text=True)
    assert staff.get(commitment_url(target_id, commitment_id)).status_code == 409
    with app.app_context():
        assert consultation(target_id).outcome["es"] == "Outcome"


# Commitments --------------------------------------------------------------------------------------------------------


def test_staff_add_commitments_which_keep_their_order(app, staff, closed):
    due = (date.today() + timedelta(days=60)).isoformat()
    first = submit(
        staff,
        f"{outcome_url(closed)}/commitments",
        {"text_es": "Abrir dos parques", "text_en": "Open two parks", "due_on": due},
        page=outcome_url(closed),
    )
    assert first.status_code == 302
    second = submit(
        staff,
        f"{outcome_url(closed)}/commitments",
        {"text_es": "Un skatepark", "text_en": ""},
        page=outcome_url(closed),
    )
    assert second.status_code == 302
    with app.app_context():
        first_one, second_one = commitments_of(closed)
        assert (first_one.position, first_one.text, first_one.due_on.isoformat(), first_one.status) == (
            1,
            {"es": "Abrir dos parques", "en": "Open two parks"},
            due,
            CommitmentStatus.PLANNED,
        )
        assert (second_one.position, second_one.text, second_one.due_on) == (2, {"es": "Un skatepark"}, None)
        assert [e.detail["position"] for e in events("consultation.commitment_added")] == [1, 2]
        assert first.headers["Location"].endswith(f"#commitment-{first_one.id}")
    html = staff.get(outcome_url(closed)).get_data(as_text=True)
    assert html.index("Abrir dos parques") < html.index("Un skatepark")
    assert "Not yet written in" in html and "English" in html  # the skatepark has no English text


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"text_es": "  ", "text_en": "Open two parks"}, "text_es", "Say what the city commits to, in Spanish."),
        (
            {"text_es": "Abrir parques", "due_on": (date.today() - timedelta(days=3)).isoformat()},
            "due_on",
            "This date has passed. Choose today or a later date.",
        ),
        ({"text_es": "Abrir parques", "due_on": "next spring"}, "due_on", "Enter a date, e.g. 2026-09-30."),
        ({"text_es": "x" * 1001}, "text_es", "Use at most 1000 characters."),
    ],
)
def test_a_bad_commitment_is_refused_beside_the_field(app, staff, closed, data, field_id, message):
    response = submit(staff, f"{outcome_url(closed)}/commitments", data, page=outcome_url(closed))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(html, field_id) == message
    if data["text_es"].strip() and len(data["text_es"]) < 1000:
        assert textarea(html, "text_es") == data["text_es"]
    if "due_on" in data:
        assert input_value(html, "due_on") == data["due_on"]
    if data.get("text_en"):
        assert textarea(html, "text_en") == data["text_en"]
    with app.app_context():
        assert commitments_of(closed) == [] and events("consultation.commitment_added") == []


def test_not_possible_needs_a_reason_in_the_default_language(app, staff, published, outbox):
    commitment_id = first_commitment(app, published)
    response = submit(
        staff, commitment_url(published, commitment_id), commitment_data(status="not-possible", reason_en="No land")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(html, "reason_es") == "Say why it is not possible, in Spanish: young people will read it."
    assert textarea(html, "reason_en") == "No land"
    assert re.search(r'<input checked[^>]*value="not-possible"|value="not-possible"[^>]*checked', html)
    with app.app_context():
        assert commitments_of(published)[0].status == CommitmentStatus.PLANNED
        assert updates() == [] and events("consultation.commitment_changed") == []
    assert outbox_messages(outbox) == []


def test_an_unknown_status_is_refused(app, staff, published):
    commitment_id = first_commitment(app, published)
    response = submit(staff, commitment_url(published, commitment_id), commitment_data(status="forgotten"))
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "status") == "Not a valid choice."
    with app.app_context():
        assert commitments_of(published)[0].status == CommitmentStatus.PLANNED


def test_a_new_status_is_told_to_every_respondent_once(app, staff, published, outbox):
    commitment_id = first_commitment(app, published)
    response = submit(staff, commitment_url(published, commitment_id), commitment_data(status="in-progress"))
    assert response.status_code == 302
    assert "The commitment is now “In progress”. 2 respondents were told by email." in staff.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    with app.app_context():
        [update] = updates()
        assert (update.kind, update.status, update.commitment_id, update.consultation_id) == (
            "commitment-status",
            CommitmentStatus.IN_PROGRESS,
            commitment_id,
            published,
        )
        [event] = events("consultation.commitment_changed")
        assert event.detail["old_status"] == "planned" and event.detail["new_status"] == "in-progress"
        assert event.detail["commitment_id"] == commitment_id
    messages = outbox_messages(outbox)
    assert sorted(m["To"] for m in messages) == sorted(RESPONDENTS)
    english = next(m for m in messages if m["To"] == "ana@example.org")
    assert english["Subject"] == "News from Murcia on “Our parks”"
    assert "“Open two parks”" in text_of(english) and "Now: In progress" in text_of(english)
    assert link_in(english, "/consultations/") == public_url(published)
    assert next(m for m in messages if m["To"] == "bea@example.org")["Content-Language"] == "es"

    # The same status again is no change: nobody is told twice.
    again = submit(staff, commitment_url(published, commitment_id), commitment_data(status="in-progress"))
    assert again.status_code == 302
    assert len(outbox_messages(outbox)) == 2
    with app.app_context():
        assert len(updates()) == 1 and len(events("consultation.commitment_changed")) == 1

    # The respondent sees it on their participation page too.
    participation = someone_else(app, "ana@example.org").get("/account/participation").get_data(as_text=True)
    assert "“Open two parks” is now: In progress" in participation


def test_not_possible_with_a_reason_is_shown_and_told(app, visitor, staff, published, outbox):
    commitment_id = first_commitment(app, published)
    response = submit(
        staff,
        commitment_url(published, commitment_id),
        commitment_data(status="not-possible", reason_es="No hay terreno", reason_en="No land left"),
    )
    assert response.status_code == 302
    with app.app_context():
        commitment = commitments_of(published)[0]
        assert commitment.reason == {"es": "No hay terreno", "en": "No land left"}
    english = next(m for m in outbox_messages(outbox) if m["To"] == "ana@example.org")
    assert "Why it is not possible: No land left" in text_of(english)
    public = visitor.get(public_url(published)).get_data(as_text=True)
    assert "Not possible" in public and "No land left" in public

    # Back to planned: the reason no longer applies and is dropped.
    submit(staff, commitment_url(published, commitment_id), commitment_data(status="planned", reason_es="x"))
    with app.app_context():
        assert commitments_of(published)[0].reason == {}
    assert len(outbox_messages(outbox)) == 4


def test_editing_the_text_alone_tells_nobody(app, staff, published, outbox):
    commitment_id = first_commitment(app, published)
    response = submit(
        staff, commitment_url(published, commitment_id), commitment_data(text_en="Open two parks until midnight")
    )
    assert response.status_code == 302
    with app.app_context():
        assert commitments_of(published)[0].text["en"] == "Open two parks until midnight"
        [event] = events("consultation.commitment_changed")
        assert event.detail["changed"] == ["text"] and "old_status" not in event.detail
        assert updates() == []
    assert outbox_messages(outbox) == []


def test_a_past_due_date_may_stay_but_not_be_newly_set(app, staff, published):
    with app.app_context():
        commitment = commitments_of(published)[0]
        commitment.due_on = date.today() - timedelta(days=30)
        db.session.commit()
        commitment_id, kept = commitment.id, commitment.due_on.isoformat()
    assert (
        submit(staff, commitment_url(published, commitment_id), commitment_data(due_on=kept, status="done")).status_code
        == 302
    )
    moved = (date.today() - timedelta(days=2)).isoformat()
    refused = submit(staff, commitment_url(published, commitment_id), commitment_data(due_on=moved))
    assert refused.status_code == 422
    assert (
        error_beside(refused.get_data(as_text=True), "due_on") == "This date has passed. Choose today or a later date."
    )


def test_status_changes_before_publishing_tell_nobody(app, staff, closed, outbox):
    submit(staff, f"{outcome_url(closed)}/commitments", {"text_es": "Abrir dos parques"}, page=outcome_url(closed))
    commitment_id = first_commitment(app, closed)
    response = submit(staff, commitment_url(closed, commitment_id), commitment_data(status="in-progress"))
    assert response.status_code == 302
    with app.app_context():
        assert commitments_of(closed)[0].status == CommitmentStatus.IN_PROGRESS
        assert len(events("consultation.commitment_changed")) == 1
        assert updates() == []
    assert outbox_messages(outbox) == []


def test_a_commitment_can_be_removed_only_before_publishing(app, staff, closed, published):
    submit(staff, f"{outcome_url(closed)}/commitments", {"text_es": "Por error"}, page=outcome_url(closed))
    mistaken = first_commitment(app, closed)
    removed = submit(staff, f"{commitment_url(closed, mistaken)}/remove", page=outcome_url(closed))
    assert removed.status_code == 302
    kept = first_commitment(app, published)
    refused = submit(staff, f"{commitment_url(published, kept)}/remove", page=outcome_url(published))
    assert refused.status_code == 409
    assert "commitments stay on record" in refused.get_data(as_text=True)
    with app.app_context():
        assert commitments_of(closed) == [] and len(commitments_of(published)) == 2
        assert len(events("consultation.commitment_removed")) == 1


def test_a_commitment_of_another_consultation_is_not_found(app, staff, closed, published):
    other = first_commitment(app, published)
    assert staff.get(commitment_url(closed, other)).status_code == 404
    assert (
        submit(
            staff, commitment_url(closed, other), commitment_data(status="done"), page=outcome_url(closed)
        ).status_code
        == 404
    )
    with app.app_context():
        assert commitments_of(published)[0].status == CommitmentStatus.PLANNED


# The public page ----------------------------------------------------------------------------------------------------


def test_the_public_page_shows_the_outcome_first_and_the_commitments_in_order(app, visitor, staff, published):
    html = visitor.get(public_url(published)).get_data(as_text=True)
    assert html.index("You said, we did") < html.index("We want to <strong>hear</strong> from you.")
    assert html.index("Open two parks") < html.index("Un skatepark") < html.index("About this consultation")
    assert "Planned" in html and "Mar 1, 2031" in html


def test_markup_in_the_outcome_and_commitments_is_inert_on_the_public_page(app, visitor, staff, closed):
    submit(
        staff,
        outcome_url(closed),
        {"outcome_es": "x", "outcome_en": f"{XSS}\n\n[see](javascript:alert(1))", "save": ""},
    )
    submit(staff, f"{outcome_url(closed)}/commitments", {"text_es": XSS, "text_en": XSS}, page=outcome_url(closed))
    staff_page = staff.get(outcome_url(closed)).get_data(as_text=True)
    assert XSS not in staff_page and ESCAPED in staff_page
    commitment_id = first_commitment(app, closed)
    submit(
        staff,
        commitment_url(closed, commitment_id),
        commitment_data(text_es=XSS, text_en=XSS, status="not-possible", reason_es=XSS, reason_en=XSS),
    )
    assert (
        submit(
            staff,
            outcome_url(closed),
            {
                "outcome_es": "x",
                "outcome_en": f"{XSS}\n\n[see](javascript:alert(1))",
                "publish": "",
                "confirmed": "yes",
            },
        ).status_code
        == 302
    )
    html = visitor.get(public_url(closed)).get_data(as_text=True)
    assert XSS not in html and 'href="javascript:' not in html
    assert f"<p>{ESCAPED}</p>" in html  # Markdown's raw HTML is escaped, the commitment text too
    assert html.count(ESCAPED) >= 3  # outcome, commitment, reason


# Who may do this ----------------------------------------------------------------------------------------------------

ROUTES = [
    ("GET", "{outcome}"),
    ("POST", "{outcome}"),
    ("POST", "{outcome}/commitments"),
    ("GET", "{outcome}/commitments/{commitment}"),
    ("POST", "{outcome}/commitments/{commitment}"),
    ("POST", "{outcome}/commitments/{commitment}/remove"),
]


@pytest.fixture
def murcia_closed_with_commitment(app, staff) -> tuple[int, int]:
    with app.app_context():
        target = make_consultation(city(), "closed")
        target.commitments = [Commitment(position=1, text={"es": "Abrir dos parques"})]
        db.session.commit()
        return target.id, target.commitments[0].id


def address(route: str, consultation_id: int, commitment_id: int, slug: str = "murcia") -> str:
    outcome = f"/cities/{slug}/manage/consultations/{consultation_id}/outcome"
    return route.format(outcome=outcome, commitment=commitment_id)


@pytest.mark.parametrize(("method", "route"), ROUTES)
@pytest.mark.parametrize("through", ["murcia", "beirut"])
def test_staff_of_another_city_find_nothing(app, murcia_closed_with_commitment, method, route, through):
    """Beirut's staff get 404 on Murcia's consultation, through Murcia's address or their own."""
    consultation_id, commitment_id = murcia_closed_with_commitment
    with app.app_context():
        beirut = make_city(
            "beirut",
            country="LB",
            region=Region.MENA,
            timezone="Asia/Beirut",
            default_language="ar",
            languages=["ar", "en"],
        )
        make_user("b-staff@example.org", city=beirut, city_role=CityRoleName.CITY_ADMIN)
    browser = someone_else(app, "b-staff@example.org")
    url = address(route, consultation_id, commitment_id, through)
    data = {
        "outcome_ar": "x",
        "outcome_es": "x",
        "text_es": "x",
        "text_ar": "x",
        "status": "done",
        "publish": "",
        "confirmed": "yes",
    }
    response = browser.get(url) if method == "GET" else submit(browser, url, data, page="/")
    assert response.status_code == 404
    with app.app_context():
        target = consultation(consultation_id)
        assert target.outcome == {} and target.stage() == Stage.CLOSED
        assert [(c.text, c.status) for c in target.commitments] == [
            ({"es": "Abrir dos parques"}, CommitmentStatus.PLANNED)
        ]


@pytest.mark.parametrize("role", [CityRoleName.MODERATOR, None])
def test_moderators_and_residents_find_nothing(app, murcia_closed_with_commitment, role):
    consultation_id, commitment_id = murcia_closed_with_commitment
    with app.app_context():
        make_user("other@example.org", city=city(), city_role=role)
    browser = someone_else(app, "other@example.org")
    for method, route in ROUTES:
        url = address(route, consultation_id, commitment_id)
        response = (
            browser.get(url) if method == "GET" else submit(browser, url, {"publish": "", "confirmed": "yes"}, page="/")
        )
        assert response.status_code == 404, url


def test_city_admins_may_publish(app, closed, outbox):
    with app.app_context():
        make_user("admin@example.org", city=city(), city_role=CityRoleName.CITY_ADMIN)
    admin = someone_else(app, "admin@example.org")
    response = submit(
        admin, outcome_url(closed), {"outcome_es": "Abriremos parques.", "publish": "", "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert len(outbox_messages(outbox)) == 2


@pytest.mark.parametrize(("method", "route"), [r for r in ROUTES if r[0] == "POST"])
def test_posts_without_the_csrf_token_are_refused(app, staff, murcia_closed_with_commitment, method, route):
    consultation_id, commitment_id = murcia_closed_with_commitment
    response = staff.post(
        address(route, consultation_id, commitment_id),
        data={"outcome_es": "x", "text_es": "x", "status": "done", "publish": "", "confirmed": "yes"},
    )
    assert response.status_code == 400
    with app.app_context():
        target = consultation(consultation_id)
        assert target.outcome == {} and target.stage() == Stage.CLOSED
        assert [(c.text, c.status) for c in target.commitments] == [
            ({"es": "Abrir dos parques"}, CommitmentStatus.PLANNED)
        ]
