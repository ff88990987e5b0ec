"""How large a request may be: MAX_CONTENT_LENGTH everywhere, more only on the views that take a picture.

The limit must be known before anything reads the form, and CSRF protection reads it before the view runs: so a
view declares its limit (`accepts_bodies_up_to`) and the request looks it up once its URL is matched.
"""

from collections.abc import Callable

from flask import Request, current_app


def accepts_bodies_up_to(limit: int) -> Callable:
    """Let this view receive request bodies up to `limit` bytes; put it just under the route decorator."""

    def mark(view):
        view.max_request_bytes = limit
        return view

    return mark


class ViewSizedRequest(Request):
    """A request limited to its view's `max_request_bytes`, or else to MAX_CONTENT_LENGTH (a value set on the
    request itself still wins)."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self.url_rule is not None and current_app:
            view = current_app.view_functions.get(self.url_rule.endpoint)
            limit = getattr(view, "max_request_bytes", None)
            if limit is not None:
                return limit
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
