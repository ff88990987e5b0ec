"""Security headers on every response (Flask-Talisman) and no caching of personal pages."""
from flask import Flask, Response, request, session

from .extensions import csrf, limiter, talisman

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
    talisman.init_app(
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        force_https=production,
        strict_transport_security=production,
        session_cookie_secure=production,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
    )
    app.after_request(_cache_and_vary)


def _cache_and_vary(response: Response) -> Response:
    """Pages shown to a signed-in person are never stored by caches; pages vary by language and cookie (a visitor's
    page is not a signed-in person's), htmx fragments by header."""
    if request.path.startswith("/static/"):
        return response
    if "_user_id" in session:  # signed in (read from the session: the user object may be expired by a commit)
        response.headers["Cache-Control"] = "no-store"
    response.vary.update(("Accept-Language", "Cookie", "HX-Request"))
    return response
