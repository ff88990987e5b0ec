"""Markdown written by staff, rendered and sanitised with an allowlist (never trusted as HTML)."""
import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"https", "http", "mailto"}


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for staff-written Markdown: raw HTML escaped, only allowlisted tags, links http(s)/mailto only."""
    return sanitise(_markdown.render(text or ""))


def sanitise(html: str) -> Markup:
    """Only the allowlisted tags and attributes of `html`, links http(s)/mailto only and never followed by robots."""
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer nofollow")
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
