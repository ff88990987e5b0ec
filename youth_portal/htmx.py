"""The one place that knows whether a request came from htmx."""

from flask import request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"
