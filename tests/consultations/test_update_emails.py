"""Emailing every respondent about an update, at any scale: in batches that remember how far they got, by the page
or by the worker (`flask send-emails`), never twice to anyone, whatever stops a run."""

import socket

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from consultation_factory import add_response, make_consultation
from consultation_support import city, outcome_url, public_url
from support import link_in, make_user, outbox_messages, submit
from youth_portal import mail
from youth_portal.config import apply_public_url
from youth_portal.consultations.models import ConsultationUpdate
from youth_portal.consultations.outcome import update_emails
from youth_portal.extensions import db

pytestmark = pytest.mark.usefixtures("english")

PEOPLE = 7
PUBLISH = {
    "outcome_es": "Abriremos dos parques.",
    "outcome_en": "We will open two parks.",
    "publish": "",
    "confirmed": "yes",
}


@pytest.fixture
def closed(app, staff) -> int:
    """A closed consultation of Murcia answered by PEOPLE people, in English and Spanish by turns."""
    with app.app_context():
        target = make_consultation(city(), "closed")
        for number in range(PEOPLE):
            add_response(
                target,
                make_user(
                    f"r{number}@example.org",
                    city=city(),
                    display_name=f"R{number}",
                    language="es" if number % 2 else "en",
                ),
            )
        return target.id


def the_update() -> ConsultationUpdate:
    return db.session.scalars(sa.select(ConsultationUpdate)).one()


def publish(staff, consultation_id: int) -> str:
    """Publish the outcome; the message staff see next."""
    response = submit(staff, outcome_url(consultation_id), PUBLISH)
    assert response.status_code == 302
    return staff.get(response.headers["Location"]).get_data(as_text=True)


def outcome_page(staff, consultation_id: int) -> str:
    return staff.get(outcome_url(consultation_id)).get_data(as_text=True)


def addressees(outbox) -> list[str]:
    return sorted(message["To"] for message in outbox_messages(outbox))


EVERYONE = sorted(f"r{number}@example.org" for number in range(PEOPLE))


def test_with_a_worker_the_page_emails_nobody_and_the_worker_tells_each_respondent_once(
    app, staff, closed, outbox, runner
):
    app.config["MAIL_WORKER"] = True
    assert "The outcome is published. 7 respondents are being told by email." in publish(staff, closed)
    assert outbox_messages(outbox) == []
    assert "Emails to respondents about the latest change: 0 of 7 sent so far." in outcome_page(staff, closed)
    with app.app_context():
        assert the_update().emailed_at is None
    app.config["PUBLIC_URL"] = "https://portal.example.org"
    apply_public_url(app.config)  # the worker's links: on the public address (the test client's host until now)

    result = runner.invoke(args=["send-emails"])
    assert result.exit_code == 0 and "7 emails sent." in result.output
    assert addressees(outbox) == EVERYONE
    for message in outbox_messages(outbox):
        assert link_in(message, "https://portal.example.org/cities/") == public_url(closed)
    with app.app_context():
        assert the_update().emailed_at is not None

    again = runner.invoke(args=["send-emails"])
    assert again.exit_code == 0 and "0 emails sent." in again.output
    assert addressees(outbox) == EVERYONE
    assert "sent so far" not in outcome_page(staff, closed)


def test_a_run_cut_short_goes_on_where_it_stopped_and_emails_nobody_twice(
    app, staff, closed, outbox, runner, monkeypatch
):
    monkeypatch.setattr(update_emails, "BATCH", 3)
    write = mail._write_to_outbox
    written = []

    def disk_full_at_the_fifth(message):
        if len(written) == 4:
            raise OSError("No space left on device")
        written.append(message["To"])
        write(message)

    monkeypatch.setattr(mail, "_write_to_outbox", disk_full_at_the_fifth)
    # The page stops after four emails (a batch of three, then one) and says the rest are on their way.
    assert "The outcome is published. 7 respondents are being told by email." in publish(staff, closed)
    assert addressees(outbox) == EVERYONE[:4]
    with app.app_context():
        assert the_update().emailed_at is None
    assert "Emails to respondents about the latest change: 4 of 7 sent so far." in outcome_page(staff, closed)

    monkeypatch.setattr(mail, "_write_to_outbox", write)
    result = runner.invoke(args=["send-emails"])
    assert result.exit_code == 0 and "3 emails sent." in result.output
    assert addressees(outbox) == EVERYONE
    with app.app_context():
        assert the_update().emailed_at is not None


class MailServer:
    """What an SMTP server on loopback received: (the connection's client address, recipients) per email. It refuses
    the addresses in `refused`, as a server does for a mailbox that does not exist."""

    def __init__(self, refused: set[str]):
        self.refused, self.received = refused, []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((session.peer, envelope.rcpt_tos))
        return "250 OK"


@pytest.fixture
def mail_server(app):
    """A real SMTP server on a free loopback port, which the app sends to (without STARTTLS)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = MailServer(refused={"r3@example.org"})
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    yield server
    controller.stop()


def test_respondents_are_emailed_a_batch_per_smtp_connection_and_a_refused_address_is_skipped(
    app, staff, closed, mail_server, monkeypatch
):
    monkeypatch.setattr(update_emails, "BATCH", 3)
    assert "The outcome is published. 6 respondents were told by email." in publish(staff, closed)
    told = sorted(address for _peer, addresses in mail_server.received for address in addresses)
    assert told == [address for address in EVERYONE if address != "r3@example.org"]
    assert len({peer for peer, _addresses in mail_server.received}) == 3  # 3 + 3 + 1 people, one connection each
    with app.app_context():
        assert the_update().emailed_at is not None


def test_when_the_mail_server_is_down_the_worker_says_so_and_the_next_run_tells_everyone(
    app, staff, closed, outbox, runner
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there: the connection is refused
    assert "The outcome is published. 7 respondents are being told by email." in publish(staff, closed)
    failed = runner.invoke(args=["send-emails"])
    assert failed.exit_code == 1 and "Emailing stopped" in failed.output and "Run again to go on." in failed.output

    app.config["MAIL_SERVER"] = ""
    result = runner.invoke(args=["send-emails"])
    assert result.exit_code == 0 and "7 emails sent." in result.output
    assert addressees(outbox) == EVERYONE
