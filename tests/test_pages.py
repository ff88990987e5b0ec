"""The privacy notice and the terms, in every language; the language switcher; security headers."""

import re

import pytest

from support import login, make_city, make_user
from youth_portal.i18n import LANGUAGES

PAGES = {"/privacy": "Privacy notice", "/terms": "Terms and community standards"}


def html_lang(response) -> str:
    return response.get_data(as_text=True).split('<html lang="', 1)[1].split('"', 1)[0]


def html_dir(response) -> str:
    return response.get_data(as_text=True).split(' dir="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_render_in_every_language_with_the_right_direction(client, path, language):
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200
    assert html_lang(response) == language
    assert html_dir(response) == ("rtl" if language == "ar" else "ltr")


def test_privacy_notice_covers_what_a_young_reader_needs(client):
    page = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == [
        "Who we are",
        "What we collect and why",
        "What we never collect",
        "Who sees what",
        "How long we keep it",
        "If you are young: your parent or guardian",
        "Your rights",
        "How to contact your city",
    ]
    for words in (
        "Your real name.",
        "Your full date of birth.",
        "never track your location",
        "numbers only",
        "Download:",
        "Delete:",
        "Correct:",
        "Version 2026-12",
    ):
        assert words in page


def test_terms_cover_the_community_standards_and_appeals(client):
    response = client.get("/terms", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for words in (
        "Be respectful",
        "No hate",
        "No harassment",
        "No personal details of others",
        "what they did, why, and which rule",
        "you can appeal",
        "Staying safe",
        "Version 2026-12",
    ):
        assert words in page


@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), ("/privacy", 200), ("/terms", 200), ("/login", 200), ("/register", 200), ("/cities/nowhere/", 404)],
)
def test_privacy_and_terms_are_linked_from_every_page(client, path, status):
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert 'href="/privacy"' in page and 'href="/terms"' in page


def test_sentences_are_short_enough_for_a_young_reader(client):
    """A readability guard: no sentence of the notice or the terms runs past 30 words."""
    for path in PAGES:
        html = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        text = re.sub(r"<[^>]+>", "\n", main)
        sentences = [s for s in re.split(r"[.!?:]\s|\n", text) if s.strip()]
        longest = max(sentences, key=lambda s: len(s.split()))
        assert len(longest.split()) <= 30, longest


# The language switcher


@pytest.mark.parametrize("path", PAGES)
def test_switcher_changes_the_page_language(client, path):
    assert html_lang(client.get(path, headers={"Accept-Language": "en"})) == "en"

    response = client.post("/language", data={"language": "ar", "next": path})  # a visitor's form has no token

    assert response.status_code == 302 and response.headers["Location"] == path
    page = client.get(path, headers={"Accept-Language": "en"})
    assert html_lang(page) == "ar" and html_dir(page) == "rtl"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/privacy", "javascript:alert(1)"])
def test_switcher_refuses_to_redirect_elsewhere(client, target):
    response = client.post("/language", data={"language": "fr", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# Security headers


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_the_pages(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    directives = dict(([*part.strip().split(" ", 1), ""])[:2] for part in policy.split(";") if part.strip())
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"  # no inline script at all, so no nonce is needed
    assert "'unsafe-inline'" not in policy
    assert re.findall(r"<script(?![^>]* src=)", response.get_data(as_text=True)) == []
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_public_pages_are_not_marked_no_store_for_visitors(client):
    assert "no-store" not in client.get("/privacy").headers.get("Cache-Control", "")


def test_account_pages_are_never_cached_for_a_signed_in_person(app, client):
    with app.app_context():
        make_user("sky@example.org", city=make_city())
    login(client, "sky@example.org")
    response = client.get("/account")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "no-store" in client.get("/privacy").headers["Cache-Control"]
