"""Security headers on every response (Flask-Talisman), no caching of personal pages, and input the database
could not take refused with 400 or 404 rather than failing there."""

from flask import Flask, Response, abort, request, session
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .extensions import csrf, limiter

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def init_app(app: Flask) -> None:
    production = app.config["PRODUCTION"]
    csrf.init_app(app)
    limiter.init_app(app)
    if app.config["REVERSE_PROXIES"]:
        # The client's address (what rate limits and sign-in pauses count) and scheme, from the X-Forwarded-For and
        # -Proto headers that many proxies add; without proxies those headers are ignored, as anyone can send them.
        proxies = app.config["REVERSE_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    Talisman(  # one per app: Talisman keeps its options on itself, so a shared one would take the last app's
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        force_https=production,
        strict_transport_security=production,
        session_cookie_secure=production,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
    )
    app.url_map.converters["int"] = RowId
    app.before_request(_refuse_nul_characters)
    app.after_request(_cache_and_vary)


class RowId(IntegerConverter):
    """An id in a URL: a number beyond what an id column holds matches no route (404), instead of overflowing the
    database's integer."""

    def __init__(
        self, url_map, fixed_digits: int = 0, min: int | None = None, max: int | None = 2**31 - 1, signed: bool = False
    ) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _refuse_nul_characters() -> None:
    """Nobody types a NUL character, and PostgreSQL refuses it in text: a request carrying one in its address or
    in any value it sends is refused (400)."""
    values = (value for values in request.values.listvalues() for value in values)
    if "\x00" in request.path or any("\x00" in value for value in values):
        abort(400)


def _cache_and_vary(response: Response) -> Response:
    """Pages shown to a signed-in person are never stored by caches; pages vary by language and cookie (a visitor's
    page is not a signed-in person's), htmx fragments by header."""
    if request.path.startswith("/static/"):
        return response
    if "_user_id" in session:  # signed in (read from the session: the user object may be expired by a commit)
        response.headers["Cache-Control"] = "no-store"
    response.vary.update(("Accept-Language", "Cookie", "HX-Request"))
    return response
