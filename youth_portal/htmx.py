"""The one place that knows whether a request came from htmx."""
from flask import request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def trigger_name() -> str | None:
    """The name of the field whose change sent this htmx request (inline validation)."""
    return request.headers.get("HX-Trigger-Name")
