"""Emails as a mail program reads them: headers, a plain-text and an HTML part, in the recipient's language."""

from datetime import timedelta

import pytest
from flask_babel import lazy_gettext as _l

from support import html_of, outbox_messages, text_of
from youth_portal import mail
from youth_portal.extensions import db

SUBJECT = "Choisis un nouveau mot de passe : “Été”"


def reset_email(to: str):
    return mail.compose(
        to,
        SUBJECT,
        "reset_password",
        "fr",
        display_name="Zoé",
        link="http://localhost/password/reset/abc",
        valid_for=timedelta(hours=1),
    )


def send_reset(app, to: str) -> None:
    with app.test_request_context():
        mail.deliver(reset_email(to))


def test_an_email_has_its_headers_and_both_parts_in_the_recipients_language(app, outbox):
    send_reset(app, "zoe@example.org")
    [message] = outbox_messages(outbox)
    assert message["Subject"] == SUBJECT
    assert message["From"] == "Portail Jeunesse <no-reply@youth-portal.invalid>"  # the name in French
    assert message["To"] == "zoe@example.org"
    assert message["Date"] and message["Message-ID"].endswith("@youth-portal.invalid>")
    assert message["Content-Language"] == "fr"
    assert message.get_content_type() == "multipart/alternative"
    assert text_of(message).startswith("Bonjour Zoé,") and "http://localhost/password/reset/abc\n" in text_of(message)
    assert "<p>Bonjour Zoé,</p>" in html_of(message) and 'lang="fr"' in html_of(message)


def test_an_address_outside_ascii_stays_an_address(app, outbox):
    send_reset(app, "zoé@exemple.fr")
    [message] = outbox_messages(outbox)
    assert message["To"] == "zoé@exemple.fr"
    assert message["To"].addresses[0].domain == "exemple.fr"
    assert text_of(message).startswith("Bonjour Zoé,")


@pytest.mark.parametrize("to", ["zoe@example.org", "zoé@exemple.fr"])
def test_an_email_left_to_the_worker_goes_as_it_was_composed(app, outbox, runner, to):
    with app.test_request_context():
        mail.queue(reset_email(to))
        db.session.commit()
    result = runner.invoke(args=["send-emails"])
    assert result.exit_code == 0 and "1 emails sent." in result.output
    [message] = outbox_messages(outbox)
    assert (message["To"], message["Subject"], message["Content-Language"]) == (to, SUBJECT, "fr")
    assert text_of(message).startswith("Bonjour Zoé,") and "<p>Bonjour Zoé,</p>" in html_of(message)


def test_a_subject_is_one_line_in_the_recipients_language(app, outbox):
    """A lazy subject is read in the recipient's language; a line break in it (a title staff typed) stays inside the
    subject instead of ending the header (where the next line would be read as a header of its own)."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        mail.deliver(
            mail.compose(
                "zoe@example.org",
                _l("Choose a new password for Youth Portal"),
                "reset_password",
                "fr",
                display_name="Zoé",
                link="http://localhost/x",
                valid_for=timedelta(hours=1),
            )
        )
        mail.deliver(
            mail.compose(
                "zoé@exemple.fr",
                "Parcs\r\nBcc: intrus@example.org",
                "reset_password",
                "fr",
                display_name="Zoé",
                link="http://localhost/x",
                valid_for=timedelta(hours=1),
            )
        )
    translated, broken = outbox_messages(outbox)
    assert translated["Subject"] == "Choisis un nouveau mot de passe pour Portail Jeunesse"
    assert broken["Subject"] == "Parcs Bcc: intrus@example.org" and broken["Bcc"] is None
