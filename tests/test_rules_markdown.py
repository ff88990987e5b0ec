"""Staff-written Markdown: the sanitiser keeps only its allowlist (tested directly, with hostile HTML in every
spelling), and every page that renders Markdown shows it through the sanitiser."""

import re
from html.parser import HTMLParser

import pytest

from consultation_factory import add_response, make_consultation
from support import login, make_city, make_user
from youth_portal.accounts.models import CityRoleName
from youth_portal.extensions import db
from youth_portal.richtext import render_markdown, sanitise

#: What any link keeps besides its address.
REL = 'rel="noopener noreferrer nofollow"'
#: Tags and attributes staff Markdown may produce (written out here, so that widening the allowlist fails a test).
TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre", "hr"}
ATTRIBUTES = {"a": {"href", "title", "rel"}}

EMPTY_LINK = f"<a {REL}>x</a>"


@pytest.mark.parametrize(
    ("html", "clean"),
    [
        ("<script>alert(1)</script>ok", "ok"),
        ('<a href="javascript:alert(1)">x</a>', EMPTY_LINK),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', EMPTY_LINK),
        ('<a href=" javascript:alert(1)">x</a>', EMPTY_LINK),
        ('<a href="java&#09;script:alert(1)">x</a>', EMPTY_LINK),
        ('<a href="&#106;avascript:alert(1)">x</a>', EMPTY_LINK),
        ('<a href="&#x6A;avascript&#x3A;alert(1)">x</a>', EMPTY_LINK),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', EMPTY_LINK),
        ('<a href="DATA:image/png;base64,AAAA">x</a>', EMPTY_LINK),
        ('<a href="vbscript:msgbox(1)">x</a>', EMPTY_LINK),
        ('<a href="VBScript:msgbox(1)">x</a>', EMPTY_LINK),
        (
            '<a href="https://example.org" onclick="alert(1)" style="color:red" target="_blank">x</a>',
            f'<a href="https://example.org" {REL}>x</a>',
        ),
        ('<a href="http://example.org" title="Park">x</a>', f'<a href="http://example.org" title="Park" {REL}>x</a>'),
        ('<a href="mailto:a@example.org">x</a>', f'<a href="mailto:a@example.org" {REL}>x</a>'),
        ('<a href="ftp://example.org/file">x</a>', EMPTY_LINK),  # only http(s) and mailto, not the sanitiser's defaults
        ('<a href="tel:+34600000000">x</a>', EMPTY_LINK),
        # lang (and title) are kept on any tag, as nh3 does: harmless, and they help screen readers.
        (
            '<a href="https://example.org" hreflang="es" lang="es" dir="rtl">x</a>',
            f'<a href="https://example.org" lang="es" {REL}>x</a>',
        ),
        ('<ol start="3" reversed><li>x</li></ol>', "<ol><li>x</li></ol>"),
        ('<a href="/cities/murcia">x</a>', f'<a href="/cities/murcia" {REL}>x</a>'),
        ('<img src="x" onerror="alert(1)">', ""),
        ('<iframe src="https://evil.example"></iframe>', ""),
        ('<p onmouseover="alert(1)" style="position:fixed" class="x" id="y">text</p>', "<p>text</p>"),
        ('<svg onload="alert(1)"><circle r="1"/></svg>', ""),
        ('<form action="https://evil.example"><input name="password"><button>Go</button></form>', "Go"),
        ('<style>body{display:none}</style><object data="x"></object><embed src="x"><math><mi>x</mi></math>', ""),
        (
            "<h1>a</h1><h2>b</h2><h5>c</h5><table><tr><td>d</td></tr></table><span>e</span><div>f</div>",
            "a<h2>b</h2>cdef",
        ),
        (
            "<p>a<br>b</p><strong>s</strong><em>e</em><ul><li>1</li></ul><ol><li>2</li></ol><h3>h</h3><h4>i</h4>"
            "<blockquote>q</blockquote><code>c</code><pre>p</pre><hr>",
            "<p>a<br>b</p><strong>s</strong><em>e</em><ul><li>1</li></ul><ol><li>2</li></ol><h3>h</h3><h4>i</h4>"
            "<blockquote>q</blockquote><code>c</code><pre>p</pre><hr>",
        ),
    ],
)
def test_the_sanitiser_keeps_only_its_allowlist(html, clean):
    assert str(sanitise(html)) == clean


#: Markdown that tries everything Markdown can produce: raw HTML, unsafe links (markdown-it lets data:image through,
#: so only the sanitiser stands in its way), images, headings outside the allowlist; and one safe link.
HOSTILE = """Start of the text.

<script>alert(1)</script> <img src=x onerror=alert(1)> <iframe src="https://evil.example"></iframe>

[image data](data:image/png;base64,AAAA) [script](javascript:alert(1)) [vb](vbscript:msgbox(1)) <javascript:alert(1)>

![a picture](https://example.org/cat.png) [map][ref]

# Too big

###### Too small

**Safe** and [safe link](https://example.org/parks "Parks").

[ref]: data:image/gif;base64,R0lGOD

End of the text."""


class Tags(HTMLParser):
    """Every tag and its attributes, in order."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_sanitised(html: str) -> None:
    """The Markdown above, as the sanitiser leaves it: only allowlisted tags and attributes, only safe links."""
    assert html.count("Start of the text.") == 1, html
    text = html[html.index("Start of the text.") : html.index("End of the text.")]
    parser = Tags()
    parser.feed(text)
    assert {tag for tag, _ in parser.found} <= TAGS, text
    for tag, attributes in parser.found:
        assert set(attributes) <= ATTRIBUTES.get(tag, set()), text
    links = [attributes for tag, attributes in parser.found if tag == "a"]
    hrefs = [a.get("href") for a in links]
    assert hrefs == [None, "https://example.org/cat.png", None, "https://example.org/parks"], text
    assert all(a.get("rel") == "noopener noreferrer nofollow" for a in links), text
    assert "<strong>Safe</strong>" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not re.search(r"(?i)data:|<img|<iframe|<h1|<h6|onerror=\"", text), text


@pytest.mark.parametrize("text", [None, ""])
def test_no_text_renders_nothing(text):
    assert str(render_markdown(text)) == ""


def test_markdown_is_rendered_and_sanitised():
    assert_sanitised(str(render_markdown(HOSTILE)))


@pytest.fixture
def pages(app, client):
    """A consultation of Murcia whose body and outcome are HOSTILE, archived (so that the outcome is shown, not
    edited), answered by its city admin (signed in)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with app.app_context():
        murcia = make_city("murcia")
        admin = make_user("admin@example.org", city=murcia, city_role=CityRoleName.CITY_ADMIN)
        consultation = make_consultation(murcia, "archived", body={"en": HOSTILE})
        consultation.outcome = {"en": HOSTILE}
        db.session.commit()
        add_response(consultation, admin, {7: {"text": "More shade."}})
        consultation_id = consultation.id
    login(client, "admin@example.org")
    return consultation_id


@pytest.mark.parametrize(
    ("page", "times"),
    [
        ("/cities/murcia/consultations/{id}", 2),  # outcome, then body
        ("/cities/murcia/manage/consultations/{id}/preview", 1),  # body
        ("/cities/murcia/manage/consultations/{id}/outcome", 1),  # outcome
        ("/account/participation", 1),  # outcome
    ],
)
def test_every_page_that_renders_markdown_sanitises_it(client, pages, page, times):
    response = client.get(page.format(id=pages))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("Start of the text.") == times
    for part in html.split("Start of the text.")[1:]:
        assert_sanitised("Start of the text." + part)
