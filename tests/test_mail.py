"""Emails as a mail program reads them: headers, a plain-text and an HTML part, in the recipient's language."""
from datetime import timedelta

from support import html_of, outbox_messages, text_of

from youth_portal import mail


def send_reset(app, to: str, language: str = "fr") -> None:
    with app.test_request_context():
        mail.send(to, "Choisis un nouveau mot de passe : “Été”", "reset_password", language,
                  display_name="Zoé", link="http://localhost/password/reset/abc", valid_for=timedelta(hours=1))


def test_an_email_has_its_headers_and_both_parts_in_the_recipients_language(app, outbox):
    send_reset(app, "zoe@example.org")
    [message] = outbox_messages(outbox)
    assert message["Subject"] == "Choisis un nouveau mot de passe : “Été”"
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
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
