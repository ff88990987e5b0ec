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
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def markdown_to_text(text: str | None) -> str:
    """Readable plain text for staff-written Markdown (plain-text emails): no emphasis marks, links as
    "text (url)", list items with "- " or their number, a blank line between paragraphs."""
    blocks: list[str] = []
    lists: list[list[int]] = []  # one per open list: [next number] when ordered, [] for bullets
    marker, quote, tight, list_starts = "", "", False, False
    for token in _markdown.parse(text or ""):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_starts = not lists  # a blank line before a list, not before a list inside an item
            lists.append([int(token.attrGet("start") or 1)] if token.type == "ordered_list_open" else [])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            numbering = lists[-1]
            marker = "  " * (len(lists) - 1) + (f"{numbering[0]}. " if numbering else "- ")
            numbering[:] = [numbering[0] + 1] if numbering else []
        elif token.type in ("blockquote_open", "blockquote_close"):
            quote = quote + "> " if token.type == "blockquote_open" else quote[2:]
        elif token.type == "paragraph_open":
            tight = token.hidden  # a paragraph of a tight list: no blank line before it
        elif token.type in ("inline", "fence", "code_block", "hr"):
            content = _block_text(token)
            indent = " " * len(marker) if marker else "  " * len(lists)
            first, *rest = content.split("\n")
            lines = [marker + first if marker else indent + first, *(indent + line for line in rest)]
            if blocks:
                blocks.append("\n" if tight and marker and not list_starts else "\n\n")
            blocks.append("\n".join(quote + line for line in lines))
            marker, tight, list_starts = "", False, False
    return "".join(blocks)


def _block_text(token) -> str:
    """The text of a paragraph, heading, code block or rule."""
    if token.type == "inline":
        return _inline_text(token.children or [])
    return "---" if token.type == "hr" else token.content.rstrip("\n")


def _inline_text(children) -> str:
    """The text of a paragraph's inline tokens: emphasis dropped, links followed by their address."""
    parts: list[str] = []
    links: list[tuple[str, int]] = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "link_open":
            links.append((child.attrGet("href") or "", len(parts)))
        elif child.type == "link_close":
            href, start = links.pop()
            if href and "".join(parts[start:]) != href.removeprefix("mailto:"):
                parts.append(f" ({href})")
    return "".join(parts)
