"""Staff-written Markdown as plain-text emails show it: readable text, no Markdown marks."""

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
