"""Staff-written Markdown as plain-text emails show it: readable text, no Markdown marks."""

import pytest

from youth_portal.richtext import markdown_to_text

WRITTEN = """## Lo que haremos

Arreglaremos **La iluminación** y *los bancos*. Más en [la web](https://murcia.example.org/luz) o
en <https://murcia.example.org>.

- Farolas **nuevas**
- Bancos
  1. En el parque
  2. En la plaza

> Gracias a *todas*.
"""

READ = """Lo que haremos

Arreglaremos La iluminación y los bancos. Más en la web (https://murcia.example.org/luz) o
en https://murcia.example.org.

- Farolas nuevas
- Bancos
  1. En el parque
  2. En la plaza

> Gracias a todas."""


def test_markdown_reads_as_plain_text():
    assert markdown_to_text(WRITTEN) == READ


def test_nothing_written_is_nothing_to_read():
    assert markdown_to_text(None) == markdown_to_text("") == ""


def test_raw_html_and_unsafe_links_stay_text():
    assert markdown_to_text("<b>hi</b> [x](javascript:alert(1))") == "<b>hi</b> [x](javascript:alert(1))"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("3. three\n4. four", "3. three\n4. four"),  # a list numbered from where staff started it
        ("> outer\n>\n> > inner\n\nafter", "> outer\n\n> > inner\n\nafter"),  # quotes within quotes, then out
        ("```\ncode **not bold**\n```\n\nafter", "code **not bold**\n\nafter"),  # code as written
        ("    indented code\n\nafter", "indented code\n\nafter"),
        ("before\n\n---\n\nafter", "before\n\n---\n\nafter"),  # a rule stays a line
        ("use `x = 1` here  \nnext line", "use x = 1 here\nnext line"),  # inline code, a hard line break
        (  # a link whose text is its address is not repeated; a mail link keeps its scheme
            "[https://a.example](https://a.example) and [mail](mailto:me@a.example) and <me@a.example>",
            "https://a.example and mail (mailto:me@a.example) and me@a.example",
        ),
        ("- one\n\n- two\n\nafter", "- one\n\n- two\n\nafter"),  # a loose list keeps its blank lines
        ("> - a\n> - b", "> - a\n> - b"),
        ("- first line\n  second line", "- first line\n  second line"),  # an item's lines under its text
        ("- one\n\n  more about one\n\n- two", "- one\n\n  more about one\n\n- two"),  # an item's second paragraph
        ("1. a\n   - b\n     still b", "1. a\n  - b\n    still b"),
    ],
)
def test_each_kind_of_block_and_inline_reads_as_written(written, read):
    assert markdown_to_text(written) == read
