"""A consultation's public pages (the consultation, and its results once closed), kept as sent to visitors: a small
HTTP cache in front of the app.

A visitor who has no cookie (nobody signed in, nothing personal in a session) gets the same page as every other
such visitor asking in the same language, so the page is sent once by the app and kept: the status, the headers
(security headers included) and the body. Later visitors get the kept page without the app running at all.

A kept page is used for at most PAGE_SECONDS, never past the consultation's next opening or closing time, and no
longer once anything a page shows has changed: any change to a model that a feature lists in its
`page_cache_models` (a consultation, a question, a commitment, a city...; on commit, whichever view or command made
it) makes every kept page stale. Staff change things rarely next to how often visitors read, so one generation for
all pages is enough.

Storage is the app's cache (Flask-Caching): each process's memory by default, where another process sees a change
within PAGE_SECONDS, or Redis when CACHE_REDIS_URL is set, where every process sees it at once.
"""

from datetime import datetime
from itertools import chain

import sqlalchemy.orm as so
from flask import Flask, current_app, has_app_context, request
from sqlalchemy import event
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from ..extensions import cache, db
from ..features import page_cache_models
from ..i18n import LANGUAGES
from .models import Consultation

#: The longest a kept page is used.
PAGE_SECONDS = 60
#: Set on the request by `keep`: how long the middleware may keep the page being sent.
_KEEP = "youth_portal.keep_page_seconds"
#: Changes whenever one of the features' `page_cache_models` changes: every page kept before is then stale.
_GENERATION = "visitor-pages/generation"
_CHANGED = "visitor_pages_changed"


def init_app(app: Flask) -> None:
    """Put the cache in front of the app (after Flask-Caching is set up)."""
    # Flask types wsgi_app as a method, though its documentation wraps it in middleware this way.
    app.wsgi_app = VisitorPages(app.wsgi_app, app.extensions["cache"][cache])  # type: ignore[method-assign]


def keep(consultation: Consultation, now: datetime) -> None:
    """Let the page being rendered be kept, if the request is a visitor's (see VisitorPages)."""
    if _visitor_key(request.environ) is not None:
        request.environ[_KEEP] = _seconds_to_keep(consultation, now)


def _seconds_to_keep(consultation: Consultation, now: datetime) -> int:
    """PAGE_SECONDS, or fewer if the consultation opens or closes before then."""
    upcoming = [moment for moment in (consultation.opens_at, consultation.closes_at) if moment and moment > now]
    if not upcoming:
        return PAGE_SECONDS
    return int(min(PAGE_SECONDS, (min(upcoming) - now).total_seconds()))


def _visitor_key(environ: dict) -> str | None:
    """The key of a visitor's request: a GET of a page without query string, from a browser sending no cookie.
    None for anything else, which the app always answers itself."""
    path = environ.get("PATH_INFO", "")
    if (
        environ.get("REQUEST_METHOD") != "GET"
        or environ.get("QUERY_STRING")
        or environ.get("HTTP_COOKIE")
        or path.startswith("/static/")
    ):
        return None
    accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
    return f"visitor-page/{accepted.best_match(LANGUAGES) or ''}{path}"


class VisitorPages:
    """WSGI middleware: answers a visitor's request with the kept page, and keeps the pages the app allows."""

    def __init__(self, app, store) -> None:
        self.app, self.store = app, store

    def __call__(self, environ, start_response):
        key = _visitor_key(environ)
        if key is None:
            return self.app(environ, start_response)
        kept, generation = self.store.get_many(key, _GENERATION)
        if kept is not None and kept[0] == generation:
            start_response(kept[1], list(kept[2]))
            return [kept[3]]
        return self._answer_and_keep(environ, start_response, key, generation)

    def _answer_and_keep(self, environ, start_response, key: str, generation):
        sent: dict = {}

        def remember(status, headers, exc_info=None):
            sent.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        chunks = self.app(environ, remember)
        seconds = environ.get(_KEEP, 0)
        if seconds < 1 or not sent.get("status", "").startswith("200 "):
            return chunks
        if any(name.lower() == "set-cookie" for name, _value in sent["headers"]):
            return chunks  # something personal after all: never shared
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        self.store.set(key, (generation, sent["status"], sent["headers"], body), timeout=seconds)
        return [body]


# Making kept pages stale when what they show changes ------------------------------------------------------------


def pages_change() -> None:
    """Make every kept page stale once the request's changes are committed: for a change the `page_cache_models`
    do not see (a quote approved or withdrawn, which visitors read on the results page)."""
    db.session.info[_CHANGED] = True


def _changes_pages(session: so.Session) -> bool:
    """Whether this flush changes something a consultation's page shows."""
    models = page_cache_models() if has_app_context() else ()
    for item in chain(session.new, session.dirty, session.deleted):
        if not isinstance(item, models):
            continue
        if item in session.dirty and not session.is_modified(item, include_collections=False):
            continue  # e.g. a consultation whose list of responses grew: its page does not change
        return True
    return False


@event.listens_for(so.Session, "before_flush")
def _note_changes(session: so.Session, _flush_context, _instances) -> None:
    if _changes_pages(session):
        session.info[_CHANGED] = True


@event.listens_for(so.Session, "after_commit")
def _make_kept_pages_stale(session: so.Session) -> None:
    if session.info.pop(_CHANGED, False) and has_app_context() and "cache" in current_app.extensions:
        cache.cache.inc(_GENERATION)


@event.listens_for(so.Session, "after_rollback")
def _forget_noted_changes(session: so.Session) -> None:
    session.info.pop(_CHANGED, None)
