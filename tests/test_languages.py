"""The language of a page: the person's setting, then the switcher, then Accept-Language, then the city."""

from support import login, make_city, make_user, submit


def html_lang(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_accept_language_chooses_the_page_language(client):
    assert html_lang(client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})) == "fr"
    assert html_lang(client.get("/", headers={"Accept-Language": "de"})) == "en"


def test_city_default_language_applies_when_the_browser_says_nothing(app, client):
    with app.app_context():
        make_city("beirut", country="LB", default_language="ar", languages=["ar", "fr", "en"])
    response = client.get("/cities/beirut/")
    assert html_lang(response) == "ar"
    assert 'dir="rtl"' in response.get_data(as_text=True)


def test_switcher_beats_accept_language_and_is_on_every_page(client):
    response = client.post("/language", data={"language": "es", "next": "/privacy"}, headers={"Accept-Language": "fr"})
    assert response.status_code == 302 and response.headers["Location"] == "/privacy"
    page = client.get("/privacy", headers={"Accept-Language": "fr"})
    assert html_lang(page) == "es"
    assert 'action="/language"' in page.get_data(as_text=True)


def test_switcher_ignores_unknown_languages_and_foreign_redirects(client):
    response = client.post("/language", data={"language": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert html_lang(client.get("/", headers={"Accept-Language": "en"})) == "en"


def test_a_persons_setting_wins_over_everything(app, client):
    with app.app_context():
        city = make_city()
        make_user("amal@example.org", city=city, language="ar")
    login(client, "amal@example.org")
    response = client.get("/privacy", headers={"Accept-Language": "fr"})
    assert html_lang(response) == "ar"
    assert 'dir="rtl"' in response.get_data(as_text=True)


def test_switching_language_while_signed_in_saves_the_setting(app, client):
    from youth_portal.accounts.models import User
    from youth_portal.extensions import db

    with app.app_context():
        make_user("sky@example.org", city=make_city())
    login(client, "sky@example.org")
    submit(client, "/language", {"language": "fr", "next": "/"})
    with app.app_context():
        assert db.session.scalar(db.select(User.language).where(User.email == "sky@example.org")) == "fr"


def test_switcher_refuses_a_signed_in_post_without_csrf_token(app, client):
    from youth_portal.accounts.models import User
    from youth_portal.extensions import db

    with app.app_context():
        make_user("sky@example.org", city=make_city(), language="en")
    login(client, "sky@example.org")
    response = client.post("/language", data={"language": "es", "next": "/"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(User.language).where(User.email == "sky@example.org")) == "en"
    assert html_lang(client.get("/privacy")) == "en"


def test_a_visitors_switcher_needs_no_token_and_changes_only_their_session(client):
    """A visitor's pages carry no token, so they are the same for every visitor."""
    page = client.get("/privacy").get_data(as_text=True)
    assert 'name="csrf_token"' not in page
    assert client.get_cookie("session") is None

    response = client.post("/language", data={"language": "es", "next": "/privacy"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy"
    assert html_lang(client.get("/privacy")) == "es"
