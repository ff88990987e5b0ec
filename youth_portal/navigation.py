"""Where to send a person next: a path on this site, never an open redirect."""

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, default: str | None = None) -> str:
    """Only a path on this site: never an open redirect (else `default`, or the home page). Browsers read a backslash
    as a slash and drop tabs and line breaks, so a path with either could name another site ("/\\evil.example")."""
    if target and "\\" not in target and target.isprintable():
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return default or url_for("cities.home")
