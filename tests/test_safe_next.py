"""Every `next` is a page of this site: a backslash (which browsers read as a slash) or a tab or line break (which
they drop) could turn a path into another site's address, so such a `next` is refused wherever it is taken."""

import pytest

from support import PASSWORD, make_city, make_user, submit

EMAIL = "sky@example.org"


@pytest.fixture
def sky(app) -> int:
    with app.app_context():
        return make_user(EMAIL, city=make_city("murcia"), display_name="Sky").id


@pytest.mark.parametrize(
    "next_url", ["/\\evil.example", "/\\/evil.example", "\\\\evil.example/", "/\t/evil.example", "/\n/evil.example"]
)
def test_sign_in_never_follows_a_next_that_a_browser_reads_as_another_site(client, sky, next_url):
    response = submit(client, "/login", {"email": EMAIL, "password": PASSWORD, "next": next_url}, page="/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/cities/murcia/"


def test_sign_in_still_follows_a_page_of_this_site(client, sky):
    response = submit(client, "/login", {"email": EMAIL, "password": PASSWORD, "next": "/privacy?a=b"}, page="/login")
    assert response.headers["Location"] == "/privacy?a=b"
